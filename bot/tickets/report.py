"""The Monday meeting: a week's tickets per staff member, open tickets by age, the unassigned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from bot.core.calendar import LOCAL
from bot.staff.roster import Staff
from bot.tickets.models import WORKING, Ticket, TicketEvent

AGE_BUCKETS = (("<1d", 1), ("1-3d", 3), ("3-7d", 7), (">7d", None))
"""Open tickets by calendar days since they were raised: under 1, 1 to 3, 3 to 7, over 7."""
STATUS_AFTER = {"created": "new", "unassigned": "new", "assigned": "assigned",
                "transferred": "assigned", "returned": "new", "accepted": "accepted",
                "resolved": "resolved", "reopened": "reopened", "closed": "closed",
                "cancelled": "cancelled"}
"""The status each event leaves a ticket in (notes, reminders and alerts change none)."""
RECEIVING = ("assigned", "transferred", "taken")


@dataclass
class _Spell:
    """A stretch of a ticket's life with one holder: from an assignment, a take or a reopening."""

    staff_id: int | None
    via: str
    at: datetime
    since: datetime  # when the wait began: the assignment, or for a take the unassigned wait
    events: list[TicketEvent] = field(default_factory=list)


@dataclass
class StaffWeek:
    """One staff member's week; hours run from the assignment (for a take, from the wait)."""

    staff_id: int
    name: str
    received: int = 0
    accepted: int = 0
    resolved: int = 0
    accept_hours: list[float] = field(default_factory=list)
    resolve_hours: list[float] = field(default_factory=list)
    limits_broken: set[int] = field(default_factory=set)  # ticket ids: one ticket counts once
    ratings: list[int] = field(default_factory=list)

    @property
    def median_accept_hours(self) -> float | None:
        """Median hours from assignment to acceptance."""
        return median(self.accept_hours) if self.accept_hours else None

    @property
    def median_resolve_hours(self) -> float | None:
        """Median hours from assignment to resolution."""
        return median(self.resolve_hours) if self.resolve_hours else None

    @property
    def average_rating(self) -> float | None:
        """Average of the residents' ratings."""
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    def is_idle(self) -> bool:
        """True when nothing happened to this person's tickets during the week."""
        return not (self.received or self.accepted or self.resolved or self.limits_broken
                    or self.ratings)


@dataclass(frozen=True)
class OpenTicket:
    """A ticket still being worked at the report's moment."""

    id: int
    line: str
    status: str
    created_at: datetime
    age_days: float
    staff_id: int | None


@dataclass
class WeeklyReport:
    """Everything the Monday meeting looks at."""

    start: datetime
    end: datetime
    as_of: datetime
    staff: list[StaffWeek]
    open_tickets: list[OpenTicket]

    def open_by_age(self) -> dict[str, dict[str, int]]:
        """Count open tickets by status, then by age bucket."""
        table: dict[str, dict[str, int]] = {}
        for ticket in self.open_tickets:
            row = table.setdefault(ticket.status, {label: 0 for label, _ in AGE_BUCKETS})
            row[age_bucket(ticket.age_days)] += 1
        return dict(sorted(table.items(), key=lambda kv: WORKING.index(kv[0])))

    def unassigned(self) -> list[OpenTicket]:
        """Return the open tickets nobody holds."""
        return [t for t in self.open_tickets if t.staff_id is None]


def age_bucket(days: float) -> str:
    """Return the AGE_BUCKETS label for an age in days."""
    return next(label for label, limit in AGE_BUCKETS if limit is None or days < limit)


def week_bounds(day: date) -> tuple[datetime, datetime]:
    """Return local Monday 00:00 of DAY's week and the Monday after."""
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, time(0), LOCAL)
    return start, start + timedelta(days=7)


def previous_week(now: datetime) -> date:
    """Return the Monday of the week before NOW's (the default of the Monday meeting)."""
    today = now.astimezone(LOCAL).date()
    return today - timedelta(days=today.weekday() + 7)


def _named(note: str, ids_by_name: Mapping[str, int]) -> int | None:
    # Routing and transfer notes end with the new holder ('A角示例·周请假，由B角示例·冯处理'):
    # the name that ends last wins, the longer on a tie ('示例·林' inside '示例·林主任').
    found = [(note.rfind(name) + len(name), len(name), sid) for name, sid in ids_by_name.items()
             if name in note]
    return max(found)[2] if found else None


