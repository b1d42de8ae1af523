"""Volunteer shifts: never past a slot's capacity, cancelling up to the cut-off, weekly slots.

The stations are the sample file's (tests.volunteer_fixtures.SAMPLE): room-1 takes 2 in the
morning (07:00-09:00), 1 at midday (11:00-12:00) and 2 in the evening (18:00-20:00), 4 on New
Year's Eve; room-2 takes 2, 1 and 3, and is closed on 1 January 2027. Times are Shanghai's.
Each test has its own SQLite file: no Redis, no app.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event, select

import bot.schema
from bot.core.calendar import LOCAL
from bot.core.database import Database
from bot.core.errors import RefusalError
from bot.staff.roster import Staff
from bot.volunteers.models import Shift, Slot, SlotCount, Volunteer, find_slot, station_by_code
from bot.volunteers.shifts import (
    CANCEL_CUTOFF_HOURS,
    book_shift,
    book_weekly_shifts,
    cancel_shift,
    open_slots,
    release_future_shifts,
    set_weekly,
)
from bot.volunteers.stations import import_stations
from tests.volunteer_fixtures import SAMPLE

COMMITTEE = "c-rules"
TUESDAY = date(2026, 12, 1)
MORNING, MIDDAY, EVENING = 1, 2, 3


def at(text: str) -> datetime:
    """A Shanghai time, written '2026-11-30T10:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


MONDAY_MORNING = at("2026-11-30T10:00")


