"""What a handler may touch while answering one message."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.core.conversation import Session
from bot.core.services import Services
from bot.core.texts import CORE
from bot.wechat.messages import Incoming
from knowledge.matcher import Matcher
from knowledge.models import Guide

log = logging.getLogger(__name__)



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

    def keep_failed(self, message: Incoming) -> None:
        """Hold the whole turn whose handling failed (the conversation as it was before it),
        encrypted, so the worker replays it into what it should have been."""
        self.services.held.keep(message, self.session.as_loaded(), self.lang)
