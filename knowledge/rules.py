"""Rules that run before matching: emergencies first, then chatter that needs no work."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from knowledge.text import normalise


@dataclass(frozen=True)
class Emergency:
    """A kind of emergency and the public hotlines to call at once, the right one first."""

    kind: str
    hotlines: tuple[str, ...]
    by_meaning: bool = False
    """Found by the meaning layer's examples (knowledge.alarms), not by a rule."""

    @property
    def label(self) -> tuple[str, str]:
        """Return the kind's short Chinese and English names, as staff see them."""
        return EMERGENCY_LABELS[self.kind]


HOTLINES: dict[str, tuple[str, ...]] = {
    "fire": ("119",),
    "gas": ("119", "962777"),  # 962777: Shanghai's gas company emergency line
    "collapse": ("119", "120"),
    # Firefighters free people from lifts; 110 also dispatches when 119 is busy.
    "trapped": ("110", "119"),
    # Someone at risk now needs 120 and 110; 12356 (national) and 962525 (Shanghai) are the
    # public psychological crisis lines.
    "self_harm": ("120", "110", "12356", "962525"),
    "medical": ("120",),
    "violence": ("110",),
    "crime": ("110",),
    "missing": ("110",),
    "welfare": ("110", "120"),  # the police open the door; an ambulance may be needed inside
    "help": ("110", "120", "119"),  # a bare cry for help says nothing of which
}
"""The numbers for each kind, in the order the kinds are tried (救命 + 落水 is medical)."""

EMERGENCY_LABELS: dict[str, tuple[str, str]] = {
    "fire": ("火情", "fire or smoke"),
    "gas": ("燃气泄漏", "gas leak"),
    "collapse": ("坍塌", "collapse"),
    "trapped": ("被困（电梯）", "trapped (lift)"),
    "self_harm": ("轻生", "self-harm"),
    "medical": ("急病受伤", "medical"),
    "violence": ("暴力", "violence"),
    "crime": ("盗抢", "theft or robbery"),
    "missing": ("走失", "missing person"),
    "welfare": ("独居老人安危", "welfare check"),
    "help": ("呼救", "call for help"),
}


def _lead(heads: tuple[str, ...] | str, tail: str) -> str:
    # Every branch of the Chinese patterns starts with a plain character, so the compiled
    # alternation skips ahead to the few places a stem can start (about 1 µs a message instead
    # of 35 µs when one branch opens with a group or a class).
    # Heads that share a first character share one branch (老人, 老伴, 老公...: 老(?:人|伴|公)),
    # so a long list of family words costs a few branches, not dozens.
    words = heads.split("|") if isinstance(heads, str) else heads
    groups: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        groups.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in groups.items():
        if rests == [""]:
            branches.append(f"{re.escape(first)}(?:{tail})")
        else:
            options = "|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
            branches.append(f"{re.escape(first)}(?:{options})(?:{tail})")
    return "|".join(branches)


def _word(heads: str, tail: str) -> str:
    # The English twin of _lead: whole words, the boundary checked after the first letter.
    return "|".join(f"{_whole(word)}(?:{tail})" for word in heads.split("|"))


def _whole(word: str) -> str:
    first = re.escape(word[0])
    return f"{first}(?<![a-z]{first}){re.escape(word[1:])}"


_STOP = "，,。.!！?？;；"
_WITHIN = f"[^{_STOP}]"
"""Any character inside one clause."""
_CLAUSES = "[^。.!！?？]"
"""Any character inside one sentence."""
# Family words a resident uses for a child or an elder, Shanghainese (小囡, 阿娘, 好婆) too.
_KIN = ("孩子|小孩|小朋友|儿子|女儿|闺女|孙子|孙女|外孙|外孙女|宝宝|我家娃|我娃|小囡|囡囡|老人|"
        "老人家|爷爷|奶奶|外公|外婆|姥姥|姥爷|阿爷|阿娘|好婆|老伴|老头|老头子|老太|老太太|老爷子|"
        "老母亲|老父亲|我爸|我妈|爸爸|妈妈|父亲|母亲|公公|婆婆|老公|老婆|丈夫|妻子|爱人|姆妈|阿爸|"
        "老娘|老爸|老妈|阿婆|外甥|侄子|侄女|娃|小孩子|孩子们|学生")
_GAP = ("又|也|突然|忽然|好像|已经|一下子|一转眼|转眼|出去|出门|出门后|放学|放学后|一个人|"
        "早上|晚上|一天|一晚上|到现在|还|都|在外面|在小区|在小区里|在公园")
_LOST = (r"(?:(?:找不到|找不着|寻不着|寻不到)(?!工作|对象|路|地方|位置"
         rf"|{_WITHIN}{{0,6}}(?:在哪|哪里|怎么走))"  # not 找不到食堂在哪
         r"|不见(?:了|啦|咯|喽)|弄丢了|丢了(?![东钱包手卡钥证书作身票文本衣鞋]))")
# An elder not seen for days is a visit for the elderly team (guide item elder-visit); with a
# second worrying sign (no answer at the door or the phone, a smell) it is a welfare check now.
_DAYS = "好几|几|两|三|四|五|六|七|多|两三|三四|好多|一|一个|个把"
_UNSEEN = (r"(?:天|日|个?星期|周|个?礼拜)(?:了)?(?:都|也|了|一直)?(?:没|没有)(?:见到|见着|"
           r"看到|看见|见过|见人|出门|出来|露面|动静|开门|开过门|下楼|回应|接电话|开灯|亮灯|开过灯|"
           r"亮过灯|拉窗帘|开窗帘|倒垃圾|拿(?:报纸|牛奶|快递))")
_WORRY = (_lead("电话|手机", f"{_WITHIN}{{0,4}}(?:打不通|没人接|不接|关机)") + "|"
          + _lead("敲门|门铃|没人应|没人开|异味|臭味|怪味|味道|信箱|报纸|牛奶", ""))
_OFTEN = f"(?:(?!老是|经常|总是|常常|有时|平时|一般){_WITHIN})"
"""A clause character, but not one saying it is a habit (电话老是打不通 is no emergency)."""
_SMELL_FROM = "隔壁|邻居|对门|对面|楼上|楼下|老人|独居|他家|她家|伊屋里"
_NOT_A_BODY = "垃圾|下水|厕所|马桶|油烟|烟味|饭菜|装修|油漆|甲醛|猫|狗|宠物|煤气|燃气"
_SMOKE_AT = ("楼道|走廊|楼梯|楼梯间|过道|屋|家|房间|厨房|楼上|楼下|隔壁|对门|窗外|外面|电梯|车库|"
             "房子|屋子|楼里|整栋楼|小区|"
             "地下室|阳台|卧室|客厅")
_NOT_SMOKE = "(?![味头花灰民酒囱感])"
"""烟 that is smoke, not 烟味 (a smell), 烟头, 烟花, 烟酒 or 烟感."""
_SWALLOWED = ("电池|磁铁|磁珠|硬币|应币|消读液|消毒夜|钉|别针|农药|老鼠药|鼠药|敌敌畏|消毒液|珠子|"
              "纽扣|扣子|螺丝|零件|瓶盖|枣核|鱼钩|图钉|针|刀片|玻璃|假牙|"
              "消毒水|84|漂白|"
              "洗洁精|洗衣液|凝珠|干燥剂|水银")
_HIT = "我|她|他|人|老婆|媳妇|老公|孩子|小孩|我妈|我爸|老人|伊"
_EN_KIN = ("son|daughter|child|kid|boy|girl|baby|toddler|mother|father|mum|mom|dad|"
           "grandmother|grandfather|grandma|grandpa|granny|grandson|granddaughter|husband|"
           "wife|parent")
_CANT = "can't|can’t|cant|cannot|can not|couldn't|couldn’t"
_SUDDEN = "突然|忽然|一下子|冷不丁"
_WATER = "池塘|水塘|水堂|池堂|河|湖|江|井|水池|泳池|游泳池|水里|水中|粪池|化粪池|浴缸|澡盆"
_PERSON = _KIN + "|人|有人|他|她|伊|阿婆|阿姨|阿爷|老先生|老太|邻居"
_WEAPON = ("菜刀|水果刀|刀子|砍刀|西瓜刀|尖刀|匕首|刀|斧头|斧子|棍子|铁棍|钢管|棒子|棒球棍|剪刀|"
           "砖头|"
           "锤子|榔头|酒瓶|铁锹|枪")
# Hypothetical or denied: 万一着火怎么办, 没着火 (a blocked fire lane), 会不会起火.
_IF = "万一|如果|要是|假如|假设|会不会|容不容易|容易|以防|担心|预防|防止|生怕|就怕"
_FIRE_WORDS = "着火|着伙|起火|失火|火灾|冒烟"

