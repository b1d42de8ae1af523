"""Foreign residents' matters lead with English, even when a Chinese landlord asks."""

from __future__ import annotations

from bot.wechat.replies import MAX_REPLY_BYTES
from tests.conftest import WeChat


def test_a_landlord_asking_in_chinese_gets_english_first_then_chinese(wechat: WeChat) -> None:
    reply = wechat.say("房子租给外国人了，要去派出所登记吗")
    assert reply.startswith("【Accommodation registration")
    assert "24 hours" in reply and "24 小时" in reply and "枫林路派出所" in reply
    assert len(reply.encode("utf-8")) <= MAX_REPLY_BYTES


def test_a_foreign_resident_writing_english_gets_english_only(wechat: WeChat) -> None:
    reply = wechat.say("I just moved to Fenglin, do I need to register with the police?")
    assert "24 hours" in reply and "Fenglin Road Police Station" in reply
    assert "派出所登记" not in reply
