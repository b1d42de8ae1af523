"""Checking volunteers in and out of the slot under way, by QR code or location, and their hours."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from bot.core.database import Database
from bot.volunteers.models import (
    Shift,
    Slot,
    Station,
    active_stations,
    local_day,
    month_span,
    slots_on,
)
from bot.volunteers.shifts import book_shift, changed, shift_in

EARLY = timedelta(minutes=15)
"""A volunteer may check in this long before their slot starts."""
MIN_STAY = timedelta(minutes=5)
"""A second scan sooner than this after checking in is a double scan, not a check-out."""
NEAR_METRES = 200
"""A shared location this close to a station checks the volunteer in there."""
EARTH_METRES = 6_371_000


@dataclass(frozen=True)
class Attendance:
    """What a scan, location or 签到/签退 did, with what the reply needs to say so."""

    outcome: str  # checked_in|checked_out|already_in|already_out|outside|elsewhere|not_in
    station: Station | None = None
    shift: Shift | None = None
    slot: Slot | None = None
    next_slot: Slot | None = None
    is_walk_in: bool = False


def worked(shift: Shift) -> timedelta:
    """Return the time a shift was attended, counted within the slot's own times."""
    if shift.checked_in_at is None or shift.checked_out_at is None:
        return timedelta(0)
    start = max(shift.checked_in_at, shift.starts_at)
    end = min(shift.checked_out_at, shift.ends_at)
    return max(end - start, timedelta(0))


def month_hours(session: DbSession, volunteer_id: int, month: date) -> tuple[int, float]:
    """Return how many shifts the volunteer attended in MONTH's local month, and the hours."""
    start, end = month_span(month.year, month.month)
    shifts = list(session.scalars(select(Shift).where(
        Shift.volunteer_id == volunteer_id, Shift.checked_out_at.is_not(None),
        Shift.starts_at >= start, Shift.starts_at < end)))
    hours = sum(worked(s).total_seconds() for s in shifts) / 3600
    return len(shifts), round(hours, 1)


def slot_under_way(session: DbSession, station: Station, now: datetime) -> Slot | None:
    """Return the station's slot that is on (or starts within EARLY) at NOW."""
    return next((slot for slot in slots_on(session, station, local_day(now))
                 if slot.starts_at - EARLY <= now < slot.ends_at), None)


def next_slot(session: DbSession, station: Station, now: datetime) -> Slot | None:
    """Return the station's next slot today or tomorrow, to tell an early scanner."""
    today = local_day(now)
    for day in (today, today + timedelta(days=1)):
        for slot in slots_on(session, station, day):
            if slot.starts_at > now:
                return slot
    return None


def open_shift(session: DbSession, volunteer_id: int) -> Shift | None:
    """Return the shift the volunteer is checked in to and not yet out of."""
    return session.scalar(select(Shift).where(
        Shift.volunteer_id == volunteer_id, Shift.status == "booked",
        Shift.checked_in_at.is_not(None), Shift.checked_out_at.is_(None)).limit(1))


def _check_out(session: DbSession, shift: Shift, now: datetime, method: str) -> Attendance:
    done = changed(session.execute(update(Shift).where(
        Shift.id == shift.id, Shift.checked_out_at.is_(None)).values(
        checked_out_at=now, check_out_method=method)))
    session.commit()
    return Attendance("checked_out" if done else "already_out", shift.station, shift)


def arrive(db: Database, volunteer_id: int, station_id: int, now: datetime, method: str,
           may_check_out: bool = True) -> Attendance:
    """Check in to the station's slot under way, or out when checked in there already."""
    with db.session() as session:
        station = session.get(Station, station_id)
        assert station is not None
        current = open_shift(session, volunteer_id)
        if current is not None and current.station_id != station_id:
            return Attendance("elsewhere", current.station, current)
        if current is not None:
            assert current.checked_in_at is not None
            if not may_check_out or now - current.checked_in_at < MIN_STAY:
                return Attendance("already_in", station, current)
            return _check_out(session, current, now, method)
        slot = slot_under_way(session, station, now)
        if slot is None:
            return Attendance("outside", station, next_slot=next_slot(session, station, now))
        shift = shift_in(session, volunteer_id, slot)
        if shift is not None and shift.status == "booked" and shift.checked_out_at is not None:
            return Attendance("already_out", station, shift, slot)
        is_walk_in = shift is None or shift.status != "booked"
    if is_walk_in:
        # Not booked: take a free place in the slot under way (refused when it is full).
        book_shift(db, volunteer_id, slot, now, source="walk_in")
    return _check_in(db, volunteer_id, station, slot, now, method, is_walk_in)


def _check_in(db: Database, volunteer_id: int, station: Station, slot: Slot, now: datetime,
              method: str, is_walk_in: bool) -> Attendance:
    with db.session() as session:
        shift = shift_in(session, volunteer_id, slot)
        assert shift is not None
        done = changed(session.execute(update(Shift).where(
            Shift.id == shift.id, Shift.status == "booked", Shift.checked_in_at.is_(None))
            .values(checked_in_at=now, check_in_method=method)))
        session.commit()
    # A concurrent second scan found it checked in already: say so, record nothing more.
    return Attendance("checked_in" if done else "already_in", station, shift, slot,
                      is_walk_in=is_walk_in)


def leave(db: Database, volunteer_id: int, now: datetime, method: str) -> Attendance:
    """Check the volunteer out of whatever shift they are checked in to (签退)."""
    with db.session() as session:
        current = open_shift(session, volunteer_id)
        if current is None:
            return Attendance("not_in")
        return _check_out(session, current, now, method)


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(math.sqrt(a))


def station_to_check_in(session: DbSession, committee: str, volunteer_id: int,
                        latitude: float, longitude: float,
                        now: datetime) -> tuple[Station, float] | None:
    """Return the station a shared location is for, and how far off it is: that of the
    volunteer's shift about to start or under way, else the nearest one."""
    booked = session.scalar(select(Shift.station_id).where(
        Shift.volunteer_id == volunteer_id, Shift.status == "booked",
        Shift.checked_in_at.is_(None), Shift.starts_at <= now + EARLY, Shift.ends_at > now)
        .order_by(Shift.starts_at).limit(1))
    placed = sorted(((s, distance_metres(latitude, longitude, s.latitude, s.longitude))
                     for s in active_stations(session, committee)
                     if s.latitude is not None and s.longitude is not None),
                    key=lambda pair: (pair[0].id != booked, pair[1]))
    return placed[0] if placed else None


def any_slot_under_way(session: DbSession, committee: str, now: datetime) -> bool:
    """True when some station of the committee has a slot on now."""
    return any(slot_under_way(session, s, now) for s in active_stations(session, committee))
