"""A resident asks after their own tickets, and never sees anyone else's."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Incoming, Reply
from bot.router import Routes
from bot.tickets import tickets_of_resident
from handlers.texts import STATUS_NAMES, TEXTS

routes = Routes()


@routes.command("我的工单", "工单进度", "进度", "查询进度", "my tickets", "my ticket",
                 "ticket status")
@routes.menu("my_tickets")
def my_tickets(message: Incoming, ctx: Context) -> Reply:
    """List the sender's latest tickets with their status."""
    tickets = tickets_of_resident(ctx.services.db, ctx.committee, message.openid)
    if not tickets:
        return Reply(TEXTS.say("no_tickets", ctx.lang))
    lines = []
    names = {item.code: item.name.pick(ctx.lang) for item in ctx.guide.items}
    for ticket in tickets:
        name = names.get(ticket.item_code or "", ticket.request_text[:12])
        zh, en = STATUS_NAMES.get(ticket.status, (ticket.status, ticket.status))
        lines.append(TEXTS.say("ticket_line", ctx.lang, id=ticket.id, name=name,
                               status=en if ctx.lang == "en" else zh,
                               date=ticket.created_at.strftime("%m-%d")))
    return Reply(TEXTS.say("my_tickets", ctx.lang, lines="\n".join(lines)))
