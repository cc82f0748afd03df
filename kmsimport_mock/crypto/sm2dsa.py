"""SM2DSA signatures (GM/T 0003.2) as AWS KMS makes them in China Regions.

KMS signs with the SM3 hash ``e = SM3(Z || M)``, where Z is the signer's identity hash
made with the default distinguishing ID ``1234567812345678`` (the API reference of Verify
and GetPublicKey names it). With ``MessageType=DIGEST`` the caller has already computed
``e`` and KMS signs those 32 bytes as they are. Signatures are DER ``SEQUENCE { r, s }``,
as for ECDSA, which is what OpenSSL and Bouncy Castle read.

The curve arithmetic and SM3 come from ``gmalg`` (the ``china`` extra). gmalg's own
``SM2.sign`` always hashes ``Z || M`` itself, so signing a given digest uses its curve
(``ECDLP``) and field operations with the scheme's few equations written out here.
"""

from __future__ import annotations

from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from .sm2 import _gmalg

__all__ = [
    "DEFAULT_DISTINGUISHING_ID",
    "sm2_identity_hash",
    "sm2dsa_message_digest",
    "sm2dsa_sign_digest",
    "sm2dsa_verify_digest",
]

DEFAULT_DISTINGUISHING_ID: Final = b"1234567812345678"

# GM/T 0003.5: p, a, b, G and n of the one SM2 curve.
_P: Final = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_00000000_FFFFFFFF_FFFFFFFF
_A: Final = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_00000000_FFFFFFFF_FFFFFFFC
_B: Final = 0x28E9FA9E_9D9F5E34_4D5A9E4B_CF6509A7_F39789F5_15AB8F92_DDBCBD41_4D940E93
_GX: Final = 0x32C4AE2C_1F198119_5F990446_6A39C994_8FE30BBF_F2660BE1_715A4589_334C74C7
_GY: Final = 0xBC3736A2_F4F6779C_59BDCEE3_6B692153_D0A9877C_C62A4740_02DF32E5_2139F0A0
_N: Final = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123
_BYTES: Final = 32

_curve: Any = None


def _ecdlp() -> Any:
    global _curve
    if _curve is None:
        _curve = _gmalg().ellipticcurve.ECDLP(_P, _A, _B, (_GX, _GY), _N)
    return _curve


def _sm3(data: bytes) -> bytes:
    hasher = _gmalg().SM3()
    hasher.update(data)
    return bytes(hasher.value())


def _point(public_point: bytes) -> tuple[int, int]:
    """An uncompressed point ``04 || X || Y`` as integers."""
    if len(public_point) != 1 + 2 * _BYTES or public_point[0] != 0x04:
        raise ValueError("an SM2 public key is an uncompressed point of 65 bytes")
    x = int.from_bytes(public_point[1 : 1 + _BYTES], "big")
    y = int.from_bytes(public_point[1 + _BYTES :], "big")
    return x, y


def sm2_identity_hash(
    public_point: bytes, distinguishing_id: bytes = DEFAULT_DISTINGUISHING_ID
) -> bytes:
    """Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) of GM/T 0003.2."""
    entl = (len(distinguishing_id) * 8).to_bytes(2, "big")
    parts = (_A, _B, _GX, _GY, *_point(public_point))
    return _sm3(entl + distinguishing_id + b"".join(v.to_bytes(_BYTES, "big") for v in parts))


def sm2dsa_message_digest(
    public_point: bytes, message: bytes, distinguishing_id: bytes = DEFAULT_DISTINGUISHING_ID
) -> bytes:
    """The 32 bytes SM2DSA signs for a RAW message: SM3(Z || M)."""
    return _sm3(sm2_identity_hash(public_point, distinguishing_id) + message)


def sm2dsa_sign_digest(private_value: int, digest: bytes) -> bytes:
    """A DER SM2DSA signature of ``digest`` (e) with private scalar ``private_value``."""
    import secrets

    curve = _ecdlp()
    e = int.from_bytes(digest, "big")
    while True:
        k = secrets.randbelow(_N - 1) + 1
        x1, _ = curve.kG(k)
        r = (e + x1) % _N
        if r == 0 or r + k == _N:
            continue
        s = (pow(1 + private_value, -1, _N) * (k - r * private_value)) % _N
        if s != 0:
            return encode_dss_signature(r, s)


def sm2dsa_verify_digest(public_point: bytes, digest: bytes, signature: bytes) -> bool:
    """Whether ``signature`` (DER) is a valid SM2DSA signature of ``digest``."""
    try:
        r, s = decode_dss_signature(signature)
    except ValueError:
        return False
    if encode_dss_signature(r, s) != signature:
        # Only the one DER encoding, as OpenSSL requires.
        return False
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    t = (r + s) % _N
    if t == 0:
        return False
    curve = _ecdlp()
    point = _point(public_point)
    if not curve.ec.isvalid(point):
        return False
    x1, _ = curve.ec.add(curve.kG(s), curve.ec.mul(t, point))
    return bool((int.from_bytes(digest, "big") + x1) % _N == r)
