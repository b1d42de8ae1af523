"""What the guide could not answer, without personal data: redact a message before it is kept."""

from __future__ import annotations

import re

from knowledge.text import normalise

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
