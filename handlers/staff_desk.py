"""Staff work their tickets from WeChat: to-do, detail, accept, note, resolve, transfer, extend."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from bot.core.calendar import LOCAL
from bot.core.errors import RefusalError
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
from bot.tickets.texts import item_name
from bot.wechat.messages import Incoming, Reply
from handlers.duty import duty_today

routes = Routes()
STAFF = ("staff",)
USAGE = RefusalError("格式不对。发送“帮助”查看指令的写法。", "Wrong format: send 'help'.")


def _args(message: Incoming, count: int) -> list[str]:
    """Split 'word N rest...' into COUNT arguments after the command word."""
    parts = message.text.split(maxsplit=count)[1:]
    if len(parts) < count or not parts[0].lstrip("#").isdigit():
        raise USAGE
    parts[0] = parts[0].lstrip("#")
    return parts


def _me(session: DbSession, ctx: Context) -> Staff:
    return acting_staff(session, openid=ctx.message.openid)


def _act(ctx: Context, number: str, action: Action, done: str) -> Reply:
    """Run ACTION on ticket NUMBER as the sender; the messages it owes are queued."""
    act_on_ticket(ctx.services, ctx.committee, int(number), action, openid=ctx.message.openid)
    return Reply(done.format(id=number))


@routes.command("签收", "accept", roles=STAFF)
def accept_ticket(message: Incoming, ctx: Context) -> Reply:
    """签收 N —— 接单，居民会收到通知"""
    [number] = _args(message, 1)
    return _act(ctx, number, accepting(ctx.now()), "已签收工单 #{id}，已通知居民。")


@routes.command("备注", "note", roles=STAFF)
def note_ticket(message: Incoming, ctx: Context) -> Reply:
    """备注 N 内容 —— 在工单记录里加一条备注"""
    number, text = _args(message, 2)
    return _act(ctx, number, noting(text, ctx.now()), "已为工单 #{id} 添加备注。")


@routes.command("办结", "resolve", roles=STAFF)
def resolve_ticket(message: Incoming, ctx: Context) -> Reply:
    """办结 N 结果 —— 办结工单，居民会收到结果并被邀请评价"""
    number, result = _args(message, 2)
    return _act(ctx, number, resolving(result, ctx.now()), "工单 #{id} 已办结，已通知居民评价。")


@routes.command("转交", "transfer", roles=STAFF)
def transfer_ticket(message: Incoming, ctx: Context) -> Reply:
    """转交 N 姓名 —— 把工单交给同事，对方会收到通知"""
    number, name = _args(message, 2)
    return _act(ctx, number, transferring(name.strip(), ctx.now()),
                f"工单 #{{id}} 已转交{name.strip()}。")


@routes.command("退单", "return", roles=STAFF)
def return_ticket(message: Incoming, ctx: Context) -> Reply:
    """退单 N 原因 —— 分错了的工单退回，由主任重新分派"""
    number, reason = _args(message, 2)
    return _act(ctx, number, returning(reason, ctx.now()), "工单 #{id} 已退回，等待重新分派。")


@routes.command("延期", "extend", roles=STAFF)
def extend_ticket(message: Incoming, ctx: Context) -> Reply:
    """延期 N 天数 原因 —— 按工作日延长办理时限"""
    number, rest = _args(message, 2)
    days, _, reason = rest.partition(" ")
    if not days.isdigit() or not reason.strip():
        raise USAGE
    return _act(ctx, number, extending(int(days), reason.strip(), ctx.now()),
                f"工单 #{{id}} 已延期 {days} 个工作日。")


@routes.command("待办", "todo", roles=STAFF)
def my_todo(message: Incoming, ctx: Context) -> Reply:
    """待办 —— 我手上未办结的工单"""
    with ctx.services.db.session() as session:
        me = _me(session, ctx)
        tickets = session.scalars(select(Ticket).where(
            Ticket.assignee_id == me.id, Ticket.status.in_(WORKING)).order_by(Ticket.due_at))
        rows = [f"#{t.id} {item_name(t, ctx.guide)} · {t.status}"
                + (f" · 时限{describe_time(t.due_at)}" if t.due_at else "") for t in tickets]
    return Reply("您的待办：\n" + "\n".join(rows) if rows else "您目前没有待办工单。")


@routes.command("工单", "ticket", roles=STAFF)
def ticket_detail(message: Incoming, ctx: Context) -> Reply:
    """工单 N —— 查看工单详情和处理记录"""
    [number] = _args(message, 1)
    with ctx.services.db.session() as session:
        me = _me(session, ctx)
        ticket = find_ticket(session, ctx.committee, int(number))
        # Residents' contacts are for whoever handles the ticket, not every colleague.
        mine = may_handle(ticket, me)
        lines = [f"工单 #{ticket.id}：{item_name(ticket, ctx.guide)} · {ticket.status}"]
        for key, value in ticket.details.items():
            shown = value if mine or key != "phone" else mask_phone(str(value))
            lines.append(f"{key}：{shown}")
        lines.append(f"居民原话：{ticket.request_text}")
        if ticket.due_at:
            lines.append(f"时限：{describe_time(ticket.due_at)}")
        lines += [f"· {e.created_at.astimezone(LOCAL):%m-%d %H:%M} {e.kind} {e.actor} {e.note}"
                  for e in ticket.events]
    return Reply("\n".join(lines))


@routes.command("帮助", "help", roles=STAFF)
def staff_help(message: Incoming, ctx: Context) -> Reply:
    """帮助 —— 显示这份指令说明"""
    docs = [fn.__doc__ or "" for fn in (my_todo, ticket_detail, accept_ticket, note_ticket,
                                        resolve_ticket, transfer_ticket, return_ticket,
                                        extend_ticket, duty_today, staff_help)]
    return Reply("工作人员指令（N 为工单号）：\n" + "\n".join(d.strip() for d in docs))
