"""`flask --app bot db upgrade`, `tickets list`, `notifications flush`: the records themselves."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from bot.cli.common import app_services
from bot.core.database import upgrade_database
from bot.core.privacy import mask_phone
from bot.tickets.opening import list_tickets

db_group = AppGroup("db", help="Create or migrate the database.")
tickets_group = AppGroup("tickets", help="Look at tickets.")
notifications_group = AppGroup("notifications", help="Notifications owed to staff.")


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by DATABASE_URL."""
    url = app_services().settings.database_url
    upgrade_database(url)
    click.echo(f"database is up to date: {url.split('@')[-1]}")


@tickets_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per ticket.")
@click.option("--status", default=None, help="Only tickets with this status.")
@click.option("--reveal", is_flag=True, help="Show phone numbers in full (personal data).")
def tickets_list(as_json: bool, status: str | None, reveal: bool) -> None:
    """List tickets; phone numbers are masked unless --reveal."""
    for ticket in list_tickets(app_services().db, status):
        details = dict(ticket.details)
        if "phone" in details and not reveal:
            details["phone"] = mask_phone(str(details["phone"]))
        row = {"id": ticket.id, "committee": ticket.committee, "kind": ticket.kind,
               "item": ticket.item_code, "line": ticket.line, "status": ticket.status,
               "urgent": ticket.is_urgent, "lang": ticket.lang, "details": details,
               "text": ticket.request_text, "created_at": ticket.created_at.isoformat(),
               "events": [{"kind": e.kind, "actor": e.actor, "at": e.created_at.isoformat()}
                          for e in ticket.events]}
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"#{ticket.id:<5} {ticket.status:<9} {ticket.kind:<9} "
                       f"{ticket.item_code or '-':<22} {ticket.created_at:%Y-%m-%d %H:%M}")


@notifications_group.command("flush")
def notifications_flush() -> None:
    """Queue every notification still pending (after Redis was down)."""
    from workers.notify import sweep_notifications

    click.echo(f"queued {sweep_notifications(min_age_seconds=0)} pending notifications")