# Each kind: literal stems (English ones match whole words) and regexes for what needs context:
# "找不到" is an emergency only with a person before it, "打" only with someone being hit.
# Chinese regexes must start with a plain character (see _lead); English ones with \b or ^.
_STEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fire": (
        ("着火", "著火", "招火", "着活了", "着伙", "著伙", "失火", "火灾", "起火", "烧起来",
         "烧着了", "着起来了",
         "冒烟", "浓烟", "冒黑烟", "火警", "火很大", "烧焦味", "焦糊味", "烧焦的味道",
         "冒火花", "冒火星", "电线冒火", "插座冒火", "冒出火", "火苗窜", "窜出火", "蹿出火", "火光",
         "明火", "火烧起来", "自燃", "火越来越大", "火势", "冒火了", "在冒火", "往外冒火",
         "一直冒火", "爆炸了", "发生爆炸", "着大火", "起大火", "失大火", "着获", "著获", "燃起来",
         "着火啦", "起火啦", "sparks", "flames", "in flames",
         "caught fire", "catching fire", "on fire", "sparking", "fire", "on fire",
         "burning",
         "smell burning", "smoky"),
        (_lead(_SMOKE_AT, r"(?:里|内|口|间)?(?:面|厢)?(?:有|在|冒|全是|都是|好多|很多|好大|"
                          r"一股|一直)(?:股|阵)?(?:黑|白|浓)?烟" + _NOT_SMOKE),
         _lead("好多|很多|好大的|满屋|满屋子|全是|都是|满是", "(?:黑|浓|白)?烟" + _NOT_SMOKE),
         _lead("电瓶车|电动车|电瓶|电池|充电宝|煤气罐|液化气罐|锅炉|热水器|高压锅|充电器",
               "(?:爆了|炸了|爆炸|自燃|烧了)"),
         _lead(_SMOKE_AT, r"(?:里|内|口|间)?(?:面|头|厢)?(?:的)?烟(?:好大|很大|太大|好浓|很浓|"
                          r"越来越大|呛)"),
         _lead("东西|哪里|什么|窗帘|被子|衣服|锅|油锅|沙发|床|电线|插座|电视|冰箱|车|电动车|电瓶车|"
               "电瓶|充电器|纸箱|杂物|柴堆|草堆|树", "(?:烧)?着(?:了|啦)(?!凉)"),
         _lead("一股|很浓的|好浓的|浓浓的|很重的|好重的|好大的|闻到", "(?:烧)?焦(?:糊)?味"),
         _lead("焦味|焦糊味|烧焦味|糊味", "(?:很|好|越来越|太|老)(?:重|浓|大)"),
         _word("smoke", r"\s+(?:in|from|coming|everywhere|is|filling|pouring)\b"),
         _word("of|thick|black|see|smell|there's|there’s|full of|lots of", r" smoke\b"))),
    "gas": (
        ("煤气中毒", "一氧化碳", "gas leak", "gas leaking", "leaking gas", "smell gas",
         "smell of gas", "smells of gas", "smells like gas", "gas smell", "carbon monoxide"),
        (_lead("煤|燃|天然|液化", r"[气汽](?:的)?(?:味|臭)"), r"瓦斯(?:味|漏|外泄|泄)",
         r"漏(?:煤|燃|天然)?[气汽]", _lead("气|汽", r"(?:泄漏|泄露|外泄|泄了)"),
         r"闻到(?:一股)?(?:煤|燃|天然)[气汽]",
         _lead("燃气|煤气|天然气|液化气|气管|燃气管|煤气管|气阀", f"{_WITHIN}{{0,8}}(?:破了|裂了|"
                                                                  f"断了|爆了|爆裂|"
               "嘶嘶|呲呲|滋滋)"),
         _lead("臭鸡蛋", "(?:的)?(?:味|气味)"),
         _lead("煤气|燃气|天然气|液化气", "(?:好|很|太|老|特别)(?:臭|冲|浓|重)"),
         _lead("煤气|燃气|天然气|液化气", f"{_CLAUSES}{{0,10}}(?:很浓的|好浓的|很重的|好重的|"
                                          f"刺鼻的)"
               "(?:气味|味道|味)"),
         _lead("好浓的|很浓的|浓浓的|很重的|好重的|一股|好大的|闻到|飘出来|飘出|飘来",
               "(?:的)?(?:煤气|燃气|天然气|液化气|没气|煤汽)"),
         _word("gas", r"\b.{0,16}\b(?:leak|leaking|leaks|leaked|hissing)\b"),
         _word("smell|smells|smelling|smelt", r"(?: \w+){0,3} (?:of )?gas\b"),
         _lead("很重的|好重的|一股|浓浓的|好大的|好浓的", "(?:没|霉|梅|媒)[气汽]味"),
         _lead("煤气|燃气|天然气|液化气|瓦斯|煤气灶|燃气灶|煤气罐|煤气管|燃气管",
               f"{_CLAUSES}{{0,10}}(?:漏了|一直漏|在漏|漏出|漏气|漏得)"))),
    "collapse": (
        ("塌了", "倒塌", "坍塌", "塌下来", "砸到人", "砸伤", "掉下来砸", "caved in",
         "building collapsed", "ceiling collapsed", "ceiling fell"),
        (_lead("砸到|砸中|砸伤|压到|压住|压在", f"(?:了)?(?:人|我|他|她|头|{_KIN})"),
         _lead("阳台|天花板|吊顶|屋顶|楼板|房顶|雨棚|围墙|墙|楼梯|房子",
               "(?:整块|一大块|整个|突然)?(?:掉下来|塌|倒了|砸下来|垮了)"))),
    "trapped": (
        ("困住", "被困", "困在", "困勒", "电梯困人", "困人了", "关在电梯", "关勒电梯",
         "卡在电梯里", "电梯里关牢", "关牢在电梯", "困主", "困注", "卡在两层", "卡在半空",
         "停在两层中间", "停在半空", "停在两层之间",
         "停在楼层中间", "with people inside", "people inside the lift", "people in the lift",
         "someone inside the lift", "people inside the elevator", "someone in the elevator",
         "trapped", "stuck in the lift",
         "stuck in the elevator",
         "stuck in lift", "stuck in elevator", "stuck in a lift", "stuck in an elevator",
         "stuck inside the lift",
         "stuck inside the elevator", "locked in the lift"),
        (r"电梯里(?:有人(?:被)?(?:困|关)|出不来|被关|关着人|困)",
         _lead("人|我|他|她|伊", r"(?:被)?(?:关|卡)在电梯"),
         _lead("电梯", f"{_WITHIN}{{0,4}}(?:夹住|夹到|夹伤)"),
         _lead("电梯", f"{_WITHIN}{{0,8}}(?:被关|关住|困住|关牢)"),
         _lead("电梯", f"{_CLAUSES}{{0,12}}(?:出不去|出不来)(?:了)?(?![^，,。.!！?？ 啊呀])"),
         _word("lift|elevator", r"\b.{0,30}\b(?:can't|cant|cannot|can not|couldn't) (?:get out|"
               r"open)\b"),
         _lead("电梯", f"{_WITHIN}{{0,6}}(?:卡住|停了|停住|坏了|不动了|掉下去|下坠|打不开|开不了|"
                     "门开不|卡在|掉了|往下掉|突然停|急停|骤停|晃)"
                     f"{_CLAUSES}{{0,8}}(?:(?:里面|里头|里)(?:还)?有(?:个|一个|两个|几个)?"
                     f"(?:人|孕妇|病人|{_KIN})|(?:人|我|我们|他|她|伊|{_KIN})(?:还|都)?在里面|"
                     f"有人被|"
                     "(?:出不去|出不来)"
                     "(?:了)?(?![^，,。.!！?？ 啊呀]))"))),
    "self_harm": (
        ("不想活", "活不下去", "活着没意思", "寻死", "轻生", "自杀", "割腕", "跳楼", "跳河", "跳江",
         "一了百了",
         "喝农药", "喝了农药", "结束这一切", "结束生命", "结束自己", "了结自己", "了断自己",
         "不想再活", "活够了", "遗书", "上吊", "烧炭", "要去死", "想去死", "不如死了", "死了算了",
         "往下跳", "割手腕", "不活了", "自己了断", "想了断", "打算今晚结束", "今晚就结束",
         "再也不见", "永别了", "遗言",
         "活着没意义", "活着没有意义",
         "撑不下去", "不想撑了", "不想再撑", "说要死", "要死给你看", "把药全", "药全吃",
         "kill myself", "kill himself", "kill herself", "suicide",
         "suicidal", "want to die", "wants to die", "end my life", "end her life", "end his life",
         "end their life", "hurt myself", "end it all",
         "take my life", "take my own life", "no reason to live", "better off dead",
         "going to jump", "gonna jump", "about to jump", "want to jump", "wants to jump",
         "hang myself", "slit my wrists", "cut myself", "cutting herself", "cutting himself",
         "self-harm", "self harm"),
        (r"想(?<!得想)死(?!你|您|我了|了你)",  # not 热得想死, 想死你了
         _lead("一瓶|整瓶|好多|很多|一把|大把", "安眠药"),
         _lead("要|想|准备|扬言", f"{_WITHIN}{{0,6}}跳(?:下去|楼|河|江)"),
         _lead("要|想|准备", "跳(?=$|[，,。.!！?？ ]|了|啊|呀)"),  # 好像要跳 (not 要跳舞)
         _lead("栏杆外|窗户外|天台边|楼顶边|阳台外|楼顶边上|天台边上", ""),
         _lead("站在|坐在|爬上|爬到|蹲在|站到|坐到", "(?:了)?(?:窗台|窗边|阳台边|桥边|楼顶|天台)"),
         _lead("吃药|吞药|喝药", "(?:走了|去了|解脱|了断|自尽)"),
         _lead("打算|准备|决定", f"{_WITHIN}{{0,4}}(?:结束|了结|解脱)(?:了|掉|一切|自己|生命)?"
               "(?=$|[，,。.!！?？ ])"),
         _word("going to|gonna|want to|wants to|about to|will", r" end it\b"),
         _lead("就|马上|现在|今晚|今天", "(?:就)?跳(?:下去|楼|河|江)"),
         _lead("楼顶|天台|窗台|桥上|楼顶上|天台上|窗台上", f"{_CLAUSES}{{0,8}}(?:不想下去|不下来|"
                                                           f"要跳|想跳|"
               "跳下去)"),
         _lead("想|要|准备", "(?:解脱了|一死|寻短见)"),
         _word("don't|dont|don’t|do not", r" want to (?:live|be alive)\b"))),
    "medical": (
        ("晕倒", "昏倒", "昏迷", "昏过去", "晕过去", "晕到了", "昏到了", "昏特", "晕特",
         "昏脱", "晕厥", "昏厥", "不省人事", "叫不醒", "喊不醒", "失去意识", "没意识了",
         "没知觉", "倒地不起", "摔倒了", "摔倒在", "跌倒", "跌跤", "掼跤", "掼了一跤",
         "跌了一跤", "摔了一跤", "摔跤了", "摔下来", "人掉下来", "坠楼", "流血",
         "大出血", "好多血", "很多血", "一地血", "头破血流", "吐血", "喘不上气", "喘不过气",
         "透不过气", "不喘气", "窒息", "呼吸困难", "没有呼吸", "没呼吸", "没有心跳", "没心跳",
         "心跳停", "心脏骤停", "不呼吸", "没气儿", "浑身是血", "满身是血", "喘不过来",
         "摸不到心跳", "摸不着心跳", "没有脉搏",
         "没脉搏", "摸不到脉", "心跳没了", "脸耷拉", "嘴角耷拉", "嘴角歪", "嘴角下垂",
         "流了很多学", "好多学", "割晚", "割碗", "人要不行了", "人快不行了", "从楼梯上滚",
         "滚下楼梯", "摔下楼梯", "no pulse", "no heartbeat", "blood everywhere", "lots of blood",
         "so much blood", "fell down the stairs", "fell in the pond", "fell into the pond",
         "fell in the river", "fell into the river", "fell into the water", "fell in the water",
         "fell in the pool", "fell into the pool", "face drooping", "not moving",
         "lying on the floor", "lying at the bottom", "too many pills", "overdosed",
         "抽搐", "休克", "噎住", "噎着", "噎到", "抽风了", "吐白沫", "口吐白沫", "高烧抽筋",
         "发烧抽筋", "惊厥", "眼睛往上翻", "翻白眼了", "呼吸急促", "呼吸很急", "喘不上来",
         "上不来气", "喘不动", "透不过来", "滑了一跤", "滑倒了", "摔地上", "摔在地上", "跌在地上",
         "跌地上", "摔下去了", "跌下去了", "血止不住", "止不住血", "血流不止", "血一直流",
         "血一直在流", "一直在流血", "血哗哗", "伤口很深", "切得很深", "割得很深", "被电打",
         "电打倒", "被电击", "被蛇咬", "羊水破", "不会游泳", "在水里扑腾", "沉下去了",
         "没浮上来", "浮不上来", "滑进河", "滑进水", "栽倒", "一头栽", "扑倒在地", "癫痫犯",
         "癫痫发",
         "羊癫疯", "羊角风", "一直在抽", "软下去", "瘫倒", "瘫下去", "人往下滑", "瘫软", "头痛欲裂",
         "头疼欲裂", "血压飙", "血压两百", "血压二百", "摔断", "跌断", "掼断", "踩空", "滚下去",
         "滚下来", "滚下楼", "血往外", "喷血", "血喷", "血流个不停", "挂在外面", "挂在窗外",
         "挂在阳台", "爬出窗", "爬到窗台", "爬到窗外", "被埋", "埋在下面", "压在下面", "头流雪",
         "昏到在", "晕到在", "语无伦次", "前言不搭后语", "晕在", "昏在", "突然倒地", "倒地了",
         "突然倒下",
         "误吃", "误喝", "卡喉咙", "卡嗓子", "卡在喉咙", "还躺在地上", "还在地上", "卷进去",
         "卷进了",
         "绞进", "夹断", "过敏性休克", "喉咙肿", "嗓子肿了", "喉咙发紧", "throat is swelling",
         "throat swelling", "anaphylactic", "anaphylaxis", "满头是血", "满脸是血", "满头的血",
         "头上都是血", "一头血", "坠落", "高处坠", "swallowed something",
         "gagging", "slurred", "being beaten", "being hit", "being attacked", "喘气很费劲",
         "喘气费劲", "呼吸费劲", "话也说不清",
         "话都说不清", "说不清楚话", "被电倒", "电倒了", "被车撞", "被撞倒", "撞倒了", "被车碾",
         "出车祸了", "一地的血", "地上都是血", "一身血", "一脸血", "卡住喉咙", "卡在喉咙",
         "卡在嗓子", "受伤了", "有人受伤", "伤得很重", "骨折", "烫伤", "烧伤", "触电",
         "电击", "被电到", "被电了", "溺水", "落水", "掉水里", "掉进水里", "掉进河里",
         "掉河里", "中毒", "误吞", "误食", "误服", "心脏病发", "心脏病犯", "心梗了", "脑梗了",
         "脑溢血了", "突发心梗", "突发脑梗", "突发脑溢血", "中风了", "突然中风", "嘴歪", "嘴巴歪",
         "讲不出话", "讲不出闲话",
         "口眼歪斜", "口齿不清", "叫救护车", "打120", "胸口剧痛", "癫痫发作",
         "unconscious", "unresponsive", "passed out",
         "fainted", "bleeding", "heart attack", "collapsed", "not breathing",
         "stopped breathing", "injured", "fell down", "fell over", "has fallen",
         "electric shock", "electrocuted", "drowning", "drowned", "choking", "overdose",
         "burned", "seizure", "slurred speech", "chest pain", "call an ambulance",
         "need an ambulance", "send an ambulance", "not waking up", "poisoned",
         "numb on one side", "seizing", "convulsing", "having a stroke", "cant breathe",
         "can't breathe", "cannot breathe", "hit by a car", "knocked down by a car",
         "broke his leg", "broke her leg", "broken leg", "head injury", "hit his head",
         "hit her head", "turning blue", "lips are blue", "bleeding heavily", "fell off",
         "fell from", "took too many", "took a lot of pills", "swallowed pills"),
        (_lead("摔|跌|掼|滑|倒", f"{_WITHIN}{{0,6}}(?:起不来|爬不起|站不起|动不了|起不了身)"),
         _lead(_KIN, "(?:突然|一下子)?倒了(?=$|[，,。.!！?？ ]|啊|呀)"),
         _lead(_PERSON, "(?:突然|一下子|又)?(?:晕了|昏了|晕倒了|昏倒了)"),
         _lead(_PERSON, "(?:都|也|已经|突然|好像)?没(?:有)?(?:反应|知觉|意识)(?:了)?(?=$|"
                        "[，,。.!！?？ ]|啊|呀|了)"),
         _lead(_PERSON, f"{_WITHIN}{{0,6}}摔在"),
         _lead("摔|磕|撞|跌", f"{_CLAUSES}{{0,16}}(?:迷糊|不清醒|想吐|呕吐|吐了|不认人)"),
         _lead("吃了|吞了|喝了", "(?:半瓶|一瓶|一整瓶|整瓶|一大把|一把|一板|一整板|好几片|十几片|"
                                 "几十片|一盒)"
               f"{_WITHIN}{{0,5}}(?:药|片|丸|胶囊)"),
         _lead("烫", f"{_CLAUSES}{{0,10}}(?:起泡|起了泡|脱皮|一大片)"),
         _lead("胸口|心口|胸", "闷(?:得)?(?:不行|厉害|透不过|喘不|受不了|要死)"),
         _lead("头|脑袋|后脑|额头|脸", f"{_WITHIN}{{0,6}}(?:出血|流血|磕破|开了个口|开了口子)"),
         _lead(_KIN + "|人|他|她|伊", r"(?:突然|一下子|直接)?(?:倒(?:在)?地|倒下)"),
         _lead(_KIN + "|人|他|她|伊", r"(?:好像|已经|快)?没气了"),  # not 家里没气了 (no gas)
         _lead(_SWALLOWED, f"{_WITHIN}{{0,3}}(?:吞|咽|吃|喝)(?:了|下|进)"),  # 把硬币吞下去了
         _lead("胸口|心口|心脏", "(?:剧痛|疼得|痛得|很痛|好痛|疼死|痛死|很疼|好疼|特别痛|特别疼|"
                             "突然痛|突然疼|剧烈|一阵阵)"),
         r"躺在地上(?:不动|起不来|没反应)", r"说(?<![得话]说)不出话",  # not 气得说不出话
         _lead("半边|一边|右边|左边|半个",
               r"(?:身子|身体|脸|手脚|手|脚|胳膊|腿)?(?:" + _SUDDEN + r")?(?:发)?"
                          r"(?:麻|不能动|动不了|没知觉|没力气|没劲|不会动|不听使唤|抬不起|没感觉|"
                          r"瘫了|耷拉|歪了)"),
         # Stroke signs come on suddenly: 突然说话不清楚, 讲话一下子含糊了.
         _lead(_SUDDEN, f"{_WITHIN}{{0,6}}(?:说话|讲话|讲闲话|说不清|讲不清|口齿|嘴巴歪|嘴歪|"
                        "手脚发麻|手脚麻|手麻|脚麻|不听使唤|抬不起|重影|看不见|瘫|半边|一边|"
                        "头一歪|不理人|不认人|站不稳|走不了路|倒了|倒下|抽|吐血|喘|晕|昏|大舌头|"
                        "不省人事|没反应(?!过来)|没了反应|叫不应)"),
         _lead("说话|讲话", f"(?:{_SUDDEN})(?:就|也)?(?:不清|含糊|含混|说不出|讲不出)"),
         _lead(_PERSON, f"{_CLAUSES}{{0,10}}一动(?:也)?不动"),  # not 电梯一动不动
         _lead("嘴|嘴巴|嘴角", "(?:也|都|有点|突然)?歪(?:了|掉|向|到)"),
         _lead("被", "(?:枣核|果核|糖|果冻|汤圆|年糕|花生|豆子|肉|东西|食物|鸡骨头|骨头|药片)?"
               "(?:卡住|噎住|呛住|噎到)"),
         _lead("卡住|卡着|卡在|噎住|噎着", f"{_CLAUSES}{{0,6}}(?:咳不出|吐不出|喘不|说不出|透不过|"
                                           f"憋)"),
         _lead(_SWALLOWED, f"{_WITHIN}{{0,3}}(?:咬破|咬开|吃进|进嘴|放进嘴)"),
         _lead("把", f"{_WITHIN}{{1,6}}(?:吞|咽)(?:下去|进去|了)"),
         _lead("疼得|痛得|疼的|痛的", f"{_WITHIN}{{0,4}}(?:打滚|满地滚|直不起|晕过去|昏过去|站不起|"
                                  "喘不)"),
         _lead(_PERSON, f"{_WITHIN}{{0,6}}(?:倒下去|倒下了|倒在地上|昏倒)"),
         # 老太太倒在门口, 人倒在楼道里 (not 把垃圾倒在门口).
         _lead(_PERSON, f"(?:(?![把将水垃]){_WITHIN}){{0,4}}倒在(?!一起|床上睡)"),
         _lead(_PERSON, f"{_WITHIN}{{0,8}}(?:摔|掉|跌|坠)(?:了)?下(?:去|楼)"),
         r"从(?:阳台|楼上|楼顶|窗户|窗台|屋顶|天台|梯子|高处|脚手架|架子|\d+楼)(?:上)?(?:摔|跌|坠|"
         r"滚)"
         r"(?:了)?下",
         _lead(_PERSON, f"{_WITHIN}{{0,8}}从{_WITHIN}{{0,6}}(?:摔|掉|跌|坠|滚)(?:了)?(?:下|"
                        f"出)(?:来|去)"),
         _lead("烫|烧", "(?:了|得|到|伤)?(?:一大片|很严重|好严重|好大一片|起泡|皮都)"),
         _lead("憋", "(?:得)?(?:脸)?(?:通红|发紫|青紫|喘不|说不出|透不过)"),
         _lead("药|药片|药丸|安眠药|降压药", f"{_WITHIN}{{0,4}}(?:吃|吞)(?:了)?(?:好几|十几|几十|"
               "一大把|一把|很多|好多|一整|一板|半瓶|一瓶)"),
         _lead("有人|一个人|有个人|人|小孩|孩子",
               f"{_WITHIN}{{0,6}}(?:{_WATER}){_WITHIN}{{0,2}}(?:漂着|浮着|"
               "泡着|沉下)"),
         _lead(_WATER, f"{_WITHIN}{{0,8}}(?:扑腾|挣扎|喊救命|呼救|漂着个人|浮着个人)"),
         # 叫他没反应, not 呼叫器按了没反应 (a device).
         f"叫(?<!呼叫)(?:他|她|伊|人|了)?{_WITHIN}{{0,3}}(?:没反应|没有反应|不醒|不答应|不理|不应)",
         _lead(_PERSON, f"(?:(?![早床赖]){_WITHIN}){{0,10}}(?:起不来|爬不起来|站不起来|起不了身)"),
         _lead(_KIN + "|人|他|她", "(?:吃错药|吃错了药|喝错药)"),
         _lead("宝宝|孩子|小孩|娃|儿子|女儿|小朋友|小囡", f"{_WITHIN}{{0,2}}(?:吞|咽)(?:了|下|"
                                                          f"进)(?:去)?"
               "(?:个|一个|一颗|颗|一枚|枚|一粒|粒|东西)"),
         _word("drank|drunk|swallowed|ate|drinking|drink", r" (?:some |the )?(?:bleach|poison|"
               r"pesticide|detergent|cleaner|antifreeze|weed killer)\b"),
         _lead("喊|拍|推|摇",
               f"(?:他|她|伊|人|了)?{_WITHIN}{{0,3}}(?:没反应|没有反应|不醒|不答应)"),
         _lead("一大把|一把|一整瓶|整瓶|一瓶|好多|很多", "(?:的)?(?:药片|药丸|安眠药|药)"),
         _lead("药片|药丸|药", f"{_WITHIN}{{0,6}}(?:一大把|一整瓶|整瓶|一瓶)"),
         _lead(_PERSON, r"(?:要|快|好像|怕是|眼看)(?:不行了|没命了|断气)"),
         _lead(_SUDDEN, f"{_WITHIN}{{0,4}}(?:糊涂|不认识人|不认得人|认不出|胡言乱语|说胡话|"
                        "连我都不认识|谁都不认识)"),
         _word("cut", r" (?:his|her|my|their|the) \w+ (?:very |really |so )?(?:deep|badly)\b"),
         # Choking: something eaten is stuck, or the face turns blue.
         _lead("吃|咽|喝|吞", f"{_WITHIN}{{0,6}}(?:卡住了|卡牢了|卡在|噎)"),
         _lead("脸|脸色|嘴唇|嘴巴|全身|浑身|身上", r"(?:都|已经|有点|开始|憋得|憋)?(?:发|变)?(?:青|"
                                                   r"乌)?[紫乌青]"
                                   r"(?:了|掉|[，,。.!！?？ ]|$)"),
         # Someone in the water, not a phone dropped in it.
         _lead(_KIN + "|人|有人|他|她|伊", f"{_WITHIN}{{0,3}}(?:掉|跌|摔|落|滑|跳)(?:进|到|下|入)?"
                                      f"(?:了)?{_WITHIN}{{0,3}}(?:{_WATER})"),
         _lead("吞|咽|吃|喝", f"(?:了|下|进|下去|下去了){_WITHIN}{{0,5}}(?:{_SWALLOWED})"),
         _word("fell|fallen|slipped", r"\b.{0,20}\b(?:can't|cant|cannot|can not) stand\b"),
         _word(_CANT, r" (?:breathe|speak|get up|stand up|move (?:his|her|my)|wake (?:him|her))\b"),
         _word("won't|won’t|wont|will not|doesn't|does not|isn't|is not", r" (?:wake up|waking up|"
               r"respond|responding|breathing|moving)\b"),
         _word("took|taken|swallowed|ate", r" (?:a lot of|lots of|too many|a bottle of|a whole|"
               r"all (?:her|his|my|the)|a handful of) (?:\w+ )?(?:pills|tablets|medicine|"
               r"sleeping pills)\b"),
         _word("stroke", r"\b(?!\s+(?:patient|survivor|rehab|recovery))"),
         _word("face", r" (?:is )?droop"),
         _word("fell|fallen|slipped|jumped|drowning", r" (?:in|into) (?:the |a )?(?:pond|river|"
                                                      r"water|"
               r"pool|lake|canal|sea|well|bath|bathtub|creek)\b"),
         _word("swallowed", r" (?:a |an |the |some )?(?:\w+ ){0,3}(?:marble|bead|screw|button|"
               r"part|piece|toy|pin|needle|bone)s?\b"),
         _word("swallowed", r" (?:a |an |the |some )?(?:button )?(?:battery|batteries|coin|"
                            r"magnet|pills|bleach|poison|detergent)\b"),
         _word("one side", r"\b.{0,20}\bnumb\b"))),
    "violence": (
        ("打架", "斗殴", "家暴", "持刀", "拿刀", "动刀", "拿着刀", "举着刀", "砍人", "杀人",
         "捅人", "行凶", "打起来", "打相打", "打成一团", "绑架", "开枪", "有枪", "拿枪",
         "动手打", "打人了", "打价", "群架", "械斗", "猥亵", "性侵", "强奸", "非礼", "掐死",
         "揍我", "揍她", "揍他", "在揍", "被揍", "揍人", "往死里打", "要弄死", "弄死他", "弄死她",
         "求饶", "往墙上撞", "拿开水泼", "泼硫酸", "泼汽油", "拖进车", "拖上车", "拉上车", "塞进车",
         "不让我走", "不让我出门", "不让我出去", "把我锁在", "掐我",
         "掐住", "掐脖子", "砸门", "追着砍", "追着打", "要砍", "要打死", "打得很凶", "打得好凶",
         "有人打人", "在打人", "挨打", "打伤", "跟踪我", "一直跟着我",
         "要杀了我", "要杀我", "杀了我", "弄死我", "打死我", "砍死", "威胁我", "威胁要", "被砍",
         "被捅", "被刺", "跟着我", "尾随",
         "someone is following me", "domestic violence",
         "domestic abuse", "armed", "shooting", "gunshot", "stabbed", "stabbing", "assault",
         "assaulted", "fighting", "a fight", "attacked", "attacking", "kidnapped", "beating me",
         "beating her", "beating him", "hitting me", "threatening me", "threatened to kill",
         "going to kill", "gonna kill", "strangling", "choking me", "punching", "molesting",
         "sexually assaulted", "raped",
         "kidnapping"),
        (rf"打(?:{_HIT})(?:了|啦|呀|啊|得|$|[{_STOP} ]|怎么办|报警|很凶)",  # not 打他电话
         r"打(?:他|她|伊|自己)?(?:的)?(?:老婆|媳妇|老公|孩子|小孩|女儿|儿子|老人|老妈|老爸|妈妈|"
         r"爸爸|我妈|我爸|女人|男人|女的|老太|老太太|阿姨|学生|保安)(?!电话|手机|的|视频)",
         _lead("砸|踹|踢|撞|砍|劈", "(?:我|我们|我家|他家|她家|家)?(?:的)?(?:大)?门"),
         _lead("泼|浇", "(?:我|她|他|人)(?!水|一身水)"),
         _lead("围着|围住|按着|按在地上", f"{_WITHIN}{{0,6}}打"),
         _lead("躲在|藏在", "(?:了)?(?:厕所|卫生间|房间|卧室|柜子|衣柜|床底|浴室|阳台|邻居家)"),
         _lead("拿|举|持|握|挥|提|抄", f"(?:着|起|了|起了)?(?:{_WEAPON})"),
         _word("follow|follows|followed|following", r" (?:me|us|my (?:daughter|son|wife))\b"),
         r"被(?:人|他|她|老公|丈夫|老婆|男人)?打(?:了|伤|得|成)",
         _word("is|are|was|keeps|kept", r"\s+(?:hitting|beating|punching|kicking|threatening)\b"),
         _word("hit|hits|hitting|beat|beats|beating", r"\s+(?:me|her|him|his wife|her husband|"
               r"my (?:mother|mum|mom|son|daughter)|the (?:child|kid))\b"),
         _word("has|had|with|holding|waving|carrying|pulled|pulling|got",
               r" (?:a |his |her )?(?:knife|gun|machete|weapon)\b"))),
    "crime": (
        ("抢劫", "打劫", "抢包", "抢东西", "抢钱", "被抢", "抢走", "抢了我", "小偷", "偷东西",
         "正在偷",
         "贼骨头", "进贼", "有贼", "遭贼", "撬门", "撬锁", "入室", "有人闯", "闯进", "闯入",
         "翻窗进", "抢节", "被撬", "撬开", "发现家里有人", "被翻过", "被翻了", "翻得乱七八糟",
         "被盗了", "抢我", "抢了我", "抢手机",
         "抢项链", "robbery", "robbed", "mugged", "mugging", "burglar", "burglary", "thief",
         "thieves", "break-in", "break in", "broke in", "breaking in", "breaking into",
         "broke into", "broken into", "break into", "grabbed my bag", "snatched my",
         "stole my bag", "stealing my", "snatched", "grabbed my", "trying to open my door",
         "someone in my house",
         "climbing in", "climbing into", "climbing through", "kicking the door",
         "kicking our door", "kicking my door", "forcing the door", "踹门",
         "intruder"),
        (_word("is|are|currently|now", r" (?:stealing|breaking into|robbing)\b"),
         _word("trying to", r" (?:break|get|force) (?:in|into|my door|our door|the door|open)\b"),
         _word("someone", r" (?:is )?(?:in|inside) (?:my|our) (?:flat|house|home|apartment)\b"),
         _lead("撬|翘", f"{_WITHIN}{{0,3}}(?:门|锁|窗)"),
         _lead("踹", f"{_WITHIN}{{0,4}}门"),
         _lead("被", r"(?:人|小偷|贼|坏人|他|她|伊){0,2}抢"),
         _lead("爬|翻|钻", "(?:窗户|窗|阳台)?进(?:了)?(?:我家|我们家|家里|屋里|房间|阳台|窗户|来)"),
         _lead("窗户|窗口|阳台", f"{_WITHIN}{{0,2}}(?:爬|翻|钻)(?:进|了进)"),
         _lead("家里|屋里|房间里|我家", "(?:有|进了|进来)(?:个|一个|两个)?陌生(?:人|男人|男的)"),
         _lead("试着开|在开|挨个开|挨家开|挨家挨户开", "(?:每家|别人家|我家|人家|各家)?(?:的)?门"),
         _lead("有人在|有陌生人在|有个人在|发现有人在", "(?:我家|我们家)(?:里|里面)"),
         _lead("抢了|抢走了", f"{_WITHIN}{{0,6}}(?:包|手机|钱包|项链|金链|耳环|手表|钱)"),
         _lead("家|家里|屋里|房间|店里", "(?:被偷|被盗|遭贼|进贼|被撬|进了贼|进了小偷|进小偷)"),
         _lead("有人|有个人|两个人|几个人|一个人|一个男的|有个男的|小偷|贼",
               f"(?:正)?在{_WITHIN}{{0,6}}"
               "(?:偷|撬)"))),
    "missing": (
        ("走丢", "跑丢", "失踪", "被人抱走", "被抱走", "被拐", "拐走", "missing child",
         "lost child", "missing person", "被陌生人带走", "被人带走", "被人拉走", "被拐走", "走散了",
         "跟丢了", "不知道自己在哪", "不知去向", "去向不明",
         "wandered off"),
        (r"走(?<!防走)失",  # not 防走失手环
         _lead(_KIN, "(?:走时|走是|走湿)(?:了)"),
         _lead(_KIN, "没了(?=[，,。.!！?？ ]|$)"),
         _lead(_KIN, f"{_CLAUSES}{{0,16}}(?:没见人影|不见人影|没人影|人影都没|人影也没)"),
         _lead(_KIN, f"{_CLAUSES}{{0,16}}(?:出去|出门)(?:了)?{_CLAUSES}{{0,16}}(?:几个小时|个小时|"
                     f"半天|"
                     f"一天|一上午|一下午|一晚上|到现在){_WITHIN}{{0,8}}没(?:有)?回(?:家|来)"),
         _word("kid|child|son|daughter|boy|girl|toddler|grandpa|grandma|grandfather|grandmother|"
               "mum|mom|dad", r"s? (?:is |are |got |went |has gone |gone )?(?:lost|missing)\b"
               r"(?! (?:his|her|my|the|a|an|their|its|our|in|track|interest|weight)\b)"),
         _lead(_KIN, "放学(?:后)?(?:到现在)?(?:还|都|也)?没(?:有)?回(?:家|来)"),
         _lead(_KIN, f"{_WITHIN}{{0,6}}(?:不知道去哪(?:了|儿了|里了)|迷路了|找了(?:一下午|一上午|"
                     "半天|一晚上|好久|一个小时|几个小时|一天)|没了踪影|人没了)"),
         _word("didn't|didnt|did not|hasn't|hasnt|has not|never",
               r" (?:come|came) (?:back|home)\b"),
         # 孩子在超市门口找不到了 (not 孩子的疫苗本找不到了).
         _lead(_KIN, f"(?:(?![的把书本卡证包钥作衣鞋玩东手]){_WITHIN}){{0,8}}(?:找不到|找不着|"
                     f"寻不着|"
                     "寻不到|不见)(?:了|啦|人|咯|$|[，,。.!！?？ ])"),
         _lead("走出|跑出|出了|溜出", f"(?:小区|家门|门|去|家)?{_WITHIN}{{0,4}}(?:不见了|找不到了|"
               "找不着了|寻不着了|没回来|没回家|找不到人)"),
         _lead("被", "(?:一个|个|几个)?(?:陌生|不认识的)?(?:人|男人|女人|男的|女的)(?:给)?(?:带走|"
                     "抱走|"
               "拉走|拖走|拐走|骗走|领走)"),
         _lead(_KIN, f"{_CLAUSES}{{0,16}}(?:出去|出门)(?:了)?{_WITHIN}{{0,10}}(?:到现在|一直|还)"
                     "(?:都|也|还)?没(?:有)?回(?:家|来)"),
         _lead(_KIN, f"(?:{_GAP}){{0,3}}{_LOST}"),
         _lead(_KIN, f"{_CLAUSES}{{0,16}}(?:一转眼|转眼|一眨眼|一会儿|一下子|突然)(?:就|人)?"
                     "(?:不见了|"
                     "没影|找不到|找不着)"),
         _lead("找不到|找不着|寻不着|寻不到", rf"(?:我|我们)?(?:家)?(?:的)?(?:{_KIN})(?!的)"),
         _lead(_KIN + "|他|她|伊", f"{_WITHIN}{{0,6}}(?:一天|一晚上|一夜|一整天|到现在|几个小时|"
                                  "半天|一下午|一上午)(?:了)?(?:都|也|还)?没(?:有)?回(?:家|来)"),
         _lead(_KIN, f"{_WITHIN}{{0,8}}没(?:有)?回(?:家|来){_CLAUSES}{{0,8}}(?:到现在|一夜|一晚上|"
                     "一整天|联系不上|找不到|打不通|不接电话)"),
         _lead("痴呆|阿尔茨海默|阿尔兹海默|阿兹海默|认知障碍|认知症|失智|老糊涂|糊涂",
               f"{_CLAUSES}{{0,12}}(?:不见|找不到|找不着|寻不着|"
                                          "没回来|没回家|跑出去了|跑掉|不知道去哪)"),
         _word("my|our|a|the|his|her", rf"\s+(?:little |young |old |elderly )?(?:{_EN_KIN})s?\s+"
               r"(?:is|are|has|have|went|got|[’']s|seems?)\s+(?:been |gone |to be )?"
               r"(?:missing|lost)\b"),
         _word(_CANT, rf" find (?:my|our) (?:little |young |old )?(?:{_EN_KIN})s?\b"),
         _word("my|our", rf" (?:little |young |old )?(?:{_EN_KIN})s? (?:didn't|didnt|did not|"
               r"never|hasn't|hasnt|has not) (?:come|came) home\b"),
         _word("dementia|alzheimer's|alzheimers|alzheimer", r"\b.{0,40}\b(?:missing|lost|wandered|"
                                                            r"gone|"
               r"left|can't find|cant find|cannot find)\b"),
         _word("year old|year-old|yr old|years old", r"\b.{0,20}\b(?:missing|lost|gone)\b"))),
    "welfare": (
        ("敲门不开", "敲门不应", "尸臭", "敲不开", "敲门敲不开", "no answer at the door",
         "not answering the door",
         "nobody answers the door", "no one answers the door"),
        (rf"敲(?:了)?(?:半天|好久|很久|好几次)?(?:的)?门{_WITHIN}{{0,4}}(?:没人|没有人|没)"
         r"(?:应|开|理|回应|反应|答应)", f"按门铃{_WITHIN}{{0,4}}没人",
         _lead(_DAYS, f"{_UNSEEN}.{{0,20}}(?:{_WORRY})"),
         # The welfare check: an elder unseen or unheard for days is a knock on the door.
         _lead(_PERSON + "|楼上|楼下|隔壁|对门|独居", f"{_WITHIN}{{0,6}}(?:{_DAYS}){_UNSEEN}"),
         _lead(_DAYS, f"(?:天|日)(?:的)?(?:电话|手机){_WITHIN}{{0,3}}"
                      "(?:没人接|打不通|不接|关机|没接)"),
         _lead(_DAYS, r"天(?:都|了|一直)?(?:联系不上|联系不到|没联系上)"),
         _lead("电话|手机", f"{_WITHIN}{{0,3}}(?:{_DAYS})(?:天|整天)(?:都|也|了)?(?:打不通|没人接|"
                            f"不接|"
                         "关机|联系不上)"),
         _lead("一个人住|独居|独自住", f"{_CLAUSES}{{0,16}}(?:电话|手机){_OFTEN}{{0,6}}(?:打不通|"
                                       f"没人接|"
               "关机|不接|联系不上)"),
         _lead("电话|手机", f"{_OFTEN}{{0,6}}(?:打不通|没人接|关机|不接|联系不上){_CLAUSES}{{0,12}}"
               "(?:一个人住|独居|独自住)"),
         _lead(_PERSON + "|独居",
               f"{_WITHIN}{{0,6}}灯(?:{_DAYS})天(?:都|也|了)?没(?:有)?(?:亮|开)"),
         _lead("报纸|牛奶|快递|信件|外卖", f"{_WITHIN}{{0,8}}(?:{_DAYS})(?:天)(?:都|也|"
                                           f"了)?没(?:人)?"
                                    "(?:拿|收|取)"),
         _lead("报纸|牛奶|信件", f"{_WITHIN}{{0,6}}(?:堆|积)"),
         _lead("敲门|门铃|没人应|没人开|电话|手机|异味|臭味|怪味|味道|信箱|报纸|牛奶",
               f".{{0,20}}(?:{_DAYS}){_UNSEEN}"),
         _lead(_SMELL_FROM, f"(?:(?!{_NOT_A_BODY}){_WITHIN}){{0,8}}(?:异味|臭味|怪味|腐臭|"
                            "难闻的味|很臭|好臭)"),
         r"屋里(?:有|传出)(?:一股)?(?:异味|臭味|怪味)",
         _word("door|knock|knocking", r"\b.{0,30}\b(?:not answering|no answer|hasn't answered|"
               r"hasnt answered|doesn't answer|not seen)\b.{0,20}\b(?:days|a week)\b"),
         _word("not answering|no answer|not seen", r"\b.{0,20}\bdoor\b.{0,20}\b(?:days|a week)\b"),
         _word("hasn't|hasnt|has not|haven't|havent|not", r" (?:answered|picked up|opened|been out|"
               r"come out|been seen)\b.{0,40}\b(?:days|a week)\b"),
         _word("seen|heard from", r"\b.{0,30}\b(?:days|a week)\b.{0,40}"
                                  r"\b(?:door|answer|answering|phone|smell)\b"))),
    "help": (
        ("救命", "救救我", "救救他", "救救她", "救救孩子", "快来人", "来人啊", "来人呀", "就命啊",
         "久命", "快来帮帮", "快来救", "出大事了", "救名", "救我", "求救", "谁来救", "快救人",
         "救人啊", "谁来帮帮我", "谁能救救", "快来帮忙", "快来帮我", "快点来", "快点过来", "快过来",
         "快报警", "帮我报警", "帮忙报警", "快帮帮我", "快帮我",
         "快叫警察", "call the police", "call 110", "sos", "screaming for help",
         "crying for help", "calling for help", "shouting for help"),
        (_lead("快", f"{_CLAUSES}{{0,4}}出事了"), _lead("出事了", f"{_CLAUSES}{{0,4}}快"))),
}

