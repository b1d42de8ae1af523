"""Console pages for volunteers: the list and its admin forms, stations, next week's coverage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Response as FlaskResponse
from flask import abort, g, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from werkzeug.wrappers import Response

from bot.core.privacy import mask_phone
from bot.dispatch.identity import forget_roles
from bot.staff.accounts import sees_everything
from bot.staff.roster import Staff
from bot.volunteers.checkin_qr import checkin_qr_png
from bot.volunteers.models import (
    Shift,
    Slot,
    Station,
    Volunteer,
    active_stations,
    local_day,
    slots_on,
    station_by_code,
)
from bot.volunteers.report import listed_volunteers
from bot.volunteers.standing import Changed, approve, pause, remove
from bot.volunteers.texts import plan_values
from bot.web.console.auth import admin_required, committee, console, login_required, services
from bot.web.console.forms import apply_change
from bot.wechat.api import WeChatApiError

COVERAGE_DAYS = 7
"""The coverage grid looks this many days ahead, from today."""


@dataclass(frozen=True)
class SlotCover:
    """One slot of one day and how many places are booked: covered, short or empty."""

    slot: Slot
    booked: int

    @property
    def state(self) -> str:
        """Return covered (full), short (some places free) or empty (nobody booked)."""
        if self.booked >= self.slot.capacity:
            return "covered"
        return "short" if self.booked else "empty"


def _coverage(station: Station, days: list[date]) -> list[list[SlotCover]]:
    """Return, per day, the station's open slots with the places booked in each."""
    booked = Counter((s.day, s.number) for s in g.db_session.scalars(select(Shift).where(
        Shift.station_id == station.id, Shift.day >= days[0], Shift.day <= days[-1],
        Shift.status == "booked")))
    return [[SlotCover(slot, booked[day, slot.number]) for slot in slots_on(g.db_session,
                                                                            station, day)]
            for day in days]


@console.get("/volunteers")
@login_required
def volunteers_page() -> str:
    """Volunteers, stations and the coming week's coverage at a glance."""
    session, code = g.db_session, committee()
    reveal = sees_everything(g.staff)
    today = local_day(services().now())
    days = [today + timedelta(days=n) for n in range(COVERAGE_DAYS)]
    stations = active_stations(session, code)
    staff = {p.id: p.name for p in session.scalars(select(Staff).where(Staff.committee == code))}
    # The OpenID is never shown; phones only to the director and administrators.
    people = [{"id": v.id, "name": v.name, "building": v.building, "status": v.status,
               "phone": v.phone if reveal else mask_phone(v.phone)}
              for v in listed_volunteers(session, code)]
    rows = [{"station": s, "staff": staff.get(s.staff_id or 0, "主任 director"),
             "plans": [{**plan_values(s, p.number, "zh"), "capacity": str(p.capacity)}
                       for p in s.plans],
             "days": _coverage(s, days)} for s in stations]
    return render_template("console/volunteers.html", people=people, stations=rows, days=days,
                           reveal=reveal)


def _change(volunteer_id: int, action: Callable[[DbSession, Volunteer, datetime], Changed],
            done: str) -> Response:
    """Apply approve, pause or remove through bot.volunteers.standing, as `volunteers ...` does."""
    volunteer = g.db_session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.committee != committee() or volunteer.status == "removed":
        abort(404, "no such volunteer")
    label = volunteer.name
    outcome: list[Changed] = []

    def change() -> str:
        outcome.append(action(g.db_session, volunteer, services().now()))
        return done.format(name=label, released=outcome[0].released)
    response = apply_change(change, url_for("console.volunteers_page"))
    if outcome:
        forget_roles(services(), outcome[0].openid)  # or a cached role outlives the change
    return response


@console.post("/volunteers/<int:volunteer_id>/approve")
@admin_required
def volunteer_approve(volunteer_id: int) -> Response:
    """Approve (or resume) a volunteer; they are told in WeChat."""
    return _change(volunteer_id, approve, "{name} is now an active volunteer and has been told")


@console.post("/volunteers/<int:volunteer_id>/pause")
@admin_required
def volunteer_pause(volunteer_id: int) -> Response:
    """Pause a volunteer: no new shifts, booked ones not yet started released."""
    return _change(volunteer_id, pause, "{name} is paused; {released} booked shifts released")


@console.post("/volunteers/<int:volunteer_id>/remove")
@admin_required
def volunteer_remove(volunteer_id: int) -> Response:
    """Remove a volunteer: shifts released, personal details and WeChat link erased."""
    return _change(volunteer_id, remove, "{name} is removed and their details erased; "
                   "{released} booked shifts released")


@console.get("/stations/<code>/qr.png")
@admin_required
def station_qr(code: str) -> FlaskResponse:
    """The station's check-in QR code as a PNG to print, made as `stations qrcode` makes it."""
    if station_by_code(g.db_session, committee(), code) is None:
        abort(404, f"no station has the code '{code}'")
    try:
        image = checkin_qr_png(services(), code)
    except WeChatApiError as error:
        abort(502, str(error))
    return FlaskResponse(image, mimetype="image/png",
                         headers={"Content-Disposition": f"inline; filename=checkin-{code}.png"})
