"""Key material for keys KMS makes itself (Origin=AWS_KMS), in the formats AWS imports.

Asymmetric material is unencrypted DER PKCS#8, as imported material is, so every
operation reads a key's material the same way whichever way the key got it.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from ..errors import MlDsaNotAvailable
from . import sm2
from .material import EC_CURVES, HMAC_MATERIAL_LENGTHS, RSA_MODULUS_BITS

SYMMETRIC_KEY_BYTES = 32
_ML_DSA_LEVELS = frozenset({"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})


def generate_key_material(key_spec: str) -> bytes:
    """New material for a key of ``key_spec`` (ValueError for a spec the mock cannot make)."""
    if key_spec == "SYMMETRIC_DEFAULT":
        return os.urandom(SYMMETRIC_KEY_BYTES)
    if key_spec in HMAC_MATERIAL_LENGTHS:
        # KMS makes HMAC keys as long as the digest (CHOSEN: AWS does not say).
        return os.urandom(HMAC_MATERIAL_LENGTHS[key_spec][0])
    if key_spec in _ML_DSA_LEVELS:
        return _generate_ml_dsa(key_spec)
    if key_spec in RSA_MODULUS_BITS:
        private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
        private = rsa.generate_private_key(65537, RSA_MODULUS_BITS[key_spec])
    elif key_spec in EC_CURVES:
        private = ec.generate_private_key(EC_CURVES[key_spec]())
    elif key_spec == "ECC_NIST_EDWARDS25519":
        private = ed25519.Ed25519PrivateKey.generate()
    elif key_spec == "SM2":
        return sm2.generate_sm2_private_key()
    else:
        raise ValueError(f"kmsimport_mock cannot generate material for {key_spec}")
    return private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def ml_dsa_private_key_class(key_spec: str) -> Any:
    """cryptography's private key class for an ML-DSA level (MlDsaNotAvailable without one).

    ML-DSA arrived in cryptography 47, named ``MlDsa65PrivateKey`` there and
    ``MLDSA65PrivateKey`` later; it is imported here, on first use, so that older releases
    serve every other key spec.
    """
    level = key_spec.removeprefix("ML_DSA_")
    try:
        from cryptography.hazmat.primitives.asymmetric import mldsa
    except ImportError:
        raise MlDsaNotAvailable(key_spec) from None
    for name in (f"MLDSA{level}PrivateKey", f"MlDsa{level}PrivateKey"):
        found = getattr(mldsa, name, None)
        if found is not None:
            return found
    raise MlDsaNotAvailable(key_spec)


def _generate_ml_dsa(key_spec: str) -> bytes:
    try:
        private = ml_dsa_private_key_class(key_spec).generate()
    except UnsupportedAlgorithm:
        # A cryptography built on a backend without ML-DSA.
        raise MlDsaNotAvailable(key_spec) from None
    material: bytes = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return material
