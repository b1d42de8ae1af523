"""Command line for reports: `flask --app bot report weekly [--week DATE] [--csv]`."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.cli.common import AdminGroup, admin_session, app_services, parse_day
from bot.staff.roster import Staff
from bot.tickets.models import Ticket
from bot.tickets.report import previous_week, weekly_report
from bot.tickets.report_tables import render_csv, render_text

report_group = AdminGroup("report", help="Reports for the committee's meetings.")


@report_group.command("weekly")
@click.option("--week", "week_text", default=None,
              help="Any day of the week (YYYY-MM-DD); default: last week.")
@click.option("--csv", "as_csv", is_flag=True,
              help="CSV: per-staff, open-by-age and unassigned blocks, a blank line between.")
def report_weekly(week_text: str | None, as_csv: bool) -> None:
    """The Monday meeting: tickets per staff member, open tickets by age, unassigned tickets."""
    services = app_services()
    now = services.now()
    day = parse_day(week_text, "--week") if week_text else previous_week(now)
    with admin_session() as (session, committee):
        tickets = list(session.scalars(select(Ticket).where(Ticket.committee == committee)
                                       .options(selectinload(Ticket.events))))
        staff = list(session.scalars(select(Staff).where(Staff.committee == committee)))
        report = weekly_report(tickets, staff, day, now)
    if as_csv:
        click.echo(render_csv(report), nl=False)
    else:
        click.echo("\n".join(render_text(report)))
