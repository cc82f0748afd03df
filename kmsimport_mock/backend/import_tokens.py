"""Import tokens: opaque, tamper-evident and self-contained.

A token carries everything ImportKeyMaterial needs to check it — account, Region, key
ARN, wrapping algorithm and wrapping key — sealed with AES-GCM under a secret that lives
only as long as one started mock. Nothing is stored per token, so issuing many tokens
does not grow memory, and a token from an earlier mock, or any altered byte, fails to open.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"
_NONCE_BYTES = 12


class InvalidToken(Exception):
    """The bytes are not a token this mock issued."""


@dataclass(frozen=True)
class TokenClaims:
    account: str
    region: str
    key_arn: str
    wrapping_algorithm: str
    wrapping_key_spec: str
    wrapping_key_fingerprint: bytes
    valid_to: _dt.datetime
    # SM2 wrapping keys are made per request and not kept: their private scalar travels
    # in the (encrypted) token itself. None for pooled RSA wrapping keys.
    wrapping_private_key: bytes | None = None


class TokenSealer:
    """Seals and opens import tokens with one secret, made fresh for each started mock."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret if secret is not None else AESGCM.generate_key(256)
        self._aead = AESGCM(self.secret)

    def seal(self, claims: TokenClaims) -> bytes:
        payload = json.dumps(
            [
                claims.account,
                claims.region,
                claims.key_arn,
                claims.wrapping_algorithm,
                claims.wrapping_key_spec,
                claims.wrapping_key_fingerprint.hex(),
                claims.valid_to.timestamp(),
                None if claims.wrapping_private_key is None else claims.wrapping_private_key.hex(),
            ],
            separators=(",", ":"),
        ).encode()
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, payload, _VERSION)

    def open(self, token: bytes) -> TokenClaims:
        if len(token) < 1 + _NONCE_BYTES + 16 or token[:1] != _VERSION:
            raise InvalidToken
        nonce, sealed = token[1 : 1 + _NONCE_BYTES], token[1 + _NONCE_BYTES :]
        try:
            fields = json.loads(self._aead.decrypt(nonce, sealed, _VERSION))
        except InvalidTag:
            raise InvalidToken from None
        account, region, arn, algorithm, spec, fingerprint, valid_to, private_key = fields
        return TokenClaims(
            account=account,
            region=region,
            key_arn=arn,
            wrapping_algorithm=algorithm,
            wrapping_key_spec=spec,
            wrapping_key_fingerprint=bytes.fromhex(fingerprint),
            valid_to=_dt.datetime.fromtimestamp(valid_to, _dt.UTC),
            wrapping_private_key=None if private_key is None else bytes.fromhex(private_key),
        )
