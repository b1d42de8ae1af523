"""Booking volunteer shifts: never past a slot's capacity, cancelling to a cut-off, weekly slots."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from bot.core.database import Database
from bot.core.errors import RefusalError
from bot.volunteers.models import (
    Shift,
    Slot,
    SlotCount,
    Volunteer,
    WeeklySlot,
    active_stations,
    find_slot,
    local_day,
    slots_on,
)
from bot.volunteers.texts import refusal

CANCEL_CUTOFF_HOURS = 12
"""A shift can be cancelled until this many hours before it starts; later, staff must be told."""
CANCEL_CUTOFF = timedelta(hours=CANCEL_CUTOFF_HOURS)
LIST_DAYS = 7
"""Volunteers see and are booked into slots this many days ahead."""


def changed(result: Result[Any]) -> int:
    """Return how many rows an UPDATE changed."""
    return cast(CursorResult[Any], result).rowcount


def require_volunteer(session: DbSession, openid: str, allow_paused: bool = False) -> Volunteer:
    """Return the active volunteer writing, or refuse (paused ones are told why)."""
    volunteer = session.scalar(select(Volunteer).where(Volunteer.openid == openid))
    if volunteer is not None and volunteer.status == "paused" and allow_paused:
        return volunteer
    if volunteer is not None and volunteer.status == "paused":
        raise refusal("paused")
    if volunteer is None or volunteer.status != "active":
        # Roles are cached for minutes; the records have the last word.
        raise refusal("not_yet")
    return volunteer


def ensure_count(db: Database, slot: Slot) -> None:
    """Create the slot's counter row if it is missing; a concurrent creator is no error."""
    station_id, day, number = slot.key
    with db.session() as session:
        if session.scalar(select(SlotCount.id).where(
                SlotCount.station_id == station_id, SlotCount.day == day,
                SlotCount.number == number)) is not None:
            return
        session.add(SlotCount(station_id=station_id, day=day, number=number, booked=0))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # another booking created it first: the unique key held


def take_place(session: DbSession, slot: Slot) -> bool:
    """Count one more volunteer in SLOT if it has room: one conditional UPDATE, so never over."""
    station_id, day, number = slot.key
    result = session.execute(
        update(SlotCount)
        .where(SlotCount.station_id == station_id, SlotCount.day == day,
               SlotCount.number == number, SlotCount.booked < slot.capacity)
        .values(booked=SlotCount.booked + 1))
    return changed(result) == 1


def release_place(session: DbSession, shift: Shift) -> None:
    """Give a cancelled shift's place back to its slot."""
    session.execute(
        update(SlotCount)
        .where(SlotCount.station_id == shift.station_id, SlotCount.day == shift.day,
               SlotCount.number == shift.number, SlotCount.booked > 0)
        .values(booked=SlotCount.booked - 1))


def shift_in(session: DbSession, volunteer_id: int, slot: Slot) -> Shift | None:
    """Return the volunteer's row for SLOT, whatever its status."""
    station_id, day, number = slot.key
    return session.scalar(select(Shift).where(
        Shift.volunteer_id == volunteer_id, Shift.station_id == station_id, Shift.day == day,
        Shift.number == number))


def place_shift(session: DbSession, volunteer_id: int, slot: Slot, existing: Shift | None,
                now: datetime, source: str) -> Shift:
    """Write the volunteer's shift in SLOT (reusing a cancelled row); the caller holds a place."""
    values: dict[str, Any] = {
        "status": "booked", "source": source, "booked_at": now, "cancelled_at": None,
        "starts_at": slot.starts_at, "ends_at": slot.ends_at, "checked_in_at": None,
        "checked_out_at": None, "reminded_eve_at": None, "reminded_soon_at": None}
    if existing is None:
        station_id, day, number = slot.key
        shift = Shift(volunteer_id=volunteer_id, station_id=station_id, day=day, number=number,
                      **values)
        session.add(shift)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()  # the same volunteer booked it twice at once; one stands
            other = shift_in(session, volunteer_id, slot)
            raise refusal("already_booked", id=other.id if other else "") from None
        return shift
    # Conditional, so two revivals of one cancelled row cannot both count a place.
    if changed(session.execute(update(Shift).where(
            Shift.id == existing.id, Shift.status != "booked").values(**values))) != 1:
        session.rollback()
        raise refusal("already_booked", id=existing.id)
    return existing


def _check_free(session: DbSession, volunteer_id: int, slot: Slot,
                existing: Shift | None) -> None:
    if existing is not None and existing.status == "booked":
        raise refusal("already_booked", id=existing.id)
    clash = session.scalar(select(Shift.id).where(
        Shift.volunteer_id == volunteer_id, Shift.status == "booked",
        Shift.starts_at < slot.ends_at, Shift.ends_at > slot.starts_at).limit(1))
    if clash is not None:
        raise refusal("clash", id=clash)


