"""`flask --app bot accounts ...`: console passwords and administrators, from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.cli.common import admin_session
from bot.staff.accounts import set_password
from bot.staff.staffing import find_staff

accounts_group = AppGroup("accounts", help="Console sign-in: passwords and administrators.")


@accounts_group.command("set-password")
@click.argument("name")
@click.password_option("--password", help="The new password (asked for when not given).")
def set_account_password(name: str, password: str) -> None:
    """Set NAME's console password (at least 10 characters); only its salted hash is kept."""
    with admin_session() as (session, committee):
        staff = find_staff(session, committee, name)
        set_password(staff, password)
        session.commit()
    click.echo(f"password set for {name}")


@accounts_group.command("grant-admin")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Take the administrator role away instead.")
def grant_admin(name: str, revoke: bool) -> None:
    """Make NAME a console administrator (sees and changes everything), or --revoke it."""
    with admin_session() as (session, committee):
        staff = find_staff(session, committee, name)
        staff.is_admin = not revoke
        session.commit()
    click.echo(f"{name} is {'no longer ' if revoke else ''}an administrator")