def _spells(ticket: Ticket, ids_by_name: Mapping[str, int]) -> list[_Spell]:
    """Replay who held TICKET when: the events carry names, not staff ids."""
    spells = [_Spell(None, "created", ticket.created_at, ticket.created_at)]
    for event in ticket.events:
        current, at = spells[-1], event.created_at
        if event.kind in ("assigned", "transferred"):
            spells.append(_Spell(_named(event.note, ids_by_name), event.kind, at, at))
        elif event.kind in ("unassigned", "returned"):
            spells.append(_Spell(None, event.kind, at, at))
        elif event.kind == "accepted" and current.staff_id is None:
            taker = ids_by_name.get(event.actor.removeprefix("staff:"))
            spells.append(_Spell(taker, "taken", at, current.at))
        elif event.kind == "reopened":
            spells.append(_Spell(current.staff_id, event.kind, at, at))
        spells[-1].events.append(event)
    last = spells[-1]
    if last.via in ("assigned", "transferred"):
        last.staff_id = ticket.assignee_id  # the record itself knows the current holder
    return spells


def _first(spell: _Spell, kind: str) -> TicketEvent | None:
    return next((e for e in spell.events if e.kind == kind), None)


def _count_week(ticket: Ticket, spells: list[_Spell], rows: Mapping[int, StaffWeek],
                start: datetime, end: datetime) -> None:
    def hours(moment: datetime, spell: _Spell) -> float:
        return (moment - spell.since).total_seconds() / 3600

    for spell in spells:
        row = rows.get(spell.staff_id) if spell.staff_id is not None else None
        if row is None:
            continue
        if spell.via in RECEIVING and start <= spell.at < end:
            row.received += 1
        resolved = _first(spell, "resolved")
        # Resolving without accepting first counts as accepting then, as the lifecycle records.
        accepted = _first(spell, "accepted") or resolved
        if accepted is not None and start <= accepted.created_at < end:
            row.accepted += 1
            row.accept_hours.append(hours(accepted.created_at, spell))
        if resolved is not None and start <= resolved.created_at < end:
            row.resolved += 1
            row.resolve_hours.append(hours(resolved.created_at, spell))
            if ticket.due_at is not None and resolved.created_at > ticket.due_at:
                row.limits_broken.add(ticket.id)
        for event in spell.events:
            if not start <= event.created_at < end:
                continue
            if event.kind == "overdue":
                row.limits_broken.add(ticket.id)
            elif event.kind == "rated":
                stars = int(event.note) if event.note.isdigit() else ticket.rating
                if stars is not None:
                    row.ratings.append(stars)


def _open_at(ticket: Ticket, spells: list[_Spell], moment: datetime) -> OpenTicket | None:
    if ticket.created_at >= moment:
        return None
    status, holder = "new", None
    for spell in spells:
        for event in spell.events:
            if event.created_at < moment:
                status, holder = STATUS_AFTER.get(event.kind, status), spell.staff_id
    if status not in WORKING:
        return None
    age = (moment - ticket.created_at).total_seconds() / 86400
    return OpenTicket(ticket.id, ticket.line, status, ticket.created_at, age, holder)


def weekly_report(tickets: Sequence[Ticket], staff: Sequence[Staff], week_start: date,
                  now: datetime) -> WeeklyReport:
    """Compute the report for the week of WEEK_START from loaded tickets (with events) and staff.

    Open tickets are taken as they stood at the end of the week (or now, for the current week),
    so the same week always gives the same numbers.
    """
    start, end = week_bounds(week_start)
    as_of = min(now, end)
    ids_by_name = {person.name: person.id for person in staff}
    rows = {person.id: StaffWeek(person.id, person.name) for person in staff}
    open_tickets = []
    for ticket in sorted(tickets, key=lambda t: t.id):
        spells = _spells(ticket, ids_by_name)
        _count_week(ticket, spells, rows, start, end)
        found = _open_at(ticket, spells, as_of)
        if found is not None:
            open_tickets.append(found)
    active = {person.id for person in staff if person.is_active}
    # A deactivated colleague is listed only for a week in which they still did something.
    shown = [row for sid, row in sorted(rows.items()) if sid in active or not row.is_idle()]
    return WeeklyReport(start, end, as_of, shown, open_tickets)