@pytest.fixture(name="template", scope="module")
def template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the sample stations and their staff, made once."""
    path = tmp_path_factory.mktemp("stations") / "template.db"
    db = Database(f"sqlite:///{path}")
    bot.schema.METADATA.create_all(db.engine)
    with db.session() as session:
        session.add_all([Staff(committee=COMMITTEE, name="示例·冯"),
                         Staff(committee=COMMITTEE, name="示例·周")])
        session.flush()
        import_stations(session, COMMITTEE, yaml.safe_load(SAMPLE.read_text(encoding="utf-8")),
                        MONDAY_MORNING)
        session.commit()
    db.dispose()
    return path


@pytest.fixture(name="db")
def db_fixture(template: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the template for this test alone."""
    path = tmp_path / "shifts.db"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    event.listen(db.engine, "connect",  # a scratch file: no need to wait for the disk
                 lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    yield db
    db.dispose()


def volunteer(db: Database, openid: str, status: str = "active") -> int:
    """Add a volunteer (active unless said); return their id."""
    with db.session() as session:
        person = Volunteer(committee=COMMITTEE, openid=openid, name=f"志愿者{openid}",
                           status=status, consent_at=MONDAY_MORNING)
        session.add(person)
        session.commit()
        return person.id


def slot(db: Database, station: str, day: date, number: int) -> Slot:
    with db.session() as session:
        found = find_slot(session, station_id(db, station), day, number)
    assert found is not None, (station, day, number)
    return found


def station_id(db: Database, code: str) -> int:
    with db.session() as session:
        station = station_by_code(session, COMMITTEE, code)
        assert station is not None
        return station.id


def status_of(db: Database, shift_id: int) -> str:
    with db.session() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        return shift.status


def booked_in(db: Database, place: Slot) -> int:
    """How many places of PLACE are taken, as the counter and the shifts both say."""
    with db.session() as session:
        counted = session.scalar(select(SlotCount.booked).where(
            SlotCount.station_id == place.station_id, SlotCount.day == place.day,
            SlotCount.number == place.number))
        shifts = session.scalars(select(Shift.id).where(
            Shift.station_id == place.station_id, Shift.day == place.day,
            Shift.number == place.number, Shift.status == "booked")).all()
    assert (counted or 0) == len(shifts)  # no counter yet: nobody booked
    return len(shifts)


def refusal(attempt: Callable[[], object]) -> str:
    """Return the Chinese refusal ATTEMPT meets."""
    with pytest.raises(RefusalError) as caught:
        attempt()
    return caught.value.zh


FULL = "这一班已经报满了，请换一个班次。"


# --- never past capacity ------------------------------------------------------------------------

@pytest.mark.parametrize(("station", "day", "number", "capacity", "now"), [
    pytest.param("room-1", TUESDAY, MORNING, 2, MONDAY_MORNING, id="room-1 morning takes 2"),
    pytest.param("room-1", TUESDAY, MIDDAY, 1, MONDAY_MORNING, id="room-1 midday takes 1"),
    pytest.param("room-2", TUESDAY, EVENING, 3, MONDAY_MORNING, id="room-2 evening takes 3"),
    pytest.param("room-1", date(2026, 12, 31), EVENING, 4, at("2026-12-30T10:00"),
                 id="room-1 on New Year's Eve takes 4"),
])
def test_a_slot_takes_its_capacity_and_refuses_the_next(db: Database, station: str, day: date,
                                                        number: int, capacity: int,
                                                        now: datetime) -> None:
    place = slot(db, station, day, number)
    people = [volunteer(db, f"o-v{i}") for i in range(capacity + 2)]
    for person in people[:capacity]:
        book_shift(db, person, place, now)
    for person in people[capacity:]:
        assert refusal(lambda p=person: book_shift(db, p, place, now)) == FULL
    assert booked_in(db, place) == capacity
    with db.session() as session:  # and the full slot is no longer offered
        offered = {s.key for s, _ in open_slots(session, COMMITTEE, people[-1], now)}
    assert place.key not in offered


def test_a_closed_day_has_no_slots_to_book(db: Database) -> None:
    with db.session() as session:
        assert find_slot(session, station_id(db, "room-2"), date(2027, 1, 1), MORNING) is None
        assert find_slot(session, station_id(db, "room-1"), date(2027, 1, 1), MORNING) is not None


def test_the_list_shows_places_left_and_not_what_the_volunteer_holds(db: Database) -> None:
    me, other = volunteer(db, "o-me"), volunteer(db, "o-other")
    morning = slot(db, "room-1", TUESDAY, MORNING)
    book_shift(db, other, morning, MONDAY_MORNING)
    with db.session() as session:
        mine = dict(open_slots(session, COMMITTEE, me, MONDAY_MORNING))
        theirs = dict(open_slots(session, COMMITTEE, other, MONDAY_MORNING))
    assert mine[morning] == 1  # one of two left
    assert morning not in theirs  # already theirs
    today = slot(db, "room-1", MONDAY_MORNING.date(), MORNING)  # 07:00 today: over
    assert today not in mine and slot(db, "room-1", MONDAY_MORNING.date(), MIDDAY) in mine


def test_a_cancelled_place_can_be_taken_again(db: Database) -> None:
    me, other = volunteer(db, "o-me"), volunteer(db, "o-other")
    midday = slot(db, "room-1", TUESDAY, MIDDAY)
    mine = book_shift(db, me, midday, MONDAY_MORNING).id
    assert refusal(lambda: book_shift(db, other, midday, MONDAY_MORNING)) == FULL
    cancel_shift(db, me, mine, MONDAY_MORNING)
    book_shift(db, other, midday, MONDAY_MORNING)
    assert booked_in(db, midday) == 1
    assert refusal(lambda: book_shift(db, me, midday, MONDAY_MORNING)) == FULL


# --- who may book what --------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "number", "now", "source", "says"), [
    pytest.param("active", MIDDAY, at("2026-12-01T11:00"), "self",
                 "这一班已经开始或结束了，不能再报名。", id="the slot has started"),
    pytest.param("active", MIDDAY, at("2026-12-01T12:30"), "walk_in",
                 "这一班已经开始或结束了，不能再报名。", id="walking in after it ended"),
    pytest.param("paused", MIDDAY, MONDAY_MORNING, "self", "您的志愿者身份目前已暂停",
                 id="a paused volunteer"),
    pytest.param("pending", MIDDAY, MONDAY_MORNING, "self", "您还不是志愿者",
                 id="a volunteer not yet approved"),
    pytest.param("removed", MIDDAY, MONDAY_MORNING, "self", "您还不是志愿者",
                 id="a volunteer who quit"),
])
def test_booking_is_refused(db: Database, status: str, number: int, now: datetime,
                            source: str, says: str) -> None:
    person = volunteer(db, "o-me", status)
    place = slot(db, "room-1", TUESDAY, number)
    assert refusal(lambda: book_shift(db, person, place, now, source=source)).startswith(says)
    assert booked_in(db, place) == 0


