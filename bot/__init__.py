"""Linli's core (settings, records, router, context) and edge (webhook, app factory, CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from bot.core.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Create the Linli web application (imported lazily so jobs need not load Flask)."""
    from bot.web.app import create_app as build

    return build(settings)
