"""Plain-text tables that line up in a terminal, Chinese (double-width) characters included."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

GAP = "  "


def display_width(text: str) -> int:
    """Return how many terminal columns TEXT takes (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Return the table's lines: a header, a rule, then one line per row, columns aligned."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        padded = (cell + " " * (width - display_width(cell)) for cell, width in zip(
            row, widths, strict=True))
        return GAP.join(padded).rstrip()

    return [line(cells[0]), GAP.join("-" * w for w in widths), *(line(r) for r in cells[1:])]