def test_walking_in_to_a_slot_under_way_is_allowed(db: Database) -> None:
    person = volunteer(db, "o-me")
    place = slot(db, "room-1", TUESDAY, MIDDAY)
    shift = book_shift(db, person, place, at("2026-12-01T11:20"), source="walk_in")
    assert status_of(db, shift.id) == "booked" and booked_in(db, place) == 1


@pytest.mark.parametrize(("station", "number", "says"), [
    pytest.param("room-1", MORNING, "您已经报名了这一班（#{id}）。", id="the same slot twice"),
    pytest.param("room-2", MORNING, "这个时间您已经有排班 #{id} 了。",
                 id="another room at the same time"),
])
def test_one_volunteer_holds_one_place_at_a_time(db: Database, station: str, number: int,
                                                 says: str) -> None:
    me = volunteer(db, "o-me")
    first = book_shift(db, me, slot(db, "room-1", TUESDAY, MORNING), MONDAY_MORNING).id
    other = slot(db, station, TUESDAY, number)
    assert refusal(lambda: book_shift(db, me, other, MONDAY_MORNING)) == says.format(id=first)
    assert booked_in(db, slot(db, "room-1", TUESDAY, MORNING)) == 1


# --- the cancellation cut-off -------------------------------------------------------------------

@pytest.mark.parametrize(("now", "cancelled"), [
    pytest.param(MONDAY_MORNING, True, id="the day before"),
    pytest.param(at("2026-11-30T22:59"), True, id="12 hours and a minute before"),
    pytest.param(at("2026-11-30T23:00"), True, id="exactly 12 hours before"),
    pytest.param(at("2026-11-30T23:01"), False, id="a minute inside the cut-off"),
    pytest.param(at("2026-12-01T10:30"), False, id="half an hour before"),
])
def test_cancelling_up_to_the_cut_off(db: Database, now: datetime, cancelled: bool) -> None:
    me, other = volunteer(db, "o-me"), volunteer(db, "o-other")
    midday = slot(db, "room-1", TUESDAY, MIDDAY)  # 11:00, one place
    shift = book_shift(db, me, midday, MONDAY_MORNING).id
    if cancelled:
        cancel_shift(db, me, shift, now)
        assert status_of(db, shift) == "cancelled" and booked_in(db, midday) == 0
    else:
        says = refusal(lambda: cancel_shift(db, me, shift, now))
        assert says.startswith(f"开班前{CANCEL_CUTOFF_HOURS}小时内不能取消了")
        assert "联系居委会" in says  # told what to do instead
        assert status_of(db, shift) == "booked"
        assert refusal(lambda: book_shift(db, other, midday, now)) == FULL  # still taken


@pytest.mark.parametrize(("who", "which", "says"), [
    pytest.param("o-other", "mine", "排班 #{id} 不是您的，不能操作。", id="someone else's"),
    pytest.param("o-me", "cancelled", "排班 #{id} 已经不在预约状态了。", id="twice"),
    pytest.param("o-me", "missing", "没有找到排班 #{id}。", id="no such shift"),
])
def test_cancelling_is_refused(db: Database, who: str, which: str, says: str) -> None:
    me, other = volunteer(db, "o-me"), volunteer(db, "o-other")
    morning = slot(db, "room-1", TUESDAY, MORNING)
    mine = book_shift(db, me, morning, MONDAY_MORNING).id
    shift_id = {"mine": mine, "cancelled": mine, "missing": 999}[which]
    if which == "cancelled":
        cancel_shift(db, me, mine, MONDAY_MORNING)
    actor = me if who == "o-me" else other
    assert refusal(lambda: cancel_shift(db, actor, shift_id, MONDAY_MORNING)) == \
        says.format(id=shift_id)
    assert booked_in(db, morning) == (0 if which == "cancelled" else 1)


