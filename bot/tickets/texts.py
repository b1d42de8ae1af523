"""The words of every message a ticket's life sends to residents and staff."""

from __future__ import annotations

from bot.core.calendar import LOCAL
from bot.core.texts import Texts
from bot.tickets.models import Status, Ticket, TicketEvent
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
    "resident_extended": ("您的工单 #{id}（{item}）需要多一些时间，预计 {due} 前办结。",
                          "Your ticket #{id} ({item}) needs a little longer; it should be done "
                          "by {due}."),
    "staff_new": ("工单 #{id} 已转交给您：{item}\n回复“工单 {id}”查看详情，“签收 {id}”接单。", ""),
    "staff_returned": ("工单 #{id}（{item}）被退回：{reason}\n请发送“转交 {id} 姓名”重新分派。",
                       ""),
    "staff_low_rating": ("工单 #{id}（{item}）居民评价 {rating} 分，已重新打开，请跟进。", ""),
    "staff_reminder": ("提醒：工单 #{id}（{item}）还没有签收。回复“签收 {id}”接单。", ""),
    "staff_at_risk": ("预警：工单 #{id}（{item}）将于 {due} 到期，尚未办结。", ""),
    "staff_overdue": ("超时：工单 #{id}（{item}）已于 {due} 超过办理时限，请立即跟进。", ""),
    "unreachable": ("注意：{names} 还没有绑定微信，收不到通知，请当面或电话告知。",
                    "Note: {names} has not bound WeChat and gets no notices; tell them in "
                    "person or by phone."),
    # Refusals of the ticket's rules, shown to whoever tried.
    "no_such_ticket": ("没有找到工单 #{id}。", "There is no ticket #{id}."),
    "not_yours": ("工单 #{id} 不是您负责的，不能操作。", "Ticket #{id} is not yours."),
    "wrong_status": ("工单 #{id} 当前状态为“{status}”，不能这样操作。",
                     "Ticket #{id} is {status}; that cannot be done now."),
    "no_such_colleague": ("没有名为“{name}”的在岗工作人员。",
                          "No active staff member is called '{name}'."),
    "extension_days": ("延期天数应为 1-{most} 个工作日。",
                       "An extension is 1-{most} working days."),
    "cannot_rate": ("这张工单现在不能评价。", "That ticket cannot be rated now."),
    "already_done": ("这张工单已经办结，不能取消。", "That ticket is already done."),
})


STATUS_NAMES: dict[str, tuple[str, str]] = {
    Status.NEW: ("待分派", "new"), Status.ASSIGNED: ("已分派", "assigned"),
    Status.ACCEPTED: ("已签收", "accepted"), Status.REOPENED: ("重新打开", "reopened"),
    Status.RESOLVED: ("已办结", "resolved"), Status.CLOSED: ("已关闭", "closed"),
    Status.CANCELLED: ("已取消", "cancelled"),
}
"""A ticket's status as staff read it."""


EVENT_NAMES = {
    "created": "登记", "assigned": "分派", "unassigned": "待分派", "accepted": "签收",
    "note": "备注", "resolved": "办结", "transferred": "转交", "returned": "退单",
    "extended": "延期", "rated": "评价", "reopened": "重新打开", "closed": "关闭",
    "cancelled": "取消", "reminded": "催办提醒", "at_risk": "到期预警", "overdue": "超时提醒",
    "notified": "已通知", "notify_failed": "通知未送达", "notify_uncertain": "通知送达未确认",
}
"""A ticket's history as staff read it (events are stored by kind)."""
ACTORS = {"system": "系统", "resident": "居民"}


def event_parts(event: TicketEvent) -> tuple[str, str, str, str]:
    """Return one event as staff read it: local time, who, what, and its note."""
    note = "" if event.kind == "created" else event.note  # created's note is the kind's code
    if event.kind.startswith("notif"):
        # Stored as "notification 14: why"; the number is for the database, the why for staff.
        note = note.partition(": ")[2]
    who = ACTORS.get(event.actor, event.actor.removeprefix("staff:"))
    return (f"{event.created_at.astimezone(LOCAL):%m-%d %H:%M}", who,
            EVENT_NAMES.get(event.kind, event.kind), note)


def history_line(event: TicketEvent) -> str:
    """Return one event as a line of the ticket's history: '12-02 15:40 示例·周 签收'."""
    return " ".join(part for part in event_parts(event) if part)


def status_name(status: str, lang: str = "zh") -> str:
    """Return STATUS as staff read it in LANG."""
    zh, en = STATUS_NAMES.get(status, (status, status))  # a Status hashes as its value
    return en if lang == "en" else zh


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


DETAIL_NAMES = {"location": "地点", "phone": "电话", "name": "称呼", "time": "方便时间",
                 "description": "情况", "reply": "补充"}


def staff_message(ticket: Ticket, item_name: str) -> str:
    """Return the notification a staff member receives for a new ticket."""
    urgent = "【紧急】" if ticket.is_urgent else ""
    lines = [f"{urgent}新工单 #{ticket.id}：{item_name}"]
    lines += [f"{DETAIL_NAMES.get(k, k)}：{v}" for k, v in ticket.details.items()]
    lines.append(f"居民原话：{ticket.request_text}")
    if ticket.due_at is not None and not ticket.is_urgent:
        lines.append(f"办理时限：{describe_time(ticket.due_at)}")
    lines.append(f"回复“签收 {ticket.id}”接单。")
    return "\n".join(lines)
