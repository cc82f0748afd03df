"""Sign, Verify and GetPublicKey on asymmetric keys, imported or made by the mock.

Every check comes before the key's material is touched, in the order AWS applies them:
the key, its state (the key-state table), its usage, the algorithm for its spec, then the
message type and the digest's length. Only then does an AWS_KMS key get its material
(made on first use), so a refused call changes nothing.
"""

from __future__ import annotations

from ...crypto import signatures
from .. import kms_errors
from ..key_material import material_in_use
from ..key_states import refuse_unless_enabled
from ..model import Key
from ..store import KmsBackend, key_spec_fields
from ..types import Caller, Params, Response
from .key_use import resolve_for_use

SIGN_VERIFY = "SIGN_VERIFY"
ED25519_PURE = "ED25519_SHA_512"
ED25519_PREHASH = "ED25519_PH_SHA_512"


def _check_request(key: Key, operation: str, algorithm: str, message: bytes, kind: str) -> None:
    """Every refusal Sign and Verify share, in AWS's order (state before spec, case 32)."""
    refuse_unless_enabled(key)
    if key.key_usage != SIGN_VERIFY:
        raise kms_errors.invalid_key_usage(key.arn, key.key_usage, operation)
    if algorithm not in key.spec.usages[SIGN_VERIFY].signing:
        raise kms_errors.algorithm_incompatible(algorithm, key.key_spec)
    if key.spec.family == "ML_DSA":
        if kind == "DIGEST":
            raise kms_errors.message_type_incompatible_with_key_spec(kind, key.key_spec)
        if kind == "EXTERNAL_MU" and len(message) != signatures.EXTERNAL_MU_LENGTH:
            raise kms_errors.external_mu_invalid_length(algorithm)
        return
    if kind == "EXTERNAL_MU":
        raise kms_errors.message_type_incompatible_with_key_spec(kind, key.key_spec)
    if (algorithm == ED25519_PURE and kind != "RAW") or (
        algorithm == ED25519_PREHASH and kind != "DIGEST"
    ):
        raise kms_errors.message_type_incompatible_with_algorithm(kind, algorithm)
    if kind == "DIGEST" and len(message) != signatures.DIGEST_LENGTHS[algorithm]:
        raise kms_errors.digest_invalid_length(algorithm)


def sign(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params["SigningAlgorithm"]
    message = params["Message"]
    kind = params.get("MessageType", "RAW")
    with backend.lock:
        key = resolve_for_use(backend, caller, params["KeyId"], "Sign")
        _check_request(key, "Sign", algorithm, message, kind)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        material = material_in_use(key)
        if material is None or material.plaintext is None:
            raise kms_errors.pending_import(key.arn)
        plaintext = material.plaintext
    signature = signatures.sign(key.key_spec, plaintext, algorithm, message, kind)
    return {"KeyId": key.arn, "Signature": signature, "SigningAlgorithm": algorithm}


def verify(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params["SigningAlgorithm"]
    message = params["Message"]
    kind = params.get("MessageType", "RAW")
    with backend.lock:
        key = resolve_for_use(backend, caller, params["KeyId"], "Verify")
        _check_request(key, "Verify", algorithm, message, kind)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        # An AWS_KMS key that has never signed has no material yet, and no signature can
        # verify under it; making its material here would change state on a failing call.
        material = key.only_material
        plaintext = material.plaintext if material is not None else None
    if plaintext is None or not signatures.verify(
        key.key_spec, plaintext, algorithm, message, kind, params["Signature"]
    ):
        raise kms_errors.invalid_signature()
    return {"KeyId": key.arn, "SignatureValid": True, "SigningAlgorithm": algorithm}


def get_public_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"])
        # The key-state table gives GetPublicKey the same row as Sign and Verify.
        refuse_unless_enabled(key)
        if key.spec.family in ("SYMMETRIC", "HMAC"):
            raise kms_errors.no_public_key(key.arn, key.key_spec)
        material = material_in_use(key)
        if material is None or material.plaintext is None:
            raise kms_errors.pending_import(key.arn)
        plaintext = material.plaintext
    return {
        "KeyId": key.arn,
        "PublicKey": signatures.public_key_of(key.key_spec, plaintext),
        **key_spec_fields(key),
    }
