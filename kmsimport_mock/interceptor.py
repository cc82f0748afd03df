"""botocore events in, botocore responses out.

Importing this module adds one handler to botocore's built-in handlers, so every session
created afterwards carries it (the pytest plugin imports the package at start-up). The
handler answers ``before-call.kms.*`` while a mock is active and returns ``None``
otherwise, which lets botocore go on as usual. Answering at ``before-call`` skips
signing, retries and the HTTP layer entirely, and leaves ``before-send`` to moto.

Error answers are parsed by botocore's own JSON parser from the body the protocol layer
wrote. Successful answers take a faster road to the same result: one walk over the output
shape (compiled once per shape) writes both the JSON body and the values botocore's parser
would have produced from it — bytes for blobs, timestamps as botocore's own timestamp
parser, members in the shape's order, fresh containers. Set :data:`CROSS_CHECK` (the test
suite does) to also parse every body with botocore's parser and fail on any difference.
"""

from __future__ import annotations

import base64
import datetime as _dt
import functools
import json
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.compat import get_tzinfo_options
from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser

from . import activation, retrying
from .errors import KmsError
from .ids import uuid4_string

if TYPE_CHECKING:
    from . import protocol
    from .backend import Caller
    from .identity import AccessKeyAccounts

EVENT = "before-call.kms"
_ENDPOINT_REGION = re.compile(
    r"^https?://kms(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?/?"
)
_parser = create_parser("json")
# Documents are built fresh from the backend's values, so they cannot be circular.
_json_encoder = json.JSONEncoder(separators=(",", ":"), check_circular=False)
# Also parse each successful answer with botocore's parser and fail on any difference.
CROSS_CHECK = False


class _RawBody:
    """The little of urllib3's response that AWSResponse reads."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def caller_for(
    request: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    accounts: AccessKeyAccounts | None = None,
) -> Caller:
    """The account and Region a request acts in (accounts: see :mod:`identity`)."""
    if _OPERATIONS is None:
        _load_serving()
    region = _region_in(request.get("url", "")) or context.get("client_region") or "us-east-1"
    return _caller(identity.account_for(request_signer, accounts), region)


@functools.lru_cache(maxsize=256)
def _region_in(url: str) -> str | None:
    # A client sends every request to the same endpoint URL.
    match = _ENDPOINT_REGION.match(url)
    return match.group(1) if match else None


@functools.lru_cache(maxsize=256)
def _caller(account: str, region: str) -> Caller:
    # Callers are immutable and few; building one costs more than finding it here.
    from .backend import Caller

    return Caller(account=account, region=region)


def on_before_call(
    model: OperationModel,
    params: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    mock = activation.current()
    if mock is None:
        return None
    if _OPERATIONS is None:
        _load_serving()
    caller = caller_for(params, context, request_signer, mock.access_keys)

    def attempt() -> tuple[AWSResponse, dict[str, Any]]:
        return answer_once(mock, caller, model, params)

    return retrying.answer_with_retries(
        attempt, model, params, context, request_signer, mock.faults.sleep
    )


# The protocol layer, the backend and identity pull in cryptography; only a started mock
# needs them, so `import kmsimport_mock` stays cheap. They are loaded on the first call a
# mock answers (or the first caller_for), and then found as module globals.
_OPERATIONS: Any = None
if TYPE_CHECKING:
    from . import identity


def _load_serving() -> None:
    from . import identity, protocol
    from .backend import OPERATIONS

    globals().update(protocol=protocol, identity=identity, _OPERATIONS=OPERATIONS)


def answer_once(
    mock: activation.Activatable, caller: Caller, model: OperationModel, params: dict[str, Any]
) -> tuple[AWSResponse, dict[str, Any]]:
    """One attempt: an injected fault if one is due, else the backend's answer."""
    url = params.get("url", "")
    fault = mock.faults.take(model.name) if model.name in _OPERATIONS else None
    if fault is not None:
        return to_botocore_response(model, protocol.error_response(fault), url)
    try:
        result = protocol.call(mock.backend, caller, model, params.get("body"))
    except KmsError as error:
        return to_botocore_response(model, protocol.error_response(error), url)
    return success_response(model, result, url)


def success_response(
    model: OperationModel, result: dict[str, Any], url: str
) -> tuple[AWSResponse, dict[str, Any]]:
    if _OPERATIONS is None:
        _load_serving()
    shape = model.output_shape
    if shape is None:
        parsed: dict[str, Any] = {}
        body = b"{}"
    else:
        parsed, document = _converter(shape)(result)
        body = _json_encoder.encode(document).encode()
    headers = _headers(body, protocol.CONTENT_TYPE)
    # AWSResponse copies the headers into its own HeadersDict; the parser would give a
    # plain dict of them, which this one can be.
    http = AWSResponse(url, 200, headers, _RawBody(body))
    parsed["ResponseMetadata"] = {
        "RequestId": headers["x-amzn-requestid"],
        "HTTPStatusCode": 200,
        "HTTPHeaders": headers,
        "RetryAttempts": 0,
    }
    if CROSS_CHECK:
        answer = protocol.JsonResponse(200, body)
        _, expected = to_botocore_response(model, answer, url, dict(headers))
        if expected != parsed:
            raise AssertionError(
                f"{model.name}: fast response {parsed!r} differs from botocore's {expected!r}"
            )
    return http, parsed


def _headers(body: bytes, content_type: str) -> dict[str, str]:
    return {
        "x-amzn-requestid": uuid4_string(),
        "content-type": content_type,
        "content-length": str(len(body)),
    }


