"""Opening tickets exactly once, with their history and the notifications they owe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from bot.core.database import Database
from bot.core.outbox import Notification, owe
from bot.tickets.assign import Routed, director_of, recipients_for, route_ticket
from bot.tickets.models import WORKING, Status, Ticket, TicketEvent
from bot.tickets.texts import staff_message


@dataclass(frozen=True)
class TicketRequest:
    """Everything needed to open a ticket for a resident's message."""

    committee: str
    kind: str  # handoff | emergency | general
    line: str
    resident_openid: str
    request_text: str
    source_key: str
    lang: str = "zh"
    item_code: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    is_urgent: bool = False
    building: str | None = None


@dataclass(frozen=True)
class Opened:
    """The ticket and the notifications to send; none when a retry found it already open."""

    ticket: Ticket
    notification_ids: tuple[int, ...]
    is_new: bool


def _by_source(session: DbSession, source_key: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.source_key == source_key))


@dataclass(frozen=True)
class Routing:
    """How a new ticket finds its people: its time limit, the name staff read, the line's
    contacts from the guide (heard until staff bind WeChat), and where routing reports back."""

    time_limit_days: int
    item_name: str
    fallback: Sequence[str] = ()
    routed: Routed = field(default_factory=Routed)


def open_ticket(db: Database, request: TicketRequest, routing: Routing, now: datetime) -> Opened:
    """Store a ticket, route it and owe its notifications, all in one transaction, once."""
    with db.session() as session:
        existing = _by_source(session, request.source_key)
        if existing is not None:
            return Opened(existing, (), is_new=False)
        ticket = Ticket(
            committee=request.committee, kind=request.kind, line=request.line,
            item_code=request.item_code, is_urgent=request.is_urgent,
            resident_openid=request.resident_openid, lang=request.lang,
            request_text=request.request_text, details=dict(request.details),
            source_key=request.source_key, status=Status.NEW, building=request.building,
            created_at=now, updated_at=now,
        )
        ticket.events.append(TicketEvent(kind="created", actor="resident", note=request.kind,
                                         created_at=now))
        session.add(ticket)
        try:
            # The INSERT runs at the flush: a concurrent retry that got there first fails here
            # on PostgreSQL (at the commit on SQLite), so both sit inside the guard.
            session.flush()
            notes = _route_and_tell(session, ticket, routing, now)
            session.commit()
        except IntegrityError:
            # A concurrent retry of the same callback committed first: serve its ticket.
            session.rollback()
            raced = _by_source(session, request.source_key)
            if raced is None:
                raise
            return Opened(raced, (), is_new=False)
        return Opened(ticket, tuple(n.id for n in notes), is_new=True)


def tickets_of_resident(db: Database, committee: str, openid: str, limit: int = 5) -> list[Ticket]:
    """Return a resident's own latest tickets, newest first."""
    with db.session() as session:
        query = (select(Ticket).where(Ticket.committee == committee,
                                      Ticket.resident_openid == openid)
                 .order_by(Ticket.id.desc()).limit(limit))
        return list(session.scalars(query))


def list_tickets(db: Database, status: str | None = None) -> list[Ticket]:
    """Return all tickets with their events, oldest first."""
    with db.session() as session:
        query = select(Ticket).options(selectinload(Ticket.events)).order_by(Ticket.id)
        if status:
            query = query.where(Ticket.status == status)
        return list(session.scalars(query))


def open_tickets_of(session: DbSession, staff_id: int) -> list[Ticket]:
    """Return the tickets staff member STAFF_ID holds that are still being worked."""
    return list(session.scalars(select(Ticket).where(
        Ticket.assignee_id == staff_id, Ticket.status.in_(WORKING)).order_by(Ticket.id)))


def _route_and_tell(session: DbSession, ticket: Ticket, routing: Routing,
                    now: datetime) -> list[Notification]:
    assignee = route_ticket(session, ticket, now, routing.time_limit_days, routing.routed)
    director = director_of(session, ticket.committee)
    body = staff_message(ticket, routing.item_name)
    return [owe(session, to, body, ticket_id=ticket.id)
            for to in recipients_for(assignee, director, ticket.is_urgent, routing.fallback)]
