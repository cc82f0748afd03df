"""Who answers a KMS request while moto is active: moto, or our backend in its place.

moto is imported only inside these functions: they run only while moto's ``mock_aws`` is
active, and ``import kmsimport_mock`` must never import moto.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from botocore import xform_name

from .. import protocol
from ..accounts import ACCOUNT_ENVIRONMENT_VARIABLE
from ..backend import operations
from ..backend.arns import key_id_of
from ..backend.types import Caller
from ..errors import CredentialsNotResolved
from . import bridged_key, shadow_keys

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

# Operations moto implements but without the rules of EXTERNAL keys (it would, say, enable
# a key that has no material): for a request naming an EXTERNAL key, our backend serves
# them, if it serves them at all.
EXTERNAL_KEY_OPERATIONS = frozenset(
    {
        "EnableKey",
        "DisableKey",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "RotateKeyOnDemand",
        "ListKeyRotations",
    }
)


@functools.cache
def moto_operations() -> frozenset[str]:
    """The KMS operations moto implements."""
    from moto.kms.responses import KmsResponse

    model = protocol.kms_service_model()
    return frozenset(
        name
        for name in model.operation_names
        if callable(getattr(KmsResponse, xform_name(name), None))
    )


def moto_caller(
    params: dict[str, Any],
    request_signer: Any,
    operation: str,
    access_key_id: Callable[[Any], str | None],
) -> Caller:
    """The account and Region moto would give this request (a botocore request dict).

    moto reads the access key id and the signing Region from the request's SigV4
    ``Authorization`` header. Signing the request (on a copy) would fetch or refresh the
    client's credentials, which can call AWS; the header moto reads is written here instead
    from what the credentials hold (``access_key_id``: the interception layer's reader,
    :func:`kmsimport_mock.interception.credentials.access_key_id`),
    with no signature: moto never checks one. Raises
    :class:`~kmsimport_mock.CredentialsNotResolved` when they hold no key yet, unless
    ``MOTO_ACCOUNT_ID`` names the account anyway.
    """
    from moto.kms.responses import KmsResponse

    headers = {
        name: value.decode("utf-8") if isinstance(value, bytes) else value
        for name, value in (params.get("headers") or {}).items()
    }
    try:
        access_key = access_key_id(request_signer)
    except CredentialsNotResolved:
        if ACCOUNT_ENVIRONMENT_VARIABLE not in os.environ:
            raise
        # moto takes the account from MOTO_ACCOUNT_ID; the header still gives the Region.
        access_key = ""
    if access_key is not None:
        region = _signing_region(params, request_signer)
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={access_key}/{_SCOPE_DATE}/{region}/kms/"
            "aws4_request, SignedHeaders=host, Signature=unsigned"
        )
    url = params.get("url", "")
    response = KmsResponse()
    response.headers = headers
    response.querystring = {}
    return Caller(
        account=response.get_current_account(),
        # moto reads only the headers of the request it is given.
        region=response.get_region_from_url(SimpleNamespace(headers=headers), url),
    )


# Any date: moto reads only the access key id and the Region of the credential scope.
_SCOPE_DATE = "20000101"


def _signing_region(params: dict[str, Any], request_signer: Any) -> str:
    # What botocore's RequestSigner.sign would put in the credential scope.
    signing = (params.get("context") or {}).get("signing") or {}
    region = signing.get("region") or getattr(request_signer, "_region_name", None)
    return str(region or "us-east-1")


def moto_answers_for_any_account(operation: str) -> bool:
    """Whether moto answers this operation (moto being active) whoever the caller is.

    Such a request can go on to moto when the mock cannot tell the caller's account:
    botocore then signs it, fetching credentials as it always does under moto.
    """
    if operation not in operations.served():
        return True
    return operation in moto_operations() and operation not in EXTERNAL_KEY_OPERATIONS


def moto_serves(url: str) -> bool:
    """Whether moto's stubber answers a KMS request to this URL (else it passes through)."""
    from moto import backend_index
    from moto.core.config import passthrough_service, passthrough_url
    from moto.core.utils import get_equivalent_url_in_aws_domain

    parsed, _ = get_equivalent_url_in_aws_domain(url)
    clean_url = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    if passthrough_url(clean_url):
        return False
    for service, pattern in backend_index.backend_url_patterns:
        if pattern.match(clean_url):
            return service == "kms" and not passthrough_service(service)
    return False


def begin_call() -> None:
    """A KMS call starts (moto being active): forget any refusal of an earlier one."""
    bridged_key.forget_refusal()


def serves_in_place_of_moto(
    backend: KmsBackend, caller: Caller, operation: str, body: bytes | str | None
) -> bool:
    """Whether our backend, not moto, answers this request (moto being active)."""
    if operation not in operations.served():
        return False
    shadow_keys.sync(backend, caller)
    if operation not in moto_operations():
        return True
    if operation not in EXTERNAL_KEY_OPERATIONS:
        return False
    key_id = _key_id_in(body)
    if key_id is None:
        return False
    with backend.lock:
        key = backend.store(caller).get(key_id)
        return key is not None and key.origin == "EXTERNAL"


def _key_id_in(body: bytes | str | None) -> str | None:
    # The protocol layer checks the body when our backend answers; here a body that does
    # not name a key simply leaves the request to moto.
    try:
        value = json.loads(body or b"{}").get("KeyId")
    except (ValueError, AttributeError):
        return None
    return key_id_of(value) if isinstance(value, str) else None
