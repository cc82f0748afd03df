"""Helpers for the tests: key material of every spec and the documented import flow."""

from __future__ import annotations

import functools
import math
import os
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kmsimport_mock.crypto.wrapping import wrap_key_material

REGION = "eu-west-1"


def der_pkcs8(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


_RSA_CACHE: dict[int, rsa.RSAPrivateKey] = {}


def rsa_private_key(bits: int) -> rsa.RSAPrivateKey:
    """One RSA key per size per test session: generating RSA-4096 takes around a second."""
    if bits not in _RSA_CACHE:
        _RSA_CACHE[bits] = rsa.generate_private_key(65537, bits)
    return _RSA_CACHE[bits]


_CURVES: dict[str, ec.EllipticCurve] = {
    "ECC_NIST_P256": ec.SECP256R1(),
    "ECC_NIST_P384": ec.SECP384R1(),
    "ECC_NIST_P521": ec.SECP521R1(),
    "ECC_SECG_P256K1": ec.SECP256K1(),
}
HMAC_LENGTHS = {"HMAC_224": 28, "HMAC_256": 32, "HMAC_384": 48, "HMAC_512": 64}


def material_for(key_spec: str) -> bytes:
    """Valid key material for a KeySpec, as AWS expects it."""
    if key_spec == "SYMMETRIC_DEFAULT":
        return os.urandom(32)
    if key_spec in HMAC_LENGTHS:
        return os.urandom(HMAC_LENGTHS[key_spec])
    if key_spec.startswith("RSA_"):
        return der_pkcs8(rsa_private_key(int(key_spec[4:])))
    return der_pkcs8(ec.generate_private_key(_CURVES[key_spec]))


DEFAULT_USAGE = {
    "SYMMETRIC_DEFAULT": "ENCRYPT_DECRYPT",
    "HMAC_224": "GENERATE_VERIFY_MAC",
    "HMAC_256": "GENERATE_VERIFY_MAC",
    "HMAC_384": "GENERATE_VERIFY_MAC",
    "HMAC_512": "GENERATE_VERIFY_MAC",
    "RSA_2048": "ENCRYPT_DECRYPT",
    "RSA_3072": "SIGN_VERIFY",
    "RSA_4096": "ENCRYPT_DECRYPT",
    "ECC_NIST_P256": "SIGN_VERIFY",
    "ECC_NIST_P384": "KEY_AGREEMENT",
    "ECC_NIST_P521": "SIGN_VERIFY",
    "ECC_SECG_P256K1": "SIGN_VERIFY",
}


def create_external_key(client: Any, key_spec: str = "SYMMETRIC_DEFAULT", **kwargs: Any) -> Any:
    return client.create_key(
        Origin="EXTERNAL", KeySpec=key_spec, KeyUsage=DEFAULT_USAGE[key_spec], **kwargs
    )["KeyMetadata"]


def import_material(
    client: Any,
    key_id: str,
    material: bytes,
    *,
    algorithm: str = "RSAES_OAEP_SHA_256",
    wrapping_key_spec: str = "RSA_2048",
    **import_kwargs: Any,
) -> Any:
    """The whole documented flow: get parameters, wrap, import (does not expire by default)."""
    params = client.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
    )
    blob = wrap_key_material(params["PublicKey"], material, algorithm)
    if "ValidTo" not in import_kwargs:
        import_kwargs.setdefault("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE")
    return client.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=blob,
        **import_kwargs,
    )


NEVER_EXPIRES = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}


def error_of(excinfo: Any) -> tuple[str, str]:
    """The (code, message) of a botocore ClientError caught by pytest.raises."""
    error = excinfo.value.response["Error"]
    return error["Code"], error.get("Message", "")


def key_with_pending_material(client: Any, **create_kwargs: Any) -> tuple[str, str, str]:
    """A symmetric EXTERNAL key with a current and a PENDING_ROTATION material.

    Returns the key id and the ids of the current and the pending material.
    """
    key_id = create_external_key(client, **create_kwargs)["KeyId"]
    first = import_material(client, key_id, os.urandom(32))["KeyMaterialId"]
    second = import_material(client, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    return key_id, first, second["KeyMaterialId"]


# --- a tiny DER toolkit, for the odd encodings tests need to build by hand ------------------


def der(tag: int, content: bytes) -> bytes:
    """One DER element with the minimal definite length."""
    if len(content) < 0x80:
        return bytes([tag, len(content)]) + content
    size = (len(content).bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + len(content).to_bytes(size, "big") + content


def der_int(value: int) -> bytes:
    # One spare bit keeps a set top bit from reading as a sign.
    return der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def der_seq(*elements: bytes) -> bytes:
    return der(0x30, b"".join(elements))


OID_RSA_ENCRYPTION = bytes.fromhex("2a864886f70d010101")


@functools.cache
def three_prime_rsa_2048_pkcs8() -> bytes:
    """A genuine 3-prime RSA-2048 key (RFC 8017 A.1.2, version 1) wrapped in PKCS#8.

    cryptography cannot make one, and AWS refuses multi-prime keys, so tests build it here.
    """
    e = 65537
    while True:
        # RSA keys are built from two primes of half the size each, top two bits set, so
        # 682 + 682 + 684 bits give a 2047- or (usually) 2048-bit modulus.
        small = rsa.generate_private_key(public_exponent=e, key_size=1364).private_numbers()
        large = rsa.generate_private_key(public_exponent=e, key_size=1368).private_numbers()
        p, q, r = small.p, small.q, large.p
        if (p * q * r).bit_length() == 2048:
            break
    n = p * q * r
    d = pow(e, -1, math.lcm(p - 1, q - 1, r - 1))
    other_prime_infos = der_seq(
        der_seq(der_int(r), der_int(d % (r - 1)), der_int(pow(p * q, -1, r)))
    )
    private_key = der_seq(
        *(der_int(v) for v in (1, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))),
        other_prime_infos,
    )
    algorithm = der_seq(der(0x06, OID_RSA_ENCRYPTION), der(0x05, b""))
    return der_seq(der_int(0), algorithm, der(0x04, private_key))
