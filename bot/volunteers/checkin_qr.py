"""A station's permanent check-in QR code, made by the WeChat API and posted at the door."""

from __future__ import annotations

import requests

from bot.core.services import Services
from bot.volunteers.models import CHECKIN_SCENE
from bot.wechat.api import WeChatApiError, wechat_errors

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def checkin_qr_png(services: Services, code: str) -> bytes:
    """Return station CODE's permanent check-in QR code as PNG bytes, made by the WeChat API."""
    client = services.wechat
    with wechat_errors():
        # A permanent string-scene code: it is printed once and posted at the door.
        created = client.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE", "action_info": {
            "scene": {"scene_str": f"{CHECKIN_SCENE}{code}"}}})
        image = requests.get(client.qrcode_url(created["ticket"]), timeout=10)
        image.raise_for_status()
    if not image.content.startswith(PNG_MAGIC):
        raise WeChatApiError(None, "WeChat did not answer with a PNG image")
    return image.content