# Calm messages that contain a stem: removed before the stems are tried again.
NOT_EMERGENCIES = ("打人工", "救命恩人", "救命稻草", "消防演练", "消防培训", "消防检查",
                   "灭火器", "火灾险", "摔倒险", "跌倒险", "烟雾报警器", "烟感", "跳楼价",
                   "电脑中毒", "手机中毒", "反家暴", "没人困", "没有人困", "没人被困", "怕着火",
                   "怕起火",
                   "担心着火", "会不会着火", "打不着火", "点不着火", "火灾隐患",
                   "fire hazard", "fire risk", "fire drill", "fire extinguisher",
                   "fire safety", "fire door", "fire exit", "fire escape", "fire lane",
                   "fire hydrant", "fire station", "fire alarm test", "fire inspection",
                   "smoke alarm", "smoke detector", "no smoking", "lost in thought", "gun shop",
                   "glue gun")
_NOT_EMERGENCY_PATTERNS = (
    # Prevention talks and devices: 防走失手环, 防跌倒讲座, 预防溺水.
    r"防(?:止|范)?(?:老人|儿童|孩子|小孩)?(?:走失|走丢|跌倒|跌跤|摔倒|摔跤|火|溺水|触电|"
    r"误吞|误食|中毒|煤气中毒|一氧化碳|诈骗|盗窃|家暴|自杀|噎)",
    r"(?:猫|狗|宠物|鹦鹉|鸟|兔)(?:咪|狗|儿|子)?" + _WITHIN
    + r"{0,4}(?:走丢|走失|丢了|不见了|找不到|跑丢)",
    _lead("鱼刺|鱼骨头|骨头", f"{_WITHIN}{{0,4}}(?:喉咙|嗓子|卡住|卡牢|卡了)"),  # a clinic, not 120
    _lead("手机|钥匙|东西|钱包|眼镜|衣服|手表|耳机|戒指|首饰|鞋子|鞋|帽子|球|玩具",
          f"{_WITHIN}{{0,3}}(?:掉|落|丢)(?:进|到|在|入)"),  # a phone in the water is no drowning
    r"(?:轮|胎|车|球|垫|圈|充气" + _WITHIN + "{0,3})漏气",  # a flat tyre is not a gas leak
    r"(?:沙发|床|床垫)" + _WITHIN + "{0,2}塌",
    # A question about what happened before or how to prevent it: 跌倒后护理, 走失了怎么预防.
    r"(?:跌倒|摔倒|骨折|中风|摔伤|烫伤|烧伤|受伤)(?:了)?(?:后|以后|之后|住院|过)",
    r"(?:走失|跌倒|摔倒|溺水|触电|火灾|中毒)" + _WITHIN + "{0,4}(?:预防|防范)",
    _lead(_IF, f"{_WITHIN}{{0,10}}(?:{_FIRE_WORDS})(?!了(?!怎么|咋|该|应该|要))"),
    # A mistaken fright (以为孩子丢了) and a past event asked about (去年那次煤气泄漏后来...).
    _lead("以为", f"{_WITHIN}{{0,12}}"),
    _lead("去年|前年|那次|上次|上回|上个月|几年前", f"{_WITHIN}{{0,8}}(?:{_FIRE_WORDS}|泄漏|泄露|"
          f"漏气)(?={_WITHIN}{{0,3}}(?:后来|以后|之后|的事|的原因|那件事))"),
    # 救命 as a laugh: 救命 这个视频太好笑了.
    _lead("救命", f"{_CLAUSES}{{0,10}}(?:好笑|哈哈|笑死|搞笑|视频|表情包)"),
    _lead("救命", "(?=哈)"),
    _lead("救命", f"{_CLAUSES}{{0,8}}(?:太可爱|好可爱|太好看|好好看|太帅|好帅|太美|太难|好难|这题|"
          "作业|上班|考试|加班|减肥|胖了|绝了|离谱|尴尬|社死|又要|太好吃|好好吃|好想|太甜|好甜|"
          "好热|太热|"
          "热死|好冷|太冷|冷死|好累|太累|累死|好困|好饿|好烦|烦死)"),
    # A worry, not an event: 怕小孩掉下去, 万一老人走丢了怎么办.
    _lead("怕|万一|如果|要是|担心|生怕|就怕|以防|防止|小心|避免",
          f"{_WITHIN}{{0,8}}(?:掉下去|摔下去|掉下来|掉进|掉到|走丢|走失|摔倒|跌倒|溺水|触电|中毒|"
          "跌下去|被偷|被骗|噎)"),
    # A risk, a policy or a claim: 跌倒风险, 火灾保险, 去年火灾的赔偿, 防小偷.
    _lead("跌倒|摔倒|摔跤|火灾|着火|起火|走失|走丢|溺水|触电|中毒|被盗|盗窃", "(?:的)?(?:风险|隐患|"
                                                                              "保险|险|"
          "赔偿|理赔|预防|讲座|培训|演练|知识|原因|调查|报告|教育|宣传)"),
    _lead("防", "(?:小偷|盗|贼|抢|骗|火|拐)"),
    _lead("微信|qq|账号|帐号|号|银行卡|信用卡|密码|支付宝|手机号|身份", "(?:被)?(?:盗|盗刷|盗用)"),
    # Heard of, not seen: 听说隔壁小区进贼了.
    _lead("听说|据说|新闻上|新闻里|电视上|报道说|网上说", f"{_WITHIN}{{0,12}}"),
    # Said big: 老板要杀了我, 差点砸到人, 还好没摔倒.
    _lead("老板|老师|领导|经理|客户|甲方|作业|考试", f"{_WITHIN}{{0,3}}(?:要|会|得)?(?:杀了我|"
                                                     f"弄死我|要我的命)"),
    _lead("差点|差一点|还好没|幸好没|好在没|险些|没有被|没被", "(?:就)?(?:砸到|砸伤|砸中|撞到|撞上|"
                                                               "摔倒|"
          "摔下去|掉下去|着火|起火|烧起来|被偷|被抢|伤到)"),
    _word("nearly|almost|practically|basically", r" (?:had a heart attack|died|fainted|passed out|"
          r"collapsed|drowned)\b"),
    _word("had|has had|have had|suffered|recovering from|recovered from|since", r" (?:a |his |her |"
                                                                                r"my )?"
          r"(?:stroke|heart attack|fall|seizure)s?\b(?! (?:just now|right now|now))"),
    _word("fire alarm|smoke alarm", r"s?\b.{0,20}\b(?:keeps|kept|beeping|battery|false|no reason|"
          r"test|broken|install|replace|chirping)"),
    # A fight that is over, or between schoolchildren: 跟同学打架了 老师叫家长,
    # 上周有人打架 后续谁管.
    _lead("不想活", "(?:那么|太|这么|到)(?:久|长|老)"),
    _word("how do i|how to|how can i|should i|when to|when should i|number to",
          r" call (?:the police|110|an ambulance|120)\b"),
    _word("if there's|if there is|in case of|if there was", r" (?:a )?(?:fire|gas leak|flood)\b"),
    _lead("跟|和|与", "(?:同学|别的小朋友|小朋友|别人家小孩|别人|人)(?:在学校)?(?:打架|打起来|"
                      "打了一架)"),
    _lead("打架|打起来|吵架|打人", f"{_CLAUSES}{{0,12}}(?:被处分|叫家长|警察来过|已经没事|现在没事|"
                                   f"没事了|后续|"
          "调解|处理结果|赔偿|怎么处理)"),
    _lead("昨天|昨晚|前天|上周|上星期|上个月|前几天|那天|之前", f"{_WITHIN}{{0,8}}(?:打架|打起来|"
                                                                f"打人|吵架)"),
    # A fall or a stroke in the past, asked about now: 我妈上个月摔了一跤 现在好多了.
    _lead("去年|前年|上个月|上月|上周|上星期|上礼拜|前几天|前段时间|几年前|以前|那次|上次|上回|"
          "曾经|早年|小时候|年轻时",
          f"{_WITHIN}{{0,8}}(?:摔了一跤|跌了一跤|掼了一跤|摔倒|跌倒|跌跤|摔跤|掼跤|中风|骨折|晕倒|"
          "昏倒|被家暴|家暴|走失|走丢|被偷|被抢|被打|脑梗|心梗|摔伤|烫伤)"),
    r"(?:家暴|打架|摔倒|跌倒|被打|被偷|被抢|中风|走失|走丢|骨折)过",
    _lead("没|没有|并没|并没有|并不是|未", f"(?:{_FIRE_WORDS})"), f"不(?<!是不)是(?:{_FIRE_WORDS})",
    _lead("危险", f"{_CLAUSES}{{0,8}}(?:{_FIRE_WORDS})怎么办"),
)
# A message that wants to learn or says it is over is calm, unless it also says hurry:
# 想了解一下电梯困人了应该怎么办, 孩子在学校摔了一跤 老师说没事, i cut my finger but it's bandaged.
_LEARNING = ("想了解|了解一下|提前了解|想学|学一下|学学|培训|讲座|演练|演习|科普|以防万一|应急知识|"
             "安全知识|"
             "老师说没事|说没事|已经没事|现在没事|没什么事|没大碍|不要紧了|已经包好|包扎好了|"
             "包好了|已经好了|"
             "好多了|恢复得|已经处理好")
