"""Signatures as AWS KMS makes them, over the private keys the mock holds (spec §Sign).

Everything here takes a key's material as KMS keeps it (DER PKCS#8, imported or made by
the mock) and produces signatures that verify outside KMS with the key's public half:

* RSASSA-PSS: MGF1 with the signing hash, salt as long as the digest (what KMS uses);
* RSASSA-PKCS1-v1_5: RFC 8017;
* ECDSA: DER ``Ecdsa-Sig-Value`` (ANSI X9.62, RFC 3279);
* SM2DSA: DER ``SEQUENCE { r, s }`` over SM3(Z || M), default distinguishing ID
  (:mod:`kmsimport_mock.crypto.sm2dsa`);
* Ed25519 (``ED25519_SHA_512``) over the message, and HashEdDSA Ed25519ph
  (``ED25519_PH_SHA_512``) over the caller's SHA-512 digest, which KMS hashes once more,
  as its API reference says; Ed25519ph comes from PyCryptodome, the ``ed25519ph`` extra;
* ML-DSA (FIPS 204) with an empty context, or over a caller's 64-byte μ.

``message_type`` is KMS's MessageType: ``RAW`` (the signing algorithm hashes the message),
``DIGEST`` (the message is the hash already) or ``EXTERNAL_MU`` (ML-DSA's μ). Which
combinations KMS accepts is the backend's business; these functions assume a valid one.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from ..errors import Ed25519phExtraNotInstalled, MlDsaNotAvailable
from .key_generation import ml_dsa_private_key_class
from .material import EC_CURVES, RSA_MODULUS_BITS, private_key, public_key_der

__all__ = [
    "DIGEST_LENGTHS",
    "EXTERNAL_MU_LENGTH",
    "public_key_of",
    "sign",
    "verify",
]

_HASHES: Final[Mapping[str, type[hashes.HashAlgorithm]]] = MappingProxyType(
    {"SHA_256": hashes.SHA256, "SHA_384": hashes.SHA384, "SHA_512": hashes.SHA512}
)

# Length of the digest a DIGEST message must have, per signing algorithm.
DIGEST_LENGTHS: Final[Mapping[str, int]] = MappingProxyType(
    {
        **{f"RSASSA_PSS_{h}": _HASHES[h]().digest_size for h in _HASHES},
        **{f"RSASSA_PKCS1_V1_5_{h}": _HASHES[h]().digest_size for h in _HASHES},
        **{f"ECDSA_{h}": _HASHES[h]().digest_size for h in _HASHES},
        "SM2DSA": 32,
        "ED25519_PH_SHA_512": 64,
    }
)
# FIPS 204's μ is 64 bytes.
EXTERNAL_MU_LENGTH: Final = 64

_ML_DSA: Final = frozenset({"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})


def _hash(algorithm: str) -> hashes.HashAlgorithm:
    return _HASHES[algorithm[-7:]]()


def _prehashed_or_not(algorithm: str, message_type: str) -> hashes.HashAlgorithm | utils.Prehashed:
    chosen = _hash(algorithm)
    return utils.Prehashed(chosen) if message_type == "DIGEST" else chosen


def _rsa_padding(algorithm: str) -> padding.AsymmetricPadding:
    if algorithm.startswith("RSASSA_PSS_"):
        # KMS's salt is as long as the digest (RFC 8017's recommendation), not the
        # maximum cryptography would otherwise pick.
        return padding.PSS(padding.MGF1(_hash(algorithm)), padding.PSS.DIGEST_LENGTH)
    return padding.PKCS1v15()


def _sm2_parts(material: bytes) -> tuple[int, bytes]:
    """(private scalar, uncompressed public point) of SM2 PKCS#8 material."""
    from .sm2 import sm2_key_identity, sm2_public_key_der

    private_value = sm2_key_identity(material)
    spki = sm2_public_key_der(private_value.to_bytes(32, "big"))
    return private_value, spki[-65:]


def _load_other(key_spec: str, material: bytes) -> Any:
    """Ed25519 and ML-DSA material (made by the mock: these specs cannot be imported)."""
    expected: Any = None
    if key_spec == "ECC_NIST_EDWARDS25519":
        expected = ed25519.Ed25519PrivateKey
    elif key_spec in _ML_DSA:
        expected = ml_dsa_private_key_class(key_spec)
    key = serialization.load_der_private_key(material, password=None)
    if expected is None or not isinstance(key, expected):
        raise ValueError(f"material is not a {key_spec} private key")
    return key


