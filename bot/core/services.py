"""The long-lived collaborators one process shares: database, Redis, guide, queue, WeChat API."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from redis import Redis

from bot.core.conversation import TurnStore
from bot.core.database import Database
from bot.core.held_turns import HeldTurns
from bot.core.jobs import JobQueue
from bot.core.meaning import meaning_layer
from bot.core.models import utcnow
from bot.core.outbox import deliver_after_commit
from bot.core.redis_breaker import redis_with_breaker
from bot.core.settings import Settings
from knowledge.loader import GuideError, fingerprint, load_guide
from knowledge.matcher import Matcher
from knowledge.models import Guide

if TYPE_CHECKING:
    from bot.wechat.api import LinliWeChatClient

log = logging.getLogger(__name__)

REDIS_TIMEOUT = 1.0
"""Seconds to wait on Redis before treating it as down: the webhook has 5 s in all."""
GUIDE_CHECK_SECONDS = 5.0
"""How often a running process looks (a stat of each guide file) for an edited guide."""


@dataclass(frozen=True)
class GuideIndex:
    """A guide and the matcher built on it, swapped together on reload."""

    guide: Guide
    matcher: Matcher
    fingerprint: str = ""


class Services:
    """Builds each collaborator once per process from the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Jobs and handlers read the time here, so tests can stand the clock anywhere.
        self.now: Callable[[], datetime] = utcnow
        self._index: GuideIndex | None = None
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._meaning = ""  # the meaning layer's state as last logged
        self._refused = ""  # fingerprint of an edit that failed validation, not retried
        self.guide_error: GuideError | None = None
        """Why the last edit of the guide was refused, while the previous guide keeps serving."""

    def _build_index(self) -> GuideIndex:
        # The fingerprint is taken first: an edit made while loading is seen at the next check.
        stamp = fingerprint(self.settings.guide_dir)
        guide = load_guide(self.settings.guide_dir)
        layer = meaning_layer(self.settings, guide.items)
        if layer.why != self._meaning:
            log.info("%s", layer.why)
            self._meaning = layer.why
        return GuideIndex(guide, Matcher(guide, semantic=layer.semantic, alarms=layer.alarms),
                          stamp)

    @property
    def index(self) -> GuideIndex:
        """Return the guide and matcher serving now: loaded on first use, reloaded when edited."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build_index()
                    self._checked_at = time.monotonic()
        elif time.monotonic() - self._checked_at >= GUIDE_CHECK_SECONDS:
            self._reload_if_edited()
        return self._index

    def _reload_if_edited(self) -> None:
        # One thread checks; the others keep answering with the guide they have.
        if not self._lock.acquire(blocking=False):
            return
        try:
            self._checked_at = time.monotonic()
            stamp = fingerprint(self.settings.guide_dir)
            if self._index is not None and stamp in (self._index.fingerprint, self._refused):
                return
            self._swap()
        finally:
            self._lock.release()

    def _swap(self) -> GuideIndex | None:
        try:
            index = self._build_index()
        except GuideError as error:
            self._refused, self.guide_error = fingerprint(self.settings.guide_dir), error
            log.error("edited guide refused, the previous one keeps serving: %s", error)
            return None
        self._index, self._refused, self.guide_error = index, "", None
        log.info("guide reloaded: %d items", len(index.guide.items))
        return index

    def reload_guide(self) -> GuideIndex:
        """Load the guide again now; if it fails validation the old one keeps serving."""
        with self._lock:
            self._checked_at = time.monotonic()
            index = self._swap()
        if index is None:
            assert self.guide_error is not None
            raise self.guide_error
        return index

    @cached_property
    def db(self) -> Database:
        """Return the database; what a transaction owes is queued once it commits."""
        database = Database(self.settings.database_url)
        deliver_after_commit(database.sessions, lambda ids: self.jobs.queue_notifications(ids))
        return database

    @cached_property
    def redis(self) -> Redis:
        """Return a Redis client with short timeouts."""
        return redis_with_breaker(self.settings.redis_url, socket_timeout=REDIS_TIMEOUT,
                                  socket_connect_timeout=REDIS_TIMEOUT)

    @cached_property
    def turns(self) -> TurnStore:
        """Return the store of answered callbacks and sessions."""
        return TurnStore(self.redis, self.settings.dedup_seconds, self.settings.session_seconds,
                         self.settings.max_clock_skew)

    @cached_property
    def held(self) -> HeldTurns:
        """Return the encrypted store of turns that failed while the database was away."""
        return HeldTurns(self.redis, self.settings.secret_key)

    @cached_property
    def jobs(self) -> JobQueue:
        """Return the follow-up job queue."""
        return JobQueue(self.redis, self.settings.queue_name)

    @cached_property
    def wechat(self) -> LinliWeChatClient:
        """Return the WeChat API client (never used inside the webhook)."""
        from bot.wechat.api import make_wechat_client

        s = self.settings
        return make_wechat_client(s.wechat_appid, s.wechat_secret, s.wechat_api_base, self.redis)


_current: Services | None = None
_current_lock = threading.Lock()


def current_services() -> Services:
    """Return this process's services, built from the environment on first use (for jobs)."""
    global _current
    with _current_lock:
        if _current is None:
            _current = Services(Settings.from_env())
        return _current


def install_services(services: Services | None) -> None:
    """Make SERVICES this process's own (the app factory and tests do this)."""
    global _current
    with _current_lock:
        _current = services
