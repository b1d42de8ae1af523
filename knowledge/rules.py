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
    words = heads.split("|") if isinstance(heads, str) else heads
    return "|".join(f"{re.escape(word)}(?:{tail})" for word in words)


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
        "老母亲|老父亲|我爸|我妈|爸爸|妈妈|父亲|母亲|公公|婆婆|老公|老婆|丈夫|妻子|爱人")
_GAP = ("又|也|突然|忽然|好像|已经|一下子|一转眼|转眼|出去|出门|出门后|放学|放学后|一个人|"
        "早上|晚上|一天|一晚上|到现在|还|都|在外面|在小区|在小区里|在公园")
_LOST = (r"(?:(?:找不到|找不着|寻不着|寻不到)(?!工作|对象|路|地方|位置"
         rf"|{_WITHIN}{{0,6}}(?:在哪|哪里|怎么走))"  # not 找不到食堂在哪
         r"|不见了|弄丢了|丢了(?![东钱包手卡钥证书作身票文本衣鞋]))")
# An elder not seen for days is a visit for the elderly team (guide item elder-visit); with a
# second worrying sign (no answer at the door or the phone, a smell) it is a welfare check now.
_DAYS = "好几|几|两|三|四|五|六|七|多|两三|三四|好多|一|一个|个把"
_UNSEEN = (r"(?:天|日|个?星期|周|个?礼拜)(?:了)?(?:都|也|了|一直)?(?:没|没有)(?:见到|见着|"
           r"看到|看见|见过|见人|出门|出来|露面|动静|开门|开过门|下楼|回应|接电话)")
_WORRY = (_lead("电话|手机", f"{_WITHIN}{{0,4}}(?:打不通|没人接|不接|关机)") + "|"
          + _lead("敲门|门铃|没人应|没人开|异味|臭味|怪味|味道|信箱|报纸|牛奶", ""))
_SMELL_FROM = "隔壁|邻居|对门|对面|楼上|楼下|老人|独居|他家|她家|伊屋里"
_NOT_A_BODY = "垃圾|下水|厕所|马桶|油烟|烟味|饭菜|装修|油漆|甲醛|猫|狗|宠物|煤气|燃气"
_SMOKE_AT = ("楼道|走廊|楼梯|楼梯间|过道|屋|家|房间|厨房|楼上|楼下|隔壁|对门|窗外|外面|电梯|车库|"
             "地下室|阳台|卧室|客厅")
