"""Staff, their lines of work (A/B), their buildings, and the duty roster."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm import Session as DbSession

from bot.core.models import Base, utcnow

ROLES = ("A", "B")
DUTY_STATUSES = ("desk", "visiting", "off", "leave")
"""desk: keeps the front desk; visiting: out visiting households, reachable; off/leave: away."""
AVAILABLE = frozenset({"desk", "visiting"})


class Staff(Base):
    """A committee staff member."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("committee", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    openid: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    is_director: Mapped[bool] = mapped_column(default=False)
    # The web console: an administrator, and a salted password hash (never the password).
    is_admin: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(256), default=None)
    # Bumped on sign-out and password change: every console cookie carrying an older one is dead.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list[StaffLine]] = relationship(cascade="all, delete-orphan",
                                                  order_by="StaffLine.line")
    buildings: Mapped[list[StaffBuilding]] = relationship(cascade="all, delete-orphan",
                                                          order_by="StaffBuilding.building")

    def role_in(self, line: str) -> str | None:
        """Return 'A', 'B' or None for a line of work."""
        return next((sl.role for sl in self.lines if sl.line == line), None)


class StaffLine(Base):
    """A staff member's role in a line of work: A owns it, B covers."""

    __tablename__ = "staff_lines"
    __table_args__ = (UniqueConstraint("staff_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    line: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(1))


class StaffBuilding(Base):
    """A building (楼栋) whose households a staff member looks after."""

    __tablename__ = "staff_buildings"
    __table_args__ = (UniqueConstraint("committee", "building"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    building: Mapped[str] = mapped_column(String(32))
    households: Mapped[int] = mapped_column(default=0)


class DutyPattern(Base):
    """What a staff member does on a weekday (0 = Monday) in an ordinary week."""

    __tablename__ = "duty_patterns"
    __table_args__ = (UniqueConstraint("staff_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    weekday: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))


class DutyChange(Base):
    """A dated change to the weekly pattern: leave, a swapped desk day."""

    __tablename__ = "duty_changes"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")


def active_staff(session: DbSession, committee: str) -> list[Staff]:
    """Return the committee's active staff, by name."""
    return list(session.scalars(select(Staff).where(
        Staff.committee == committee, Staff.is_active.is_(True)).order_by(Staff.id)))


def staff_by_openid(session: DbSession, openid: str) -> Staff | None:
    """Return the active staff member bound to a WeChat OpenID."""
    return session.scalar(select(Staff).where(Staff.openid == openid,
                                              Staff.is_active.is_(True)))


def duty_on(session: DbSession, committee: str, day: date) -> dict[int, str]:
    """Return each active staff member's status on DAY: the pattern with dated changes on top."""
    staff_ids = [s.id for s in active_staff(session, committee)]
    duty = {sid: "off" for sid in staff_ids}
    for pattern in session.scalars(select(DutyPattern).where(
            DutyPattern.staff_id.in_(staff_ids), DutyPattern.weekday == day.weekday())):
        duty[pattern.staff_id] = pattern.status
    for change in session.scalars(select(DutyChange).where(
            DutyChange.staff_id.in_(staff_ids), DutyChange.day == day)):
        duty[change.staff_id] = change.status
    return duty
