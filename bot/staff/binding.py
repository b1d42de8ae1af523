"""One-time codes that bind a staff member's WeChat account, issued by an administrator."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import Session as DbSession

from bot.core.errors import RefusalError
from bot.core.models import Base, utcnow
from bot.staff.roster import Staff

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(hours=24)
"""Long enough to pass on at the Monday meeting, short enough not to linger in chat logs."""


class BindingCode(Base):
    """A single-use code; only its hash is kept, like a password."""

    __tablename__ = "binding_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def issue_code(session: DbSession, staff: Staff, now: datetime) -> str:
    """Create a new code for STAFF and return it (shown once, never stored in clear)."""
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    session.add(BindingCode(staff_id=staff.id, code_hash=_hash(code),
                            expires_at=now + CODE_LIFETIME))
    return code


def redeem_code(session: DbSession, code: str, openid: str, now: datetime) -> Staff:
    """Bind OPENID to the code's staff member; refuse unknown, used or expired codes."""
    row = session.scalar(select(BindingCode).where(BindingCode.code_hash == _hash(code)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise RefusalError("绑定码无效或已过期，请向管理员重新申请。",
                           "That binding code is invalid or expired; ask the administrator "
                           "for a new one.")
    staff = session.get(Staff, row.staff_id)
    if staff is None or not staff.is_active:
        raise RefusalError("该工作人员账号已停用。", "That staff account is deactivated.")
    holder = session.scalar(select(Staff).where(Staff.openid == openid))
    if holder is not None and holder.id != staff.id:
        holder.openid = None  # one WeChat account speaks for one staff member
    staff.openid = openid
    row.used_at = now
    return staff
