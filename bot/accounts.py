"""Console accounts: staff sign in with a name and a password kept only as a salted hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from werkzeug.security import check_password_hash, generate_password_hash

from bot.roster import Staff

MIN_PASSWORD = 10
# Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("linli-no-such-account")


class AccountError(ValueError):
    """A password or account change that cannot be made; the message says why."""


def set_password(staff: Staff, password: str) -> None:
    """Store a salted hash of PASSWORD for STAFF."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    staff.password_hash = generate_password_hash(password)


def authenticate(session: DbSession, committee: str, name: str, password: str) -> Staff | None:
    """Return the active staff member with NAME and PASSWORD, None otherwise."""
    staff = session.scalar(select(Staff).where(Staff.committee == committee, Staff.name == name,
                                               Staff.is_active.is_(True)))
    stored = staff.password_hash if staff is not None and staff.password_hash else _DUMMY_HASH
    if not check_password_hash(stored, password) or staff is None or not staff.password_hash:
        return None
    return staff


def sees_everything(staff: Staff) -> bool:
    """True for the director and administrators; other staff see their own tickets."""
    return staff.is_director or staff.is_admin
