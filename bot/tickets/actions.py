"""Act on a ticket as staff and queue the messages it owes: one path for WeChat and console."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import WorkCalendar
from bot.core.services import Services
from bot.staff.roster import Staff
from bot.tickets.assign import director_of
from bot.tickets.lifecycle import (
    Outcome,
    accept,
    add_note,
    extend,
    find_ticket,
    owe,
    resolve,
    send_back,
    transfer,
)
from bot.tickets.models import Ticket
from bot.tickets.texts import compose

"""The job that delivers one stored notification (named by path: the core never imports workers)."""

Action = Callable[[DbSession, Ticket, Staff], Outcome]
FindStaff = Callable[[DbSession], Staff]


def act_on_ticket(services: Services, committee: str, number: int, find_staff: FindStaff,
                  action: Action) -> None:
    """Run ACTION on ticket NUMBER as the staff FIND_STAFF names, store and queue its messages."""
    with services.db.session() as session:
        staff = find_staff(session)
        ticket = find_ticket(session, committee, number)
        outcome = action(session, ticket, staff)
        guide = services.index.guide
        ids = owe(session, outcome, lambda key, t: compose(key, t, guide))
        session.commit()
    # Queued only after the commit, so a worker never looks for a notification not yet stored;
    # if Redis is down the notification stays pending in the database for the sweeper.
    services.jobs.queue_notifications(ids)


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
