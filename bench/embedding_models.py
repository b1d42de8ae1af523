"""Compare the sentence-embedding models the meaning layer can use, fused with the lexical matcher.

    .venv/bin/python bench/embedding_models.py [--rounds 3] [--sweep]

For each model of knowledge.semantic.MODELS whose package is installed (others are skipped with
a note), a child process measures: top-1 and confidently wrong on the tuning sets
(matcher_eval, matcher_fresh, matcher_tune; never the held-out set) lexical alone and fused;
per-message median and p99 on the shipped guide (the alarm examples included) and on a
5,000-item guide, with the embedding
skipped when the lexical answer is decisive and computed always; RSS after load; load time;
guide indexing cold and with a warm cache; installed size, licence and maintainer.
`--sweep` prints the fused figures over a grid of weight / floor / rescue bar instead.
Figures only, no pass/fail. Run it pinned to one core (`taskset -c 0`) for the one-core target.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import importlib.util
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.matcher_latency import synthetic  # noqa: E402
from knowledge import matcher as matcher_module  # noqa: E402
from knowledge.alarms import AlarmIndex, load_examples  # noqa: E402
from knowledge.evaluate import Case, load_cases, score  # noqa: E402
from knowledge.loader import load_guide  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402
from knowledge.models import Guide  # noqa: E402
from knowledge.semantic import MODELS, Encoder, SemanticIndex, item_texts, load_encoder  # noqa: E402

DATA = ROOT / "tests" / "data"
TUNING_SETS = ("matcher_eval", "matcher_fresh", "matcher_tune")
"""The sets the layer may be tuned and compared on. The held-out set is never read here."""
BIG_GUIDE = 5000


def rss_mb() -> float:
    """Return this process's resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tuning_sets() -> dict[str, list[Case]]:
    """Return the tuning sets that exist now (matcher_tune.tsv may not be written yet)."""
    return {name: load_cases(DATA / f"{name}.tsv") for name in TUNING_SETS
            if (DATA / f"{name}.tsv").exists()}


def package_facts(package: str) -> dict[str, Any]:
    """Return the installed size, licence and author of a distribution."""
    dist = importlib.metadata.distribution(package)
    size = sum((Path(str(dist.locate_file(f))).stat().st_size for f in dist.files or ()
                if Path(str(dist.locate_file(f))).exists()), 0)
    meta = dist.metadata
    return {"version": dist.version, "installed_mb": size / 1e6,
            "licence": meta.get("License") or meta.get("License-Expression") or "?",
            "maintainer": meta.get("Author") or meta.get("Maintainer") or meta.get("Author-email")
            or "?"}


def timings(matcher: Matcher, texts: list[str], rounds: int) -> tuple[float, float]:
    """Return median and p99 ms per message, bypassing the match cache."""
    for text in texts:
        matcher._match(text)
    gc.collect()
    spent = []
    for _ in range(rounds):
        for text in texts:
            if matcher.semantic is not None:
                matcher.semantic.encoder.forget()  # a new message: its vector is not kept yet
            start = time.perf_counter()
            matcher._match(text)
            spent.append((time.perf_counter() - start) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.99)]


def always_embed(matcher: Matcher, texts: list[str], rounds: int) -> tuple[float, float]:
    """Return timings with the decisive-lexical shortcut turned off."""
    saved = matcher_module.DECISIVE_SCORE
    matcher_module.DECISIVE_SCORE = float("inf")
    try:
        return timings(matcher, texts, rounds)
    finally:
        matcher_module.DECISIVE_SCORE = saved


