"""The key material a cryptographic operation uses, whichever way the key got it.

An EXTERNAL key uses what was imported. A key KMS made itself (AWS_KMS) gets its HMAC or
asymmetric material here, on first use rather than in CreateKey: an RSA-4096 key takes
about half a second to make, and most keys of a test suite are never used to sign.
"""

from __future__ import annotations

from ..crypto.key_generation import generate_key_material
from .model import CURRENT, Key, KeyMaterial, key_material_id


def material_in_use(key: Key) -> KeyMaterial | None:
    """The material Encrypt, Sign, GenerateMac... use now, or None while there is none.

    A symmetric key encrypts with its current material; an HMAC or asymmetric key has one
    material only. Call with the backend's lock held: the first use of an AWS_KMS key
    adds its material.
    """
    if key.is_symmetric:
        material = key.current_material
    else:
        material = key.only_material
        if material is None and key.origin == "AWS_KMS":
            generated = generate_key_material(key.key_spec)
            material = KeyMaterial(key_material_id(key.key_id, generated), CURRENT, generated)
            key.materials.append(material)
    if material is None or material.plaintext is None:
        return None
    return material


__all__ = ["material_in_use"]
