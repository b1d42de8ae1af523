"""The shipped character tables: Traditional folds to Simplified, homophones share a sound."""

from __future__ import annotations

import pytest

from knowledge.tables import pinyin_table, t2s_table
from knowledge.text import normalise, pinyin


def test_traditional_characters_fold_to_simplified() -> None:
    assert normalise("醫保卡補辦，謝謝") == "医保卡补办,谢谢"
    assert len(t2s_table()) > 3000


@pytest.mark.parametrize(("heard", "meant"), [("以保卡", "医保卡"), ("静老卡", "敬老卡"),
                                              ("楼到灯", "楼道灯"), ("辣鸡", "垃圾")])
def test_voice_input_homophones_share_their_pinyin(heard: str, meant: str) -> None:
    assert pinyin(heard) == pinyin(meant)


def test_the_tables_agree_with_the_pinned_packages_they_were_made_from() -> None:
    lazy_pinyin = pytest.importorskip("pypinyin").lazy_pinyin
    table = pinyin_table()
    for char in "医保卡敬老津贴长护险楼道灯漏水噪音垃圾分类居住证公积金":
        assert table[char] == lazy_pinyin(char)[0], char
