"""HMAC as KMS's GenerateMac and VerifyMac compute it: RFC 2104 over the key's material."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["MAC_DIGESTS", "mac_matches", "message_mac"]

MAC_DIGESTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "HMAC_SHA_224": "sha224",
        "HMAC_SHA_256": "sha256",
        "HMAC_SHA_384": "sha384",
        "HMAC_SHA_512": "sha512",
    }
)


def message_mac(material: bytes, algorithm: str, message: bytes) -> bytes:
    """The raw HMAC of ``message`` under ``material`` with ``algorithm`` (HMAC_SHA_*)."""
    return hmac.new(material, message, getattr(hashlib, MAC_DIGESTS[algorithm])).digest()


def mac_matches(material: bytes, algorithm: str, message: bytes, mac: bytes) -> bool:
    """Whether ``mac`` is the HMAC of ``message``, compared in constant time."""
    return hmac.compare_digest(message_mac(material, algorithm, message), mac)
