"""Text folding and features shared by the matcher: characters, pinyin and English words."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from knowledge.tables import pinyin_table, t2s_table

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
    "this", "that", "with", "from", "there", "here", "any", "about", "hi", "hello", "i'm",
    "it's", "there's", "which", "who", "will", "have", "has", "some", "so", "if", "as", "by",
    "us", "they", "them", "their", "he", "she", "his", "her", "was", "were", "been", "just",
))


def normalise(text: str) -> str:
    """Fold full-width forms, case and Traditional characters ('醫保卡？ＨＩ' -> '医保卡?hi')."""
    return unicodedata.normalize("NFKC", text).lower().strip().translate(t2s_table())


def detect_language(text: str) -> str:
    """Return 'en' for a message written in Latin letters with no Chinese, 'zh' otherwise."""
    if _HAS_CJK.search(text) or not _HAS_LATIN.search(text):
        return "zh"
    return "en"


def stem(word: str) -> str:
    """Fold an English word crudely: enough for a guide's vocabulary ('cards' -> 'card')."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def pinyin(run: str) -> list[str]:
    """Return the toneless syllables of a run of Chinese characters ('以保卡' -> yi bao ka)."""
    table = pinyin_table()
    return [table.get(ch, ch) for ch in run]


def features(norm: str) -> list[str]:
    """Return the features of folded text: characters, bigrams, pinyin bigrams, English stems."""
    found: list[str] = []
    for run in CJK_RUN.findall(norm):
        found.extend(run)
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
        # Voice input writes the right sound with the wrong character (以保卡 for 医保卡).
        sounds = pinyin(run)
        found.extend(f"{a}_{b}" for a, b in pairwise(sounds))
    for word in LATIN_WORD.findall(norm):
        if word in ENGLISH_STOPWORDS:
            continue
        found.append("w:" + stem(word))
        if len(word) > 5:
            # A shared prefix joins 'register' and 'registration' without a stemmer.
            found.append("p:" + word[:5])
    return found
