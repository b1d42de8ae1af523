"""Command line for staff: `flask --app bot staff add|list|roles|buildings|deactivate|invite|…`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.cli.common import AdminGroup, admin_session, app_services, parse_pairs
from bot.core.calendar import LOCAL
from bot.core.columns import text_table
from bot.core.privacy import mask_phone
from bot.dispatch.identity import forget_roles
from bot.staff.binding import CODE_LIFETIME, issue_code
from bot.staff.roster import Staff, StaffBuilding
from bot.staff.roster_import import import_roster
from bot.staff.staffing import (
    StaffingError,
    add_staff,
    deactivate_staff,
    find_staff,
    set_buildings,
    set_lines,
)
from bot.tickets.opening import open_tickets_of

staff_group = AdminGroup("staff", help="Staff: add, list, lines, buildings, invite, import.")


def _active(person: Staff) -> Staff:
    if not person.is_active:
        raise StaffingError(f"'{person.name}' is deactivated")
    return person


def _in_order(buildings: list[StaffBuilding]) -> list[StaffBuilding]:
    return sorted(buildings, key=lambda b: (len(b.building), b.building))  # 9 before 10


def _describe(person: Staff, reveal: bool) -> dict[str, Any]:
    # The OpenID is never shown: whether one is bound is all an administrator needs.
    return {"name": person.name, "phone": person.phone if reveal else mask_phone(person.phone),
            "director": person.is_director, "bound": person.openid is not None,
            "lines": {sl.line: sl.role for sl in person.lines},
            "buildings": {b.building: b.households for b in _in_order(person.buildings)},
            "active": person.is_active}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@staff_group.command("add")
@click.argument("name")
@click.option("--phone", default="", help="Work phone (shown masked in lists).")
@click.option("--director", is_flag=True, help="The director (主任): may handle any ticket.")
def staff_add(name: str, phone: str, director: bool) -> None:
    """Add a staff member called NAME."""
    with admin_session() as (session, committee):
        person = add_staff(session, committee, name, phone, director)
        session.commit()
        click.echo(f"added {person.name}{' (director)' if director else ''}; next: "
                   f"`staff roles`, `staff buildings`, `roster pattern`, `staff invite`")


@staff_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per staff member.")
@click.option("--reveal", is_flag=True, help="Show phone numbers in full (personal data).")
def staff_list(as_json: bool, reveal: bool) -> None:
    """List staff with their lines (A/B) and buildings; phones masked unless --reveal."""
    with admin_session() as (session, committee):
        people = [_describe(p, reveal) for p in session.scalars(
            select(Staff).where(Staff.committee == committee).order_by(Staff.id))]
    if as_json:
        for row in people:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    rows = [[p["name"], p["phone"] or "-", _yes(p["director"]), _yes(p["bound"]),
             " ".join(f"{k}={v}" for k, v in p["lines"].items()) or "-",
             " ".join(f"{k}({v})" for k, v in p["buildings"].items()) or "-", _yes(p["active"])]
            for p in people]
    headers = ["姓名(name)", "电话(phone)", "主任(director)", "已绑定(bound)", "条线(lines)",
               "楼栋(buildings)", "在岗(active)"]
    for line in text_table(headers, rows):
        click.echo(line)


@staff_group.command("roles")
@click.argument("name")
@click.argument("roles", nargs=-1)
@click.option("--clear", is_flag=True, help="Remove every line of work.")
def staff_roles(name: str, roles: tuple[str, ...], clear: bool) -> None:
    """Replace NAME's lines of work: LINE=A (owns it) or LINE=B (covers), codes from the guide."""
    if bool(roles) == clear:
        raise click.ClickException("give LINE=A|B pairs, or --clear (not both)")
    lines = app_services().index.guide.lines
    wanted = {line: role.upper() for line, role in parse_pairs(roles, "LINE=A or LINE=B").items()}
    with admin_session() as (session, committee):
        person = _active(find_staff(session, committee, name))
        warnings = set_lines(session, person, wanted, lines)
        session.commit()
        held = " ".join(f"{sl.line}={sl.role}" for sl in person.lines) or "no lines"
    click.echo(f"{person.name}: {held}")
    for warning in warnings:
        click.echo(f"note: {warning}; routing takes whoever comes first")


