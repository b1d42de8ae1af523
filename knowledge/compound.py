"""Split a message that asks several things at once ('大骨头和奶茶杯怎么扔') into its parts."""

from __future__ import annotations

import re
from collections.abc import Callable

_JOINERS = re.compile(
    r"\s*(?:还有|另外|以及|(?<!暖|温|随|总|缓|柔|平)和(?!平|睦|好|谐|气)|跟(?!进|踪|着|前|随)|[、，,；;]"
    r"|\b(?:and|also|plus)\b)\s*", re.IGNORECASE)
"""Where one question may end and the next begin; 和平 or 跟进 are words, not joins."""
_ONE_MATTER = re.compile(r"都|一起|同时|一块|\bboth\b|\ball\b", re.IGNORECASE)
"""A shared predicate (医保卡和身份证都丢了) makes the parts one matter."""
MIN_PART = 2
"""Characters a part needs to be a question of its own."""
MAX_PARTS = 4
"""More parts than this is a story, not a list of questions."""


def split_parts(text: str) -> list[str]:
    """Return TEXT's parts at its joiners, or [TEXT] when it reads as one matter."""
    if _ONE_MATTER.search(text):
        return [text]
    parts = [p.strip(" ?？!！.。") for p in _JOINERS.split(text)]
    parts = [p for p in parts if p]
    if not 2 <= len(parts) <= MAX_PARTS or any(len(p) < MIN_PART for p in parts):
        return [text]
    return parts


def split_questions(text: str, is_question: Callable[[str], bool]) -> list[str]:
    """Return TEXT's parts when every part is a question by itself, else [TEXT]."""
    parts = split_parts(text)
    if len(parts) < 2 or not all(is_question(p) for p in parts):
        return [text]
    return parts


_CLAUSE_BREAK = re.compile(r"\s*[?？!！。;；]\s*|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
"""Where a Chinese message's clauses meet without a joiner: 居委几点开门 我要来办敬老卡."""


def clauses(text: str) -> list[str]:
    """Return TEXT's clauses at its joiners, sentence marks and spaces between Chinese words."""
    if _ONE_MATTER.search(text):
        return [text]
    found = []
    for piece in _CLAUSE_BREAK.split(text):
        found += [p.strip(" ?？!！.。") for p in _JOINERS.split(piece)]
    found = [p for p in found if len(p) >= MIN_PART]
    return found if 2 <= len(found) <= MAX_PARTS else [text]
