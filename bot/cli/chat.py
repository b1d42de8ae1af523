"""`flask --app bot chat`: talk to a running Linli the way WeChat's servers do."""

from __future__ import annotations

import itertools
import secrets
import time

import click
import requests
from flask import current_app

from bot.core.settings import Settings
from bot.wechat.protocol import SafeMode, callback_xml, parse_xml, sign_query, wrap_for_wechat

HELP = ("Type a message and press Enter. Special lines: /subscribe, /unsubscribe, "
        "/voice TEXT, /image, /location LAT LON, /menu KEY, /quit")
ACCOUNT = "gh_linli_dev"


class Channel:
    """Signs, encrypts and posts callbacks to one webhook, and reads the replies."""

    def __init__(self, settings: Settings, url: str, openid: str) -> None:
        self.settings, self.url, self.openid = settings, url, openid
        self.safe = (SafeMode(settings.wechat_token, settings.wechat_aes_key, settings.wechat_appid)
                     if settings.wechat_aes_key else None)
        self.msg_ids = itertools.count(int(time.time() * 1000) * 1000 + secrets.randbelow(1000))

    def send(self, kind: str, **fields: str | int | float) -> str:
        """Post one callback and return the reply's text ('' when there is none)."""
        if kind != "event":
            fields["MsgId"] = next(self.msg_ids)
        xml = callback_xml(kind, self.openid, ACCOUNT, None, **fields)
        query = sign_query(self.settings.wechat_token)
        if self.safe:
            xml, query = wrap_for_wechat(self.safe, xml, query)
        response = requests.post(self.url, params=query, data=xml.encode("utf-8"), timeout=10,
                                 headers={"Content-Type": "text/xml"})
        if response.status_code != 200:
            return f"[HTTP {response.status_code}] {response.text[:200]}"
        if response.text in ("", "success"):
            return ""
        reply = parse_xml(response.content)
        if self.safe:
            reply = self.safe.open(reply, {"msg_signature": str(reply["MsgSignature"]),
                                           "timestamp": str(reply["TimeStamp"]),
                                           "nonce": str(reply["Nonce"])})
        return str(reply.get("Content", ""))


def _fake_calls(settings: Settings, since: int) -> list[dict[str, object]]:
    base = settings.wechat_api_base.removesuffix("cgi-bin/")
    try:
        response = requests.get(f"{base}_calls", params={"since": since}, timeout=2)
        calls = response.json() if response.ok else []
    except (requests.RequestException, ValueError):
        return []  # a real WeChat API has no call log
    return calls if isinstance(calls, list) else []


def _parse_line(line: str) -> tuple[str, dict[str, str | int | float]] | None:
    word, _, rest = line.partition(" ")
    simple: dict[str, tuple[str, dict[str, str | int | float]]] = {
        "/subscribe": ("event", {"Event": "subscribe", "EventKey": rest}),
        "/unsubscribe": ("event", {"Event": "unsubscribe"}),
        "/menu": ("event", {"Event": "CLICK", "EventKey": rest}),
        "/voice": ("voice", {"MediaId": "dev-media", "Format": "amr", "Recognition": rest}),
        "/image": ("image", {"PicUrl": "http://example.invalid/p.jpg", "MediaId": "dev-media"}),
    }
    if word in simple:
        return simple[word]
    if word == "/location":
        lat, _, lon = rest.partition(" ")
        return "location", {"Location_X": float(lat or 31.19), "Location_Y": float(lon or 121.45),
                            "Scale": 16, "Label": ""}
    if line.startswith("/"):
        return None
    return "text", {"Content": line}


@click.command("chat")
@click.option("--url", default="http://127.0.0.1:8000/wechat", help="The webhook to talk to.")
@click.option("--as", "openid", default="o-dev-resident-0001", help="Who is talking (OpenID).")
def chat(url: str, openid: str) -> None:
    """Chat with a running Linli as a WeChat user; shows what the fake WeChat API received."""
    settings: Settings = current_app.extensions["linli.services"].settings
    channel = Channel(settings, url, openid)
    seen = len(_fake_calls(settings, 0))
    click.echo(f"Talking to {url} as {openid}{' (safe mode)' if channel.safe else ''}. {HELP}")
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            break
        if line in ("/quit", "/exit"):
            break
        parsed = _parse_line(line) if line else None
        if parsed is None:
            click.echo(HELP)
            continue
        try:
            reply = channel.send(parsed[0], **parsed[1])
        except requests.RequestException as error:
            click.echo(f"[cannot reach {url}: {type(error).__name__}] is `make run` running?")
            continue
        click.echo(f"linli> {reply or '(no reply)'}")
        time.sleep(0.8)  # let the worker deliver follow-ups before looking
        for call in _fake_calls(settings, seen):
            seen += 1
            if call.get("path") == "token":
                continue
            body = call.get("body") or {}
            refused = f" (refused: errcode {call['errcode']})" if call.get("errcode") else ""
            click.echo(f"  [WeChat API] {call.get('path')}{refused} -> {body}")
