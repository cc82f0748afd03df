"""INTERIM: moto's own cryptographic operations reading an EXTERNAL key's imported material.

Delete this module once the backend serves every operation in :data:`CRYPTO_OPERATIONS`
(then :func:`properties` already returns nothing), with its two calls (``forget_refusal``
in :func:`.routing.begin_call`, ``take_refusal`` in :func:`.after_call.after_call`) and the
``signers`` field of :class:`.bridged_key._Link`.

Beside moto, the cryptographic operations on EXTERNAL keys are served by our backend in
place of moto (:mod:`.routing`), with the same rules and ciphertexts as without moto. Until
an operation is served, moto serves it; for that, the bridged key's ``key_material`` (read
by moto's Encrypt, Decrypt, GenerateDataKey*, GenerateMac, VerifyMac) and ``private_key``
(moto's Sign, Verify, GetPublicKey) read the imported material, and refuse while the key may
not be used (PendingImport, Disabled, expired material) with our error. moto's decrypt turns
any exception raised while reading ``key_material`` into an InvalidCiphertextException of
its own; the refusal is remembered per thread and :mod:`.after_call` puts it back.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from ..backend import kms_errors
from ..backend.key_states import refuse_unless_enabled
from ..backend.kms_errors import KmsError
from ..backend.model import Key
from ..backend.operations import served
from . import bridged_key, key_creation

# moto's operations that read ``key_material``, and those that read ``private_key``.
MATERIAL_OPERATIONS = frozenset(
    {
        "Encrypt",
        "Decrypt",
        "ReEncrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac",
        "VerifyMac",
    }
)
PRIVATE_KEY_OPERATIONS = frozenset({"Sign", "Verify", "GetPublicKey"})
CRYPTO_OPERATIONS = MATERIAL_OPERATIONS | PRIVATE_KEY_OPERATIONS

# The refusal a bridged key raised during the current call, per thread.
_local = threading.local()


def properties() -> dict[str, property]:
    """The bridged key's properties that moto's operations still need (none once served)."""
    found: dict[str, property] = {}
    if not served() >= MATERIAL_OPERATIONS:
        found["key_material"] = property(_get_key_material, _set_key_material)
    if not served() >= PRIVATE_KEY_OPERATIONS:
        found["private_key"] = property(_get_private_key, _set_private_key)
    return found


def _usable(link: bridged_key._Link) -> Key:
    """The shadow key, if cryptographic operations may use it; else moto raises our error."""
    key = bridged_key._refresh(link)
    try:
        refuse_unless_enabled(key)
    except KmsError as error:
        raise _refusal(error) from None
    return key


def _refusal(error: KmsError) -> Exception:
    """moto's form of our error; remembered, in case moto swallows it (its decrypt does)."""
    from moto.core.exceptions import JsonRESTError

    _local.refusal = error
    moto_error: Exception = JsonRESTError(error.code, error.message)
    return moto_error


def forget_refusal() -> None:
    _local.refusal = None


def take_refusal() -> KmsError | None:
    """The refusal the bridged key raised during this call, if any (and forgets it)."""
    refusal: KmsError | None = getattr(_local, "refusal", None)
    _local.refusal = None
    return refusal


def _get_key_material(self: Any) -> bytes:
    key = _usable(bridged_key._link(self))
    if key.is_symmetric or key.key_spec.startswith("HMAC_"):
        material = key.current_material if key.is_symmetric else key.only_material
        if material is None or material.plaintext is None:
            raise _refusal(kms_errors.pending_import(key.arn))
        return material.plaintext
    # Asymmetric keys: moto reads key_material only where it ignores the key type.
    original: bytes = self.__dict__["key_material"]
    return original


def _set_key_material(self: Any, value: bytes) -> None:
    self.__dict__["key_material"] = value


def _get_private_key(self: Any) -> Any:
    link = bridged_key._link(self)
    key = _usable(link)
    original = self.__dict__["private_key"]
    material = key.only_material
    if key.is_symmetric or key.key_spec.startswith("HMAC_") or material is None:
        return key_creation.resolved(original)
    plaintext = material.plaintext
    if plaintext is None:
        raise _refusal(kms_errors.pending_import(key.arn))
    signer = link.signers.get(plaintext)
    if signer is None:
        from cryptography.hazmat.primitives.serialization import load_der_private_key

        # moto's own signer object (its algorithms, its checks) holding the imported key.
        signer = _signer_like(original, key.key_spec)
        # The material passed the import's checks; OpenSSL's RSA check would cost as much
        # as a key generation, again for every key.
        signer.private_key = load_der_private_key(
            plaintext, password=None, unsafe_skip_rsa_key_validation=True
        )
        link.signers[plaintext] = signer
    return signer


def _signer_like(original: Any, key_spec: str) -> Any:
    """A copy of moto's signer object for the key, without moto's key generation.

    moto's signer of an EXTERNAL key was deferred (see .key_creation). An RSA signer is
    ``moto.kms.utils.RSAPrivateKey``, whose sign/verify read only ``key_size`` and
    ``private_key``: made without generating the RSA key moto would throw away. An ECDSA
    signer is generated (cheap), for its curve's algorithms.
    """
    if isinstance(original, key_creation.DeferredPrivateKey) and key_spec.startswith("RSA_"):
        from moto.kms.utils import RSAPrivateKey

        signer = RSAPrivateKey.__new__(RSAPrivateKey)
        signer.key_size = int(key_spec.removeprefix("RSA_"))
        return signer
    return copy.copy(key_creation.resolved(original))


def _set_private_key(self: Any, value: Any) -> None:
    self.__dict__["private_key"] = value
