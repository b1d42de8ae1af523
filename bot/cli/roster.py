"""Command line for the duty roster: `flask --app bot roster show|pattern|change|hours|day`."""

from __future__ import annotations

import click

from bot.cli.common import AdminGroup, admin_session, app_services, parse_day, parse_pairs
from bot.core.calendar import LOCAL
from bot.core.columns import text_table
from bot.staff.roster_import import WEEKDAYS, parse_span, parse_weekday
from bot.staff.rostering import (
    DayInfo,
    clear_change,
    clear_day,
    day_info,
    duty_report,
    set_change,
    set_day,
    set_hours,
    set_pattern,
)
from bot.staff.staffing import find_staff

roster_group = AdminGroup("roster", help="Duty roster, opening hours and the committee's days.")
_SOURCES = {"pattern": "weekly pattern", "change": "dated change", "default": "no pattern: off"}


def _describe_day(info: DayInfo) -> str:
    spans = " ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in info.hours) or "closed"
    kind = f"; committee entry: {info.kind}" + (f" ({info.note})" if info.note else "") \
        if info.kind else ""
    return (f"{info.day} {WEEKDAYS[info.day.weekday()]}: "
            f"{'working day' if info.is_workday else 'not a working day'}{kind}; "
            f"opening hours {spans}")


@roster_group.command("show")
@click.option("--date", "day_text", default=None, help="YYYY-MM-DD; default today.")
def roster_show(day_text: str | None) -> None:
    """Show a day's opening hours and each staff member's duty, with where it comes from."""
    services = app_services()
    day = parse_day(day_text, "--date") if day_text else services.now().astimezone(LOCAL).date()
    with admin_session() as (session, committee):
        info = day_info(session, committee, day)
        rows = [[d.person.name, d.status,
                 _SOURCES[d.source] + (f" ({d.note})" if d.note else "")]
                for d in duty_report(session, committee, day)]
    click.echo(_describe_day(info))
    for line in text_table(["姓名(name)", "状态(status)", "来源(source)"], rows):
        click.echo(line)


@roster_group.command("pattern")
@click.argument("name")
@click.argument("days", nargs=-1, required=True)
def roster_pattern(name: str, days: tuple[str, ...]) -> None:
    """Replace NAME's ordinary week: mon=desk tue=visiting ... (days not named are off)."""
    pairs = parse_pairs(days, "DAY=STATUS like mon=desk")
    with admin_session() as (session, committee):
        week = {parse_weekday(day, f"{day}={status}"): status for day, status in pairs.items()}
        set_pattern(session, find_staff(session, committee, name), week)
        session.commit()
    click.echo(f"{name}: " + " ".join(f"{d}={week.get(i, 'off')}" for i, d in enumerate(WEEKDAYS)))


@roster_group.command("change")
@click.argument("name")
@click.argument("day_text", metavar="DATE")
@click.argument("status", required=False)
@click.option("--note", default="", help="Why (年假, 调班...).")
@click.option("--clear", is_flag=True, help="Remove the change: the weekly pattern applies.")
def roster_change(name: str, day_text: str, status: str | None, note: str, clear: bool) -> None:
    """Set NAME's duty on DATE to STATUS (desk, visiting, off, leave), or --clear it."""
    if (status is None) != clear:
        raise click.ClickException("give STATUS (desk, visiting, off, leave) or --clear")
    day = parse_day(day_text, "DATE")
    with admin_session() as (session, committee):
        person = find_staff(session, committee, name)
        if status is None:
            clear_change(session, person, day)
        else:
            set_change(session, person, day, status, note)
        session.commit()
    click.echo(f"{name} on {day}: " + ("weekly pattern again" if clear else f"{status}"))


@roster_group.command("hours")
@click.argument("weekday")
@click.argument("spans", nargs=-1)
@click.option("--closed", is_flag=True, help="Closed all day.")
def roster_hours(weekday: str, spans: tuple[str, ...], closed: bool) -> None:
    """Replace WEEKDAY's (mon..sun) opening spans: 08:30-17:00 [17:00-19:30 ...], or --closed."""
    if bool(spans) == closed:
        raise click.ClickException("give spans like 08:30-17:00, or --closed (not both)")
    with admin_session() as (session, committee):
        index = parse_weekday(weekday, "WEEKDAY")
        parsed = sorted(parse_span(span, weekday) for span in spans)
        wrote_defaults = set_hours(session, committee, index, parsed)
        session.commit()
    if wrote_defaults:
        click.echo("the other days keep the default hours (Mon-Fri 08:30-17:00), now on record")
    click.echo(f"{weekday}: {' '.join(f'{a}-{b}' for a, b in parsed) or 'closed'}")


@roster_group.command("day")
@click.argument("day_text", metavar="DATE")
@click.argument("kind", required=False)
@click.option("--note", default="", help="What it is (年终盘点, 2027 春节...).")
@click.option("--clear", is_flag=True, help="Remove the entry: the national calendar decides.")
def roster_day(day_text: str, kind: str | None, note: str, clear: bool) -> None:
    """Mark DATE as a holiday, a make-up workday or closed, for what chinese-calendar lacks."""
    if (kind is None) != clear:
        raise click.ClickException("give KIND (holiday, workday, closed) or --clear")
    day = parse_day(day_text, "DATE")
    with admin_session() as (session, committee):
        if kind is None:
            clear_day(session, committee, day)
        else:
            set_day(session, committee, day, kind, note)
        session.commit()
        info = day_info(session, committee, day)
    click.echo(_describe_day(info))