_LEARNING_EN = ("training|course|first aid class|drill|what should we do if|what should i do if|"
                "what to do if|"
                "what do we do if|in case of|how to prevent|how do i escape|how to escape|fine now|"
                "is fine|"
                "'s fine|is ok now|bandaged|recovered|no one hurt|nobody hurt|nobody was hurt")
_PAST = ("以前|曾经|去年|前年|上个月|上次|几年前|早年|过跤|摔过|跌过|中过风|中风过|怕|担心|万一|"
         "如果|会不会|"
         "容易|预防|防止|瘫痪|卧床|失能|残疾|行动不便|腿脚不好|出差|旅游|过敏|"
         "before|last year|last month|years ago|months ago|weeks ago|used to|afraid|worried|"
         "what if|"
         "on holiday|travelling|traveling|allergy|allergic")
"""A past event, a worry or a lasting condition (以前跌过跤, 怕摔, 瘫痪了洗不了澡): the meaning
layer leaves these to the rules."""
_URGENT = ("快|救命|马上|赶紧|立刻|很急|着急|急急|help|hurry|quick|asap|right now|please come|"
           "emergency")
_CALM_CONTEXT = re.compile("|".join((_lead(_LEARNING, ""), _word(_LEARNING_EN, r"\b"))))
_PAST_CONTEXT = re.compile("|".join((_lead(_PAST.split("|before")[0], ""),
                                     _word("before" + _PAST.split("|before")[1], r"\b"))))
