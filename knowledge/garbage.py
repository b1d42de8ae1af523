"""Which bin an object goes in: the sorting table (garbage.yaml) and a fast index over it."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.fields import Fields, GuideError, read_yaml
from knowledge.models import Bin, GarbageGuide, Sorting, Text
from knowledge.text import CJK_RUN, LATIN_WORD, normalise, stem

GARBAGE_FILE = "garbage.yaml"
BIN_CODES = ("recyclable", "hazardous", "wet", "dry")
BIN_KEYS = frozenset({"code", "name", "name_en", "tip", "tip_en"})
OBJECT_KEYS = frozenset({"names", "note", "note_en"})
_SPLIT = re.compile(r"\s*[,，、]\s*")

# Words that make a message a sorting question ("电池扔哪", "大骨头是什么垃圾", "which bin").
CUES = ("扔", "丢", "垃圾", "桶", "哪一类", "哪类", "属于", "分类", "投放", "算什么", "算干",
        "算湿", "是干", "是湿", "可回收", "有害", "回收", "处理")
ENGLISH_CUES = frozenset({"bin", "trash", "garbage", "rubbish", "recycle", "recyclable",
                          "recycling", "throw", "dispose", "waste", "sort", "hazardous", "wet",
                          "dry", "compost", "which"})
# Without a cue, the object must be most of the message ("pizza box?", "电池呢").
COVERAGE = 0.5
_FILLER = set("吗呢啊呀吧哦的了么")
MIN_CJK_NAME = 2


def _names(f: Fields, raw: str) -> tuple[tuple[str, ...], Text]:
    zh_part, _, en_part = raw.partition("/")
    zh = tuple(n for n in _SPLIT.split(zh_part.strip()) if n)
    en = tuple(n for n in _SPLIT.split(en_part.strip()) if n)
    if not zh or any(len(n) < MIN_CJK_NAME for n in zh):
        raise f.fail("names", f"'{raw}' needs Chinese names of two characters or more")
    return zh + en, Text(zh[0], en[0] if en else "")


def _parse_object(path: Path, bin_: Bin, index: int, raw: object) -> Sorting:
    where = f"objects.{bin_.code}[{index}]"
    if isinstance(raw, str):
        raw = {"names": raw}
    f = Fields(path, where, raw)
    f.reject_unknown(OBJECT_KEYS)
    names, name = _names(f, f.get("names", str))
    f.where = f"object '{name.zh}'"
    return Sorting(names=names, bin=bin_, name=name, note=f.text("note", required=False))


def parse_garbage(path: Path, item_codes: set[str]) -> GarbageGuide:
    """Read garbage.yaml: the four bins and which objects go in each."""
    data = read_yaml(path)
    top = Fields(path, "file", data)
    top.reject_unknown(frozenset({"item", "bins", "objects"}))
    item = top.code("item")
    if item not in item_codes:
        raise top.fail("item", f"no item '{item}' in items/*.yaml")
    bins: dict[str, Bin] = {}
    for index, raw in enumerate(top.get("bins", list)):
        f = Fields(path, f"bins[{index}]", raw)
        f.reject_unknown(BIN_KEYS)
        code = f.code()
        if code not in BIN_CODES:
            raise f.fail("code", f"'{code}' is not one of {', '.join(BIN_CODES)}")
        bins[code] = Bin(code, f.required_text("name"), f.required_text("tip"))
    objects: list[Sorting] = []
    owner: dict[str, str] = {}
    by_bin = top.get("objects", dict)
    for code, listed in by_bin.items():
        if code not in bins:
            raise GuideError(path, "objects", f"field '{code}': no such bin in 'bins'")
        if not isinstance(listed, list):
            raise GuideError(path, "objects", f"field '{code}': expected a list of objects")
        for index, raw in enumerate(listed):
            entry = _parse_object(path, bins[code], index, raw)
            for name in entry.names:
                key = normalise(name)
                if key in owner:
                    raise GuideError(path, f"object '{entry.name.zh}'", f"field 'names': "
                                     f"'{name}' is already listed under '{owner[key]}'")
                owner[key] = entry.name.zh
            objects.append(entry)
    return GarbageGuide(item=item, bins=bins, objects=tuple(objects))


def _compact(text: str) -> str:
    return "".join(text.split())


def _english_key(text: str) -> str:
    return " ".join(stem(w) for w in LATIN_WORD.findall(text))


class GarbageIndex:
    """Finds the object a sorting question names; built once per guide load."""

    def __init__(self, garbage: GarbageGuide) -> None:
        self.garbage = garbage
        self.chinese: dict[str, Sorting] = {}
        self.english: dict[str, Sorting] = {}
        for entry in garbage.objects:
            for name in entry.names:
                folded = normalise(name)
                if CJK_RUN.search(folded):  # '5号电池' and 'x光片' are Chinese names too
                    self.chinese[_compact(folded)] = entry
                else:
                    self.english[_english_key(folded)] = entry
        self.longest = max((len(k) for k in self.chinese), default=0)
        self.longest_words = max((k.count(" ") + 1 for k in self.english), default=0)

    def _find(self, norm: str) -> tuple[Sorting, int] | None:
        """Return the longest object named in NORM and how many letters it covers."""
        best: tuple[Sorting, int] | None = None
        compact = _compact(norm)
        for size in range(min(self.longest, len(compact)), MIN_CJK_NAME - 1, -1):
            for start in range(len(compact) - size + 1):
                entry = self.chinese.get(compact[start:start + size])
                if entry is not None:
                    best = (entry, size)
                    break
            if best is not None:
                break
        words = [stem(w) for w in LATIN_WORD.findall(norm)]
        for size in range(min(self.longest_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                entry = self.english.get(" ".join(words[start:start + size]))
                letters = sum(len(w) for w in words[start:start + size])
                if entry is not None and (best is None or letters > best[1]):
                    best = (entry, letters)
        return best

    def lookup(self, norm: str) -> Sorting | None:
        """Return the object folded text NORM asks to sort, or None for no sorting question."""
        found = self._find(norm)
        if found is None:
            return None
        entry, covered = found
        words = set(LATIN_WORD.findall(norm))
        if any(cue in norm for cue in CUES) or words & ENGLISH_CUES:
            return entry
        meaningful = sum(len(run) - sum(ch in _FILLER for ch in run)
                         for run in CJK_RUN.findall(norm))
        meaningful += sum(len(stem(w)) for w in words if not w.isdigit())
        return entry if covered >= COVERAGE * max(meaningful, 1) else None
