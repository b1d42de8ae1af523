"""What the guide could not answer, without personal data: redact a message before it is kept."""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.matcher import Candidate, Matcher
from knowledge.text import CJK_RUN, ENGLISH_STOPWORDS, LATIN_WORD, normalise, stem

MAX_LENGTH = 80
"""Characters kept of a message: enough to see what was asked, too few for a life story."""

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# Phone, ID-card and account numbers, often typed with spaces or dashes ("138 0000 1111").
_LONG_NUMBER = re.compile(r"\d[\d\s-]{4,}[\dx]|\d{3,}")
# A number that says where someone lives: 5号楼, 12弄, 302室, 3单元.
_ADDRESS_NUMBER = re.compile(r"\d+(?=\s*(号|弄|室|单元|栋|幢|楼|层|户))")
# "我叫张三", "我是李四" followed by a name, "王阿姨" style forms are kept (no name alone).
_NAME_AFTER = re.compile(r"(我叫|我的名字是|本人)([\u4e00-\u9fff]{1,3})")
_SPACES = re.compile(r"\s+")
_KEEP = re.compile(r"[^\w\s#<>?？!！,，.。、:：;；()（）'\"-]")


def redact(text: str) -> str:
    """Return TEXT folded and stripped of numbers, names, e-mail and links, for grouping."""
    folded = normalise(text)
    folded = _URL.sub("<link>", folded)
    folded = _EMAIL.sub("<email>", folded)
    folded = _LONG_NUMBER.sub("#", folded)
    folded = _ADDRESS_NUMBER.sub("#", folded)
    folded = _NAME_AFTER.sub(lambda m: m.group(1) + "某", folded)
    folded = _KEEP.sub("", folded)  # emoji and symbols say nothing about the gap
    return _SPACES.sub(" ", folded).strip()[:MAX_LENGTH]


CLUSTER_SIMILARITY = 0.5
"""Jaccard overlap of two messages' shingles from which they count as the same question."""
NEAREST_MEMBERS = 10
"""Members asked of the matcher when the representative is near no item: enough, and cheap."""

# Words that only make a question a question: 怎么办, 请问, 我想 say nothing about the matter.
_FILLER = re.compile(
    "请问|想问一下|想问|问一下|一下|怎么办|怎么弄|怎么样|怎么|如何|哪里|哪儿|在哪|什么|可以|能不能|"
    "能否|是不是|有没有|需要|我想|我要|我们|我家|我的|你们|您好|你好|麻烦|谢谢|[吗呢吧啊呀的了么嘛哦]")
_PLACEHOLDER = re.compile(r"<\w+>|#")


def shingles(text: str) -> frozenset[str]:
    """Return what a redacted message is made of: Chinese bigrams and English stems, no filler."""
    folded = _FILLER.sub(" ", _PLACEHOLDER.sub(" ", normalise(text)))
    found: set[str] = set()
    for run in CJK_RUN.findall(folded):
        found.update([run[i: i + 2] for i in range(len(run) - 1)] or [run])
    found.update(stem(word) for word in LATIN_WORD.findall(folded)
                 if word not in ENGLISH_STOPWORDS)
    return frozenset(found)


def similarity(left: frozenset[str], right: frozenset[str]) -> float:
    """Return the Jaccard overlap of two sets of shingles (0 when either is empty)."""
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


def cluster(messages: Sequence[tuple[str, int]],
            threshold: float = CLUSTER_SIMILARITY) -> list[list[int]]:
    """Group MESSAGES (text, count) into the same questions; indices, representative first.

    Leader clustering, most frequent message first: each message joins the group whose
    representative it overlaps most (at least THRESHOLD), else leads a new group. Deterministic,
    and no chaining: a group never drifts away from the question its representative asks.
    Groups come most asked first.
    """
    order = sorted(range(len(messages)), key=lambda i: (-messages[i][1], messages[i][0]))
    groups: list[list[int]] = []
    leaders: list[frozenset[str]] = []
    by_shingle: dict[str, list[int]] = {}  # shingle -> groups whose leader has it
    by_text: dict[str, int] = {}  # a message whose words are all filler groups with its twin
    for index in order:
        text = messages[index][0]
        own = shingles(text)
        best, best_score = -1, 0.0
        for group in sorted({g for s in own for g in by_shingle.get(s, ())}):
            score = similarity(own, leaders[group])
            if score >= threshold and score > best_score:
                best, best_score = group, score
        if best < 0 and not own:
            best = by_text.get(normalise(text), -1)
        if best >= 0:
            groups[best].append(index)
            continue
        groups.append([index])
        leaders.append(own)
        by_text.setdefault(normalise(text), len(groups) - 1)
        for shingle in own:
            by_shingle.setdefault(shingle, []).append(len(groups) - 1)
    totals = [sum(messages[i][1] for i in group) for group in groups]
    ranked = sorted(range(len(groups)), key=lambda g: (-totals[g], g))
    return [groups[g] for g in ranked]


def nearest_item(matcher: Matcher, texts: Sequence[str]) -> tuple[Candidate | None, bool]:
    """Return the item the first of TEXTS is nearest to, and whether the guide now answers it.

    The representative's own candidates come first; when it is near nothing, the best-scoring
    item over the next few members. (None, False) when nothing in the guide is near.
    """
    best: Candidate | None = None
    for position, text in enumerate(texts[:NEAREST_MEMBERS]):
        match = matcher.match(text)
        if position == 0 and match.outcome == "item" and match.item is not None:
            return Candidate(match.item, match.score), True
        found = match.candidates or matcher.nearest(text, 1)
        if found and (best is None or found[0].score > best.score):
            best = found[0]
        if position == 0 and best is not None:
            return best, False
    return best, False
