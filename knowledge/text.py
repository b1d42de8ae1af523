"""Text normalisation and features shared by the matcher: Chinese characters, English words."""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
LATIN_WORD = re.compile(r"[a-z][a-z0-9']*|\d+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_HAS_LATIN = re.compile(r"[A-Za-z]")

# Words so common in English questions that they say nothing about the matter asked.
ENGLISH_STOPWORDS = frozenset((
    "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "is", "are", "am", "be",
    "to", "of", "for", "in", "on", "at", "and", "or", "do", "does", "did", "how", "what",
    "where", "when", "can", "could", "would", "should", "please", "need", "want", "get", "it",
    "this", "that", "with", "from", "there", "here", "any", "about", "hi", "hello",
))


def normalise(text: str) -> str:
    """Fold full-width forms and case so '敬老卡？ＨＥＬＬＯ' and '敬老卡?hello' compare equal."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def detect_language(text: str) -> str:
    """Return 'en' for a message written in Latin letters with no Chinese, 'zh' otherwise."""
    if _HAS_CJK.search(text) or not _HAS_LATIN.search(text):
        return "zh"
    return "en"


def _stem(word: str) -> str:
    # A crude plural fold is enough for a guide's vocabulary ("cards" -> "card").
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def features(text: str) -> list[str]:
    """Return the matcher's features: Chinese characters and bigrams, English word stems."""
    norm = normalise(text)
    found: list[str] = []
    for run in CJK_RUN.findall(norm):
        found.extend(run)
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    for word in LATIN_WORD.findall(norm):
        if word in ENGLISH_STOPWORDS:
            continue
        found.append("w:" + _stem(word))
        if len(word) > 5:
            # A shared prefix joins 'register' and 'registration' without a stemmer.
            found.append("p:" + word[:5])
    return found
