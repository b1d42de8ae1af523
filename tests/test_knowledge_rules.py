"""Rules that run before matching: emergencies get hotlines; greetings and thanks are noticed."""

from __future__ import annotations

import pytest

from knowledge.rules import find_courtesy, find_emergency

EMERGENCIES = [
    ("厨房着火了", "fire", "119"),
    ("楼下起火了快来人", "fire", "119"),
    ("楼道里好多浓烟", "fire", "119"),
    ("there is a fire in building 3", "fire", "119"),
    ("家里煤气味很重", "gas", "119"),
    ("燃气泄漏了怎么办", "gas", "119"),
    ("I can smell gas in the stairwell", "gas", "119"),
    ("我爸晕倒了", "medical", "120"),
    ("隔壁老人摔倒了起不来", "medical", "120"),
    ("有人在流血", "medical", "120"),
    ("my neighbour collapsed", "medical", "120"),
    ("my father is not breathing", "medical", "120"),
    ("有小偷进我家了", "crime", "110"),
    ("楼下有人持刀打人", "crime", "110"),
    ("someone broke in last night and is still here", "crime", "110"),
    ("电梯里困住人了", "trapped", "119"),
    ("我被困在电梯里了", "trapped", "119"),
    ("救命！", "trapped", "110"),
    ("we are stuck in the lift", "trapped", "119"),
    ("ＴＨＥＲＥ ＩＳ Ａ ＦＩＲＥ", "fire", "119"),  # full-width letters fold
]

NOT_EMERGENCIES = [
    "燃气费怎么交",
    "消防通道被占了",  # a parking complaint, not an emergency
    "敬老卡怎么办",
    "电梯坏了",
    "火车票",
    "楼道灯坏了",
    "楼上漏水到我家了",
    "煤气灶坏了找谁修",
    "烟花爆竹什么时候能放",
    "how do I pay the gas bill",
    "where do I register with the police",
    "我想报名志愿者",
    "垃圾分类怎么分",
    "楼上邻居吸烟",
]


@pytest.mark.parametrize(("text", "kind", "hotline"), EMERGENCIES)
def test_an_emergency_is_recognised_with_its_hotline(text: str, kind: str, hotline: str) -> None:
    emergency = find_emergency(text)
    assert emergency is not None, text
    assert emergency.kind == kind
    assert hotline in emergency.hotlines


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_an_everyday_request_is_not_an_emergency(text: str) -> None:
    assert find_emergency(text) is None


# Each of these triggers an emergency reply (110/119/120 and an urgent ticket) today.
FALSE_ALARMS = [
    pytest.param("can you help me with the senior card", id="help-me-is-not-trapped"),
    pytest.param("电动车轮胎漏气了", id="flat-tyre-is-not-a-gas-leak"),
    pytest.param("中风的老人能申请长护险吗", id="asking-about-stroke-patients"),
    pytest.param("心脏病患者能办长护险吗", id="asking-about-heart-patients"),
    pytest.param("when is the fire drill", id="fire-drill"),
    pytest.param("我想打人工客服电话", id="human-operator-contains-da-ren"),
]


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_a_question_that_merely_mentions_an_emergency_word_is_not_an_emergency(
        text: str) -> None:
    assert find_emergency(text) is None


@pytest.mark.parametrize("text", ["你好", "您好！", "hello", "Hello!", "hi", "在吗？", "早上好呀",
                                  "ＨＥＬＬＯ"])
def test_a_bare_greeting_is_recognised(text: str) -> None:
    assert find_courtesy(text) == "greeting"


@pytest.mark.parametrize("text", ["谢谢", "thanks!", "Thanks", "thank you", "多谢了", "谢谢您",
                                  "好的谢谢", "谢谢！！"])
def test_a_bare_thanks_is_recognised(text: str) -> None:
    assert find_courtesy(text) == "thanks"


@pytest.mark.parametrize("text", ["你好，敬老卡怎么办", "hello, where do I register",
                                  "谢谢，那医保卡呢", "敬老卡", "this", "history",
                                  "thanksgiving dinner", "", "好的"])
def test_a_message_with_a_request_in_it_is_not_mere_courtesy(text: str) -> None:
    assert find_courtesy(text) is None


def test_emergency_wins_over_a_greeting_in_the_same_message() -> None:
    assert find_courtesy("你好，厨房着火了") is None
    emergency = find_emergency("你好，厨房着火了")
    assert emergency is not None and emergency.kind == "fire"
