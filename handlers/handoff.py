"""Hand a matter to staff: collect what the item needs, then open a ticket and notify its line."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session as DbSession

from bot.assign import Routed, director_of, recipients_for, route_ticket
from bot.context import Context
from bot.messages import Incoming, Reply
from bot.records import Ticket
from bot.router import Routes
from bot.routing import describe_time, find_building
from bot.tickets import TicketRequest, open_ticket
from handlers.texts import TEXTS
from knowledge.models import Item

routes = Routes()

CANCEL_WORDS = frozenset({"取消", "算了", "不用了", "不要了", "cancel", "stop", "quit"})
PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{8})(?!\d)")
DEFAULT_TIME_LIMIT = 5
_DETAIL_NAMES = {"location": "地点", "phone": "电话", "name": "称呼", "time": "方便时间",
                 "description": "情况"}


def staff_message(ticket: Ticket, item_name: str) -> str:
    """Return the notification a staff member receives for a new ticket."""
    urgent = "【紧急】" if ticket.is_urgent else ""
    lines = [f"{urgent}新工单 #{ticket.id}：{item_name}"]
    lines += [f"{_DETAIL_NAMES.get(k, k)}：{v}" for k, v in ticket.details.items()]
    lines.append(f"居民原话：{ticket.request_text}")
    if ticket.due_at is not None and not ticket.is_urgent:
        lines.append(f"办理时限：{describe_time(ticket.due_at)}")
    lines.append(f"回复“签收 {ticket.id}”接单。")
    return "\n".join(lines)


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

    def on_open(session: DbSession, ticket: Ticket) -> list[tuple[str, str]]:
        assignee = route_ticket(session, ticket, ctx.now(), days, routed)
        director = director_of(session, ticket.committee)
        body = staff_message(ticket, name)
        return [(r, body) for r in recipients_for(assignee, director, is_urgent, fallback)]

    opened = open_ticket(ctx.services.db, request, on_open, ctx.now())
    ctx.queue_notifications(opened.notification_ids)
    return opened.ticket


def start_handoff(ctx: Context, item: Item, text: str) -> Reply:
    """Begin collecting what ITEM needs from the resident, or open the ticket at once."""
    details: dict[str, str] = {}
    phone = PHONE.search(text)
    if "phone" in item.needs and phone:
        details["phone"] = phone.group(1)
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
    ctx.session.end()
    line = item.line or ctx.guide.committee.front_desk_line
    routed = Routed()
    ticket = raise_ticket(ctx, "handoff", line, text, item, details, routed=routed)
    line_name = ctx.guide.lines[line].name.pick(ctx.lang) if line in ctx.guide.lines else line
    done = TEXTS.say("handed_off", ctx.lang, ticket=ticket.id, line=line_name,
                     days=item.time_limit_days or DEFAULT_TIME_LIMIT)
    if not routed.is_open_now and routed.opens_at is not None:
        done += TEXTS.say("after_hours", ctx.lang, opens=describe_time(routed.opens_at, ctx.lang))
    if ticket.due_at is not None:
        done += TEXTS.say("due_by", ctx.lang, due=describe_time(ticket.due_at, ctx.lang))
    return Reply(f"{intro}\n{done}" if intro else done)


@routes.flow("handoff")
def continue_handoff(message: Incoming, ctx: Context) -> Reply:
    """Take the resident's answer to the detail asked for, or cancel."""
    ctx.lang = ctx.session.get("lang", ctx.lang)
    answer = message.text.strip()
    if message.kind not in ("text", "voice") or not answer:
        return Reply(TEXTS.say(f"ask_{ctx.session.get('asking', 'description')}", ctx.lang))
    if answer.lower().strip(" .!。！") in CANCEL_WORDS:
        ctx.session.end()
        return Reply(TEXTS.say("cancelled", ctx.lang))
    try:
        item = ctx.guide.item(str(ctx.session.get("item")))
    except KeyError:
        # The guide was reloaded without this item: hand it to the front desk as it is.
        ctx.session.end()
        ticket = raise_ticket(ctx, "general", ctx.guide.committee.front_desk_line, answer)
        return Reply(TEXTS.say("none", ctx.lang, ticket=ticket.id,
                               phone=ctx.guide.committee.phone))
    details = dict(ctx.session.get("details", {}))
    asking = str(ctx.session.get("asking", ""))
    if asking == "phone":
        phone = PHONE.search(answer.replace(" ", ""))
        if not phone:
            return Reply(TEXTS.say("bad_phone", ctx.lang))
        details["phone"] = phone.group(1)
    elif len(answer) < 2:
        return Reply(TEXTS.say("too_short", ctx.lang))
    else:
        details[asking or "description"] = answer
    return _next_step(ctx, item, details, str(ctx.session.get("text", answer)))