def test_a_pause_gives_back_every_place_not_yet_started(db: Database) -> None:
    me = volunteer(db, "o-me")
    now = at("2026-12-01T07:30")  # the morning shift is under way
    under_way = book_shift(db, me, slot(db, "room-1", TUESDAY, MORNING), MONDAY_MORNING).id
    evening = slot(db, "room-1", TUESDAY, EVENING)
    later = book_shift(db, me, evening, MONDAY_MORNING).id
    with db.session() as session:
        released = release_future_shifts(session, me, now)
        session.commit()
    assert [s.id for s in released] == [later]
    assert status_of(db, under_way) == "booked" and status_of(db, later) == "cancelled"
    assert booked_in(db, evening) == 0


# --- weekly slots -------------------------------------------------------------------------------

def weekly(db: Database, person: int, day: date = TUESDAY, number: int = MORNING) -> None:
    set_weekly(db, person, slot(db, "room-1", day, number))


def days_booked(db: Database, ids: list[int]) -> list[date]:
    with db.session() as session:
        return sorted(s.day for s in session.scalars(select(Shift).where(Shift.id.in_(ids))))


@pytest.mark.parametrize(("now", "days"), [
    pytest.param(MONDAY_MORNING, [TUESDAY], id="the coming Tuesday"),
    pytest.param(at("2026-11-30T18:59"), [TUESDAY], id="just before the cut-off"),
    pytest.param(at("2026-11-30T20:00"), [],
                 id="inside the cut-off: never booked where it cannot be cancelled"),
    pytest.param(at("2026-12-02T10:00"), [date(2026, 12, 8)], id="the Tuesday after"),
])
def test_a_weekly_slot_is_booked_for_the_week_ahead(db: Database, now: datetime,
                                                    days: list[date]) -> None:
    me = volunteer(db, "o-me")
    weekly(db, me)
    assert days_booked(db, book_weekly_shifts(db, now)) == days
    assert book_weekly_shifts(db, now) == []  # once only


def test_a_weekly_slot_set_twice_is_one_commitment(db: Database) -> None:
    me = volunteer(db, "o-me")
    weekly(db, me)
    weekly(db, me)
    assert days_booked(db, book_weekly_shifts(db, MONDAY_MORNING)) == [TUESDAY]


def test_a_cancelled_week_is_not_booked_again(db: Database) -> None:
    me = volunteer(db, "o-me")
    weekly(db, me)
    [shift] = book_weekly_shifts(db, MONDAY_MORNING)
    cancel_shift(db, me, shift, MONDAY_MORNING)
    assert book_weekly_shifts(db, at("2026-11-30T12:00")) == []
    assert status_of(db, shift) == "cancelled"


def test_a_full_week_is_skipped_and_taken_when_a_place_frees(db: Database) -> None:
    me, other = volunteer(db, "o-me"), volunteer(db, "o-other")
    midday = slot(db, "room-1", TUESDAY, MIDDAY)  # one place
    theirs = book_shift(db, other, midday, MONDAY_MORNING).id
    weekly(db, me, number=MIDDAY)
    assert book_weekly_shifts(db, MONDAY_MORNING) == []  # full: no error, no place
    cancel_shift(db, other, theirs, MONDAY_MORNING)
    assert days_booked(db, book_weekly_shifts(db, at("2026-11-30T11:00"))) == [TUESDAY]
    assert booked_in(db, midday) == 1


@pytest.mark.parametrize("status", ["paused", "removed"])
def test_weekly_slots_of_a_volunteer_not_active_are_not_booked(db: Database,
                                                               status: str) -> None:
    me = volunteer(db, "o-me")
    weekly(db, me)
    with db.session() as session:
        person = session.get(Volunteer, me)
        assert person is not None
        person.status = status
        session.commit()
    assert book_weekly_shifts(db, MONDAY_MORNING) == []
