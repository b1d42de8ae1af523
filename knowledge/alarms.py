"""Emergencies worded in ways no rule knows (a man follow me from metro), found in meaning: a
message whose nearest labelled example is an emergency, clearly nearer than any calm one.

The examples (alarm_examples.tsv) are the tuning halves of the labelled sets only, so the
held-out halves still measure this layer honestly (`python -m knowledge.alarms --build`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.rules import (
    HOTLINES,
    Emergency,
    find_emergency,
    says_calm,
    without_calm_phrases,
)
from knowledge.semantic import Encoder, cached_embeddings, guide_key

EXAMPLES = Path(__file__).resolve().parent / "alarm_examples.tsv"
WRITTEN = Path(__file__).resolve().parent / "alarm_examples_written.tsv"
"""Examples written by hand: calm messages near an emergency, and the thinly covered kinds."""
CALM = "calm"
ALARM_COSINE = 0.5
"""An emergency example at least this close in meaning may raise the alarm..."""
ALARM_MARGIN = 0.10
"""...when no calm example is within this of it. Both chosen by leave-one-out over the examples
(bench/alarm_sweep.py): 81% of the emergencies found by meaning alone, 0.56% of calm messages
taken for one (a lower bar or margin finds more and raises 3-7 times the false alarms); the
rules still come first."""


_PLACE = re.compile(r"\d+\s*(?:号楼|号|楼|栋|幢|单元|室|层|弄|门|户|f)?|"
                    r"\b(?:building|block|room|flat|unit|floor|no\.?)\s*\d*\b")
_ENGLISH_WORD = re.compile(r"[a-z]+")
MIN_CHARACTERS = 4
"""Fewer Chinese characters than this (numbers and room words aside) say too little in meaning:
在厨房 and 5号楼 lie near 厨房着火了 and 5号楼失火了; a real emergency that short is the rules'."""
MIN_WORDS = 3
"""The same for English words."""


def says_enough(norm: str) -> bool:
    """Return whether folded text NORM, addresses aside, is long enough to judge by meaning."""
    rest = _PLACE.sub(" ", norm)
    chinese = sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff")
    return chinese >= MIN_CHARACTERS or len(_ENGLISH_WORD.findall(rest)) >= MIN_WORDS


def load_examples(paths: Sequence[Path] = (EXAMPLES, WRITTEN)) -> list[tuple[str, str]]:
    """Return (kind or 'calm', text) pairs from PATHS; '#' starts a comment."""
    pairs = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                kind, text = line.split("\t", 1)
                if kind != CALM and kind not in HOTLINES:
                    raise ValueError(f"{path.name}: unknown kind {kind!r} for {text!r}")
                pairs.append((kind, text))
    return pairs


class AlarmIndex:
    """The labelled examples embedded once (cached on disk like the guide's)."""

    def __init__(self, encoder: Encoder, examples: Sequence[tuple[str, str]],
                 cache_dir: Path | None) -> None:
        self.encoder = encoder
        texts = list(dict.fromkeys(text for _, text in examples))
        kind_of = {text: kind for kind, text in examples}
        self.kinds = [kind_of[text] for text in texts]
        self.vectors, self.cache_hit, self.encoded = cached_embeddings(
            encoder, texts, cache_dir, f"alarms-{encoder.model_id}-",
            guide_key(encoder.model_id, [f"{k}\t{t}" for k, t in zip(self.kinds, texts,
                                                                     strict=True)]))
        self.alarm = np.array([kind != CALM for kind in self.kinds])
        self.size = len(texts)

    def find(self, norm: str) -> Emergency | None:
        """Return the emergency folded text NORM reports by meaning, if any."""
        if not self.alarm.any() or self.alarm.all() or not says_enough(norm):
            return None
        if says_calm(norm, past=True) or not says_enough(without_calm_phrases(norm)):
            # 想了解一下电梯困人了怎么办, 以前跌过跤 想装扶手; 救命，好热 is a sigh and little else.
            return None
        cosines = self.vectors @ self.encoder.vector(norm)
        nearest = int(np.argmax(np.where(self.alarm, cosines, -1.0)))
        calm = float(np.max(np.where(self.alarm, -1.0, cosines)))
        best = float(cosines[nearest])
        if best < ALARM_COSINE or best - calm < ALARM_MARGIN:
            return None
        kind = self.kinds[nearest]
        return Emergency(kind, HOTLINES[kind], by_meaning=True)


def build(sets: Sequence[Path], target: Path = EXAMPLES) -> int:
    """Write the examples file from the tuning halves of labelled SETS; return its size."""
    from knowledge.evaluate import load_cases  # the build tool only, never the service

    lines = ["# Examples for the meaning layer's alarm (knowledge/alarms.py), built by",
             "# `python -m knowledge.alarms --build` from the tuning halves of tests/data/*.tsv",
             "# (matcher_tune.tsv whole). Kind: an emergency kind of knowledge.rules, or calm."]
    # A text in any set's held-out half never becomes an example, even where matcher_tune
    # repeats it: those halves measure this layer.
    seen = {c.text for path in sets if path.stem != "matcher_tune"
            for c in load_cases(path) if c.split == "held-out"}
    held_out = len(seen)
    for path in sets:
        tuning_only = path.stem != "matcher_tune"
        for case in load_cases(path):
            if (tuning_only and case.split != "tune") or case.text in seen:
                continue
            seen.add(case.text)
            if case.expected == "emergency":
                found = find_emergency(case.text)
                kind = found.kind if found else "help"
            else:
                kind = CALM
            lines.append(f"{kind}\t{case.text}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(seen) - held_out


def main() -> None:
    """Rebuild the examples file from the labelled sets' tuning halves."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", nargs="+", type=Path, required=True, metavar="SET.tsv")
    args = parser.parse_args()
    print(f"{build(args.build)} examples written to {EXAMPLES}")


if __name__ == "__main__":
    main()
