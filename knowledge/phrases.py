"""The clerk's own words: find an item's aliases in a message, exactly or by their sound."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from knowledge.models import Item
from knowledge.text import CJK_RUN, LATIN_WORD, normalise, pinyin, stem

MAX_WORDS = 4
"""Longest English alias, in words, looked for."""
_NAME_PARTS = re.compile(r"[（）()、，,：:；;]+")


@dataclass(frozen=True)
class Hit:
    """An alias found in a message: which items it names, where, and whether only by sound."""

    items: frozenset[int]
    start: int
    end: int
    size: int  # characters, or letters of English words
    by_sound: bool = False


def item_phrases(item: Item) -> list[str]:
    """Return an item's aliases and the parts of its Chinese name ('老年助餐（长者食堂）')."""
    parts = [p for p in _NAME_PARTS.split(item.name.zh) if len(p) >= 2]
    return [*item.aliases, *parts]


class PhraseIndex:
    """Aliases keyed by their folded text, their pinyin, and their English words."""

    def __init__(self, items: tuple[Item, ...]) -> None:
        chinese: dict[str, set[int]] = defaultdict(set)
        sounds: dict[str, set[int]] = defaultdict(set)
        english: dict[str, set[int]] = defaultdict(set)
        for index, item in enumerate(items):
            for phrase in item_phrases(item):
                folded = normalise(phrase)
                if CJK_RUN.search(folded):
                    compact = "".join(folded.split())
                    chinese[compact].add(index)
                    if CJK_RUN.fullmatch(compact) and len(compact) >= 3:
                        # Two-character sounds are too often shared by unrelated words.
                        sounds["|".join(pinyin(compact))].add(index)
                else:
                    words = [stem(w) for w in LATIN_WORD.findall(folded)]
                    if words:
                        english[" ".join(words)].add(index)
        self.chinese = {k: frozenset(v) for k, v in chinese.items()}
        self.sounds = {k: frozenset(v) for k, v in sounds.items()}
        self.english = {k: frozenset(v) for k, v in english.items()}
        self.longest = max((len(k) for k in self.chinese), default=0)

    def _chinese_hits(self, norm: str) -> list[Hit]:
        compact = "".join(norm.split())
        hits = []
        for start in range(len(compact) - 1):
            for end in range(start + 2, min(len(compact), start + self.longest) + 1):
                found = self.chinese.get(compact[start:end])
                if found:
                    hits.append(Hit(found, start, end, end - start))
        offset = 0
        for run in CJK_RUN.findall(compact):
            offset = compact.index(run, offset)
            syllables = pinyin(run)
            for start in range(len(run) - 2):
                for end in range(start + 3, min(len(run), start + self.longest) + 1):
                    found = self.sounds.get("|".join(syllables[start:end]))
                    if found:
                        hits.append(Hit(found, offset + start, offset + end, end - start, True))
            offset += len(run)
        return hits

    def _english_hits(self, norm: str) -> list[Hit]:
        words = [stem(w) for w in LATIN_WORD.findall(norm)]
        hits = []
        base = 10_000  # English spans never overlap Chinese ones
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_WORDS) + 1):
                found = self.english.get(" ".join(words[start:end]))
                if found:
                    letters = sum(len(w) for w in words[start:end])
                    hits.append(Hit(found, base + start, base + end, letters))
        return hits

    def find(self, norm: str) -> list[Hit]:
        """Return the aliases in folded text NORM, dropping any that sit inside a longer one."""
        hits = self._chinese_hits(norm) + self._english_hits(norm)
        kept = []
        for hit in hits:
            inside = any(
                other is not hit and other.start <= hit.start and hit.end <= other.end
                and (other.size > hit.size or (hit.by_sound and not other.by_sound))
                for other in hits)
            if not inside:
                kept.append(hit)
        return kept
