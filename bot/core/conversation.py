"""Short-lived state in Redis: which callbacks were answered, and each person's conversation."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from bot.core.wire import ScriptWire

log = logging.getLogger(__name__)

WINDOW_SECONDS = 48 * 3600
PENDING = "P"
"""Value of a claimed callback whose reply is not ready yet."""
PENDING_SECONDS = 30
"""A claim whose process died is given up after this, so a later retry is served."""
TAKEOVER_SECONDS = 4.0
"""A retry finding a claim this old and still unanswered handles the message itself: WeChat
only retries once the first attempt has missed its 5 s, so that attempt died or hung. Were it
alive after all, the ticket's unique source still keeps one ticket."""
RATE_SECONDS = 60
"""The window in which a sender's new messages are counted (retries are not)."""
POLL_SECONDS = 0.05


# One round trip each way, and one command for redis-py to pack and parse: on the webhook's
# hot path the client's own work costs more than Redis does (see bench/README.md).
_BEGIN = """
if ARGV[5] ~= '' then
  -- A signed query seen before with another body: refused before anything is claimed.
  if not redis.call('SET', KEYS[5], ARGV[5], 'NX', 'EX', ARGV[6]) and
      redis.call('GET', KEYS[5]) ~= ARGV[5] then
    return {-1}
  end
end
local claimed = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
local current = false
local recent = 0
if not claimed then
  current = redis.call('GET', KEYS[1])
  -- A claim older than ARGV[4] without a reply: its process died or hung past WeChat's 5 s.
  if current and string.sub(current, 1, 1) == 'P' and tonumber(string.sub(current, 2)) and
      tonumber(string.sub(current, 2)) < tonumber(ARGV[4]) then
    redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
    claimed = true
  end
end
if claimed then
  recent = redis.call('INCR', KEYS[4])
  if recent == 1 then redis.call('EXPIRE', KEYS[4], ARGV[3]) end
end
return {claimed and 1 or 0, current, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), recent}
"""
_FINISH = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SET', KEYS[2], '0', 'EX', ARGV[3])
if ARGV[4] == 'set' then redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
elseif ARGV[4] == 'del' then redis.call('DEL', KEYS[3]) end
return 1
"""


@dataclass(frozen=True)
class Signed:
    """A callback's signed query (timestamp and nonce) and the digest of the body it carried."""

    key: str
    digest: str

    @classmethod
    def of(cls, query: Mapping[str, str], body: bytes) -> Signed:
        """Return what identifies QUERY and BODY for the reuse check."""
        return cls(f"linli:nonce:{query.get('timestamp', '')}:{query.get('nonce', '')}",
                   hashlib.sha256(body).hexdigest())


def window_key(openid: str) -> str:
    """Return the key that exists while OPENID's 48-hour window is open; it counts messages."""
    return f"linli:window:{openid}"


@dataclass
class Session:
    """One person's conversation state: which flow is open and what it has collected."""

    data: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    loaded: bytes | None = None
    """The stored form this session was read from, so the turn's starting point can be had
    again (a failed turn is held on it) without copying every session on every turn."""

    def as_loaded(self) -> dict[str, Any]:
        """Return the conversation as it stood before this turn changed anything."""
        return _load(self.loaded)

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
    recent: int = 0
    """New messages from this sender in the last RATE_SECONDS, this one included."""
    is_reused: bool = False
    """The signed query came before with another body: refuse the callback."""


class TurnStore:
    """Claims callbacks exactly once and keeps replies and sessions, in one round trip each way."""

    def __init__(self, redis: Redis, dedup_seconds: int, session_seconds: int,
                 max_clock_skew: int = 300) -> None:
        self.redis = redis
        self.dedup_seconds = dedup_seconds
        self.session_seconds = session_seconds
        # A signed query is remembered for the freshness window either side, and a margin.
        self.nonce_seconds = 2 * max_clock_skew + 60
        self._wire = ScriptWire(redis)

    @staticmethod
    def _keys(account: str, dedup_key: str, openid: str) -> tuple[str, str]:
        return f"linli:dedup:{account}:{dedup_key}", f"linli:session:{account}:{openid}"

    def begin(self, account: str, dedup_key: str, openid: str,
              signed: Signed | None = None) -> Turn:
        """Claim a callback and load the sender's session, refusing a SIGNED query reused with
        another body, in one round trip; tolerate Redis being down."""
        claim_key, session_key = self._keys(account, dedup_key, openid)
        now = time.time()
        nonce_key, digest = (signed.key, signed.digest) if signed else ("linli:nonce:-", "")
        try:
            found = self._wire.run(
                _BEGIN, [claim_key, session_key, f"linli:roles:{openid}",
                         f"linli:rate:{account}:{openid}", nonce_key],
                [f"{PENDING}{now:.3f}", PENDING_SECONDS, RATE_SECONDS,
                 f"{now - TAKEOVER_SECONDS:.3f}", digest, self.nonce_seconds])
        except RedisError as exc:
            # The signature and its freshness were checked; only reuse and retries go unseen.
            log.warning("redis unavailable, serving without de-duplication: %s", type(exc).__name__)
            return Turn(True, None, Session(), is_redis_up=False)
        if found[0] == -1:
            return Turn(False, None, Session(), is_reused=True)
        claimed, current, raw_session, roles, recent = found
        session = Session(_load(raw_session), loaded=raw_session)
        if claimed == 1:
            return Turn(True, None, session, cached_roles=roles, recent=int(recent))
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
        mode = ("set" if session.data else "del") if session.changed else "keep"
        data = json.dumps(session.data, ensure_ascii=False) if mode == "set" else ""
        try:
            # Writing to us reopens WeChat's window: 48 hours, 5 messages (the count restarts).
            self._wire.run(_FINISH, [claim_key, window_key(openid), session_key],
                           ["R" + reply, self.dedup_seconds, WINDOW_SECONDS, mode, data,
                            self.session_seconds])
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
