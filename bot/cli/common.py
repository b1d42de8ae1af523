"""What every command group shares: the app's services, one-line refusals, argument parsing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session as DbSession

from bot.core.errors import RefusalError
from bot.core.services import Services


def app_services() -> Services:
    """Return the services of the app the command runs in."""
    return current_app.extensions["linli.services"]  # type: ignore[no-any-return]


class AdminGroup(AppGroup):
    """A command group whose every error, a mistyped argument included, exits 1 in one line."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; click's own usage errors exit 1 like ours (scripts test for 1)."""
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            hint = f" (try `{error.ctx.command_path} --help`)" if error.ctx else ""
            raise click.ClickException(error.format_message() + hint) from None


@contextmanager
def admin_session() -> Iterator[tuple[DbSession, str]]:
    """Yield a session and the committee's code; a refusal becomes a one-line exit 1."""
    services = app_services()
    committee = services.index.guide.committee.code
    try:
        with services.db.session() as session:
            yield session, committee
    except RefusalError as error:
        raise click.ClickException(str(error)) from None


def parse_day(text: str, what: str) -> date:
    """Return the date written YYYY-MM-DD, or refuse naming WHAT."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.ClickException(f"{what} '{text}' is not a date like 2026-11-30") from None


def parse_pairs(args: tuple[str, ...], shape: str) -> dict[str, str]:
    """Return KEY=VALUE arguments as a dict, refusing malformed or repeated keys."""
    pairs: dict[str, str] = {}
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.ClickException(f"'{arg}' is not {shape}")
        if key.strip() in pairs:
            raise click.ClickException(f"'{key.strip()}' is given twice")
        pairs[key.strip()] = value.strip()
    return pairs
