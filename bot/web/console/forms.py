"""Helpers shared by the console's admin forms: apply a core change, report it, redirect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import flash, g, redirect, request
from werkzeug.wrappers import Response

from bot.core.errors import RefusalError


class FormError(RefusalError):
    """A form field the core never saw because it could not be read; the message names it."""


def apply_change(change: Callable[[], str], back: str) -> Response:
    """Run CHANGE in the request's session; commit and flash its message, or flash the refusal."""
    try:
        message = change()
    except RefusalError as error:  # shown, nothing changed; anything else is a bug
        g.db_session.rollback()
        flash(str(error), "error")
    else:
        g.db_session.commit()
        flash(message, "ok")
    return redirect(back)


def field(name: str) -> str:
    """Return a form field, stripped; a missing field reads as empty."""
    return request.form.get(name, "").strip()


def date_field(name: str) -> date:
    """Return a YYYY-MM-DD form field, or refuse naming it."""
    text = field(name)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormError(f"{name} '{text}' is not a date like 2026-11-30") from None


def pairs_field(name: str, shape: str) -> dict[str, str]:
    """Return a field of KEY=VALUE words (as the CLI takes them) as a dict."""
    pairs: dict[str, str] = {}
    for word in field(name).replace(",", " ").split():
        key, sep, value = word.partition("=")
        if not sep or not key or not value:
            raise FormError(f"'{word}' is not {shape}")
        if key in pairs:
            raise FormError(f"'{key}' is given twice")
        pairs[key] = value
    return pairs
