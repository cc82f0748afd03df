"""KMS over HTTP: one request's headers and body in, the HTTP answer AWS would give out.

The local endpoint (:mod:`.server`) and the ``requests`` adapter
(:mod:`.requests_adapter`) both answer through :func:`answer`, which finds the
operation in the ``X-Amz-Target`` header, the caller in the SigV4 ``Authorization`` header,
and hands the body to :func:`kmsimport_mock.protocol.handle` — the same path the in-process
botocore interceptor takes. Signatures are not verified: the mock knows no secret keys.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from botocore.model import OperationModel

from .. import protocol
from ..accounts import AccessKeyAccounts, account_for_access_key
from ..backend import kms_errors, operations
from ..backend.faults import FaultRegistry
from ..backend.kms_errors import KmsError
from ..backend.regions import is_kms_region
from ..backend.types import Caller
from ..errors import KmsImportMockError, OperationNotMocked

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

# "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/kms/aws4_request, SignedHeaders=..."
# The scope is cut out with str methods, not a searching regex: every step below is linear
# in the header's length, whatever the header holds. Only the short parts are matched.
_CREDENTIAL_FIELD = "Credential="
_SCOPE_END = re.compile(r"[,\s]")
_DATE = re.compile(r"\d{8}")
_REGION = re.compile(r"[a-z0-9-]{1,64}")


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    operation: str | None  # the operation named by X-Amz-Target, when it is a KMS operation
    headers: dict[str, str] = field(default_factory=dict)


def caller_from_authorization(
    authorization: str | None, accounts: AccessKeyAccounts | None = None
) -> Caller:
    """The account and Region of a SigV4-signed request: the Region from its credential
    scope, the account from its access key id as in-process (:mod:`kmsimport_mock.accounts`)."""
    if not authorization:
        raise kms_errors.missing_authentication_token()
    scope = _credential_scope(authorization)
    if scope is None:
        raise kms_errors.incomplete_signature()
    access_key_id, region = scope
    if not is_kms_region(region):
        raise kms_errors.invalid_region_scope(region)
    account = account_for_access_key(access_key_id, accounts)
    return Caller(account=account, region=region)


def _credential_scope(authorization: str) -> tuple[str, str] | None:
    """The access key id and Region of the first ``Credential=`` scope, or None."""
    start = authorization.find(_CREDENTIAL_FIELD)
    if start < 0:
        return None
    start += len(_CREDENTIAL_FIELD)
    end = _SCOPE_END.search(authorization, start)
    parts = authorization[start : end.start() if end else len(authorization)].split("/")
    if len(parts) != 5:
        return None
    access_key_id, date, region, service, terminator = parts
    if not (
        access_key_id
        and service
        and terminator == "aws4_request"
        and _DATE.fullmatch(date)
        and _REGION.fullmatch(region)
    ):
        return None
    return access_key_id, region


def answer(
    backend: KmsBackend,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    accounts: AccessKeyAccounts | None = None,
    faults: FaultRegistry | None = None,
) -> HttpAnswer:
    """Answers one POST of the KMS JSON 1.1 protocol as AWS would.

    ``accounts`` maps access keys to accounts; ``faults`` are a mock's injected faults,
    used up one per request as in-process (HTTP callers do their own retrying).
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    target = lowered.get("x-amz-target", "")
    operation = _operation_for(target)
    if operation is None:
        return _finish(protocol.error_response(kms_errors.unknown_operation()), None)
    try:
        caller = caller_from_authorization(lowered.get("authorization"), accounts)
    except KmsError as error:
        return _finish(protocol.error_response(error), operation.name)
    if operation.name not in operations.served():
        return _finish(_not_served(operation.name), operation.name)
    fault = faults.take(operation.name) if faults is not None else None
    if fault is not None:
        return _finish(protocol.error_response(fault), operation.name)
    try:
        response = protocol.handle(backend, caller, operation, body)
    except KmsImportMockError as error:
        # The mock failing closed inside a served operation (a parameter it cannot honour,
        # a KeySpecNotMocked): the same kind of answer as an operation it does not serve.
        response = _mock_error(error)
    return _finish(response, operation.name)


def _operation_for(target: str) -> OperationModel | None:
    if not target.startswith(protocol.TARGET_PREFIX):
        return None
    name = target[len(protocol.TARGET_PREFIX) :]
    model = protocol.kms_service_model()
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


def _not_served(name: str) -> protocol.JsonResponse:
    # Not an AWS error: the mock's own fail-closed answer, as OperationNotMocked in-process.
    # 501 is not retried by the SDKs, unlike 500/502/503/504.
    return _mock_error(OperationNotMocked(name, operations.served()))


def _mock_error(error: KmsImportMockError) -> protocol.JsonResponse:
    body = {"__type": type(error).__name__, "message": str(error)}
    return protocol.JsonResponse(501, json.dumps(body).encode())


def _finish(response: protocol.JsonResponse, operation: str | None) -> HttpAnswer:
    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": protocol.CONTENT_TYPE,
        "Content-Length": str(len(response.body)),
    }
    return HttpAnswer(response.status, response.body, operation, headers)
