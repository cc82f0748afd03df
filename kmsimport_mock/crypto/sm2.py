"""SM2 for China Regions: SM2 wrapping keys, SM2PKE unwrapping, SM2 key material (spec §1, §2).

The curve arithmetic, SM3 and the GM/T 0003.4 encryption scheme come from ``gmalg``, the
optional ``china`` extra (``pip install 'kmsimport_mock[china]'``). Without it, everything
here that needs the curve raises :class:`~kmsimport_mock.errors.ChinaExtraNotInstalled`.

Formats, as AWS documents them:

* The wrapping public key (GetParametersForImport ``PublicKey``) is a DER
  SubjectPublicKeyInfo: id-ecPublicKey on the named curve sm2 (1.2.156.10197.1.301),
  which is what OpenSSL writes for an SM2 key.
* SM2PKE ciphertext is ASN.1 DER, ``SEQUENCE { INTEGER x, INTEGER y, OCTET STRING hash,
  OCTET STRING ciphertext }`` (GM/T 0009's SM2Cipher, that is C1, C3, C2). AWS's
  SM2OfflineOperationHelper converts Bouncy Castle's raw C1C2C3 output to exactly this
  before import, and OpenSSL 1.1.1 and later write it natively; raw output is refused.
* SM2 key material is an unencrypted PKCS#8 PrivateKeyInfo, id-ecPublicKey on the named
  curve sm2, as ``openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:sm2 | openssl
  pkcs8 -topk8 -outform der -nocrypt`` writes it.

SM2 wrapping keys are cheap (one scalar multiplication), so each GetParametersForImport
gets a fresh one; its private scalar travels sealed inside the import token, so nothing is
kept per token.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Final

from ..errors import ChinaExtraNotInstalled
from .errors import IncorrectMaterial, UnwrapError
from .pkcs8 import (
    OID_EC_PUBLIC_KEY,
    OID_SM2,
    TAG_BIT_STRING,
    TAG_CONTEXT_0,
    TAG_CONTEXT_1,
    TAG_INTEGER,
    TAG_OCTET_STRING,
    TAG_OID,
    TAG_SEQUENCE,
    Malformed,
    der,
    der_integer,
    pkcs8_algorithm,
    read_element,
)

__all__ = [
    "SM2_CURVE_ORDER",
    "Sm2WrappingKey",
    "UnwrapError",
    "check_sm2_private_key",
    "generate_sm2_private_key",
    "generate_wrapping_key",
    "same_sm2_private_key",
    "sm2_key_identity",
    "sm2_public_key_der",
    "sm2pke_decrypt",
    "sm2pke_encrypt",
]

# GM/T 0003.5 curve parameters: the order n of the base point.
SM2_CURVE_ORDER: Final = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123
_FIELD_BYTES: Final = 32
_SM3_BYTES: Final = 32

# SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 }, BIT STRING (66 bytes: 0x00, 0x04, X, Y) }
_SPKI_PREFIX: Final = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")

# RFC 5915 ECPrivateKey's optional fields.
_TAG_PARAMETERS: Final = TAG_CONTEXT_0
_TAG_PUBLIC_KEY: Final = TAG_CONTEXT_1


def _gmalg() -> Any:
    try:
        import gmalg
    except ImportError:
        raise ChinaExtraNotInstalled() from None
    return gmalg


@dataclass(frozen=True)
class Sm2WrappingKey:
    private_value: bytes  # 32 bytes, big-endian d
    public_key_der: bytes  # DER SubjectPublicKeyInfo, as AWS returns it
    fingerprint: bytes  # SHA-256 of public_key_der


def generate_wrapping_key() -> Sm2WrappingKey:
    private_value, point = _gmalg().SM2().generate_keypair()
    private_value = private_value.rjust(_FIELD_BYTES, b"\x00")
    public_der = _SPKI_PREFIX + point
    return Sm2WrappingKey(private_value, public_der, hashlib.sha256(public_der).digest())


def sm2_public_key_der(private_value: bytes) -> bytes:
    """DER SubjectPublicKeyInfo of the SM2 key pair with private scalar ``private_value``."""
    return _SPKI_PREFIX + bytes(_gmalg().SM2().generate_pk(private_value))


def sm2pke_decrypt(private_value: bytes, blob: bytes) -> bytes:
    """The plaintext of an SM2PKE ciphertext in AWS's ASN.1 DER format."""
    gmalg = _gmalg()
    x, y, digest, ciphertext = _parse_sm2_cipher(blob)
    raw = b"\x04" + x + y + digest + ciphertext
    try:
        return bytes(gmalg.SM2(private_value).decrypt(raw))
    except (gmalg.errors.GMError, ValueError, IndexError):
        # Not on the curve, the point at infinity, or a hash that does not match.
        raise UnwrapError("SM2PKE decryption failed") from None


