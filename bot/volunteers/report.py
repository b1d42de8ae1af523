"""A month of volunteering: hours per volunteer, coverage per station and slot, and no-shows."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from bot.core.columns import text_table
from bot.volunteers.attendance import worked
from bot.volunteers.models import Shift, Station, Volunteer, month_span, slots_on
from bot.volunteers.texts import slot_values


@dataclass
class Hours:
    """One volunteer's month."""

    name: str
    building: str
    attended: int = 0
    hours: float = 0.0
    no_shows: int = 0


@dataclass
class Coverage:
    """One slot of one station over the month: places offered, places filled, days uncovered."""

    station: str
    slot: str
    times: str
    days: int = 0
    capacity: int = 0
    filled: int = 0
    uncovered: int = 0


@dataclass
class MonthReport:
    """Everything `volunteers report` prints."""

    month: str
    hours: list[Hours] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    no_shows: list[tuple[date, str, str, str]] = field(default_factory=list)


def month_report(session: DbSession, committee: str, year: int, month: int,
                 now: datetime) -> MonthReport:
    """Count the month's slots that have ended by NOW and what volunteers did in them."""
    start, end = month_span(year, month)
    report = MonthReport(f"{year:04d}-{month:02d}")
    shifts = list(session.scalars(select(Shift).join(Station).where(
        Station.committee == committee, Shift.starts_at >= start, Shift.starts_at < end,
        Shift.status != "cancelled").order_by(Shift.starts_at)))
    people: dict[int, Hours] = {}
    present: dict[tuple[int, date, int], int] = defaultdict(int)
    for shift in shifts:
        person = shift.volunteer
        line = people.setdefault(person.id, Hours(person.name, person.building))
        if shift.checked_in_at is not None:
            present[shift.station_id, shift.day, shift.number] += 1
        if shift.checked_out_at is not None:
            line.attended += 1
            line.hours += worked(shift).total_seconds() / 3600
        if shift.status == "no_show":
            line.no_shows += 1
            report.no_shows.append((shift.day, shift.station.name,
                                    slot_values(shift.station, shift, "zh")["slot"], person.name))
    report.hours = sorted(people.values(), key=lambda h: (-h.hours, h.name))
    for line in report.hours:
        line.hours = round(line.hours, 1)
    for station in session.scalars(select(Station).where(Station.committee == committee)
                                   .order_by(Station.code)):
        report.coverage += _coverage(session, station, start.date(), end.date(), now, present)
    return report


def _coverage(session: DbSession, station: Station, first: date, after: date, now: datetime,
              present: dict[tuple[int, date, int], int]) -> list[Coverage]:
    lines = {plan.number: Coverage(station.name, plan.name, f"{plan.starts}-{plan.ends}")
             for plan in station.plans}
    day = first
    while day < after:
        # Only slots that are over count: a month in progress is not judged on its future.
        for slot in slots_on(session, station, day):
            line = lines.get(slot.number)
            if line is None or slot.ends_at > now:
                continue
            came = present.get(slot.key, 0)
            line.days += 1
            line.capacity += slot.capacity
            line.filled += min(came, slot.capacity)
            line.uncovered += came == 0
        day += timedelta(days=1)
    return list(lines.values())


def render_text(report: MonthReport) -> str:
    """Return the report as aligned tables for a terminal."""
    out = [f"Volunteering in {report.month}", "", "Hours per volunteer"]
    out += text_table(["name", "building", "shifts", "hours", "no-shows"],
                      [(h.name, h.building, h.attended, f"{h.hours:.1f}", h.no_shows)
                       for h in report.hours]) if report.hours else ["  (none)"]
    out += ["", "Coverage per station and slot (places filled / offered)"]
    out += text_table(["station", "slot", "times", "days", "filled", "capacity", "%",
                       "uncovered days"],
                      [(c.station, c.slot, c.times, c.days, c.filled, c.capacity,
                        f"{100 * c.filled / c.capacity:.0f}" if c.capacity else "-",
                        c.uncovered) for c in report.coverage])
    out += ["", "No-shows"]
    out += text_table(["day", "station", "slot", "name"], report.no_shows) \
        if report.no_shows else ["  (none)"]
    return "\n".join(out)


def render_csv(report: MonthReport) -> str:
    """Return the report as one CSV (a `section` column keeps the three parts apart)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "month", "name", "building", "station", "slot", "day", "shifts",
                     "hours", "no_shows", "days", "filled", "capacity", "uncovered"])
    for h in report.hours:
        writer.writerow(["hours", report.month, h.name, h.building, "", "", "", h.attended,
                         f"{h.hours:.1f}", h.no_shows, "", "", "", ""])
    for c in report.coverage:
        writer.writerow(["coverage", report.month, "", "", c.station, f"{c.slot} {c.times}", "",
                         "", "", "", c.days, c.filled, c.capacity, c.uncovered])
    for day, station, slot, name in report.no_shows:
        writer.writerow(["no_show", report.month, name, "", station, slot, day.isoformat(), "",
                         "", "", "", "", "", ""])
    return buffer.getvalue()


def listed_volunteers(session: DbSession, committee: str) -> list[Volunteer]:
    """Return the committee's volunteers not removed, by status then name."""
    return list(session.scalars(select(Volunteer).where(
        Volunteer.committee == committee, Volunteer.status != "removed")
        .order_by(Volunteer.status, Volunteer.name)))
