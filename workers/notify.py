"""Deliver notifications owed to staff through the WeChat API, and sweep up any left behind."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, select, update

from bot.records import Notification, TicketEvent, utcnow
from bot.services import current_services
from bot.wechat_api import WeChatApiError

log = logging.getLogger(__name__)

JOB = "workers.notify.deliver_notification"
CLAIM_TIMEOUT = timedelta(minutes=5)
"""A notification claimed longer ago than this lost its worker and is sent again."""


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
        if note.ticket_id is not None and status in ("sent", "failed"):
            kind = "notified" if status == "sent" else "notify_failed"
            session.add(TicketEvent(ticket_id=note.ticket_id, kind=kind, actor="system",
                                    note=f"notification {note.id}{': ' + error if error else ''}"))
        session.commit()


def deliver_notification(notification_id: int) -> str:
    """Send one notification; WeChat refusals are recorded, transient errors retried by RQ."""
    note = _claim(notification_id)
    if note is None:
        return "not pending"
    try:
        current_services().wechat.send_text(note.recipient_openid, note.body)
    except WeChatApiError as error:
        if error.is_undeliverable:
            # Outside the 48-hour window or over quota: retrying cannot help; say so on record.
            _settle(notification_id, "failed", str(error))
            return "undeliverable"
        _settle(notification_id, "pending", str(error))
        raise
    _settle(notification_id, "sent")
    return "sent"


def sweep_notifications(min_age_seconds: int = 30) -> int:
    """Queue pending notifications older than MIN_AGE_SECONDS and revive lost claims."""
    services = current_services()
    now = utcnow()
    with services.db.session() as session:
        session.execute(
            update(Notification)
            .where(Notification.status == "sending", Notification.claimed_at < now - CLAIM_TIMEOUT)
            .values(status="pending")
        )
        session.commit()
        ids = list(session.scalars(
            select(Notification.id).where(
                Notification.status == "pending",
                or_(Notification.created_at <= now - timedelta(seconds=min_age_seconds),
                    Notification.attempts > 0))
            .order_by(Notification.id)))
    queued = sum(1 for note_id in ids if services.jobs.enqueue(JOB, note_id))
    if queued:
        log.info("swept %d pending notifications", queued)
    return queued
