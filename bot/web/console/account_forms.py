"""Admin forms about one colleague: their console account and their weekly duty pattern."""

from __future__ import annotations

from flask import g, session, url_for
from werkzeug.wrappers import Response

from bot.staff.accounts import set_password
from bot.staff.roster_import import WEEKDAYS
from bot.staff.rostering import set_pattern
from bot.web.console.auth import admin_required, console
from bot.web.console.forms import FormError, apply_change, field
from bot.web.console.people import person_or_404


@console.post("/staff/<int:staff_id>/account")
@admin_required
def staff_account(staff_id: int) -> Response:
    """Set a colleague's console password (kept as a salted hash) and administrator role."""
    def change() -> str:
        person = person_or_404(staff_id)
        password = field("password")
        if person.id == g.staff.id and not field("admin") and person.is_admin:
            raise FormError("you cannot take away your own administrator role")
        person.is_admin = bool(field("admin"))
        if password:
            set_password(person, password)
            if person.id == g.staff.id:
                session["version"] = person.session_version  # other sessions end, not this one
        role = "administrator" if person.is_admin else "staff"
        return f"{person.name}: {'password set, ' if password else ''}console role {role}"
    return apply_change(change, url_for("console.staff_page"))


@console.post("/roster/pattern")
@admin_required
def roster_pattern() -> Response:
    """Replace a colleague's weekly duty pattern (one status per weekday)."""
    def change() -> str:
        person = person_or_404(int(field("staff_id") or 0))
        week = {index: field(day) for index, day in enumerate(WEEKDAYS) if field(day)}
        set_pattern(g.db_session, person, week)
        return f"{person.name}: " + " ".join(f"{WEEKDAYS[d]}={s}" for d, s in week.items())
    return apply_change(change, url_for("console.roster_page"))