def book_shift(db: Database, volunteer_id: int, slot: Slot, now: datetime,
               source: str = "self") -> Shift:
    """Book VOLUNTEER into SLOT, or refuse: full, over, paused, already booked, a clash."""
    if slot.ends_at <= now or (source != "walk_in" and slot.starts_at <= now):
        raise refusal("slot_over")
    ensure_count(db, slot)
    with db.session() as session:
        volunteer = session.get(Volunteer, volunteer_id)
        if volunteer is None or volunteer.status != "active":
            raise refusal("paused" if volunteer and volunteer.status == "paused" else "not_yet")
        existing = shift_in(session, volunteer_id, slot)
        _check_free(session, volunteer_id, slot, existing)
        # The counter is the first write: SQLite takes its write lock here, with nothing stale
        # read inside the transaction, and PostgreSQL re-checks `booked` after any wait.
        if not take_place(session, slot):
            session.rollback()
            raise refusal("slot_full")
        shift = place_shift(session, volunteer_id, slot, existing, now, source)
        session.commit()
        return shift


def cancel_shift(db: Database, volunteer_id: int, shift_id: int, now: datetime) -> Shift:
    """Cancel one of the volunteer's own shifts, up to CANCEL_CUTOFF before it starts."""
    with db.session() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            raise refusal("no_shift", id=shift_id)
        if shift.volunteer_id != volunteer_id:
            raise refusal("not_yours", id=shift_id)
        if shift.status != "booked":
            raise refusal("not_booked", id=shift_id)
        if now > shift.starts_at - CANCEL_CUTOFF:
            raise refusal("past_cutoff", hours=CANCEL_CUTOFF_HOURS)
        if changed(session.execute(update(Shift).where(
                Shift.id == shift_id, Shift.status == "booked").values(
                status="cancelled", cancelled_at=now))) != 1:
            session.rollback()
            raise refusal("not_booked", id=shift_id)
        release_place(session, shift)
        session.commit()
        return shift


def release_future_shifts(session: DbSession, volunteer_id: int, now: datetime) -> list[Shift]:
    """Cancel every booked shift of the volunteer not yet started (a pause or removal)."""
    shifts = list(session.scalars(select(Shift).where(
        Shift.volunteer_id == volunteer_id, Shift.status == "booked", Shift.starts_at > now)))
    for shift in shifts:
        shift.status, shift.cancelled_at = "cancelled", now
        release_place(session, shift)
    return shifts


def open_slots(session: DbSession, committee: str, volunteer_id: int,
               now: datetime) -> list[tuple[Slot, int]]:
    """Return the coming week's slots not started, with room, and not already the volunteer's."""
    today = local_day(now)
    last = today + timedelta(days=LIST_DAYS - 1)
    stations = active_stations(session, committee)
    counts = {(c.station_id, c.day, c.number): c.booked for c in session.scalars(
        select(SlotCount).where(SlotCount.day.between(today, last)))}
    mine = {(s.station_id, s.day, s.number) for s in session.scalars(select(Shift).where(
        Shift.volunteer_id == volunteer_id, Shift.status == "booked",
        Shift.day.between(today, last)))}
    found = []
    for offset in range(LIST_DAYS):
        for station in stations:
            for slot in slots_on(session, station, today + timedelta(days=offset)):
                left = slot.capacity - counts.get(slot.key, 0)
                if slot.starts_at > now and left > 0 and slot.key not in mine:
                    found.append((slot, left))
    return sorted(found, key=lambda pair: (pair[0].starts_at, pair[0].station_id))


def set_weekly(db: Database, volunteer_id: int, slot: Slot) -> WeeklySlot:
    """Make SLOT's station, weekday and number a standing weekly commitment of the volunteer."""
    station_id, day, number = slot.key
    with db.session() as session:
        weekly = session.scalar(select(WeeklySlot).where(
            WeeklySlot.volunteer_id == volunteer_id, WeeklySlot.station_id == station_id,
            WeeklySlot.weekday == day.weekday(), WeeklySlot.number == number))
        if weekly is None:
            weekly = WeeklySlot(volunteer_id=volunteer_id, station_id=station_id,
                                weekday=day.weekday(), number=number)
            session.add(weekly)
        weekly.is_active = True
        session.commit()
        return weekly


def book_weekly_shifts(db: Database, now: datetime) -> list[int]:
    """Book the coming week's occurrences of every weekly commitment not yet booked or cancelled."""
    today = local_day(now)
    with db.session() as session:
        weekly = list(session.execute(select(WeeklySlot.volunteer_id, WeeklySlot.station_id,
                                             WeeklySlot.weekday, WeeklySlot.number)
                                      .join(Volunteer, Volunteer.id == WeeklySlot.volunteer_id)
                                      .where(WeeklySlot.is_active.is_(True),
                                             Volunteer.status == "active")))
        # Any row, cancelled included: a volunteer who cancelled one week is not re-booked.
        known = set(session.execute(select(Shift.volunteer_id, Shift.station_id, Shift.day,
                                           Shift.number).where(Shift.day >= today)))
        wanted = []
        for volunteer_id, station_id, weekday, number in weekly:
            day = today + timedelta(days=(weekday - today.weekday()) % 7)
            slot = find_slot(session, station_id, day, number)
            # Only when it can still be cancelled: an automatic booking must not trap anyone.
            if slot is not None and slot.starts_at - CANCEL_CUTOFF > now and \
                    (volunteer_id, station_id, day, number) not in known:
                wanted.append((volunteer_id, slot))
    booked = []
    for volunteer_id, slot in wanted:
        try:
            booked.append(book_shift(db, volunteer_id, slot, now, source="weekly").id)
        except RefusalError:
            continue  # full this week, or a clash: tried again at the next sweep
    return booked
