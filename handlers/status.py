"""A resident asks after their own tickets, and never sees anyone else's."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.tickets.lifecycle import cancel, find_ticket
from bot.tickets.opening import tickets_of_resident
from bot.wechat.messages import Incoming, Reply
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


@routes.command("取消工单", "cancel ticket")
def cancel_ticket(message: Incoming, ctx: Context) -> Reply:
    """Withdraw one of the sender's own open tickets: '取消工单 12'."""
    number = message.text.split()[-1].lstrip("#")
    if not number.isdigit():
        raise TEXTS.refuse("cancel_usage")
    with ctx.services.db.session() as session:
        cancel(find_ticket(session, ctx.committee, int(number)), message.openid, ctx.now())
        session.commit()
    return Reply(TEXTS.say("ticket_cancelled", ctx.lang, ticket=number))
