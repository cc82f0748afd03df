"""The AWS JSON 1.1 protocol of KMS: request bodies in, response and error bodies out.

This layer turns a request body into Python values using the API's shapes from
botocore's KMS model (base64 blobs become ``bytes``, epoch timestamps become aware
``datetime``), applies the model's constraints the way AWS reports them
(``ValidationException``), hands the values to the backend, and writes the backend's
answer or :class:`KmsError` back as a JSON body. The in-process interceptor and the HTTP
server both go through :func:`handle`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import functools
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

from ..backend import kms_errors, operations
from ..backend.kms_errors import KmsError
from ..backend.types import Caller
from ..errors import OperationNotMocked

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "TrentService."


class JsonResponse(NamedTuple):
    status: int
    body: bytes
    # The body's JSON value, where the writer has it: the interceptor hands it to
    # botocore's parser so that the parser need not decode the body again.
    document: Any = None


# The mock writes every body from fresh dicts and lists, so no value can contain itself.
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


@functools.cache
def kms_service_model() -> ServiceModel:
    """botocore's KMS model, loaded once (only the server needs to load it itself)."""
    loader = Loader()
    return ServiceModel(loader.load_service_model("kms", "service-2"), service_name="kms")


def handle(
    backend: KmsBackend, caller: Caller, operation: OperationModel, body: bytes | str | None
) -> JsonResponse:
    """Answers one KMS request body with the body AWS would send."""
    try:
        result = call(backend, caller, operation, body)
    except KmsError as error:
        return error_response(error)
    return success_response(result)


def call(
    backend: KmsBackend, caller: Caller, operation: OperationModel, body: bytes | str | None
) -> dict[str, Any]:
    """The backend's answer to one KMS request body, as Python values; raises KmsError."""
    if operation.name not in operations.served():
        raise OperationNotMocked(operation.name, operations.served())
    params = decode_request(operation, body)
    return operations.call(backend, caller, operation.name, params)


def success_response(result: dict[str, Any]) -> JsonResponse:
    document = _to_json(result)
    return JsonResponse(200, _ENCODER.encode(document).encode(), document)


def error_response(error: KmsError) -> JsonResponse:
    body: dict[str, str] = {"__type": error.code}
    # AWS leaves the message out when it is empty; botocore then shows no top-level message.
    if error.message:
        body["message"] = error.message
    return JsonResponse(error.status, json.dumps(body).encode())


# --- requests -----------------------------------------------------------------------------


def decode_request(operation: OperationModel, body: bytes | str | None) -> dict[str, Any]:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            # Replacing the bad bytes would act on a request the client did not send.
            raise kms_errors.invalid_utf8() from None
    try:
        raw = json.loads(body) if body else {}
    except ValueError:
        raise _serialization_error("Start of structure or map found where not expected.") from None
    except RecursionError:
        # The JSON scanner recurses once per nesting level; no KMS request nests more than
        # four, so a body deep enough to exhaust the stack is refused as it stands.
        raise kms_errors.nested_too_deeply() from None
    shape = operation.input_shape
    if shape is None:
        return {}
    if not isinstance(raw, dict):
        raise _serialization_error("Start of structure or map found where not expected.")
    params = _decode(shape, raw)
    problems: list[str] = []
    _validate_structure(shape, params, "", problems)
    if problems:
        noun = "error" if len(problems) == 1 else "errors"
        listed = "; ".join(problems[:_MAX_LISTED_PROBLEMS])
        if len(problems) > _MAX_LISTED_PROBLEMS:
            listed += f"; and {len(problems) - _MAX_LISTED_PROBLEMS} more"
        raise KmsError(
            "ValidationException", f"{len(problems)} validation {noun} detected: {listed}"
        )
    result: dict[str, Any] = params
    return result


