"""botocore events in, botocore responses out.

Importing this module adds one handler to botocore's built-in handlers, so every session
created afterwards carries it (the pytest plugin imports the package at start-up). The
handler answers ``before-call.kms.*`` while a mock is active and returns ``None``
otherwise, which lets botocore go on as usual. Answering at ``before-call`` skips
signing, retries and the HTTP layer entirely, and leaves ``before-send`` to moto.

The answer is parsed by botocore's own JSON parser from the body the protocol layer
wrote, so callers see exactly what a real response gives them.

While moto's ``mock_aws`` is active too (see :mod:`kmsimport_mock.moto_bridge`), the
handler answers only the operations served in place of moto, and requests moto would not
serve (from the standalone backend, so they never reach the network); everything else goes
on to moto's stubber at ``before-send``. (``before-send`` handlers are all called, even
after one has answered, so moto must not see the requests we answer: hence ``before-call``.)
An ``after-call`` handler fixes up what moto answered.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import botocore.handlers
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import OperationModel
from botocore.parsers import create_parser

from . import activation, identity, moto_bridge, protocol, retrying
from .backend import OPERATIONS, Caller
from .identity import AccessKeyAccounts

EVENT = "before-call.kms"
AFTER_EVENT = "after-call.kms"
_ENDPOINT_REGION = re.compile(
    r"^https?://kms(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?/?"
)
_parser = create_parser("json")


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
    match = _ENDPOINT_REGION.match(request.get("url", ""))
    region = match.group(1) if match else context.get("client_region") or "us-east-1"
    return Caller(account=identity.account_for(request_signer, accounts), region=region)


def on_before_call(
    model: OperationModel,
    params: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    moto_active = moto_bridge.moto_active()
    if moto_active:
        moto_bridge.begin_call()
    mock = activation.current()
    if mock is None:
        return None
    if moto_active:
        caller = moto_bridge.caller_for(params, request_signer, model.name)
        if moto_bridge.moto_serves(params.get("url", "")) and not (
            moto_bridge.serves_in_place_of_moto(
                mock.backend, caller, model.name, params.get("body")
            )
        ):
            return None  # moto answers at before-send
    else:
        caller = caller_for(params, context, request_signer, mock.access_keys)

    def attempt() -> tuple[AWSResponse, dict[str, Any]]:
        return answer_once(mock, caller, model, params)

    return retrying.answer_with_retries(
        attempt, model, params, context, request_signer, mock.faults.sleep
    )


def answer_once(
    mock: activation.Activatable, caller: Caller, model: OperationModel, params: dict[str, Any]
) -> tuple[AWSResponse, dict[str, Any]]:
    """One attempt: an injected fault if one is due, else the backend's answer."""
    fault = mock.faults.take(model.name) if model.name in OPERATIONS else None
    if fault is not None:
        answer = protocol.error_response(fault)
    else:
        answer = protocol.handle(mock.backend, caller, model, params.get("body"))
    return to_botocore_response(model, answer, params.get("url", ""))


def on_after_call(
    http_response: AWSResponse, parsed: dict[str, Any], model: OperationModel, **_: Any
) -> None:
    """With moto active: fixes up what moto answered (see :mod:`.moto_bridge`)."""
    if not moto_bridge.moto_active():
        return
    mock = activation.current()
    moto_bridge.after_call(
        None if mock is None else mock.backend, model, http_response.status_code, parsed
    )


def to_botocore_response(
    model: OperationModel, answer: protocol.JsonResponse, url: str
) -> tuple[AWSResponse, dict[str, Any]]:
    headers = HeadersDict(
        {
            "x-amzn-requestid": str(uuid.uuid4()),
            "content-type": protocol.CONTENT_TYPE,
            "content-length": str(len(answer.body)),
        }
    )
    http = AWSResponse(url, answer.status, headers, _RawBody(answer.body))
    response_dict = {
        "headers": headers,
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


def install() -> None:
    """Adds the handlers to botocore's built-in handlers (idempotent)."""
    entries = [(EVENT, on_before_call), (AFTER_EVENT, on_after_call)]
    for entry in entries:
        if entry not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append(entry)


install()
