"""Matching quality on the labelled set of residents' own words (no timing here: see bench/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.meaning import shared_encoder
from knowledge.evaluate import Case, Report, load_cases, score
from knowledge.loader import load_guide
from knowledge.matcher import Matcher
from knowledge.semantic import SemanticIndex

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module", params=["lexical", "meaning"])
def matcher(request: pytest.FixtureRequest, guide_dir: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    """Return one matcher on the shipped guide: by words alone, and fused with the meaning layer
    as the service runs it."""
    guide = load_guide(guide_dir)
    if request.param == "lexical":
        return Matcher(guide)
    index = SemanticIndex(shared_encoder(), guide.items, tmp_path_factory.mktemp("cache"))
    return Matcher(guide, semantic=index)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    """Return the labelled set."""
    return load_cases(DATA / "matcher_eval.tsv")


@pytest.fixture(scope="module")
def guide_dir() -> Path:  # module-scoped twin of conftest's fixture
    """Return the shipped guide's folder."""
    return Path(__file__).resolve().parent.parent / "knowledge" / "guide"


def test_the_set_is_large_and_covers_every_item_and_every_kind(cases: list[Case],
                                                               matcher: Matcher) -> None:
    assert len(cases) >= 400
    expected = {c.expected for c in cases}
    assert {item.code for item in matcher.items} <= expected
    assert {"none", "emergency"} <= expected
    assert sum(c.text.isascii() for c in cases) >= 40  # English
    assert sum(c.bin is not None for c in cases) >= 40  # "电池扔哪"
    examples = {e for item in matcher.items for e in item.examples}
    assert not examples & {c.text for c in cases}, "the set must not copy the guide's examples"


def check_targets(report: Report) -> None:
    """Assert the issue's quality targets, listing what went wrong when one is missed."""
    misses = "\n".join(f"{c.expected}: {c.text} -> {outcome} {got}"
                       for c, outcome, got in report.misses)
    assert report.top1 >= 0.95, misses
    assert report.confidently_wrong <= 0.02, misses
    assert report.off_topic_declined >= 0.90, misses
    assert report.emergency_recall == 1.0, misses
    assert report.false_emergencies == 0, misses
    assert report.bin_accuracy >= 0.95, misses


def test_the_quality_targets_hold_on_the_whole_set(matcher: Matcher, cases: list[Case]) -> None:
    check_targets(score(matcher, cases))


@pytest.mark.parametrize("split", ["tune", "held-out"])
def test_the_quality_targets_hold_on_each_split(matcher: Matcher, cases: list[Case],
                                                split: str) -> None:
    check_targets(score(matcher, [c for c in cases if c.split == split]))


def test_the_set_written_after_the_freeze_also_meets_the_targets(matcher: Matcher) -> None:
    check_targets(score(matcher, load_cases(DATA / "matcher_fresh.tsv")))


@pytest.mark.parametrize(("text", "code"), [
    ("以保卡掉了", "medical-card"),  # voice input: the right sound, the wrong character
    ("静老卡在哪办", "senior-card"),
    ("醫保卡遺失怎麼補辦", "medical-card"),  # Traditional characters
    ("楼道灯坏了😭😭", "facility-repair"),  # emoji say nothing
    ("MY LIFT IS BROKEN", "facility-repair"),
    ("居住证明", "certificate"),  # the longer alias wins over 居住证
    ("居住证续签", "residence-permit"),
])
def test_residents_own_words_find_the_item(matcher: Matcher, text: str, code: str) -> None:
    match = matcher.match(text)
    assert match.outcome == "item", match.as_dict()
    assert match.item is not None and match.item.code == code


@pytest.mark.parametrize(("text", "obj", "bin_code"), [
    ("电池扔哪", "电池", "hazardous"), ("大骨头是什么垃圾", "大骨头", "dry"),
    ("pizza box?", "披萨盒", "dry"), ("西瓜皮", "果皮", "wet"),
    ("廢紙箱丟哪裡", "纸箱", "recyclable"),
])
def test_a_sorting_question_names_the_object_and_its_bin(matcher: Matcher, text: str, obj: str,
                                                         bin_code: str) -> None:
    match = matcher.match(text)
    assert match.outcome == "item" and match.item is not None
    assert match.item.code == "garbage-sorting"
    assert match.garbage is not None
    assert match.garbage.name.zh == obj and match.garbage.bin.code == bin_code
    shown = match.as_dict()["garbage"]
    assert isinstance(shown, dict) and shown["bin"] == bin_code


@pytest.mark.parametrize("text", ["电动车电池能带回家充电吗", "旧沙发怎么扔",
                                  "小区门口新开了奶茶店"])
def test_an_object_mentioned_in_passing_is_not_a_sorting_question(matcher: Matcher,
                                                                  text: str) -> None:
    assert matcher.match(text).garbage is None
