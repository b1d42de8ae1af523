"""A resident rates a resolved ticket 1-5; a low rating reopens it and alerts the director."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dispatch.context import Context
from bot.staff.roster import Staff
from bot.tickets.assign import director_of
from bot.tickets.lifecycle import owe_messages, rate
from bot.tickets.models import Status, Ticket
from bot.tickets.texts import compose
from bot.wechat.messages import Reply
from handlers.texts import TEXTS

RATING_WINDOW = timedelta(days=7)
"""How long after resolving a bare '1'-'5' is still read as a rating."""


def try_rating(ctx: Context, text: str) -> Reply | None:
    """Record TEXT as a rating when it is a digit 1-5 and the sender has a ticket to rate."""
    stars = text.strip().rstrip("分星.。")
    if len(stars) != 1 or stars not in "12345":
        return None
    with ctx.services.db.session() as session:
        ticket = session.scalar(
            select(Ticket).where(Ticket.committee == ctx.committee,
                                 Ticket.resident_openid == ctx.message.openid,
                                 Ticket.status == Status.RESOLVED,
                                 Ticket.resolved_at >= ctx.now() - RATING_WINDOW)
            .order_by(Ticket.resolved_at.desc()).limit(1))
        if ticket is None:
            return None
        assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
        outcome = rate(ticket, int(stars), director_of(session, ctx.committee), assignee,
                       ctx.now())
        owe_messages(session, outcome, lambda key, t: compose(key, t, ctx.guide))
        number, reopened = ticket.id, ticket.status == Status.REOPENED
        # A bare digit says nothing of language: answer in the one the ticket was opened in.
        lang = ticket.lang or ctx.lang
        session.commit()
    return Reply(TEXTS.say("rated_low" if reopened else "rated", lang, ticket=number,
                           stars=stars))
