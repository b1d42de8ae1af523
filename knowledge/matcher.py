"""Match a resident's message to guide items: TF-IDF on characters and words, plus aliases."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from knowledge.models import Guide, Item
from knowledge.rules import Emergency, find_courtesy, find_emergency
from knowledge.text import features, normalise

Outcome = Literal["item", "clarify", "emergency", "greeting", "thanks", "none"]

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
MAX_CANDIDATES = 4
UNKNOWN_SHARE = 0.75
"""A message whose features are mostly unseen in the guide is off topic."""

# How much each part of an item says about it: its name most, examples least.
_WEIGHTS = (("name", 3.0), ("alias", 2.0), ("example", 1.0))


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

        return {
            "text": self.text,
            "disposition": self.disposition,
            "intent": self.outcome,
            "item": brief(self.item) if self.item else None,
            "candidates": [{**brief(c.item), "score": round(c.score, 3)} for c in self.candidates],
            "score": round(self.score, 3),
        }


class Matcher:
    """An index over one guide; build a new one to reload, never mutate one in use."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.items = guide.items
        weighted: list[dict[str, float]] = []
        for item in self.items:
            counts: dict[str, float] = defaultdict(float)
            for part, weight in _WEIGHTS:
                for text in self._texts(item, part):
                    for feat in set(features(text)):
                        counts[feat] += weight
            weighted.append(counts)
        doc_freq = Counter(feat for counts in weighted for feat in counts)
        total = len(self.items)
        self.idf = {f: math.log((total + 1) / (df + 0.5)) for f, df in doc_freq.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, counts in enumerate(weighted):
            vector = {f: (1 + math.log(c)) * self.idf[f] for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for feat, value in vector.items():
                self.postings[feat].append((index, value / norm))
        self.aliases = sorted(
            ((normalise(a), i) for i, item in enumerate(self.items) for a in item.aliases),
            key=lambda pair: -len(pair[0]),
        )

    @staticmethod
    def _texts(item: Item, part: str) -> list[str]:
        if part == "name":
            return [item.name.zh, item.name.en]
        if part == "alias":
            return list(item.aliases)
        return list(item.examples)

    def _scores(self, text: str) -> dict[int, float]:
        query = Counter(features(text))
        known = [f for f in query if f in self.idf]
        if not query or len(known) < len(query) * (1 - UNKNOWN_SHARE):
            return {}
        weights = {f: self.idf[f] for f in known}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for feat, weight in weights.items():
            for index, value in self.postings[feat]:
                scores[index] += value * weight / norm
        norm_text = normalise(text)
        boosted: set[int] = set()
        for alias, index in self.aliases:
            if index not in boosted and alias in norm_text:
                boosted.add(index)
                scores[index] += ALIAS_BONUS
        return scores

    def match(self, text: str) -> Match:
        """Decide what TEXT is about."""
        emergency = find_emergency(text)
        if emergency is not None:
            return Match(text, "emergency", emergency=emergency, score=1.0)
        courtesy = find_courtesy(text)
        if courtesy is not None:
            return Match(text, "greeting" if courtesy == "greeting" else "thanks")
        ranked = sorted(self._scores(text).items(), key=lambda pair: -pair[1])
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
