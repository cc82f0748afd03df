"""Who answers a KMS request while moto is active: moto, or our backend in its place.

moto is imported only inside these functions: they run only while moto's ``mock_aws`` is
active, and ``import kmsimport_mock`` must never import moto.
"""

from __future__ import annotations

import contextlib
import functools
import json
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from botocore import xform_name
from botocore.awsrequest import create_request_object
from botocore.exceptions import NoCredentialsError

from .. import protocol
from ..backend import operations
from ..backend.arns import key_id_of
from ..backend.types import Caller
from . import bridged_key, key_creation, shadow_keys

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


def caller_for(params: dict[str, Any], request_signer: Any, operation: str) -> Caller:
    """The account and Region moto would give this request (a botocore request dict)."""
    from moto.kms.responses import KmsResponse

    request = create_request_object(params)
    if request_signer is not None:
        # The headers moto reads (the access key in Authorization) exist once it is signed;
        # the signing is botocore's own, on a copy of the request.
        with contextlib.suppress(NoCredentialsError):
            request_signer.sign(operation, request)
    headers = {
        name: value.decode("utf-8") if isinstance(value, bytes) else value
        for name, value in request.headers.items()
    }
    response = KmsResponse()
    response.headers = headers
    response.querystring = {}
    return Caller(
        account=response.get_current_account(),
        # moto reads only the headers of the request it is given.
        region=response.get_region_from_url(SimpleNamespace(headers=headers), request.url),
    )


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
    """A KMS call starts (moto being active): forget what an earlier one left behind."""
    bridged_key.forget_refusal()
    key_creation.after_moto()


def before_moto(operation: str, body: bytes | str | None) -> None:
    """The request goes on to moto (see :mod:`.key_creation`)."""
    key_creation.before_moto(operation, body)


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
