"""The roster command line: show, pattern, change, hours and days, and how routing follows."""

from __future__ import annotations

from flask import Flask

from bot.core.services import Services
from bot.tickets.opening import list_tickets
from tests.conftest import WeChat
from tests.test_bot_cli_staff import ok, refused
from tests.test_handlers_staff import report


def assignee(services: Services) -> int | None:
    return list_tickets(services.db)[-1].assignee_id


def duty_line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(name))


def test_a_dated_change_sends_the_ticket_to_the_b_role_and_clearing_it_undoes(
        app: Flask, services: Services, roster, wechat: WeChat, clock) -> None:
    ok(app, "roster", "change", "示例·周", "2026-11-30", "leave", "--note", "年假")
    shown = ok(app, "roster", "show", "--date", "2026-11-30")
    assert "leave" in duty_line(shown, "示例·周") and "dated change (年假)" in shown
    assert "weekly pattern" in duty_line(shown, "示例·冯")
    clock("2026-11-30T10:00")
    report(wechat, building="5")
    assert assignee(services) == roster["示例·冯"]  # 示例·周 is repairs A, 示例·冯 B

    assert "weekly pattern again" in ok(app, "roster", "change", "示例·周", "2026-11-30",
                                        "--clear")
    report(wechat, building="5", openid="o-resident-2")
    assert assignee(services) == roster["示例·周"]
    assert "no dated change" in refused(app, "roster", "change", "示例·周", "2026-11-30",
                                        "--clear")


def test_show_defaults_to_today_with_hours_and_sources(app: Flask, roster, clock) -> None:
    clock("2026-12-01T09:00")  # Tuesday: extended evening hours in the sample roster
    shown = ok(app, "roster", "show")
    assert shown.startswith("2026-12-01 tue: working day; opening hours 08:30-19:30")
    assert "desk" in duty_line(shown, "示例·周") and "weekly pattern" in duty_line(shown, "示例·周")


def test_a_new_weekly_pattern_replaces_the_week(app: Flask, services: Services, roster,
                                                wechat: WeChat, clock) -> None:
    output = ok(app, "roster", "pattern", "示例·周", "tue=desk", "fri=desk")
    assert "示例·周: mon=off tue=desk wed=off thu=off fri=desk sat=off sun=off" in output
    assert "off" in duty_line(ok(app, "roster", "show", "--date", "2026-11-30"), "示例·周")
    clock("2026-11-30T10:00")
    report(wechat, building="3")  # 示例·周's own building, but off on Mondays now
    assert assignee(services) == roster["示例·冯"]


def test_hours_decide_when_the_desk_is_open(app: Flask, services: Services, roster,
                                            wechat: WeChat, clock) -> None:
    assert "mon: 08:30-12:00 13:00-17:00" in ok(app, "roster", "hours", "mon", "13:00-17:00",
                                                "08:30-12:00")
    clock("2026-11-30T12:30")  # the new lunch break
    assert "周一 11-30 13:00" in report(wechat, building="3")
    ok(app, "roster", "hours", "sat", "--closed")
    clock("2026-11-28T10:00")  # Saturday morning, open in the sample roster until now
    assert "周一 11-30 08:30" in report(wechat, building="3", openid="o-resident-2")
    assert "sat" in ok(app, "roster", "show", "--date", "2026-11-28")
    assert "opening hours closed" in ok(app, "roster", "show", "--date", "2026-11-28")


def test_the_first_hours_edit_keeps_the_default_hours_of_the_other_days(app: Flask) -> None:
    assert "now on record" in ok(app, "roster", "hours", "mon", "09:00-12:00")
    assert "opening hours 09:00-12:00" in ok(app, "roster", "show", "--date", "2026-11-30")
    assert "opening hours 08:30-17:00" in ok(app, "roster", "show", "--date", "2026-12-01")
    for day in ("tue", "wed", "thu", "fri"):
        ok(app, "roster", "hours", day, "--closed")
    assert "keep one day open" in refused(app, "roster", "hours", "mon", "--closed")
    assert "opening hours 09:00-12:00" in ok(app, "roster", "show", "--date", "2026-11-30")


def test_a_closure_waits_for_the_next_open_day_and_can_be_cleared(
        app: Flask, services: Services, roster, wechat: WeChat, clock) -> None:
    output = ok(app, "roster", "day", "2026-11-30", "closed", "--note", "盘点")
    assert "not a working day; committee entry: closed (盘点)" in output
    clock("2026-11-30T10:00")
    assert "周二 12-01 08:30" in report(wechat, building="3")
    assert "2026-11-30 mon: working day" in ok(app, "roster", "day", "2026-11-30", "--clear")
    assert "工单号" in report(wechat, building="3", openid="o-resident-2")
    ok(app, "roster", "day", "2027-02-06", "workday", "--note", "2027 春节调休")  # a Saturday
    assert "working day; committee entry: workday" in ok(app, "roster", "show", "--date",
                                                         "2027-02-06")


def test_roster_mistakes_name_the_argument(app: Flask, roster) -> None:
    assert "STATUS: status must be one of desk" in refused(app, "roster", "change", "示例·周",
                                                           "2026-11-30", "holiday")
    assert "give STATUS" in refused(app, "roster", "change", "示例·周", "2026-11-30")
    assert "DATE '30/11/2026' is not a date" in refused(app, "roster", "change", "示例·周",
                                                        "30/11/2026", "off")
    assert "--date 'tomorrow' is not a date" in refused(app, "roster", "show", "--date",
                                                        "tomorrow")
    assert "mon=sleeping: status must be" in refused(app, "roster", "pattern", "示例·周",
                                                  "mon=sleeping")
    assert "WEEKDAY: 'sunday' is not one of mon" in refused(app, "roster", "hours", "sunday",
                                                            "--closed")
    assert "spans 08:30-12:00 and 11:00-17:00 overlap" in refused(
        app, "roster", "hours", "mon", "08:30-12:00", "11:00-17:00")
    assert "mon: '17:00-08:30' is not a span" in refused(app, "roster", "hours", "mon",
                                                         "17:00-08:30")
    assert "KIND must be one of holiday, workday, closed" in refused(
        app, "roster", "day", "2026-12-31", "party")
    assert "no entry for 2026-12-30" in refused(app, "roster", "day", "2026-12-30", "--clear")
