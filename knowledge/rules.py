"""Rules that run before matching: emergencies, greetings and thanks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import normalise


@dataclass(frozen=True)
class Emergency:
    """A kind of emergency and the public hotlines to call at once."""

    kind: str
    hotlines: tuple[str, ...]


# Broad stems on purpose: a narrow list missed "电梯里困住人了" (see FACTS.md). Each kind names
# the public numbers a resident must call before anything else. English stems match whole words.
EMERGENCY_STEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fire": (("着火", "失火", "火灾", "起火", "烧起来", "冒烟", "浓烟", "火警", "fire", "smoke"),
             ("119",)),
    "gas": (("煤气味", "燃气味", "漏气", "煤气泄", "燃气泄", "气味很大", "gas leak", "smell gas",
             "smell of gas"), ("119", "962777")),
    "medical": (("晕倒", "昏倒", "昏迷", "不省人事", "摔倒了", "摔倒在", "跌倒", "流血", "大出血",
                 "喘不上气", "没有呼吸", "没呼吸", "受伤了", "骨折", "心脏病发", "心脏病犯",
                 "中风了", "突然中风", "unconscious", "bleeding", "heart attack", "collapsed",
                 "not breathing", "injured", "fell down"),
                ("120",)),
    "crime": (("抢劫", "小偷", "偷东西", "入室", "持刀", "打人了", "有人打人", "在打人", "杀人",
               "砍人", "有人闯", "绑架", "robbery", "burglar", "thief", "break-in", "broke in",
               "stabbing", "assault"),
              ("110",)),
    "trapped": (("困住", "被困", "困在", "关在电梯", "救命", "trapped", "stuck in the lift",
                 "stuck in the elevator", "stuck in lift"), ("110", "119")),
}
# Everyday phrases that contain a stem but report no emergency.
NOT_EMERGENCIES = ("轮胎漏气", "车胎漏气", "胎漏气", "打人工", "消防演练", "灭火器", "防火",
                   "fire drill", "fire extinguisher", "fire safety", "fire door",
                   "smoke alarm test", "no smoking")
_ENGLISH = re.compile(r"^[a-z -]+$")


def _contains(text: str, stem: str) -> bool:
    if _ENGLISH.match(stem):
        return re.search(rf"\b{re.escape(stem)}\b", text) is not None
    return stem in text


GREETINGS = ("你好", "您好", "在吗", "在不在", "有人吗", "哈喽", "嗨", "早上好", "下午好", "晚上好",
             "hello", "hi", "hey", "good morning", "good afternoon", "good evening")
THANKS = ("谢谢", "多谢", "感谢", "谢啦", "辛苦了", "非常感谢", "谢谢你们", "谢谢你", "太感谢了",
          "thanks", "thank you", "thank you very much", "thanks a lot", "thx", "好的谢谢")
_FILLER = set(" !！,，.。~～?？:：;；、'\"") | set("啊呀呢吧哦噢嗯的了")


def find_emergency(text: str) -> Emergency | None:
    """Return the emergency a message reports, if any."""
    norm = normalise(text)
    for phrase in NOT_EMERGENCIES:
        norm = norm.replace(phrase, " ")
    for kind, (stems, hotlines) in EMERGENCY_STEMS.items():
        if any(_contains(norm, stem) for stem in stems):
            return Emergency(kind, hotlines)
    return None


def _is_only(text: str, phrases: tuple[str, ...]) -> bool:
    rest = normalise(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        rest = rest.replace(phrase, " ")
    stripped = "".join(ch for ch in rest if ch not in _FILLER)
    return len(stripped) <= 1 and rest != normalise(text)


def find_courtesy(text: str) -> str | None:
    """Return 'greeting' or 'thanks' for a message that is nothing more than that."""
    if _is_only(text, THANKS):
        return "thanks"
    if _is_only(text, GREETINGS + THANKS):
        return "greeting"
    return None
