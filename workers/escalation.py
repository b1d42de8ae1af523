"""Time limits: remind an assignee who has not accepted, alert the B role and then the director."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.calendar import WorkCalendar
from bot.core.outbox import Owed, owe_all
from bot.core.services import current_services
from bot.staff.roster import Staff, active_staff
from bot.tickets.assign import director_of
from bot.tickets.models import WORKING, Ticket, TicketEvent
from bot.tickets.texts import compose

log = logging.getLogger(__name__)

JOB = "workers.escalation.sweep_escalations"
AT_RISK = timedelta(hours=24)
"""A ticket is at risk when less than this is left before its time limit."""


def _has(ticket: Ticket, kind: str) -> bool:
    return any(e.kind == kind for e in ticket.events)


def _assigned_at(ticket: Ticket) -> datetime:
    moments = [e.created_at for e in ticket.events if e.kind in ("assigned", "transferred")]
    return moments[-1] if moments else ticket.created_at


def _b_role(staff: list[Staff], line: str) -> Staff | None:
    return next((p for p in staff if p.role_in(line) == "B"), None)


def _alert(ticket: Ticket, kind: str, people: list[Staff | None], message_key: str,
           now: datetime) -> list[Owed]:
    """Record the escalation once and owe each person (deduplicated) a message."""
    ticket.events.append(TicketEvent(kind=kind, actor="system", created_at=now))
    guide = current_services().index.guide
    openids = dict.fromkeys(p.openid for p in people if p is not None and p.openid)
    return [Owed(openid, compose(message_key, ticket, guide), ticket_id=ticket.id)
            for openid in openids]


def escalate_ticket(ticket: Ticket, now: datetime, calendar: WorkCalendar,
                    staff: list[Staff], director: Staff | None,
                    reminder_hours: float) -> list[Owed]:
    """Decide what one open ticket needs now: a reminder, an at-risk or an overdue alert."""
    assignee = next((p for p in staff if p.id == ticket.assignee_id), None)
    owed: list[Owed] = []
    if ticket.status == "assigned" and not _has(ticket, "reminded") and calendar.is_open(now) \
            and calendar.working_hours_between(_assigned_at(ticket), now) >= reminder_hours:
        owed += _alert(ticket, "reminded", [assignee], "staff_reminder", now)
    if ticket.due_at is None:
        return owed
    backup = _b_role(staff, ticket.line)
    if now > ticket.due_at and not _has(ticket, "overdue"):
        owed += _alert(ticket, "overdue", [backup, director], "staff_overdue", now)
    elif now >= ticket.due_at - AT_RISK and not _has(ticket, "at_risk") \
            and not _has(ticket, "overdue"):
        owed += _alert(ticket, "at_risk", [backup], "staff_at_risk", now)
    return owed


def sweep_escalations() -> int:
    """Check every open ticket of every committee; return how many messages it owed."""
    services = current_services()
    now = services.now()
    hours = services.settings.accept_reminder_hours
    owed: list[Owed] = []
    with services.db.session() as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.status.in_(WORKING))))
        for committee in {t.committee for t in tickets}:
            calendar = WorkCalendar.load(session, committee)
            staff = active_staff(session, committee)
            director = director_of(session, committee)
            for ticket in (t for t in tickets if t.committee == committee):
                owed += escalate_ticket(ticket, now, calendar, staff, director, hours)
        owe_all(session, owed)
        session.commit()
    if owed:
        log.info("escalations: %d messages", len(owed))
    return len(owed)
