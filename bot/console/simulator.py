"""The web simulator: talk to this service's own webhook as WeChat would, and watch the fake API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import requests
from flask import abort, current_app, g, jsonify, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.chat import Channel
from bot.console.auth import F, committee, console, login_required, services
from bot.roster import Staff
from bot.volunteers import Volunteer

MENU_KEYS = ("help", "my_tickets", "duty")
"""The menu buttons the simulator offers, as CLICK event keys (the account's real menu)."""
MAX_TEXT = 600
"""Longest message the simulator sends; WeChat's own limit on a text message is about 2,000."""
WEBHOOK_URL_CONFIG = "LINLI_SIMULATOR_WEBHOOK_URL"
"""App config key overriding where messages go (tests point it at a live server thread)."""
CALLS_TIMEOUT = 2.0


def simulator_on(view: F) -> F:
    """Answer 404 unless the simulator is enabled, before anything else is revealed."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not services().settings.is_simulator_on:
            abort(404)
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


@console.app_context_processor
def _simulator_flag() -> dict[str, Any]:
    return {"is_simulator_on": services().settings.is_simulator_on}


def webhook_url() -> str:
    """Return this same server's webhook URL, unless the app's config names another."""
    configured = current_app.config.get(WEBHOOK_URL_CONFIG)
    return str(configured) if configured else request.host_url + "wechat"


def _people() -> dict[str, list[tuple[str, str]]]:
    """Bound staff and volunteers of this committee as (choice value, name) pairs; no OpenIDs."""
    session = g.db_session
    staff = session.scalars(select(Staff).where(
        Staff.committee == committee(), Staff.is_active, Staff.openid.isnot(None))
        .order_by(Staff.name))
    volunteers = session.scalars(select(Volunteer).where(
        Volunteer.committee == committee(), Volunteer.openid.isnot(None),
        Volunteer.status.in_(("active", "paused"))).order_by(Volunteer.name))
    return {"staff": [(f"staff:{s.id}", s.name) for s in staff],
            "volunteers": [(f"volunteer:{v.id}", v.name) for v in volunteers]}


def _openid_of(who: str, resident_openid: str) -> str | None:
    """Resolve the picker's choice to an OpenID, server side, so the page never lists them."""
    kind, _, number = who.partition(":")
    if kind == "resident":
        openid = resident_openid.strip()
        return openid if 0 < len(openid) <= 64 else None
    if kind not in ("staff", "volunteer") or not number.isdigit():
        return None
    model: type[Staff] | type[Volunteer] = Staff if kind == "staff" else Volunteer
    person = g.db_session.get(model, int(number))
    if person is None or person.committee != committee():
        return None
    bound: str | None = person.openid
    return bound


def _callback(kind: str, text: str, key: str) -> tuple[str, dict[str, str | int | float]] | None:
    """Return the callback kind and fields for a typed message or a menu button."""
    if kind == "menu" and key in MENU_KEYS:
        return "event", {"Event": "CLICK", "EventKey": key}
    if kind == "subscribe":
        return "event", {"Event": "subscribe", "EventKey": ""}
    if kind == "text" and 0 < len(text.strip()) <= MAX_TEXT:
        return "text", {"Content": text.strip()}
    return None


@console.get("/simulator")
@simulator_on
@login_required
def simulator() -> str:
    """The phone-shaped chat window."""
    return render_template("console/simulator.html", people=_people(),
                           is_safe_mode=services().settings.is_safe_mode)


@console.post("/simulator/send")
@simulator_on
@login_required
def simulator_send() -> tuple[Response, int] | Response:
    """Sign (and encrypt) one callback as WeChat does, post it to the webhook, return the reply."""
    form = request.form
    openid = _openid_of(form.get("who", ""), form.get("openid", ""))
    callback = _callback(form.get("kind", "text"), form.get("text", ""), form.get("key", ""))
    if openid is None or callback is None:
        return jsonify({"error": "choose who you are and type a message"}), 400
    channel = Channel(services().settings, webhook_url(), openid)
    try:
        reply = channel.send(callback[0], **callback[1])
    except requests.RequestException as error:
        current_app.logger.warning("simulator could not reach the webhook: %s",
                                   type(error).__name__)
        return jsonify({"error": f"cannot reach the webhook ({type(error).__name__})"}), 502
    return jsonify({"reply": reply})


def _fetch_calls(since: int) -> list[dict[str, Any]] | None:
    base = services().settings.wechat_api_base.removesuffix("cgi-bin/")
    try:
        response = requests.get(f"{base}_calls", params={"since": since}, timeout=CALLS_TIMEOUT)
        calls = response.json() if response.ok else None
    except (requests.RequestException, ValueError):
        return None  # a real WeChat API keeps no call log
    return calls if isinstance(calls, list) else None


@console.get("/simulator/calls")
@simulator_on
@login_required
def simulator_calls() -> Response:
    """What the fake WeChat API received from index `since` on, with staff names beside OpenIDs."""
    since = max(request.args.get("since", default=0, type=int), 0)
    calls = _fetch_calls(since)
    if calls is None:
        return jsonify({"calls": [], "next": since, "error": "no fake WeChat API answers"})
    names = {s.openid: s.name for s in g.db_session.scalars(
        select(Staff).where(Staff.committee == committee(), Staff.openid.isnot(None)))}
    shown = [_describe(call, names.get) for call in calls if call.get("path") != "token"]
    return jsonify({"calls": shown, "next": since + len(calls)})


def _describe(call: dict[str, Any], name_of: Callable[[Any], str | None]) -> dict[str, Any]:
    body: dict[str, Any] = call["body"] if isinstance(call.get("body"), dict) else {}
    text = body.get("text", {}).get("content") if isinstance(body.get("text"), dict) else None
    return {"path": call.get("path"), "to": body.get("touser"),
            "to_name": name_of(body.get("touser")), "text": text,
            "errcode": call.get("errcode"), "body": body}
