"""Helpers for the Sign/Verify/GetPublicKey/MAC tests: keys with known material, and checks
made outside the mock with ``cryptography`` (and gmalg for SM2, PyCryptodome for Ed25519ph),
so that a test proves what a user's own verification would see."""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from kms_testing import der_pkcs8, import_material, material_for, rsa_private_key

RSA_ALGORITHMS = (
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
)
ECC_ALGORITHMS = {
    "ECC_NIST_P256": "ECDSA_SHA_256",
    "ECC_NIST_P384": "ECDSA_SHA_384",
    "ECC_NIST_P521": "ECDSA_SHA_512",
    "ECC_SECG_P256K1": "ECDSA_SHA_256",
}
# Every (KeySpec, SigningAlgorithm) pair KMS lists for an importable signing key.
IMPORTABLE_PAIRS = [
    *(
        (spec, algorithm)
        for spec in ("RSA_2048", "RSA_3072", "RSA_4096")
        for algorithm in RSA_ALGORITHMS
    ),
    *ECC_ALGORITHMS.items(),
]
_HASHES = {"SHA_256": hashes.SHA256(), "SHA_384": hashes.SHA384(), "SHA_512": hashes.SHA512()}


def hash_of(algorithm: str) -> hashes.HashAlgorithm:
    return _HASHES[algorithm[-7:]]


def digest(algorithm: str, message: bytes) -> bytes:
    """What a caller sends with MessageType=DIGEST for ``algorithm``."""
    return hashlib.new(hash_of(algorithm).name, message).digest()


def private_key_for(key_spec: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    """A private key of ``key_spec`` (RSA keys are cached per size)."""
    if key_spec.startswith("RSA_"):
        return rsa_private_key(int(key_spec[4:]))
    loaded = serialization.load_der_private_key(material_for(key_spec), None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def imported_signing_key(
    kms: Any, key_spec: str, usage: str = "SIGN_VERIFY"
) -> tuple[str, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey]:
    """An EXTERNAL key holding a private key the test knows (the HSM-migration case)."""
    private = private_key_for(key_spec)
    key_id = kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage=usage)["KeyMetadata"][
        "KeyId"
    ]
    wrapping = (
        "RSA_4096" if key_spec.startswith("RSA_") or key_spec == "ECC_NIST_P521" else "RSA_2048"
    )
    algorithm = "RSA_AES_KEY_WRAP_SHA_256" if key_spec.startswith("RSA_") else "RSAES_OAEP_SHA_256"
    import_material(
        kms, key_id, der_pkcs8(private), algorithm=algorithm, wrapping_key_spec=wrapping
    )
    return key_id, private


def verifies_locally(
    public_key_der: bytes,
    algorithm: str,
    message: bytes,
    signature: bytes,
    message_type: str = "RAW",
) -> bool:
    """Whether the signature verifies with the public key alone, as KMS documents it."""
    public = serialization.load_der_public_key(public_key_der)
    chosen: Any = hash_of(algorithm)
    if message_type == "DIGEST":
        chosen = utils.Prehashed(chosen)
    try:
        if isinstance(public, rsa.RSAPublicKey):
            scheme: padding.AsymmetricPadding = padding.PKCS1v15()
            if algorithm.startswith("RSASSA_PSS_"):
                # KMS's salt is as long as the digest.
                scheme = padding.PSS(
                    padding.MGF1(hash_of(algorithm)), hash_of(algorithm).digest_size
                )
            public.verify(signature, message, scheme, chosen)
        else:
            assert isinstance(public, ec.EllipticCurvePublicKey)
            public.verify(signature, message, ec.ECDSA(chosen))
    except (InvalidSignature, ValueError):
        return False
    return True


def public_der(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
