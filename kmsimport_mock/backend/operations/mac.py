"""GenerateMac and VerifyMac on HMAC keys, imported or made by the mock.

As for signing, every check comes first (the key, its state, its usage, the algorithm for
its spec); an AWS_KMS key gets its material on its first GenerateMac only.
"""

from __future__ import annotations

from ...crypto.macs import mac_matches, message_mac
from .. import kms_errors
from ..key_material import material_in_use
from ..key_states import refuse_unless_enabled
from ..model import Key
from ..store import KmsBackend
from ..types import Caller, Params, Response
from .key_use import resolve_for_use

GENERATE_VERIFY_MAC = "GENERATE_VERIFY_MAC"


def _check_request(key: Key, operation: str, algorithm: str) -> None:
    refuse_unless_enabled(key)
    if key.key_usage != GENERATE_VERIFY_MAC:
        raise kms_errors.invalid_key_usage(key.arn, key.key_usage, operation)
    if algorithm not in key.spec.usages[GENERATE_VERIFY_MAC].mac:
        raise kms_errors.algorithm_incompatible(algorithm, key.key_spec)


def generate_mac(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params["MacAlgorithm"]
    with backend.lock:
        key = resolve_for_use(backend, caller, params["KeyId"], "GenerateMac")
        _check_request(key, "GenerateMac", algorithm)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        material = material_in_use(key)
        if material is None or material.plaintext is None:
            raise kms_errors.pending_import(key.arn)
        plaintext = material.plaintext
    mac = message_mac(plaintext, algorithm, params["Message"])
    return {"Mac": mac, "MacAlgorithm": algorithm, "KeyId": key.arn}


def verify_mac(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    algorithm = params["MacAlgorithm"]
    with backend.lock:
        key = resolve_for_use(backend, caller, params["KeyId"], "VerifyMac")
        _check_request(key, "VerifyMac", algorithm)
        if params.get("DryRun"):
            raise kms_errors.dry_run()
        # An AWS_KMS key that never made a MAC has no material yet, and no MAC can match;
        # making its material here would change state on a failing call.
        material = key.only_material
        plaintext = material.plaintext if material is not None else None
    if plaintext is None or not mac_matches(plaintext, algorithm, params["Message"], params["Mac"]):
        raise kms_errors.invalid_mac()
    return {"KeyId": key.arn, "MacValid": True, "MacAlgorithm": algorithm}
