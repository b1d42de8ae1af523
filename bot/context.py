"""What a handler may touch while answering one message."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from redis.exceptions import RedisError

from bot.conversation import Session
from bot.messages import Incoming
from bot.services import Services
from bot.texts import CORE
from knowledge.matcher import Matcher
from knowledge.models import Guide

log = logging.getLogger(__name__)

FAILED_KEY = "linli:failed-messages"
FAILED_KEEP = 5000


@dataclass
class Context:
    """The services, session, language and role of the person who sent one message."""

    services: Services
    message: Incoming
    session: Session
    lang: str = "zh"
    roles: frozenset[str] = frozenset({"resident"})
    # False while Redis is down: no session survives this message, so flows cannot continue.
    can_converse: bool = True

    def now(self) -> datetime:
        """Return the current time (the services' clock)."""
        return self.services.now()

    @property
    def guide(self) -> Guide:
        """Return the guide now serving."""
        return self.services.index.guide

    @property
    def matcher(self) -> Matcher:
        """Return the matcher now serving."""
        return self.services.index.matcher

    @property
    def committee(self) -> str:
        """Return the code of the committee this account serves."""
        return self.guide.committee.code

    def say(self, key: str, **values: object) -> str:
        """Return a core message in the sender's language."""
        return CORE.say(key, self.lang, **values)

    def queue_notifications(self, ids: Iterable[int]) -> None:
        """Queue delivery of notifications already stored (kept pending if Redis is down)."""
        self.services.jobs.queue_notifications(ids)

    def keep_failed(self, message: Incoming) -> None:
        """Keep a message whose handling failed, so staff can still follow it up."""
        try:
            pipe = self.services.redis.pipeline(transaction=False)
            pipe.lpush(FAILED_KEY, json.dumps(asdict(message), ensure_ascii=False))
            pipe.ltrim(FAILED_KEY, 0, FAILED_KEEP - 1)
            pipe.execute()
        except RedisError:
            log.error("could not keep failed message ref=%s", message.log_ref)
