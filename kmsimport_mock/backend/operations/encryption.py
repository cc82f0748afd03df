"""The encryption family: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext)
and GenerateDataKeyPair(WithoutPlaintext).

Symmetric encryption keys encrypt in the mock's own ciphertext format
(:mod:`kmsimport_mock.crypto.ciphertext`), which names the key and the key material, so
Decrypt finds both without a KeyId. RSA and SM2 ENCRYPT_DECRYPT keys use standard
RSAES-OAEP and SM2PKE (:mod:`kmsimport_mock.crypto.asymmetric_encryption`), whose
ciphertexts name nothing: Decrypt needs their KeyId and EncryptionAlgorithm.

Checks come in the order AWS's recorded answers show: the key is found, then its state is
checked (before its spec or usage, recorded case 32), then usage, spec, algorithm and
parameters; nothing changes before every check has passed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ...crypto import asymmetric_encryption, ciphertext
from ...errors import KeySpecNotMocked, ParameterNotMocked
from .. import kms_errors
from ..key_material import material_in_use
from ..key_specs import SYMMETRIC, is_china_region
from ..key_states import refuse_unless_enabled
from ..model import Key
from ..store import KmsBackend
from ..types import Caller, Params, Response
from .key_use import resolve_for_use

ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
IGNORE_CIPHERTEXT = "IGNORE_CIPHERTEXT"
DATA_KEY_SPEC_BYTES = {"AES_128": 16, "AES_256": 32}
# The DataKeyPairSpec values the mock can make; a newer botocore may list more.
DATA_KEY_PAIR_SPECS = frozenset(
    {
        "RSA_2048",
        "RSA_3072",
        "RSA_4096",
        "ECC_NIST_P256",
        "ECC_NIST_P384",
        "ECC_NIST_P521",
        "ECC_SECG_P256K1",
        "ECC_NIST_EDWARDS25519",
        "SM2",
    }
)


# --- shared checks ---------------------------------------------------------------------------


def _refuse_recipient(params: Params, operation: str) -> None:
    if "Recipient" in params:
        raise ParameterNotMocked(
            operation,
            "Recipient",
            "KMS verifies the attestation document against AWS's Nitro root certificate, "
            "which no test can produce, and answers with ciphertext for the enclave.",
        )


def _usable_key(backend: KmsBackend, caller: Caller, key_ref: str, operation: str) -> Key:
    """The key, Enabled and made for encryption (key state first, then usage)."""
    key = resolve_for_use(backend, caller, key_ref, operation)
    refuse_unless_enabled(key)
    if key.key_usage != ENCRYPT_DECRYPT:
        raise kms_errors.invalid_key_usage(key.arn, key.key_usage, operation)
    return key


def _symmetric_key(backend: KmsBackend, caller: Caller, key_ref: str, operation: str) -> Key:
    """GenerateDataKey* and GenerateDataKeyPair* encrypt only under symmetric keys."""
    key = _usable_key(backend, caller, key_ref, operation)
    if not key.is_symmetric:
        raise kms_errors.key_spec_not_valid(key.arn, key.key_spec, operation)
    return key


def _check_algorithm(key: Key, algorithm: str) -> None:
    supported = key.spec.usages[key.key_usage].encryption
    if algorithm not in supported:
        raise kms_errors.encryption_algorithm_not_valid(key.arn, algorithm, list(supported))


def _check_context(key: Key, name: str, context: Mapping[str, str] | None) -> None:
    if context and not key.is_symmetric:
        raise kms_errors.encryption_context_not_supported(name, key.key_spec)


def _check_plaintext_length(key: Key, algorithm: str, length: int) -> None:
    """Asymmetric algorithms encrypt less than the 4096 bytes of the API's limit."""
    if key.is_symmetric:
        return
    limit = asymmetric_encryption.max_plaintext(key.key_spec, algorithm)
    if length > limit:
        raise kms_errors.plaintext_too_large(algorithm, key.key_spec, limit)


