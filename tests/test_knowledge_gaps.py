"""Redacting a message before it is kept as a gap of the guide: no numbers, names or links."""

from __future__ import annotations

import pytest

from knowledge.gaps import MAX_LENGTH, redact


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
