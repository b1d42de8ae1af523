"""Load staff, their lines, buildings and weekly duty, opening hours and dated days from a file."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import DAY_KINDS, CalendarDay, OpeningHours
from bot.core.errors import RefusalError
from bot.staff.roster import DUTY_STATUSES, DutyPattern, Staff
from bot.staff.staffing import StaffingError, set_buildings, set_lines

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RosterError(RefusalError):
    """The roster file is wrong; the message names the entry and field."""


def parse_weekday(key: str, where: str) -> int:
    """Return 0-6 for 'mon'..'sun'; WHERE names the entry in the error."""
    if key not in WEEKDAYS:
        raise RosterError(f"{where}: '{key}' is not one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(key)


def parse_span(text: str, where: str) -> tuple[str, str]:
    """Return ('08:30', '17:00') for '08:30-17:00'; WHERE names the entry in the error."""
    opens, _, closes = str(text).partition("-")
    try:
        start, end = time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip())
        if start >= end:
            raise ValueError
    except ValueError:
        raise RosterError(f"{where}: '{text}' is not a span like 08:30-17:00") from None
    return f"{start:%H:%M}", f"{end:%H:%M}"  # stored as HH:MM even when seconds were written


def _check_shape(data: dict[str, Any]) -> None:
    # A mistyped file must give a message, not an AttributeError deep in the import.
    entries, days = data.get("staff") or [], data.get("days") or []
    if not isinstance(entries, list) or not all(isinstance(r, dict) for r in entries):
        raise RosterError("staff: expected a list of entries (- name: ...)")
    for i, raw in enumerate(entries):
        for key in ("lines", "buildings", "week"):
            if not isinstance(raw.get(key) or {}, dict):
                raise RosterError(f"staff[{i}] '{raw.get('name', '?')}': {key} must be a mapping")
    if not isinstance(data.get("hours") or {}, dict):
        raise RosterError("hours: expected a mapping like mon: [08:30-17:00]")
    if not isinstance(days, list) or not all(isinstance(r, dict) for r in days):
        raise RosterError("days: expected a list of entries (- {day: ..., kind: ...})")


def _staff(session: DbSession, committee: str, raw: dict[str, Any], index: int,
           known_lines: Collection[str] | None) -> Staff:
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
    session.flush()  # a new person needs an id before their lines and buildings
    buildings = raw.get("buildings") or {}
    for building, households in buildings.items():
        count = households or 0
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise RosterError(f"{where}: building {building} households must be a whole number, "
                              f"not '{households}'")
    try:
        # Edited in place, so importing the same file twice (or moving a building) just works.
        set_lines(session, person, {str(k): str(v) for k, v in (raw.get("lines") or {}).items()},
                  known_lines)
        set_buildings(session, person, {str(b): int(h or 0) for b, h in buildings.items()})
    except StaffingError as error:
        raise RosterError(f"{where}: {error}") from None
    session.execute(delete(DutyPattern).where(DutyPattern.staff_id == person.id))
    for day, value in (raw.get("week") or {}).items():
        # YAML 1.1 reads a bare `off` as false: take it as the clerk meant it.
        status = "off" if value is False else value
        if status not in DUTY_STATUSES:
            raise RosterError(f"{where}: week.{day} must be one of {', '.join(DUTY_STATUSES)}")
        session.add(DutyPattern(staff_id=person.id, weekday=parse_weekday(day, where),
                                status=status))
    return person


def _check_buildings(entries: list[dict[str, Any]]) -> None:
    # A building has one owner; caught here so the clerk gets names, not a constraint error.
    owners: dict[str, str] = {}
    for raw in entries:
        for building in raw.get("buildings") or {}:
            name = str(raw.get("name", "?"))
            if owners.setdefault(str(building), name) != name:
                raise RosterError(f"building {building} is listed under both "
                                  f"'{owners[str(building)]}' and '{name}'")


def import_roster(session: DbSession, committee: str, data: dict[str, Any],
                  known_lines: Collection[str] | None = None) -> list[Staff]:
    """Create or update everything in DATA (lines checked if KNOWN_LINES given); caller commits."""
    _check_shape(data)
    _check_buildings(data.get("staff") or [])
    people = [_staff(session, committee, raw, i, known_lines)
              for i, raw in enumerate(data.get("staff") or [])]
    if "hours" in data:
        session.execute(delete(OpeningHours).where(OpeningHours.committee == committee))
        for day, spans in (data["hours"] or {}).items():
            for span in spans or []:
                opens, closes = parse_span(span, f"hours.{day}")
                session.add(OpeningHours(committee=committee, weekday=parse_weekday(day, "hours"),
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