def to_botocore_response(
    model: OperationModel,
    answer: protocol.JsonResponse,
    url: str,
    headers: dict[str, str] | None = None,
) -> tuple[AWSResponse, dict[str, Any]]:
    """The answer's body parsed by botocore's JSON parser, as a real response would be."""
    if _OPERATIONS is None:
        _load_serving()
    if headers is None:
        headers = _headers(answer.body, protocol.CONTENT_TYPE)
    http = AWSResponse(url, answer.status, headers, _RawBody(answer.body))
    response_dict = {
        "headers": http.headers,
        "status_code": answer.status,
        "body": answer.body,
        "context": {"operation_name": model.name},
    }
    parsed: dict[str, Any] = _parser.parse(response_dict, model.output_shape)
    if answer.status >= 300:
        code = parsed.get("Error", {}).get("Code")
        error_shape = model.service_model.shape_for_error_code(code) if code else None
        if error_shape is not None:
            parsed.update(_parser.parse(response_dict, error_shape))
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return http, parsed


# --- successful answers without a JSON round trip ----------------------------------------

# (parsed value, JSON value) of one backend value.
Converter = Callable[[Any], tuple[Any, Any]]
_converters: dict[str, Converter] = {}


def _converter(shape: Shape) -> Converter:
    # Shape names are unique within the KMS model, and KMS has no recursive output shapes.
    converter = _converters.get(shape.name)
    if converter is None:
        converter = _converters[shape.name] = _compile(shape)
    return converter


def _compile(shape: Shape) -> Converter:
    kind = shape.type_name
    if kind == "structure":
        # Plain members (strings, numbers, booleans) are copied as they are, without a call.
        members = [
            (name, None if _is_plain(member) else _converter(member))
            for name, member in shape.members.items()
        ]

        def structure(value: Any) -> tuple[Any, Any]:
            parsed: dict[str, Any] = {}
            document: dict[str, Any] = {}
            for name, convert in members:
                item = value.get(name)
                if item is None:
                    continue
                if convert is None:
                    parsed[name] = document[name] = item
                else:
                    parsed[name], document[name] = convert(item)
            return parsed, document

        return structure
    if kind == "list":
        if _is_plain(shape.member):

            def plain_list(value: Any) -> tuple[Any, Any]:
                # The document is only encoded, never changed, so it may share the copy.
                parsed = list(value)
                return parsed, parsed

            return plain_list
        convert_member = _converter(shape.member)

        def list_(value: Any) -> tuple[Any, Any]:
            parsed: list[Any] = []
            document: list[Any] = []
            for item in value:
                if item is None:
                    parsed.append(None)
                    document.append(None)
                else:
                    parsed_item, document_item = convert_member(item)
                    parsed.append(parsed_item)
                    document.append(document_item)
            return parsed, document

        return list_
    if kind == "map":
        convert_key, convert_value = _converter(shape.key), _converter(shape.value)

        def map_(value: Any) -> tuple[Any, Any]:
            parsed: dict[Any, Any] = {}
            document: dict[Any, Any] = {}
            for key, item in value.items():
                parsed_key, document_key = convert_key(key)
                parsed[parsed_key], document[document_key] = convert_value(item)
            return parsed, document

        return map_
    if kind == "blob":
        return _blob
    if kind == "timestamp":
        return _timestamp
    return _scalar


def _is_plain(shape: Shape) -> bool:
    return shape.type_name not in ("structure", "list", "map", "blob", "timestamp")


def _blob(value: bytes) -> tuple[bytes, str]:
    return bytes(value), base64.b64encode(value).decode("ascii")


def _timestamp(value: _dt.datetime) -> tuple[_dt.datetime, float]:
    epoch = value.timestamp()
    zone_state = (time.timezone, time.altzone, time.daylight, time.tzname)
    return _parsed_timestamp(epoch, zone_state), epoch


@functools.lru_cache(maxsize=1024)
def _parsed_timestamp(epoch: float, zone_state: tuple[Any, ...]) -> _dt.datetime:
    # What botocore's default timestamp parser gives for epoch seconds:
    # datetime.fromtimestamp(epoch, tzlocal()), with a new tzlocal() on every call and
    # dateutil's pure-Python conversion (about 8 µs). Datetimes are immutable, so the same
    # instant (a key's CreationDate, described again and again) is converted once per zone
    # setting; time.tzset() changes the zone state and so the cache key.
    zone = _local_zone(zone_state)
    try:
        if not time.daylight:
            # Without daylight saving time (UTC machines, most CI), tzlocal() is a fixed
            # offset of -time.timezone and never sets fold: the same wall time, in C.
            fixed = _dt.timezone(_dt.timedelta(seconds=-time.timezone))
            return _dt.datetime.fromtimestamp(epoch, fixed).replace(tzinfo=zone)
        return _dt.datetime.fromtimestamp(epoch, zone)
    except (OSError, OverflowError, ValueError):
        parsed: _dt.datetime = _parser._timestamp_parser(epoch)
        return parsed


@functools.lru_cache(maxsize=8)
def _local_zone(_zone_state: tuple[Any, ...]) -> _dt.tzinfo:
    # Keyed by the process's zone settings, so time.tzset() gets a new zone, as botocore would.
    zone: _dt.tzinfo = get_tzinfo_options()[0]()
    return zone


def _scalar(value: Any) -> tuple[Any, Any]:
    return value, value


def install() -> None:
    """Adds the handler to botocore's built-in handlers (idempotent)."""
    entry = (EVENT, on_before_call)
    if entry not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(entry)


install()
