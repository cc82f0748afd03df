"""Pure cryptography of KMS key-material import: unwrapping, material checks, allowed pairs.

No botocore, no HTTP and no key-state rules live here, so each function can be tested alone.
"""

from .allowed_wrapping import WrappingRefusal, max_oaep_plaintext, wrapping_combination_problem
from .material import (
    IncorrectMaterial,
    check_key_material,
    public_key_der,
    same_key_material,
)
from .wrapping import UnwrapError, unwrap_key_material, wrap_key_material

__all__ = [
    "IncorrectMaterial",
    "UnwrapError",
    "WrappingRefusal",
    "check_key_material",
    "max_oaep_plaintext",
    "public_key_der",
    "same_key_material",
    "unwrap_key_material",
    "wrap_key_material",
    "wrapping_combination_problem",
]
