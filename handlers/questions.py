"""Residents' questions: match them to the guide and answer, refer, hand off or ask which."""

from __future__ import annotations

from bot.context import Context
from bot.gaps import record_gap
from bot.messages import Incoming, Reply
from bot.router import Routes
from handlers.answers import compose_answer, compose_referral, compose_sorting, title
from handlers.duty import duty_summary
from handlers.handoff import raise_ticket, start_handoff
from handlers.rating import try_rating
from handlers.texts import TEXTS
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


def reply_to_match(ctx: Context, match: Match) -> Reply:
    """Turn the matcher's decision into the reply, opening tickets where it must."""
    if match.outcome == "emergency" and match.emergency is not None:
        ticket = raise_ticket(ctx, "emergency", ctx.guide.committee.front_desk_line, match.text,
                              is_urgent=True)
        hotlines = " / ".join(match.emergency.hotlines)
        return Reply(TEXTS.say("emergency", ctx.lang, hotlines=hotlines, ticket=ticket.id))
    if match.outcome in ("greeting", "thanks"):
        return Reply(TEXTS.say(match.outcome, ctx.lang, **_committee_names(ctx)))
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
    if match.outcome == "clarify":
        codes = [c.item.code for c in match.candidates]
        ctx.session.start("clarify", options=codes, text=match.text, lang=ctx.lang)
        if len(match.candidates) == 1:
            return Reply(TEXTS.say("confirm", ctx.lang, item=title(match.candidates[0].item,
                                                                  ctx.lang)))
        options = "\n".join(f"{i}. {title(c.item, ctx.lang)}"
                            for i, c in enumerate(match.candidates, 1))
        return Reply(TEXTS.say("clarify", ctx.lang, options=options))
    ticket = raise_ticket(ctx, "general", ctx.guide.committee.front_desk_line, match.text)
    return Reply(TEXTS.say("none", ctx.lang, ticket=ticket.id, phone=ctx.guide.committee.phone))


@routes.kind("text", "voice")
def answer_question(message: Incoming, ctx: Context) -> Reply:
    """Answer whatever the resident wrote or said."""
    if not message.text:
        return Reply(TEXTS.say("voice_unclear", ctx.lang))
    rating = try_rating(ctx, message.text)
    if rating is not None:
        return rating
    return reply_to_match(ctx, ctx.matcher.match(message.text))


@routes.flow("clarify")
def choose_option(message: Incoming, ctx: Context) -> Reply:
    """Take the number the resident picked from a list, or treat the text as a new question."""
    options = [str(code) for code in ctx.session.get("options", [])]
    choice = message.text.strip().rstrip(".。、")
    ctx.lang = ctx.session.get("lang", ctx.lang) if choice.isdigit() else ctx.lang
    if choice.isdigit() and 1 <= int(choice) <= len(options):
        text = str(ctx.session.get("text", ""))
        ctx.session.end()
        try:
            item = ctx.guide.item(options[int(choice) - 1])
        except KeyError:
            return answer_question(message, ctx)
        return answer_item(ctx, item, text)
    if choice.isdigit():
        return Reply(TEXTS.say("clarify_again", ctx.lang, count=len(options)))
    ctx.session.end()
    return answer_question(message, ctx)
