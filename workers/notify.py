"""Deliver notifications owed to staff through the WeChat API, and sweep up any left behind."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from bot.core.conversation import window_key
from bot.core.jobs import NOTIFY_JOB
from bot.core.models import utcnow
from bot.core.outbox import Notification
from bot.core.services import current_services
from bot.tickets.models import TicketEvent
from bot.wechat.api import WeChatApiError

log = logging.getLogger(__name__)

JOB = NOTIFY_JOB
WINDOW_QUOTA = 5
"""WeChat allows five customer-service messages per 48-hour window."""
CLAIM_TIMEOUT = timedelta(minutes=1)
"""A claim older than this lost its worker, maybe after WeChat took the message: 'uncertain'."""
SWEEP_MIN_AGE = 30
"""Seconds a new pending notification is left to the job its writer queued before a sweep."""
UNCERTAIN = "发送中断，无法确认是否送达（为免重复不再重发）"
"""Recorded on a lost claim: WeChat has no idempotency key, so we never risk sending twice."""


def _claim(notification_id: int) -> Notification | None:
    """Mark a pending notification as being sent; None if another worker has it."""
    db = current_services().db
    with db.session() as session:
        result = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == "pending")
            .values(status="sending", claimed_at=utcnow(), attempts=Notification.attempts + 1)
        )
        session.commit()
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return session.get(Notification, notification_id)


def _settle(notification_id: int, status: str, error: str = "") -> None:
    db = current_services().db
    with db.session() as session:
        note = session.get(Notification, notification_id)
        if note is None:
            return
        note.status, note.last_error = status, error
        if status == "sent":
            note.sent_at = utcnow()
        kind = {"sent": "notified", "failed": "notify_failed",
                "uncertain": "notify_uncertain"}.get(status)
        if note.ticket_id is not None and kind is not None:
            session.add(TicketEvent(ticket_id=note.ticket_id, kind=kind, actor="system",
                                    note=f"notification {note.id}{': ' + error if error else ''}"))
        session.commit()


def deliver_notification(notification_id: int) -> str:
    """Send one notification at most once; refusals are recorded, transient errors retried."""
    # The claim is committed before WeChat is called and 'sent' after it, so a re-run of this
    # job (RQ re-queues abandoned jobs; the sweep may queue it again) finds no pending claim.
    note = _claim(notification_id)
    if note is None:
        return "not pending"
    services = current_services()
    try:
        if note.audience == "resident" and not _take_window_slot(note.recipient_openid):
            return _outside_window(note, "48小时窗口已关闭或已达5条上限")
        services.wechat.send_text(note.recipient_openid, note.body)
    except WeChatApiError as error:
        if error.is_undeliverable:
            return _outside_window(note, str(error))
        _settle(notification_id, "pending", str(error))
        raise
    _settle(notification_id, "sent")
    return "sent"


def _take_window_slot(openid: str) -> bool:
    """Count one message against OPENID's 48-hour window; False when it is closed or used up."""
    redis = current_services().redis
    if not redis.exists(window_key(openid)):
        return False
    # INCR keeps the key's TTL: the window still closes 48 hours after the resident wrote.
    return int(redis.incr(window_key(openid))) <= WINDOW_QUOTA


def _outside_window(note: Notification, reason: str) -> str:
    """Fall back to a template message where one is configured; otherwise record the failure."""
    services = current_services()
    template = services.settings.template_id
    if template:
        try:
            services.wechat.send_template(note.recipient_openid, template, {
                "thing1": {"value": note.body.split("\n", 1)[0][:20]},
                "time2": {"value": f"{services.now():%Y-%m-%d %H:%M}"},
            })
        except WeChatApiError as error:
            reason = f"{reason}; template: {error}"
        else:
            _settle(note.id, "sent")
            return "sent as template"
    # Nothing more can reach them: keep the reason on record rather than fail silently.
    _settle(note.id, "failed", reason)
    return "undeliverable"


def sweep_notifications(min_age_seconds: int = SWEEP_MIN_AGE) -> int:
    """Queue pending notifications older than MIN_AGE_SECONDS; settle lost claims as uncertain."""
    services = current_services()
    now = utcnow()
    with services.db.session() as session:
        lost = list(session.scalars(select(Notification.id).where(
            Notification.status == "sending", Notification.claimed_at < now - CLAIM_TIMEOUT)))
        ids = list(session.scalars(
            select(Notification.id).where(
                Notification.status == "pending",
                or_(Notification.created_at <= now - timedelta(seconds=min_age_seconds),
                    Notification.attempts > 0))
            .order_by(Notification.id)))
    for note_id in lost:
        _abandon(note_id, now - CLAIM_TIMEOUT)
    queued = sum(1 for note_id in ids if services.jobs.enqueue(JOB, note_id))
    if queued:
        log.info("swept %d pending notifications", queued)
    return queued


def _abandon(notification_id: int, claimed_before: datetime) -> None:
    """Record a claim whose worker died as 'uncertain' (on its ticket too), never resend it."""
    # The worker may have died after WeChat accepted the message and before 'sent' was written;
    # at most once beats a duplicate alert, and staff see 'uncertain' on the ticket to follow up.
    with current_services().db.session() as session:
        taken = session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == "sending",
                   Notification.claimed_at < claimed_before)
            .values(status="uncertain"))
        session.commit()
    if taken.rowcount == 1:  # type: ignore[attr-defined]
        log.warning("notification %d: its worker died while sending; marked uncertain",
                    notification_id)
        _settle(notification_id, "uncertain", UNCERTAIN)
