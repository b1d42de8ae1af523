"""Match a resident's message to guide items: the clerk's aliases, then TF-IDF on characters,
their sounds and English words; emergencies, courtesy and sorting questions come first."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from knowledge.garbage import GarbageIndex
from knowledge.models import Guide, Item, Sorting
from knowledge.phrases import PhraseIndex
from knowledge.rules import Emergency, find_courtesy, find_emergency
from knowledge.text import features, normalise

Outcome = Literal["item", "clarify", "emergency", "greeting", "thanks", "smalltalk", "cancel",
                  "none"]
"""smalltalk: chatter that needs no work (ok, 哈哈, 👍); cancel: a bare 算了 / cancel."""

CONFIDENT_SCORE = 0.42
"""A top score at or above this answers with the item (unless another is close)."""
CANDIDATE_SCORE = 0.12
"""Items scoring at least this may appear in a numbered list."""
CONFIRM_SCORE = 0.2
"""A lone candidate needs this much to be offered for confirmation rather than given up on."""
RELATIVE_SCORE = 0.6
"""Candidates must score at least this share of the top one to be listed beside it."""
CLOSE_GAP = 0.08
"""Two items whose scores differ by less than this are too close to pick one."""
ALIAS_BONUS = 0.45
"""Added when the message contains one of the item's aliases: the clerk's own words."""
SOUND_SHARE = 0.8
"""An alias heard only by its sound (以保卡 for 医保卡) counts this share of the bonus."""
MIN_KNOWN = 0.4
"""With no alias in it, a message whose words are mostly unseen in the guide is off topic."""
"""How much a message's share of words unseen in the guide lowers its scores."""
MAX_CANDIDATES = 4
COMMON_SHARE = 0.05
"""In a large guide, a feature found in more than this share of items is skipped when scoring:
its weight is small and its long posting list is most of the cost (FACTS: cost grows with size)."""
MIN_COMMON = 64
"""...but never below this many items, so a guide of a few dozen items scores every feature."""

# How much each part of an item says about it: its name most, its summary least.
MATCH_CACHE_SIZE = 4096
"""Distinct messages whose match each process keeps."""

_PARTS = (("name", 3.0), ("alias", 2.0), ("example", 1.0))
# Single characters say little; bigrams, their sounds and English words say more.
_KIND_WEIGHTS = {"char": 0.4, "bigram": 1.0, "sound": 0.6, "word": 1.0, "prefix": 0.5}


@lru_cache(maxsize=1 << 16)
def _kind(feature: str) -> str:
    if feature.startswith("w:"):
        return "word"
    if feature.startswith("p:"):
        return "prefix"
    if "_" in feature:
        return "sound"
    return "char" if len(feature) == 1 else "bigram"


@dataclass(frozen=True)
class Candidate:
    """An item and how well it matched."""

    item: Item
    score: float


@dataclass(frozen=True)
class Match:
    """What a message is about: one item, a choice of items, an emergency, courtesy or nothing."""

    text: str
    outcome: Outcome
    candidates: tuple[Candidate, ...] = ()
    emergency: Emergency | None = None
    score: float = 0.0
    item: Item | None = field(default=None)
    garbage: Sorting | None = None
    """For a sorting question ("电池扔哪"): the object named and its bin."""
    courtesy: str | None = None
    """For greeting/thanks/smalltalk/cancel: the kind of chatter (ack, laugh, emoji, test...)."""

    @property
    def disposition(self) -> str:
        """Return answer/handoff/refer for an item, else emergency/clarify/none."""
        if self.item is not None:
            return self.item.disposition
        if self.outcome in ("emergency", "clarify"):
            return self.outcome
        return "none"

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape of `guide match`."""
        def brief(item: Item) -> dict[str, str]:
            return {"code": item.code, "name": item.name.zh, "name_en": item.name.en}

        sorting = self.garbage
        return {
            "text": self.text,
            "disposition": self.disposition,
            "intent": self.outcome,
            "item": brief(self.item) if self.item else None,
            "candidates": [{**brief(c.item), "score": round(c.score, 3)} for c in self.candidates],
            "score": round(self.score, 3),
            "garbage": None if sorting is None else {
                "object": sorting.name.zh, "object_en": sorting.name.en, "bin": sorting.bin.code,
                "bin_name": sorting.bin.name.zh, "bin_name_en": sorting.bin.name.en},
        }


_COURTESY_OUTCOMES: dict[str, Outcome] = {"greeting": "greeting", "thanks": "thanks",
                                           "cancel": "cancel"}


def _courtesy_outcome(kind: str) -> Outcome:
    """Map a kind of chatter from knowledge.rules to the matcher's outcome."""
    return _COURTESY_OUTCOMES.get(kind, "smalltalk")


