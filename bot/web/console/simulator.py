"""The web simulator: talk to this service's own webhook as WeChat would, and watch the fake API.

Only the director and administrators may use it, and only as identities of their own: a test
resident `sim-resident-<account id>` (with an optional label for more than one), or themselves
as staff when their own WeChat is bound. It never speaks as another person, so it never shows
another person's tickets; the API calls it shows have phone numbers masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import requests
from flask import abort, current_app, g, jsonify, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.cli.chat import Channel
from bot.core.privacy import mask_phone
from bot.staff.roster import Staff
from bot.web.console.auth import F, admin_required, committee, console, services

MENU_KEYS = ("help", "my_tickets", "duty")
"""The menu buttons the simulator offers, as CLICK event keys (the account's real menu)."""
MAX_TEXT = 600
"""Longest message the simulator sends; WeChat's own limit on a text message is about 2,000."""
WEBHOOK_URL_CONFIG = "LINLI_SIMULATOR_WEBHOOK_URL"
"""App config key overriding where messages go (tests point it at a live server thread)."""
LOOPBACK_WEBHOOK = "http://127.0.0.1:{port}/wechat"
"""Where messages go otherwise: this machine, on the port `make run` serves (LINLI_PORT)."""
RESIDENT_PREFIX = "sim-resident-"
"""Real OpenIDs start with 'o': a simulated resident can never be a real one."""
LABEL = re.compile(r"[A-Za-z0-9_-]{0,24}")
PHONE = re.compile(r"(?<![\d#])(?:1[3-9]\d(?:[- ]?\d{4}){2}|0\d{2,3}-?\d{7,8})(?!\d)")
"""A mobile or landline number inside a message (never a ticket number written #123)."""
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


def webhook_url() -> str | None:
    """Return this server's own webhook URL on the loopback, None when it cannot be known."""
    configured = current_app.config.get(WEBHOOK_URL_CONFIG)
    if configured:
        return str(configured)
    # Never the request's Host: a forged one would have us sign a callback for another server.
    port = services().settings.web_port
    return LOOPBACK_WEBHOOK.format(port=port) if port < 65536 else None


def resident_openid(staff: Staff, label: str = "") -> str | None:
    """Return the test resident OpenID of STAFF's simulator, None for a label it cannot take."""
    label = label.strip()
    if not LABEL.fullmatch(label):
        return None
    return f"{RESIDENT_PREFIX}{staff.id}" + (f"-{label}" if label else "")


def _openid_of(who: str, label: str) -> str | None:
    """Resolve the picker's choice to one of the signed-in account's own identities."""
    staff: Staff = g.staff
    if who == "resident":
        return resident_openid(staff, label)
    if who == "me":
        return staff.openid
    return None


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
@admin_required
def simulator() -> str:
    """The phone-shaped chat window."""
    return render_template("console/simulator.html", prefix=resident_openid(g.staff),
                           is_safe_mode=services().settings.is_safe_mode)


@console.post("/simulator/send")
@simulator_on
@admin_required
def simulator_send() -> tuple[Response, int] | Response:
    """Sign (and encrypt) one callback as WeChat does, post it to the webhook, return the reply."""
    form = request.form
    openid = _openid_of(form.get("who", ""), form.get("resident", ""))
    callback = _callback(form.get("kind", "text"), form.get("text", ""), form.get("key", ""))
    if openid is None or callback is None:
        error = "请选择身份并输入消息。Choose who you are and type a message."
        return jsonify({"error": error}), 400
    url = webhook_url()
    if url is None:
        return jsonify({"error": "LINLI_PORT 不是端口号。LINLI_PORT is not a port number."}), 500
    channel = Channel(services().settings, url, openid)
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
@admin_required
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


def _masked(value: Any) -> Any:
    """Return VALUE (text, or JSON made of dicts and lists) with every phone number masked."""
    if isinstance(value, str):
        return PHONE.sub(lambda found: mask_phone(found.group()), value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _describe(call: dict[str, Any], name_of: Callable[[Any], str | None]) -> dict[str, Any]:
    body: dict[str, Any] = _masked(call["body"]) if isinstance(call.get("body"), dict) else {}
    text = body.get("text", {}).get("content") if isinstance(body.get("text"), dict) else None
    return {"path": call.get("path"), "to": body.get("touser"),
            "to_name": name_of(body.get("touser")), "text": text,
            "errcode": call.get("errcode"), "body": body}
