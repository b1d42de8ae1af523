"""Act on a ticket as staff and owe the messages it causes: one path for WeChat and console."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import WorkCalendar
from bot.core.errors import RefusalError
from bot.core.services import Services
from bot.staff.roster import Staff, staff_by_openid
from bot.tickets.assign import director_of
from bot.tickets.lifecycle import (
    Outcome,
    accept,
    add_note,
    extend,
    find_ticket,
    owe_messages,
    resolve,
    send_back,
    transfer,
)
from bot.tickets.models import Ticket
from bot.tickets.texts import compose

Action = Callable[[DbSession, Ticket, Staff], Outcome]


def acting_staff(session: DbSession, openid: str | None = None,
                 staff_id: int | None = None) -> Staff:
    """Return the active staff member writing from OPENID (WeChat) or signed in as STAFF_ID."""
    staff = staff_by_openid(session, openid) if openid else \
        session.get(Staff, staff_id) if staff_id is not None else None
    if staff is None or not staff.is_active:
        # Roles are cached for minutes and pages stay open for hours: the records decide.
        raise RefusalError("您的账号未绑定工作人员身份或已停用。",
                           "Your account is not bound to an active staff member.")
    return staff


def act_on_ticket(services: Services, committee: str, number: int, action: Action, *,
                  openid: str | None = None, staff_id: int | None = None) -> Outcome:
    """Run ACTION on ticket NUMBER as the staff member named by OPENID or STAFF_ID, owe the
    messages it causes in the same transaction, and return what happened."""
    with services.db.session() as session:
        staff = acting_staff(session, openid, staff_id)
        ticket = find_ticket(session, committee, number)
        outcome = action(session, ticket, staff)
        guide = services.index.guide
        owe_messages(session, outcome, lambda key, t: compose(key, t, guide))
        session.commit()
    return outcome


def accepting(now: datetime) -> Action:
    """Return the action that accepts a ticket."""
    return lambda session, ticket, me: accept(ticket, me, now)


def noting(text: str, now: datetime) -> Action:
    """Return the action that adds TEXT to a ticket's history."""
    return lambda session, ticket, me: add_note(ticket, me, text, now)


def resolving(result: str, now: datetime) -> Action:
    """Return the action that resolves a ticket with RESULT."""
    return lambda session, ticket, me: resolve(ticket, me, result, now)


def transferring(to_name: str, now: datetime) -> Action:
    """Return the action that hands a ticket to the colleague called TO_NAME."""
    return lambda session, ticket, me: transfer(session, ticket, me, to_name, now)


def returning(reason: str, now: datetime) -> Action:
    """Return the action that sends a ticket back to the director for REASON."""
    return lambda session, ticket, me: send_back(
        ticket, me, reason, director_of(session, ticket.committee), now)


def extending(days: int, reason: str, now: datetime) -> Action:
    """Return the action that extends a ticket's time limit by working DAYS."""
    def action(session: DbSession, ticket: Ticket, me: Staff) -> Outcome:
        calendar = WorkCalendar.load(session, ticket.committee)
        return extend(ticket, me, days, reason, calendar, now)
    return action