def _pycryptodome_eddsa() -> Any:
    try:
        from Crypto.Hash import SHA512
        from Crypto.Signature import eddsa
    except ImportError:
        raise Ed25519phExtraNotInstalled() from None
    return eddsa, SHA512


def public_key_of(key_spec: str, material: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo of an asymmetric key's material (GetPublicKey)."""
    if key_spec == "ECC_NIST_EDWARDS25519" or key_spec in _ML_DSA:
        public = _load_other(key_spec, material).public_key()
        spki: bytes = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return spki
    found = public_key_der(key_spec, material)
    if found is None:
        raise ValueError(f"{key_spec} keys have no public key")
    return found


def sign(
    key_spec: str, material: bytes, algorithm: str, message: bytes, message_type: str
) -> bytes:
    """The signature KMS's Sign returns for ``message`` under this material."""
    if key_spec in RSA_MODULUS_BITS:
        rsa_key = private_key(key_spec, material)
        assert isinstance(rsa_key, rsa.RSAPrivateKey)
        return rsa_key.sign(
            message, _rsa_padding(algorithm), _prehashed_or_not(algorithm, message_type)
        )
    if key_spec in EC_CURVES:
        ec_key = private_key(key_spec, material)
        assert isinstance(ec_key, ec.EllipticCurvePrivateKey)
        return ec_key.sign(message, ec.ECDSA(_prehashed_or_not(algorithm, message_type)))
    if key_spec == "SM2":
        from .sm2dsa import sm2dsa_message_digest, sm2dsa_sign_digest

        private_value, point = _sm2_parts(material)
        digest = message if message_type == "DIGEST" else sm2dsa_message_digest(point, message)
        return sm2dsa_sign_digest(private_value, digest)
    key = _load_other(key_spec, material)
    if algorithm == "ED25519_PH_SHA_512":
        eddsa, sha512 = _pycryptodome_eddsa()
        signer = eddsa.new(eddsa.import_private_key(key.private_bytes_raw()), "rfc8032")
        # HashEdDSA hashes its input with SHA-512: KMS's "hashed twice".
        return bytes(signer.sign(sha512.new(message)))
    if message_type == "EXTERNAL_MU":
        if not hasattr(key, "sign_mu"):
            raise MlDsaNotAvailable(key_spec)  # μ signing came after ML-DSA itself
        mu_signature: bytes = key.sign_mu(message)
        return mu_signature
    signature: bytes = key.sign(message)
    return signature


def verify(
    key_spec: str,
    material: bytes,
    algorithm: str,
    message: bytes,
    message_type: str,
    signature: bytes,
) -> bool:
    """Whether ``signature`` is what Sign would accept as made for ``message``."""
    if key_spec in RSA_MODULUS_BITS or key_spec in EC_CURVES:
        public = private_key(key_spec, material).public_key()
        chosen = _prehashed_or_not(algorithm, message_type)
        try:
            if isinstance(public, rsa.RSAPublicKey):
                public.verify(signature, message, _rsa_padding(algorithm), chosen)
            else:
                public.verify(signature, message, ec.ECDSA(chosen))
        except (InvalidSignature, ValueError):
            return False
        return True
    if key_spec == "SM2":
        from .sm2dsa import sm2dsa_message_digest, sm2dsa_verify_digest

        _, point = _sm2_parts(material)
        digest = message if message_type == "DIGEST" else sm2dsa_message_digest(point, message)
        return sm2dsa_verify_digest(point, digest, signature)
    key = _load_other(key_spec, material)
    if algorithm == "ED25519_PH_SHA_512":
        eddsa, sha512 = _pycryptodome_eddsa()
        verifier = eddsa.new(
            eddsa.import_public_key(key.public_key().public_bytes_raw()), "rfc8032"
        )
        try:
            verifier.verify(sha512.new(message), signature)
        except ValueError:
            return False
        return True
    try:
        if message_type == "EXTERNAL_MU":
            if not hasattr(key.public_key(), "verify_mu"):
                raise MlDsaNotAvailable(key_spec)
            key.public_key().verify_mu(signature, message)
        else:
            key.public_key().verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
