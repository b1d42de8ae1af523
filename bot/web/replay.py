"""Replay turns held while the database was away (an RQ job the worker queues at maintenance):
each becomes what it would have been, a ticket included, and the resident is told."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.conversation import Session
from bot.core.held_turns import HeldTurn
from bot.core.outbox import owe
from bot.core.services import Services, current_services
from bot.core.texts import CORE
from bot.dispatch.context import Context
from bot.dispatch.identity import lookup_roles
from bot.web.app import build_router

log = logging.getLogger(__name__)

JOB = "bot.web.replay.replay_held_turns"


def replay_held_turns() -> int:
    """Replay what is held, if the database answers again; return how many were replayed."""
    services = current_services()
    if services.held.count() == 0 or not _database_answers(services):
        return 0
    router = build_router()

    def handle(turn: HeldTurn) -> bool:
        message = turn.message
        ctx = Context(services=services, message=message, session=Session(dict(turn.session)),
                      lang=turn.lang, roles=lookup_roles(services, message.openid),
                      can_converse=False)
        route = router.resolve(message, ctx.session.flow, ctx.roles)
        if route is None:
            return True  # not allowed then, not allowed now: nothing to record
        try:
            # The handler is called directly, not through dispatch: a failure must keep the
            # turn held, not hold it a second time. The ticket is unique on the message, so a
            # replay repeated after a crash opens nothing new.
            reply = route.handler(message, ctx)
            if reply is not None and reply.text:
                _tell_resident(services, message.openid,
                               f"{CORE.say('replayed', turn.lang)}\n{reply.text}")
        except SQLAlchemyError as error:
            log.warning("held turn kept, database still failing: %s", type(error).__name__)
            return False
        return True

    done = services.held.replay(handle)
    log.info("replayed %d held turn(s)", done)
    return done


def _database_answers(services: Services) -> bool:
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _tell_resident(services: Services, openid: str, body: str) -> None:
    """Send the reply the resident would have had, now, as a customer-service message."""
    with services.db.session() as session:
        owe(session, openid, body, audience="resident")
        session.commit()

