"""Load staff, their lines, buildings and weekly duty, opening hours and dated days from a file."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from bot.roster import DUTY_STATUSES, ROLES, DutyPattern, Staff, StaffBuilding, StaffLine
from bot.workdays import DAY_KINDS, CalendarDay, OpeningHours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RosterError(ValueError):
    """The roster file is wrong; the message names the entry and field."""


def _weekday(key: str, where: str) -> int:
    if key not in WEEKDAYS:
        raise RosterError(f"{where}: '{key}' is not one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(key)


def _span(text: str, where: str) -> tuple[str, str]:
    opens, _, closes = str(text).partition("-")
    try:
        if time.fromisoformat(opens.strip()) >= time.fromisoformat(closes.strip()):
            raise ValueError
    except ValueError:
        raise RosterError(f"{where}: '{text}' is not a span like 08:30-17:00") from None
    return opens.strip(), closes.strip()


def _staff(session: DbSession, committee: str, raw: dict[str, Any], index: int) -> Staff:
    where = f"staff[{index}] '{raw.get('name', '?')}'"
    name = str(raw.get("name", "")).strip()
    if not name:
        raise RosterError(f"{where}: field 'name' is required")
    person = session.scalar(select(Staff).where(Staff.committee == committee, Staff.name == name))
    if person is None:
        person = Staff(committee=committee, name=name)
        session.add(person)
    person.phone = str(raw.get("phone", person.phone or ""))
    person.is_director = bool(raw.get("director", False))
    person.is_active = bool(raw.get("active", True))
    lines = raw.get("lines") or {}
    for line, role in lines.items():
        if role not in ROLES:
            raise RosterError(f"{where}: line '{line}' role must be A or B, not '{role}'")
    person.lines = [StaffLine(line=str(line), role=str(role)) for line, role in lines.items()]
    buildings = raw.get("buildings") or {}
    person.buildings = [StaffBuilding(committee=committee, building=str(b), households=int(h or 0))
                        for b, h in buildings.items()]
    session.flush()
    session.execute(delete(DutyPattern).where(DutyPattern.staff_id == person.id))
    for day, value in (raw.get("week") or {}).items():
        # YAML 1.1 reads a bare `off` as false: take it as the clerk meant it.
        status = "off" if value is False else value
        if status not in DUTY_STATUSES:
            raise RosterError(f"{where}: week.{day} must be one of {', '.join(DUTY_STATUSES)}")
        session.add(DutyPattern(staff_id=person.id, weekday=_weekday(day, where), status=status))
    return person


def import_roster(session: DbSession, committee: str, data: dict[str, Any]) -> list[Staff]:
    """Create or update everything in DATA for COMMITTEE; the caller commits."""
    people = [_staff(session, committee, raw, i) for i, raw in enumerate(data.get("staff") or [])]
    if "hours" in data:
        session.execute(delete(OpeningHours).where(OpeningHours.committee == committee))
        for day, spans in (data["hours"] or {}).items():
            for span in spans or []:
                opens, closes = _span(span, f"hours.{day}")
                session.add(OpeningHours(committee=committee, weekday=_weekday(day, "hours"),
                                         opens=opens, closes=closes))
    for i, raw in enumerate(data.get("days") or []):
        kind, day = raw.get("kind"), raw.get("day")
        if kind not in DAY_KINDS or not isinstance(day, date):
            raise RosterError(f"days[{i}]: needs day: YYYY-MM-DD and kind: "
                              f"{'/'.join(DAY_KINDS)}")
        session.execute(delete(CalendarDay).where(CalendarDay.committee == committee,
                                                  CalendarDay.day == day))
        session.add(CalendarDay(committee=committee, day=day, kind=kind,
                                note=str(raw.get("note", ""))))
    session.flush()
    return people