_URGENT_CONTEXT = re.compile("|".join((_lead(_URGENT.split("|help")[0], ""),
                                       _word("help" + _URGENT.split("|help")[1], r"\b"),
                                       "!!|！！")))


def says_calm(norm: str, past: bool = False) -> bool:
    """Return whether folded NORM wants to learn or says it is over (PAST: or is a past event, a
    worry or a lasting condition), and does not also say hurry."""
    calm = _CALM_CONTEXT.search(norm) or (past and _PAST_CONTEXT.search(norm))
    return bool(calm) and not _URGENT_CONTEXT.search(norm)


_ENGLISH = re.compile(r"^[a-z '-]+$")
_HAS_LATIN = re.compile(r"[a-z]")


def _literal(stem: str) -> str:
    # English stems match whole words only ("fire" is not in "firework").
    return f"{_whole(stem)}(?![a-z])" if _ENGLISH.match(stem) else re.escape(stem)


def _is_english(source: str) -> bool:
    return source[0].isascii()


def _sources(english: bool) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, (stems, patterns) in _STEMS.items():
        literals = [_literal(s) for s in sorted(stems, key=len, reverse=True)]
        found[kind] = [s for s in (*patterns, *literals) if _is_english(s) == english]
    return found


_CHINESE, _LATIN = _sources(english=False), _sources(english=True)
_KINDS = tuple((kind, re.compile("|".join(_CHINESE[kind] + _LATIN[kind])), HOTLINES[kind])
               for kind in HOTLINES)
