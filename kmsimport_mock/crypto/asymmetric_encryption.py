"""Asymmetric encryption as KMS does it (RSAES-OAEP, SM2PKE), and data key pairs.

The ciphertexts are the standard ones, with no metadata: RSAES-OAEP with MGF1 on the same
hash and no label, exactly as ``cryptography`` and OpenSSL make them, so a test can
decrypt with the private key it imported (and KMS decrypts what was encrypted outside it
with the public key). SM2PKE ciphertext is the ASN.1 DER SM2Cipher of
:mod:`kmsimport_mock.crypto.sm2`.
"""

from __future__ import annotations

import functools
from typing import Final

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from . import sm2
from .allowed_wrapping import max_oaep_plaintext
from .key_generation import generate_key_material
from .material import RSA_MODULUS_BITS, _load_checked_private_key, public_key_der

__all__ = [
    "SM2PKE_MAX_PLAINTEXT",
    "AsymmetricDecryptionFailed",
    "decrypt",
    "encrypt",
    "generate_data_key_pair",
    "max_plaintext",
]

# The API reference's limit for SM2PKE (China Regions).
SM2PKE_MAX_PLAINTEXT: Final = 1024
_OAEP_HASHES: Final = {"RSAES_OAEP_SHA_1": hashes.SHA1, "RSAES_OAEP_SHA_256": hashes.SHA256}


class AsymmetricDecryptionFailed(Exception):
    """The ciphertext does not decrypt under the key with the algorithm."""


def _oaep(algorithm: str) -> padding.OAEP:
    hash_type = _OAEP_HASHES[algorithm]
    return padding.OAEP(mgf=padding.MGF1(hash_type()), algorithm=hash_type(), label=None)


def max_plaintext(key_spec: str, algorithm: str) -> int:
    """The longest plaintext ``algorithm`` encrypts under a key of ``key_spec``."""
    if algorithm == "SM2PKE":
        return SM2PKE_MAX_PLAINTEXT
    hash_name = "sha1" if algorithm == "RSAES_OAEP_SHA_1" else "sha256"
    return max_oaep_plaintext(RSA_MODULUS_BITS[key_spec], hash_name)


@functools.lru_cache(maxsize=32)
def _rsa_key(key_spec: str, material: bytes) -> rsa.RSAPrivateKey:
    # Loading re-encodes BER and parses the key (about a millisecond); a test encrypts
    # with the same few keys again and again.
    key = _load_checked_private_key(key_spec, material, already_checked=True)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def encrypt(key_spec: str, material: bytes, algorithm: str, plaintext: bytes) -> bytes:
    """Encrypts with the public half of the private key ``material`` (PKCS#8)."""
    if algorithm == "SM2PKE":
        public = public_key_der(key_spec, material)
        assert public is not None
        return sm2.sm2pke_encrypt(public, plaintext)
    return _rsa_key(key_spec, material).public_key().encrypt(plaintext, _oaep(algorithm))


def decrypt(key_spec: str, material: bytes, algorithm: str, ciphertext: bytes) -> bytes:
    if algorithm == "SM2PKE":
        scalar = sm2.sm2_key_identity(material).to_bytes(32, "big")
        try:
            return sm2.sm2pke_decrypt(scalar, ciphertext)
        except (sm2.UnwrapError, ValueError):
            raise AsymmetricDecryptionFailed from None
    key = _rsa_key(key_spec, material)
    if len(ciphertext) != (key.key_size + 7) // 8:
        raise AsymmetricDecryptionFailed
    try:
        return key.decrypt(ciphertext, _oaep(algorithm))
    except ValueError:
        raise AsymmetricDecryptionFailed from None


def generate_data_key_pair(key_pair_spec: str) -> tuple[bytes, bytes]:
    """A new key pair: (DER PKCS#8 private key, DER SubjectPublicKeyInfo public key)."""
    private = generate_key_material(key_pair_spec)
    if key_pair_spec == "ECC_NIST_EDWARDS25519":
        loaded = serialization.load_der_private_key(private, password=None)
        assert isinstance(loaded, ed25519.Ed25519PrivateKey)
        public = loaded.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return private, public
    public_der = public_key_der(key_pair_spec, private)
    assert public_der is not None
    return private, public_der
