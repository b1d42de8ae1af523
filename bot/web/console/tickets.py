"""The ticket board and ticket pages: the actions staff have in WeChat, behind the same rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.core.errors import RefusalError
from bot.core.privacy import mask_phone
from bot.staff.accounts import sees_everything
from bot.staff.roster import Staff, active_staff
from bot.tickets.actions import (
    Action,
    accepting,
    act_on_ticket,
    extending,
    noting,
    resolving,
    returning,
    transferring,
)
from bot.tickets.lifecycle import MAX_EXTENSION_DAYS, may_handle
from bot.tickets.models import WORKING, Ticket
from bot.tickets.routing import describe_time
from bot.tickets.texts import STATUS_NAMES as TICKET_STATUS
from bot.tickets.texts import TEXTS, event_parts, item_name
from bot.web.console.auth import committee, console, login_required, services

STATUS_NAMES = {status: f"{zh} {en.capitalize()}" for status, (zh, en) in TICKET_STATUS.items()}
"""The board's status labels, read off the ticket domain's one table."""
DETAIL_NAMES = {"location": "地点 Location", "phone": "电话 Phone", "name": "称呼 Name",
                "time": "方便时间 Time", "description": "情况 Details"}
MISSING = "请把表单填写完整。Please fill in the form."
DONE = {"accept": "已签收，已通知居民。Accepted; the resident is told.",
        "note": "已添加备注。Note added.",
        "resolve": "已办结，已通知居民评价。Resolved; the resident is asked to rate.",
        "transfer": "已转交，对方会收到通知。Transferred; your colleague is told.",
        "return": "已退回，等待主任重新分派。Returned to the director.",
        "extend": "已延期。Time limit extended."}


def _age(delta: timedelta) -> str:
    """Return a duration as staff read it: '2天3小时', '45分钟'."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, hours = minutes // (24 * 60), minutes % (24 * 60) // 60
    if days:
        return f"{days}天{hours}小时"
    return f"{hours}小时{minutes % 60}分钟" if hours else f"{minutes}分钟"


def _is_overdue(ticket: Ticket, now: datetime) -> bool:
    return ticket.status in WORKING and ticket.due_at is not None and ticket.due_at < now


def _may_open(ticket: Ticket, staff: Staff) -> bool:
    """The director, administrators and the assignee; other staff have no business with it."""
    return sees_everything(staff) or ticket.assignee_id == staff.id


def _staff_names() -> dict[int, str]:
    rows = g.db_session.execute(select(Staff.id, Staff.name).where(
        Staff.committee == committee()))
    return {staff_id: name for staff_id, name in rows}


def _board_filters() -> dict[str, str]:
    keys = ("line", "staff", "building", "overdue", "status")
    return {key: request.args.get(key, "").strip() for key in keys}


@console.get("/tickets")
@login_required
def tickets() -> str:
    """The board of open tickets by status, filtered by line, staff, building and overdue."""
    me: Staff = g.staff
    everything = sees_everything(me)
    wanted = _board_filters()
    query = select(Ticket).where(Ticket.committee == committee()).order_by(Ticket.created_at)
    statuses = (wanted["status"],) if wanted["status"] in STATUS_NAMES else WORKING
    query = query.where(Ticket.status.in_(statuses))
    if not everything:  # staff see their own tickets, and may filter within them
        query = query.where(Ticket.assignee_id == me.id)
    if wanted["line"]:
        query = query.where(Ticket.line == wanted["line"])
    if wanted["staff"].isdigit():
        query = query.where(Ticket.assignee_id == int(wanted["staff"]))
    if wanted["building"]:
        query = query.where(Ticket.building == wanted["building"])
    now = services().now()
    rows = [t for t in g.db_session.scalars(query)
            if wanted["overdue"] != "1" or _is_overdue(t, now)]
    guide = services().index.guide
    groups = [(status, [t for t in rows if t.status == status]) for status in statuses]
    return render_template(
        "console/tickets.html", groups=[(s, ts) for s, ts in groups if ts], total=len(rows),
        wanted=wanted, everything=everything, status_names=STATUS_NAMES,
        lines={code: line.name.zh for code, line in guide.lines.items()},
        staff=active_staff(g.db_session, committee()), names=_staff_names(),
        item=lambda t: item_name(t, guide), age=lambda t: _age(now - t.created_at),
        overdue=lambda t: _is_overdue(t, now), when=describe_time)