# One search over every stem turns away the many calm messages at once; only a message that
# hits is searched kind by kind, in order, after the calm phrases are taken out. English stems
# are searched apart, and only in messages with Latin letters.
_ANY_CHINESE = re.compile("|".join(s for sources in _CHINESE.values() for s in sources))
_ANY_LATIN = re.compile("|".join(s for sources in _LATIN.values() for s in sources))
# A bare "help!" is a cry for help; "can you help me with..." is a question.
_BARE_HELP = re.compile(r"[\W_]*(?:(?:please|someone|somebody)[\W_]+)?help"
                        r"(?:[\W_]+(?:me|us|please|help|someone|somebody))*[\W_]*")
# Calm English phrases match as a word start, plurals too ("blocked fire lanes").
_HARMLESS = re.compile("|".join((*_NOT_EMERGENCY_PATTERNS, *(
    _whole(p) if _ENGLISH.match(p) else re.escape(p) for p in NOT_EMERGENCIES))))


_DIALECT = (("勿看见", "不见"), ("呒没", "没有"), ("呒", "没"), ("勿", "不"), ("覅", "不要"),
            ("伊拉", "他们"))
"""Shanghainese negations folded for the emergency stems: 爬勿起来, 叫勿应, 呒没人应."""


def _fold_dialect(norm: str) -> str:
    for said, plain in _DIALECT:
        if said in norm:
            norm = norm.replace(said, plain)
    return norm


