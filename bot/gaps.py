"""Messages the guide could not answer, counted per day in Redis so the committee can grow it."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from redis import Redis
from redis.exceptions import RedisError

from knowledge.gaps import redact

log = logging.getLogger(__name__)

GAPS_KEY = "linli:gaps:{committee}:{day}"
"""A sorted set per committee and day: member 'outcome<US>redacted text', score the count."""
GAPS_TTL_SECONDS = 90 * 24 * 3600
"""How long a day's gaps are kept: long enough for a quarterly review of the guide."""
MAX_GAPS_PER_DAY = 2000
"""Distinct messages kept per day; the rarest go first, so a flood cannot fill Redis."""
_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Gap:
    """A redacted message, what the matcher did with it, and how often it came."""

    text: str
    outcome: str
    count: int
    days: int


def _key(committee: str, day: date) -> str:
    return GAPS_KEY.format(committee=committee, day=day.isoformat())


def record_gap(redis: Redis, committee: str, text: str, outcome: str, day: date) -> bool:
    """Count a message that matched nothing ('none') or went to a list ('clarify').

    Returns False (and logs) when Redis is down: a missed count must never cost a reply.
    """
    redacted = redact(text)
    if not redacted:
        return False
    key = _key(committee, day)
    try:
        pipe = redis.pipeline(transaction=False)
        pipe.zincrby(key, 1, f"{outcome}{_SEPARATOR}{redacted}")
        pipe.expire(key, GAPS_TTL_SECONDS)
        pipe.zremrangebyrank(key, 0, -MAX_GAPS_PER_DAY - 1)
        pipe.execute()
    except RedisError:
        log.warning("could not record a guide gap for committee=%s", committee)
        return False
    return True


def top_gaps(redis: Redis, committee: str, since: date, until: date,
             limit: int = 20) -> list[Gap]:
    """Return the most frequent gaps from SINCE to UNTIL (both included), most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    days: Counter[tuple[str, str]] = Counter()
    pipe = redis.pipeline(transaction=False)
    span = (until - since).days + 1
    for offset in range(max(span, 0)):
        pipe.zrange(_key(committee, since + timedelta(days=offset)), 0, -1, withscores=True)
    for rows in pipe.execute():
        for member, score in rows:
            raw = member.decode("utf-8") if isinstance(member, bytes) else str(member)
            outcome, _, text = raw.partition(_SEPARATOR)
            counts[(text, outcome)] += int(score)
            days[(text, outcome)] += 1
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Gap(text, outcome, count, days[(text, outcome)])
            for (text, outcome), count in ranked[:limit]]
