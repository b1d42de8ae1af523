"""Measure the matcher on a labelled set: python -m knowledge.evaluate CASES.tsv."""

from __future__ import annotations

import argparse
import statistics
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from knowledge.alarms import AlarmIndex, load_examples
from knowledge.loader import load_guide
from knowledge.matcher import Match, Matcher
from knowledge.semantic import SemanticIndex, load_encoder

DEFAULT_GUIDE = Path(__file__).resolve().parent / "guide"
SPLITS = ("tune", "held-out")
CHATTER = ("greeting", "thanks", "smalltalk", "cancel")
"""Outcomes that answer chatter: a friendly word, never work for staff."""
NOT_ANSWERED = ("none", *CHATTER)
SPECIAL = ("none", "emergency", "smalltalk")
"""Labels that are not guide items; 'list:a|b' and 'garbage-sorting:BIN' are the other forms."""


@dataclass(frozen=True)
class Case:
    """One labelled message: an item code (and bin), a list, 'none', 'smalltalk' or 'emergency'."""

    text: str
    expected: str
    bin: str | None = None
    listed: tuple[str, ...] = ()
    """For a vague message ('list:a|b'): the items its numbered list must offer."""

    @property
    def split(self) -> str:
        """Return 'tune' or 'held-out', fixed by the text so it never moves between runs."""
        return SPLITS[zlib.crc32(self.text.encode("utf-8")) % 2]

    @property
    def in_scope(self) -> bool:
        """Return whether the message asks for an item of the guide."""
        return self.expected not in SPECIAL

    @property
    def label(self) -> str:
        """Return the label as written in the file."""
        if self.listed:
            return "list:" + "|".join(self.listed)
        return self.expected + (f":{self.bin}" if self.bin else "")


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
    false_alarm_rate: float = 0.0
    """Share of the messages that are not emergencies taken for one."""
    lists_right: float = 1.0
    """Share of vague messages answered with a list that offers the items they need."""
    smalltalk_tickets: int = 0
    """Small-talk messages that would make work for staff (an emergency or a hand-off)."""
    smalltalk_not_understood: int = 0
    """Small-talk messages answered 'not understood' instead of a friendly word."""


def load_cases(path: Path | str) -> list[Case]:
    """Read the labelled set: 'expected<TAB>message' lines, '#' starts a comment."""
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, text = line.split("\t", 1)
        code, _, rest = expected.partition(":")
        if code == "list":
            cases.append(Case(text, code, listed=tuple(rest.split("|"))))
        else:
            cases.append(Case(text, code, rest or None))
    return cases


def predicted(match: Match) -> str:
    """Return what a match amounts to: the top item's code, 'emergency', 'smalltalk' or 'none'."""
    if match.outcome == "emergency":
        return "emergency"
    if match.outcome in CHATTER:
        return "smalltalk"
    if match.outcome in ("item", "clarify") and match.candidates:
        return match.candidates[0].item.code
    return "none"


def is_correct(case: Case, match: Match) -> bool:
    """Return whether MATCH is the answer CASE needs."""
    got = predicted(match)
    if case.listed:
        offered = {c.item.code for c in match.candidates}
        return match.outcome == "clarify" and set(case.listed) <= offered
    if case.expected == "none":
        return got in ("none", "smalltalk")
    if case.bin is not None:
        return got == case.expected and match.garbage is not None \
            and match.garbage.bin.code == case.bin
    return got == case.expected


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _makes_work(match: Match) -> bool:
    """Return whether the reply to MATCH opens a ticket at once."""
    return match.outcome == "emergency" or (
        match.outcome == "item" and match.item is not None
        and match.item.disposition == "handoff")


