"""Uncovered slots: finding them, choosing standby volunteers, the first to accept taking one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from bot.core.database import Database
from bot.staff.roster import Staff
from bot.tickets.assign import director_of
from bot.volunteers.models import (
    Shift,
    Slot,
    StandbyOffer,
    Station,
    Volunteer,
    find_slot,
    local_day,
    slots_on,
)
from bot.volunteers.shifts import (
    changed,
    ensure_count,
    place_shift,
    require_volunteer,
    shift_in,
    take_place,
)
from bot.volunteers.texts import refusal

UNCOVERED_AFTER = timedelta(minutes=10)
"""A slot with nobody checked in this long after its start is reported and offered to standby."""
STANDBY_OFFERS = 5
"""How many standby volunteers are asked to cover one slot."""


def uncovered_slots(session: DbSession, now: datetime) -> list[Slot]:
    """Return slots under way for UNCOVERED_AFTER with nobody checked in and not yet offered."""
    today = local_day(now)
    offered = set(session.execute(select(StandbyOffer.station_id, StandbyOffer.day,
                                         StandbyOffer.number).where(StandbyOffer.day == today)))
    present = set(session.execute(select(Shift.station_id, Shift.day, Shift.number).where(
        Shift.day == today, Shift.status == "booked", Shift.checked_in_at.is_not(None))))
    found = []
    for station in session.scalars(select(Station).where(Station.is_active.is_(True))):
        for slot in slots_on(session, station, today):
            if slot.starts_at + UNCOVERED_AFTER <= now < slot.ends_at \
                    and slot.key not in offered and slot.key not in present:
                found.append(slot)
    return found


def responsible_staff(session: DbSession, station: Station) -> Staff | None:
    """Return who hears about the station: its staff member, else the director (if bound)."""
    staff = session.get(Staff, station.staff_id) if station.staff_id else None
    if staff is None or not staff.is_active or not staff.openid:
        staff = director_of(session, station.committee)
    return staff if staff is not None and staff.openid else None


def open_offer(session: DbSession, slot: Slot, now: datetime) -> StandbyOffer | None:
    """Record the offer for SLOT as a fresh session's first write; None if a sweep beat us."""
    station_id, day, number = slot.key
    offer = StandbyOffer(station_id=station_id, day=day, number=number, ends_at=slot.ends_at,
                         created_at=now)
    session.add(offer)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the unique key makes the alert go out once, however many sweeps
        return None
    return offer


def standby_for(session: DbSession, committee: str, slot: Slot,
                is_reachable: Callable[[str], bool]) -> list[Volunteer]:
    """Choose up to STANDBY_OFFERS active volunteers free at that time, reachable ones first."""
    busy = select(Shift.volunteer_id).where(
        Shift.status == "booked", Shift.starts_at < slot.ends_at, Shift.ends_at > slot.starts_at)
    people = list(session.scalars(select(Volunteer).where(
        Volunteer.committee == committee, Volunteer.status == "active",
        Volunteer.openid.is_not(None), Volunteer.id.not_in(busy)).order_by(Volunteer.id)))
    # WeChat delivers only to people who wrote within 48 hours: ask those first.
    people.sort(key=lambda v: not is_reachable(str(v.openid)))
    return people[:STANDBY_OFFERS]


def take_offer(db: Database, openid: str, offer_id: int, now: datetime) -> tuple[Shift, Slot]:
    """Give the offered slot to the first volunteer to accept; later ones are told it is taken."""
    with db.session() as session:
        volunteer = require_volunteer(session, openid)
        offer = session.get(StandbyOffer, offer_id)
        if offer is None:
            raise refusal("no_offer", id=offer_id)
        slot = find_slot(session, offer.station_id, offer.day, offer.number)
        if slot is None or offer.ends_at <= now:
            raise refusal("offer_over")
        mine = shift_in(session, volunteer.id, slot)
        if mine is not None and mine.status == "booked":
            raise refusal("already_booked", id=mine.id)
        if offer.taken_by is not None:
            raise refusal("offer_taken")
        volunteer_id = volunteer.id
    ensure_count(db, slot)
    with db.session() as session:
        # First write, conditional: of many replies at once exactly one claims the offer.
        if changed(session.execute(update(StandbyOffer).where(
                StandbyOffer.id == offer_id, StandbyOffer.taken_by.is_(None)).values(
                taken_by=volunteer_id, taken_at=now))) != 1:
            session.rollback()
            raise refusal("offer_taken")
        if not take_place(session, slot):
            # Full of people who booked and did not come: the taker has the place of one.
            absent = session.scalar(select(Shift).where(
                Shift.station_id == slot.station_id, Shift.day == slot.day,
                Shift.number == slot.number, Shift.status == "booked",
                Shift.checked_in_at.is_(None)).order_by(Shift.booked_at.desc()).limit(1))
            if absent is None:
                session.rollback()
                raise refusal("everyone_there")
            absent.status = "no_show"
        shift = place_shift(session, volunteer_id, slot, shift_in(session, volunteer_id, slot),
                            now, "standby")
        session.commit()
        return shift, slot
