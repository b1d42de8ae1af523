"""Routing a new ticket inside its transaction: assignee, time limit and the reason, on record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import LOCAL, WorkCalendar
from bot.staff.roster import Staff, active_staff, duty_on
from bot.tickets.models import Status, Ticket, TicketEvent
from bot.tickets.routing import choose_assignee


@dataclass
class Routed:
    """What routing decided, for the resident's reply."""

    assignee: Staff | None = None
    opens_at: datetime | None = None
    due_at: datetime | None = None
    is_open_now: bool = True


def route_ticket(session: DbSession, ticket: Ticket, now: datetime, time_limit_days: int,
                 routed: Routed) -> Staff | None:
    """Assign TICKET by the routing rules, set its time limit and record why."""
    calendar = WorkCalendar.load(session, ticket.committee)
    start = now if ticket.is_urgent else (calendar.next_opening(now) or now)
    staff = active_staff(session, ticket.committee)
    duty = duty_on(session, ticket.committee, start.astimezone(LOCAL).date())
    assignment = choose_assignee(staff, duty, ticket.line, ticket.building)
    assignee = next((p for p in staff if p.id == assignment.staff_id), None)
    ticket.due_at = (now if ticket.is_urgent else calendar.add_working_days(start, time_limit_days))
    if assignee is not None:
        ticket.assignee_id, ticket.status = assignee.id, Status.ASSIGNED
    waits = "" if start <= now else f"；非办公时间，{start.astimezone(LOCAL):%m-%d %H:%M}开门后处理"
    ticket.events.append(TicketEvent(
        kind="assigned" if assignee else "unassigned", actor="system",
        note=assignment.reason + waits, created_at=now))
    routed.assignee, routed.opens_at, routed.due_at = assignee, start, ticket.due_at
    routed.is_open_now = start <= now
    return assignee


def recipients_for(assignee: Staff | None, director: Staff | None, is_urgent: bool,
                   fallback: Sequence[str]) -> list[str]:
    """Return who hears of a new ticket: the assignee (the director too when urgent)."""
    found = [p.openid for p in (assignee, director if is_urgent else None) if p and p.openid]
    # Until staff bind their WeChat accounts, the guide's per-line contacts hear of it.
    return list(dict.fromkeys(found)) or list(fallback)


def director_of(session: DbSession, committee: str) -> Staff | None:
    """Return the committee's director, if one is on record."""
    return next((p for p in active_staff(session, committee) if p.is_director), None)
