"""The records that must never be lost: tickets and their history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.core.models import Base, utcnow
from bot.staff import roster as _staff  # noqa: F401 - tickets.assignee_id refers to staff.id


class Status(StrEnum):
    """Where a ticket stands, stored as its value."""

    NEW = "new"  # not yet with anyone: routing found nobody, or it came back
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    REOPENED = "reopened"  # a low rating sent it back to work
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # withdrawn by the resident


WORKING = (Status.NEW, Status.ASSIGNED, Status.ACCEPTED, Status.REOPENED)
"""Statuses of a ticket still being worked: what 待办, reminders and the report count as open."""


class Ticket(Base):
    """A matter handed to staff; `id` is the number the resident sees."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Several committees may share one deployment; each ticket belongs to one.
    committee: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # handoff | emergency | general
    item_code: Mapped[str | None] = mapped_column(String(64))
    line: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW)
    is_urgent: Mapped[bool] = mapped_column(default=False)
    resident_openid: Mapped[str] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(2), default="zh")
    request_text: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The WeChat message that raised it, so a retried callback can never raise it twice.
    source_key: Mapped[str] = mapped_column(String(128), unique=True)
    building: Mapped[str | None] = mapped_column(String(32), default=None)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None,
                                                    index=True)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    rating: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """One change in a ticket's life: who, when, what and why. Never edited."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
