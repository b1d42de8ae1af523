"""Emergencies found by meaning where no rule fires, on the real model (figures: README)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.core.meaning
from bot.core.services import Services
from bot.tickets.opening import list_tickets
from knowledge.alarms import EXAMPLES, AlarmIndex, load_examples
from knowledge.evaluate import load_cases
from knowledge.rules import find_emergency
from knowledge.semantic import Encoder
from knowledge.text import normalise
from tests.conftest import WeChat

DATA = Path(__file__).resolve().parent / "data"
# Worded so that no rule fires (asserted below), so only the meaning layer can raise the alarm.
UNRULED = [("我闺女放学到现在没到家 电话也不接", "missing", "110"),
           ("楼上男的在骂老婆 还听见砰砰的撞墙声 女的在哭", "violence", "110")]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    """Return the process's encoder (loaded once, as the service does)."""
    return bot.core.meaning.shared_encoder()


def test_the_nearest_example_raises_the_alarm_with_its_kind(encoder: Encoder,
                                                            tmp_path: Path) -> None:
    index = AlarmIndex(encoder, [("fire", "厨房着火了"), ("medical", "我爸晕倒了"),
                                 ("calm", "厨房水龙头坏了"), ("calm", "我爸想办敬老卡")], tmp_path)
    for text, kind, first in (("kitchen is on fire", "fire", "119"),
                              ("我爸突然昏过去了", "medical", "120")):
        found = index.find(normalise(text))
        assert found is not None and found.kind == kind and found.hotlines[0] == first
    assert index.find(normalise("我爸的敬老卡丢了")) is None  # nearer a calm example


def test_a_calm_question_near_an_emergency_raises_nothing(encoder: Encoder) -> None:
    index = AlarmIndex(encoder, load_examples(), None)
    for text in ("社区能教心肺复苏吗", "灭火器在哪里领", "烟雾报警器老是响 是不是没电了",
                 "where can I buy a fire blanket", "5号楼", "在厨房", "my flat"):
        assert index.find(normalise(text)) is None, text


@pytest.mark.parametrize(("text", "kind", "first"), UNRULED)
def test_the_service_raises_an_alarm_no_rule_knows(wechat: WeChat, services: Services,
                                                  text: str, kind: str, first: str) -> None:
    assert find_emergency(text) is None  # else pick a wording the rules miss
    reply = wechat.say(text)
    assert reply.split("\n")[0] == f"⚠️ 如果情况紧急，请立即拨打 {first}！"  # a possibility
    [ticket] = list_tickets(services.db)
    assert ticket.is_urgent and f"#{ticket.id}" in reply


@pytest.mark.parametrize("detail", ["在厨房", "电梯里", "5号楼", "阳台上"])
def test_a_short_detail_in_a_hand_off_is_never_taken_for_an_emergency(
        wechat: WeChat, services: Services, detail: str) -> None:
    wechat.say("楼道灯坏了")
    for said in (detail, "5号楼3单元", "13800001111"):
        assert "⚠️" not in wechat.say(said)
    assert not any(ticket.is_urgent for ticket in list_tickets(services.db))


def test_examples_come_from_tuning_halves_only_so_held_out_figures_stay_honest() -> None:
    examples = {text for _, text in load_examples((EXAMPLES,))}
    for path in DATA.glob("matcher_*.tsv"):
        if path.stem == "matcher_tune":
            continue
        held_out = {c.text for c in load_cases(path) if c.split == "held-out"}
        assert not held_out & examples, path.name


def test_an_example_with_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "examples.tsv"
    path.write_text("flood\t水漫金山了\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown kind 'flood'"):
        load_examples((path,))
