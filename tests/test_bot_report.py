"""The weekly report: pure computation over records, and the Monday-meeting command."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from flask import Flask

from bot.core.calendar import LOCAL
from bot.core.services import Services
from bot.staff.roster import Staff
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.opening import list_tickets
from bot.tickets.report import StaffWeek, age_bucket, previous_week, week_bounds, weekly_report
from bot.tickets.report_tables import render_csv
from tests.conftest import WeChat
from tests.test_bot_cli_staff import ok
from tests.test_handlers_staff import report
from tests.test_handlers_staff_commands import number_of

WEEK = date(2026, 11, 30)
STAFF = [Staff(id=1, name="示例·林主任", is_active=True, is_director=True),
         Staff(id=2, name="示例·周", is_active=True), Staff(id=3, name="示例·冯", is_active=True),
         Staff(id=4, name="示例·林", is_active=True), Staff(id=5, name="示例·旧", is_active=False)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def ticket(number: int, created: str, events: list[tuple[str, str, str, str]],
           assignee: int | None = None, due: str | None = None) -> Ticket:
    """Build a ticket in memory: events are (kind, actor, note, local time)."""
    made = Ticket(id=number, committee="c", kind="handoff", line="property-repair",
                  status="new", resident_openid="o-r", request_text="灯坏了",
                  source_key=f"k{number}", assignee_id=assignee, created_at=at(created),
                  due_at=at(due) if due else None)
    made.events = [TicketEvent(kind=kind, actor=actor, note=note, created_at=at(when))
                   for kind, actor, note, when in [("created", "resident", "", created), *events]]
    return made


def row(rows: list[StaffWeek], name: str) -> StaffWeek:
    return next(r for r in rows if r.name == name)


def test_weeks_and_age_buckets() -> None:
    assert week_bounds(date(2026, 12, 3)) == (at("2026-11-30T00:00"), at("2026-12-07T00:00"))
    assert previous_week(at("2026-12-07T09:00")) == WEEK
    assert previous_week(at("2026-12-13T23:00")) == WEEK
    assert [age_bucket(d) for d in (0.5, 1, 2.9, 3, 6.9, 7, 30)] == [
        "<1d", "1-3d", "1-3d", "3-7d", "3-7d", ">7d", ">7d"]


def test_a_transfer_counts_for_both_and_times_run_from_each_assignment() -> None:
    transferred = ticket(1, "2026-11-30T09:00", [
        ("assigned", "system", "3号楼负责人示例·周", "2026-11-30T09:00"),
        ("transferred", "staff:示例·周", "转交示例·冯", "2026-11-30T10:00"),
        ("accepted", "staff:示例·冯", "", "2026-11-30T11:00"),
        ("resolved", "staff:示例·冯", "修好了", "2026-11-30T13:00"),
        ("rated", "resident", "5", "2026-11-30T14:00"),
        ("closed", "system", "", "2026-11-30T14:00")], assignee=3)
    result = weekly_report([transferred], STAFF, WEEK, at("2026-12-07T09:00"))
    zhou, feng = row(result.staff, "示例·周"), row(result.staff, "示例·冯")
    assert (zhou.received, zhou.accepted, zhou.resolved) == (1, 0, 0)
    assert (feng.received, feng.accepted, feng.resolved) == (1, 1, 1)
    assert (feng.median_accept_hours, feng.median_resolve_hours) == (1.0, 3.0)
    assert (feng.ratings, feng.average_rating) == ([5], 5.0)
    assert result.open_tickets == []


def test_routing_notes_name_the_holder_last_and_the_longest_name_wins() -> None:
    to_desk = ticket(2, "2026-11-30T09:00", [
        ("assigned", "system", "A角示例·周请假，B角不在，由前台值班示例·林主任处理",
         "2026-11-30T09:00"),
        ("transferred", "staff:示例·林主任", "转交示例·林", "2026-11-30T09:30")], assignee=4)
    to_b = ticket(3, "2026-11-30T09:00", [
        ("assigned", "system", "A角示例·周请假，由B角示例·冯处理；"
                               "非办公时间，12-01 08:30开门后处理", "2026-11-30T09:00"),
        ("transferred", "staff:示例·冯", "转交示例·周", "2026-12-01T09:00")], assignee=2)
    result = weekly_report([to_desk, to_b], STAFF, WEEK, at("2026-12-07T09:00"))
    assert [(r.name, r.received) for r in result.staff] == [
        ("示例·林主任", 1), ("示例·周", 1), ("示例·冯", 1), ("示例·林", 1)]  # 示例·旧: inactive
    assert [(t.id, t.status, t.staff_id) for t in result.open_tickets] == [
        (2, "assigned", 4), (3, "assigned", 2)]


def test_taking_an_unassigned_ticket_and_resolving_late_without_accepting() -> None:
    taken = ticket(4, "2026-11-30T09:00", [
        ("unassigned", "system", "A角示例·周请假，B角和前台都无人，待主任分派", "2026-11-30T09:00"),
        ("accepted", "staff:示例·林主任", "", "2026-11-30T13:00")], assignee=1)
    late = ticket(5, "2026-11-30T09:00", [
        ("assigned", "system", "条线A角示例·周", "2026-11-30T09:00"),
        ("overdue", "system", "", "2026-12-04T09:00"),
        ("resolved", "staff:示例·周", "好了", "2026-12-04T15:00")],
        assignee=2, due="2026-12-03T19:30")
    result = weekly_report([taken, late], STAFF, WEEK, at("2026-12-07T09:00"))
    director, zhou = row(result.staff, "示例·林主任"), row(result.staff, "示例·周")
    assert (director.received, director.accepted, director.median_accept_hours) == (1, 1, 4.0)
    assert (zhou.accepted, zhou.resolved, zhou.median_accept_hours) == (1, 1, 102.0)
    assert zhou.limits_broken == {5}  # overdue and resolved late: one ticket, counted once
    assert [t.id for t in result.open_tickets] == [4]


def test_open_tickets_stand_as_they_were_at_the_end_of_the_week() -> None:
    resolved_later = ticket(6, "2026-11-24T10:00", [
        ("assigned", "system", "条线A角示例·周", "2026-11-24T10:00"),
        ("resolved", "staff:示例·周", "好了", "2026-12-08T10:00")], assignee=2)
    returned = ticket(7, "2026-12-06T20:00", [
        ("assigned", "system", "条线A角示例·周", "2026-12-06T20:00"),
        ("returned", "staff:示例·周", "不是我的", "2026-12-06T21:00")])
    next_week = ticket(8, "2026-12-07T08:00", [])
    result = weekly_report([resolved_later, returned, next_week], STAFF, WEEK,
                           at("2026-12-09T09:00"))
    assert result.as_of == at("2026-12-07T00:00")
    assert result.open_by_age() == {"new": {"<1d": 1, "1-3d": 0, "3-7d": 0, ">7d": 0},
                                    "assigned": {"<1d": 0, "1-3d": 0, "3-7d": 0, ">7d": 1}}
    assert [t.id for t in result.unassigned()] == [7]
    assert row(result.staff, "示例·周").received == 1  # the returned one, this week


def row_of(rows: list[dict[str, str]], name: str) -> dict[str, str]:
    return next(r for r in rows if r["staff"] == name)


def _scenario(wechat: WeChat, services: Services, clock, run_jobs) -> list[str]:
    """Three repair reports in the week of 2026-11-30; return their numbers."""
    from workers.escalation import JOB

    clock("2026-11-30T09:00")
    first = number_of(report(wechat, building="3", openid="o-r1"))  # 示例·周's building
    clock("2026-11-30T09:30")
    overdue = number_of(report(wechat, building="4", openid="o-r2"))  # 示例·周's too
    clock("2026-11-30T10:00")
    unassigned = number_of(report(wechat, building="5", openid="o-r3"))  # repairs A: 示例·周
    clock("2026-11-30T10:30")
    assert "已退回" in wechat.say(f"退单 {unassigned} 不是报修", openid="o-zhou")
    clock("2026-11-30T11:00")  # accepted two hours after it was assigned
    assert "已签收" in wechat.say(f"签收 {first}", openid="o-zhou")
    clock("2026-11-30T14:00")
    assert "已办结" in wechat.say(f"办结 {first} 已更换灯泡", openid="o-zhou")
    assert "谢谢您的评价" in wechat.say("4", openid="o-r1")
    clock("2026-12-04T09:00")  # past the Thursday 19:30 limit of the one nobody accepted
    services.jobs.enqueue(JOB)
    run_jobs()
    assert "overdue" in [e.kind for e in list_tickets(services.db)[1].events]
    clock("2026-12-07T09:00")  # the Monday meeting
    return [first, overdue, unassigned]


def test_the_monday_meeting_counts_a_known_week_exactly(
        app: Flask, services: Services, roster, wechat: WeChat, clock, run_jobs) -> None:
    first, overdue, unassigned = _scenario(wechat, services, clock, run_jobs)
    with services.db.session() as session:
        staff = list(session.query(Staff))
    result = weekly_report(list_tickets(services.db), staff, WEEK, services.now())
    zhou = row(result.staff, "示例·周")
    assert (zhou.received, zhou.accepted, zhou.resolved) == (3, 1, 1)
    assert (zhou.median_accept_hours, zhou.median_resolve_hours) == (2.0, 5.0)
    assert zhou.limits_broken == {int(overdue)} and zhou.ratings == [4]
    assert all(r.is_idle() for r in result.staff if r.name != "示例·周")
    assert result.open_by_age() == {"new": {"<1d": 0, "1-3d": 0, "3-7d": 1, ">7d": 0},
                                    "assigned": {"<1d": 0, "1-3d": 0, "3-7d": 1, ">7d": 0}}
    assert [t.id for t in result.unassigned()] == [int(unassigned)]

    text = ok(app, "report", "weekly")  # default: the week before the current one
    assert text.startswith("周报 (weekly report) 2026-11-30 – 2026-12-06")
    zhou_line = next(line for line in text.splitlines() if line.startswith("示例·周"))
    assert zhou_line.split() == ["示例·周", "3", "1", "1", "2.0", "5.0", "1", "1", "4.0"]
    assert "未分派工单 (unassigned, as of 2026-12-07 00:00): 1" in text
    assert text.splitlines()[-1].split()[:3] == [f"#{unassigned}", "property-repair", "new"]
    assert ok(app, "report", "weekly", "--week", "2026-12-02") == text  # any day of the week
    assert f"#{first}" not in text


def test_the_csv_has_three_blocks_that_parse(app: Flask, services: Services, roster,
                                             wechat: WeChat, clock, run_jobs) -> None:
    _, _, unassigned = _scenario(wechat, services, clock, run_jobs)
    output = ok(app, "report", "weekly", "--week", "2026-11-30", "--csv")
    staff, ages, waiting = [list(csv.DictReader(io.StringIO(block)))
                            for block in output.split("\n\n")]
    zhou = row_of(staff, "示例·周")
    assert zhou == {"staff": "示例·周", "received": "3", "accepted": "1", "resolved": "1",
                    "median_accept_hours": "2.0", "median_resolve_hours": "5.0",
                    "limits_broken": "1", "ratings": "1", "average_rating": "4.0"}
    assert len(staff) == 6 and row_of(staff, "示例·冯")["median_accept_hours"] == ""
    assert ages[-1] == {"status": "total", "<1d": "0", "1-3d": "0", "3-7d": "2", ">7d": "0",
                        "total": "2"}
    assert [(r["ticket"], r["status"]) for r in waiting] == [(unassigned, "new")]


def test_an_empty_week_still_renders(app: Flask, clock) -> None:
    clock("2026-12-07T09:00")
    text = ok(app, "report", "weekly")
    assert "未分派工单 (unassigned, as of 2026-12-07 00:00): 0" in text
    blocks = render_csv(weekly_report([], [], WEEK, at("2026-12-07T09:00"))).split("\n\n")
    assert [next(csv.reader(io.StringIO(b)))[0] for b in blocks] == ["staff", "status", "ticket"]
