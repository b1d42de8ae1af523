"""The words of every message a ticket's life sends to residents and staff."""

from __future__ import annotations

from bot.core.texts import Texts
from bot.tickets.models import Ticket
from bot.tickets.routing import describe_time
from knowledge.models import Guide

TEXTS = Texts({
    "resident_accepted": ("您的工单 #{id}（{item}）已由工作人员签收，正在处理。",
                          "Your ticket #{id} ({item}) has been accepted and is being handled."),
    "resident_resolved": (
        "您的工单 #{id}（{item}）已办结：{result}\n请回复数字 1-5 为这次服务打分（5 分最满意）。",
        "Your ticket #{id} ({item}) is resolved: {result}\nPlease rate our service: reply "
        "with a number from 1 to 5 (5 is best).",
    ),
    "staff_new": ("工单 #{id} 已转交给您：{item}\n回复“工单 {id}”查看详情，“签收 {id}”接单。", ""),
    "staff_returned": ("工单 #{id}（{item}）被退回：{reason}\n请发送“转交 {id} 姓名”重新分派。",
                       ""),
    "staff_low_rating": ("工单 #{id}（{item}）居民评价 {rating} 分，已重新打开，请跟进。", ""),
    "staff_reminder": ("提醒：工单 #{id}（{item}）还没有签收。回复“签收 {id}”接单。", ""),
    "staff_at_risk": ("预警：工单 #{id}（{item}）将于 {due} 到期，尚未办结。", ""),
    "staff_overdue": ("超时：工单 #{id}（{item}）已于 {due} 超过办理时限，请立即跟进。", ""),
})


def item_name(ticket: Ticket, guide: Guide, lang: str = "zh") -> str:
    """Return the name of the matter a ticket is about."""
    for item in guide.items:
        if item.code == ticket.item_code:
            return item.name.pick(lang)
    return {"emergency": ("紧急求助", "emergency"), "general": ("居民留言", "message")}.get(
        ticket.kind, (ticket.kind, ticket.kind))[lang == "en"]


def _last_note(ticket: Ticket, kind: str) -> str:
    return next((e.note for e in reversed(ticket.events) if e.kind == kind), "")


def compose(key: str, ticket: Ticket, guide: Guide) -> str:
    """Word message KEY about TICKET, in the resident's language when it goes to them."""
    lang = ticket.lang if key.startswith("resident_") else "zh"
    return TEXTS.say(
        key, lang, id=ticket.id, item=item_name(ticket, guide, lang),
        result=_last_note(ticket, "resolved"), reason=_last_note(ticket, "returned"),
        rating=ticket.rating or "", due=describe_time(ticket.due_at) if ticket.due_at else "")


_DETAIL_NAMES = {"location": "地点", "phone": "电话", "name": "称呼", "time": "方便时间",
                 "description": "情况", "reply": "补充"}


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
