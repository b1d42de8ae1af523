"""Following and unfollowing the account, menu buttons, and messages we cannot read."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Routes
from bot.wechat.messages import Incoming, Reply
from handlers.texts import TEXTS

routes = Routes()


def _welcome(ctx: Context) -> Reply:
    name = ctx.guide.committee.name
    return Reply(TEXTS.say("welcome", ctx.lang, committee=name.zh, committee_en=name.en))


@routes.event("subscribe")
def welcome(message: Incoming, ctx: Context) -> Reply:
    """Greet a new follower with what the account can do."""
    return _welcome(ctx)


@routes.command("帮助", "help", "菜单", "menu")
@routes.menu("help", "guide")
def menu_help(message: Incoming, ctx: Context) -> Reply:
    """Explain the service from the menu."""
    return _welcome(ctx)


@routes.event("unsubscribe")
def farewell(message: Incoming, ctx: Context) -> None:
    """Close any open conversation; WeChat delivers no reply to someone who left."""
    ctx.session.end()


@routes.fallback()
def other_kind(message: Incoming, ctx: Context) -> Reply | None:
    """Answer kinds we cannot read politely; stay silent on events that need no answer."""
    if message.kind == "event":
        # A menu button we do not know (an old menu still cached on a phone) gets the help.
        return _welcome(ctx) if message.event.lower() == "click" else None
    return Reply(TEXTS.say("other_kind", ctx.lang))