# --- encrypting and decrypting ------------------------------------------------------------


@dataclass(frozen=True)
class _Encrypted:
    blob: bytes
    material_id: str | None  # symmetric keys only


def _encrypt(
    key: Key, algorithm: str, plaintext: bytes, context: Mapping[str, str] | None
) -> _Encrypted:
    """Encrypts under the key's material in use; call with every check passed."""
    material = material_in_use(key)
    if material is None or material.plaintext is None:
        # An Enabled key always has its material; kept as AWS's answer for a key without.
        raise kms_errors.pending_import(key.arn)
    if key.is_symmetric:
        blob = ciphertext.seal(
            key.key_id, material.material_id, material.plaintext, plaintext, context
        )
        return _Encrypted(blob, material.material_id)
    blob = asymmetric_encryption.encrypt(key.key_spec, material.plaintext, algorithm, plaintext)
    return _Encrypted(blob, None)


@dataclass(frozen=True)
class _Decrypted:
    key: Key
    plaintext: bytes
    algorithm: str
    material_id: str | None  # symmetric keys only


def _parse(blob: bytes) -> ciphertext.ParsedCiphertext:
    try:
        return ciphertext.parse_ciphertext(blob)
    except ciphertext.InvalidSymmetricCiphertext:
        raise kms_errors.invalid_ciphertext() from None


def _key_named_by(
    backend: KmsBackend, caller: Caller, parsed: ciphertext.ParsedCiphertext, operation: str
) -> Key:
    """The caller's key a symmetric ciphertext names; none is an invalid ciphertext."""
    try:
        return resolve_for_use(backend, caller, parsed.key_id, operation)
    except kms_errors.KmsError as error:
        if error.code == "NotFoundException":
            raise kms_errors.invalid_ciphertext() from None
        raise


def _open_symmetric(
    key: Key, parsed: ciphertext.ParsedCiphertext, context: Mapping[str, str] | None
) -> bytes:
    # The ciphertext names the material: current or NON_CURRENT, it still decrypts after
    # rotation (recorded case 33).
    material = key.material_by_id(parsed.material_id)
    if material is None or material.plaintext is None:
        raise kms_errors.invalid_ciphertext()
    try:
        return ciphertext.open_ciphertext(parsed, material.plaintext, context)
    except ciphertext.InvalidSymmetricCiphertext:
        raise kms_errors.invalid_ciphertext() from None


def _open_asymmetric(key: Key, algorithm: str, blob: bytes) -> bytes:
    # Not material_in_use: a key KMS has not yet made material for has encrypted nothing,
    # and a failing call must not make it.
    material = key.only_material
    if material is None or material.plaintext is None:
        raise kms_errors.invalid_ciphertext()
    try:
        return asymmetric_encryption.decrypt(key.key_spec, material.plaintext, algorithm, blob)
    except asymmetric_encryption.AsymmetricDecryptionFailed:
        raise kms_errors.invalid_ciphertext() from None


def _decrypt(
    backend: KmsBackend,
    caller: Caller,
    *,
    blob: bytes,
    key_ref: str | None,
    algorithm: str,
    context: Mapping[str, str] | None,
    context_name: str,
    operation: str,
) -> _Decrypted:
    if key_ref is not None:
        key = _usable_key(backend, caller, key_ref, operation)
        _check_algorithm(key, algorithm)
        _check_context(key, context_name, context)
        if not key.is_symmetric:
            return _Decrypted(key, _open_asymmetric(key, algorithm, blob), algorithm, None)
        parsed = _parse(blob)
        if parsed.key_id != key.key_id:
            raise kms_errors.incorrect_key()
    else:
        # Only a symmetric ciphertext names its key; anything else is no ciphertext here.
        parsed = _parse(blob)
        key = _key_named_by(backend, caller, parsed, operation)
        refuse_unless_enabled(key)
        if key.key_usage != ENCRYPT_DECRYPT:
            raise kms_errors.invalid_key_usage(key.arn, key.key_usage, operation)
        _check_algorithm(key, algorithm)
        if not key.is_symmetric:
            raise kms_errors.invalid_ciphertext()
    plaintext = _open_symmetric(key, parsed, context)
    return _Decrypted(key, plaintext, SYMMETRIC, parsed.material_id)


