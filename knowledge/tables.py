"""Character tables the matcher ships: Traditional to Simplified, and each character's pinyin.

The tables are plain text under knowledge/data/, generated once from OpenCC's character list
(opencc-python-reimplemented) and pypinyin's dictionary, both pinned in requirements-dev.txt.
Shipping the tables instead of importing pypinyin at run time saves ~58 MB per process and
opencc's ~27 µs per message (a str.translate on a character table takes ~1 µs); matching only
needs single characters. Regenerate with `python -m knowledge.tables`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
T2S_FILE = DATA / "t2s.txt"
PINYIN_FILE = DATA / "pinyin.txt"
# The blocks of Chinese characters the matcher reads (basic, extension A, compatibility).
CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@cache
def t2s_table() -> dict[int, str]:
    """Return a str.translate table from Traditional to Simplified characters."""
    table: dict[int, str] = {}
    for line in T2S_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


@cache
def pinyin_table() -> dict[str, str]:
    """Return each Chinese character's commonest reading, toneless ('医' -> 'yi')."""
    table: dict[str, str] = {}
    for line in PINYIN_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            syllable, chars = line.split("\t")
            table.update(dict.fromkeys(chars, syllable))
    return table


def _build() -> None:
    """Write both tables from the pinned dev packages (run by a developer, never at run time)."""
    import opencc  # type: ignore[import-untyped]
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    source = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    pairs = []
    for line in source.read_text(encoding="utf-8").splitlines():
        traditional, targets = line.split("\t")
        simplified = targets.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            pairs.append(f"{traditional}\t{simplified}")
    T2S_FILE.write_text("# Traditional -> Simplified characters, from OpenCC TSCharacters "
                        "(Apache-2.0)\n" + "\n".join(sorted(pairs)) + "\n", encoding="utf-8")
    by_syllable: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        if any(low <= code <= high for low, high in CJK_BLOCKS):
            char = chr(code)
            syllable = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
            if syllable and syllable[0].isalpha():
                by_syllable.setdefault(syllable[0], []).append(char)
    PINYIN_FILE.write_text(
        "# Toneless commonest reading of each character, from pypinyin (MIT)\n"
        + "\n".join(f"{s}\t{''.join(cs)}" for s, cs in sorted(by_syllable.items())) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    _build()
