"""Short-lived state in Redis: which callbacks were answered, and each person's conversation."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WINDOW_SECONDS = 48 * 3600
PENDING = "P"
"""Value of a claimed callback whose reply is not ready yet."""
PENDING_SECONDS = 30
"""A claim whose process died is given up after this, so a later retry is served."""
POLL_SECONDS = 0.05


def seen_key(openid: str) -> str:
    """Return the key that exists while OPENID's 48-hour messaging window is open."""
    return f"linli:seen:{openid}"


def sent_key(openid: str) -> str:
    """Return the key counting messages sent to OPENID in the current window."""
    return f"linli:sent:{openid}"


@dataclass
class Session:
    """One person's conversation state: which flow is open and what it has collected."""

    data: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    @property
    def flow(self) -> str | None:
        """Return the open flow's name, if any."""
        value = self.data.get("flow")
        return str(value) if value else None

    def get(self, key: str, default: Any = None) -> Any:
        """Return a value the flow stored."""
        return self.data.get(key, default)

    def start(self, flow: str, **state: Any) -> None:
        """Open FLOW with STATE, replacing any flow already open."""
        self.data = {"flow": flow, **state}
        self.changed = True

    def update(self, **state: Any) -> None:
        """Store more STATE in the open flow."""
        self.data.update(state)
        self.changed = True

    def end(self) -> None:
        """Close the open flow."""
        self.data = {}
        self.changed = True


@dataclass
class Turn:
    """What Redis knew when a callback arrived."""

    is_first: bool
    stored_reply: str | None
    session: Session
    is_redis_up: bool = True
    cached_roles: bytes | None = None


class TurnStore:
    """Claims callbacks exactly once and keeps replies and sessions, in one round trip each way."""

    def __init__(self, redis: Redis, dedup_seconds: int, session_seconds: int) -> None:
        self.redis = redis
        self.dedup_seconds = dedup_seconds
        self.session_seconds = session_seconds

    @staticmethod
    def _keys(account: str, dedup_key: str, openid: str) -> tuple[str, str]:
        return f"linli:dedup:{account}:{dedup_key}", f"linli:session:{account}:{openid}"

    def begin(self, account: str, dedup_key: str, openid: str) -> Turn:
        """Claim a callback and load the sender's session; tolerate Redis being down."""
        claim_key, session_key = self._keys(account, dedup_key, openid)
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(claim_key, PENDING, nx=True, ex=PENDING_SECONDS)
            pipe.get(claim_key)
            pipe.get(session_key)
            pipe.get(f"linli:roles:{openid}")
            claimed, current, raw_session, roles = pipe.execute()
        except RedisError as exc:
            log.warning("redis unavailable, serving without de-duplication: %s", type(exc).__name__)
            return Turn(True, None, Session(), is_redis_up=False)
        session = Session(_load(raw_session))
        if claimed:
            return Turn(True, None, session, cached_roles=roles)
        return Turn(False, _reply_of(current), session, cached_roles=roles)

    def wait_for_reply(self, account: str, dedup_key: str, seconds: float) -> str | None:
        """Wait for the first attempt of a retried callback to store its reply."""
        claim_key, _ = self._keys(account, dedup_key, "")
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                reply = _reply_of(self.redis.get(claim_key))
                if reply is not None:
                    return reply
                time.sleep(POLL_SECONDS)
        except RedisError:
            return None
        return None

    def finish(self, account: str, dedup_key: str, openid: str, reply: str,
               session: Session) -> None:
        """Store the reply for retries and the session if it changed."""
        claim_key, session_key = self._keys(account, dedup_key, openid)
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(claim_key, "R" + reply, ex=self.dedup_seconds)
            # WeChat lets us message someone for 48 hours after they last wrote, 5 times.
            pipe.set(seen_key(openid), "1", ex=WINDOW_SECONDS)
            pipe.delete(sent_key(openid))
            if session.changed and session.data:
                pipe.set(session_key, json.dumps(session.data, ensure_ascii=False),
                         ex=self.session_seconds)
            elif session.changed:
                pipe.delete(session_key)
            pipe.execute()
        except RedisError as exc:
            log.warning("redis unavailable, reply and session not stored: %s",
                        type(exc).__name__)


def _load(raw: bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _reply_of(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    return text[1:] if text.startswith("R") else None