# CHOSEN bounds on a ValidationException's message, so that a request of a megabyte (a list
# of 100,000 bad values, a value 100 times too long) gets an answer of a few kilobytes: the
# count of problems is exact, the first 10 are listed, and a shown value is cut at 1,024
# characters (a value just over a limit, such as a tag value of 257, is shown whole). AWS's
# own limits are not documented; real requests never come near them.
_MAX_LISTED_PROBLEMS = 10
_MAX_SHOWN_VALUE = 1024


def _shown(value: Any) -> str:
    text = str(value)
    if len(text) > _MAX_SHOWN_VALUE:
        return text[:_MAX_SHOWN_VALUE] + "..."
    return text


def _serialization_error(message: str) -> KmsError:
    return KmsError("SerializationException", message)


def _decode(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure":
        if not isinstance(value, dict):
            raise _serialization_error("Start of structure or map found where not expected.")
        members = shape.members
        return {
            name: _decode(members[name], item)
            for name, item in value.items()
            if name in members and item is not None
        }
    if kind == "list":
        if not isinstance(value, list):
            raise _serialization_error("Start of list found where not expected")
        return [_decode(shape.member, item) for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise _serialization_error("Start of structure or map found where not expected.")
        return {str(k): _decode(shape.value, v) for k, v in value.items()}
    if kind == "blob":
        if not isinstance(value, str):
            raise _serialization_error("Blob value must be a base64-encoded string")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise _serialization_error("Base64 encoded value is not valid") from None
    if kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _serialization_error("Timestamp value must be a number of epoch seconds")
        try:
            return _dt.datetime.fromtimestamp(value, _dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise _serialization_error("Timestamp value is out of range") from None
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _serialization_error("Boolean value expected")
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _serialization_error("Integer value expected")
        return value
    if kind == "string":
        if not isinstance(value, str):
            raise _serialization_error("String value expected")
        return value
    return value


def _member_path(prefix: str, name: str) -> str:
    camel = name[:1].lower() + name[1:]
    return f"{prefix}.{camel}" if prefix else camel


def _validate_structure(shape: Shape, value: dict[str, Any], prefix: str, out: list[str]) -> None:
    for name in shape.required_members:
        if value.get(name) is None:
            out.append(
                f"Value null at '{_member_path(prefix, name)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for name, item in value.items():
        _validate(shape.members[name], item, _member_path(prefix, name), out)


def _validate(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    meta = shape.metadata
    kind = shape.type_name

    def fail(constraint: str) -> None:
        shown = "" if kind == "blob" else f" '{_shown(value)}'"
        out.append(
            f"Value{shown} at '{path}' failed to satisfy constraint: Member must {constraint}"
        )

    if kind == "structure":
        _validate_structure(shape, value, path, out)
        return
    if kind == "list":
        for index, item in enumerate(value, start=1):
            member_path = f"{path}.{index}.member"
            if item is None:
                # A null entry of a list (structures drop null members when decoded).
                out.append(
                    f"Value null at '{member_path}' failed to satisfy constraint: "
                    "Member must not be null"
                )
                continue
            _validate(shape.member, item, member_path, out)
    if kind in ("string", "blob", "list"):
        if "min" in meta and len(value) < meta["min"]:
            fail(f"have length greater than or equal to {meta['min']}")
        elif "max" in meta and len(value) > meta["max"]:
            fail(f"have length less than or equal to {meta['max']}")
    if kind in ("integer", "long"):
        if "min" in meta and value < meta["min"]:
            fail(f"have value greater than or equal to {meta['min']}")
        elif "max" in meta and value > meta["max"]:
            fail(f"have value less than or equal to {meta['max']}")
    if kind == "string":
        enum = shape.enum
        if enum and value not in enum:
            fail(f"satisfy enum value set: [{', '.join(enum)}]")
        pattern = meta.get("pattern")
        if pattern and value and not _compiled(pattern).search(value):
            fail(f"satisfy regular expression pattern: {pattern}")


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --- responses ----------------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    # Strings are most of what the backend answers: they go through before any other test,
    # and without a call of their own inside a structure.
    if type(value) is str:
        return value
    if isinstance(value, dict):
        return {k: v if type(v) is str else _to_json(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    return value
