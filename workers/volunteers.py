"""The volunteers' sweep: weekly bookings, reminders, coverage alerts, standby offers, no-shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from redis.exceptions import RedisError
from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import LOCAL
from bot.core.conversation import window_key
from bot.core.database import Database
from bot.core.outbox import Owed, owe, owe_all
from bot.core.services import Services, current_services
from bot.volunteers.coverage import open_offer, responsible_staff, standby_for, uncovered_slots
from bot.volunteers.models import Shift, Slot, Station, local_day
from bot.volunteers.shifts import CANCEL_CUTOFF, book_weekly_shifts, changed
from bot.volunteers.texts import VTEXTS, clock_time, slot_values

log = logging.getLogger(__name__)

JOB = "workers.volunteers.sweep_volunteers"
EVENING = time(19, 0)
"""The evening-before reminder goes out from this local time on."""
SOON = timedelta(minutes=60)
"""The second reminder goes out within this long before the shift starts."""


def _claim(session: DbSession, shift: Shift, column: InstrumentedAttribute[datetime | None],
           now: datetime) -> bool:
    """Mark a reminder as sent, once: of two sweeps at once only one changes the row."""
    return changed(session.execute(
        update(Shift).where(Shift.id == shift.id, column.is_(None)).values({column.key: now})
        .execution_options(synchronize_session=False))) == 1


def _reminder(shift: Shift, key: str, now: datetime) -> Owed | None:
    volunteer, lang = shift.volunteer, shift.volunteer.lang
    if not volunteer.openid:
        return None
    deadline = shift.starts_at - CANCEL_CUTOFF
    # Past the cut-off `取消排班` is refused: point to the committee instead.
    hint = VTEXTS.say("hint_unbook", lang, id=shift.id, deadline=clock_time(deadline)) \
        if now < deadline else VTEXTS.say("hint_call", lang)
    # Volunteers are residents: the 48-hour customer-service window applies to them.
    return Owed(volunteer.openid, VTEXTS.say(key, lang, hint=hint, time=clock_time(shift.starts_at),
                                             **slot_values(shift.station, shift, lang)),
                audience="resident")


def send_reminders(db: Database, now: datetime) -> list[int]:
    """Owe each booked volunteer a reminder the evening before and one shortly before, once."""
    local = now.astimezone(LOCAL)
    evening = datetime.combine(local.date(), EVENING, LOCAL)
    owed: list[Owed | None] = []
    with db.session() as session:
        if local >= evening:
            for shift in list(session.scalars(select(Shift).where(
                    Shift.status == "booked", Shift.reminded_eve_at.is_(None),
                    Shift.day == local.date() + timedelta(days=1)))):
                # Booked this evening already: the booking's reply was reminder enough.
                if _claim(session, shift, Shift.reminded_eve_at, now) \
                        and shift.booked_at < evening:
                    owed.append(_reminder(shift, "remind_eve", now))
        for shift in list(session.scalars(select(Shift).where(
                Shift.status == "booked", Shift.reminded_soon_at.is_(None),
                Shift.checked_in_at.is_(None), Shift.starts_at > now,
                Shift.starts_at <= now + SOON))):
            if _claim(session, shift, Shift.reminded_soon_at, now) \
                    and shift.booked_at < shift.starts_at - SOON:
                owed.append(_reminder(shift, "remind_soon", now))
        notes = owe_all(session, (o for o in owed if o is not None))
        session.commit()
        return [n.id for n in notes]


def _reachable(services: Services) -> Callable[[str], bool]:
    def is_reachable(openid: str) -> bool:
        try:
            return bool(services.redis.exists(window_key(openid)))
        except RedisError:
            return False

    return is_reachable


def _alert(services: Services, slot: Slot, now: datetime) -> list[int]:
    """Record one uncovered slot's offer, ask standby volunteers and tell the staff member."""
    with services.db.session() as session:
        offer = open_offer(session, slot, now)
        if offer is None:
            return []
        station = session.get(Station, slot.station_id)
        assert station is not None
        booked = session.scalar(select(func.count(Shift.id)).where(
            Shift.station_id == slot.station_id, Shift.day == slot.day,
            Shift.number == slot.number, Shift.status == "booked")) or 0
        standby = standby_for(session, station.committee, slot, _reachable(services))
        notes = [owe(session, str(v.openid), VTEXTS.say("offer", v.lang, code=offer.id,
                                                        **slot_values(station, slot, v.lang)),
                     audience="resident") for v in standby]
        staff = responsible_staff(session, station)
        if staff is not None and staff.openid:
            minutes = int((now - slot.starts_at).total_seconds() // 60)
            notes.append(owe(session, staff.openid, VTEXTS.say(
                "staff_uncovered", "zh", minutes=minutes, booked=booked, offered=len(standby),
                **slot_values(station, slot, "zh"))))
        session.commit()
        return [n.id for n in notes]


def close_ended_shifts(db: Database, now: datetime) -> int:
    """After a slot ends: check out whoever forgot, and record who never came as a no-show."""
    with db.session() as session:
        session.execute(update(Shift).where(
            Shift.status == "booked", Shift.checked_in_at.is_not(None),
            Shift.checked_out_at.is_(None), Shift.ends_at <= now)
            .values(checked_out_at=Shift.ends_at, check_out_method="auto")
            .execution_options(synchronize_session=False))
        no_shows = changed(session.execute(update(Shift).where(
            Shift.status == "booked", Shift.checked_in_at.is_(None), Shift.ends_at <= now)
            .values(status="no_show").execution_options(synchronize_session=False)))
        session.commit()
    return no_shows


def sweep_volunteers() -> int:
    """Run every volunteer duty that is due now; return how many messages it owed."""
    services = current_services()
    now = services.now()
    book_weekly_shifts(services.db, now)
    ids = send_reminders(services.db, now)
    with services.db.session() as session:
        slots = uncovered_slots(session, now)
    for slot in slots:
        ids += _alert(services, slot, now)
    no_shows = close_ended_shifts(services.db, now)
    if ids or no_shows:
        log.info("volunteers: %d messages, %d no-shows (%s)", len(ids), no_shows,
                 local_day(now))
    return len(ids)

