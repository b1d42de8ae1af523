"""Vague messages get a short list of the items they may mean; specific ones still get the item."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import load_guide
from knowledge.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """Return one matcher on the shipped guide for the whole module."""
    return Matcher(load_guide(Path(__file__).resolve().parent.parent / "knowledge" / "guide"))


@pytest.mark.parametrize(("text", "family", "offered"), [
    ("卡丢了", "cards", {"medical-card", "senior-card"}),
    ("我的卡好像丢了怎么办", "cards", {"medical-card", "senior-card"}),
    ("補卡", "cards", {"medical-card", "senior-card"}),  # Traditional
    ("I lost my card", "cards", {"medical-card", "senior-card"}),
    ("补贴怎么申请", "subsidies", {"senior-allowance", "subsistence-allowance"}),
    ("有什么补贴可以领", "subsidies", {"senior-allowance", "disability-card"}),
    ("what allowances can I get", "subsidies", {"senior-allowance", "subsistence-allowance"}),
    ("办证", "certificates", {"certificate", "residence-permit", "hukou"}),
    ("我要投诉", "complaints", {"complaint", "property-complaint", "noise", "mediation"}),
    ("I want to complain", "complaints", {"complaint", "property-complaint"}),
    ("老人有什么服务", "elderly-services", {"senior-meals", "day-care", "home-care"}),
    ("what services are there for the elderly", "elderly-services",
     {"senior-meals", "care-adviser"}),
    ("我的卡找不到了", "cards", {"medical-card", "senior-card"}),
    ("阿拉屋里老人有啥服务伐", "elderly-services", {"senior-meals", "day-care"}),
    ("外国人要办什么手续", "foreigners", {"foreigner-registration", "foreigner-visa"}),
    ("最近有活動嗎", "activities", {"interest-classes", "parent-child"}),
    ("东西坏了", "repairs", {"facility-repair", "water-leak"}),
    ("邻居太烦了", "neighbours", {"noise", "mediation"}),
    ("扔东西", "throwing-out", {"garbage-sorting", "bulky-waste"}),
    ("看病", "health", {"family-doctor", "health-check"}),
])
def test_a_vague_message_gets_the_list_of_its_family(matcher: Matcher, text: str, family: str,
                                                     offered: set[str]) -> None:
    match = matcher.match(text)
    assert match.outcome == "clarify", match.as_dict()
    assert match.family is not None and match.family.code == family
    codes = [c.item.code for c in match.candidates]
    assert offered <= set(codes) and len(codes) <= 5
    assert len(set(codes)) == len(codes)
    scores = [c.score for c in match.candidates]
    assert scores == sorted(scores, reverse=True) and match.score == scores[0]


@pytest.mark.parametrize(("text", "code"), [
    ("医保卡丢了怎么补", "medical-card"),
    ("社保卡坏了刷不出来", "medical-card"),
    ("敬老卡丢了", "senior-card"),
    ("门禁卡坏了", "facility-repair"),
    ("老年补贴", "senior-allowance"),
    ("残疾人补贴怎么申请", "disability-card"),
    ("低保补贴", "subsistence-allowance"),
    ("居住证怎么办", "residence-permit"),
    ("投诉物业不管事", "property-complaint"),
    ("complain about the property company", "property-complaint"),
    ("elderly allowance for people over 65", "senior-allowance"),
    ("我要投诉楼上太吵", "noise"),  # 投诉 names the family, 太吵 the item
    ("我要投诉乱停车", "parking"),
    ("楼道灯坏了", "facility-repair"),
    ("亲子活动怎么报名", "parent-child"),
    ("外国人住宿登记在哪办", "foreigner-registration"),
])
def test_a_message_that_says_which_one_goes_straight_to_its_item(matcher: Matcher, text: str,
                                                                 code: str) -> None:
    match = matcher.match(text)
    assert match.outcome == "item" and match.family is None, match.as_dict()
    assert match.item is not None and match.item.code == code


@pytest.mark.parametrize("text", ["家里的空调坏了找谁修", "狗证怎么办"])
def test_a_private_matter_sharing_a_word_with_a_family_is_not_offered_its_list(
        matcher: Matcher, text: str) -> None:
    assert matcher.match(text).family is None


@pytest.mark.parametrize("text", ["银行卡丢了", "交通卡丢了怎么办", "I lost my bank card"])
def test_a_card_the_committee_does_not_issue_is_not_offered_the_cards_list(
        matcher: Matcher, text: str) -> None:
    match = matcher.match(text)
    assert match.family is None and match.outcome != "item", match.as_dict()


def test_a_message_naming_an_item_outside_the_family_is_not_given_the_family(
        matcher: Matcher) -> None:
    match = matcher.match("帮老人补医保卡要带户口本吗")  # 补*卡 of the cards family, and 户口本
    assert match.family is None
    assert [c.item.code for c in match.candidates][:2] == ["medical-card", "hukou"]


@pytest.mark.parametrize(("text", "code"), [
    ("我妈一个人住能装个一键通吗", "senior-alarm"),
    ("老人的紧急呼叫器按了没反应", "senior-alarm"),
    ("my father needs an emergency button at home", "senior-alarm"),
    ("想找养老顾问聊聊老人怎么安排", "care-adviser"),
    ("我这两天老是头晕", "health-symptoms"),
    ("孩子发烧了去哪看", "health-symptoms"),
    ("我找王书记", "staff-contact"),
    ("负责我们楼的社工是谁", "staff-contact"),
    ("can I talk to the director", "staff-contact"),
    ("访客车能停小区里吗", "parking"),
    ("旧冰箱要处理掉", "bulky-waste"),
    ("old fridge, who takes it away", "bulky-waste"),
    ("邻里小汇几点开门", "office-hours"),
    ("邻里小汇有什么活动", "interest-classes"),
    ("想借邻里小汇的活动室", "room-booking"),
    ("楼上的狗一直叫", "noise"),
    ("对门半夜唱卡拉OK", "noise"),
    ("隔壁周末一大早就装修", "noise"),
    ("厨房下水道堵住了", "water-leak"),
    ("老人坐公交免费的那个卡", "senior-card"),
    ("where can elderly people get lunch", "senior-meals"),
])
def test_the_new_items_and_aliases_are_found_by_their_usual_words(matcher: Matcher, text: str,
                                                                  code: str) -> None:
    match = matcher.match(text)
    assert match.outcome == "item", match.as_dict()
    assert match.item is not None and match.item.code == code