def score(matcher: Matcher, cases: list[Case]) -> Report:
    """Run every case through MATCHER and compute the quality figures."""
    right = listed = wrong_answers = declined = recalled = false_alarms = 0
    bins_right = bins = lists_right = chatter_work = chatter_lost = 0
    misses = []
    for case in cases:
        match = matcher.match(case.text)
        got = predicted(match)
        correct = is_correct(case, match)
        if case.bin is not None:
            bins += 1
            bins_right += correct
        lists_right += bool(case.listed) and correct
        right += correct
        listed += match.outcome == "clarify"
        wrong_answers += match.outcome == "item" and not correct
        declined += case.expected == "none" and match.outcome in NOT_ANSWERED
        recalled += case.expected == "emergency" and got == "emergency"
        false_alarms += case.expected != "emergency" and got == "emergency"
        if case.expected == "smalltalk":
            chatter_work += _makes_work(match)
            chatter_lost += match.outcome == "none"
        if not correct or (match.outcome == "clarify" and not case.listed):
            shown = got + (f":{match.garbage.bin.code}" if match.garbage else "")
            if match.outcome == "clarify":
                shown = "|".join(c.item.code for c in match.candidates)
            misses.append((case, match.outcome, shown))
    count = Counter(c.expected for c in cases)
    vague = sum(1 for c in cases if c.listed)
    return Report(len(cases), _share(right, len(cases)), _share(listed, len(cases)),
                  _share(declined, count["none"]), _share(wrong_answers, len(cases)),
                  _share(recalled, count["emergency"]), false_alarms, _share(bins_right, bins),
                  tuple(misses), _share(false_alarms, len(cases) - count["emergency"]),
                  _share(lists_right, vague), chatter_work, chatter_lost)


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
    print(f"{name:<18} n={report.cases:<4} top-1 {report.top1:6.1%}  list offered "
          f"{report.listed:5.1%} (vague ones right {report.lists_right:6.1%})  confidently wrong "
          f"{report.confidently_wrong:5.1%}  off-topic declined {report.off_topic_declined:6.1%}"
          f"  emergency recall {report.emergency_recall:6.1%}  false alarms "
          f"{report.false_alarm_rate:5.1%} ({report.false_emergencies})  small talk -> tickets "
          f"{report.smalltalk_tickets}, 'not understood' {report.smalltalk_not_understood}  "
          f"bins {report.bin_accuracy:6.1%}")


def main() -> None:
    """Print the figures for each labelled set (and the hash splits of each), then latency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", type=Path, nargs="+")
    parser.add_argument("--guide", type=Path, default=DEFAULT_GUIDE)
    parser.add_argument("--splits", action="store_true", help="also print each hash split")
    parser.add_argument("--misses", action="store_true", help="list what went wrong")
    parser.add_argument("--semantic", action="store_true",
                        help="fuse the meaning layer (knowledge.semantic) with the lexical scores")
    parser.add_argument("--only", choices=SPLITS,
                        help="score one hash split alone (the held-out half stays unread)")
    args = parser.parse_args()
    guide = load_guide(args.guide)
    index = alarms = None
    if args.semantic:
        encoder = load_encoder()
        index = SemanticIndex(encoder, guide.items, Path("var") / "cache")
        alarms = AlarmIndex(encoder, load_examples(), Path("var") / "cache")
    matcher = Matcher(guide, semantic=index, alarms=alarms)
    texts = []
    for path in args.cases:
        cases = [c for c in load_cases(path) if args.only in (None, c.split)]
        texts += [c.text for c in cases]
        report = score(matcher, cases)
        _print(path.stem, report)
        for split in SPLITS if args.splits else ():
            _print(f"  {split}", score(matcher, [c for c in cases if c.split == split]))
        for case, outcome, got in report.misses if args.misses else ():
            print(f"    {case.label:<28} {outcome:<9} {got:<26} {case.text}")
    median, p99 = latency(Matcher(guide, semantic=index, alarms=alarms), texts, rounds=1)
    print(f"latency per message (uncached): median {median:.0f} µs, p99 {p99:.0f} µs "
          f"({len(matcher.items)} items)")


if __name__ == "__main__":
    main()
