"""Staff work tickets from WeChat; routing follows the roster; residents hear back and rate."""

from __future__ import annotations

from datetime import date

from bot.core.services import Services
from bot.staff.roster import DutyChange
from bot.tickets.opening import list_tickets
from tests.conftest import WeChat

REPORT = [("楼道灯坏了", "地点"), ("{building}号楼2单元", "电话"), ("13800001111", "工单号")]


def report(wechat: WeChat, building: str = "3", openid: str = "o-resident-1") -> str:
    """A resident reports a broken corridor light in BUILDING; return the last reply."""
    reply = ""
    for said, expected in REPORT:
        reply = wechat.say(said.format(building=building), openid=openid)
        assert expected in reply, reply
    return reply


def leave(services: Services, staff_id: int, day: date) -> None:
    with services.db.session() as session:
        session.add(DutyChange(staff_id=staff_id, day=day, status="leave"))
        session.commit()


def routed(services: Services) -> tuple[int | None, str]:
    ticket = list_tickets(services.db)[-1]
    reason = next(e.note for e in ticket.events if e.kind in ("assigned", "unassigned"))
    return ticket.assignee_id, reason


def test_the_building_owner_gets_it_when_they_hold_the_line(wechat, services, roster,
                                                             clock) -> None:
    clock("2026-11-30T10:00")  # Monday, open
    report(wechat, building="3")  # building 3 is 示例·周's, who is property-repair A
    assert routed(services) == (roster["示例·周"], "3号楼负责人示例·周")


def test_otherwise_the_a_role_of_the_line(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    report(wechat, building="5")  # 示例·吴 owns 5 but has no role in repairs
    assert routed(services) == (roster["示例·周"], "条线A角示例·周")


def test_the_b_role_when_the_a_role_is_away(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    leave(services, roster["示例·周"], date(2026, 11, 30))
    report(wechat, building="5")
    assert routed(services) == (roster["示例·冯"], "A角示例·周请假，由B角示例·冯处理")


def test_the_front_desk_when_a_and_b_are_both_away(wechat, services, roster, clock) -> None:
    clock("2026-11-30T10:00")
    leave(services, roster["示例·周"], date(2026, 11, 30))
    leave(services, roster["示例·冯"], date(2026, 11, 30))
    report(wechat, building="5")
    staff_id, reason = routed(services)
    assert staff_id == roster["示例·林主任"] and "前台值班示例·林主任" in reason


def test_after_hours_it_waits_for_the_next_opening_and_says_when(wechat, services, roster,
                                                                 clock) -> None:
    clock("2026-11-28T15:00")  # Saturday after the morning off-peak hours
    reply = report(wechat, building="5")
    assert "非办公时间" in reply and "周一 11-30 08:30" in reply
    staff_id, reason = routed(services)
    assert staff_id == roster["示例·周"] and "11-30 08:30开门后处理" in reason


def test_a_public_holiday_waits_for_the_first_working_day(wechat, services, roster,
                                                          clock) -> None:
    clock("2026-10-01T10:00")  # National Day
    reply = report(wechat, building="5")
    assert "周四 10-08 08:30" in reply
    ticket = list_tickets(services.db)[-1]
    assert ticket.due_at is not None


def test_a_make_up_working_day_is_open_with_weekday_hours(wechat, services, roster,
                                                          clock) -> None:
    clock("2026-10-10T10:00")  # a Saturday made a working day (调休)
    reply = report(wechat, building="5")
    assert "非办公时间" not in reply
    assert routed(services)[0] == roster["示例·周"]


def test_time_limits_count_working_days_over_holidays(wechat, services, roster, clock) -> None:
    clock("2026-09-30T10:00")  # Wednesday before the National Day week
    wechat.say("楼道灯坏了")
    wechat.say("5号楼")
    wechat.say("13800001111")
    ticket = list_tickets(services.db)[-1]
    assert ticket.due_at is not None
    # Facility repairs have 3 working days: Oct 8, 9 and the make-up Saturday Oct 10.
    assert ticket.due_at.date().isoformat() == "2026-10-10"


def test_residents_asking_who_is_on_duty_get_todays_roster(wechat, roster, clock) -> None:
    clock("2026-11-30T10:00")  # Monday: 示例·林主任 and 示例·郑 keep the desk
    reply = wechat.say("今天居委会谁值班啊")
    assert "前台值班" in reply and "示例·林主任" in reply and "08:30-17:00" in reply
    english = wechat.say("who is on duty today?")
    assert "Front desk" in english and "示例·郑" in english
