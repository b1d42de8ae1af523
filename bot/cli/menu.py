"""`flask --app bot menu push`: the Official Account's custom menu, created through the API."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from bot.core.services import Services
from bot.wechat.api import WeChatApiError, wechat_errors

menu_group = AppGroup("menu", help="The Official Account's custom menu.")

# Each key is handled by a @routes.menu(...) handler; the names are what residents tap.
MENU = {"button": [
    {"type": "click", "name": "办事指南", "key": "help"},
    {"type": "click", "name": "我的工单", "key": "my_tickets"},
    {"type": "click", "name": "今日值班", "key": "duty"},
]}


@menu_group.command("push")
def push_menu() -> None:
    """Create (or replace) the custom menu: 办事指南, 我的工单, 今日值班."""
    services: Services = current_app.extensions["linli.services"]
    try:
        with wechat_errors():
            services.wechat.menu.create(MENU)
    except WeChatApiError as error:
        raise click.ClickException(f"WeChat refused the menu: {error}") from None
    click.echo("menu created: " + ", ".join(b["name"] for b in MENU["button"]))
