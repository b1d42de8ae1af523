"""Personal data shown on screens and in reports: phone numbers masked unless asked for."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "****"
MIN_DIGITS = 8
"""Fewer digits than this leave too little hidden once the ends are shown: mask it all."""


def mask_phone(phone: str) -> str:
    """Return PHONE as 138****1111: the first three and last four digits, '' when empty."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not phone.strip():
        return ""
    if len(digits) < MIN_DIGITS:
        return MASK
    # Digits only: a landline written 021-0000-1001 masks the same way as a mobile number.
    return digits[:3] + MASK + digits[-4:]


HIDDEN = "***"
_QUERY_SECRET = re.compile(
    r"((?:access_token|secret|appsecret|component_access_token|signature|msg_signature|"
    r"encodingaeskey|password)[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+", re.IGNORECASE)


def redact_secrets(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return TEXT with credentials hidden: query or JSON values named like a secret, and each
    of SECRETS (the AppSecret, Token, keys) wherever it appears, e.g. in a traceback's URL."""
    for secret in sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return _QUERY_SECRET.sub(lambda found: found.group(1) + HIDDEN, text)