@staff_group.command("buildings")
@click.argument("name")
@click.argument("buildings", nargs=-1)
@click.option("--clear", is_flag=True, help="Remove every building.")
def staff_buildings(name: str, buildings: tuple[str, ...], clear: bool) -> None:
    """Replace NAME's buildings: BUILDING=HOUSEHOLDS (5=101); a building moves from its owner."""
    if bool(buildings) == clear:
        raise click.ClickException("give BUILDING=HOUSEHOLDS pairs, or --clear (not both)")
    counts: dict[str, int] = {}
    for building, households in parse_pairs(buildings, "BUILDING=HOUSEHOLDS").items():
        if not (households.isascii() and households.isdecimal()):
            raise click.ClickException(f"{building}={households}: households must be a number")
        counts[building] = int(households)
    with admin_session() as (session, committee):
        person = _active(find_staff(session, committee, name))
        moves = set_buildings(session, person, counts)
        session.commit()
        held = " ".join(f"{b.building}({b.households})" for b in _in_order(person.buildings))
    for move in moves:
        click.echo(move)
    click.echo(f"{person.name}: {held or 'no buildings'}")


@staff_group.command("deactivate")
@click.argument("name")
def staff_deactivate(name: str) -> None:
    """Deactivate NAME: unbind their WeChat account, keep their history, list their open tickets."""
    services = app_services()
    with admin_session() as (session, committee):
        person = find_staff(session, committee, name)
        done = deactivate_staff(session, person)
        held = open_tickets_of(session, person.id)
        session.commit()
    forget_roles(services, done.openid)  # or their cached staff role outlives the account
    click.echo(f"deactivated {name}" + ("; WeChat account unbound" if done.openid else ""))
    for ticket in held:
        due = f" due {ticket.due_at.astimezone(LOCAL):%m-%d %H:%M}" if ticket.due_at else ""
        click.echo(f"  open: #{ticket.id} {ticket.line} {ticket.status}{due}")
    if held:
        click.echo("the director reassigns them in WeChat: 转交 N 姓名")
    if done.lines or done.buildings:
        click.echo(f"still to hand on: lines {' '.join(done.lines) or '-'}; buildings "
                   f"{' '.join(done.buildings) or '-'} (`staff roles`, `staff buildings`)")


@staff_group.command("invite")
@click.argument("name")
def staff_invite(name: str) -> None:
    """Print a one-time code that binds NAME's WeChat account (valid 24 hours)."""
    services = app_services()
    with admin_session() as (session, committee):
        person = _active(find_staff(session, committee, name))
        code = issue_code(session, person, services.now())
        session.commit()
        bound = person.openid is not None
    hours = int(CODE_LIFETIME.total_seconds() // 3600)
    click.echo(f"binding code for {name}: {code} (single use, valid {hours} h)")
    click.echo(f"ask {name} to send “绑定 {code}” to the Official Account from their own "
               f"WeChat within {hours} h")
    if bound:
        click.echo("note: already bound; the code moves the binding to the account that sends it")


@staff_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def staff_import(file: Path) -> None:
    """Create or update staff, weekly duty, hours and dated days from a roster YAML FILE."""
    services = app_services()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise click.ClickException(f"cannot read {file}: {error}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{file}: expected a mapping with staff, hours and days")
    with admin_session() as (session, committee):
        try:
            people = import_roster(session, committee, data, services.index.guide.lines)
            session.commit()
        except IntegrityError:
            raise click.ClickException(
                f"{file}: a building in the file belongs to a staff member the file does not "
                "list; move it with `staff buildings` first") from None
        bound = [p.openid for p in people]
    for openid in bound:
        forget_roles(services, openid)  # director and active flags may have changed
    click.echo(f"imported {len(people)} staff from {file}: {', '.join(p.name for p in people)}")
