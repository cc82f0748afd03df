"""A key whose material the test chose, in one call (``create_key_with_material``).

It runs the documented BYOK procedure — CreateKey(Origin=EXTERNAL), GetParametersForImport,
wrapping the material with the downloaded public key, ImportKeyMaterial — through the
mock's own JSON 1.1 layer and backend, so every rule of those operations applies and it
works the same beside moto or alone. Answers are read back with botocore's parser, so the
metadata is what ``describe_key`` would return (``CreationDate`` a ``datetime``), and an
AWS error is raised as the modeled botocore exception.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import re
from typing import TYPE_CHECKING, Any

from botocore.errorfactory import ClientExceptionsFactory
from botocore.exceptions import ClientError

from . import protocol
from .backend.kms_errors import KmsError
from .backend.types import DEFAULT_ACCOUNT_ID, Caller
from .crypto import sm2
from .crypto.wrapping import wrap_key_material
from .interception.parsing import AnswerParser, DecodedBody

if TYPE_CHECKING:
    from .backend.store import KmsBackend

# Tried in order; the first combination GetParametersForImport accepts for the key spec
# and Region, and that can carry the material, is used. RSA_2048 wrapping keys come from
# the pool at once; RSA private keys need the AES key wrap; China Regions have no AES key
# wrap, and wrap asymmetric material with SM2PKE.
_WRAPPINGS = (
    ("RSAES_OAEP_SHA_256", "RSA_2048"),
    ("RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"),
    ("SM2PKE", "SM2"),
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MRK_ID = re.compile(r"mrk-[0-9a-f]{32}")
_parser = AnswerParser()


def default_region() -> str:
    return os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "us-east-1"


def create_key_with_material(
    backend: KmsBackend,
    material: bytes,
    *,
    key_spec: str,
    key_usage: str | None,
    region: str | None,
    account: str | None,
    key_id: str | None,
    valid_to: _dt.datetime | None,
    create_key_params: dict[str, Any],
) -> dict[str, Any]:
    """See :meth:`kmsimport_mock.KmsImportMock.create_key_with_material`."""
    if not isinstance(material, bytes | bytearray) or not material:
        raise TypeError("material must be non-empty bytes")
    for reserved in ("Origin", "KeySpec", "KeyUsage", "CustomerMasterKeySpec"):
        if reserved in create_key_params:
            raise TypeError(
                f"create_key_with_material sets {reserved} itself; pass key_spec/key_usage"
            )
    caller = Caller(
        account=account or os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID,
        region=region or default_region(),
    )
    create_params: dict[str, Any] = {"Origin": "EXTERNAL", "KeySpec": key_spec}
    if key_usage is not None:
        create_params["KeyUsage"] = key_usage
    create_params.update(create_key_params)
    if key_id is not None:
        _check_fixed_key_id(backend, caller, key_id, bool(create_params.get("MultiRegion")))

    created = _call(backend, caller, "CreateKey", create_params)["KeyMetadata"]
    try:
        if key_id is not None:
            _rename(backend, caller, created["KeyId"], key_id)
        arn = caller.key_arn(key_id or created["KeyId"])
        _import(backend, caller, arn, bytes(material), valid_to)
    except BaseException:
        # A failed call leaves no half-made key behind.
        with backend.lock:
            key = backend.store(caller).get(key_id or created["KeyId"])
            if key is not None:
                backend.remove_key(key)
        raise
    described = _call(backend, caller, "DescribeKey", {"KeyId": arn}, parse=True)
    metadata: dict[str, Any] = described["KeyMetadata"]
    return metadata


def _check_fixed_key_id(backend: KmsBackend, caller: Caller, key_id: str, multi: bool) -> None:
    pattern = _MRK_ID if multi else _UUID
    if not isinstance(key_id, str) or not pattern.fullmatch(key_id):
        form = "'mrk-' and 32 lowercase hex digits" if multi else "a lowercase UUID"
        raise ValueError(f"key_id must be {form} for this key, got {key_id!r}")
    with backend.lock:
        if key_id in backend.store(caller):
            raise ValueError(
                f"the mock already has a key {key_id!r} in account {caller.account}, "
                f"Region {caller.region}"
            )


def _rename(backend: KmsBackend, caller: Caller, old_id: str, new_id: str) -> None:
    # Before any material: material ids derive from the key id, so the key must carry its
    # final id when the material is imported.
    with backend.lock:
        key = backend.store(caller)[old_id]
        backend.remove_key(key)
        key.key_id = new_id
        key.arn = caller.key_arn(new_id)
        backend.add_key(key)


def _import(
    backend: KmsBackend, caller: Caller, arn: str, material: bytes, valid_to: _dt.datetime | None
) -> None:
    refusal: BaseException | None = None
    for algorithm, wrapping_key_spec in _WRAPPINGS:
        try:
            params = _call(
                backend,
                caller,
                "GetParametersForImport",
                {
                    "KeyId": arn,
                    "WrappingAlgorithm": algorithm,
                    "WrappingKeySpec": wrapping_key_spec,
                },
            )
        except ClientError as error:  # the combination is not offered for this key here
            refusal = refusal or error
            continue
        try:
            if algorithm == "SM2PKE":
                blob = sm2.sm2pke_encrypt(params["PublicKey"], material)
            else:
                blob = wrap_key_material(params["PublicKey"], material, algorithm)
        except ValueError as error:  # too long for this wrapping
            refusal = refusal or error
            continue
        import_params: dict[str, Any] = {
            "KeyId": arn,
            "ImportToken": params["ImportToken"],
            "EncryptedKeyMaterial": blob,
        }
        if valid_to is None:
            import_params["ExpirationModel"] = "KEY_MATERIAL_DOES_NOT_EXPIRE"
        else:
            import_params["ExpirationModel"] = "KEY_MATERIAL_EXPIRES"
            import_params["ValidTo"] = valid_to
        _call(backend, caller, "ImportKeyMaterial", import_params)
        return
    assert refusal is not None
    raise refusal


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _call(
    backend: KmsBackend,
    caller: Caller,
    operation: str,
    params: dict[str, Any],
    *,
    parse: bool = False,
) -> dict[str, Any]:
    """One request through the protocol layer, as an SDK would send it.

    Returns the backend's answer (``parse=False``: bytes and aware UTC datetimes) or what
    botocore's parser makes of it; an AWS error is raised as botocore's modeled exception.
    """
    model = protocol.kms_service_model().operation_model(operation)
    body = json.dumps(_json_value(params)).encode()
    try:
        result = protocol.call(backend, caller, model, body)
    except KmsError as error:
        raise _client_error(model, protocol.error_response(error)) from None
    if not parse:
        return result
    answer = protocol.success_response(result)
    parsed: dict[str, Any] = _parser.parse(
        {
            "headers": {},
            "status_code": 200,
            "body": DecodedBody(answer.body, answer.document),
            "context": {"operation_name": operation},
        },
        model.output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    return parsed


def _client_error(model: Any, answer: protocol.JsonResponse) -> Exception:
    response = {
        "headers": {},
        "status_code": answer.status,
        "body": answer.body,
        "context": {"operation_name": model.name},
    }
    parsed = _parser.parse(response, model.output_shape)
    code = parsed.get("Error", {}).get("Code")
    error_shape = model.service_model.shape_for_error_code(code) if code else None
    if error_shape is not None:
        parsed.update(_parser.parse(response, error_shape))
    exceptions = ClientExceptionsFactory().create_client_exceptions(model.service_model)
    error: Exception = exceptions.from_code(code)(parsed, model.name)
    return error


__all__ = ["create_key_with_material", "default_region"]
