"""Match a resident's message to guide items: the clerk's aliases, then TF-IDF on characters,
their sounds and English words; emergencies, courtesy and sorting questions come first."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

from knowledge.alarms import AlarmIndex
from knowledge.compound import clauses
from knowledge.families import FamilyIndex
from knowledge.garbage import GarbageIndex
from knowledge.models import Family, Guide, Item, Sorting
from knowledge.phrases import PhraseIndex
from knowledge.rules import Emergency, find_courtesy, find_emergency, opens_with_chatter
from knowledge.semantic import SemanticIndex
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
NEAREST_SCORE = 0.06
"""An unanswered message is offered the items scoring at least this as 'did you mean'."""
COMMON_SHARE = 0.05
"""In a large guide, a feature found in more than this share of items is skipped when scoring:
its weight is small and its long posting list is most of the cost (FACTS: cost grows with size)."""
MIN_COMMON = 64
"""...but never below this many items, so a guide of a few dozen items scores every feature."""

SEMANTIC_WEIGHT = 0.5
"""How much the meaning layer adds per unit of cosine above SEMANTIC_FLOOR (tuned on the eval,
fresh and tune sets only; bench/embedding_models.py --sweep)."""
SEMANTIC_FLOOR = 0.5
"""Cosines at or below this say nothing: unrelated sentences in one language already reach it."""
RESCUE_COSINE = 0.7
"""A message the lexical gate calls off topic is answered only for items this close in meaning."""
WEAK_LEXICAL = 0.25
"""Below this lexical top score a message counts as off topic for the meaning layer too: only
items within RESCUE_COSINE are added (tuned on the tune sets: 4 false answers gone, 1 lost)."""
DECISIVE_SCORE = 1.0
"""A lexical top score at least this far ahead needs no embedding: the meaning layer could not
change the answer (DECISIVE_GAP ahead of the second), and the ~3 ms are saved."""
DECISIVE_GAP = 0.5
"""See DECISIVE_SCORE."""

# How much each part of an item says about it: its name most, its summary least.
MATCH_CACHE_SIZE = 4096
"""Distinct messages whose match each process keeps."""

_ENGLISH_CONTEXT = re.compile(
    r"(?![^a-z]*\b(?:how|where|what|when|which|who|can|could|is|are|do|does|need|want|please|"
    r"register|apply|book|extend|renew|report|fix|repair)\b)[a-z0-9 ',.-]+")
"""An English clause with no question or request in it: context, not the first question."""

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
    family: Family | None = None
    """For a vague message offered a list ('卡丢了'): the family of items it named."""

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
            "family": None if self.family is None else {
                "code": self.family.code, "name": self.family.name.zh,
                "name_en": self.family.name.en},
            "garbage": None if sorting is None else {
                "object": sorting.name.zh, "object_en": sorting.name.en, "bin": sorting.bin.code,
                "bin_name": sorting.bin.name.zh, "bin_name_en": sorting.bin.name.en},
        }


_COURTESY_OUTCOMES: dict[str, Outcome] = {"greeting": "greeting", "thanks": "thanks",
                                           "cancel": "cancel"}


def _is_decisive(scores: dict[int, float] | None) -> bool:
    """Return whether lexical SCORES already settle the answer whatever the meaning layer adds."""
    if not scores:
        return False
    top, second = [*sorted(scores.values(), reverse=True), 0.0][:2]
    return top >= DECISIVE_SCORE and top - second >= DECISIVE_GAP


def _courtesy_outcome(kind: str) -> Outcome:
    """Map a kind of chatter from knowledge.rules to the matcher's outcome."""
    return _COURTESY_OUTCOMES.get(kind, "smalltalk")


