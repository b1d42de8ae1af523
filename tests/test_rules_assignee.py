"""Who gets a new ticket: the building's owner, the line's A role, its B role, the front desk.

Each row reads: a ticket in this line (and maybe building), who is where today (at the desk,
out visiting, off, on leave), and who gets it, with the reason staff read in its history.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import bot.schema
from bot.core.calendar import LOCAL
from bot.staff.roster import DutyChange, DutyPattern, Staff, StaffBuilding, StaffLine
from bot.tickets.assign import Routed, director_of, recipients_for, route_ticket
from bot.tickets.models import Status, Ticket
from bot.tickets.routing import choose_assignee, describe_time, find_building

COMMITTEE, REPAIRS, HOTLINE = "c-rules", "物业报修", "热线"
IDS = {"周": 1, "冯": 2, "吴": 3, "林主任": 4, "郑": 5}


def roster() -> list[Staff]:
    """周: repairs A, building 3; 冯: repairs B, building 7; 吴: no repairs, building 5;
    林主任: the director; 郑: a clerk. The hotline has a B role (郑) but no A role."""
    def person(name: str, lines: dict[str, str], buildings: tuple[str, ...] = (),
               director: bool = False) -> Staff:
        return Staff(id=IDS[name], committee=COMMITTEE, name=name, openid=f"o-{IDS[name]}",
                     is_director=director,
                     lines=[StaffLine(line=k, role=v) for k, v in lines.items()],
                     buildings=[StaffBuilding(committee=COMMITTEE, building=b)
                                for b in buildings])
    return [person("周", {REPAIRS: "A"}, ("3",)), person("冯", {REPAIRS: "B"}, ("7",)),
            person("吴", {"民政": "A"}, ("5",)), person("林主任", {}, director=True),
            person("郑", {HOTLINE: "B"})]


def on_duty(**where: str) -> dict[int, str]:
    """Today's duty: everyone named is where said; the rest are not on the list (off)."""
    return {IDS[name]: status for name, status in where.items()}


EVERYONE_IN = on_duty(周="desk", 冯="visiting", 吴="visiting", 林主任="desk", 郑="visiting")


@pytest.mark.parametrize(("line", "building", "duty", "who", "reason"), [
    pytest.param(REPAIRS, "3", EVERYONE_IN, "周", "3号楼负责人周",
                 id="the owner of building 3 holds the line"),
    pytest.param(REPAIRS, "7", EVERYONE_IN, "冯", "7号楼负责人冯",
                 id="the owner covering the line (B) still takes their building's"),
    pytest.param(REPAIRS, "5", EVERYONE_IN, "周", "条线A角周",
                 id="the owner of 5 has no role in repairs: the A role"),
    pytest.param(REPAIRS, "99", EVERYONE_IN, "周", "条线A角周",
                 id="a building nobody looks after: the A role"),
    pytest.param(REPAIRS, None, EVERYONE_IN, "周", "条线A角周", id="no building said"),
    pytest.param(REPAIRS, "7", {**EVERYONE_IN, 2: "leave"}, "周", "条线A角周",
                 id="the owner on leave: the A role"),
    pytest.param(REPAIRS, "3", on_duty(周="visiting"), "周", "3号楼负责人周",
                 id="out visiting households counts as reachable"),
    pytest.param(REPAIRS, None, on_duty(周="leave", 冯="visiting"), "冯",
                 "A角周请假，由B角冯处理", id="the A role on leave: the B role"),
    pytest.param(REPAIRS, "3", on_duty(冯="desk"), "冯", "A角周休息，由B角冯处理",
                 id="the A role (and owner) off: the B role"),
    pytest.param(REPAIRS, None, on_duty(周="leave", 冯="off", 郑="desk", 林主任="visiting"), "郑",
                 "A角周请假，B角不在，由前台值班郑处理", id="A and B away: whoever keeps the desk"),
    pytest.param(REPAIRS, None, on_duty(周="leave", 冯="leave", 林主任="desk"), "林主任",
                 "A角周请假，B角不在，由前台值班林主任处理", id="the director keeping the desk"),
    pytest.param(REPAIRS, None, on_duty(周="leave", 冯="leave", 吴="visiting", 郑="visiting"),
                 None, "A角周请假，B角和前台都无人，待主任分派",
                 id="nobody at the desk: it waits for the director"),
    pytest.param(HOTLINE, None, EVERYONE_IN, "郑", "条线无A角，由B角郑处理",
                 id="a line with no A role: its B role"),
    pytest.param("无人条线", None, on_duty(吴="desk"), "吴", "条线无A角，B角不在，由前台值班吴处理",
                 id="a line nobody holds: the desk"),
    pytest.param("无人条线", None, {}, None, "条线无A角，B角和前台都无人，待主任分派",
                 id="a line nobody holds, everyone off"),
])
def test_choosing_who_gets_a_new_ticket(line: str, building: str | None, duty: dict[int, str],
                                        who: str | None, reason: str) -> None:
    assignment = choose_assignee(roster(), duty, line, building)
    assert (assignment.staff_id, assignment.reason) == (IDS[who] if who else None, reason)


