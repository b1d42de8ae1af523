"""Linli listens: small talk, unanswered questions, asking for a person, several questions at
once, cancelling at any step, emergencies and vague messages, as dialogue tables."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.gaps import top_gaps
from bot.core.services import Services
from bot.tickets.opening import list_tickets
from tests.conftest import STAFF_OPENIDS, WeChat
from tests.dialogue import Dialogue

UNANSWERED = "小区里可以放风筝吗"


@pytest.mark.parametrize(("said", "expected"), [
    ("你好", ["有什么可以帮您", "发送“帮助”"]),
    ("谢谢！", ["不客气"]),
    ("收到", ["好的，还有需要随时说"]),
    ("ok", ["OK. Write any time"]),
    ("哈哈哈", ["😄"]),
    ("累死了", ["辛苦了"]),
    ("👍", ["谢谢夸奖"]),
    ("你是机器人吗", ["自动服务台", "回复“人工”"]),
    ("are you a robot", ["automatic service desk", "'human'"]),
    ("测试", ["运行正常", "报修"]),
    ("。。。", ["您想问什么"]),
])
def test_small_talk_gets_a_friendly_word_and_never_a_ticket(
        dialogue: Dialogue, said: str, expected: list[str]) -> None:
    dialogue.play([(said, expected)])
    dialogue.assert_no_work()


@pytest.mark.parametrize(("said", "expected"), [
    ("取消", "没有正在办理的事项"), ("算了", "没有正在办理的事项"),
    ("cancel", "nothing open to cancel"),
])
def test_cancel_with_nothing_open_says_so(dialogue: Dialogue, said: str, expected: str) -> None:
    dialogue.play([(said, [expected])])
    dialogue.assert_no_work()


def test_unanswered_question_offers_a_person_who_gets_the_original_words(
        dialogue: Dialogue, services: Services, run_jobs, fake_wechat) -> None:
    dialogue.play([
        (UNANSWERED, ["没有这方面的内容", "回复“人工”联系工作人员"]),
        ("人工", ["联系电话"]),
        ("12", ["号码好像不对", "13812345678"]),
        ("13800001111", ["工单号 #", "13800001111"]),
    ])
    [ticket] = list_tickets(services.db)
    assert ticket.kind == "general" and ticket.line == "front-desk"
    assert ticket.request_text == UNANSWERED and ticket.details == {"phone": "13800001111"}
    run_jobs()
    [sent] = fake_wechat.calls("message/custom/send")
    assert UNANSWERED in sent["body"]["text"]["content"]
    gaps = top_gaps(services.redis, services.index.guide.committee.code, date(2000, 1, 1),
                    date(2100, 1, 1))
    assert [g.outcome for g in gaps] == ["none"]


def test_an_unanswered_question_alone_opens_nothing(dialogue: Dialogue) -> None:
    dialogue.play([(UNANSWERED, ["人工"]), ("敬老卡怎么办", ["敬老卡"])])
    dialogue.assert_no_work()


def test_two_misses_in_a_row_offer_a_person_first(dialogue: Dialogue) -> None:
    first, second = dialogue.play([(UNANSWERED, ["人工"]), ("小区里可以养鸡吗", ["人工"])])
    assert not first.startswith("👉")
    assert second.startswith("👉") and "021-0000-0000（示例号码）" in second


def test_a_person_can_be_asked_for_mid_handoff_and_keeps_the_matter(
        dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("楼道灯坏了", ["地点"]), ("转人工", ["联系电话"]),
                  ("021-64000000", ["工单号 #"])])
    [ticket] = list_tickets(services.db)
    assert ticket.kind == "general" and ticket.request_text == "楼道灯坏了"


def test_a_phone_already_given_is_not_asked_for_again_by_the_person_flow(
        dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("电梯坏了 13900002222", ["地点"]), ("找工作人员", ["工单号 #"])])
    assert list_tickets(services.db)[0].details == {"phone": "13900002222"}


def test_a_person_from_the_first_message_asks_what_it_is_about(
        dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("人工", ["要办的事"]), ("想问问小区里能不能养鸡", ["电话"]),
                  ("不用了", ["已取消"])])
    assert list_tickets(services.db) == []
    dialogue.play([("human", ["what it is about"]), ("Can I keep chickens here?", ["phone"]),
                  ("13800001111", ["ticket #"])])
    assert list_tickets(services.db)[0].request_text == "Can I keep chickens here?"


def test_a_sentence_starting_with_a_person_word_is_still_a_question(
        wechat: WeChat, services: Services) -> None:
    reply = wechat.say("staff parking for visitors?")
    assert "what it is about" not in reply and "so they can call you" not in reply
    assert list_tickets(services.db) == []


@pytest.mark.parametrize("word", ["算了", "不用了", "不办了", "不要了", "never mind",
                                  "forget it", "cancel"])
@pytest.mark.parametrize("steps", [
    [("楼道灯坏了", ["地点"])],
    [("楼道灯坏了", ["地点"]), ("5号楼2单元", ["电话"])],
    [("邻居天天吵架想找人调解", ["称呼"])],
    [("邻居天天吵架想找人调解", ["称呼"]), ("王阿姨", ["电话"])],
    [(UNANSWERED, ["人工"]), ("人工", ["电话"])],
    [("卡丢了", ["1. "])],
])
def test_cancel_words_stop_any_step_and_are_never_stored(
        dialogue: Dialogue, wechat: WeChat, services: Services, word: str, steps: list[tuple[str,
        list[str]]]) -> None:
    dialogue.play(steps)
    reply = wechat.say(word)
    assert "取消" in reply or "不查了" in reply, reply
    assert list_tickets(services.db) == []
    # The conversation is over: the next message is a fresh question.
    assert "敬老卡" in wechat.say("敬老卡怎么办")
    assert list_tickets(services.db) == []


def test_a_description_in_the_first_message_is_not_asked_for_again(
        dialogue: Dialogue, services: Services) -> None:
    first = "我家卫生间天花板漏水了，楼上渗下来的"
    replies = dialogue.play([(first, ["地点"]), ("6号楼302室", ["电话"]),
                            ("13800001111", ["工单号 #"])])
    assert not any("描述" in reply for reply in replies)
    assert list_tickets(services.db)[0].details["description"] == first


@pytest.mark.parametrize("first", ["5号楼3单元楼道灯坏了 电话13800001111",
                                   "5-2 楼道灯坏了 13800001111",
                                   "building 5 unit 2: the stair light is broken, 13800001111"])
def test_a_place_and_phone_in_the_first_message_open_the_ticket_at_once(
        wechat: WeChat, services: Services, first: str) -> None:
    reply = wechat.say(first)
    assert "#" in reply and "地点" not in reply and "where" not in reply.lower()
    [ticket] = list_tickets(services.db)
    assert ticket.details["location"] and ticket.details["location"] in first


def test_a_bare_request_is_asked_for_its_description(dialogue: Dialogue) -> None:
    dialogue.play([("漏水怎么办", ["地点"]), ("6号楼302室", ["电话"]),
                  ("13800001111", ["描述"])])


def test_a_place_that_is_no_place_is_asked_again_then_taken(
        dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("楼道灯坏了", ["地点"]), ("不知道", ["没看懂这个地点", "5号楼"]),
                  ("就在那边", ["电话"]), ("13800001111", ["工单号 #"])])
    assert list_tickets(services.db)[0].details["location"] == "就在那边"


def test_english_stays_english_to_the_end_rating_included(
        dialogue: Dialogue, wechat: WeChat, services: Services, roster, clock, run_jobs,
        fake_wechat) -> None:
    clock("2026-11-30T10:00")
    dialogue.play([("The lift in my building is broken", ["Where"]),
                  ("no idea", ["could not tell where"]), ("Building 12, unit 3", ["phone"]),
                  ("12", ["does not look right"]), ("13800001111", ["ticket #"])])
    [ticket] = list_tickets(services.db)
    staff = next(STAFF_OPENIDS[name] for name, id_ in roster.items()
                 if id_ == ticket.assignee_id)
    wechat.say(f"签收 {ticket.id}", openid=staff)
    wechat.say(f"办结 {ticket.id} 已修好", openid=staff)
    run_jobs()
    told = [c["body"]["text"]["content"] for c in fake_wechat.calls("message/custom/send")
            if c["body"]["touser"] == "o-resident-1"]
    assert told and all("rate" in t.lower() or "ticket" in t.lower() for t in told), told
    assert "Thank you for rating" in wechat.say("5")


def test_sample_numbers_are_marked_in_english(wechat: WeChat) -> None:
    wechat.say("Can I fly a kite in the compound?")
    reply = wechat.say("Can I keep chickens here?")
    assert "(sample number)" in reply and "示例" not in reply


def test_two_objects_get_both_bins_in_one_reply(dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("大骨头和奶茶杯怎么扔", ["大骨头 → 干垃圾", "奶茶杯 →", "垃圾箱房开放时间"])])
    assert list_tickets(services.db) == []


def test_two_items_answer_the_first_and_offer_the_second(dialogue: Dialogue) -> None:
    dialogue.play([("敬老卡怎么办，还有医保卡补办", ["敬老卡", "您还问到了", "回复 2"]),
                  ("2", ["医保"])])


def test_a_shared_predicate_is_one_matter(wechat: WeChat) -> None:
    assert "您还问到了" not in wechat.say("医保卡和身份证都丢了")


@pytest.mark.parametrize(("said", "first_line"), [
    ("我爸晕倒了", "⚠️ 请立即拨打 120！"),
    ("my child is missing", "⚠️ Call 110 now!"),
])
def test_an_emergency_gives_the_number_first_and_keeps_the_urgent_ticket(
        wechat: WeChat, services: Services, said: str, first_line: str) -> None:
    reply = wechat.say(said)
    assert reply.split("\n")[0] == first_line
    [ticket] = list_tickets(services.db)
    assert ticket.is_urgent and f"#{ticket.id}" in reply


def test_an_emergency_mid_handoff_is_not_taken_as_a_detail(
        dialogue: Dialogue, services: Services) -> None:
    dialogue.play([("楼道灯坏了", ["地点"]), ("楼道里好多烟，着火了", ["119"])])
    [ticket] = list_tickets(services.db)
    assert ticket.is_urgent


def test_a_vague_message_gets_the_familys_list_and_a_number_picks(wechat: WeChat) -> None:
    reply = wechat.say("卡丢了")
    assert "哪一项" in reply and "1. " in reply and "6. " not in reply
    first = reply.split("1. ")[1].split("\n")[0]
    assert first in wechat.say("1")


@pytest.mark.parametrize(("said", "expected"), [
    ("人工", "要办的事"), ("转人工", "要办的事"), ("找人工", "要办的事"), ("人工服务", "要办的事"),
    ("真人", "要办的事"), ("找工作人员！", "要办的事"), ("human", "what it is about"),
    ("staff", "what it is about"), ("Talk to a person.", "what it is about"),
    ("agent please", "what it is about"),
])
def test_every_way_of_asking_for_a_person_is_heard(
        dialogue: Dialogue, services: Services, said: str, expected: str) -> None:
    dialogue.play([(said, [expected])])
    assert list_tickets(services.db) == []


@pytest.mark.parametrize("chatter", ["哈哈哈", "好的", "👍"])
def test_small_talk_mid_hand_off_is_asked_again_never_filed_as_a_detail(
        dialogue: Dialogue, services: Services, chatter: str) -> None:
    dialogue.play([("漏水怎么办", ["地点"]), (chatter, ["地点"]), ("6号楼302室", ["电话"]),
                  (chatter, ["电话"]), ("13800001111", ["描述"]), (chatter, ["描述"])])
    assert list_tickets(services.db) == []
    dialogue.play([("楼上卫生间一直往下渗水", ["工单号"])])
    assert list_tickets(services.db)[0].details["description"] == "楼上卫生间一直往下渗水"
