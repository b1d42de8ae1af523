"""Command line for volunteers and their stations: `flask --app bot volunteers|stations ...`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
import yaml
from flask.cli import AppGroup
from sqlalchemy.orm import Session as DbSession

from bot.cli.common import admin_session, app_services
from bot.core.calendar import LOCAL
from bot.core.columns import text_table
from bot.core.outbox import owe
from bot.core.privacy import mask_phone
from bot.core.services import Services
from bot.dispatch.identity import forget_roles
from bot.staff.roster import Staff
from bot.volunteers.checkin_qr import checkin_qr_png
from bot.volunteers.models import CHECKIN_SCENE, Volunteer, active_stations, station_by_code
from bot.volunteers.report import listed_volunteers, month_report, render_csv, render_text
from bot.volunteers.standing import Changed, approve, find_volunteer, pause, remove
from bot.volunteers.stations import import_stations
from bot.volunteers.texts import VTEXTS, plan_values, slot_values
from bot.wechat.api import WeChatApiError

volunteers_group = AppGroup("volunteers", help="Volunteers: list, approve, pause, remove, report.")
stations_group = AppGroup("stations", help="Garbage-room stations: import, list, QR codes.")


@contextmanager
def _admin() -> Iterator[tuple[DbSession, str, Services]]:
    """Yield a session, the committee's code and the services; refusals exit 1 in one line."""
    with admin_session() as (session, committee):
        yield session, committee, app_services()


@volunteers_group.command("list")
@click.option("--status", default=None, help="Only pending, active or paused volunteers.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per volunteer.")
def volunteers_list(status: str | None, as_json: bool) -> None:
    """List volunteers (phones masked; WeChat OpenIDs are never shown)."""
    with _admin() as (session, committee, _):
        rows = [{"id": v.id, "name": v.name, "building": v.building,
                 "phone": mask_phone(v.phone), "status": v.status,
                 "signed_up": f"{v.created_at.astimezone(LOCAL):%Y-%m-%d}"}
                for v in listed_volunteers(session, committee) if status in (None, v.status)]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo("\n".join(text_table(["id", "name", "building", "phone", "status", "signed up"],
                                    [list(r.values()) for r in rows])))


def _change(name: str, action: Callable[[DbSession, Volunteer, datetime], Changed],
            done: str) -> None:
    with _admin() as (session, committee, services):
        volunteer = find_volunteer(session, committee, name)
        label = volunteer.name
        changed = action(session, volunteer, services.now())
        session.commit()
    forget_roles(services, changed.openid)  # or a cached role outlives the change
    click.echo(done.format(name=label, released=changed.released))


@volunteers_group.command("approve")
@click.argument("name")
def volunteers_approve(name: str) -> None:
    """Approve (or resume) volunteer NAME ('#ID' when two share a name); they are told."""
    _change(name, approve, "{name} is now an active volunteer and has been told")


@volunteers_group.command("pause")
@click.argument("name")
def volunteers_pause(name: str) -> None:
    """Pause volunteer NAME: no new shifts, and booked ones not yet started are released."""
    _change(name, pause, "{name} is paused; {released} booked shifts released")


@volunteers_group.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def volunteers_remove(name: str, yes: bool) -> None:
    """Remove volunteer NAME: shifts released, name, building, phone and WeChat link erased."""
    if not yes:
        click.confirm(f"Erase {name}'s personal details for good?", abort=True)
    _change(name, remove, "{name} is removed and their details erased; "
            "{released} booked shifts released")


@volunteers_group.command("report")
@click.option("--month", required=True, help="The month, as 2026-11.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV for a spreadsheet.")
def volunteers_report(month: str, as_csv: bool) -> None:
    """Hours per volunteer, coverage per station and slot, and no-shows in MONTH."""
    try:
        year, number = (int(part) for part in month.split("-"))
        datetime(year, number, 1)
    except ValueError:
        raise click.ClickException(f"--month '{month}' is not a month like 2026-11") from None
    with _admin() as (session, committee, services):
        report = month_report(session, committee, year, number, services.now())
    click.echo(render_csv(report) if as_csv else render_text(report), nl=not as_csv)


@stations_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stations_import(path: Path) -> None:
    """Create or update the stations, slots and exceptions in a YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise click.ClickException(f"{path} is not valid YAML: {error}") from None
    with _admin() as (session, committee, services):
        imported = import_stations(session, committee, data, services.now())
        for shift, note in imported.called_off:
            volunteer = shift.volunteer
            if volunteer.openid:
                owe(session, volunteer.openid, VTEXTS.say(
                    "slot_closed", volunteer.lang, note=note or "-",
                    **slot_values(shift.station, shift, volunteer.lang)), audience="resident")
        session.commit()
        count = len(imported.stations)
    click.echo(f"imported {count} stations; {len(imported.called_off)} booked shifts "
               f"called off by closures (volunteers told)")


@stations_group.command("list")
def stations_list() -> None:
    """List the stations in use with their slots and responsible staff member."""
    with _admin() as (session, committee, _):
        rows = []
        for station in active_stations(session, committee):
            slots = ", ".join(f"{v['slot']} {v['times']}×{p.capacity}" for p in station.plans
                              for v in [plan_values(station, p.number, "zh")])
            rows.append([station.code, station.name, slots,
                         "yes" if station.latitude is not None else "no",
                         _staff_name(session, station.staff_id)])
    click.echo("\n".join(text_table(["code", "name", "slots (×capacity)", "location", "staff"],
                                    rows)))


def _staff_name(session: DbSession, staff_id: int | None) -> str:
    staff = session.get(Staff, staff_id) if staff_id else None
    return staff.name if staff else "(director)"


@stations_group.command("qrcode")
@click.argument("code")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to save the PNG (default: checkin-CODE.png).")
def stations_qrcode(code: str, out: Path | None) -> None:
    """Create station CODE's permanent check-in QR code through the WeChat API; save a PNG."""
    with _admin() as (session, committee, services):
        if station_by_code(session, committee, code) is None:
            raise click.ClickException(f"no station has the code '{code}'")
    try:
        image = checkin_qr_png(services, code)
    except WeChatApiError as error:
        raise click.ClickException(str(error)) from None
    target = out or Path(f"checkin-{code}.png")
    target.write_bytes(image)
    click.echo(f"saved {target} ({len(image)} bytes): scene {CHECKIN_SCENE}{code}")
