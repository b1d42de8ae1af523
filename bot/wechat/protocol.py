"""WeChat's callback protocol: signatures, freshness, safe-mode encryption and XML parsing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException


class CallbackRejectedError(Exception):
    """A callback that must be refused; the status and reason go back to the caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def signature(token: str, *parts: str) -> str:
    """Return WeChat's SHA-1 signature over the token and PARTS, sorted."""
    return hashlib.sha1("".join(sorted([token, *parts])).encode("utf-8")).hexdigest()


def check_signature(token: str, query: Mapping[str, str], max_skew: int,
                    now: float | None = None) -> None:
    """Refuse a callback whose plain signature is wrong or whose timestamp is stale."""
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    expected = signature(token, timestamp, nonce)
    if not hmac.compare_digest(expected, query.get("signature", "")):
        raise CallbackRejectedError(403, "bad signature")
    # The plain signature never expires, so a captured callback could be replayed for ever.
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        raise CallbackRejectedError(403, "bad timestamp") from None
    if age > max_skew:
        raise CallbackRejectedError(403, "stale timestamp")


def parse_xml(body: bytes | str) -> dict[str, object]:
    """Parse a callback's <xml> element; entity tricks and malformed input are refused."""
    try:
        document = xmltodict.parse(body, disable_entities=True)
    except (ExpatError, ValueError, TypeError) as exc:
        raise CallbackRejectedError(400, f"malformed XML ({type(exc).__name__})") from None
    root = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise CallbackRejectedError(400, "no <xml> element")
    return root


@dataclass(frozen=True)
class SafeMode:
    """Decrypts callbacks and encrypts replies with the account's EncodingAESKey."""

    token: str
    aes_key: str
    appid: str

    @property
    def crypto(self) -> WeChatCrypto:
        """Return wechatpy's crypto for this account."""
        return WeChatCrypto(self.token, self.aes_key, self.appid)

    def open(self, envelope: dict[str, object], query: Mapping[str, str]) -> dict[str, object]:
        """Check msg_signature and decrypt the message inside ENVELOPE."""
        if not isinstance(envelope.get("Encrypt"), str):
            raise CallbackRejectedError(400, "safe-mode callback without <Encrypt>")
        try:
            plain = self.crypto.decrypt_message(
                envelope, query.get("msg_signature", ""), query.get("timestamp", ""),
                query.get("nonce", ""))
        except (InvalidSignatureException, InvalidAppIdException):
            raise CallbackRejectedError(403, "bad msg_signature or AppID") from None
        except (ValueError, TypeError, IndexError, UnicodeDecodeError, struct.error) as exc:
            # Truncated, mis-padded or wrongly keyed ciphertext (struct.error from wechatpy's
            # length prefix): the sender's fault, answered 400, nothing stored.
            raise CallbackRejectedError(400, f"cannot decrypt ({type(exc).__name__})") from None
        return parse_xml(plain)

    def seal(self, reply_xml: str, nonce: str | None = None) -> str:
        """Encrypt a reply the way WeChat expects it back."""
        return str(self.crypto.encrypt_message(reply_xml, nonce or secrets.token_hex(8),
                                               str(int(time.time()))))


def sign_query(token: str, timestamp: int | None = None) -> dict[str, str]:
    """Return the query string WeChat adds to a callback (for the chat tool and tests)."""
    ts, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(5)
    return {"timestamp": ts, "nonce": nonce, "signature": signature(token, ts, nonce)}


def wrap_for_wechat(safe: SafeMode, xml: str, query: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Encrypt a callback as WeChat's servers do: <Encrypt> body, msg_signature in the query."""
    sealed = parse_xml(safe.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))
    body = f"<xml><ToUserName><![CDATA[{safe.appid}]]></ToUserName>" \
           f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>"
    return body, {**query, "encrypt_type": "aes", "msg_signature": str(sealed["MsgSignature"])}


def callback_xml(kind: str, openid: str, account: str, create_time: int | None = None,
                 **fields: str | int | float) -> str:
    """Return a callback's XML as WeChat would send it (for the chat tool and tests)."""
    parts = [f"<ToUserName><![CDATA[{account}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{int(time.time()) if create_time is None else create_time}</CreateTime>",
             f"<MsgType><![CDATA[{kind}]]></MsgType>"]
    for name, value in fields.items():
        if isinstance(value, str):
            value = "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
        parts.append(f"<{name}>{value}</{name}>")
    return "<xml>" + "".join(parts) + "</xml>"
