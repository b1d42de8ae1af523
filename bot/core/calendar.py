"""Working days on the Chinese calendar, the committee's opening hours and its own closures."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from sqlalchemy import Date, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import Session as DbSession

from bot.core.models import Base

log = logging.getLogger(__name__)

LOCAL = ZoneInfo("Asia/Shanghai")
DAY_KINDS = ("holiday", "workday", "closed")
"""holiday: a public holiday; workday: a make-up working day (调休); closed: the committee's own."""
DEFAULT_HOURS = {d: [(time(8, 30), time(17, 0))] for d in range(5)}
"""Used until the committee sets its own hours: Monday to Friday, 8:30-17:00."""
SEARCH_DAYS = 40  # longer than any Chinese holiday plus weekends


class OpeningHours(Base):
    """One span of opening on a weekday (0 = Monday); a day may have several (extended hours)."""

    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    weekday: Mapped[int] = mapped_column()
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))
    note: Mapped[str] = mapped_column(String(100), default="")


class CalendarDay(Base):
    """A dated exception: a holiday or make-up working day the library does not know, a closure."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("committee", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(100), default="")


def _national(day: date) -> tuple[bool, bool]:
    """Return (is_workday, is_statutory_holiday) from chinese-calendar, guessing past its data."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        # The library knows only the years published so far; never crash on the next one.
        log.warning("no national calendar for %s: add its holidays with `roster day`", day.year)
        return day.weekday() < 5, False
    return not is_holiday, bool(is_holiday and name)


@dataclass
class WorkCalendar:
    """A committee's calendar: which days count, and when the front desk is open."""

    hours: dict[int, list[tuple[time, time]]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    days: dict[date, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: DbSession, committee: str) -> WorkCalendar:
        """Read the committee's hours and dated exceptions."""
        hours: dict[int, list[tuple[time, time]]] = {}
        for row in session.scalars(select(OpeningHours).where(
                OpeningHours.committee == committee).order_by(OpeningHours.opens)):
            hours.setdefault(row.weekday, []).append(
                (time.fromisoformat(row.opens), time.fromisoformat(row.closes)))
        days = {row.day: row.kind for row in session.scalars(
            select(CalendarDay).where(CalendarDay.committee == committee))}
        return cls(hours or dict(DEFAULT_HOURS), days)

    def is_workday(self, day: date) -> bool:
        """True on a working day: the committee's own entries first, then the national calendar."""
        kind = self.days.get(day)
        if kind is not None:
            return kind == "workday"
        return _national(day)[0]

    def hours_on(self, day: date) -> list[tuple[time, time]]:
        """Return the day's opening spans (none on holidays and closures)."""
        kind = self.days.get(day)
        if kind in ("holiday", "closed"):
            return []
        workday, statutory = _national(day) if kind is None else (True, False)
        if statutory:
            return []
        if workday and day.weekday() >= 5:
            return self.hours.get(0, [])  # a make-up working day keeps Monday's hours
        return self.hours.get(day.weekday(), [])

    def is_open(self, moment: datetime) -> bool:
        """True while the front desk is open."""
        local = moment.astimezone(LOCAL)
        return any(a <= local.time() < b for a, b in self.hours_on(local.date()))

    def next_opening(self, moment: datetime) -> datetime | None:
        """Return MOMENT if open, else when the desk next opens (None if not within weeks)."""
        local = moment.astimezone(LOCAL)
        for offset in range(SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            for opens, closes in self.hours_on(day):
                start = datetime.combine(day, opens, LOCAL)
                end = datetime.combine(day, closes, LOCAL)
                if local < end:
                    return max(start, local)
        return None

    def add_working_days(self, moment: datetime, count: int) -> datetime:
        """Return the close of the COUNT-th working day after MOMENT's (a time limit's end)."""
        day = moment.astimezone(LOCAL).date()
        added = 0
        while added < count:
            day += timedelta(days=1)
            if self.is_workday(day):
                added += 1
        spans = self.hours_on(day)
        closes = spans[-1][1] if spans else time(17, 0)
        return datetime.combine(day, closes, LOCAL)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Return the opening hours elapsed between START and END (for reminders)."""
        total = 0.0
        day = start.astimezone(LOCAL).date()
        while day <= end.astimezone(LOCAL).date():
            for opens, closes in self.hours_on(day):
                a = max(datetime.combine(day, opens, LOCAL), start)
                b = min(datetime.combine(day, closes, LOCAL), end)
                total += max((b - a).total_seconds(), 0) / 3600
            day += timedelta(days=1)
        return total