_NOT_SMOKE = "(?![味头花灰民酒囱感])"
"""烟 that is smoke, not 烟味 (a smell), 烟头, 烟花, 烟酒 or 烟感."""
_SWALLOWED = ("电池|磁铁|磁珠|硬币|应币|消读液|消毒夜|钉|别针|农药|老鼠药|鼠药|敌敌畏|消毒液|"
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
_WEAPON = "菜刀|水果刀|刀子|刀|斧头|斧子|棍子|铁棍|棒子|剪刀|砖头|锤子|榔头|酒瓶"
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
         "冒火花", "冒火星", "电线冒火", "插座冒火", "sparks", "sparking", "fire", "on fire",
         "burning",
         "smell burning", "smoky"),
        (_lead(_SMOKE_AT, r"(?:里|内|口|间)?(?:面|厢)?(?:有|在|冒|全是|都是|好多|很多|好大|"
                          r"一股|一直)(?:股|阵)?(?:黑|白|浓)?烟" + _NOT_SMOKE),
         _lead("好多|很多|好大的|满屋|满屋子|全是|都是", "烟" + _NOT_SMOKE),
         _word("smoke", r"\s+(?:in|from|coming|everywhere|is|filling|pouring)\b"),
         _word("of|thick|black|see|smell|there's|there’s|full of|lots of", r" smoke\b"))),
    "gas": (
        ("煤气中毒", "一氧化碳", "gas leak", "gas leaking", "leaking gas", "smell gas",
         "smell of gas", "smells of gas", "smells like gas", "gas smell", "carbon monoxide"),
        (_lead("煤|燃|天然|液化", r"[气汽](?:的)?(?:味|臭)"), r"瓦斯(?:味|漏|外泄|泄)",
         r"漏(?:煤|燃|天然)?[气汽]", _lead("气|汽", r"(?:泄漏|泄露|外泄|泄了)"),
         r"闻到(?:一股)?(?:煤|燃|天然)[气汽]",
         _lead("很重的|好重的|一股|浓浓的|好大的|好浓的", "(?:没|霉|梅|媒)[气汽]味"),
         _lead("煤气|燃气|天然气|液化气|瓦斯|煤气灶|燃气灶|煤气罐|煤气管|燃气管",
               f"{_WITHIN}{{0,6}}(?:漏了|一直漏|在漏|漏出|漏气|漏得)"))),
    "collapse": (
        ("塌了", "倒塌", "坍塌", "塌下来", "砸到人", "砸伤", "掉下来砸", "caved in",
         "building collapsed", "ceiling collapsed"), ()),
    "trapped": (
        ("困住", "被困", "困在", "困勒", "电梯困人", "困人了", "关在电梯", "关勒电梯",
         "卡在电梯里", "电梯里关牢", "关牢在电梯", "trapped", "stuck in the lift",
         "stuck in the elevator",
         "stuck in lift", "stuck in a lift", "stuck in an elevator"),
        (r"电梯里(?:有人(?:被)?(?:困|关)|出不来|被关|关着人|困)",
         _lead("人|我|他|她|伊", r"(?:被)?(?:关|卡)在电梯"),
         _lead("电梯", f"{_WITHIN}{{0,6}}(?:卡住|停了|停住|坏了|不动了|掉下去|下坠)"
                     f"{_CLAUSES}{{0,6}}(?:(?:里面|里头|里)(?:还)?有(?:人|{_KIN})|人在里面|有人被|"
                     "(?:出不去|出不来)"
                     "(?:了)?(?![^，,。.!！?？ 啊呀]))"))),
    "self_harm": (
        ("不想活", "活不下去", "活着没意思", "寻死", "轻生", "自杀", "割腕", "跳楼", "跳河", "跳江",
         "一了百了",
         "喝农药", "喝了农药", "kill myself", "kill himself", "kill herself", "suicide",
         "suicidal", "want to die", "wants to die", "end my life", "hurt myself",
         "self-harm", "self harm"),
        (r"想(?<!得想)死(?!你|您|我了|了你)",  # not 热得想死, 想死你了
         _lead("一瓶|整瓶|好多|很多|一把|大把", "安眠药"),
         _lead("要|想|准备|扬言", f"{_WITHIN}{{0,6}}跳(?:下去|楼|河|江)"),
         _lead("要|想|准备", "跳(?=$|[，,。.!！?？ ]|了|啊|呀)"),  # 好像要跳 (not 要跳舞)
         _lead("栏杆外|窗台上|窗户外|天台边|楼顶边|阳台外", ""),
         _word("don't|dont|don’t|do not", r" want to (?:live|be alive)\b"))),
    "medical": (
        ("晕倒", "昏倒", "昏迷", "昏过去", "晕过去", "晕到了", "昏到了", "昏特", "晕特",
         "昏脱", "晕厥", "昏厥", "不省人事", "叫不醒", "喊不醒", "失去意识", "没意识了",
         "没知觉", "倒地不起", "摔倒了", "摔倒在", "跌倒", "跌跤", "掼跤", "掼了一跤",
         "跌了一跤", "摔了一跤", "摔跤了", "摔下来", "从楼上掉", "人掉下来", "坠楼", "流血",
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
         "抽搐", "休克", "噎住", "噎着", "噎到", "卡住喉咙", "卡在喉咙",
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
         "numb on one side"),
        (_lead("摔|跌|掼|滑|倒", f"{_WITHIN}{{0,6}}(?:起不来|爬不起来|站不起来|动不了|起不了身)"),
         _lead(_KIN + "|人|他|她|伊", r"(?:突然|一下子|直接)?(?:倒(?:在)?地|倒下)"),
         _lead(_KIN + "|人|他|她|伊", r"(?:好像|已经|快)?没气了"),  # not 家里没气了 (no gas)
         _lead(_SWALLOWED, f"{_WITHIN}{{0,3}}(?:吞|咽|吃|喝)(?:了|下|进)"),  # 把硬币吞下去了
         _lead("胸口|心口", "(?:剧痛|疼得|痛得|很痛|好痛|疼死|痛死)"),
         r"躺在地上(?:不动|起不来|没反应)", r"说(?<![得话]说)不出话",  # not 气得说不出话
         _lead("半边|一边", r"(?:身子|身体|脸|手脚|手|脚)?(?:" + _SUDDEN + r")?(?:发)?(?:麻|"
                          r"不能动|动不了|没知觉|没力气|没劲)"),
         # Stroke signs come on suddenly: 突然说话不清楚, 讲话一下子含糊了.
         _lead(_SUDDEN, f"{_WITHIN}{{0,6}}(?:说话|讲话|讲闲话|说不清|讲不清|口齿|嘴巴歪|嘴歪|"
                        "手脚发麻|手脚麻|手麻|脚麻)"),
         _lead("说话|讲话", f"(?:{_SUDDEN})(?:就|也)?(?:不清|含糊|含混|说不出|讲不出)"),
         _lead(_PERSON, f"{_WITHIN}{{0,8}}一动(?:也)?不动"),  # not 电梯一动不动
         _lead(_PERSON, f"{_WITHIN}{{0,6}}(?:倒下去|倒下了|倒在地上|昏倒)"),
         # 叫他没反应, not 呼叫器按了没反应 (a device).
         f"叫(?<!呼叫)(?:他|她|伊|人|了)?{_WITHIN}{{0,3}}(?:没反应|没有反应|不醒|不答应)",
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
         _lead("脸|脸色|嘴唇|嘴巴", r"(?:都|已经|有点|开始)?(?:发|变)?(?:青|乌)?紫(?:了|掉)"),
         # Someone in the water, not a phone dropped in it.
         _lead(_KIN + "|人|有人|他|她|伊", f"{_WITHIN}{{0,3}}(?:掉|跌|摔|落|滑|跳)(?:进|到|下|入)?"
                                      f"(?:了)?(?:{_WATER})"),
         _lead("吞|咽|吃|喝", f"(?:了|下|进|下去|下去了){_WITHIN}{{0,5}}(?:{_SWALLOWED})"),
         _word(_CANT, r" (?:breathe|speak|get up)\b"), _word("won't|won’t|wont", r" wake up\b"),
         _word("stroke", r"\b(?!\s+(?:patient|survivor|rehab|recovery))"),
         _word("face", r" (?:is )?droop"),
         _word("swallowed", r" (?:a |an |the |some )?(?:button )?(?:battery|batteries|coin|"
                            r"magnet|pills|bleach|poison|detergent)\b"),
         _word("one side", r"\b.{0,20}\bnumb\b"))),
    "violence": (
        ("打架", "斗殴", "家暴", "持刀", "拿刀", "动刀", "拿着刀", "举着刀", "砍人", "杀人",
         "捅人", "行凶", "打起来", "打相打", "打成一团", "绑架", "开枪", "有枪", "拿枪",
         "动手打", "打人了", "有人打人", "在打人", "挨打", "打伤", "跟踪我", "一直跟着我",
         "要杀了我", "要杀我", "杀了我", "弄死我", "打死我", "砍死", "威胁我", "威胁要", "被砍",
         "被捅", "被刺", "跟着我", "尾随",
         "someone is following me", "domestic violence",
         "domestic abuse", "armed", "shooting", "gunshot", "stabbed", "stabbing", "assault",
         "assaulted", "fighting", "a fight", "attacked", "attacking", "kidnapped",
         "kidnapping"),
        (rf"打(?:{_HIT})(?:了|啦|呀|啊|得|$|[{_STOP} ]|怎么办|报警|很凶)",  # not 打他电话
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
         "翻窗进", "robbery", "robbed", "mugged", "mugging", "burglar", "burglary", "thief",
         "thieves", "break-in", "break in", "broke in", "breaking in", "breaking into",
         "climbing in", "climbing into", "climbing through", "kicking the door",
         "kicking our door", "kicking my door", "forcing the door", "踹门",
         "intruder"),
        (_word("someone", r" (?:is )?(?:in|inside) (?:my|our) (?:flat|house|home|apartment)\b"),
         _lead("撬|翘", f"{_WITHIN}{{0,3}}(?:门|锁|窗)"),
         _lead("踹", f"{_WITHIN}{{0,4}}门"),
         _lead("被", r"(?:人|小偷|贼|坏人|他|她|伊){0,2}抢"))),
    "missing": (
        ("走丢", "跑丢", "失踪", "被人抱走", "被抱走", "被拐", "拐走", "missing child",
         "lost child", "missing person",
         "wandered off"),
        (r"走(?<!防走)失",  # not 防走失手环
         _lead(_KIN, f"(?:{_GAP}){{0,3}}{_LOST}"),
         _lead(_KIN, f"{_CLAUSES}{{0,16}}(?:一转眼|转眼|一眨眼|一会儿|一下子|突然)(?:就|人)?"
                     "(?:不见了|"
                     "没影|找不到|找不着)"),
         _lead("找不到|找不着|寻不着|寻不到", rf"(?:我|我们)?(?:家)?(?:的)?(?:{_KIN})(?!的)"),
         _lead(_KIN + "|他|她|伊", f"{_WITHIN}{{0,6}}(?:一天|一晚上|一夜|一整天|到现在|几个小时|"
                                  "半天|一下午|一上午)(?:了)?(?:都|也|还)?没(?:有)?回(?:家|来)"),
         _lead(_KIN, f"{_WITHIN}{{0,8}}没(?:有)?回(?:家|来){_CLAUSES}{{0,8}}(?:到现在|一夜|一晚上|"
                     "一整天|联系不上|找不到|打不通|不接电话)"),
         _lead("痴呆|阿尔茨海默|认知障碍|失智", f"{_CLAUSES}{{0,12}}(?:不见|找不到|找不着|寻不着|"
                                          "没回来|没回家|跑出去了|跑掉|不知道去哪)"),
         _word("my|our|a|the|his|her", rf"\s+(?:little |young |old |elderly )?(?:{_EN_KIN})s?\s+"
               r"(?:is|are|has|have|went|got|[’']s|seems?)\s+(?:been |gone |to be )?"
               r"(?:missing|lost)\b"),
         _word(_CANT, rf" find (?:my|our) (?:little |young |old )?(?:{_EN_KIN})s?\b"),
         _word("dementia", r"\b.{0,30}\b(?:missing|lost|wandered|gone)\b"))),
    "welfare": (
        ("敲门不开", "敲门不应", "尸臭", "no answer at the door", "not answering the door",
         "nobody answers the door", "no one answers the door"),
        (rf"敲(?:了)?(?:半天|好久|很久|好几次)?(?:的)?门{_WITHIN}{{0,4}}(?:没人|没有人|没)"
         r"(?:应|开|理|回应|反应|答应)", f"按门铃{_WITHIN}{{0,4}}没人",
         _lead(_DAYS, f"{_UNSEEN}.{{0,20}}(?:{_WORRY})"),
         # The welfare check: an elder unseen or unheard for days is a knock on the door.
         _lead(_PERSON + "|楼上|楼下|隔壁|对门|独居", f"{_WITHIN}{{0,6}}(?:{_DAYS}){_UNSEEN}"),
         _lead(_DAYS, f"(?:天|日)(?:的)?(?:电话|手机){_WITHIN}{{0,3}}"
                      "(?:没人接|打不通|不接|关机|没接)"),
         _lead(_DAYS, r"天(?:都|了|一直)?(?:联系不上|联系不到|没联系上)"),
         _lead("报纸|牛奶|信件", f"{_WITHIN}{{0,6}}(?:堆|积)"),
         _lead("敲门|门铃|没人应|没人开|电话|手机|异味|臭味|怪味|味道|信箱|报纸|牛奶",
               f".{{0,20}}(?:{_DAYS}){_UNSEEN}"),
         _lead(_SMELL_FROM, f"(?:(?!{_NOT_A_BODY}){_WITHIN}){{0,8}}(?:异味|臭味|怪味|腐臭)"),
         r"屋里(?:有|传出)(?:一股)?(?:异味|臭味|怪味)",
         _word("hasn't|hasnt|has not|haven't|havent|not", r" (?:answered|picked up|opened|been out|"
               r"come out|been seen)\b.{0,40}\b(?:days|a week)\b"),
         _word("seen|heard from", r"\b.{0,30}\b(?:days|a week)\b.{0,40}"
                                  r"\b(?:door|answer|answering|phone|smell)\b"))),
    "help": (
        ("救命", "救救我", "救救他", "救救她", "救救孩子", "快来人", "来人啊", "来人呀", "就命啊",
         "久命", "快来帮帮", "快来救", "出大事了", "sos", "screaming for help",
         "crying for help", "calling for help", "shouting for help"), ()),
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
                   "smoke alarm", "smoke detector", "no smoking", "gun shop", "glue gun")
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
    _lead("没|没有|并没|并没有|并不是|未", f"(?:{_FIRE_WORDS})"), f"不(?<!是不)是(?:{_FIRE_WORDS})",
    _lead("危险", f"{_CLAUSES}{{0,8}}(?:{_FIRE_WORDS})怎么办"),
)
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


def find_emergency(text: str) -> Emergency | None:
    """Return the emergency a message reports, if any."""
    norm = normalise(text)
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
