"""A ticket's life: accept, note, resolve, transfer, return, extend, rate, reopen, cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import WorkCalendar
from bot.core.errors import RefusalError
from bot.core.outbox import owe
from bot.staff.roster import Staff
from bot.tickets.models import WORKING, Status, Ticket, TicketEvent
from bot.tickets.texts import TEXTS, status_name

LOW_RATING = 2
"""A rating at or below this reopens the ticket and alerts the director."""
MAX_EXTENSION_DAYS = 30


@dataclass
class Outcome:
    """What an action changed, and who must now be told (recipient, audience, message)."""

    ticket: Ticket
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    """Staff who should have been told but have not bound WeChat: the actor must tell them."""

    def tell(self, openid: str | None, audience: str, key: str) -> None:
        """Owe OPENID the message KEY (worded later), if they have an account to send it to."""
        # One person in two roles (the director who handled it) hears it once.
        if openid and (openid, audience, key) not in self.messages:
            self.messages.append((openid, audience, key))

    def tell_staff(self, person: Staff | None, key: str) -> None:
        """Owe PERSON the staff message KEY, or note that WeChat cannot reach them."""
        if person is not None and not person.openid:
            if person.name not in self.unreachable:
                self.unreachable.append(person.name)
            return
        self.tell(person.openid if person else None, "staff", key)


def find_ticket(session: DbSession, committee: str, number: int) -> Ticket:
    """Return ticket NUMBER of this committee, or refuse."""
    ticket = session.get(Ticket, number)
    if ticket is None or ticket.committee != committee:
        raise TEXTS.refuse("no_such_ticket", id=number)
    return ticket


def _record(ticket: Ticket, kind: str, actor: str, now: datetime, note: str = "") -> None:
    ticket.events.append(TicketEvent(kind=kind, actor=actor, note=note, created_at=now))


def _actor(staff: Staff) -> str:
    return f"staff:{staff.name}"


def may_handle(ticket: Ticket, staff: Staff) -> bool:
    """True for the ticket's assignee and the director."""
    return staff.is_director or ticket.assignee_id == staff.id


def _require(ticket: Ticket, staff: Staff, statuses: tuple[Status, ...] = WORKING) -> None:
    if not may_handle(ticket, staff):
        raise TEXTS.refuse("not_yours", id=ticket.id)
    if ticket.status not in statuses:
        raise RefusalError(
            TEXTS.say("wrong_status", "zh", id=ticket.id, status=status_name(ticket.status)),
            TEXTS.say("wrong_status", "en", id=ticket.id, status=status_name(ticket.status, "en")))


def accept(ticket: Ticket, staff: Staff, now: datetime) -> Outcome:
    """Accept a ticket (taking it when nobody has it) and tell the resident, once."""
    if ticket.assignee_id is None and ticket.status in WORKING:
        ticket.assignee_id = staff.id
    _require(ticket, staff, (Status.NEW, Status.ASSIGNED, Status.REOPENED))
    # A colleague taking over a transferred ticket is no news to the resident: once is enough.
    news = ticket.accepted_at is None or ticket.status == Status.REOPENED
    ticket.status, ticket.accepted_at = Status.ACCEPTED, ticket.accepted_at or now
    _record(ticket, "accepted", _actor(staff), now)
    out = Outcome(ticket)
    if news:
        out.tell(ticket.resident_openid, "resident", "resident_accepted")
    return out


def add_note(ticket: Ticket, staff: Staff, note: str, now: datetime) -> Outcome:
    """Add a note to the history (any staff member with a role in its line may)."""
    if not (may_handle(ticket, staff) or staff.role_in(ticket.line)):
        raise TEXTS.refuse("not_yours", id=ticket.id)
    _record(ticket, "note", _actor(staff), now, note)
    return Outcome(ticket)


