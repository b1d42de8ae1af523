"""Choose the meaning layer's alarm constants: leave-one-out over its own examples.

    .venv/bin/python bench/alarm_sweep.py

Each example of knowledge/alarm_examples*.tsv (the tuning halves of the labelled sets, and the
hand-written ones) is judged by all the others alone, as if no rule existed: how many emergencies
the meaning layer finds by itself and how many calm messages it takes for one, over a grid of
ALARM_COSINE and ALARM_MARGIN. Chatter is left out (the rules answer it first). The held-out
halves are never read here; `python -m knowledge.evaluate --semantic` reports them.
Figures only, no pass/fail.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from knowledge.alarms import ALARM_COSINE, ALARM_MARGIN, CALM, load_examples  # noqa: E402
from knowledge.rules import find_courtesy  # noqa: E402
from knowledge.semantic import load_encoder  # noqa: E402

COSINES = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
MARGINS = (0.0, 0.05, 0.1, 0.15)


def main() -> None:
    """Print recall and false alarms of the meaning layer alone for each pair of constants."""
    by_text = {text: kind for kind, text in load_examples()}  # one entry per text
    kept = [(kind, text) for text, kind in by_text.items() if find_courtesy(text) is None]
    vectors = load_encoder().encode([t for _, t in kept])
    alarm = np.array([k != CALM for k, _ in kept])
    cosines = vectors @ vectors.T
    np.fill_diagonal(cosines, -1.0)  # leave one out: a message is never its own example
    best_alarm = np.where(alarm[None, :], cosines, -1.0).max(axis=1)
    best_calm = np.where(alarm[None, :], -1.0, cosines).max(axis=1)
    print(f"{alarm.sum()} emergencies, {(~alarm).sum()} calm messages (leave-one-out)")
    for bar, margin in itertools.product(COSINES, MARGINS):
        raised = (best_alarm >= bar) & (best_alarm - best_calm >= margin)
        chosen = "  <- shipped" if (bar, margin) == (ALARM_COSINE, ALARM_MARGIN) else ""
        print(f"cosine >= {bar:<4}  margin >= {margin:<4}  found {raised[alarm].mean():6.1%}  "
              f"false alarms {raised[~alarm].mean():6.2%} ({raised[~alarm].sum()}){chosen}")


if __name__ == "__main__":
    main()
