"""The edge on the command line: `flask --app bot ...`, one module per command group."""

from __future__ import annotations

from flask import Flask

from bot.cli.accounts import accounts_group
from bot.cli.chat import chat
from bot.cli.fake_api import fake_wechat
from bot.cli.guide import guide_group
from bot.cli.menu import menu_group
from bot.cli.records import db_group, notifications_group, tickets_group
from bot.cli.report import report_group
from bot.cli.roster import roster_group
from bot.cli.staff import staff_group
from bot.cli.volunteers import stations_group, volunteers_group


def register_commands(app: Flask) -> None:
    """Add every command group to APP."""
    for command in (db_group, guide_group, tickets_group, notifications_group, fake_wechat,
                    chat, staff_group, roster_group, report_group, menu_group,
                    accounts_group, volunteers_group,
                    stations_group):
        app.cli.add_command(command)