def sm2pke_encrypt(public_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` with SM2PKE for ImportKeyMaterial, as AWS expects it.

    ``public_key`` is the ``PublicKey`` GetParametersForImport returned for the SM2
    wrapping key spec. The result is the ASN.1 DER SM2Cipher that OpenSSL writes and AWS's
    SM2OfflineOperationHelper produces.
    """
    if not isinstance(public_key, bytes | bytearray) or not bytes(public_key).startswith(
        _SPKI_PREFIX
    ):
        raise ValueError("public_key must be the DER SubjectPublicKeyInfo of an SM2 key")
    if not plaintext:
        raise ValueError("SM2PKE needs at least one byte of plaintext")
    point = bytes(public_key)[len(_SPKI_PREFIX) :]
    raw = bytes(_gmalg().SM2(pk=point).encrypt(plaintext))
    # gmalg writes C1 (0x04 || X || Y), C3, C2.
    x = raw[1 : 1 + _FIELD_BYTES]
    y = raw[1 + _FIELD_BYTES : 1 + 2 * _FIELD_BYTES]
    c3 = raw[1 + 2 * _FIELD_BYTES : 1 + 2 * _FIELD_BYTES + _SM3_BYTES]
    c2 = raw[1 + 2 * _FIELD_BYTES + _SM3_BYTES :]
    return der(
        TAG_SEQUENCE,
        der_integer(x) + der_integer(y) + der(TAG_OCTET_STRING, c3) + der(TAG_OCTET_STRING, c2),
    )


def check_sm2_private_key(material: bytes) -> None:
    """Raise :class:`IncorrectMaterial` unless ``material`` is an SM2 PKCS#8 private key."""
    private_value, public_point = _parse_sm2_pkcs8(material)
    if public_point is not None:
        gmalg = _gmalg()
        if gmalg.SM2().generate_pk(private_value) != public_point:
            raise IncorrectMaterial("the SM2 public key does not belong to the private key")


def sm2_key_identity(material: bytes) -> int:
    """The private scalar of SM2 material that passed :func:`check_sm2_private_key`."""
    return int.from_bytes(_parse_sm2_pkcs8(material)[0], "big")


# --- DER -------------------------------------------------------------------------------------


def _parse_sm2_cipher(blob: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    try:
        tag, start, end = read_element(blob, 0)
        if tag != TAG_SEQUENCE or end != len(blob):
            raise Malformed
        parts: list[bytes] = []
        offset = start
        for expected in (TAG_INTEGER, TAG_INTEGER, TAG_OCTET_STRING, TAG_OCTET_STRING):
            tag, part_start, part_end = read_element(blob, offset)
            if tag != expected:
                raise Malformed
            parts.append(blob[part_start:part_end])
            offset = part_end
        if offset != end:
            raise Malformed
    except Malformed:
        raise UnwrapError("SM2PKE ciphertext is not an ASN.1 DER SM2Cipher") from None
    x, y, digest, ciphertext = parts
    if len(digest) != _SM3_BYTES or not ciphertext:
        raise UnwrapError("SM2PKE ciphertext has the wrong hash or no ciphertext")
    return _coordinate(x), _coordinate(y), digest, ciphertext


def _coordinate(integer: bytes) -> bytes:
    """A non-negative DER INTEGER as a 32-byte field element."""
    if not integer or integer[0] & 0x80:
        raise UnwrapError("SM2PKE point coordinate is negative or empty")
    value = integer.lstrip(b"\x00")
    if len(value) > _FIELD_BYTES:
        raise UnwrapError("SM2PKE point coordinate is too large")
    return value.rjust(_FIELD_BYTES, b"\x00")


def _parse_sm2_pkcs8(material: bytes) -> tuple[bytes, bytes | None]:
    """(private scalar, uncompressed public point or None) of SM2 PKCS#8 material."""
    oid, params_tag = pkcs8_algorithm(material)
    if oid != OID_EC_PUBLIC_KEY:
        raise IncorrectMaterial("SM2 key material must be an EC private key")
    if params_tag != TAG_OID:
        raise IncorrectMaterial(
            "EC key material must use a named curve; explicit curve parameters are refused"
        )
    try:
        _, start, _ = read_element(material, 0)
        _, _, version_end = read_element(material, start)
        _, algorithm_start, algorithm_end = read_element(material, version_end)
        _, _, oid_end = read_element(material, algorithm_start)
        _, curve_start, curve_end = read_element(material, oid_end)
        if material[curve_start:curve_end] != OID_SM2 or curve_end != algorithm_end:
            raise IncorrectMaterial("SM2 key material must be on the named curve sm2")
        _, key_start, key_end = read_element(material, algorithm_end)
        return _parse_ec_private_key(material[key_start:key_end])
    except Malformed:
        raise IncorrectMaterial("SM2 key material is not a valid EC private key") from None


def _parse_ec_private_key(data: bytes) -> tuple[bytes, bytes | None]:
    """RFC 5915 ECPrivateKey: SEQUENCE { 1, OCTET STRING d, [0] curve?, [1] public key? }."""
    tag, start, end = read_element(data, 0)
    if tag != TAG_SEQUENCE or end != len(data):
        raise Malformed
    tag, version_start, offset = read_element(data, start)
    if tag != TAG_INTEGER or data[version_start:offset] != b"\x01":
        raise Malformed
    tag, d_start, offset = read_element(data, offset)
    if tag != TAG_OCTET_STRING or offset - d_start != _FIELD_BYTES:
        raise Malformed
    private_value = data[d_start:offset]
    if not 1 <= int.from_bytes(private_value, "big") <= SM2_CURVE_ORDER - 2:
        raise IncorrectMaterial("the SM2 private key is out of range")
    public_point: bytes | None = None
    if offset < end and data[offset] == _TAG_PARAMETERS:
        _, params_start, offset = read_element(data, offset)
        tag, oid_start, oid_end = read_element(data, params_start)
        if tag != TAG_OID or data[oid_start:oid_end] != OID_SM2:
            raise IncorrectMaterial("SM2 key material must be on the named curve sm2")
    if offset < end and data[offset] == _TAG_PUBLIC_KEY:
        _, wrapper_start, offset = read_element(data, offset)
        tag, bits_start, bits_end = read_element(data, wrapper_start)
        bits = data[bits_start:bits_end]
        if tag != TAG_BIT_STRING or len(bits) != 2 + 2 * _FIELD_BYTES or bits[:2] != b"\x00\x04":
            raise IncorrectMaterial("the SM2 public key must be an uncompressed point")
        public_point = bits[1:]
    if offset != end:
        raise Malformed
    return private_value, public_point


def same_sm2_private_key(a: bytes, b: bytes) -> bool:
    """Whether two SM2 PKCS#8 encodings (with or without public key) hold the same key."""
    return hmac.compare_digest(
        sm2_key_identity(a).to_bytes(_FIELD_BYTES, "big"),
        sm2_key_identity(b).to_bytes(_FIELD_BYTES, "big"),
    )


def generate_sm2_private_key(*, include_public_key: bool = True) -> bytes:
    """A new SM2 private key as unencrypted DER PKCS#8, the format AWS imports.

    Laid out as OpenSSL writes it (with the public key unless ``include_public_key`` is
    false), for tests that need SM2 key material without calling OpenSSL.
    """
    private_value, point = _gmalg().SM2().generate_keypair()
    ec_private_key = der_integer(b"\x01") + der(
        TAG_OCTET_STRING, private_value.rjust(_FIELD_BYTES, b"\x00")
    )
    if include_public_key:
        ec_private_key += der(_TAG_PUBLIC_KEY, der(TAG_BIT_STRING, b"\x00" + point))
    algorithm = der(TAG_SEQUENCE, der(TAG_OID, OID_EC_PUBLIC_KEY) + der(TAG_OID, OID_SM2))
    return der(
        TAG_SEQUENCE,
        der_integer(b"\x00") + algorithm + der(TAG_OCTET_STRING, der(TAG_SEQUENCE, ec_private_key)),
    )
