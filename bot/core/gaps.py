"""Messages the guide could not answer, counted per day in Redis so the committee can grow it."""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from redis import Redis
from redis.exceptions import RedisError

from knowledge.gaps import cluster, nearest_item, redact
from knowledge.guide_edit import Field, learn
from knowledge.matcher import Candidate, Matcher

if TYPE_CHECKING:
    from bot.core.services import Services

log = logging.getLogger(__name__)

GAPS_KEY = "linli:gaps:{committee}:{day}"
"""A sorted set per committee and day: member 'outcome<US>redacted text', score the count."""
GAPS_TTL_SECONDS = 90 * 24 * 3600
"""How long a day's gaps are kept: long enough for a quarterly review of the guide."""
MAX_GAPS_PER_DAY = 2000
"""Distinct messages kept per day; the rarest go first, so a flood cannot fill Redis."""
_SEPARATOR = "\x1f"
LISTING_KEY = "linli:gaps:listing:{committee}"
"""The representatives of the last `guide gaps` listing, so `guide learn --cluster N` is stable."""
LISTING_TTL_SECONDS = 7 * 24 * 3600
"""How long a listing's numbers stay good: a week of working through it."""
CLUSTER_INPUT = 5000
"""Most frequent distinct messages grouped: a month of a busy committee's gaps, still fast."""


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


@dataclass(frozen=True)
class GapCluster:
    """Messages asking the same question: the most frequent first, and the item it is nearest."""

    members: tuple[Gap, ...]
    nearest: Candidate | None
    answered: bool
    """The guide answers the representative now (it was edited since the messages came)."""

    @property
    def text(self) -> str:
        """Return the representative message."""
        return self.members[0].text

    @property
    def count(self) -> int:
        """Return how often the question came, over all its wordings."""
        return sum(gap.count for gap in self.members)

    @property
    def outcomes(self) -> dict[str, int]:
        """Return how the matcher met it: {'none': 5, 'clarify': 2}."""
        mix: Counter[str] = Counter()
        for gap in self.members:
            mix[gap.outcome] += gap.count
        return dict(mix.most_common())

    def as_dict(self, number: int) -> dict[str, object]:
        """Return the JSON shape of `guide gaps --json`."""
        near = self.nearest
        return {"cluster": number, "text": self.text, "count": self.count,
                "outcomes": self.outcomes, "answered": self.answered,
                "nearest": None if near is None else {
                    "code": near.item.code, "name": near.item.name.zh,
                    "name_en": near.item.name.en, "score": round(near.score, 3)},
                "messages": [{"text": g.text, "outcome": g.outcome, "count": g.count,
                              "days": g.days} for g in self.members]}


def gap_clusters(redis: Redis, committee: str, since: date, until: date, matcher: Matcher,
                 limit: int = 20) -> list[GapCluster]:
    """Return the most asked unanswered questions from SINCE to UNTIL, grouped by wording."""
    gaps = top_gaps(redis, committee, since, until, CLUSTER_INPUT)
    groups = cluster([(gap.text, gap.count) for gap in gaps])[:limit]
    found: list[GapCluster] = []
    for group in groups:
        members = tuple(gaps[i] for i in group)
        near, answered = nearest_item(matcher, [gap.text for gap in members])
        found.append(GapCluster(members, near, answered))
    return found


def save_listing(redis: Redis, committee: str, clusters: list[GapCluster]) -> None:
    """Remember which representative each number of a listing stood for."""
    key = LISTING_KEY.format(committee=committee)
    try:
        redis.set(key, json.dumps([c.text for c in clusters], ensure_ascii=False),
                  ex=LISTING_TTL_SECONDS)
    except RedisError:
        log.warning("could not keep the gaps listing for committee=%s", committee)


def listed_text(redis: Redis, committee: str, number: int) -> str | None:
    """Return the representative of cluster NUMBER (from 1) of the last listing, or None."""
    raw = redis.get(LISTING_KEY.format(committee=committee))
    texts = json.loads(raw) if raw else []
    return str(texts[number - 1]) if 1 <= number <= len(texts) else None


def teach(services: Services, code: str, field: Field, text: str) -> str:
    """Add TEXT to item CODE's aliases or examples and switch to the edited guide; say so.

    Raises EditError (a GuideError) with the file untouched when the edit is refused.
    """
    from bot.core.services import GUIDE_CHECK_SECONDS

    edit = learn(services.settings.guide_dir, code, field, text)
    match = services.reload_guide().matcher.match(edit.text)
    kind = "别名 alias" if field == "aliases" else "例句 example"
    said = (f"已加入{kind} '{edit.text}' → {code} ({edit.path.parent.name}/{edit.path.name}). "
            f"Added; running processes pick it up within {GUIDE_CHECK_SECONDS:.0f} s, "
            "no restart needed.")
    if match.item is not None and match.item.code == code:
        return f"{said} 现在能答上 Now answered by {code}."
    got = match.item.code if match.item is not None else match.outcome
    return (f"{said} 注意：匹配结果仍是 {got} Note: the matcher still gives '{got}' for this "
            "text; an alias may help.")
