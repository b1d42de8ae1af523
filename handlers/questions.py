"""Residents' questions: match them to the guide and answer, refer, hand off or ask which;
small talk gets a word in kind, and what the guide cannot answer is offered to a person."""

from __future__ import annotations

from bot.core.gaps import record_gap
from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.wechat.messages import Incoming, Reply
from handlers.answers import (
    compose_answer,
    compose_referral,
    compose_sorting,
    compose_sortings,
    title,
)
from handlers.duty import duty_summary
from handlers.handoff import front_desk_phone, is_cancel, raise_emergency, start_handoff
from handlers.rating import try_rating
from handlers.texts import TEXTS
from knowledge.compound import split_questions
from knowledge.matcher import Match
from knowledge.models import Item

routes = Routes()
DUTY_ITEM = "duty-today"


def answer_item(ctx: Context, item: Item, text: str) -> Reply:
    """Do what the guide says for ITEM: answer on the spot, refer, or hand off."""
    if item.disposition == "handoff":
        return start_handoff(ctx, item, text)
    if item.disposition == "refer":
        return Reply(compose_referral(item, ctx.guide, ctx.lang))
    if item.code == DUTY_ITEM:
        # The guide says where the desk is; the roster says who is there today.
        return Reply(f"{compose_answer(item, ctx.lang)}\n{duty_summary(ctx)}")
    return Reply(compose_answer(item, ctx.lang))


def _committee_names(ctx: Context) -> dict[str, str]:
    name = ctx.guide.committee.name
    return {"committee": name.zh, "committee_en": name.en or name.zh}


# Chatter that introduces the desk gets the whole list of what it can do; the rest a hint.
_WITH_CAN_DO = frozenset({"greeting", "robot", "test", "punctuation", "weather"})
_CHATTER_KEYS = frozenset({"ack", "laugh", "praise", "bye", "robot", "test", "weather", "feeling",
                           "emoji", "punctuation", "greeting", "thanks"})
MISSES_FOR_PERSON = 2
"""Unanswered messages in a row after which a person is offered unasked, first and plainly."""
NEAREST_OFFERED = 3
"""Items offered as 'did you mean' under an unanswered message."""


def reply_to_chatter(ctx: Context, match: Match) -> Reply:
    """Answer small talk in kind, with what the desk can do; never open a ticket for it."""
    if match.outcome == "cancel":
        return Reply(TEXTS.say("nothing_to_cancel", ctx.lang))
    kind = match.courtesy if match.courtesy in _CHATTER_KEYS else match.outcome
    if kind not in _CHATTER_KEYS:
        kind = "ack"
    said = TEXTS.say(kind, ctx.lang, **_committee_names(ctx))
    more = TEXTS.say("can_do" if kind in _WITH_CAN_DO else "more_hint", ctx.lang)
    return Reply(f"{said}\n{more}")


def _numbered(items: list[Item], lang: str) -> str:
    return "\n".join(f"{i}. {title(item, lang)}" for i, item in enumerate(items, 1))


def reply_unanswered(ctx: Context, text: str, misses: int) -> Reply:
    """Say the guide does not cover TEXT, offer the nearest items and a person; no ticket."""
    nearest = [c.item for c in ctx.matcher.nearest(text, NEAREST_OFFERED)]
    parts = [TEXTS.say("none", ctx.lang)]
    if nearest:
        parts.append(TEXTS.say("nearest", ctx.lang, options=_numbered(nearest, ctx.lang)))
    if misses >= MISSES_FOR_PERSON or not ctx.can_converse:
        # Twice unanswered: the person comes first, where a glance at the reply finds it.
        key = "offer_person_again" if ctx.can_converse else "person_offline"
        parts.insert(0, TEXTS.say(key, ctx.lang, phone=front_desk_phone(ctx)))
    else:
        parts.append(TEXTS.say("offer_person", ctx.lang))
    if ctx.can_converse:
        # The question is kept so that 人工 can hand it to staff in the resident's own words.
        ctx.session.start("clarify", options=[item.code for item in nearest], text=text,
                          lang=ctx.lang, misses=misses, unanswered=text)
    return Reply("\n".join(parts))


def _offer_list(ctx: Context, match: Match) -> Reply:
    codes = [c.item.code for c in match.candidates]
    ctx.session.start("clarify", options=codes, text=match.text, lang=ctx.lang)
    if len(match.candidates) == 1:
        return Reply(TEXTS.say("confirm", ctx.lang, item=title(match.candidates[0].item,
                                                              ctx.lang)))
    family = match.family
    if family is not None:
        # Five at most: a longer list is read on a phone as a wall.
        listed = [c.item for c in match.candidates[:MAX_LISTED]]
        ctx.session.update(options=[item.code for item in listed])
        return Reply(TEXTS.say("family", ctx.lang, family=family.name.pick(ctx.lang),
                               options=_numbered(listed, ctx.lang)))
    return Reply(TEXTS.say("clarify", ctx.lang,
                           options=_numbered([c.item for c in match.candidates], ctx.lang)))


MAX_LISTED = 5
"""Items at most in a family's numbered list."""


