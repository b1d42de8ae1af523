"""Hand a matter to staff: collect what the item needs, then open a ticket and notify its line."""

from __future__ import annotations

import re
from typing import Any

from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.tickets.assign import Routed
from bot.tickets.models import Ticket
from bot.tickets.opening import Routing, TicketRequest, open_ticket
from bot.tickets.routing import describe_time, find_building
from bot.wechat.messages import Incoming, Reply
from handlers.answers import show_phone
from handlers.texts import TEXTS
from knowledge.matcher import Match
from knowledge.models import Item
from knowledge.rules import find_courtesy, find_emergency

routes = Routes()

CANCEL_WORDS = frozenset({"取消", "算了", "不用了", "不要了", "不办了", "不需要了", "cancel",
                          "stop", "quit", "never mind", "nevermind", "forget it"})
"""Said at any step, these end the conversation; knowledge.rules knows more ways to say it."""
PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{8})(?!\d)")
PLACE = re.compile(
    r"\d\s*[-－/]\s*\d|[号楼室弄栋幢层座]|单元|门口|大门|[东南西北]门|车库|车棚|电梯|楼道|楼梯|走廊|"
    r"过道|大堂|地下|停车|小区|花园|广场|绿地|垃圾房|箱房|门卫|路口|路边|旁边|对面|附近|"
    r"\b(?:building|bldg|block|unit|floor|room|flat|apt|apartment|gate|lobby|garage|lift|"
    r"elevator|stair\w*|corridor|hallway|entrance|car ?park|parking|road|street|lane|no\.?\s*\d)",
    re.IGNORECASE)
"""What a place looks like: a building, unit, room, gate or a spot of the compound."""
ADDRESS = re.compile(
    r"(?<!\d)\d{1,4}\s*(?:号楼|栋|幢|弄)(?:\s*\d{1,4}\s*(?:号|单元|室|楼|层))*"
    r"|(?<![\d-])\d{1,3}-\d{1,3}(?:-\d{1,4})?(?![\d-])"
    r"|\b(?:building|bldg|block)\s*\d{1,4}(?:\s*,?\s*(?:unit|room|flat|apt)\s*\d{1,4})*",
    re.IGNORECASE)
"""A building named with its number in the first message (5号楼3单元, 5-2-301, building 5): the
place is not asked again."""
OFFLINE_ESSENTIAL = ("location", "phone")
"""What a hand-off cannot go without when no conversation can ask for it (Redis down)."""
PLACE_TRIES = 1
"""Re-asks for a place before whatever the resident says is taken as it."""
_FILLER = re.compile(
    r"请问|怎么办|怎么弄|怎么|如何|找谁|哪里|在哪|可以|能不能|能否|我要|我想|想要|需要|帮我|帮忙|"
    r"一下|麻烦|你好|您好|谢谢|\b(?:i|my|me|the|a|an|to|is|are|do|does|how|can|could|want|"
    r"need|please|hi|hello|about|there|it|of|in|for|with|have|has|make|file)\b|[\W_\d]|"
    r"[我你您的了吗呢吧啊呀么要想请有个是在就这那又也还]", re.IGNORECASE)
MIN_DESCRIPTION = 4
"""Characters left after the item's own words and filler for a first message to describe it."""
DEFAULT_TIME_LIMIT = 5


def raise_ticket(ctx: Context, kind: str, line: str, text: str, item: Item | None = None,
                 details: dict[str, Any] | None = None, is_urgent: bool = False,
                 routed: Routed | None = None) -> Ticket:
    """Open and route a ticket for the sender (once per callback) and queue notifications."""
    guide = ctx.guide
    fallback = guide.lines[line].notify_openids if line in guide.lines else ()
    name = item.name.zh if item else {"emergency": "紧急求助", "general": "居民留言"}[kind]
    details = details or {}
    request = TicketRequest(
        committee=ctx.committee, kind=kind, line=line, resident_openid=ctx.message.openid,
        request_text=text, source_key=ctx.message.dedup_key, lang=ctx.lang,
        item_code=item.code if item else None, details=details, is_urgent=is_urgent,
        building=find_building(str(details.get("location", "")), text),
    )
    routed = routed if routed is not None else Routed()
    days = (item.time_limit_days if item else None) or DEFAULT_TIME_LIMIT

    opened = open_ticket(ctx.services.db, request, Routing(days, name, fallback, routed),
                         ctx.now())
    return opened.ticket


