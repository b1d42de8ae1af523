"""Turns whose handling failed (the database away): kept whole and encrypted in Redis, so that
what the resident was told is recorded becomes a ticket when the database returns."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from redis import Redis
from redis.exceptions import RedisError

from bot.wechat.messages import Incoming

log = logging.getLogger(__name__)

HELD_KEY = "linli:held-turns"
REPLAYING_KEY = "linli:held-turns:replaying"
"""A turn being replayed sits here, so a worker dying mid-replay loses nothing."""
REPLAY_LOCK_KEY = "linli:held-turns:lock"
REPLAY_LOCK_SECONDS = 300
"""One replayer at a time: what sits in REPLAYING_KEY then belongs to a replayer that died."""
HELD_MAX = 5000
HELD_SECONDS = 7 * 24 * 3600
"""Kept a week at most: an outage longer than that is for staff to follow up by hand."""


@dataclass(frozen=True)
class HeldTurn:
    """One message as it arrived, the conversation it belonged to, and the sender's language."""

    message: Incoming
    session: dict[str, Any]
    lang: str
    held_at: float


def _fernet(secret_key: str) -> Fernet:
    # Derived from the console's session key: no second secret to configure, and rotating the
    # key retires what was held under the old one.
    digest = hashlib.sha256(b"linli held turns\0" + secret_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class HeldTurns:
    """The encrypted list of failed turns in Redis."""

    def __init__(self, redis: Redis, secret_key: str) -> None:
        self.redis = redis
        self.fernet = _fernet(secret_key)

    def keep(self, message: Incoming, session: dict[str, Any], lang: str) -> bool:
        """Keep a failed turn (OpenID and words encrypted); return False if Redis is down too."""
        plain = json.dumps({"message": asdict(message), "session": session, "lang": lang,
                            "held_at": time.time()}, ensure_ascii=False)
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.lpush(HELD_KEY, self.fernet.encrypt(plain.encode("utf-8")))
            pipe.ltrim(HELD_KEY, 0, HELD_MAX - 1)
            pipe.expire(HELD_KEY, HELD_SECONDS)
            pipe.execute()
        except RedisError:
            log.error("could not hold failed turn ref=%s", message.log_ref)
            return False
        return True

    def _open(self, token: bytes | str) -> HeldTurn | None:
        try:
            data = json.loads(self.fernet.decrypt(token))
            return HeldTurn(Incoming(**data["message"]), dict(data["session"]),
                            str(data["lang"]), float(data["held_at"]))
        except (InvalidToken, ValueError, KeyError, TypeError):
            return None  # another key's, or damaged: nothing can be done with it

    def replay(self, handle: Callable[[HeldTurn], bool], limit: int = 100) -> int:
        """Hand each held turn, oldest first, to HANDLE; stop at the first it cannot finish
        (the database still away) and keep that one. Return how many were finished."""
        lock = self.redis.lock(REPLAY_LOCK_KEY, timeout=REPLAY_LOCK_SECONDS, blocking=False)
        if not lock.acquire():
            return 0  # another worker is replaying: a second would send each reply twice
        try:
            # Under the lock, a turn in REPLAYING_KEY was left by a replayer that died.
            self.redis.lmove(REPLAYING_KEY, HELD_KEY, "RIGHT", "RIGHT")
            return self._replay_each(handle, limit)
        finally:
            lock.release()

    def _replay_each(self, handle: Callable[[HeldTurn], bool], limit: int) -> int:
        done = 0
        while done < limit:
            token = self.redis.lmove(HELD_KEY, REPLAYING_KEY, "RIGHT", "LEFT")
            if token is None:
                break
            turn = self._open(token)
            if turn is not None and not handle(turn):
                self.redis.lmove(REPLAYING_KEY, HELD_KEY, "LEFT", "RIGHT")
                break
            self.redis.lrem(REPLAYING_KEY, 1, token)  # type: ignore[arg-type]
            done += turn is not None
        return done

    def count(self) -> int:
        """Return how many turns are held."""
        return int(self.redis.llen(HELD_KEY))
