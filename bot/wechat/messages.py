"""What a handler receives and returns: a WeChat message reduced to plain data, and a reply."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass


class MessageError(ValueError):
    """The callback's XML is not a WeChat message."""


@dataclass(frozen=True)
class Incoming:
    """One message or event from WeChat, as plain data."""

    kind: str  # text, voice, image, location, link, video, shortvideo, file, event
    openid: str  # FromUserName: the sender
    account: str  # ToUserName: our Official Account
    create_time: int
    msg_id: str = ""
    text: str = ""  # the text, or voice recognition when WeChat supplies one
    event: str = ""  # subscribe, unsubscribe, CLICK, SCAN, LOCATION, VIEW ...
    event_key: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def dedup_key(self) -> str:
        """Return the key that WeChat's retries of this callback share."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        # Events carry no MsgId; WeChat's retries repeat sender and CreateTime. The event and
        # its key keep two different clicks within one second apart.
        return f"ev:{self.openid}:{self.create_time}:{self.event}:{self.event_key}"

    @property
    def log_ref(self) -> str:
        """Return a short reference for logs that names no one (OpenIDs are personal data)."""
        return hashlib.sha256(self.dedup_key.encode("utf-8")).hexdigest()[:12]

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> Incoming:
        """Build a message from the <xml> element's fields, refusing what is not a message."""
        def text(name: str) -> str:
            value = fields.get(name)
            if value is None:
                return ""
            if not isinstance(value, str):
                raise MessageError(f"field {name} is not text")
            return value.strip()

        kind, openid, account = text("MsgType").lower(), text("FromUserName"), text("ToUserName")
        if not kind or not openid or not account:
            raise MessageError("MsgType, FromUserName and ToUserName are required")
        try:
            create_time = int(text("CreateTime") or "0")
        except ValueError:
            raise MessageError("CreateTime is not a number") from None
        body = text("Content") if kind == "text" else text("Recognition")
        lat, lon = text("Location_X") or text("Latitude"), text("Location_Y") or text("Longitude")
        try:
            latitude, longitude = (float(lat), float(lon)) if lat and lon else (None, None)
        except ValueError:
            raise MessageError("location is not a number") from None
        return cls(
            kind=kind, openid=openid, account=account, create_time=create_time,
            msg_id=text("MsgId"), text=body, event=text("Event"), event_key=text("EventKey"),
            latitude=latitude, longitude=longitude,
        )


@dataclass(frozen=True)
class Reply:
    """A passive text reply to the resident."""

    text: str