def _open_ticket(number: int) -> Ticket:
    """Return ticket NUMBER if the signed-in staff member may open it: 404 or 403 otherwise."""
    ticket: Ticket | None = g.db_session.get(Ticket, number)
    if ticket is None or ticket.committee != committee():
        abort(404, "没有这张工单。No such ticket.")
    if not _may_open(ticket, g.staff):
        abort(403, "这张工单不是您负责的。This ticket is not yours.")
    return ticket


@console.get("/tickets/<int:number>")
@login_required
def ticket(number: int) -> str:
    """One ticket: the resident's request, details, history, time limit and the actions."""
    record = _open_ticket(number)
    me: Staff = g.staff
    now = services().now()
    # Only those who may open the page get here; mask anyway if that rule ever widens.
    personal = _may_open(record, me)
    details = [(DETAIL_NAMES.get(key, key),
                str(value) if personal or key != "phone" else mask_phone(str(value)))
               for key, value in record.details.items()]
    events = [(when, what, who, note) for when, who, what, note in map(event_parts, record.events)]
    colleagues = [s for s in active_staff(g.db_session, committee()) if s.id != record.assignee_id]
    return render_template(
        "console/ticket.html", t=record, item=item_name(record, services().index.guide),
        status=STATUS_NAMES.get(record.status, record.status), details=details, events=events,
        personal=personal, handles=may_handle(record, me), is_open=record.status in WORKING,
        overdue=_is_overdue(record, now), age=_age(now - record.created_at),
        due=describe_time(record.due_at) if record.due_at else "", names=_staff_names(),
        colleagues=colleagues, max_days=MAX_EXTENSION_DAYS)


def _action(kind: str, form: Any, now: datetime) -> Action | None:
    """Build the lifecycle action a form asks for, None when the form lacks what it needs."""
    text = (form.get("text") or "").strip()
    builders: dict[str, Callable[[], Action | None]] = {
        "accept": lambda: accepting(now),
        "note": lambda: noting(text, now) if text else None,
        "resolve": lambda: resolving(text, now) if text else None,
        "transfer": lambda: transferring(text, now) if text else None,
        "return": lambda: returning(text, now) if text else None,
        "extend": lambda: extending(int(form["days"]), text, now)
        if text and (form.get("days") or "").isdigit() else None,
    }
    if kind not in builders:
        abort(404)
    return builders[kind]()


@console.post("/tickets/<int:number>/<kind>")
@login_required
def act(number: int, kind: str) -> Response:
    """Run one action on a ticket as the signed-in staff member, then show the ticket again."""
    record = _open_ticket(number)  # the page's access rule guards its forms too
    action = _action(kind, request.form, services().now())
    if action is None:
        flash(MISSING, "error")
        return redirect(url_for("console.ticket", number=number))
    try:
        outcome = act_on_ticket(services(), committee(), number, action, staff_id=g.staff.id)
    except RefusalError as refusal:
        flash(refusal.text("zh"), "error")
    else:
        flash(DONE[kind], "ok")
        if outcome.unreachable:
            flash(TEXTS.say("unreachable", names="、".join(outcome.unreachable)), "error")
        g.db_session.refresh(record)
        if not _may_open(record, g.staff):  # transferred or returned: no longer this page's
            return redirect(url_for("console.tickets"))
    return redirect(url_for("console.ticket", number=number))
