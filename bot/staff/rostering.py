"""Editing the duty roster and the calendar: weekly patterns, dated changes, hours, days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import DAY_KINDS, DEFAULT_HOURS, CalendarDay, OpeningHours, WorkCalendar
from bot.staff.roster import DUTY_STATUSES, DutyChange, DutyPattern, Staff, active_staff, duty_on
from bot.staff.roster_import import WEEKDAYS
from bot.staff.staffing import StaffingError

CHANGE_NOTE_LENGTH = 200
DAY_NOTE_LENGTH = 100


@dataclass(frozen=True)
class Duty:
    """A staff member's status on a day and where it comes from (pattern, change or default)."""

    person: Staff
    status: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class DayInfo:
    """A day as the desk sees it: working or not, the committee's own entry, opening spans."""

    day: date
    is_workday: bool
    kind: str | None
    note: str
    hours: list[tuple[time, time]]


def _check_status(status: str, what: str) -> None:
    if status not in DUTY_STATUSES:
        raise StaffingError(f"{what}: status must be one of {', '.join(DUTY_STATUSES)}, "
                            f"not '{status}'")


def set_pattern(session: DbSession, person: Staff, week: Mapping[int, str]) -> None:
    """Replace PERSON's weekly pattern (weekday -> status); days not named are off."""
    for weekday, status in week.items():
        _check_status(status, f"{WEEKDAYS[weekday]}={status}")
    session.execute(delete(DutyPattern).where(DutyPattern.staff_id == person.id))
    session.add_all(DutyPattern(staff_id=person.id, weekday=weekday, status=status)
                    for weekday, status in sorted(week.items()))
    session.flush()


def set_change(session: DbSession, person: Staff, day: date, status: str, note: str) -> None:
    """Record (or replace) PERSON's dated change on DAY."""
    _check_status(status, "STATUS")
    if len(note) > CHANGE_NOTE_LENGTH:
        raise StaffingError(f"--note is longer than {CHANGE_NOTE_LENGTH} characters")
    change = session.scalar(select(DutyChange).where(DutyChange.staff_id == person.id,
                                                     DutyChange.day == day))
    if change is None:
        change = DutyChange(staff_id=person.id, day=day)
        session.add(change)
    change.status, change.note = status, note
    session.flush()


def clear_change(session: DbSession, person: Staff, day: date) -> None:
    """Remove PERSON's dated change on DAY, so the weekly pattern applies again."""
    change = session.scalar(select(DutyChange).where(DutyChange.staff_id == person.id,
                                                     DutyChange.day == day))
    if change is None:
        raise StaffingError(f"'{person.name}' has no dated change on {day}")
    session.delete(change)
    session.flush()


def duty_report(session: DbSession, committee: str, day: date) -> list[Duty]:
    """Return each active staff member's status on DAY (as routing sees it) and its source."""
    staff = active_staff(session, committee)
    duty = duty_on(session, committee, day)
    ids = [p.id for p in staff]
    changes = {c.staff_id: c for c in session.scalars(select(DutyChange).where(
        DutyChange.staff_id.in_(ids), DutyChange.day == day))}
    patterned = set(session.scalars(select(DutyPattern.staff_id).where(
        DutyPattern.staff_id.in_(ids), DutyPattern.weekday == day.weekday())))
    found = []
    for person in staff:
        change = changes.get(person.id)
        source = "change" if change else "pattern" if person.id in patterned else "default"
        found.append(Duty(person, duty[person.id], source, change.note if change else ""))
    return found


def day_info(session: DbSession, committee: str, day: date) -> DayInfo:
    """Describe DAY through the committee's WorkCalendar."""
    calendar = WorkCalendar.load(session, committee)
    entry = session.scalar(select(CalendarDay).where(CalendarDay.committee == committee,
                                                     CalendarDay.day == day))
    return DayInfo(day, calendar.is_workday(day), entry.kind if entry else None,
                   entry.note if entry else "", calendar.hours_on(day))


def set_hours(session: DbSession, committee: str, weekday: int,
              spans: Sequence[tuple[str, str]]) -> bool:
    """Replace a weekday's opening spans (none: closed); True when the defaults were written out."""
    # Stored as HH:MM text (String(5)), which also makes the strings sort as times do.
    ordered = sorted((f"{time.fromisoformat(a):%H:%M}", f"{time.fromisoformat(b):%H:%M}")
                     for a, b in spans)
    for first, second in pairwise(ordered):
        if second[0] < first[1]:
            raise StaffingError(f"spans {'-'.join(first)} and {'-'.join(second)} overlap")
    has_rows = session.scalar(select(OpeningHours.id).where(
        OpeningHours.committee == committee).limit(1)) is not None
    if not has_rows:
        # With no rows WorkCalendar uses DEFAULT_HOURS; write them out so the other days keep them.
        session.add_all(OpeningHours(committee=committee, weekday=day, opens=f"{a:%H:%M}",
                                     closes=f"{b:%H:%M}")
                        for day, day_spans in DEFAULT_HOURS.items() for a, b in day_spans)
    session.execute(delete(OpeningHours).where(OpeningHours.committee == committee,
                                               OpeningHours.weekday == weekday))
    session.add_all(OpeningHours(committee=committee, weekday=weekday, opens=a, closes=b)
                    for a, b in ordered)
    session.flush()
    if session.scalar(select(OpeningHours.id).where(
            OpeningHours.committee == committee).limit(1)) is None:
        raise StaffingError("that would close every day, and with no hours at all the default "
                            "Monday-Friday 08:30-17:00 applies again; keep one day open")
    return not has_rows


def set_day(session: DbSession, committee: str, day: date, kind: str, note: str) -> None:
    """Record (or replace) the committee's entry for DAY: holiday, workday or closed."""
    if kind not in DAY_KINDS:
        raise StaffingError(f"KIND must be one of {', '.join(DAY_KINDS)}, not '{kind}'")
    if len(note) > DAY_NOTE_LENGTH:
        raise StaffingError(f"--note is longer than {DAY_NOTE_LENGTH} characters")
    entry = session.scalar(select(CalendarDay).where(CalendarDay.committee == committee,
                                                     CalendarDay.day == day))
    if entry is None:
        entry = CalendarDay(committee=committee, day=day)
        session.add(entry)
    entry.kind, entry.note = kind, note
    session.flush()


def clear_day(session: DbSession, committee: str, day: date) -> None:
    """Remove the committee's entry for DAY, so the national calendar decides again."""
    entry = session.scalar(select(CalendarDay).where(CalendarDay.committee == committee,
                                                     CalendarDay.day == day))
    if entry is None:
        raise StaffingError(f"there is no entry for {day} to clear")
    session.delete(entry)
    session.flush()