class Borrowed(Encoder):
    """Embeds a big synthetic guide fast: real vectors for the shipped guide's texts, and random
    unit vectors for the invented words (only latency is measured on that guide)."""

    def __init__(self, real: Encoder, known: dict[str, np.ndarray[Any, Any]], dim: int) -> None:
        super().__init__(real.model_id, real._encode)
        self.known, self.dim = known, dim
        self.rng = np.random.default_rng(7)

    def encode(self, texts: Any) -> Any:
        rows = []
        for text in texts:
            vector = self.known.get(text)
            if vector is None:
                vector = self.rng.standard_normal(self.dim).astype(np.float32)
                vector /= np.linalg.norm(vector)
            rows.append(vector)
        return np.stack(rows)


def fused_figures(guide: Guide, index: SemanticIndex | None,
                  sets: dict[str, list[Case]]) -> dict[str, list[float]]:
    """Return top-1 and confidently wrong per set."""
    matcher = Matcher(guide, semantic=index)
    return {name: [score(matcher, cases).top1, score(matcher, cases).confidently_wrong]
            for name, cases in sets.items()}


def child(model_id: str, rounds: int) -> dict[str, Any]:
    """Measure one model in this (fresh) process and return the figures."""
    figures: dict[str, Any] = {"model": model_id, **package_facts(MODELS[model_id].package)}
    guide = load_guide(ROOT / "knowledge" / "guide")
    sets = tuning_sets()
    texts = [c.text for cases in sets.values() for c in cases]
    before = rss_mb()
    start = time.perf_counter()
    encoder = load_encoder(model_id)
    figures["load_ms"] = (time.perf_counter() - start) * 1000
    figures["rss_mb"] = rss_mb() - before
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        index = SemanticIndex(encoder, guide.items, Path(cache))
        figures["index_cold_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        warm = SemanticIndex(encoder, guide.items, Path(cache))
        figures["index_warm_ms"] = (time.perf_counter() - start) * 1000
        assert warm.cache_hit and warm.encoded == 0
    figures["rss_indexed_mb"] = rss_mb() - before
    figures["lexical"] = fused_figures(guide, None, sets)
    figures["fused"] = fused_figures(guide, index, sets)
    matcher = Matcher(guide, semantic=index,
                      alarms=AlarmIndex(encoder, load_examples(), None))
    start = time.perf_counter()
    encoder.encode(["厨房下水道堵住了"])
    figures["encode_ms"] = (time.perf_counter() - start) * 1000
    figures["shipped"] = [*timings(matcher, texts, rounds), *always_embed(matcher, texts, rounds)]
    figures["lexical_ms"] = list(timings(Matcher(guide), texts, rounds))
    big = synthetic(guide, BIG_GUIDE)
    known = dict(zip(
        (t for item in guide.items for t in item_texts(item)), index.vectors, strict=True))
    big_index = SemanticIndex(Borrowed(encoder, known, index.vectors.shape[1]), big.items, None)
    big_index.encoder = encoder
    big_matcher = Matcher(big, semantic=big_index)
    figures["big"] = [*timings(big_matcher, texts, 1), *always_embed(big_matcher, texts, 1)]
    figures["big_rss_mb"] = rss_mb() - before
    return figures


def sweep(model_id: str) -> None:
    """Print fused figures over a grid of the fusion constants, best first."""
    guide = load_guide(ROOT / "knowledge" / "guide")
    sets = tuning_sets()
    index = SemanticIndex(load_encoder(model_id), guide.items, None)
    memo: dict[str, Any] = {}
    similarities = index.similarities

    def cached(text: str) -> Any:
        if text not in memo:
            memo[text] = similarities(text)
        return memo[text]

    index.similarities = cached  # type: ignore[method-assign]
    rows = []
    grid = itertools.product((0.3, 0.5, 0.7, 0.9, 1.2), (0.3, 0.4, 0.5, 0.6),
                             (0.6, 0.65, 0.7, 0.75, 0.8, 1.1))
    for weight, floor, rescue in grid:
        matcher_module.SEMANTIC_WEIGHT, matcher_module.SEMANTIC_FLOOR = weight, floor
        matcher_module.RESCUE_COSINE = rescue
        matcher = Matcher(guide, semantic=index)
        reports = {name: score(matcher, cases) for name, cases in sets.items()}
        right = sum(r.top1 * r.cases for r in reports.values())
        wrong = sum(r.confidently_wrong * r.cases for r in reports.values())
        declined = min(r.off_topic_declined for r in reports.values())
        rows.append((right - 3 * wrong, weight, floor, rescue, reports, declined))
    rows.sort(key=lambda row: -row[0])
    for objective, weight, floor, rescue, reports, declined in rows[:25]:
        cells = "  ".join(f"{n[8:]} {r.top1:.3f}/{r.confidently_wrong:.3f}"
                          for n, r in reports.items())
        print(f"w={weight:<4} b={floor:<4} rescue={rescue:<5} objective {objective:6.1f}  "
              f"{cells}  min off-topic declined {declined:.3f}")


def available() -> list[str]:
    """Return the models whose package is importable here, noting the others."""
    found = []
    for model_id, spec in MODELS.items():
        if importlib.util.find_spec(spec.module) is None:
            print(f"skipped {model_id}: package {spec.package} is not installed")
        else:
            found.append(model_id)
    return found


def show(all_figures: list[dict[str, Any]]) -> None:
    """Print the comparison as a table, one line per figure."""
    def line(label: str, cell: Any) -> None:
        print(f"{label:<44}" + "".join(f"{cell(f):>28}" for f in all_figures))

    line("model", lambda f: f["model"])
    line("package version", lambda f: f["version"])
    for name in all_figures[0]["lexical"]:
        line(f"{name} top-1 / wrong, lexical alone",
             lambda f, n=name: "{:.1%} / {:.1%}".format(*f["lexical"][n]))
        line(f"{name} top-1 / wrong, fused",
             lambda f, n=name: "{:.1%} / {:.1%}".format(*f["fused"][n]))
    line("one message embedded (ms)", lambda f: f"{f['encode_ms']:.1f}")
    line("lexical alone median / p99 (ms)", lambda f: "{:.2f} / {:.2f}".format(*f["lexical_ms"]))
    pair = "{:.2f} / {:.2f}".format
    line("shipped guide median / p99, skip (ms)", lambda f: pair(*f["shipped"][:2]))
    line("shipped guide median / p99, always (ms)", lambda f: pair(*f["shipped"][2:]))
    line(f"{BIG_GUIDE} items median / p99, skip (ms)", lambda f: pair(*f["big"][:2]))
    line(f"{BIG_GUIDE} items median / p99, always (ms)", lambda f: pair(*f["big"][2:]))
    line("RSS after load (MB)", lambda f: f"+{f['rss_mb']:.0f}")
    line("RSS indexed / with 5,000 items (MB)",
         lambda f: f"+{f['rss_indexed_mb']:.0f} / +{f['big_rss_mb']:.0f}")
    line("load (ms)", lambda f: f"{f['load_ms']:.0f}")
    line("guide indexing cold / warm cache (ms)",
         lambda f: f"{f['index_cold_ms']:.0f} / {f['index_warm_ms']:.0f}")
    line("installed size (MB)", lambda f: f"{f['installed_mb']:.0f}")
    line("licence", lambda f: f["licence"])
    line("maintainer", lambda f: f["maintainer"])


def main() -> None:
    """Measure each installed model in its own process and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sweep", action="store_true", help="grid over the fusion constants")
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model:
        if args.sweep:
            sweep(args.model)
        else:
            print(json.dumps(child(args.model, args.rounds)))
        return
    models = available()
    print("sets: " + ", ".join(f"{n} ({len(c)})" for n, c in tuning_sets().items()))
    results = []
    for model_id in models:
        command = [sys.executable, __file__, "--model", model_id, "--rounds", str(args.rounds)]
        if args.sweep:
            print(f"--- {model_id}")
            subprocess.run([*command, "--sweep"], check=True)
            continue
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if results:
        show(results)


if __name__ == "__main__":
    main()
