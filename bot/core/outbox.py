"""Every message owed to a resident, staff member or volunteer: written in the transaction of
the change that causes it, and queued for delivery only once that transaction commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.core.models import Base, utcnow

AUDIENCES = ("staff", "resident")
_OWED = "linli.owed"
"""Where a session keeps what it owes until its transaction ends."""


class Notification(Base):
    """A WeChat message owed to someone; kept until delivered, so Redis going away loses none."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    recipient_openid: Mapped[str] = mapped_column(String(64))
    # Residents and staff alike may only be messaged within 48 hours of writing to us.
    audience: Mapped[str] = mapped_column(String(16), default="staff")  # staff | resident
    body: Mapped[str] = mapped_column(Text)
    # pending | sending | sent | failed | uncertain (a send interrupted: never retried, shown)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a worker takes it; a claim older than a few minutes was lost with its worker.
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


def owe(session: Session, to: str, body: str, *, audience: str = "staff",
        ticket_id: int | None = None) -> Notification:
    """Owe BODY to TO in SESSION's transaction; it is queued for delivery once that commits."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    note = Notification(ticket_id=ticket_id, recipient_openid=to, audience=audience, body=body)
    session.add(note)
    session.info.setdefault(_OWED, []).append(note)
    return note


@dataclass(frozen=True)
class Owed:
    """A message owed but not yet written: what a rule that touches no session returns."""

    to: str
    body: str
    audience: str = "staff"
    ticket_id: int | None = None


def owe_all(session: Session, owed: Iterable[Owed]) -> list[Notification]:
    """Owe every message in OWED in SESSION's transaction."""
    return [owe(session, o.to, o.body, audience=o.audience, ticket_id=o.ticket_id) for o in owed]


def deliver_after_commit(sessions: sessionmaker[Session],
                         queue: Callable[[list[int]], None]) -> None:
    """Make every session SESSIONS opens hand what it owed to QUEUE once its transaction commits."""

    @event.listens_for(sessions, "after_commit")
    def _queue(session: Session) -> None:
        # After the commit, so a worker never looks for a notification not yet stored; what
        # cannot be queued (Redis down) stays pending in the database for the worker's sweep.
        owed = session.info.pop(_OWED, [])
        ids = [note.id for note in owed if note.id is not None]
        if ids:
            queue(ids)

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_OWED, None)
