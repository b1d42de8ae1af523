"""Booking, cancelling, weekly slots, hours, standby and the stations file, below the webhook."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.calendar import LOCAL
from bot.core.database import Database
from bot.core.errors import RefusalError
from bot.core.services import Services
from bot.volunteers.attendance import distance_metres, worked
from bot.volunteers.coverage import take_offer
from bot.volunteers.models import Shift, SlotCount, StandbyOffer, WeeklySlot, find_slot
from bot.volunteers.shifts import book_shift, book_weekly_shifts, cancel_shift, set_weekly
from bot.volunteers.stations import StationError, import_stations
from tests.volunteer_fixtures import book, stations_fixture, volunteer_fixture  # noqa: F401

TUESDAY = date(2026, 12, 1)
THREADS, EVENING = 12, 3  # room-2's evening slot takes 3 volunteers


def _race(count: int, attempt: Callable[[int], object]) -> tuple[list[object], list[str]]:
    """Run ATTEMPT(i) in COUNT threads released at the same instant; return wins and refusals."""
    barrier = threading.Barrier(count)
    wins: list[object] = []
    refusals: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            result = attempt(i)
        except RefusalError as refused:
            with lock:
                refusals.append(refused.zh)
        else:
            with lock:
                wins.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return wins, refusals


def test_concurrent_signups_never_overfill_a_slot(services: Services, stations, volunteer,
                                                  clock, database_url: str) -> None:
    clock("2026-11-30T10:00")
    people = [volunteer(f"o-v{i:02d}") for i in range(THREADS)]
    with services.db.session() as session:
        slot = find_slot(session, stations["room-2"], TUESDAY, EVENING)
    assert slot is not None and slot.capacity == 3
    started = time.perf_counter()
    wins, refusals = _race(THREADS, lambda i: book_shift(services.db, people[i], slot,
                                                         services.now()).id)
    elapsed = time.perf_counter() - started
    print(f"\n{database_url.split(':')[0]}: {len(wins)} booked, {len(refusals)} refused "
          f"in {elapsed * 1000:.0f} ms")
    assert len(wins) == slot.capacity
    assert refusals == ["这一班已经报满了，请换一个班次。"] * (THREADS - slot.capacity)
    with services.db.session() as session:
        assert session.scalar(select(SlotCount.booked)) == slot.capacity
        assert session.scalar(select(func.count(Shift.id)).where(
            Shift.status == "booked")) == slot.capacity


def test_the_first_of_many_standby_replies_takes_the_offer(services: Services, stations,
                                                           volunteer, clock) -> None:
    clock("2026-12-01T18:15")
    for i in range(6):
        volunteer(f"o-s{i}")
    with services.db.session() as session:
        offer = StandbyOffer(station_id=stations["room-1"], day=TUESDAY, number=EVENING,
                             ends_at=datetime(2026, 12, 1, 20, tzinfo=LOCAL))
        session.add(offer)
        session.commit()
    wins, refusals = _race(6, lambda i: take_offer(services.db, f"o-s{i}", offer.id,
                                                   services.now()))
    assert len(wins) == 1 and refusals == ["谢谢！这一班已经有人接了。"] * 5


def test_cancelling_gives_the_place_back_and_booking_again_reuses_the_row(
        services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me, other = volunteer("o-me"), volunteer("o-other")
    midday = book(services, me, stations["room-1"], TUESDAY, 2)  # capacity 1
    with pytest.raises(RefusalError, match="报满"):
        book(services, other, stations["room-1"], TUESDAY, 2)
    with pytest.raises(RefusalError, match="不是您的"):
        cancel_shift(services.db, other, midday, services.now())
    cancel_shift(services.db, me, midday, services.now())
    with pytest.raises(RefusalError, match="已经不在预约"):
        cancel_shift(services.db, me, midday, services.now())
    assert book(services, me, stations["room-1"], TUESDAY, 2) == midday  # the same row
    clock("2026-12-01T00:30")  # 10.5 hours before 11:00: past the 12-hour cut-off
    with pytest.raises(RefusalError, match="12小时内不能取消"):
        cancel_shift(services.db, me, midday, services.now())


def test_a_volunteer_cannot_hold_two_places_at_the_same_time(services: Services, stations,
                                                              volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-me")
    first = book(services, me, stations["room-1"], TUESDAY, 1)
    with pytest.raises(RefusalError, match=f"已经报名了这一班（#{first}）"):
        book(services, me, stations["room-1"], TUESDAY, 1)
    with pytest.raises(RefusalError, match=f"已经有排班 #{first}"):
        book(services, me, stations["room-2"], TUESDAY, 1)


def test_weekly_slots_are_booked_a_week_ahead_but_never_after_a_cancellation(
        services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-me")
    with services.db.session() as session:
        slot = find_slot(session, stations["room-1"], TUESDAY, 1)
    assert slot is not None
    set_weekly(services.db, me, slot)
    assert len(book_weekly_shifts(services.db, services.now())) == 1
    assert book_weekly_shifts(services.db, services.now()) == []  # once
    [tuesday] = [s for s in _shifts(services) if s.day == TUESDAY]
    cancel_shift(services.db, me, tuesday.id, services.now())
    clock("2026-12-02T10:00")  # the next Tuesday comes into the week ahead
    booked = book_weekly_shifts(services.db, services.now())
    assert [s.day for s in _shifts(services) if s.id in booked] == [date(2026, 12, 8)]
    assert {s.day: s.status for s in _shifts(services)}[TUESDAY] == "cancelled"
    with services.db.session() as session:
        assert session.scalar(select(WeeklySlot.is_active)) is True


def _shifts(services: Services) -> list[Shift]:
    with services.db.session() as session:
        return list(session.scalars(select(Shift).order_by(Shift.id)))


def test_hours_count_only_within_the_slot() -> None:
    start = datetime(2026, 11, 30, 7, tzinfo=LOCAL)
    shift = Shift(starts_at=start, ends_at=start + timedelta(hours=2),
                  checked_in_at=start - timedelta(minutes=10),
                  checked_out_at=start + timedelta(hours=2, minutes=30))
    assert worked(shift) == timedelta(hours=2)
    shift.checked_out_at = start + timedelta(minutes=50)
    assert worked(shift) == timedelta(minutes=50)
    assert worked(Shift(starts_at=start, ends_at=start, checked_in_at=None)) == timedelta(0)


def test_distances_on_the_ground() -> None:
    assert distance_metres(31.1925, 121.4563, 31.1925, 121.4563) == 0
    assert 495 < distance_metres(31.1925, 121.4563, 31.1970, 121.4563) < 505


@pytest.mark.parametrize(("change", "message"), [
    ({"code": "Room 1"}, "stations[0] 'Room 1': code must be"),
    ({"name": ""}, "field 'name' is required"),
    ({"staff": "nobody"}, "staff 'nobody' is not on the roster"),
    ({"latitude": None}, "give both latitude and longitude"),
    ({"slots": [{"time": "09:00-07:00", "capacity": 2}]}, "slots[0].time: '09:00-07:00'"),
    ({"slots": [{"time": "07:00-09:00", "capacity": 0}]}, "slots[0].capacity"),
])
def test_a_wrong_stations_file_names_the_entry_and_field(database_url: str, change,
                                                        message) -> None:
    raw = {"code": "room-1", "name": "1号", "latitude": 31.0, "longitude": 121.0,
           "slots": [{"time": "07:00-09:00", "capacity": 2}], **change}
    db = Database(database_url)  # no app needed: the import is plain records
    try:
        with db.session() as session, pytest.raises(StationError, match=re.escape(message)):
            import_stations(session, "c", {"stations": [raw]}, datetime.now(LOCAL))
    finally:
        db.dispose()


def test_a_closure_calls_off_booked_shifts_and_new_times_move_the_rest(
        services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    me = volunteer("o-me")
    morning = book(services, me, stations["room-2"], TUESDAY, 1)
    evening = book(services, me, stations["room-2"], TUESDAY, 3)
    data = {"stations": [{"code": "room-2", "name": "2号垃圾箱房", "slots": [
        {"time": "06:30-08:30", "capacity": 2}, {"time": "11:00-12:00", "capacity": 1},
        {"time": "18:00-20:00", "capacity": 3}]}],
        "exceptions": [{"station": "room-2", "day": TUESDAY, "slot": 3, "note": "检修"}]}
    with services.db.session() as session:
        imported = import_stations(session, "fenglin-sample", data, services.now())
        assert [(s.id, note) for s, note in imported.called_off] == [(evening, "检修")]
        session.commit()
    states = {s.id: (s.status, s.starts_at.astimezone(LOCAL).strftime("%H:%M"))
              for s in _shifts(services)}
    assert states == {morning: ("booked", "06:30"), evening: ("cancelled", "18:00")}
    with services.db.session() as session:
        assert find_slot(session, stations["room-2"], TUESDAY, 3) is None


def test_a_standby_takes_the_place_of_a_booked_volunteer_who_did_not_come(
        services: Services, stations, volunteer, clock) -> None:
    clock("2026-11-30T10:00")
    absent = book(services, volunteer("o-absent"), stations["room-1"], TUESDAY, 2)  # capacity 1
    volunteer("o-standby")
    clock("2026-12-01T11:15")
    with services.db.session() as session:
        offer = StandbyOffer(station_id=stations["room-1"], day=TUESDAY, number=2,
                             ends_at=datetime(2026, 12, 1, 12, tzinfo=LOCAL))
        session.add(offer)
        session.commit()
    shift, _ = take_offer(services.db, "o-standby", offer.id, services.now())
    states = {s.id: (s.status, s.source) for s in _shifts(services)}
    assert states == {absent: ("no_show", "self"), shift.id: ("booked", "standby")}
    with services.db.session() as session:
        assert session.scalar(select(SlotCount.booked)) == 1  # never over capacity
    clock("2026-12-01T12:00")
    with pytest.raises(RefusalError, match="已经结束"):
        take_offer(services.db, "o-standby", offer.id, services.now())
