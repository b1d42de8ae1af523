"""Console accounts from the console: an administrator sets a colleague's password and role."""

from __future__ import annotations

from flask import g, url_for
from werkzeug.wrappers import Response

from bot.accounts import set_password
from bot.console.auth import admin_required, committee, console
from bot.console.forms import FormError, apply_change, field
from bot.roster import Staff


def _colleague(staff_id: int) -> Staff:
    person: Staff | None = g.db_session.get(Staff, staff_id)
    if person is None or person.committee != committee():
        raise FormError("no such staff member")
    return person


@console.post("/staff/<int:staff_id>/account")
@admin_required
def staff_account(staff_id: int) -> Response:
    """Set a colleague's console password (kept as a salted hash) and administrator role."""
    def change() -> str:
        person = _colleague(staff_id)
        password = field("password")
        if password:
            set_password(person, password)
        if person.id == g.staff.id and not field("admin") and person.is_admin:
            raise FormError("you cannot take away your own administrator role")
        person.is_admin = bool(field("admin"))
        role = "administrator" if person.is_admin else "staff"
        return f"{person.name}: {'password set, ' if password else ''}console role {role}"
    return apply_change(change, url_for("console.staff_page"))
