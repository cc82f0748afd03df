"""Pure cryptography of KMS key-material import: unwrapping, material checks, allowed pairs.

No botocore, no HTTP and no key-state rules live here, so each function can be tested alone.
"""

from kmsimport_mock.crypto.material import (
    IncorrectMaterial,
    check_key_material,
    public_key_der,
    same_key_material,
)

__all__ = [
    "IncorrectMaterial",
    "check_key_material",
    "public_key_der",
    "same_key_material",
]
