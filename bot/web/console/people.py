"""Console pages for people: the staff list and its admin forms, the duty roster and calendar."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, g, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.core.calendar import DAY_KINDS, LOCAL, CalendarDay, WorkCalendar
from bot.core.privacy import mask_phone
from bot.dispatch.identity import forget_roles
from bot.staff.accounts import sees_everything
from bot.staff.binding import CODE_LIFETIME, issue_code
from bot.staff.roster import DUTY_STATUSES, DutyChange, Staff, active_staff
from bot.staff.roster_import import WEEKDAYS, parse_span, parse_weekday
from bot.staff.rostering import (
    clear_change,
    clear_day,
    day_info,
    duty_report,
    set_change,
    set_day,
    set_hours,
)
from bot.staff.staffing import add_staff, deactivate_staff, set_buildings, set_lines
from bot.tickets.opening import open_tickets_of
from bot.web.console.auth import admin_required, committee, console, login_required, services
from bot.web.console.forms import FormError, apply_change, date_field, field, pairs_field

UPCOMING_DAYS = 60
"""Dated changes and committee days shown from the week's Monday this far ahead."""


def person_or_404(staff_id: int) -> Staff:
    """Return staff member STAFF_ID of this committee (404; 409 to change a deactivated one)."""
    person: Staff | None = g.db_session.get(Staff, staff_id)
    if person is None or person.committee != committee():
        abort(404, "no such staff member")
    if request.method == "POST" and not person.is_active:
        abort(409, f"'{person.name}' is deactivated")
    return person


def _staff_rows(reveal: bool) -> list[dict[str, object]]:
    people = g.db_session.scalars(select(Staff).where(Staff.committee == committee())
                                  .order_by(Staff.is_active.desc(), Staff.id))
    # The OpenID is never shown: whether one is bound is all anyone needs.
    return [{"id": p.id, "name": p.name, "active": p.is_active, "director": p.is_director,
             "phone": p.phone if reveal else mask_phone(p.phone), "bound": p.openid is not None,
             "lines": " ".join(f"{sl.line}={sl.role}" for sl in p.lines),
             "buildings": " ".join(f"{b.building}={b.households}" for b in sorted(
                 p.buildings, key=lambda b: (len(b.building), b.building)))}
            for p in people]