def is_cancel(text: str) -> bool:
    """Return whether TEXT only says to stop (算了, 不用了, never mind...)."""
    return (text.lower().strip(" .!。！~～") in CANCEL_WORDS
            or find_courtesy(text) == "cancel")


def describes(item: Item, text: str) -> bool:
    """Return whether TEXT says more about the matter than ITEM's own words ('漏水怎么办')."""
    rest = text.lower()
    for word in sorted((item.name.zh, item.name.en, *item.aliases), key=len, reverse=True):
        if word:
            rest = rest.replace(word.lower(), " ")
    return len(_FILLER.sub("", rest)) >= MIN_DESCRIPTION


def front_desk_phone(ctx: Context) -> str:
    """Return the committee's phone as shown to the resident, marked when it is a sample."""
    committee = ctx.guide.committee
    return show_phone(committee.phone, committee.is_sample, ctx.lang)


def interrupt(answer: str, ctx: Context, question: str) -> Reply | None:
    """End the open flow for a cancel word or an emergency and return its reply; ask QUESTION
    (a text key) again for small talk; else None."""
    if is_cancel(answer):
        ctx.session.end()
        return Reply(TEXTS.say("cancelled", ctx.lang))
    if find_courtesy(answer) is not None:
        # 哈哈哈, 好的, 👍 answer nothing that was asked: never a place, a name or a description.
        return Reply(TEXTS.say(question, ctx.lang))
    # Only the rules interrupt: a short detail (在厨房, 电梯里) may sit near an emergency in
    # meaning, and a detail needs no embedding or guide search at all.
    emergency = find_emergency(answer)
    if emergency is not None:
        ctx.session.end()
        return raise_emergency(ctx, Match(answer, "emergency", emergency=emergency, score=1.0))
    return None


def raise_emergency(ctx: Context, match: Match) -> Reply:
    """Open the urgent ticket and reply with the number(s) to call first."""
    assert match.emergency is not None
    ticket = raise_ticket(ctx, "emergency", ctx.guide.committee.front_desk_line, match.text,
                          is_urgent=True)
    sep = " / " if ctx.lang == "en" else "、"
    label = match.emergency.label[ctx.lang == "en"]
    key = "emergency_maybe" if match.emergency.by_meaning else "emergency"
    return Reply(TEXTS.say(key, ctx.lang, hotlines=sep.join(match.emergency.hotlines),
                           label=label, ticket=ticket.id))


def closing_notes(ctx: Context, routed: Routed, ticket: Ticket) -> str:
    """Return when staff will pick a new ticket up and its time limit, if they say anything."""
    notes = ""
    if not routed.is_open_now and routed.opens_at is not None:
        notes += TEXTS.say("after_hours", ctx.lang,
                           opens=describe_time(routed.opens_at, ctx.lang))
    if ticket.due_at is not None and not ticket.is_urgent:
        notes += TEXTS.say("due_by", ctx.lang, due=describe_time(ticket.due_at, ctx.lang))
    return notes


def start_handoff(ctx: Context, item: Item, text: str) -> Reply:
    """Begin collecting what ITEM needs from the resident, or open the ticket at once."""
    details: dict[str, str] = {}
    phone = PHONE.search(text)
    if "phone" in item.needs and phone:
        details["phone"] = phone.group(1)
    address = ADDRESS.search(text)
    if "location" in item.needs and address:
        details["location"] = address.group().strip()
    elif "location" in item.needs and not ctx.can_converse and PLACE.search(text):
        details["location"] = text  # no session to ask in: the words that name a place do

    if "description" in item.needs and describes(item, text):
        # The first message already told us what happened: asking again is not listening.
        details["description"] = text
    ctx.session.start("handoff", item=item.code, text=text, details=details, lang=ctx.lang)
    intro = TEXTS.say("handoff_intro", ctx.lang, item=item.name.pick(ctx.lang))
    return _next_step(ctx, item, details, text, intro)