def without_calm_phrases(norm: str) -> str:
    """Return folded NORM with its calm phrases (灭火器, 以为..., 救命 as a sigh) blanked out."""
    return _HARMLESS.sub(" ", _fold_dialect(norm))


def find_emergency(text: str) -> Emergency | None:
    """Return the emergency a message reports, if any."""
    norm = _fold_dialect(normalise(text))
    if says_calm(norm):
        return None
    if _ANY_CHINESE.search(norm) or (_HAS_LATIN.search(norm) and _ANY_LATIN.search(norm)):
        calm = _HARMLESS.sub(" ", norm)
        for kind, pattern, hotlines in _KINDS:
            if pattern.search(calm):
                return Emergency(kind, hotlines)
    if _BARE_HELP.fullmatch(norm):
        return Emergency("help", HOTLINES["help"])
    return None


# Chatter, by kind. A message made only of these (and particles, punctuation, emoji) needs a
# friendly word, never a ticket. WeChat's stickers arrive as bracketed names ([微笑]): emoji.
CHATTER: dict[str, tuple[str, ...]] = {
    "cancel": ("覅了", "覅", "取消", "算了", "那算了", "不用了", "不用", "不办了", "不要了", "不要",
    "不需要了",
               "不需要", "不弄了", "不问了", "没事了", "没事", "不麻烦了", "撤销", "退出", "不了",
               "cancel", "never mind", "nevermind", "forget it", "stop", "quit", "no thanks",
               "no need"),
    "thanks": ("谢谢", "多谢", "感谢", "谢啦", "谢了", "谢", "辛苦了", "辛苦", "非常感谢", "太谢谢",
    "太谢谢你们",
               "谢谢你们", "谢谢你", "谢谢大家", "太感谢了", "谢谢侬", "多谢侬", "感恩", "麻烦了",
               "麻烦你了", "麻烦您了", "好的谢谢", "🙏", "thanks", "thank you", "thank u",
               "thank you very much", "thanks a lot", "thanks so much", "many thanks", "thx",
               "ty", "cheers", "much appreciated", "appreciate it", "3q"),
    "bye": ("再见", "拜拜", "拜", "晚安", "明天见", "回头见", "下次见", "先这样", "88", "886",
            "bye", "bye bye", "byebye", "goodbye", "good night", "see you", "see ya", "night"),
    "greeting": ("你好", "您好", "你们好", "大家好", "侬好", "在吗", "在么", "在不在", "有人吗",
                 "有人在吗", "哈喽", "嗨", "早", "早安", "早上好", "上午好", "中午好", "下午好",
                 "晚上好", "新年好", "过年好", "新年快乐", "春节快乐", "节日快乐", "中秋快乐",
                 "中秋节快乐", "国庆快乐", "元旦快乐", "吃了吗", "吃了没", "吃饭了吗", "在干嘛",
                 "hello", "hi", "hey", "hiya", "hello there", "good morning",
                 "good afternoon", "good evening", "morning", "happy new year",
                 "anyone there", "is anyone there"),
    "robot": ("你是不是机器人", "是不是机器人", "你是机器人", "是机器人", "机器人", "你是谁",
    "你是人", "你是真人", "是真人",
              "你是ai", "人工智能", "你叫什么名字", "你叫什么", "are you a bot",
              "are you a robot", "are you human", "are you a human", "are you real",
              "are you a real person", "is this a bot", "is this a robot",
              "is this a real person", "who are you", "what's your name",
              "what is your name", "are you ai", "are you an ai", "bot", "robot"),
    "test": ("测试", "测试一下", "试试", "试一下", "test", "testing", "test test"),
    "weather": ("nice weather today", "nice weather", "lovely weather", "nice day", "lovely day",
    "beautiful day",
                "so hot", "so cold", "it's hot", "it's cold", "hot today", "cold today",
                "it's raining", "raining", "what's the weather like", "how's the weather",
                "weather"),
    "ack": ("收到", "好的", "好滴", "好哒", "好嘞", "好吧", "好", "嗯", "嗯嗯", "嗯呢", "哦",
            "哦哦", "噢", "喔", "知道了", "知道", "晓得了", "晓得", "明白", "明白了", "懂了",
            "懂", "了解", "行", "行吧", "可以", "可以的", "没问题", "是的", "对", "对的",
            "好额", "好个", "好嘅", "阿拉晓得了", "👌", "ok", "okay", "okk", "k", "kk", "got it",
            "sure",
            "alright", "all right", "fine", "noted", "roger", "understood", "yes", "yep",
            "yeah"),
    "laugh": ("笑死", "笑死了", "笑死我了", "笑死人了", "笑死人", "太好笑了", "好好笑", "😂", "🤣",
              "😆", "😄", "😁",
              "lol", "lmao"),
    "praise": ("你真棒", "真棒", "好棒", "太棒了", "棒", "厉害", "好厉害", "太厉害了", "真厉害",
               "牛", "真牛", "赞", "点赞", "给力", "真好", "太好了", "不错", "挺好", "很好",
               "好用", "真聪明", "👍", "💯", "great", "awesome", "good job", "well done",
               "nice", "cool", "excellent", "amazing", "perfect", "good bot", "brilliant"),
}
CHATTER["feeling"] = (
    "好累", "太累了", "累了", "好困", "困了", "好饿", "饿了", "无聊", "好无聊", "好烦", "烦",
    "累得要死", "忙得要死", "累得不行", "i'm starving",
    "im starving", "starving", "i'm hungry", "im hungry", "so hungry", "i'm so tired",
    "im so tired", "so tired", "i'm tired", "im tired", "tired", "exhausted", "i'm exhausted",
    "so bored", "i'm bored", "im bored", "bored", "dying of boredom", "i'm dying of boredom",
    "im dying of boredom", "this heat is killing me", "the heat is killing me",
    "my feet are killing me", "so sleepy")
