"""Declarative routing of WeChat messages to handlers, by command, flow, key, event and kind."""

from __future__ import annotations

import difflib
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from bot.core.errors import RefusalError
from bot.wechat.messages import Incoming, Reply

if TYPE_CHECKING:
    from bot.dispatch.context import Context

log = logging.getLogger(__name__)

Handler = Callable[[Incoming, "Context"], Reply | None]
H = TypeVar("H", bound=Handler)
ROLES = frozenset({"resident", "staff", "volunteer", "admin"})
"""Roles a handler may be declared for; anything else fails at start-up."""
# Lower rank wins: a command beats an open conversation, which beats a menu key, and so on.
RANKS = ("command", "flow", "menu", "scene", "event", "kind", "fallback")


class RouteConflictError(RuntimeError):
    """Two handlers claim the same route, or a route names an unknown role."""



@dataclass(frozen=True)
class Route:
    """One registration: what it answers to, for which roles, and the handler."""

    rank: str
    key: str
    handler: Handler
    roles: frozenset[str]


class Routes:
    """A feature's registrations, declared with decorators and added to a Router at start-up."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def _add(self, rank: str, keys: Iterable[str], roles: Iterable[str]) -> Callable[[H], H]:
        role_set = frozenset(roles)
        unknown = role_set - ROLES
        if unknown:
            raise RouteConflictError(f"unknown role(s) {sorted(unknown)}")

        def register(handler: H) -> H:
            self.routes.extend(Route(rank, key, handler, role_set) for key in keys)
            return handler

        return register

    def command(self, *words: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle text whose first word is one of WORDS."""
        return self._add("command", (w.lower() for w in words), roles)

    def flow(self, name: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle the next message of a conversation the session marks as NAME."""
        return self._add("flow", [name], roles)

    def menu(self, *keys: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle a click on a custom-menu button with one of KEYS."""
        return self._add("menu", keys, roles)

    def scene(self, prefix: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle a QR-code scan whose scene starts with PREFIX."""
        return self._add("scene", [prefix], roles)

    def event(self, *names: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle events such as subscribe or unsubscribe."""
        return self._add("event", (n.lower() for n in names), roles)

    def kind(self, *kinds: str, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle messages of a kind: text, voice, image, location..."""
        return self._add("kind", kinds, roles)

    def fallback(self, roles: Iterable[str] = ("resident",)) -> Callable[[H], H]:
        """Handle whatever nothing else does."""
        return self._add("fallback", ["*"], roles)


class Router:
    """Finds the one handler for a message and turns refusals and failures into replies."""

    def __init__(self, routes: Iterable[Routes] = ()) -> None:
        self.table: dict[tuple[str, str], list[Route]] = {}
        for group in routes:
            self.include(group)

    def include(self, group: Routes) -> None:
        """Add a feature's routes; a slot already taken for any of the same roles fails at once."""
        for route in group.routes:
            slot = (route.rank, route.key)
            for taken in self.table.get(slot, []):
                if taken.roles & route.roles:
                    raise RouteConflictError(
                        f"{route.rank} '{route.key}' is handled by both "
                        f"{taken.handler.__module__}.{taken.handler.__name__} and "
                        f"{route.handler.__module__}.{route.handler.__name__}")
            # Within a slot the route for the narrower (non-resident) roles is tried first.
            self.table[slot] = sorted([*self.table.get(slot, []), route],
                                      key=lambda r: "resident" in r.roles)

    def command_words(self, roles: frozenset[str]) -> list[str]:
        """Return the command words open to someone with ROLES (for help and 'did you mean')."""
        return [key for (rank, key), routes in self.table.items()
                if rank == "command" and any(r.roles & roles for r in routes)]

    def candidates(self, message: Incoming, flow: str | None) -> list[tuple[str, str]]:
        """List the routes that could take MESSAGE, best first."""
        slots: list[tuple[str, str]] = []
        if message.kind in ("text", "voice") and message.text:
            whole = " ".join(message.text.lower().split()).rstrip("?？!！.。")
            words = whole.split()
            # Whole text ('my tickets'), two words with arguments ('cancel ticket 12'), one word.
            for size in sorted({len(words), min(2, len(words)), 1}, reverse=True):
                slots.append(("command", " ".join(words[:size])))
        if flow and message.kind != "event":
            # An open conversation takes what the person sends, not what WeChat reports.
            slots.append(("flow", flow))
        if message.kind == "event":
            event = message.event.lower()
            if event == "click":
                slots.append(("menu", message.event_key))
            if event in ("subscribe", "scan") and message.event_key:
                scene = message.event_key.removeprefix("qrscene_")
                prefixes = [key for rank, key in self.table
                            if rank == "scene" and scene.startswith(key)]
                # The most specific prefix wins, whatever order features registered in.
                slots.extend(("scene", key) for key in sorted(prefixes, key=len, reverse=True))
            slots.append(("event", event))
        slots.append(("kind", message.kind))
        slots.append(("fallback", "*"))
        return slots

    def resolve(self, message: Incoming, flow: str | None,
                roles: str | frozenset[str]) -> Route | None:
        """Return the route that takes MESSAGE from someone with ROLES, None if it is denied."""
        held = frozenset({roles}) if isinstance(roles, str) else roles
        for slot in self.candidates(message, flow):
            routes = self.table.get(slot)
            if not routes:
                continue
            for route in routes:
                if route.roles & held:
                    return route
            if slot[0] == "command":
                # A command word belongs to its roles; others are told no, not sent on.
                return None
        return None

    def suggest(self, message: Incoming, roles: frozenset[str]) -> str | None:
        """Return the privileged command a mistyped one probably meant ('签手 3' -> '签收')."""
        if message.kind != "text" or not roles - {"resident"}:
            return None
        words = message.text.split(maxsplit=1)
        if len(words) < 2 or not words[1][:1].isdigit():
            return None  # only 'word number ...' looks like a command; questions pass
        privileged = [w for w in self.command_words(roles - {"resident"})
                      if not any("resident" in r.roles for r in self.table[("command", w)])]
        close = difflib.get_close_matches(words[0].lower(), privileged, n=1, cutoff=0.5)
        return close[0] if close and close[0] != words[0].lower() else None

    def dispatch(self, message: Incoming, ctx: Context) -> Reply | None:
        """Run the handler for MESSAGE and return its reply; never raise."""
        route = self.resolve(message, ctx.session.flow, ctx.roles)
        if route is None:
            return Reply(ctx.say("not_allowed"))
        if route.rank != "command":
            guess = self.suggest(message, ctx.roles)
            if guess is not None:
                return Reply(ctx.say("did_you_mean", command=guess,
                                     rest=message.text.split(maxsplit=1)[1]))
        try:
            return route.handler(message, ctx)
        except RefusalError as refusal:
            return Reply(refusal.text(ctx.lang))
        except Exception as error:
            # The reference and route say enough to find the case. Exception messages can
            # quote the resident's words (SQL parameters, say), so only frames are logged.
            log.error("handler failed: ref=%s route=%s:%s %s\n%s", message.log_ref, route.rank,
                      route.key, type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)))
            ctx.keep_failed(message)
            return Reply(ctx.say("apology"))