def reply_to_match(ctx: Context, match: Match, misses: int = 0) -> Reply:
    """Turn the matcher's decision into the reply, opening tickets only for real matters."""
    if match.outcome == "emergency" and match.emergency is not None:
        return raise_emergency(ctx, match)
    if match.outcome in ("greeting", "thanks", "smalltalk", "cancel"):
        return reply_to_chatter(ctx, match)
    if match.outcome == "item" and match.item is not None and match.garbage is not None:
        return Reply(compose_sorting(match.garbage, match.item, ctx.lang))
    if match.outcome == "item" and match.item is not None:
        return answer_item(ctx, match.item, match.text)
    if ctx.can_converse:  # Redis is up: count what the guide could not answer, redacted
        record_gap(ctx.services.redis, ctx.committee, match.text, match.outcome,
                   ctx.now().date())
    if match.outcome == "clarify" and not ctx.can_converse:
        # A numbered list needs the session to read the answer; offer the best guess instead.
        return answer_item(ctx, match.candidates[0].item, match.text)
    if match.outcome == "clarify" and match.candidates:
        return _offer_list(ctx, match)
    return reply_unanswered(ctx, match.text, misses + 1)


def _is_question(ctx: Context, part: str) -> bool:
    return ctx.matcher.match(part).outcome == "item"


def reply_to_several(ctx: Context, text: str) -> Reply | None:
    """Answer a message that asks several things at once, or None when it asks one."""
    parts = split_questions(text, lambda part: _is_question(ctx, part))
    if len(parts) < 2:
        return None
    matches = [ctx.matcher.match(part) for part in parts]
    sortings = [m.garbage for m in matches if m.garbage is not None]
    if len(sortings) == len(matches) and matches[0].item is not None:
        return Reply(compose_sortings(sortings, matches[0].item, ctx.lang))
    items: dict[str, Match] = {}
    for found in matches:
        if found.item is not None:
            items.setdefault(found.item.code, found)
    if len(items) < 2:
        return None
    first, *others = items.values()
    assert first.item is not None
    reply = reply_to_match(ctx, first)
    names = [title(m.item, ctx.lang) for m in others if m.item is not None]
    if ctx.session.flow == "handoff" or not ctx.can_converse:
        # The hand-off holds the conversation; the other matter waits until it is done.
        later = [TEXTS.say("also_asked_later", ctx.lang, item=name) for name in names]
        return Reply("\n\n".join([reply.text, *later]))
    ctx.session.start("clarify", options=list(items), text=text, lang=ctx.lang)
    offers = [TEXTS.say("also_asked", ctx.lang, item=name, number=number)
              for number, name in enumerate(names, 2)]
    return Reply("\n\n".join([reply.text, *offers]))


def _answer(text: str, ctx: Context, misses: int = 0) -> Reply:
    """Answer TEXT as a new question, MISSES unanswered ones having come just before."""
    rating = try_rating(ctx, text)
    if rating is not None:
        return rating
    match = ctx.matcher.match(text)
    if match.outcome in ("item", "clarify", "none"):
        several = reply_to_several(ctx, text)
        if several is not None:
            return several
    return reply_to_match(ctx, match, misses)


@routes.kind("text", "voice")
def answer_question(message: Incoming, ctx: Context) -> Reply:
    """Answer whatever the resident wrote or said."""
    if not message.text:
        return Reply(TEXTS.say("voice_unclear", ctx.lang))
    return _answer(message.text, ctx)


CONFIRM_WORDS = frozenset({"是", "是的", "对", "对的", "嗯", "嗯嗯", "好", "好的", "没错", "是啊",
                           "对呀", "yes", "yeah", "yep", "right", "correct", "ok", "okay"})
"""Replies that confirm a lone item offered with "did you mean ...?"."""


@routes.flow("clarify")
def choose_option(message: Incoming, ctx: Context) -> Reply:
    """Take the number the resident picked from a list, or treat the text as a new question."""
    options = [str(code) for code in ctx.session.get("options", [])]
    choice = message.text.strip().rstrip(".。、!！")
    if len(options) == 1 and choice.lower() in CONFIRM_WORDS:
        choice = "1"  # "是的" to "您是想问…吗？" means the one item offered
    ctx.lang = ctx.session.get("lang", ctx.lang) if choice.isdigit() else ctx.lang
    if choice.isdigit() and options and 1 <= int(choice) <= len(options):
        text = str(ctx.session.get("text", ""))
        ctx.session.end()
        try:
            item = ctx.guide.item(options[int(choice) - 1])
        except KeyError:
            return answer_question(message, ctx)
        return answer_item(ctx, item, text)
    if choice.isdigit() and options:
        return Reply(TEXTS.say("clarify_again", ctx.lang, count=len(options)))
    misses = int(ctx.session.get("misses", 0))
    lang = str(ctx.session.get("lang", ctx.lang))
    ctx.session.end()
    if is_cancel(choice):
        return Reply(TEXTS.say("list_cancelled", lang))
    if not message.text:
        return Reply(TEXTS.say("voice_unclear", ctx.lang))
    return _answer(message.text, ctx, misses)
