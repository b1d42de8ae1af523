"""Asking for a person (人工): at any time, Linli takes a phone number and hands the words over."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.tickets.assign import Routed
from bot.wechat.messages import Incoming, Reply
from handlers.handoff import (
    PHONE,
    closing_notes,
    continue_handoff,
    front_desk_phone,
    interrupt,
    raise_ticket,
)
from handlers.questions import answer_question, choose_option
from handlers.texts import TEXTS

routes = Routes()
PERSON_FLOW = "person"

PERSON_WORDS = ("人工", "转人工", "找人工", "人工服务", "人工客服", "转人工服务", "我要人工",
                "要人工", "找工作人员", "联系工作人员", "真人", "找真人", "human", "staff",
                "agent", "talk to a person", "speak to a person", "talk to a human",
                "speak to a human", "talk to someone", "real person", "a person")
"""Ways of asking for a person; each is a command, so it works in the middle of any flow."""
_ASKED = frozenset(PERSON_WORDS)
_POLITE = ("please", "请", "我要", "帮我")


def _asks_for_person(text: str) -> bool:
    said = " ".join(text.lower().split()).strip(" .!?。！？~")
    for word in _POLITE:
        said = said.removeprefix(word).removesuffix(word).strip(" ,，")
    return said in _ASKED or "".join(said.split()) in _ASKED


def _carry_on(message: Incoming, ctx: Context) -> Reply:
    # 'staff were rude' starts with a command word but is no request: back to what was open.
    flows = {"handoff": continue_handoff, "clarify": choose_option, PERSON_FLOW: continue_person}
    handler = flows.get(ctx.session.flow or "", answer_question)
    return handler(message, ctx)


def _earlier_words(ctx: Context) -> tuple[str, str | None]:
    """Return what the resident asked before (kept in the session) and a phone already given."""
    text = str(ctx.session.get("unanswered") or ctx.session.get("text") or "")
    details = ctx.session.get("details", {})
    phone = details.get("phone") if isinstance(details, dict) else None
    return text, str(phone) if phone else None


@routes.command(*PERSON_WORDS)
def ask_for_person(message: Incoming, ctx: Context) -> Reply:
    """Start handing the resident to a person, keeping their earlier words for staff."""
    if not _asks_for_person(message.text):
        return _carry_on(message, ctx)
    if not ctx.can_converse:
        return Reply(TEXTS.say("person_offline", ctx.lang, phone=front_desk_phone(ctx)))
    question, phone = _earlier_words(ctx)
    ctx.session.start(PERSON_FLOW, question=question, lang=ctx.lang)
    if question and phone:
        return _hand_over(ctx, question, phone)
    ctx.session.update(asking="phone" if question else "question")
    return Reply(TEXTS.say("person_ask_phone" if question else "person_ask_question", ctx.lang))


def _hand_over(ctx: Context, question: str, phone: str) -> Reply:
    ctx.session.end()
    routed = Routed()
    ticket = raise_ticket(ctx, "general", ctx.guide.committee.front_desk_line, question,
                          details={"phone": phone}, routed=routed)
    done = TEXTS.say("person_done", ctx.lang, ticket=ticket.id, phone=phone)
    return Reply(done + closing_notes(ctx, routed, ticket))


@routes.flow(PERSON_FLOW)
def continue_person(message: Incoming, ctx: Context) -> Reply:
    """Take what the matter is, then a phone number (asked again until it is one), or cancel."""
    ctx.lang = ctx.session.get("lang", ctx.lang)
    answer = message.text.strip()
    asking = str(ctx.session.get("asking", "phone"))
    if message.kind not in ("text", "voice") or not answer:
        return Reply(TEXTS.say(f"person_ask_{asking}", ctx.lang))
    stop = interrupt(answer, ctx, f"person_ask_{asking}")
    if stop is not None:
        return stop
    if asking == "question":
        if len(answer) < 2:
            return Reply(TEXTS.say("too_short", ctx.lang))
        phone = PHONE.search(answer.replace(" ", ""))
        if phone:
            return _hand_over(ctx, answer, phone.group(1))
        ctx.session.update(question=answer, asking="phone")
        return Reply(TEXTS.say("ask_phone", ctx.lang))
    phone = PHONE.search(answer.replace(" ", ""))
    if not phone:
        return Reply(TEXTS.say("bad_phone", ctx.lang))
    return _hand_over(ctx, str(ctx.session.get("question", "")), phone.group(1))
