"""Router and Routes on their own: conflicts, roles and precedence, without a dialogue."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dispatch.router import RANKS, Route, RouteConflictError, Router, Routes
from bot.wechat.messages import Incoming, Reply


def text(words: str) -> Incoming:
    return Incoming(kind="text", openid="o", account="a", create_time=1, text=words)


def event(name: str, key: str = "") -> Incoming:
    return Incoming(kind="event", openid="o", account="a", create_time=1, event=name,
                    event_key=key)


def on_command(message: Incoming, ctx: Any) -> Reply:
    return Reply("command")


def on_flow(message: Incoming, ctx: Any) -> Reply:
    return Reply("flow")


def on_menu(message: Incoming, ctx: Any) -> Reply:
    return Reply("menu")


def on_scene(message: Incoming, ctx: Any) -> Reply:
    return Reply("scene")


def on_event(message: Incoming, ctx: Any) -> Reply:
    return Reply("event")


def on_kind(message: Incoming, ctx: Any) -> Reply:
    return Reply("kind")


def on_fallback(message: Incoming, ctx: Any) -> Reply:
    return Reply("fallback")


def other_command(message: Incoming, ctx: Any) -> Reply:
    return Reply("other")


def routes_for(ranks: list[str]) -> Routes:
    """Register one resident handler per rank in RANKS, each answering the test messages."""
    routes = Routes()
    declare = {
        "command": lambda: routes.command("进度", "my tickets")(on_command),
        "flow": lambda: routes.flow("handoff")(on_flow),
        "menu": lambda: routes.menu("help")(on_menu),
        "scene": lambda: routes.scene("checkin")(on_scene),
        "event": lambda: routes.event("subscribe", "CLICK", "SCAN")(on_event),
        "kind": lambda: routes.kind("text", "event")(on_kind),
        "fallback": lambda: routes.fallback()(on_fallback),
    }
    for rank in ranks:
        declare[rank]()
    return routes


def winner(router: Router, message: Incoming, flow: str | None = None,
           role: str = "resident") -> str | None:
    route = router.resolve(message, flow, role)
    return None if route is None else route.rank


def test_ranks_are_declared_best_first() -> None:
    assert RANKS == ("command", "flow", "menu", "scene", "event", "kind", "fallback")


def test_a_route_claimed_twice_fails_naming_both_handlers() -> None:
    first, second = Routes(), Routes()
    first.command("进度")(on_command)
    second.command("进度")(other_command)
    with pytest.raises(RouteConflictError) as caught:
        Router([first, second])
    message = str(caught.value)
    assert f"{__name__}.on_command" in message
    assert f"{__name__}.other_command" in message
    assert "进度" in message


def test_a_route_claimed_twice_fails_even_via_include() -> None:
    router = Router([routes_for(["fallback"])])
    with pytest.raises(RouteConflictError, match="on_fallback"):
        router.include(routes_for(["fallback"]))


def test_commands_are_compared_in_lower_case_so_case_variants_conflict() -> None:
    first, second = Routes(), Routes()
    first.command("My Tickets")(on_command)
    second.command("my tickets")(other_command)
    with pytest.raises(RouteConflictError):
        Router([first, second])


def test_the_same_key_under_different_ranks_is_no_conflict() -> None:
    routes = Routes()
    routes.command("help")(on_command)
    routes.menu("help")(on_menu)
    router = Router([routes])
    assert winner(router, text("help")) == "command"
    assert winner(router, event("CLICK", "help")) == "menu"


@pytest.mark.parametrize("declare", [
    lambda r: r.command("x", roles=("visitor",)),
    lambda r: r.flow("x", roles=("resident", "Staff")),
    lambda r: r.menu("x", roles=("adminstrator",)),
    lambda r: r.scene("x", roles=("",)),
    lambda r: r.event("subscribe", roles=("guest",)),
    lambda r: r.kind("text", roles=("residents",)),
    lambda r: r.fallback(roles=("anyone",)),
])
def test_an_unknown_role_fails_at_declaration(declare: Any) -> None:
    with pytest.raises(RouteConflictError, match="role"):
        declare(Routes())


@pytest.mark.parametrize(("message", "flow", "order"), [
    (text("进度"), "handoff", ["command", "flow", "kind", "fallback"]),
    (text("My Tickets?"), "handoff", ["command", "flow", "kind", "fallback"]),
    (text("5号楼"), "handoff", ["flow", "kind", "fallback"]),
    # An open conversation takes what the person sends, never what WeChat reports.
    (event("CLICK", "help"), "handoff", ["menu", "event", "kind", "fallback"]),
    (event("subscribe", "qrscene_checkin:3"), "handoff",
     ["scene", "event", "kind", "fallback"]),
    (event("SCAN", "checkin:3"), None, ["scene", "event", "kind", "fallback"]),
])
def test_precedence_is_command_flow_menu_scene_event_kind_fallback(
        message: Incoming, flow: str | None, order: list[str]) -> None:
    # Remove the winner each time: the next rank in line must take the message.
    for position, expected in enumerate(order):
        router = Router([routes_for(order[position:])])
        assert winner(router, message, flow) == expected


def test_every_rank_registered_the_best_one_wins_for_each_message() -> None:
    router = Router([routes_for(list(RANKS))])
    assert winner(router, text("进度"), "handoff") == "command"
    assert winner(router, text("楼道灯坏了"), "handoff") == "flow"
    assert winner(router, text("楼道灯坏了")) == "kind"
    assert winner(router, event("CLICK", "help"), "handoff") == "menu"
    assert winner(router, event("CLICK", "help")) == "menu"
    assert winner(router, event("CLICK", "unknown-key")) == "event"
    assert winner(router, event("subscribe")) == "event"
    assert winner(router, event("subscribe", "qrscene_checkin:3")) == "scene"
    assert winner(router, Incoming(kind="image", openid="o", account="a",
                                   create_time=1)) == "fallback"


def test_a_text_that_merely_contains_a_command_word_is_not_a_command() -> None:
    router = Router([routes_for(["command", "kind"])])
    assert winner(router, text("我想查一下进度")) == "kind"
    assert winner(router, text("进度 5号楼")) == "command"  # the first word is the command


def test_a_staff_command_is_denied_to_a_resident_rather_than_falling_through() -> None:
    routes = routes_for(["flow", "kind", "fallback"])
    routes.command("派单", roles=("staff",))(on_command)
    router = Router([routes])
    assert router.resolve(text("派单 #12"), "handoff", "resident") is None
    assert router.resolve(text("派单"), None, "resident") is None
    staff = router.resolve(text("派单 #12"), None, "staff")
    assert staff is not None and staff.handler is on_command


def test_a_resident_route_lets_other_roles_fall_through_to_the_next_rank() -> None:
    routes = Routes()
    routes.kind("text", roles=("resident",))(on_kind)
    routes.fallback(roles=("resident", "staff"))(on_fallback)
    router = Router([routes])
    assert winner(router, text("楼道灯坏了"), role="resident") == "kind"
    assert winner(router, text("楼道灯坏了"), role="staff") == "fallback"
    assert winner(router, text("楼道灯坏了"), role="volunteer") is None


def test_a_qr_scene_prefix_matches_on_subscribe_and_on_scan() -> None:
    routes = Routes()
    routes.scene("checkin")(on_scene)
    routes.event("subscribe", "scan")(on_event)
    router = Router([routes])
    subscribed = router.resolve(event("subscribe", "qrscene_checkin:3"), None, "resident")
    scanned = router.resolve(event("SCAN", "checkin:3"), None, "resident")
    assert isinstance(subscribed, Route) and subscribed.handler is on_scene
    assert isinstance(scanned, Route) and scanned.handler is on_scene
    assert winner(router, event("subscribe")) == "event"
    assert winner(router, event("SCAN", "parking:1")) == "event"
    assert winner(router, event("subscribe", "qrscene_parking:1")) == "event"


def test_a_scene_key_is_not_matched_on_a_menu_click() -> None:
    routes = Routes()
    routes.scene("checkin")(on_scene)
    routes.fallback()(on_fallback)
    assert winner(Router([routes]), event("CLICK", "checkin:3")) == "fallback"


def test_the_longest_matching_scene_prefix_wins_whatever_the_registration_order() -> None:
    routes = Routes()
    routes.scene("check")(on_event)
    routes.scene("checkin")(on_scene)
    route = Router([routes]).resolve(event("SCAN", "checkin:3"), None, "resident")
    assert route is not None and route.handler is on_scene


def test_nothing_registered_resolves_to_none() -> None:
    assert Router().resolve(text("你好"), None, "resident") is None