def _next_step(ctx: Context, item: Item, details: dict[str, str], text: str,
               intro: str = "") -> Reply:
    missing = [need for need in item.needs if need not in details]
    if missing and ctx.can_converse:
        ctx.session.update(details=details, asking=missing[0])
        question = TEXTS.say(f"ask_{missing[0]}", ctx.lang)
        return Reply(f"{intro}\n{question}" if intro else question)
    essential = [need for need in missing if need in OFFLINE_ESSENTIAL]
    if essential:
        # Redis is down, so the next message cannot be read as the answer: ask for everything
        # in one message rather than open a ticket per fragment (place, then phone...).
        names = [TEXTS.say(f"need_{need}", ctx.lang) for need in essential]
        return Reply(TEXTS.say("handoff_offline", ctx.lang, needs="、".join(names)
                               if ctx.lang != "en" else " and ".join(names),
                               phone=front_desk_phone(ctx)))
    ctx.session.end()
    line = item.line or ctx.guide.committee.front_desk_line
    routed = Routed()
    ticket = raise_ticket(ctx, "handoff", line, text, item, details, routed=routed)
    line_name = ctx.guide.lines[line].name.pick(ctx.lang) if line in ctx.guide.lines else line
    done = TEXTS.say("handed_off", ctx.lang, ticket=ticket.id, line=line_name,
                     days=item.time_limit_days or DEFAULT_TIME_LIMIT)
    done += closing_notes(ctx, routed, ticket)
    return Reply(f"{intro}\n{done}" if intro else done)


@routes.flow("handoff")
def continue_handoff(message: Incoming, ctx: Context) -> Reply:
    """Take the resident's answer to the detail asked for, or cancel."""
    ctx.lang = ctx.session.get("lang", ctx.lang)
    answer = message.text.strip()
    if message.kind not in ("text", "voice") or not answer:
        return Reply(TEXTS.say(f"ask_{ctx.session.get('asking', 'description')}", ctx.lang))
    stop = interrupt(answer, ctx, f"ask_{ctx.session.get('asking', 'description')}")
    if stop is not None:
        return stop
    try:
        item = ctx.guide.item(str(ctx.session.get("item")))
    except KeyError:
        # The guide was reloaded without this item: hand it to the front desk as it is.
        ctx.session.end()
        ticket = raise_ticket(ctx, "general", ctx.guide.committee.front_desk_line,
                              str(ctx.session.get("text", answer)), details={"reply": answer})
        line = ctx.guide.lines.get(ctx.guide.committee.front_desk_line)
        return Reply(TEXTS.say("handed_off", ctx.lang, ticket=ticket.id,
                               line=line.name.pick(ctx.lang) if line else "",
                               days=DEFAULT_TIME_LIMIT))
    details = dict(ctx.session.get("details", {}))
    asking = str(ctx.session.get("asking", ""))
    if asking == "phone":
        phone = PHONE.search(answer.replace(" ", ""))
        if not phone:
            return Reply(TEXTS.say("bad_phone", ctx.lang))
        details["phone"] = phone.group(1)
    elif asking == "location" and not PLACE.search(answer) and (
            int(ctx.session.get("place_tries", 0)) < PLACE_TRIES):
        ctx.session.update(place_tries=int(ctx.session.get("place_tries", 0)) + 1)
        return Reply(TEXTS.say("bad_place", ctx.lang))
    elif len(answer) < 2:
        return Reply(TEXTS.say("too_short", ctx.lang))
    else:
        details[asking or "description"] = answer
    return _next_step(ctx, item, details, str(ctx.session.get("text", answer)))
