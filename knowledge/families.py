"""Families of items for vague messages: find which family ('卡丢了': cards) a message names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.models import Family, Item
from knowledge.phrases import Hit
from knowledge.text import LATIN_WORD, normalise, stem

GAP = 4
"""At most this many characters stand for a '*' in a trigger ('卡*丢' finds 卡好像又丢)."""
_LATIN = re.compile(r"[a-z0-9]")
ENGLISH_BASE = 10_000
"""Where knowledge.phrases numbers English hits from (by word, apart from Chinese characters)."""


@dataclass(frozen=True)
class FamilyHit:
    """A family named in a message, and what the message says besides its trigger words."""

    family: Family
    rest: str
    """The folded message with the trigger words taken out: what could say which item."""
    items: tuple[int, ...]
    """Positions in the guide's items of the family's items, in the family's order."""
    said: tuple[str, ...] = ()
    """The trigger words as found in the message, spaces removed ('卡丢了')."""

    def only_trigger(self, norm: str, hits: list[Hit]) -> bool:
        """Return whether every alias HITS found in NORM lies inside the trigger words: the
        message names the family and no item ('我要投诉' but not '投诉物业', '老年补贴')."""
        compact = "".join(norm.split())
        words = [stem(word) for word in LATIN_WORD.findall(norm)]
        for hit in hits:
            if hit.start >= ENGLISH_BASE:
                phrase = "".join(words[hit.start - ENGLISH_BASE:hit.end - ENGLISH_BASE])
            else:
                phrase = compact[hit.start:hit.end]
            if not any(phrase in said for said in self.said):
                return False
        return True


def _pattern(trigger: str) -> str:
    """Return the regular expression of one trigger: '*' is a short gap, English is whole words."""
    folded = normalise(trigger)
    body = f"[^{re.escape('。！？!?,，；;')}]{{0,{GAP}}}".join(
        r"\s*".join(re.escape(part) for part in piece.split()) for piece in folded.split("*"))
    if _LATIN.match(folded[0]):
        body = r"\b" + body
    if _LATIN.match(folded[-1]):
        body += r"s?\b"
    return body


class FamilyIndex:
    """The guide's families, each trigger compiled once; the longest trigger found wins."""

    def __init__(self, families: tuple[Family, ...], items: tuple[Item, ...]) -> None:
        position = {item.code: index for index, item in enumerate(items)}
        self.patterns = [
            (family, re.compile("|".join(_pattern(t) for t in family.triggers)),
             tuple(position[code] for code in family.items))
            for family in families
        ]
        self.unless = {family.code: re.compile("|".join(_pattern(w) for w in family.unless))
                       for family in families if family.unless}

    def find(self, norm: str) -> FamilyHit | None:
        """Return the family folded text NORM names, or None ('我的卡丢了' -> cards)."""
        best: tuple[int, FamilyHit] | None = None
        for family, pattern, indices in self.patterns:
            said = tuple("".join(stem(w) for w in m.group().split())
                         for m in pattern.finditer(norm) if m.group())
            if not said:
                continue
            unless = self.unless.get(family.code)
            if unless is not None and unless.search(norm):
                continue  # 银行卡丢了 names a card, but not one of the committee's
            size = max(len(words) for words in said)
            if best is None or size > best[0]:
                rest = pattern.sub("|", norm).strip("| ")
                best = (size, FamilyHit(family, rest, indices, said))
        return best[1] if best else None
