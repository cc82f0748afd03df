"""Does plaintext key material fit a KMS KeySpec? (spec §1)

Everything here works on the *unwrapped* material. Unwrapping lives in
:mod:`kmsimport_mock.crypto.wrapping`; which wrapping may carry which material lives in
:mod:`kmsimport_mock.crypto.allowed_wrapping`.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyasn1.codec.ber import decoder as ber_decoder
from pyasn1.codec.der import encoder as der_encoder
from pyasn1.error import PyAsn1Error
from pyasn1_modules import rfc5208, rfc5915, rfc8017

from ..backend.key_specs import KEY_SPECS as _KEY_SPEC_TABLE
from . import sm2
from .errors import IncorrectMaterial
from .pkcs8 import OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION, TAG_OID, pkcs8_algorithm

__all__ = [
    "ASYMMETRIC_KEY_SPECS",
    "EC_CURVES",
    "HMAC_MATERIAL_LENGTHS",
    "KEY_SPECS",
    "NOT_IMPORTABLE_KEY_SPECS",
    "RSA_MODULUS_BITS",
    "SYMMETRIC_MATERIAL_LENGTH",
    "SYMMETRIC_MATERIAL_LENGTH_CHINA",
    "IncorrectMaterial",
    "check_key_material",
    "private_key",
    "public_key_der",
    "same_key_material",
    "symmetric_material_length",
]


SYMMETRIC_MATERIAL_LENGTH: Final = 32
# China Regions use SM4, a 128-bit block cipher, for SYMMETRIC_DEFAULT.
SYMMETRIC_MATERIAL_LENGTH_CHINA: Final = 16


def symmetric_material_length(*, china: bool) -> int:
    """Bytes of SYMMETRIC_DEFAULT material: AES-256, or SM4 in China Regions."""
    return SYMMETRIC_MATERIAL_LENGTH_CHINA if china else SYMMETRIC_MATERIAL_LENGTH


# Inclusive (minimum, maximum) material length in bytes.
# Conflict #1 of the spec: the requirements page allows anything from the spec's length up
# to 1024 bits, while the step-by-step page says the length "must match" the spec. We follow
# the requirements page, the more specific statement; real AWS was only recorded accepting
# the exact lengths, which this range includes.
HMAC_MATERIAL_LENGTHS: Final[Mapping[str, tuple[int, int]]] = MappingProxyType(
    {
        "HMAC_224": (28, 128),
        "HMAC_256": (32, 128),
        "HMAC_384": (48, 128),
        "HMAC_512": (64, 128),
    }
)

RSA_MODULUS_BITS: Final[Mapping[str, int]] = MappingProxyType(
    {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
)

EC_CURVES: Final[Mapping[str, type[ec.EllipticCurve]]] = MappingProxyType(
    {
        "ECC_NIST_P256": ec.SECP256R1,
        "ECC_NIST_P384": ec.SECP384R1,
        "ECC_NIST_P521": ec.SECP521R1,
        "ECC_SECG_P256K1": ec.SECP256K1,
    }
)

_SM2: Final = "SM2"

# Which KeySpecs exist and which can be imported is the backend's one key-spec table; the
# material checks read it rather than declare it again.
KEY_SPECS: Final = frozenset(_KEY_SPEC_TABLE)
NOT_IMPORTABLE_KEY_SPECS: Final = frozenset(
    name for name, info in _KEY_SPEC_TABLE.items() if not info.importable
)
ASYMMETRIC_KEY_SPECS: Final = frozenset(
    name for name, info in _KEY_SPEC_TABLE.items() if info.family not in ("SYMMETRIC", "HMAC")
)


def check_key_material(key_spec: str, material: bytes, *, china: bool = False) -> None:
    """Raise :class:`IncorrectMaterial` unless ``material`` is importable for ``key_spec``.

    ``china`` selects the China-Region rules (16-byte SM4 symmetric keys, SM2 keys).
    Raises ``ValueError`` for a name that is not a KeySpec at all.
    """
    if key_spec == "SYMMETRIC_DEFAULT":
        expected = symmetric_material_length(china=china)
        if len(material) != expected:
            raise IncorrectMaterial(
                f"SYMMETRIC_DEFAULT key material must be exactly {expected} bytes, "
                f"got {len(material)}"
            )
    elif key_spec in HMAC_MATERIAL_LENGTHS:
        low, high = HMAC_MATERIAL_LENGTHS[key_spec]
        if not low <= len(material) <= high:
            raise IncorrectMaterial(
                f"{key_spec} key material must be {low} to {high} bytes, got {len(material)}"
            )
    elif key_spec in RSA_MODULUS_BITS or key_spec in EC_CURVES:
        _load_checked_private_key(key_spec, material)
    elif key_spec == _SM2:
        if not china:
            raise IncorrectMaterial("SM2 key material can be imported only in China Regions")
        _check_sm2_material(material)
    elif key_spec in NOT_IMPORTABLE_KEY_SPECS:
        raise IncorrectMaterial(f"key material cannot be imported for {key_spec} keys")
    else:
        raise ValueError(f"unknown KeySpec {key_spec!r}")


def _check_sm2_material(material: bytes) -> None:
    """GM/T 0003 SM2 private key as PKCS#8 (needs the ``china`` extra for the curve)."""
    sm2.check_sm2_private_key(material)


