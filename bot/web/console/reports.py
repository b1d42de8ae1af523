"""Console report pages: the Monday report and the volunteer month, with charts and CSV."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Response as FlaskResponse
from flask import abort, g, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.core.calendar import LOCAL
from bot.staff.roster import Staff
from bot.tickets.models import Ticket
from bot.tickets.report import AGE_BUCKETS, WeeklyReport, previous_week, weekly_report
from bot.tickets.report_tables import render_csv
from bot.volunteers.report import MonthReport, month_report
from bot.volunteers.report import render_csv as render_month_csv
from bot.web.console.auth import committee, console, login_required, services


def _load_week(day: date) -> WeeklyReport:
    """Compute the week's report from the same rows `report weekly` loads."""
    session = g.db_session
    tickets = list(session.scalars(select(Ticket).where(Ticket.committee == committee())
                                   .options(selectinload(Ticket.events))))
    staff = list(session.scalars(select(Staff).where(Staff.committee == committee())))
    return weekly_report(tickets, staff, day, services().now())


def _week_day() -> date:
    text = request.args.get("week", "")
    if not text:
        return previous_week(services().now())
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(400, f"week '{text}' is not a date like 2026-11-30")


def with_peaks(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each chart the largest value it draws (at least 1), which sets its scale."""
    for chart in charts:
        chart["peak"] = max([1, *(v for _, values in chart["bars"] for v in values)])
    return charts


def _csv(text: str, filename: str) -> FlaskResponse:
    # A byte-order mark so that Excel on the office computer reads the Chinese names as UTF-8.
    return FlaskResponse("\ufeff" + text, mimetype="text/csv",
                         headers={"Content-Disposition": f"attachment; filename={filename}"})


def _charts(report: WeeklyReport) -> list[dict[str, Any]]:
    """Return the bar charts of the week: each a title, a unit and (label, value) bars."""
    people = report.staff
    by_age = report.open_by_age()
    return with_peaks([
        {"title": "收到/办结工单 Tickets received / resolved", "unit": "",
         "series": ["收到 received", "办结 resolved"],
         "bars": [(p.name, [p.received, p.resolved]) for p in people]},
        {"title": "签收/办结中位时长 Median hours to accept / resolve", "unit": "h",
         "series": ["签收 accept", "办结 resolve"],
         "bars": [(p.name, [round(p.median_accept_hours or 0, 1),
                            round(p.median_resolve_hours or 0, 1)]) for p in people]},
        {"title": "居民评价 Average rating (1-5)", "unit": "★", "series": ["评价 rating"],
         "bars": [(f"{p.name} ({len(p.ratings)})", [round(p.average_rating or 0, 1)])
                  for p in people]},
        {"title": "未办结工单按时长 Open tickets by age", "unit": "", "series": ["open"],
         "bars": [(label, [sum(row[label] for row in by_age.values())])
                  for label, _ in AGE_BUCKETS]},
    ])


@console.get("/reports/weekly")
@login_required
def weekly_report_page() -> str:
    """The Monday meeting as a page: per staff, open tickets by age, the unassigned."""
    day = _week_day()
    report = _load_week(day)
    return render_template("console/report_weekly.html", report=report, day=day,
                           monday=report.start.date(), charts=_charts(report),
                           by_age=report.open_by_age(), buckets=[b for b, _ in AGE_BUCKETS],
                           local=LOCAL)


@console.get("/reports/weekly.csv")
@login_required
def weekly_report_csv() -> FlaskResponse:
    """The Monday report as CSV, exactly as `report weekly --csv` writes it."""
    report = _load_week(_week_day())
    return _csv(render_csv(report), f"weekly-{report.start:%Y-%m-%d}.csv")


def _load_month() -> MonthReport:
    text = request.args.get("month", "") or f"{services().now().astimezone(LOCAL):%Y-%m}"
    try:
        year, number = (int(part) for part in text.split("-"))
        datetime(year, number, 1)
    except ValueError:
        abort(400, f"month '{text}' is not a month like 2026-11")
    return month_report(g.db_session, committee(), year, number, services().now())


@console.get("/reports/volunteers")
@login_required
def volunteer_report_page() -> str:
    """A month of volunteering: hours, coverage per station and slot, no-shows."""
    report = _load_month()
    charts = with_peaks([
        {"title": "志愿时长 Hours per volunteer", "unit": "h", "series": ["hours"],
         "bars": [(h.name, [h.hours]) for h in report.hours]},
        {"title": "覆盖率 Places filled (%)", "unit": "%", "series": ["filled"],
         "bars": [(f"{c.station} {c.slot}",
                   [round(100 * c.filled / c.capacity) if c.capacity else 0])
                  for c in report.coverage]},
    ])
    return render_template("console/report_volunteers.html", report=report, charts=charts)


@console.get("/reports/volunteers.csv")
@login_required
def volunteer_report_csv() -> FlaskResponse:
    """The volunteer month as CSV, exactly as `volunteers report --csv` writes it."""
    report = _load_month()
    return _csv(render_month_csv(report), f"volunteers-{report.month}.csv")
