"""Wrapping and unwrapping of imported key material, the way AWS KMS documents it (spec §2, §6).

Two families:

* ``RSAES_OAEP_SHA_1`` / ``RSAES_OAEP_SHA_256``: the material itself is RSA-OAEP encrypted,
  with MGF1 on the same hash and no label.
* ``RSA_AES_KEY_WRAP_SHA_1`` / ``RSA_AES_KEY_WRAP_SHA_256``: a random 256-bit AES key is
  RSA-OAEP encrypted as above, and the material is wrapped under it with AES Key Wrap with
  Padding (RFC 5649). The blob is the RSA part (exactly the modulus length) followed by the
  wrapped material.

:func:`unwrap_key_material` plays the KMS side; :func:`wrap_key_material` is for test authors
and produces exactly what the documented OpenSSL commands produce.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap_with_padding,
    aes_key_wrap_with_padding,
)

from .allowed_wrapping import (
    AES_KEY_WRAP_ALGORITHMS,
    OAEP_ALGORITHMS,
    max_oaep_plaintext,
)
from .errors import UnwrapError

__all__ = [
    "AES_KEY_WRAP_ALGORITHMS",
    "AES_KEY_WRAP_KEY_SIZES",
    "OAEP_ALGORITHMS",
    "WRAPPING_HASHES",
    "UnwrapError",
    "unwrap_key_material",
    "wrap_key_material",
]

# The hash used for both OAEP and its MGF1, per wrapping algorithm.
WRAPPING_HASHES: Final[Mapping[str, hashes.HashAlgorithm]] = MappingProxyType(
    {
        "RSAES_OAEP_SHA_1": hashes.SHA1(),
        "RSAES_OAEP_SHA_256": hashes.SHA256(),
        "RSA_AES_KEY_WRAP_SHA_1": hashes.SHA1(),
        "RSA_AES_KEY_WRAP_SHA_256": hashes.SHA256(),
    }
)

# AES key sizes (bytes) accepted inside RSA_AES_KEY_WRAP_*. AWS documents only a 256-bit key;
# whether KMS also takes 128/192-bit keys is UNCONFIRMED, so the mock refuses them.
AES_KEY_WRAP_KEY_SIZES: Final = (32,)


def unwrap_key_material(
    private_key: rsa.RSAPrivateKey, wrapping_algorithm: str, blob: bytes
) -> bytes:
    """Recover the plaintext key material from an ``EncryptedKeyMaterial`` blob.

    Raises :class:`UnwrapError` for any blob that does not decrypt, and ``ValueError`` for a
    wrapping algorithm this module does not implement (callers validate enums first).
    """
    hash_algorithm = _hash_for(wrapping_algorithm)
    modulus_bytes = (private_key.key_size + 7) // 8

    if wrapping_algorithm in OAEP_ALGORITHMS:
        if len(blob) != modulus_bytes:
            raise UnwrapError(
                f"{wrapping_algorithm} ciphertext must be {modulus_bytes} bytes for this "
                f"wrapping key, got {len(blob)}"
            )
        return _rsa_oaep_decrypt(private_key, hash_algorithm, blob)

    # RFC 5649 output is at least 16 bytes, so anything shorter cannot hold any material.
    if len(blob) < modulus_bytes + 16:
        raise UnwrapError(
            f"{wrapping_algorithm} ciphertext is too short for this wrapping key "
            f"({len(blob)} bytes)"
        )
    aes_key = _rsa_oaep_decrypt(private_key, hash_algorithm, blob[:modulus_bytes])
    if len(aes_key) not in AES_KEY_WRAP_KEY_SIZES:
        raise UnwrapError(f"{wrapping_algorithm} requires a 256-bit AES key")
    try:
        return aes_key_unwrap_with_padding(aes_key, blob[modulus_bytes:])
    except (InvalidUnwrap, ValueError):
        # ValueError: a wrapped part that is not a whole number of 8-byte blocks.
        raise UnwrapError("AES key wrap with padding failed its integrity check") from None


def wrap_key_material(
    public_key: bytes | rsa.RSAPublicKey, material: bytes, wrapping_algorithm: str
) -> bytes:
    """Encrypt ``material`` for ImportKeyMaterial, as AWS expects it.

    ``public_key`` is the ``PublicKey`` returned by GetParametersForImport (DER
    SubjectPublicKeyInfo) or an already loaded RSA public key. RSA_AES_KEY_WRAP_* uses a fresh
    random AES-256 key on every call, so two wraps of the same material differ.
    """
    hash_algorithm = _hash_for(wrapping_algorithm)
    key = _rsa_public_key(public_key)

    if wrapping_algorithm in OAEP_ALGORITHMS:
        limit = max_oaep_plaintext(key.key_size, hash_algorithm.name)
        if len(material) > limit:
            raise ValueError(
                f"{len(material)} bytes of key material do not fit {wrapping_algorithm} with "
                f"a {key.key_size}-bit wrapping key (at most {limit} bytes); "
                "use RSA_AES_KEY_WRAP_SHA_256 for larger material"
            )
        return key.encrypt(material, _oaep(hash_algorithm))

    if not material:
        raise ValueError("RFC 5649 key wrap needs at least one byte of key material")
    # AWS's procedure starts with `openssl rand -out aes-key.bin 32`.
    aes_key = os.urandom(max(AES_KEY_WRAP_KEY_SIZES))
    wrapped_material = aes_key_wrap_with_padding(aes_key, material)
    return key.encrypt(aes_key, _oaep(hash_algorithm)) + wrapped_material


def _hash_for(wrapping_algorithm: str) -> hashes.HashAlgorithm:
    try:
        return WRAPPING_HASHES[wrapping_algorithm]
    except KeyError:
        raise ValueError(
            f"unsupported wrapping algorithm {wrapping_algorithm!r}; expected one of "
            f"{', '.join(sorted(WRAPPING_HASHES))}"
        ) from None


def _oaep(hash_algorithm: hashes.HashAlgorithm) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hash_algorithm), algorithm=hash_algorithm, label=None)


def _rsa_oaep_decrypt(
    private_key: rsa.RSAPrivateKey, hash_algorithm: hashes.HashAlgorithm, ciphertext: bytes
) -> bytes:
    try:
        return private_key.decrypt(ciphertext, _oaep(hash_algorithm))
    except ValueError:
        # cryptography reports every OAEP failure (wrong key, hash, padding, or a value not
        # below the modulus) as one ValueError, which is also all KMS reveals.
        raise UnwrapError("RSA-OAEP decryption failed") from None


def _rsa_public_key(public_key: bytes | rsa.RSAPublicKey) -> rsa.RSAPublicKey:
    if isinstance(public_key, rsa.RSAPublicKey):
        return public_key
    if not isinstance(public_key, bytes | bytearray | memoryview):
        raise TypeError(
            "public_key must be DER SubjectPublicKeyInfo bytes or an RSAPublicKey, "
            f"not {type(public_key).__name__}"
        )
    try:
        loaded = serialization.load_der_public_key(bytes(public_key))
    except (ValueError, UnsupportedAlgorithm):
        raise ValueError("public_key is not a DER SubjectPublicKeyInfo") from None
    if not isinstance(loaded, rsa.RSAPublicKey):
        raise ValueError("the wrapping public key must be an RSA key")
    return loaded