class Matcher:
    """An index over one guide; build a new one to reload, never mutate one in use."""

    def __init__(self, guide: Guide, semantic: SemanticIndex | None = None,
                 alarms: AlarmIndex | None = None) -> None:
        self.guide = guide
        self.items = guide.items
        self.semantic = semantic
        """The meaning layer built on this guide's items, or None to match lexically only."""
        self.alarms = alarms
        """Emergencies found by meaning where no rule fired, or None for the rules alone."""
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
        self.families = FamilyIndex(guide.families, self.items)
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
        """Return each item's score for folded text NORM: lexical, plus meaning when on."""
        return self._fused(norm, self._lexical(norm))

    def _fused(self, norm: str, lexical: dict[int, float] | None) -> dict[int, float]:
        """Return the LEXICAL scores of NORM with the meaning layer's added when it is on."""
        if self.semantic is None or _is_decisive(lexical):
            return lexical or {}
        cosines = self.semantic.similarities(norm)
        scores = dict(lexical or {})
        # Off topic by its words, or nearly (驾照换证 shares only 换证 with the guide): only a
        # clear match in meaning may answer it.
        weak = not scores or max(scores.values()) < WEAK_LEXICAL
        for i in np.flatnonzero(cosines >= RESCUE_COSINE if weak else cosines > SEMANTIC_FLOOR):
            scores[int(i)] = scores.get(int(i), 0.0) + SEMANTIC_WEIGHT * (
                float(cosines[i]) - SEMANTIC_FLOOR)
        return scores

    def _lexical(self, norm: str) -> dict[int, float] | None:
        """Return each item's lexical score for NORM, or None when its words are off topic."""
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
            return None
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
        lexical = self._lexical(norm)
        if self.alarms is not None and not _is_decisive(lexical):
            # A decisive lexical answer (敬老卡怎么办) is no emergency the rules missed, and
            # skipping it saves the ~2 ms embedding on the questions residents ask most.
            emergency = self.alarms.find(norm)
            if emergency is not None:
                return Match(text, "emergency", emergency=emergency, score=1.0)
        scores = self._fused(norm, lexical)
        ranked = sorted(scores.items(), key=lambda pair: -pair[1])
        best = ranked[0][1] if ranked else 0.0
        candidates = tuple(
            Candidate(self.items[i], s) for i, s in ranked[:MAX_CANDIDATES]
            if s >= CANDIDATE_SCORE and s >= best * RELATIVE_SCORE
        )
        named = self.families.find(norm)
        if named is not None:
            # A family's words alone (卡丢了, 我要投诉) do not say which item: ask, unless the rest
            # of the message does (医保卡丢了 -> 医保 -> the medical card).
            own_words = named.only_trigger(norm, self.phrases.find(norm))
            rest = sorted(self._scores(named.rest).items() if named.rest else (),
                          key=lambda pair: -pair[1])
            if own_words and (not rest or rest[0][1] < CONFIRM_SCORE):
                order = sorted(named.items, key=lambda i: -scores.get(i, 0.0))
                listed = tuple(Candidate(self.items[i], scores.get(i, 0.0)) for i in order)
                return Match(text, "clarify", listed, score=listed[0].score,
                             family=named.family)
            if rest and rest[0][1] >= CONFIDENT_SCORE and rest[0][0] in named.items \
                    and (not ranked or rest[0][0] != ranked[0][0]):
                # 我要投诉楼上太吵: 投诉 only named the family, 太吵 says which of its items.
                chosen = Candidate(self.items[rest[0][0]], scores.get(rest[0][0], rest[0][1]))
                return Match(text, "item", (chosen,), score=chosen.score, item=chosen.item)
        if not candidates or (len(candidates) == 1 and best < CONFIRM_SCORE):
            chatter = opens_with_chatter(text)
            if chatter is not None:  # 饿死了，晚饭还没好: a friendly word, not "not understood"
                return Match(text, "smalltalk", courtesy=chatter, score=best)
            return Match(text, "none", score=best)
        first = self._first_of_several(text, candidates)
        if first is not None:
            # 居委几点开门 我要来办敬老卡: two items named, the first one asked is answered first
            # (the service offers the other, "回复 2 查看").
            others = tuple(c for c in candidates if c.item is not first.item)
            return Match(text, "item", (first, *others), score=first.score, item=first.item)
        top = candidates[0]
        close = [c for c in candidates[1:] if top.score - c.score < CLOSE_GAP]
        if top.score >= CONFIDENT_SCORE and not close:
            return Match(text, "item", candidates, score=top.score, item=top.item)
        return Match(text, "clarify", (top, *close) if close else candidates, score=top.score)

    def _first_of_several(self, text: str,
                          candidates: tuple[Candidate, ...]) -> Candidate | None:
        """Return the item a message's first clause asks for, when a later clause asks for
        another of its candidates: the message names two items, and the first comes first."""
        if len(candidates) < 2:
            return None
        parts = clauses(text)
        if len(parts) < 2:
            return None
        if _ENGLISH_CONTEXT.fullmatch(normalise(parts[0])):
            return None  # "my mum lives alone, can she get an emergency button": context first
        heads = [self.match(part) for part in parts]
        first = heads[0]
        if first.outcome != "item" or first.item is None or first.garbage is not None:
            return None
        offered = {c.item.code: c for c in candidates}
        later = {m.item.code for m in heads[1:] if m.outcome == "item" and m.item is not None}
        if first.item.code not in offered or not (later - {first.item.code}) & set(offered):
            return None
        return offered[first.item.code]

    def nearest(self, text: str, count: int = 3) -> tuple[Candidate, ...]:
        """Return up to COUNT items closest to TEXT, for offering when nothing matched."""
        ranked = sorted(self._scores(normalise(text)).items(), key=lambda pair: -pair[1])
        return tuple(Candidate(self.items[i], s) for i, s in ranked[:count]
                     if s >= NEAREST_SCORE)
