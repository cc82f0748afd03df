"""Every KMS operation the backend serves, in one table, and the one answer to "served?".

The table names each handler by module and function, and imports a module the first time
one of its operations is called. Asking what is served therefore costs nothing, and the
interception layer (imported with the package, at every pytest start-up) can ask it without
loading the cryptography behind the handlers.

A handler takes the backend, the caller and the request's values (already checked by the
protocol layer against the API's shapes) and returns the response's fields; it raises
:class:`~kmsimport_mock.backend.kms_errors.KmsError` for an answer AWS gives as an error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..types import Caller, Params, Response

if TYPE_CHECKING:
    from ..store import KmsBackend

Handler = Callable[["KmsBackend", Caller, Params], Response]

# Operation name -> (module in this package, function).
OPERATIONS: dict[str, tuple[str, str]] = {
    # The import itself.
    "GetParametersForImport": ("importing", "get_parameters_for_import"),
    "ImportKeyMaterial": ("importing", "import_key_material"),
    "DeleteImportedKeyMaterial": ("importing", "delete_imported_key_material"),
    # The key's life around it.
    "CreateKey": ("key_lifecycle", "create_key"),
    "DescribeKey": ("key_lifecycle", "describe_key"),
    "ListKeys": ("key_lifecycle", "list_keys"),
    "EnableKey": ("key_lifecycle", "enable_key"),
    "DisableKey": ("key_lifecycle", "disable_key"),
    "ScheduleKeyDeletion": ("key_lifecycle", "schedule_key_deletion"),
    "CancelKeyDeletion": ("key_lifecycle", "cancel_key_deletion"),
    # Rotation of imported material, and multi-Region keys.
    "RotateKeyOnDemand": ("rotation", "rotate_key_on_demand"),
    "ListKeyRotations": ("rotation", "list_key_rotations"),
    "ReplicateKey": ("multi_region", "replicate_key"),
    # Names, tags, policies and the description: what management tools read and write.
    "UpdateKeyDescription": ("key_lifecycle", "update_key_description"),
    "CreateAlias": ("aliases", "create_alias"),
    "UpdateAlias": ("aliases", "update_alias"),
    "DeleteAlias": ("aliases", "delete_alias"),
    "ListAliases": ("aliases", "list_aliases"),
    "TagResource": ("tagging", "tag_resource"),
    "UntagResource": ("tagging", "untag_resource"),
    "ListResourceTags": ("tagging", "list_resource_tags"),
    "GetKeyPolicy": ("policies", "get_key_policy"),
    "PutKeyPolicy": ("policies", "put_key_policy"),
    "ListKeyPolicies": ("policies", "list_key_policies"),
    # Encryption with the keys' material (symmetric, RSA and SM2 ENCRYPT_DECRYPT keys).
    "Encrypt": ("encryption", "encrypt"),
    "Decrypt": ("encryption", "decrypt"),
    "ReEncrypt": ("encryption", "re_encrypt"),
    "GenerateDataKey": ("encryption", "generate_data_key"),
    "GenerateDataKeyWithoutPlaintext": ("encryption", "generate_data_key_without_plaintext"),
    "GenerateDataKeyPair": ("encryption", "generate_data_key_pair"),
    "GenerateDataKeyPairWithoutPlaintext": (
        "encryption",
        "generate_data_key_pair_without_plaintext",
    ),
    # Proving the material: signatures, MACs, random bytes and automatic rotation.
    "Sign": ("signing", "sign"),
    "Verify": ("signing", "verify"),
    "GetPublicKey": ("signing", "get_public_key"),
    "GenerateMac": ("mac", "generate_mac"),
    "VerifyMac": ("mac", "verify_mac"),
    "GenerateRandom": ("random_bytes", "generate_random"),
    "EnableKeyRotation": ("rotation", "enable_key_rotation"),
    "DisableKeyRotation": ("rotation", "disable_key_rotation"),
    "GetKeyRotationStatus": ("rotation", "get_key_rotation_status"),
}

_SERVED = frozenset(OPERATIONS)
_handlers: dict[str, Handler] = {}


def served() -> frozenset[str]:
    """The names of the KMS operations the backend serves."""
    return _SERVED


def handler(operation: str) -> Handler:
    """The function that serves ``operation`` (KeyError if it is not served)."""
    found = _handlers.get(operation)
    if found is None:
        module, function = OPERATIONS[operation]
        found = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        _handlers[operation] = found
    return found


def call(backend: KmsBackend, caller: Caller, operation: str, params: Params) -> Response:
    """Serves one operation (KeyError if it is not served)."""
    return handler(operation)(backend, caller, params)


__all__ = ["OPERATIONS", "Handler", "call", "handler", "served"]
