"""Random identifiers on the hot path."""

from __future__ import annotations

import os


def uuid4_string() -> str:
    """``str(uuid.uuid4())``, in half the time: a random version-4 UUID, lower-case hex."""
    digits = bytearray(os.urandom(16))
    digits[6] = (digits[6] & 0x0F) | 0x40  # version 4
    digits[8] = (digits[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digits.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
