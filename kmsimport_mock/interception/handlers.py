"""botocore events in, botocore responses out.

:func:`kmsimport_mock.interception.install` adds these handlers to botocore's built-in
handlers, so every session created afterwards carries them (the pytest plugin imports the
package at start-up, which installs them). The ``before-call`` handler answers
``before-call.kms.*`` while a mock is active and returns ``None`` otherwise, which lets
botocore go on as usual. Answering at ``before-call`` skips
signing, retries and the HTTP layer entirely, and leaves ``before-send`` to moto.

Every answer, success or error, is parsed by botocore's own JSON parser from the JSON 1.1
body the protocol layer wrote, so callers see exactly what a real response gives them
(:mod:`.parsing` says how that parse is kept cheap).

While moto's ``mock_aws`` is active too (see :mod:`kmsimport_mock.moto_bridge`), the
handler answers only the operations served in place of moto, and requests moto would not
serve (from the standalone backend, so they never reach the network); everything else goes
on to moto's stubber at ``before-send``. (``before-send`` handlers are all called, even
after one has answered, so moto must not see the requests we answer: hence ``before-call``.)
An ``after-call`` handler fixes up what moto answered.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import OperationModel

from .. import activation, moto_bridge, protocol
from ..accounts import AccessKeyAccounts
from ..backend import operations
from ..backend.ids import uuid4_string
from ..backend.kms_errors import KmsError
from ..backend.types import Caller
from ..errors import CredentialsNotResolved
from . import credentials, retries
from .parsing import AnswerParser, DecodedBody

EVENT = "before-call.kms"
AFTER_EVENT = "after-call.kms"
_ENDPOINT_REGION = re.compile(
    r"^https?://kms(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?/?"
)
_parser = AnswerParser()


class _Response(AWSResponse):  # type: ignore[misc]
    """botocore's AWSResponse, its case-insensitive headers made only if someone reads them.

    botocore itself reads only the status code of a response answered at ``before-call``.
    """

    def __init__(self, url: str, status_code: int, headers: dict[str, str], raw: Any) -> None:
        self.url = url
        self.status_code = status_code
        self._plain_headers = headers
        self._headers: HeadersDict | None = None
        self.raw = raw
        self._content = None

    @property
    def headers(self) -> HeadersDict:
        if self._headers is None:
            self._headers = HeadersDict(self._plain_headers)
        return self._headers

    @headers.setter
    def headers(self, value: Any) -> None:
        self._headers = value if isinstance(value, HeadersDict) else HeadersDict(value)


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
    """The account and Region a botocore request acts in (see :mod:`..accounts`)."""
    region = _region_in(request.get("url", "")) or context.get("client_region") or "us-east-1"
    return _caller(credentials.account_for(request_signer, accounts), region)


@functools.lru_cache(maxsize=256)
def _region_in(url: str) -> str | None:
    # A client sends every request to the same endpoint URL.
    match = _ENDPOINT_REGION.match(url)
    return match.group(1) if match else None


@functools.lru_cache(maxsize=256)
def _caller(account: str, region: str) -> Caller:
    # Callers are immutable and few; building one costs more than finding it here.
    return Caller(account=account, region=region)


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
    request = params
    if moto_active:
        try:
            caller = moto_bridge.moto_caller(
                params, request_signer, model.name, credentials.access_key_id
            )
        except CredentialsNotResolved:
            if moto_bridge.moto_serves(params.get("url", "")) and (
                moto_bridge.moto_answers_for_any_account(model.name)
            ):
                return None  # moto answers; botocore signs it as it always does
            raise
        if moto_bridge.moto_serves(params.get("url", "")):
            body = moto_bridge.in_place_of_moto(
                mock.backend, caller, model.name, params.get("body")
            )
            if body is None:
                moto_bridge.before_moto(model.name, params.get("body"))
                return None  # moto answers at before-send
            # The body our backend reads (moto's aliases replaced by key ARNs).
            request = {**params, "body": body}
    else:
        caller = caller_for(params, context, request_signer, mock.access_keys)

    def attempt() -> tuple[AWSResponse, dict[str, Any]]:
        return answer_once(mock, caller, model, request)

    return retries.answer_with_retries(
        attempt, model, params, context, request_signer, mock.faults.sleep
    )


def answer_once(
    mock: activation.Activatable, caller: Caller, model: OperationModel, params: dict[str, Any]
) -> tuple[AWSResponse, dict[str, Any]]:
    """One attempt: an injected fault if one is due, else the backend's answer."""
    fault = mock.faults.take(model.name) if model.name in operations.served() else None
    if fault is not None:
        answer = protocol.error_response(fault)
    else:
        try:
            result = protocol.call(mock.backend, caller, model, params.get("body"))
        except KmsError as error:
            answer = protocol.error_response(error)
        else:
            answer = protocol.success_response(result)
    return to_botocore_response(model, answer, params.get("url", ""))


def on_after_call(
    http_response: AWSResponse, parsed: dict[str, Any], model: OperationModel, **_: Any
) -> None:
    """With moto active: fixes up what moto answered (see :mod:`kmsimport_mock.moto_bridge`)."""
    if not moto_bridge.moto_active():
        return
    mock = activation.current()
    moto_bridge.after_call(
        None if mock is None else mock.backend, model, http_response.status_code, parsed
    )


def to_botocore_response(
    model: OperationModel,
    answer: protocol.JsonResponse,
    url: str,
) -> tuple[AWSResponse, dict[str, Any]]:
    """The answer's body parsed by botocore's JSON parser, as a real response would be."""
    body = answer.body
    headers = {
        "x-amzn-requestid": uuid4_string(),
        "content-type": protocol.CONTENT_TYPE,
        "content-length": str(len(body)),
    }
    http = _Response(url, answer.status, headers, _RawBody(body))
    if answer.document is not None:
        body = DecodedBody(body, answer.document)
    # The parser reads the headers only to copy them, lower-cased, into ResponseMetadata:
    # the plain dict gives it what botocore's HeadersDict would, for less.
    response_dict = {
        "headers": headers,
        "status_code": answer.status,
        "body": body,
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
