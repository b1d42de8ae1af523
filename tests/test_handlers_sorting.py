"""A resident asks which bin something goes in and gets the bin and the garbage rooms' times."""

from __future__ import annotations

import pytest

from bot.core.services import Services
from bot.tickets.opening import list_tickets
from tests.conftest import WeChat


@pytest.mark.parametrize(("said", "expected"), [
    ("电池扔哪", ["电池 → 有害垃圾", "红色", "普通 5 号", "垃圾箱房开放时间", "7:00-9:00"]),
    ("大骨头是什么垃圾", ["大骨头 → 干垃圾", "黑色"]),
    ("pizza box?", ["pizza box → Dry (residual) waste", "Garbage rooms", "7:00-9:00"]),
])
def test_a_sorting_question_gets_the_bin_at_once(wechat: WeChat, services: Services, said: str,
                                                 expected: list[str]) -> None:
    reply = wechat.say(said)
    for fragment in expected:
        assert fragment in reply, reply
    assert list_tickets(services.db) == []


def test_a_general_sorting_question_gets_the_rules_and_the_rooms(wechat: WeChat) -> None:
    reply = wechat.say("垃圾几点可以扔")
    assert "四类" in reply and "1号垃圾箱房" in reply
