"""Conversations through the webhook, as dialogue tables: what is said, answered, stored, sent."""

from __future__ import annotations

import pytest

from tests.conftest import WeChat
from tests.dialogue import Dialogue

HANDOFF = [
    ("楼道灯坏了，晚上黑乎乎的", ["公共设施报修", "地点"]),
    ("5号楼2单元3楼", ["电话"]),
    ("我的电话是 138 0000 1111", ["工单号 #", "个工作日"]),
]


def test_handoff_collects_details_then_opens_one_ticket(dialogue: Dialogue,
                                                        fake_wechat) -> None:
    dialogue.play(HANDOFF)
    [ticket] = dialogue.tickets()
    assert ticket.item_code == "facility-repair"
    assert ticket.details == {"location": "5号楼2单元3楼", "phone": "13800001111"}
    assert ticket.request_text == "楼道灯坏了，晚上黑乎乎的"
    assert [e.kind for e in ticket.events] == ["created", "unassigned"]
    [content] = dialogue.sent()
    assert dialogue.sent("sample-openid-property-repair") == [content]
    assert f"#{ticket.id}" in content and "5号楼2单元3楼" in content
    events = [e.kind for e in dialogue.tickets()[0].events]
    assert events == ["created", "unassigned", "notified"]


def test_phone_in_the_first_message_is_not_asked_again(dialogue: Dialogue) -> None:
    dialogue.play([("电梯坏了 13900002222", ["地点"]), ("3号楼电梯", ["工单号 #"])])


def test_a_bad_phone_number_is_asked_again(dialogue: Dialogue) -> None:
    dialogue.play([("楼道灯坏了", "地点"), ("7号楼", "电话"), ("12", "号码"),
                   ("021-64000000", "工单号")])
    assert dialogue.tickets()[0].details["phone"] == "021-64000000"


def test_resident_can_cancel_a_handoff(dialogue: Dialogue) -> None:
    dialogue.play([("楼道灯坏了", "地点"), ("取消", "已取消"), ("敬老卡怎么办", "敬老卡")])
    dialogue.assert_no_work()


def test_english_handoff_is_in_english(dialogue: Dialogue) -> None:
    dialogue.play([("The lift in my building is broken", "Where"),
                   ("Building 12", "phone"), ("13800001111", "ticket #")])


def test_emergency_gets_hotlines_at_once_and_an_urgent_ticket(dialogue: Dialogue) -> None:
    dialogue.play([("厨房着火了！！", "119")])
    [ticket] = dialogue.tickets()
    assert ticket.is_urgent and ticket.kind == "emergency" and ticket.line == "front-desk"
    [sent] = dialogue.sent()
    assert "紧急" in sent


@pytest.mark.parametrize("said, hotline", [
    ("电梯里困住人了", "110"), ("我爸晕倒了", "120"), ("楼下有人持刀打人", "110"),
    ("闻到很重的煤气味", "119")])
def test_emergencies_are_recognised_before_matching(wechat: WeChat, said: str,
                                                    hotline: str) -> None:
    assert hotline in wechat.say(said)


def test_unmatched_message_offers_a_person_and_opens_no_ticket_by_itself(
        dialogue: Dialogue) -> None:
    dialogue.play([("楼下的猫很可爱，叫什么名字", ["没有这方面的内容", "回复“人工”"])])
    dialogue.assert_no_work()


def test_greeting_and_thanks_get_a_friendly_answer_without_a_ticket(dialogue: Dialogue) -> None:
    dialogue.play([("你好", "有什么可以帮您"), ("谢谢！", "不客气")])
    dialogue.assert_no_work()


def test_close_matches_get_a_numbered_list_and_a_number_picks_one(wechat: WeChat) -> None:
    reply = wechat.say("补办")
    assert "回复数字" in reply and "1. " in reply and "2. " in reply
    first = reply.split("1. ")[1].split("\n")[0]
    assert first in wechat.say("1")


def test_a_number_outside_the_list_is_asked_again_and_words_start_afresh(wechat: WeChat) -> None:
    wechat.say("补办")
    assert "1-2" in wechat.say("7")
    assert "敬老卡" in wechat.say("敬老卡怎么办")


def test_a_lone_weak_match_is_offered_for_confirmation(wechat: WeChat) -> None:
    assert "回复 1 确认" in wechat.say("体检")  # by meaning only: health advice and checks
    assert "健康咨询" in wechat.say("1")


@pytest.mark.parametrize("yes", ["是的", "对", "yes"])
def test_a_yes_confirms_the_lone_match_offered(wechat: WeChat, yes: str) -> None:
    wechat.say("体检")
    assert "健康咨询" in wechat.say(yes)


def test_an_event_during_a_conversation_is_not_taken_as_an_answer(wechat: WeChat) -> None:
    wechat.say("补办")
    assert "欢迎" in wechat.send("event", Event="subscribe", EventKey="")


def test_referral_names_the_office(wechat: WeChat) -> None:
    reply = wechat.say("I am a foreigner, I just moved in. Do I need to register with police?")
    assert "24" in reply and "Police" in reply


def test_residents_see_their_own_tickets_only(dialogue: Dialogue) -> None:
    dialogue.play([*HANDOFF, ("我的工单", ["#", "公共设施报修"])], who="o-alice")
    dialogue.play([("我的工单", "没有工单"), ("my tickets", "no tickets")], who="o-bob")
