"""The application factory: the one place where settings, services and routes are composed."""

from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.core.services import Services, install_services
from bot.core.settings import Settings
from bot.dispatch.router import Router
from handlers import (
    binding,
    checkin,
    duty,
    handoff,
    person,
    questions,
    shift_desk,
    staff_desk,
    status,
    volunteering,
    welcome,
)
from knowledge.loader import GuideError

log = logging.getLogger(__name__)

FEATURES = (status, handoff, questions, person, welcome, staff_desk, binding, duty,
            volunteering, shift_desk, checkin)


def build_router() -> Router:
    """Return a router with every feature's routes; a route claimed twice fails here."""
    return Router(feature.routes for feature in FEATURES)


def create_app(settings: Settings | None = None) -> Flask:
    """Create the Linli web application."""
    settings = settings or Settings.from_env()
    app = Flask("linli")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    services = Services(settings)
    install_services(services)
    app.extensions["linli.services"] = services
    app.extensions["linli.router"] = build_router()
    try:
        services.index  # noqa: B018 - load the guide now, not on a resident's first message
    except GuideError as error:
        # `flask guide check` must still start so it can name the problem.
        if not os.environ.get("FLASK_RUN_FROM_CLI"):
            raise
        log.warning("the guide does not load: %s", error)

    from bot.cli import register_commands
    from bot.web.console import console
    from bot.web.webhook import webhook

    app.secret_key = settings.secret_key
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.environment == "production")
    if settings.trusted_proxies:
        # Only then is X-Forwarded-For believed: without a proxy anyone could send one.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    app.register_blueprint(webhook)
    app.register_blueprint(console)
    register_commands(app)
    if settings.is_development and settings.defaulted:
        log.warning("development setup: using defaults for %s", ", ".join(settings.defaulted))
    return app