def _dry_run_ignoring_ciphertext(params: Params) -> bool:
    return bool(params.get("DryRun")) and IGNORE_CIPHERTEXT in params.get("DryRunModifiers", ())


# --- the operations ------------------------------------------------------------------------


def encrypt(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params.get("EncryptionAlgorithm", SYMMETRIC)
    plaintext: bytes = params["Plaintext"]
    context = params.get("EncryptionContext")
    with backend.lock:
        key = _usable_key(backend, caller, params["KeyId"], "Encrypt")
        _check_algorithm(key, algorithm)
        _check_context(key, "EncryptionContext", context)
        _check_plaintext_length(key, algorithm, len(plaintext))
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        encrypted = _encrypt(key, algorithm, plaintext, context)
        return {
            "CiphertextBlob": encrypted.blob,
            "KeyId": key.arn,
            "EncryptionAlgorithm": algorithm,
        }


def _require_ciphertext(
    backend: KmsBackend,
    caller: Caller,
    params: Params,
    key_field: str,
    algorithm: str,
    operation: str,
) -> None:
    """Decrypt and ReEncrypt need their ciphertext, except a DryRun with IGNORE_CIPHERTEXT,
    which checks only the key named by ``key_field`` (and answers DryRunOperationException)."""
    if _dry_run_ignoring_ciphertext(params):
        if key_field not in params:
            raise kms_errors.key_id_required_for_ignore_ciphertext(key_field)
        key = _usable_key(backend, caller, params[key_field], operation)
        _check_algorithm(key, algorithm)
        raise kms_errors.dry_run()
    if "CiphertextBlob" not in params:
        raise kms_errors.ciphertext_required("CiphertextBlob")


def decrypt(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    _refuse_recipient(params, "Decrypt")
    algorithm = params.get("EncryptionAlgorithm", SYMMETRIC)
    with backend.lock:
        _require_ciphertext(backend, caller, params, "KeyId", algorithm, "Decrypt")
        decrypted = _decrypt(
            backend,
            caller,
            blob=params["CiphertextBlob"],
            key_ref=params.get("KeyId"),
            algorithm=algorithm,
            context=params.get("EncryptionContext"),
            context_name="EncryptionContext",
            operation="Decrypt",
        )
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        response: Response = {
            "KeyId": decrypted.key.arn,
            "Plaintext": decrypted.plaintext,
            "EncryptionAlgorithm": decrypted.algorithm,
        }
        if decrypted.material_id is not None:
            response["KeyMaterialId"] = decrypted.material_id
        return response


def re_encrypt(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    source_algorithm = params.get("SourceEncryptionAlgorithm", SYMMETRIC)
    destination_algorithm = params.get("DestinationEncryptionAlgorithm", SYMMETRIC)
    destination_context = params.get("DestinationEncryptionContext")
    with backend.lock:
        destination = _usable_key(backend, caller, params["DestinationKeyId"], "ReEncrypt")
        _check_algorithm(destination, destination_algorithm)
        _check_context(destination, "DestinationEncryptionContext", destination_context)
        _require_ciphertext(backend, caller, params, "SourceKeyId", source_algorithm, "ReEncrypt")
        source = _decrypt(
            backend,
            caller,
            blob=params["CiphertextBlob"],
            key_ref=params.get("SourceKeyId"),
            algorithm=source_algorithm,
            context=params.get("SourceEncryptionContext"),
            context_name="SourceEncryptionContext",
            operation="ReEncrypt",
        )
        _check_plaintext_length(destination, destination_algorithm, len(source.plaintext))
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        encrypted = _encrypt(
            destination, destination_algorithm, source.plaintext, destination_context
        )
        response: Response = {
            "CiphertextBlob": encrypted.blob,
            "SourceKeyId": source.key.arn,
            "KeyId": destination.arn,
            "SourceEncryptionAlgorithm": source.algorithm,
            "DestinationEncryptionAlgorithm": destination_algorithm,
        }
        if source.material_id is not None:
            response["SourceKeyMaterialId"] = source.material_id
        if encrypted.material_id is not None:
            response["DestinationKeyMaterialId"] = encrypted.material_id
        return response


def _data_key_length(params: Params) -> int:
    # Checked before the key is looked up, as the other emulators do (AWS: UNCONFIRMED).
    spec, number = params.get("KeySpec"), params.get("NumberOfBytes")
    if (spec is None) == (number is None):
        raise kms_errors.data_key_length_required()
    if spec is not None:
        return DATA_KEY_SPEC_BYTES[spec]
    assert isinstance(number, int)
    return number


def _generate_data_key(
    backend: KmsBackend, caller: Caller, params: Params, operation: str, *, plaintext: bool
) -> Response:
    _refuse_recipient(params, operation)
    length = _data_key_length(params)
    context = params.get("EncryptionContext")
    with backend.lock:
        key = _symmetric_key(backend, caller, params["KeyId"], operation)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        data_key = os.urandom(length)
        encrypted = _encrypt(key, SYMMETRIC, data_key, context)
    response: Response = {"CiphertextBlob": encrypted.blob, "KeyId": key.arn}
    if plaintext:
        response["Plaintext"] = data_key
    response["KeyMaterialId"] = encrypted.material_id
    return response


def generate_data_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    return _generate_data_key(backend, caller, params, "GenerateDataKey", plaintext=True)


def generate_data_key_without_plaintext(
    backend: KmsBackend, caller: Caller, params: Params
) -> Response:
    return _generate_data_key(
        backend, caller, params, "GenerateDataKeyWithoutPlaintext", plaintext=False
    )


def _generate_data_key_pair(
    backend: KmsBackend, caller: Caller, params: Params, operation: str, *, plaintext: bool
) -> Response:
    _refuse_recipient(params, operation)
    pair_spec = params["KeyPairSpec"]
    if pair_spec not in DATA_KEY_PAIR_SPECS:
        raise KeySpecNotMocked(pair_spec)
    if pair_spec == "SM2" and not is_china_region(caller.region):
        raise kms_errors.key_pair_spec_not_in_region(pair_spec, caller.region)
    context = params.get("EncryptionContext")
    with backend.lock:
        _symmetric_key(backend, caller, params["KeyId"], operation)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
    # An RSA-4096 pair takes about half a second to make: outside the lock, and the key
    # is looked up and checked again before it encrypts.
    private_key, public_key = asymmetric_encryption.generate_data_key_pair(pair_spec)
    with backend.lock:
        key = _symmetric_key(backend, caller, params["KeyId"], operation)
        encrypted = _encrypt(key, SYMMETRIC, private_key, context)
    response: Response = {"PrivateKeyCiphertextBlob": encrypted.blob}
    if plaintext:
        response["PrivateKeyPlaintext"] = private_key
    response.update(
        {
            "PublicKey": public_key,
            "KeyId": key.arn,
            "KeyPairSpec": pair_spec,
            "KeyMaterialId": encrypted.material_id,
        }
    )
    return response


def generate_data_key_pair(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    return _generate_data_key_pair(backend, caller, params, "GenerateDataKeyPair", plaintext=True)


def generate_data_key_pair_without_plaintext(
    backend: KmsBackend, caller: Caller, params: Params
) -> Response:
    return _generate_data_key_pair(
        backend, caller, params, "GenerateDataKeyPairWithoutPlaintext", plaintext=False
    )