class Matcher:
    """An index over one guide; build a new one to reload, never mutate one in use."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.items = guide.items
        # Residents ask the same few questions over and over; a Match is immutable and the
        # matcher is never changed in place (a reload builds a new one), so answers can be kept.
        self.match: Callable[[str], Match] = lru_cache(maxsize=MATCH_CACHE_SIZE)(self._match)
        """Decide what a message is about (cached per matcher)."""
        weighted: list[dict[str, float]] = []
        for item in self.items:
            counts: dict[str, float] = defaultdict(float)
            for part, weight in _PARTS:
                for text in self._texts(item, part):
                    for feat in set(features(normalise(text))):
                        counts[feat] += weight
            weighted.append(counts)
        doc_freq = Counter(feat for counts in weighted for feat in counts)
        total = len(self.items)
        self.idf = {f: math.log((total + 1) / (df + 0.5)) * _KIND_WEIGHTS[_kind(f)]
                    for f, df in doc_freq.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, counts in enumerate(weighted):
            vector = {f: (1 + math.log(c)) * self.idf[f] for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for feat, value in vector.items():
                self.postings[feat].append((index, value / norm))
        self.common = max(MIN_COMMON, int(total * COMMON_SHARE))
        self.phrases = PhraseIndex(self.items)
        self.sorting: tuple[GarbageIndex, Item] | None = None
        if guide.garbage is not None:
            self.sorting = (GarbageIndex(guide.garbage), guide.item(guide.garbage.item))

    @staticmethod
    def _texts(item: Item, part: str) -> list[str]:
        if part == "name":
            return [item.name.zh, item.name.en]
        if part == "alias":
            return list(item.aliases)
        return list(item.examples)

    def _scores(self, norm: str) -> dict[int, float]:
        """Return each item's score for folded text NORM."""
        query = Counter(features(norm))
        weights = {f: self.idf[f] for f in query if f in self.idf}
        scores: dict[int, float] = defaultdict(float)
        hits = self.phrases.find(norm)
        for hit in hits:
            bonus = ALIAS_BONUS * (SOUND_SHARE if hit.by_sound else 1.0)
            for index in hit.items:
                scores[index] = max(scores[index], bonus)
        content = [f for f in query if _kind(f) in ("bigram", "word")]
        known = sum(1 for f in content if f in self.idf)
        if not hits and (not content or known < MIN_KNOWN * len(content)):
            return {}
        norm_q = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for feat, weight in weights.items():
            postings = self.postings[feat]
            if len(postings) > self.common:
                continue
            for index, value in postings:
                scores[index] += value * weight / norm_q
        return scores

    def _match(self, text: str) -> Match:
        """Decide what TEXT is about."""
        emergency = find_emergency(text)
        if emergency is not None:
            return Match(text, "emergency", emergency=emergency, score=1.0)
        courtesy = find_courtesy(text)
        if courtesy is not None:
            return Match(text, _courtesy_outcome(courtesy), courtesy=courtesy)
        norm = normalise(text)
        if self.sorting is not None:
            index, sorting_item = self.sorting
            found = index.lookup(norm)
            if found is not None:
                return Match(text, "item", (Candidate(sorting_item, 1.0),), score=1.0,
                             item=sorting_item, garbage=found)
        scores = self._scores(norm)
        ranked = sorted(scores.items(), key=lambda pair: -pair[1])
        best = ranked[0][1] if ranked else 0.0
        candidates = tuple(
            Candidate(self.items[i], s) for i, s in ranked[:MAX_CANDIDATES]
            if s >= CANDIDATE_SCORE and s >= best * RELATIVE_SCORE
        )
        if not candidates or (len(candidates) == 1 and best < CONFIRM_SCORE):
            return Match(text, "none", score=best)
        top = candidates[0]
        close = [c for c in candidates[1:] if top.score - c.score < CLOSE_GAP]
        if top.score >= CONFIDENT_SCORE and not close:
            return Match(text, "item", candidates, score=top.score, item=top.item)
        return Match(text, "clarify", (top, *close) if close else candidates, score=top.score)