@pytest.mark.parametrize(("texts", "building"), [
    (("5号楼2单元",), "5"), (("12 号",), "12"), (("3幢101",), "3"), (("8栋",), "8"),
    (("Building 12, room 301",), "12"), (("bldg. 4",), "4"), (("block 9",), "9"),
    (("楼道灯坏了", "7号楼"), "7"), (("楼道灯坏了",), None), (("",), None),
])
def test_finding_the_building_a_resident_mentions(texts: tuple[str, ...],
                                                  building: str | None) -> None:
    assert find_building(*texts) == building


@pytest.mark.parametrize(("lang", "shown"), [("zh", "周一 11-30 08:30"),
                                              ("en", "Mon 11-30 08:30")])
def test_times_are_told_in_shanghai_time(lang: str, shown: str) -> None:
    assert describe_time(datetime.fromisoformat("2026-11-30T00:30+00:00"), lang) == shown


# --- who hears of a new ticket ------------------------------------------------------------------

def _person(openid: str | None, director: bool = False) -> Staff:
    return Staff(name="x", committee=COMMITTEE, openid=openid, is_director=director)


ASSIGNEE, DIRECTOR, UNBOUND = _person("o-zhou"), _person("o-lin", True), _person(None)
FALLBACK = ("o-line-contact",)


@pytest.mark.parametrize(("assignee", "director", "urgent", "told"), [
    pytest.param(ASSIGNEE, DIRECTOR, False, ["o-zhou"], id="the assignee alone"),
    pytest.param(ASSIGNEE, DIRECTOR, True, ["o-zhou", "o-lin"], id="urgent: the director too"),
    pytest.param(DIRECTOR, DIRECTOR, True, ["o-lin"], id="urgent, the director's own: once"),
    pytest.param(ASSIGNEE, None, True, ["o-zhou"], id="urgent, no director on record"),
    pytest.param(None, DIRECTOR, True, ["o-lin"], id="urgent, nobody could take it"),
    pytest.param(None, DIRECTOR, False, list(FALLBACK), id="nobody: the line's contacts"),
    pytest.param(UNBOUND, DIRECTOR, False, list(FALLBACK),
                 id="an assignee not yet bound to WeChat: the line's contacts"),
    pytest.param(UNBOUND, UNBOUND, True, list(FALLBACK), id="urgent, nobody bound"),
])
def test_who_hears_of_a_new_ticket(assignee: Staff | None, director: Staff | None,
                                   urgent: bool, told: list[str]) -> None:
    assert recipients_for(assignee, director, urgent, FALLBACK) == told


# --- routing inside the transaction, from the roster on record ----------------------------------

MONDAY, SATURDAY, SUNDAY = 0, 5, 6


@pytest.fixture(name="db")
def db_fixture() -> Iterator[Session]:
    """The roster on record: 周 keeps Monday's desk; 冯 works Saturdays; nobody on Sunday."""
    engine = create_engine("sqlite://")
    bot.schema.METADATA.create_all(engine)
    with Session(engine) as session:
        session.add_all(roster())
        session.flush()  # the staff first: their duty refers to them
        session.add_all([DutyPattern(staff_id=IDS["周"], weekday=MONDAY, status="desk"),
                         DutyPattern(staff_id=IDS["冯"], weekday=MONDAY, status="visiting"),
                         DutyPattern(staff_id=IDS["冯"], weekday=SATURDAY, status="desk")])
        session.commit()
        yield session
    engine.dispose()