def public_key_der(key_spec: str, material: bytes) -> bytes | None:
    """DER SubjectPublicKeyInfo of imported asymmetric material; None for symmetric and HMAC.

    This is what GetPublicKey returns after an import. ``material`` must already have passed
    :func:`check_key_material`.
    """
    if key_spec == "SYMMETRIC_DEFAULT" or key_spec in HMAC_MATERIAL_LENGTHS:
        return None
    if key_spec == _SM2:
        return sm2.sm2_public_key_der(sm2.sm2_key_identity(material).to_bytes(32, "big"))
    key = _load_checked_private_key(key_spec, material, already_checked=True)
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_key(key_spec: str, material: bytes) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    """The RSA or EC private key of material that passed :func:`check_key_material`.

    The signing operations use it; the material was checked when it was imported (or made
    by the mock), so the slow RSA consistency check is not repeated.
    """
    return _load_checked_private_key(key_spec, material, already_checked=True)


def same_key_material(key_spec: str, a: bytes, b: bytes) -> bool:
    """Whether two imports carry the same key, as reimport of asymmetric/HMAC keys requires.

    Asymmetric material is compared as a key, not as bytes, because one private key has many
    valid PKCS#8 encodings (optional public key, compressed or uncompressed point, optional
    attributes, absent or NULL RSA parameters). Both inputs must already have passed
    :func:`check_key_material`.
    """
    if key_spec == "SYMMETRIC_DEFAULT" or key_spec in HMAC_MATERIAL_LENGTHS:
        return hmac.compare_digest(a, b)
    if key_spec == _SM2:
        return sm2.same_sm2_private_key(a, b)
    key_a = _load_checked_private_key(key_spec, a, already_checked=True)
    key_b = _load_checked_private_key(key_spec, b, already_checked=True)
    return _key_identity(key_a) == _key_identity(key_b)


def _key_identity(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> tuple[object, ...]:
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.private_numbers()
        # Not d: tools reduce it modulo phi(n), modulo lambda(n) or not at all, so one key
        # pair can carry different d values. n, e and the two primes pin the pair down.
        primes = sorted((numbers.p, numbers.q))
        return ("RSA", numbers.public_numbers.n, numbers.public_numbers.e, *primes)
    return ("EC", key.curve.name, key.private_numbers().private_value)


def _der_from_ber(material: bytes, *, rsa_key: bool) -> bytes:
    """The DER form of a BER-encoded PKCS#8 key, whose inner key is re-encoded too.

    AWS takes PKCS#8 in BER or DER, while cryptography's loader reads DER only. Material
    that does not decode as a PrivateKeyInfo holding an RSAPrivateKey/ECPrivateKey is
    returned unchanged, for the checks below to refuse with their precise reasons.
    """
    try:
        info, rest = ber_decoder.decode(material, asn1Spec=rfc5208.PrivateKeyInfo())
        if rest:
            return material
        inner_spec = rfc8017.RSAPrivateKey() if rsa_key else rfc5915.ECPrivateKey()
        inner, rest = ber_decoder.decode(bytes(info["privateKey"]), asn1Spec=inner_spec)
        if rest:
            return material
        info["privateKey"] = der_encoder.encode(inner)
        der: bytes = der_encoder.encode(info)
    except (PyAsn1Error, ValueError, TypeError, IndexError):
        return material
    return der


def _load_checked_private_key(
    key_spec: str, material: bytes, *, already_checked: bool = False
) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if key_spec not in RSA_MODULUS_BITS and key_spec not in EC_CURVES:
        if key_spec in KEY_SPECS:
            raise ValueError(f"this version cannot load {key_spec} key material")
        raise ValueError(f"unknown KeySpec {key_spec!r}")

    material = _der_from_ber(material, rsa_key=key_spec in RSA_MODULUS_BITS)
    oid, params_tag = pkcs8_algorithm(material)
    expected_kind = "RSA" if key_spec in RSA_MODULUS_BITS else "EC"
    if key_spec in RSA_MODULUS_BITS:
        if oid != OID_RSA_ENCRYPTION:
            # This also refuses RSASSA-PSS keys, which cryptography loads as plain RSA keys.
            # AWS asks for an RFC 3447 key; whether it takes the PSS OID is UNCONFIRMED.
            raise IncorrectMaterial(f"{key_spec} key material must be an rsaEncryption key")
    else:
        if oid != OID_EC_PUBLIC_KEY:
            raise IncorrectMaterial(f"{key_spec} key material must be an EC private key")
        if params_tag != TAG_OID:
            # cryptography silently maps explicit parameters of the NIST curves back to the
            # named curve, so it cannot be relied on to refuse them as AWS does.
            raise IncorrectMaterial(
                "EC key material must use a named curve; explicit curve parameters are refused"
            )

    try:
        key = serialization.load_der_private_key(
            material,
            password=None,
            # The RSA consistency check runs primality tests (about 0.25 s for RSA-4096);
            # material that already passed check_key_material need not pay for it again.
            unsafe_skip_rsa_key_validation=already_checked,
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # Multi-prime RSA keys, inconsistent numbers and unknown curves all end up here.
        raise IncorrectMaterial(
            f"key material is not a valid {expected_kind} private key"
        ) from None

    if key_spec in RSA_MODULUS_BITS:
        if not isinstance(key, rsa.RSAPrivateKey):
            raise IncorrectMaterial(f"{key_spec} key material must be an RSA private key")
        bits = RSA_MODULUS_BITS[key_spec]
        if key.key_size != bits:
            raise IncorrectMaterial(
                f"{key_spec} key material must have a {bits}-bit modulus, got {key.key_size}"
            )
        return key

    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise IncorrectMaterial(f"{key_spec} key material must be an EC private key")
    curve = EC_CURVES[key_spec]
    if not isinstance(key.curve, curve):
        raise IncorrectMaterial(
            f"{key_spec} key material must be on curve {curve.name}, got {key.curve.name}"
        )
    return key
