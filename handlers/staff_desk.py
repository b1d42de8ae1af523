"""Staff work their tickets from WeChat: to-do, detail, accept, note, resolve, transfer, extend."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from bot.core.privacy import mask_phone
from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.staff.roster import Staff
from bot.tickets.actions import (
    Action,
    accepting,
    act_on_ticket,
    acting_staff,
    extending,
    noting,
    resolving,
    returning,
    transferring,
)
from bot.tickets.lifecycle import find_ticket, may_handle
from bot.tickets.models import WORKING, Ticket
from bot.tickets.routing import describe_time
from bot.tickets.texts import DETAIL_NAMES, history_line, item_name, status_name
from bot.tickets.texts import TEXTS as TICKET_TEXTS
from bot.wechat.messages import Incoming, Reply
from handlers.duty import duty_today
from handlers.texts import STAFF_DESK
from handlers.volunteering import approve_volunteer

routes = Routes()
STAFF = ("staff",)
USAGE = STAFF_DESK.refuse("usage")


def _args(message: Incoming, count: int) -> list[str]:
    """Split 'word N rest...' into COUNT arguments after the command word."""
    parts = message.text.split(maxsplit=count)[1:]
    if len(parts) < count or not parts[0].lstrip("#").isdigit():
        raise USAGE
    parts[0] = parts[0].lstrip("#")
    return parts


def _me(session: DbSession, ctx: Context) -> Staff:
    return acting_staff(session, openid=ctx.message.openid)


def _act(ctx: Context, number: str, action: Action, done: str, **values: object) -> Reply:
    """Run ACTION on ticket NUMBER as the sender and answer DONE; the messages it owes follow."""
    outcome = act_on_ticket(ctx.services, ctx.committee, int(number), action,
                            openid=ctx.message.openid)
    due = outcome.ticket.due_at
    text = STAFF_DESK.say(done, "zh", id=number, due=describe_time(due) if due else "-", **values)
    if outcome.unreachable:
        text += "\n" + TICKET_TEXTS.say("unreachable", names="、".join(outcome.unreachable))
    return Reply(text)


@routes.command("签收", "accept", roles=STAFF)
def accept_ticket(message: Incoming, ctx: Context) -> Reply:
    """签收 N —— 接单，居民会收到通知"""
    [number] = _args(message, 1)
    return _act(ctx, number, accepting(ctx.now()), "accepted")


@routes.command("备注", "note", roles=STAFF)
def note_ticket(message: Incoming, ctx: Context) -> Reply:
    """备注 N 内容 —— 在工单记录里加一条备注"""
    number, text = _args(message, 2)
    return _act(ctx, number, noting(text, ctx.now()), "noted")


@routes.command("办结", "resolve", roles=STAFF)
def resolve_ticket(message: Incoming, ctx: Context) -> Reply:
    """办结 N 结果 —— 办结工单，居民会收到结果并被邀请评价"""
    number, result = _args(message, 2)
    return _act(ctx, number, resolving(result, ctx.now()), "resolved")


@routes.command("转交", "transfer", roles=STAFF)
def transfer_ticket(message: Incoming, ctx: Context) -> Reply:
    """转交 N 姓名 —— 把工单交给同事，对方会收到通知"""
    number, name = _args(message, 2)
    return _act(ctx, number, transferring(name.strip(), ctx.now()), "transferred",
                name=name.strip())


@routes.command("退单", "return", roles=STAFF)
def return_ticket(message: Incoming, ctx: Context) -> Reply:
    """退单 N 原因 —— 分错了的工单退回，由主任重新分派"""
    number, reason = _args(message, 2)
    return _act(ctx, number, returning(reason, ctx.now()), "returned")


@routes.command("延期", "extend", roles=STAFF)
def extend_ticket(message: Incoming, ctx: Context) -> Reply:
    """延期 N 天数 原因 —— 按工作日延长办理时限"""
    number, rest = _args(message, 2)
    days, _, reason = rest.partition(" ")
    if not days.isdigit() or not reason.strip():
        raise USAGE
    return _act(ctx, number, extending(int(days), reason.strip(), ctx.now()), "extended",
                days=days)


@routes.command("待办", "todo", roles=STAFF)
def my_todo(message: Incoming, ctx: Context) -> Reply:
    """待办 —— 我手上未办结的工单"""
    with ctx.services.db.session() as session:
        me = _me(session, ctx)
        # The director also sees what nobody holds: returned (退单) or never routed.
        holder = or_(Ticket.assignee_id == me.id, Ticket.assignee_id.is_(None)) \
            if me.is_director else Ticket.assignee_id == me.id
        tickets = session.scalars(select(Ticket).where(
            Ticket.committee == ctx.committee, holder, Ticket.status.in_(WORKING))
            .order_by(Ticket.due_at))
        rows = [STAFF_DESK.say("todo_line", id=t.id, item=item_name(t, ctx.guide),
                                status=status_name(t.status))
                + (STAFF_DESK.say("due", due=describe_time(t.due_at)) if t.due_at else "")
                for t in tickets]
    return Reply(STAFF_DESK.say("todo", lines="\n".join(rows)) if rows
                 else STAFF_DESK.say("todo_none"))


@routes.command("工单", "ticket", roles=STAFF)
def ticket_detail(message: Incoming, ctx: Context) -> Reply:
    """工单 N —— 查看工单详情和处理记录"""
    [number] = _args(message, 1)
    with ctx.services.db.session() as session:
        me = _me(session, ctx)
        ticket = find_ticket(session, ctx.committee, int(number))
        # Residents' contacts are for whoever handles the ticket, not every colleague.
        mine = may_handle(ticket, me)
        lines = [STAFF_DESK.say("detail_head", id=ticket.id, item=item_name(ticket, ctx.guide),
                                status=status_name(ticket.status))]
        for key, value in ticket.details.items():
            shown = value if mine or key != "phone" else mask_phone(str(value))
            lines.append(STAFF_DESK.say("detail_field", field=DETAIL_NAMES.get(key, key),
                                        value=shown))
        lines.append(STAFF_DESK.say("detail_words", text=ticket.request_text))
        if ticket.due_at:
            lines.append(STAFF_DESK.say("detail_due", due=describe_time(ticket.due_at)))
        lines += [STAFF_DESK.say("detail_event", event=history_line(e)) for e in ticket.events]
    return Reply("\n".join(lines))


@routes.command("帮助", "help", roles=STAFF)
def staff_help(message: Incoming, ctx: Context) -> Reply:
    """帮助 —— 显示这份指令说明"""
    docs = [fn.__doc__ or "" for fn in (my_todo, ticket_detail, accept_ticket, note_ticket,
                                        resolve_ticket, transfer_ticket, return_ticket,
                                        extend_ticket, duty_today, approve_volunteer,
                                        staff_help)]
    return Reply(STAFF_DESK.say("help", commands="\n".join(d.strip() for d in docs)))
