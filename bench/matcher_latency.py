"""Matcher latency per message on the real guide and on synthetic guides up to 5,000 items.

    .venv/bin/python bench/matcher_latency.py [--rounds 5]

Prints figures only (no pass/fail): median and p99 of wall time and of this thread's CPU time
per message (CPU time leaves out time the machine gave to other processes), the build time of
the index and how cost grows with the number of items. The messages are the labelled set.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.evaluate import load_cases
from knowledge.loader import load_guide
from knowledge.matcher import Matcher
from knowledge.models import Guide, Item

ROOT = Path(__file__).resolve().parent.parent
SIZES = (40, 500, 1000, 2000, 5000)


def synthetic(guide: Guide, size: int, seed: int = 7) -> Guide:
    """Return GUIDE grown to SIZE items: the real ones plus recombined copies of them.

    Each copy mixes aliases and examples of random real items and gets invented two-character
    words, so vocabulary and posting lists grow as a real, larger guide's would.
    """
    rng = random.Random(seed)
    chars = [ch for item in guide.items for text in (*item.aliases, *item.examples)
             for ch in text if "\u4e00" <= ch <= "\u9fff"]
    items: list[Item] = list(guide.items)
    while len(items) < size:
        a, b = rng.sample(guide.items, 2)
        words = ["".join(rng.choices(chars, k=2)) + "".join(rng.choices(chars, k=2))
                 for _ in range(3)]
        items.append(replace(
            a, code=f"synthetic-{len(items)}",
            aliases=(*words, *rng.sample(a.aliases, 2), *rng.sample(b.aliases, 1)),
            examples=tuple(rng.sample(a.examples, 3) + rng.sample(b.examples, 2))))
    return replace(guide, items=tuple(items))


def measure(matcher: Matcher, texts: list[str], rounds: int) -> dict[str, float]:
    """Return median and p99 microseconds per message, wall and CPU."""
    wall, cpu = [], []
    for text in texts:  # warm up caches once
        matcher.match(text)
    gc.collect()
    for _ in range(rounds):
        for text in texts:
            w, c = time.perf_counter_ns(), time.thread_time_ns()
            matcher.match(text)
            cpu.append((time.thread_time_ns() - c) / 1000)
            wall.append((time.perf_counter_ns() - w) / 1000)
    wall.sort()
    cpu.sort()
    p99 = int(len(wall) * 0.99)
    return {"median": statistics.median(wall), "p99": wall[p99],
            "cpu_median": statistics.median(cpu), "cpu_p99": cpu[p99]}


def main() -> None:
    """Print one line per guide size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    guide = load_guide(ROOT / "knowledge" / "guide")
    texts = [c.text for c in load_cases(ROOT / "tests" / "data" / "matcher_eval.tsv")]
    print(f"{len(texts)} messages x {args.rounds} rounds; µs per message")
    print(f"{'items':>6} {'build ms':>9} {'median':>8} {'p99':>8} {'cpu median':>11} "
          f"{'cpu p99':>8} {'x median':>9}")
    base = None
    for size in SIZES:
        grown = guide if size <= len(guide.items) else synthetic(guide, size)
        start = time.perf_counter()
        matcher = Matcher(grown)
        build_ms = (time.perf_counter() - start) * 1000
        figures = measure(matcher, texts, args.rounds)
        base = base or figures["median"]
        print(f"{len(grown.items):>6} {build_ms:>9.0f} {figures['median']:>8.0f} "
              f"{figures['p99']:>8.0f} {figures['cpu_median']:>11.0f} "
              f"{figures['cpu_p99']:>8.0f} {figures['median'] / base:>8.1f}x")


if __name__ == "__main__":
    main()
