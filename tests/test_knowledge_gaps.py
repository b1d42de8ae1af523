"""Redacting a message before it is kept as a gap of the guide: no numbers, names or links."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.gaps import (
    CLUSTER_SIMILARITY,
    MAX_LENGTH,
    cluster,
    nearest_item,
    redact,
    shingles,
    similarity,
)
from knowledge.guide_edit import add_phrase
from knowledge.loader import load_guide
from knowledge.matcher import Matcher


@pytest.mark.parametrize(("text", "secret"), [
    ("我的电话13800001111楼道灯坏了", "13800001111"),
    ("电话 138 0000 1111", "0000"),
    ("身份证31010419800101123X怎么补", "31010419800101123"),
    ("住在5号楼302室", "302"),
    ("我叫王小明，想问个事", "王小明"),
    ("发到 li.ming@example.com", "li.ming"),
    ("see https://example.com/a?b=1", "example.com"),
])
def test_personal_details_do_not_survive(text: str, secret: str) -> None:
    assert secret.lower() not in redact(text)


def test_the_question_itself_survives_folded_for_grouping() -> None:
    assert redact("醫保卡  補辦？？😭") == redact("医保卡 补办??")
    assert "医保卡" in redact("醫保卡補辦")


def test_a_long_message_is_cut() -> None:
    assert len(redact("楼上" * 200)) == MAX_LENGTH


# Grouping the kept messages into questions.

def _groups(messages: list[tuple[str, int]]) -> list[set[str]]:
    return [{messages[i][0] for i in group} for group in cluster(messages)]


def test_wordings_of_one_question_are_grouped_and_other_questions_kept_apart() -> None:
    messages = [("我家猫丢了,电话#", 5), ("尤克里里培训班在哪里报名", 3), ("我家的猫丢了怎么办", 2),
                ("尤克里里培训班哪里报名啊", 1), ("股票怎么买", 1), ("lift broken", 2),
                ("the lift is broken", 1), ("猫丢了", 1)]
    assert _groups(messages) == [
        {"我家猫丢了,电话#", "我家的猫丢了怎么办", "猫丢了"},
        {"尤克里里培训班在哪里报名", "尤克里里培训班哪里报名啊"},
        {"lift broken", "the lift is broken"},
        {"股票怎么买"},
    ]


def test_the_most_asked_wording_represents_its_group() -> None:
    messages = [("猫丢了", 1), ("我家猫丢了", 4)]
    assert [messages[i][0] for i in cluster(messages)[0]] == ["我家猫丢了", "猫丢了"]


@pytest.mark.parametrize(("left", "right", "same"), [
    ("醫保卡補辦", "医保卡补办怎么办", True),
    ("医保卡补办", "敬老卡申请", False),
    ("楼道灯坏了", "楼道的灯坏了吗", True),
    ("楼道灯坏了", "楼上漏水", False),
])
def test_similarity_sees_through_filler_and_script(left: str, right: str, same: bool) -> None:
    score = similarity(shingles(redact(left)), shingles(redact(right)))
    assert (score >= CLUSTER_SIMILARITY) is same


def test_grouping_does_not_depend_on_the_order_messages_come_in() -> None:
    messages = [("楼道灯坏了", 2), ("楼道的灯坏了吗", 2), ("楼上漏水", 1), ("楼上漏水了", 1)]
    assert _groups(messages) == _groups(list(reversed(messages)))


def test_the_nearest_item_is_the_one_a_clear_wording_names(guide_dir: Path) -> None:
    matcher = Matcher(load_guide(guide_dir))
    near, answered = nearest_item(matcher, ["敬老卡的事情咋弄"])
    assert near is not None and near.item.code == "senior-card" and answered
    assert nearest_item(matcher, ["股票怎么买", "比特币挖矿"]) == (None, False)


# Writing a learned wording into an items file, layout kept.

SOURCE = ("# note\r\nitems:\r\n  - code: a\r\n    aliases: [x, y]  # keep\r\n"
          "    examples:\r\n      - one\r\n\r\n  - code: b\r\n    aliases: []\r\n")


def test_a_phrase_is_written_where_it_belongs_and_nothing_else_moves() -> None:
    edited = add_phrase(SOURCE, "a", "aliases", "z: w")
    assert '    aliases: [x, y, "z: w"]  # keep\r\n' in edited
    edited = add_phrase(edited, "a", "examples", "two")
    assert "      - one\r\n      - two\r\n\r\n  - code: b" in edited
    edited = add_phrase(edited, "b", "examples", "three")
    assert edited.endswith("    aliases: []\r\n    examples:\r\n      - three\r\n")
    assert yaml.safe_load(edited)["items"] == [
        {"code": "a", "aliases": ["x", "y", "z: w"], "examples": ["one", "two"]},
        {"code": "b", "aliases": [], "examples": ["three"]}]
