"""Who answers a KMS request while moto is active: moto, or our backend in its place.

moto is imported only inside these functions: they run only while moto's ``mock_aws`` is
active, and ``import kmsimport_mock`` must never import moto.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from botocore import xform_name

from .. import protocol
from ..accounts import ACCOUNT_ENVIRONMENT_VARIABLE
from ..backend import operations
from ..backend.arns import key_id_of, parse_alias_arn
from ..backend.types import Caller
from ..errors import CredentialsNotResolved
from . import key_creation, shadow_keys

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

# Operations moto implements but without the rules of EXTERNAL keys (it would, say, enable
# a key that has no material, or decrypt with the wrong material after a rotation): for a
# request naming an EXTERNAL key, our backend serves them, if it serves them at all (an
# operation our backend does not serve yet stays moto's).
EXTERNAL_KEY_OPERATIONS = frozenset(
    {
        "EnableKey",
        "DisableKey",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
        "RotateKeyOnDemand",
        "ListKeyRotations",
        # The cryptographic operations: the same rules and ciphertexts as without moto.
        "Encrypt",
        "Decrypt",
        "ReEncrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext",
        "Sign",
        "Verify",
        "GetPublicKey",
        "GenerateMac",
        "VerifyMac",
        # Automatic rotation, which AWS refuses for EXTERNAL keys and moto grants.
        "EnableKeyRotation",
        "DisableKeyRotation",
        "GetKeyRotationStatus",
    }
)
# The request fields that name a key (ReEncrypt names two).
_KEY_FIELDS = ("KeyId", "SourceKeyId", "DestinationKeyId")
# moto's ciphertexts (moto.kms.utils): the 36 characters of the key id, a 12-byte IV and a
# 16-byte GCM tag, then the encrypted bytes.
_MOTO_KEY_ID_LENGTH = 36
_MOTO_HEADER_LENGTH = _MOTO_KEY_ID_LENGTH + 12 + 16
_MOTO_KEY_ID = re.compile(
    rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}"
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
    """A KMS call starts (moto being active): forget what an earlier one left behind."""
    key_creation.after_moto()


def before_moto(operation: str, body: bytes | str | None) -> None:
    """The request goes on to moto (see :mod:`.key_creation`)."""
    key_creation.before_moto(operation, body)


def serves_in_place_of_moto(
    backend: KmsBackend, caller: Caller, operation: str, body: bytes | str | None
) -> bool:
    """Whether our backend, not moto, answers this request (moto being active)."""
    return in_place_of_moto(backend, caller, operation, body) is not None


def in_place_of_moto(
    backend: KmsBackend, caller: Caller, operation: str, body: bytes | str | None
) -> bytes | str | None:
    """The body our backend serves in place of moto, or None if moto answers.

    The body is the request's, except that an alias naming one of moto's EXTERNAL keys is
    replaced by the key's ARN: moto keeps the aliases beside moto, and AWS answers with the
    key ARN either way.
    """
    if operation not in operations.served():
        return None
    shadow_keys.sync(backend, caller)
    if operation not in moto_operations():
        return body if body is not None else b""
    if operation not in EXTERNAL_KEY_OPERATIONS:
        return None
    document = _document(body)
    if document is None:
        # The protocol layer checks the body when our backend answers; a body that does not
        # name a key simply leaves the request to moto.
        return None
    named = {field: _external_key(backend, caller, document.get(field)) for field in _KEY_FIELDS}
    ours = any(arn is not None for arn in named.values())
    if not ours and operation in ("Decrypt", "ReEncrypt"):
        # Decrypt needs no KeyId: the ciphertext names its key.
        ours = _ciphertext_is_ours(backend, caller, document.get("CiphertextBlob"))
    if not ours:
        return None
    aliased = {
        field: arn
        for field, arn in named.items()
        if arn is not None and _is_alias(document.get(field))
    }
    if not aliased:
        return body if body is not None else b""
    return json.dumps({**document, **aliased})


def _document(body: bytes | str | None) -> dict[str, Any] | None:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _is_alias(value: object) -> bool:
    return isinstance(value, str) and (value.startswith("alias/") or ":alias/" in value)


def _external_key(backend: KmsBackend, caller: Caller, key_ref: object) -> str | None:
    """The ARN of the caller's EXTERNAL key that ``key_ref`` names (id, ARN or moto alias)."""
    if not isinstance(key_ref, str):
        return None
    key_id: str | None = key_id_of(key_ref)
    if _is_alias(key_ref):
        alias = parse_alias_arn(key_ref)
        if alias is not None and (alias.account, alias.region) != (caller.account, caller.region):
            return None
        key_id = shadow_keys.moto_key_with_alias(
            caller, key_ref if alias is None else alias.alias_name
        )
    if key_id is None:
        return None
    with backend.lock:
        key = backend.store(caller).get(key_id)
        return key.arn if key is not None and key.origin == "EXTERNAL" else None


def _ciphertext_is_ours(backend: KmsBackend, caller: Caller, blob: object) -> bool:
    """Whether a ciphertext (base64, as sent) is not one moto made under a key of its own.

    moto's ciphertexts start with the id of their key; any other ciphertext, or one that
    names an EXTERNAL key, is our backend's to decrypt (or to refuse as AWS does).
    """
    if not isinstance(blob, str):
        return False  # not a ciphertext at all: moto's validation answers
    try:
        raw = base64.b64decode(blob, validate=True)
    except ValueError:
        return False
    named = raw[:_MOTO_KEY_ID_LENGTH]
    if len(raw) < _MOTO_HEADER_LENGTH or _MOTO_KEY_ID.fullmatch(named) is None:
        return True
    keys = shadow_keys.moto_keys(caller.account, caller.region) or {}
    moto_key = keys.get(named.decode("ascii"))
    if moto_key is None:
        return True  # no key of moto's made it: not moto's ciphertext
    return _external_key(backend, caller, moto_key.id) is not None