"""Kinds in priority order: 算了谢谢 cancels, 好的谢谢 thanks, 哈哈好的 acknowledges."""
_WEATHER_WHEN = "今天|明天|今朝|明朝|这两天|这几天|最近|外面"
_WEATHER_HOW = r"(?:真|好|太|很|挺|蛮|老|交关|有点)?(?:热|冷|闷)(?:死了)?"
_WEATHER_SKY = (r"天气(?:真|好|太|很|挺|蛮|老|不|会)?"
                r"(?:好|不错|棒|差|热|冷|闷|晴|怎么样|如何|下雨|下雪)?")
_WEATHER_RAIN = r"(?:又|会|要)?(?:下雨|下雪|落雨|落雪|降温|刮台风)"
_FEEL = "累|饿|困|烦|气|吓|忙|渴|无聊|吃力|紧张|郁闷|心累|冻"
_SAID_BIG = "(?:得要|得|到)?(?:死|煞)(?:我|人)?(?:了|啦)?"
# Chatter that is a shape rather than a phrase: 哈哈哈, 1111, 666, 今天好热啊. Each branch starts
# with a plain character, as in _lead, to keep the search fast.
_CHATTER_SHAPES: dict[str, str] = {
    # 累死了, 吓煞我了, 忙得要死: a feeling said big, not a danger (热死了 is the weather's).
    "feeling": "|".join((_lead(_FEEL, _SAID_BIG + "(?:今天|今朝)?"),
                         _lead("今天|今朝|真是|简直",
                               f"(?:真是|简直|真的)?(?:{_FEEL}){_SAID_BIG}"))),
    "laugh": "|".join((_lead("哈|呵|嘿|嘻", "[哈呵嘿嘻]+"),
                       r"h(?<![a-z]h)[ae](?:h[ae])+h?(?![a-z])")),
    "test": r"1(?<!\d1)(?:11+|23(?:4(?:56?)?)?)(?!\d)",
    "praise": r"6(?<!\d6)66+(?!\d)",
    "weather": "|".join((_lead(_WEATHER_WHEN, f"(?:的)?{_WEATHER_SKY}|{_WEATHER_HOW}|"
                                              f"{_WEATHER_RAIN}"),
                         _WEATHER_SKY, _lead("真|好|太|很|挺|蛮|老|交关|有点|天", "(?:热|冷|闷)"),
                         _lead("热|冷|闷", "(?:死了|死人了|煞了|死人)?"),
                         _lead("这天气|这天", ""), _lead("又|会|要", "(?:下雨|下雪|降温)"),
                         _lead("下雨|下雪|落雨|落雪|降温|刮台风", ""))),
}
_PARTICLES = frozenset("啊呀呢吧哦噢嗯的了啦哈么嘛哇哟咯喽呐诶哎唉吗您侬哒滴伐")
_LONGEST_COURTESY = 40
"""A message longer than this is more than chatter: skip the phrase-by-phrase test."""


def _chatter_phrase(phrase: str) -> str:
    if not _ENGLISH.match(phrase):
        return re.escape(phrase)
    # A whole word ("hi" is not in "this"), checked after the first letter so that the branch
    # still starts with a plain character.
    first, rest = re.escape(phrase[0]), re.escape(phrase[1:])
    return f"{first}(?<![a-z]{first}){rest}(?![a-z])"


_CHATTER_KIND = {p: kind for kind, phrases in reversed(CHATTER.items()) for p in phrases}
# The shapes first, then the phrases longest first, so 好热 is weather and not 好 then 热.
_CHATTER = re.compile("|".join((*_CHATTER_SHAPES.values(), *(
    _chatter_phrase(p) for p in sorted(_CHATTER_KIND, key=len, reverse=True)))))
_SHAPES = tuple((kind, re.compile(source)) for kind, source in _CHATTER_SHAPES.items())
_STICKER = re.compile(r"\[[^\[\]\s]{1,6}\]")
_PRIORITY = {kind: rank for rank, kind in enumerate(CHATTER)}


def _chatter_kind(said: str) -> str:
    kind = _CHATTER_KIND.get(said)
    return kind if kind else next(k for k, shape in _SHAPES if shape.fullmatch(said))


def _is_filler(ch: str) -> bool:
    # Punctuation, symbols (emoji included), spaces and the joiners inside emoji sequences.
    category = unicodedata.category(ch)
    return ch in _PARTICLES or category[0] in "PSZ" or category in ("Mn", "Cf", "Sk")


def find_courtesy(text: str) -> str | None:
    """Return the kind of chatter a message is and nothing more, e.g. 'thanks', 'ack', 'emoji'."""
    norm = normalise(text)
    if not norm or len(norm) > _LONGEST_COURTESY:
        return None
    kinds: set[str] = set()
    stickers = emoji = False
    at = 0
    # Left to right, so a real question stops the scan at its first word.
    while at < len(norm):
        found = _CHATTER.match(norm, at) or _STICKER.match(norm, at)
        if found is not None:
            if found.re is _STICKER:
                stickers = True
            else:
                kinds.add(_chatter_kind(found.group()))
            at = found.end()
        elif _is_filler(norm[at]):
            emoji = emoji or unicodedata.category(norm[at]) == "So"
            at += 1
        else:
            return None
    if kinds:
        return min(kinds, key=_PRIORITY.__getitem__)
    if stickers or emoji:
        return "emoji"
    if any(unicodedata.category(ch)[0] in "PS" for ch in norm):
        return "punctuation"
    return None


_EXCLAIM = re.compile(r"^(?:我的天|天哪|天呐|天啊|妈呀|我去|哎呀|哎哟|唉|哇|omg|oh my god|oh no|"
                      r"ugh|wow)")
_CLAUSE_END = re.compile(r"[，,。.!！?？;；~～…\s]")
_SAID_BIG_ANYWHERE = re.compile("|".join((
    _lead("救了我的命|救了我一命|你们是救星|真是救星|救星啊|救了大命", ""),
    _lead("吓死|吓煞|吓我一跳|笑死|累死|饿死|烦死|气死|困死|忙死|热死|冷死|急死|愁死|哈哈|太好笑|"
          "好好笑|"
          "想死你|想死我了|美死了|笑得|要人命|热煞|冷煞|累煞|吓煞", ""),
    _word("saved my life|you saved me|lifesaver|life saver|scared the hell|scared the life|"
          "scared me|frightened me|made me jump|dying of|dying to|almost died laughing|"
          "so scared lol|so tired|dead tired|so sleepy|so hungry|exhausted|ugh", r"\b"),
    _word("feet|back|legs|knees|head|heat|traffic|work|job|homework|form|kids|this|it|boss|rain|"
          "weather|cold|noise|commute",
          r"\s+(?:is|are)\s+killing me\b"))))
"""A feeling said big, anywhere in a message: 吓死我了 原来是风, you saved my life."""


def opens_with_chatter(text: str) -> str | None:
    """Return the kind of chatter a message opens with or says big when nothing else answers it.

    Only for a message the guide does not answer and no emergency rule raised: 饿死了，晚饭还没好
    and 吓死我了哈哈，原来是风把门吹开了 want a friendly word, not "not understood".
    """
    norm = _EXCLAIM.sub("", normalise(text), count=1)
    first = _CLAUSE_END.split(norm.lstrip("，,。.!！?？ ~～…"), maxsplit=1)[0]
    kind = find_courtesy(first) if first else None
    if kind in ("feeling", "laugh", "weather", "praise"):
        return kind
    if _SAID_BIG_ANYWHERE.search(norm):
        return "feeling"
    return None
