"""Render passive replies as WeChat XML that a resident's own words can never break."""

from __future__ import annotations

import re

from bot.wechat.messages import Incoming, Reply

# Characters XML 1.0 forbids even inside CDATA; a resident can still type or paste them.
_FORBIDDEN = {c: None for c in [*range(32), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
              if c not in (9, 10, 13)}
_HAS_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_REPLY_BYTES = 2048
"""WeChat truncates passive text replies past about 2,048 bytes."""


def cdata(text: str) -> str:
    """Wrap TEXT in CDATA, splitting any ']]>' so it cannot close the section early."""
    # translate() is slow on Chinese text; the search finds the rare bad character first.
    clean = text.translate(_FORBIDDEN) if _HAS_FORBIDDEN.search(text) else text
    clean = clean.replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{clean}]]>"


def fit(text: str, limit: int = MAX_REPLY_BYTES) -> str:
    """Shorten TEXT to LIMIT bytes of UTF-8 at a character boundary."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def render_reply(message: Incoming, reply: Reply, now: int) -> str:
    """Return the XML of a passive text reply to MESSAGE."""
    return (
        "<xml>"
        f"<ToUserName>{cdata(message.openid)}</ToUserName>"
        f"<FromUserName>{cdata(message.account)}</FromUserName>"
        f"<CreateTime>{now}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(fit(reply.text))}</Content>"
        "</xml>"
    )
