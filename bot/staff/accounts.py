"""Console accounts: staff sign in with a name and a password kept only as a salted hash."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from werkzeug.security import check_password_hash, generate_password_hash

from bot.core.errors import RefusalError
from bot.staff.roster import Staff

MIN_PASSWORD = 10
PASSPHRASE_LENGTH = 16
"""A password this long may be plain words (a passphrase) instead of mixing character kinds."""
MIN_CLASSES = 3
MIN_DISTINCT = 6
# Guessed first by anyone trying: refused whatever their length.
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passw0rd", "12345678", "123456789", "1234567890",
    "0123456789", "11111111", "00000000", "88888888", "66666666", "qwertyui", "qwertyuiop",
    "1qaz2wsx", "1qaz2wsx3edc", "qwer1234", "asdf1234", "abc123456", "abcd1234",
    "a123456789", "iloveyou", "woaini1314", "5201314520", "linli123", "linli123456",
    "linli12345", "admin123", "admin12345", "admin123456", "administrator", "welcome123",
    "letmein123", "changeme123",
})
# Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("linli-no-such-account")


class AccountError(RefusalError):
    """A password or account change that cannot be made; the message says why."""


def password_problem(password: str) -> str | None:
    """Say why PASSWORD is too weak to keep (Chinese, then English), or None when it will do."""
    if len(password) < MIN_PASSWORD:
        return (f"密码至少需要 {MIN_PASSWORD} 个字符。"
                f"A password needs at least {MIN_PASSWORD} characters.")
    if password.lower() in COMMON_PASSWORDS:
        return "这是常见密码，很容易被猜中。This is a common password, easily guessed."
    if _is_sequence(password):
        return ("密码不能是同一个字符重复或简单序列。"
                "A password cannot be one repeated character or a simple sequence.")
    if len(set(password)) < MIN_DISTINCT:
        return (f"密码至少需要 {MIN_DISTINCT} 个不同的字符。"
                f"A password needs at least {MIN_DISTINCT} different characters.")
    if len(password) < PASSPHRASE_LENGTH and _classes(password) < MIN_CLASSES:
        return (f"请混合小写、大写、数字、符号中的至少 {MIN_CLASSES} 种，或用 {PASSPHRASE_LENGTH} "
                f"个字符以上的短句。Mix at least {MIN_CLASSES} of lowercase, uppercase, digits "
                f"and symbols, or use a passphrase of {PASSPHRASE_LENGTH}+ characters.")
    return None


def _is_sequence(password: str) -> bool:
    # aaaa..., abcd..., 9876...: every step between neighbours the same, and at most one apart.
    steps = {ord(b) - ord(a) for a, b in pairwise(password)}
    return len(steps) == 1 and abs(next(iter(steps))) <= 1


def _classes(password: str) -> int:
    kinds = (str.islower, str.isupper, str.isdigit)
    found = {index for ch in password for index, kind in enumerate(kinds) if kind(ch)}
    has_other = any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password)
    return len(found) + has_other


def set_password(staff: Staff, password: str) -> None:
    """Store a salted hash of PASSWORD for STAFF and end their other console sessions."""
    problem = password_problem(password)
    if problem is not None:
        raise AccountError(problem)
    staff.password_hash = generate_password_hash(password)
    end_sessions(staff)


def end_sessions(staff: Staff) -> None:
    """Make every console cookie issued to STAFF so far stop working (once committed)."""
    staff.session_version = (staff.session_version or 0) + 1


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
