"""A volunteer's standing: signing up with consent, approval, pause, removal (data erased)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from bot.core.errors import RefusalError
from bot.core.outbox import owe
from bot.core.privacy import mask_phone
from bot.tickets.assign import director_of
from bot.volunteers.coverage import responsible_staff
from bot.volunteers.models import Volunteer, WeeklySlot, active_stations, volunteer_by_openid
from bot.volunteers.shifts import release_future_shifts
from bot.volunteers.texts import VTEXTS, refusal


class VolunteerError(RefusalError):
    """An administrative change was refused; the message says why."""


@dataclass(frozen=True)
class Changed:
    """What an administrative change did: the OpenID whose cached roles are stale, and more."""

    openid: str | None
    released: int = 0


def sign_up(session: DbSession, committee: str, openid: str, name: str, building: str,
            phone: str, lang: str, now: datetime) -> Volunteer:
    """Keep a consenting resident's details as a pending volunteer (again, after a removal)."""
    volunteer = volunteer_by_openid(session, openid)
    if volunteer is not None and volunteer.status != "removed":
        raise refusal("pending" if volunteer.status == "pending" else "already")
    if volunteer is None:
        volunteer = Volunteer(committee=committee, openid=openid, created_at=now)
        session.add(volunteer)
    volunteer.name, volunteer.building, volunteer.phone = name, building, phone
    volunteer.lang, volunteer.status, volunteer.consent_at = lang, "pending", now
    session.flush()
    _tell_staff_of(session, volunteer)
    return volunteer


def _tell_staff_of(session: DbSession, volunteer: Volunteer) -> None:
    # Whoever looks after a garbage room hears of a new volunteer, else the director.
    people = {p.id: p for p in (responsible_staff(session, s)
                                for s in active_stations(session, volunteer.committee)) if p}
    director = director_of(session, volunteer.committee)
    if not people and director is not None and director.openid:
        people[director.id] = director
    body = VTEXTS.say("staff_signup", "zh", id=volunteer.id, name=volunteer.name,
                      building=volunteer.building, phone=mask_phone(volunteer.phone))
    for person in people.values():
        owe(session, str(person.openid), body)


def find_volunteer(session: DbSession, committee: str, name: str) -> Volunteer:
    """Return the volunteer called NAME (or numbered '#ID' when two share a name)."""
    query = select(Volunteer).where(Volunteer.committee == committee,
                                    Volunteer.status != "removed")
    if name.startswith("#") and name[1:].isdigit():
        found = list(session.scalars(query.where(Volunteer.id == int(name[1:]))))
    else:
        found = list(session.scalars(query.where(Volunteer.name == name)))
    if not found:
        raise VolunteerError(f"no volunteer is called '{name}'")
    if len(found) > 1:
        ids = ", ".join(f"#{v.id} (building {v.building})" for v in found)
        raise VolunteerError(f"several volunteers are called '{name}': use one of {ids}")
    return found[0]


def approve(session: DbSession, volunteer: Volunteer, now: datetime) -> Changed:
    """Make a pending or paused volunteer active and owe them a welcome message."""
    if volunteer.status == "active":
        raise VolunteerError(f"'{volunteer.name}' is already active")
    volunteer.status = "active"
    volunteer.approved_at = volunteer.approved_at or now
    if volunteer.openid:
        owe(session, volunteer.openid, VTEXTS.say("approved", volunteer.lang), audience="resident")
    session.flush()
    return Changed(volunteer.openid)


def pause(session: DbSession, volunteer: Volunteer, now: datetime) -> Changed:
    """Pause an active volunteer; their shifts not yet started are given back to the slots."""
    if volunteer.status != "active":
        raise VolunteerError(f"'{volunteer.name}' is {volunteer.status}, not active")
    volunteer.status = "paused"
    released = release_future_shifts(session, volunteer.id, now)
    session.flush()
    return Changed(volunteer.openid, len(released))


def remove(session: DbSession, volunteer: Volunteer, now: datetime) -> Changed:
    """Remove a volunteer: future shifts released, name, building, phone and OpenID erased."""
    openid = volunteer.openid
    released = release_future_shifts(session, volunteer.id, now)
    session.execute(update(WeeklySlot).where(WeeklySlot.volunteer_id == volunteer.id)
                    .values(is_active=False))
    # PIPL: what was kept with consent goes when the consent does; anonymous hours stay.
    volunteer.name = f"(已移除 #{volunteer.id})"
    volunteer.building = volunteer.phone = ""
    volunteer.openid, volunteer.status = None, "removed"
    session.flush()
    return Changed(openid, len(released))