def raise_ticket(session: Session, now: str, urgent: bool = False,
                 days: int = 3) -> tuple[Ticket, Routed]:
    ticket = Ticket(committee=COMMITTEE, kind="handoff", line=REPAIRS, resident_openid="o-r",
                    request_text="楼道灯坏了", source_key=f"k-{now}", is_urgent=urgent,
                    details={})
    session.add(ticket)
    routed = Routed()
    route_ticket(session, ticket, datetime.fromisoformat(now).replace(tzinfo=LOCAL), days,
                 routed)
    session.flush()
    return ticket, routed


@pytest.mark.parametrize(("now", "urgent", "who", "reason", "due"), [
    pytest.param("2026-11-30T10:00", False, "周", "条线A角周", "2026-12-03T17:00",
                 id="Monday, open: the A role, three working days"),
    pytest.param("2026-11-28T15:00", False, "周",
                 "条线A角周；非办公时间，11-30 08:30开门后处理", "2026-12-03T17:00",
                 id="Saturday: routed by Monday's roster, counted from the opening"),
    pytest.param("2026-11-28T15:00", True, "冯", "A角周休息，由B角冯处理", "2026-11-28T15:00",
                 id="urgent on Saturday: whoever works today, due at once"),
    pytest.param("2026-11-29T15:00", True, None, "A角周休息，B角和前台都无人，待主任分派",
                 "2026-11-29T15:00", id="urgent on a Sunday nobody works: for the director"),
    pytest.param("2026-09-30T18:00", False, None,
                 "A角周休息，B角和前台都无人，待主任分派；非办公时间，10-08 08:30开门后处理",
                 "2026-10-12T17:00", id="after hours before National Day: Thursday's roster"),
])
def test_routing_a_new_ticket_by_the_roster(db: Session, now: str, urgent: bool,
                                            who: str | None, reason: str, due: str) -> None:
    ticket, routed = raise_ticket(db, now, urgent)
    assert ticket.assignee_id == (IDS[who] if who else None)
    assert ticket.status == (Status.ASSIGNED if who else Status.NEW)
    assert [(e.kind, e.note) for e in ticket.events] == [
        ("assigned" if who else "unassigned", reason)]
    assert ticket.due_at == datetime.fromisoformat(due).replace(tzinfo=LOCAL)
    assert routed.is_open_now is ("非办公时间" not in reason)
    assert (routed.assignee.name if routed.assignee else None) == who


def test_a_dated_leave_overrides_the_weekly_roster(db: Session) -> None:
    db.add(DutyChange(staff_id=IDS["周"], day=datetime(2026, 11, 30).date(), status="leave"))
    db.flush()
    ticket, _ = raise_ticket(db, "2026-11-30T10:00")
    assert ticket.assignee_id == IDS["冯"]
    assert ticket.events[0].note == "A角周请假，由B角冯处理"


def test_staff_who_left_are_never_chosen(db: Session) -> None:
    zhou = db.get(Staff, IDS["周"])
    assert zhou is not None
    zhou.is_active = False
    db.flush()
    ticket, _ = raise_ticket(db, "2026-11-30T10:00")
    assert ticket.assignee_id == IDS["冯"]
    assert ticket.events[0].note == "条线无A角，由B角冯处理"


@pytest.mark.parametrize(("director_active", "found"), [
    pytest.param(True, "林主任", id="the director on record"),
    pytest.param(False, None, id="a director who left is nobody's director"),
])
def test_the_committees_director(db: Session, director_active: bool, found: str | None) -> None:
    db.add(Staff(committee="c-other", name="别的主任", is_director=True))
    director = db.get(Staff, IDS["林主任"])
    assert director is not None
    director.is_active = director_active
    db.flush()
    person = director_of(db, COMMITTEE)
    assert (person.name if person else None) == found