def resolve(ticket: Ticket, staff: Staff, result: str, now: datetime) -> Outcome:
    """Resolve a ticket with its result and ask the resident to rate the service."""
    _require(ticket, staff, (Status.ASSIGNED, Status.ACCEPTED, Status.REOPENED))
    ticket.accepted_at = ticket.accepted_at or now
    ticket.status, ticket.resolved_at = Status.RESOLVED, now
    _record(ticket, "resolved", _actor(staff), now, result)
    out = Outcome(ticket)
    out.tell(ticket.resident_openid, "resident", "resident_resolved")
    return out


def transfer(session: DbSession, ticket: Ticket, staff: Staff, to_name: str,
             now: datetime) -> Outcome:
    """Hand a ticket to a named colleague, who is told."""
    _require(ticket, staff)
    target = session.scalar(select(Staff).where(
        Staff.committee == ticket.committee, Staff.name == to_name, Staff.is_active.is_(True)))
    if target is None:
        raise TEXTS.refuse("no_such_colleague", name=to_name)
    ticket.assignee_id, ticket.status = target.id, Status.ASSIGNED
    _record(ticket, "transferred", _actor(staff), now, f"转交{target.name}")
    out = Outcome(ticket)
    out.tell_staff(target, "staff_new")
    return out


def send_back(ticket: Ticket, staff: Staff, reason: str, director: Staff | None,
              now: datetime) -> Outcome:
    """Return a misrouted ticket (退单) for the director to assign again."""
    _require(ticket, staff)
    ticket.assignee_id, ticket.status = None, Status.NEW
    _record(ticket, "returned", _actor(staff), now, reason)
    out = Outcome(ticket)
    out.tell_staff(director, "staff_returned")
    return out


def extend(ticket: Ticket, staff: Staff, days: int, reason: str, calendar: WorkCalendar,
           now: datetime) -> Outcome:
    """Extend the time limit (延期) by working DAYS, with a reason on record."""
    _require(ticket, staff)
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise TEXTS.refuse("extension_days", most=MAX_EXTENSION_DAYS)
    ticket.due_at = calendar.add_working_days(ticket.due_at or now, days)
    _record(ticket, "extended", _actor(staff), now, f"{days}个工作日：{reason}")
    out = Outcome(ticket)
    out.tell(ticket.resident_openid, "resident", "resident_extended")
    return out


def rate(ticket: Ticket, stars: int, director: Staff | None, assignee: Staff | None,
         now: datetime) -> Outcome:
    """Record the resident's rating; a low one reopens the ticket and alerts the director."""
    if ticket.status != Status.RESOLVED:
        raise TEXTS.refuse("cannot_rate")
    ticket.rating = stars
    _record(ticket, "rated", "resident", now, str(stars))
    out = Outcome(ticket)
    if stars <= LOW_RATING:
        ticket.status = Status.REOPENED
        _record(ticket, "reopened", "system", now, f"居民评价{stars}分")
        for person in (director, assignee):
            out.tell_staff(person, "staff_low_rating")
    else:
        ticket.status = Status.CLOSED
        _record(ticket, "closed", "system", now)
    return out


def cancel(ticket: Ticket, openid: str, now: datetime) -> Outcome:
    """Let the resident who raised a ticket withdraw it while it is still open."""
    if ticket.resident_openid != openid:
        raise TEXTS.refuse("no_such_ticket", id=ticket.id)
    if ticket.status not in WORKING:
        raise TEXTS.refuse("already_done")
    ticket.status = Status.CANCELLED
    _record(ticket, "cancelled", "resident", now)
    return Outcome(ticket)


def owe_messages(session: DbSession, outcome: Outcome,
                 compose: Callable[[str, Ticket], str]) -> None:
    """Owe the outcome's messages in SESSION's transaction, worded by COMPOSE(key, ticket)."""
    for openid, audience, key in outcome.messages:
        owe(session, openid, compose(key, outcome.ticket), audience=audience,
            ticket_id=outcome.ticket.id)
