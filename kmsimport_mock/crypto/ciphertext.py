"""The mock's ciphertext format for symmetric encryption keys (Encrypt, GenerateDataKey*).

AWS's symmetric ciphertext is opaque and undocumented, but it carries the key and the key
material it was made with, so that Decrypt needs no KeyId, works after rotation and in
every Region of a multi-Region key [BLOG-ODR]. The mock's blob does the same, in the open:

====================  =========  ====================================================
field                 bytes      content
====================  =========  ====================================================
magic and version     4          ``b"kmi\\x01"``
cipher                1          1 = AES-256-GCM (32-byte material), 2 = SM4-GCM
                                 (16-byte material, China Regions)
key id length         1          n
key id                n          ASCII key id (a UUID, or ``mrk-`` and 32 hex digits)
key material id       32         the 64-hex KeyMaterialId, as raw bytes
nonce                 12         random
ciphertext and tag    len + 16   GCM output under the key material itself
====================  =========  ====================================================

The additional authenticated data is everything before the nonce followed by the
canonical encoding of the encryption context (:func:`encode_context`), so changing any
byte of the blob, or asking with a different context, fails authentication. The blob names
the key id, not an ARN: related multi-Region keys share their id and material ids, so each
of them decrypts what any of them encrypted, while an unrelated key holding the same
material does not (its id differs), as AWS documents.

Nothing in the blob derives from a secret of one mock instance: a ciphertext made in one
test run decrypts in the next, given a key with the same id and material.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "AES_256_GCM",
    "OVERHEAD_WITHOUT_KEY_ID",
    "SM4_GCM",
    "InvalidSymmetricCiphertext",
    "ParsedCiphertext",
    "encode_context",
    "open_ciphertext",
    "parse_ciphertext",
    "seal",
]

MAGIC: Final = b"kmi\x01"
AES_256_GCM: Final = 1
SM4_GCM: Final = 2
_MATERIAL_LENGTHS: Final = {AES_256_GCM: 32, SM4_GCM: 16}
_MATERIAL_ID_BYTES: Final = 32
_NONCE_BYTES: Final = 12
_TAG_BYTES: Final = 16
# Everything but the key id and the plaintext itself.
OVERHEAD_WITHOUT_KEY_ID: Final = len(MAGIC) + 2 + _MATERIAL_ID_BYTES + _NONCE_BYTES + _TAG_BYTES


class InvalidSymmetricCiphertext(Exception):
    """The blob is not a ciphertext of this format, or does not authenticate."""


@dataclass(frozen=True)
class ParsedCiphertext:
    """What a ciphertext names, read before anything is decrypted."""

    cipher: int
    key_id: str
    material_id: str
    header: bytes = b""
    nonce: bytes = b""
    body: bytes = b""


def encode_context(context: Mapping[str, str] | None) -> bytes:
    """The encryption context as bytes that do not depend on the order of its pairs.

    Pairs sorted by the UTF-8 bytes of their keys, each part length-prefixed, so that no
    two different contexts encode alike (``{"a": "bc"}`` and ``{"ab": "c"}`` differ).
    KMS matches contexts exactly and case-sensitively; so does this.
    """
    items = sorted(
        ((key.encode("utf-8", "surrogatepass"), value.encode("utf-8", "surrogatepass")))
        for key, value in (context or {}).items()
    )
    parts = [len(items).to_bytes(4, "big")]
    for key, value in items:
        parts += [len(key).to_bytes(4, "big"), key, len(value).to_bytes(4, "big"), value]
    return b"".join(parts)


def cipher_for_material(material: bytes) -> int:
    for cipher, length in _MATERIAL_LENGTHS.items():
        if len(material) == length:
            return cipher
    raise ValueError(f"no symmetric cipher for {len(material)}-byte key material")


def seal(
    key_id: str,
    material_id: str,
    material: bytes,
    plaintext: bytes,
    context: Mapping[str, str] | None,
) -> bytes:
    """A ciphertext of ``plaintext`` under ``material``, naming the key and the material."""
    cipher = cipher_for_material(material)
    key_id_bytes = key_id.encode("ascii")
    header = MAGIC + bytes([cipher, len(key_id_bytes)]) + key_id_bytes + bytes.fromhex(material_id)
    nonce = os.urandom(_NONCE_BYTES)
    aad = header + encode_context(context)
    if cipher == AES_256_GCM:
        body = AESGCM(material).encrypt(nonce, plaintext, aad)
    else:
        encryptor = Cipher(algorithms.SM4(material), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        body = encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag
    return header + nonce + body


def parse_ciphertext(blob: bytes) -> ParsedCiphertext:
    """The key and material a blob names (InvalidSymmetricCiphertext if it is no such blob)."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 2:
        raise InvalidSymmetricCiphertext("not a kmsimport_mock symmetric ciphertext")
    cipher, key_id_length = blob[len(MAGIC)], blob[len(MAGIC) + 1]
    start = len(MAGIC) + 2
    header_end = start + key_id_length + _MATERIAL_ID_BYTES
    if cipher not in _MATERIAL_LENGTHS or len(blob) < header_end + _NONCE_BYTES + _TAG_BYTES:
        raise InvalidSymmetricCiphertext("truncated or unknown ciphertext")
    try:
        key_id = blob[start : start + key_id_length].decode("ascii")
    except UnicodeDecodeError:
        raise InvalidSymmetricCiphertext("key id is not ASCII") from None
    return ParsedCiphertext(
        cipher=cipher,
        key_id=key_id,
        material_id=blob[start + key_id_length : header_end].hex(),
        header=blob[:header_end],
        nonce=blob[header_end : header_end + _NONCE_BYTES],
        body=blob[header_end + _NONCE_BYTES :],
    )


def open_ciphertext(
    parsed: ParsedCiphertext, material: bytes, context: Mapping[str, str] | None
) -> bytes:
    """The plaintext, if the blob authenticates under ``material`` and ``context``."""
    if _MATERIAL_LENGTHS[parsed.cipher] != len(material):
        raise InvalidSymmetricCiphertext("the material does not fit the ciphertext's cipher")
    aad = parsed.header + encode_context(context)
    try:
        if parsed.cipher == AES_256_GCM:
            return AESGCM(material).decrypt(parsed.nonce, parsed.body, aad)
        tag, body = parsed.body[-_TAG_BYTES:], parsed.body[:-_TAG_BYTES]
        decryptor = Cipher(algorithms.SM4(material), modes.GCM(parsed.nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise InvalidSymmetricCiphertext("the ciphertext does not authenticate") from None
