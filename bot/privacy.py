"""Personal data shown on screens and in reports: phone numbers masked unless asked for."""

from __future__ import annotations

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
