"""Measure the matcher on a labelled set: python -m knowledge.evaluate CASES.tsv."""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from knowledge.loader import load_guide
from knowledge.matcher import Match, Matcher

DEFAULT_GUIDE = Path(__file__).resolve().parent / "guide"
SPLITS = ("tune", "held-out")
NOT_ANSWERED = ("none", "greeting", "thanks")


@dataclass(frozen=True)
class Case:
    """One labelled message: an item code (and bin), 'none' or 'emergency'."""

    text: str
    expected: str
    bin: str | None = None

    @property
    def split(self) -> str:
        """Return 'tune' or 'held-out', fixed by the text so it never moves between runs."""
        return SPLITS[zlib.crc32(self.text.encode("utf-8")) % 2]

    @property
    def in_scope(self) -> bool:
        """Return whether the message asks for an item of the guide."""
        return self.expected not in ("none", "emergency")


@dataclass(frozen=True)
class Report:
    """The quality figures of one run over a set of cases."""

    cases: int
    top1: float
    listed: float
    off_topic_declined: float
    confidently_wrong: float
    emergency_recall: float
    false_emergencies: int
    bin_accuracy: float
    misses: tuple[tuple[Case, str, str], ...]


def load_cases(path: Path | str) -> list[Case]:
    """Read the labelled set: 'expected<TAB>message' lines, '#' starts a comment."""
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, text = line.split("\t", 1)
        code, _, bin_code = expected.partition(":")
        cases.append(Case(text, code, bin_code or None))
    return cases


def predicted(match: Match) -> str:
    """Return what a match amounts to: the top item's code, 'emergency' or 'none'."""
    if match.outcome == "emergency":
        return "emergency"
    if match.outcome in ("item", "clarify") and match.candidates:
        return match.candidates[0].item.code
    return "none"


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def score(matcher: Matcher, cases: list[Case]) -> Report:
    """Run every case through MATCHER and compute the quality figures."""
    right = listed = wrong_answers = declined = recalled = false_alarms = 0
    bins_right = bins = 0
    misses = []
    for case in cases:
        match = matcher.match(case.text)
        got = predicted(match)
        bin_ok = case.bin is None or (match.garbage is not None
                                      and match.garbage.bin.code == case.bin)
        if case.bin is not None:
            bins += 1
            bins_right += bin_ok
        correct = got == case.expected and bin_ok
        right += correct
        listed += match.outcome == "clarify"
        wrong_answers += match.outcome == "item" and not correct
        declined += case.expected == "none" and match.outcome in NOT_ANSWERED
        recalled += case.expected == "emergency" and got == "emergency"
        false_alarms += case.expected != "emergency" and got == "emergency"
        if not correct or match.outcome == "clarify":
            shown = got + (f":{match.garbage.bin.code}" if match.garbage else "")
            misses.append((case, match.outcome, shown))
    off_topic = sum(1 for c in cases if c.expected == "none")
    emergencies = sum(1 for c in cases if c.expected == "emergency")
    return Report(len(cases), _share(right, len(cases)), _share(listed, len(cases)),
                  _share(declined, off_topic), _share(wrong_answers, len(cases)),
                  _share(recalled, emergencies), false_alarms, _share(bins_right, bins),
                  tuple(misses))


def latency(matcher: Matcher, texts: list[str], rounds: int = 5) -> tuple[float, float]:
    """Return the median and 99th percentile microseconds per message."""
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            matcher.match(text)
            timings.append((time.perf_counter() - start) * 1e6)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99)]


def _print(name: str, report: Report) -> None:
    print(f"{name:<9} n={report.cases:<4} top-1 {report.top1:6.1%}  numbered list "
          f"{report.listed:5.1%}  off-topic declined {report.off_topic_declined:6.1%}  "
          f"confidently wrong {report.confidently_wrong:5.1%}  emergency recall "
          f"{report.emergency_recall:6.1%} (false alarms {report.false_emergencies})  "
          f"bins {report.bin_accuracy:6.1%}")


def main() -> None:
    """Print the figures for the whole set and each split, then the latency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", type=Path)
    parser.add_argument("--guide", type=Path, default=DEFAULT_GUIDE)
    parser.add_argument("--misses", choices=SPLITS, help="list what went wrong in one split")
    args = parser.parse_args()
    matcher = Matcher(load_guide(args.guide))
    cases = load_cases(args.cases)
    _print("all", score(matcher, cases))
    for split in SPLITS:
        report = score(matcher, [c for c in cases if c.split == split])
        _print(split, report)
        if args.misses == split:
            for case, outcome, got in report.misses:
                print(f"    {case.expected + (':' + case.bin if case.bin else ''):<28} "
                      f"{outcome:<8} {got:<26} {case.text}")
    median, p99 = latency(matcher, [c.text for c in cases])
    print(f"latency per message: median {median:.0f} µs, p99 {p99:.0f} µs "
          f"({len(matcher.items)} items)")


if __name__ == "__main__":
    main()