def _staff_page(code: str = "", code_for: str = "") -> str:
    reveal = sees_everything(g.staff)
    return render_template("console/staff.html", people=_staff_rows(reveal), reveal=reveal,
                           lines=services().index.guide.lines, code=code, code_for=code_for,
                           code_hours=int(CODE_LIFETIME.total_seconds() // 3600))


@console.get("/staff")
@login_required
def staff_page() -> str:
    """Staff with their lines (A/B), buildings and binding; phones masked except for admins."""
    return _staff_page()


@console.post("/staff/add")
@admin_required
def staff_add() -> Response:
    """Add a staff member."""
    def change() -> str:
        person = add_staff(g.db_session, committee(), field("name"), field("phone"),
                           bool(field("director")))
        return f"added {person.name}; next: lines, buildings, roster, binding code"
    return apply_change(change, url_for("console.staff_page"))


@console.post("/staff/<int:staff_id>/lines")
@admin_required
def staff_lines(staff_id: int) -> Response:
    """Replace a staff member's lines of work (LINE=A or LINE=B, empty for none)."""
    person = person_or_404(staff_id)

    def change() -> str:
        wanted = {k: v.upper() for k, v in pairs_field("lines", "LINE=A or LINE=B").items()}
        warnings = set_lines(g.db_session, person, wanted, services().index.guide.lines)
        held = " ".join(f"{sl.line}={sl.role}" for sl in person.lines) or "no lines"
        notes = "".join(f"; note: {w}, routing takes whoever comes first" for w in warnings)
        return f"{person.name}: {held}{notes}"
    return apply_change(change, url_for("console.staff_page"))


@console.post("/staff/<int:staff_id>/buildings")
@admin_required
def staff_buildings(staff_id: int) -> Response:
    """Replace a staff member's buildings (BUILDING=HOUSEHOLDS, empty for none)."""
    person = person_or_404(staff_id)

    def change() -> str:
        counts = {}
        for building, households in pairs_field("buildings", "BUILDING=HOUSEHOLDS").items():
            if not (households.isascii() and households.isdecimal()):
                raise FormError(f"{building}={households}: households must be a number")
            counts[building] = int(households)
        moves = set_buildings(g.db_session, person, counts)
        return "; ".join([*moves, f"{person.name}: {' '.join(counts) or 'no buildings'}"])
    return apply_change(change, url_for("console.staff_page"))


@console.post("/staff/<int:staff_id>/deactivate")
@admin_required
def staff_deactivate(staff_id: int) -> Response:
    """Deactivate a staff member: unbind WeChat, keep history, list the work to hand on."""
    person = person_or_404(staff_id)

    def change() -> str:
        done = deactivate_staff(g.db_session, person)
        held = open_tickets_of(g.db_session, person.id)
        g.db_session.commit()
        forget_roles(services(), done.openid)  # or their cached staff role outlives the account
        tickets = " ".join(f"#{t.id}" for t in held)
        return (f"deactivated {person.name}" + ("; WeChat unbound" if done.openid else "")
                + (f"; open tickets to reassign: {tickets}" if tickets else "")
                + f"; lines {' '.join(done.lines) or '-'}, buildings "
                  f"{' '.join(done.buildings) or '-'} to hand on")
    return apply_change(change, url_for("console.staff_page"))


@console.post("/staff/<int:staff_id>/invite")
@admin_required
def staff_invite(staff_id: int) -> str:
    """Issue a one-time WeChat binding code, shown once on this page and never again."""
    person = person_or_404(staff_id)
    code = issue_code(g.db_session, person, services().now())
    g.db_session.commit()
    return _staff_page(code=code, code_for=person.name)


def _week_start() -> date:
    text = request.args.get("week", "")
    try:
        day = date.fromisoformat(text) if text else services().now().astimezone(LOCAL).date()
    except ValueError:
        abort(400, f"week '{text}' is not a date like 2026-11-30")
    return day - timedelta(days=day.weekday())


@console.get("/roster")
@login_required
def roster_page() -> str:
    """This week's duty grid as routing sees it, opening hours, dated changes and closures."""
    session, code = g.db_session, committee()
    monday = _week_start()
    days = [monday + timedelta(days=n) for n in range(7)]
    infos = [day_info(session, code, day) for day in days]
    grid: dict[int, dict[str, object]] = {}
    for day in days:
        for duty in duty_report(session, code, day):
            row = grid.setdefault(duty.person.id, {"name": duty.person.name, "days": []})
            row["days"].append(duty)  # type: ignore[attr-defined]
    staff = active_staff(session, code)
    names = {p.id: p.name for p in staff}
    until = monday + timedelta(days=UPCOMING_DAYS)
    changes = [(names[c.staff_id], c) for c in session.scalars(
        select(DutyChange).where(DutyChange.staff_id.in_(list(names)), DutyChange.day >= monday,
                                 DutyChange.day < until).order_by(DutyChange.day))]
    closures = list(session.scalars(select(CalendarDay).where(
        CalendarDay.committee == code, CalendarDay.day >= monday).order_by(CalendarDay.day)))
    hours = WorkCalendar.load(session, code).hours
    return render_template(
        "console/roster.html", monday=monday, days=days, infos=infos, grid=grid.values(),
        staff=staff, changes=changes, closures=closures, weekdays=WEEKDAYS,
        hours=[hours.get(n, []) for n in range(7)], statuses=DUTY_STATUSES, kinds=DAY_KINDS,
        previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


def _back() -> str:
    return url_for("console.roster_page", week=request.form.get("week") or None)


@console.post("/roster/change")
@admin_required
def roster_change() -> Response:
    """Set a staff member's duty on a date (leave, a swapped desk day), or clear it."""
    person = person_or_404(request.form.get("staff_id", 0, type=int))

    def change() -> str:
        day = date_field("day")
        if field("clear"):
            clear_change(g.db_session, person, day)
            return f"{person.name} on {day}: weekly pattern again"
        set_change(g.db_session, person, day, field("status"), field("note"))
        return f"{person.name} on {day}: {field('status')}"
    return apply_change(change, _back())


@console.post("/roster/hours")
@admin_required
def roster_hours() -> Response:
    """Replace a weekday's opening spans; none means closed all day."""
    def change() -> str:
        weekday = field("weekday")
        index = parse_weekday(weekday, "weekday")
        spans = sorted(parse_span(s, weekday) for s in field("spans").replace(",", " ").split())
        wrote_defaults = set_hours(g.db_session, committee(), index, spans)
        note = "; the other days keep the default hours, now on record" if wrote_defaults else ""
        return f"{weekday}: {' '.join(f'{a}-{b}' for a, b in spans) or 'closed'}{note}"
    return apply_change(change, _back())


@console.post("/roster/day")
@admin_required
def roster_day() -> Response:
    """Mark a date as a holiday, a make-up workday or closed, or clear the entry."""
    def change() -> str:
        day = date_field("day")
        if field("clear"):
            clear_day(g.db_session, committee(), day)
            return f"{day}: the national calendar decides again"
        set_day(g.db_session, committee(), day, field("kind"), field("note"))
        return f"{day}: {field('kind')}"
    return apply_change(change, _back())
