"""Working beside moto: moto serves KMS, this package serves the import, moto uses the material.

Everything that touches moto lives in this module; importing it does not import moto (it
looks at ``sys.modules`` to see whether moto is there at all). How the pieces fit:

- While moto's ``mock_aws`` is active, the interceptor's ``before-call`` handler answers
  only (a) the operations served in place of moto and (b) requests moto would not serve (a
  URL moto does not take for KMS, KMS passed through in moto's config), from our backend;
  everything else goes on to moto's stubber at ``before-send``. Both use moto's account and
  Region for the request.
- Operations served in place of moto: every operation our backend serves that moto does not
  implement at all (the import operations, and any added later), plus
  :data:`EXTERNAL_KEY_OPERATIONS` when the request names an ``Origin=EXTERNAL`` key. They
  run through the very same backend and operations as standalone mode, on a *shadow* key
  that the bridge keeps in the active mock's backend for each of moto's keys.
- moto's EXTERNAL keys are *bridged*: their class is swapped for a subclass whose
  ``key_state``, ``enabled``, ``deletion_date``, ``key_material`` and ``private_key`` read
  and write the shadow key, so moto's own Encrypt, Decrypt, GenerateMac, Sign, Verify,
  GetPublicKey, DescribeKey... see the imported material and the key state our rules keep,
  and refuse to work while there is no material (KMSInvalidStateException). An
  ``after-call`` handler bridges keys moto has just made (CreateKey, ReplicateKey) and
  rewrites their KeyMetadata from the bridged key.
- A shadow key is added to the backend with a :class:`~kmsimport_mock.backend.KeyOwner`
  that checks moto still holds the very same key object, so moto's reset (at every start
  and stop of ``mock_aws``) drops the shadows too.

moto internals relied on (tested with moto 5.1.0, 5.2.1 and 5.2.5; a moto release that
changes any of these breaks here, and ``tests/test_with_moto.py`` shows it):

- ``moto.core.models.botocore_stubber.enabled``: True while ``mock_aws`` is active in
  decorator mode (server mode is not bridged).
- Which requests moto's stubber serves: ``moto.core.utils.get_equivalent_url_in_aws_domain``,
  ``moto.core.config.passthrough_url`` / ``passthrough_service`` and
  ``moto.backend_index.backend_url_patterns`` (pairs of service name and URL regex), used as
  the stubber uses them.
- ``moto.core.exceptions.JsonRESTError(code, message)``: an error moto's stubber turns into
  a JSON error response.
- ``moto.kms.models.kms_backends[account][region]`` (dict subclasses; read with ``.get``
  so nothing is created) and its ``.keys`` dict of key id -> ``moto.kms.models.Key``.
- ``moto.kms.models.Key`` attributes ``id``, ``arn``, ``account_id``, ``region``,
  ``creation_date`` (epoch float), ``description``, ``key_spec``, ``key_usage``,
  ``origin``, ``key_state``, ``enabled``, ``deletion_date`` (naive UTC), ``key_material``
  (bytes; read by moto's encrypt/decrypt/generate_mac), ``private_key`` (read by moto's
  sign/verify/get_public_key) and the method ``to_dict()`` (DescribeKey, CreateKey,
  ReplicateKey). moto's ReplicateKey copies the ``Key`` object, instance dict included.
- The object in ``Key.private_key`` (``moto.kms.utils.RSAPrivateKey``/``ECDSAPrivateKey``)
  keeps the ``cryptography`` private key in its attribute ``private_key``.
- ``moto.kms.responses.KmsResponse``: its methods named after operations (snake case) tell
  which operations moto implements; its ``get_current_account()`` (reads ``self.headers``,
  ``self.querystring``) and ``get_region_from_url(request, url)`` (reads
  ``request.headers``) resolve the account (``MOTO_ACCOUNT_ID``, ``x-moto-account-id``, the
  access key of assumed-role credentials) and the Region of a request exactly as moto does.
- moto's decrypt turns any exception raised while reading ``key_material`` into
  InvalidCiphertextException; the bridge puts its own refusal back (``after-call``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import functools
import json
import sys
import threading
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from botocore import xform_name
from botocore.awsrequest import create_request_object
from botocore.exceptions import NoCredentialsError
from botocore.model import OperationModel
from botocore.parsers import create_parser

from . import messages
from .clock import utcnow
from .errors import KmsError
from .keys import Key
from .specs import KEY_SPECS

if TYPE_CHECKING:
    from .backend import Caller, KmsBackend
# The protocol layer, the backend and cryptography are imported where used: importing this
# module must stay as cheap as importing the interceptor that imports it.

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
# DescribeKey fields that come from the shadow key rather than from moto.
_SHADOW_METADATA = (
    "KeyState",
    "Enabled",
    "ExpirationModel",
    "ValidTo",
    "CurrentKeyMaterialId",
    "DeletionDate",
    "PendingDeletionWindowInDays",
)
_parser = create_parser("json")
_local = threading.local()


# --- is moto there, and active? --------------------------------------------------------


def moto_active() -> bool:
    """True while moto's ``mock_aws`` is active (decorator mode). Never imports moto."""
    models = sys.modules.get("moto.core.models")
    if models is None:
        return False
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


@functools.cache
def moto_operations() -> frozenset[str]:
    """The KMS operations moto implements."""
    from moto.kms.responses import KmsResponse

    from . import protocol

    model = protocol.kms_service_model()
    return frozenset(
        name
        for name in model.operation_names
        if callable(getattr(KmsResponse, xform_name(name), None))
    )


def caller_for(params: dict[str, Any], request_signer: Any, operation: str) -> Caller:
    """The account and Region moto would give this request (a botocore request dict)."""
    from moto.kms.responses import KmsResponse

    from .backend import Caller

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


def _moto_keys(account: str, region: str) -> dict[str, Any] | None:
    """moto's keys of an account and Region, without creating anything."""
    from moto.kms.models import kms_backends

    regions: Any = kms_backends.get(account)
    backend: Any = regions.get(region) if regions is not None else None
    keys: dict[str, Any] | None = None if backend is None else backend.keys
    return keys


def _moto_error(error: KmsError) -> Exception:
    from moto.core.exceptions import JsonRESTError

    moto_error: Exception = JsonRESTError(error.code, error.message)
    return moto_error


# --- routing ---------------------------------------------------------------------------


def begin_call() -> None:
    """A KMS call starts (moto being active): forget any refusal of an earlier one."""
    _local.refusal = None


def serves_in_place_of_moto(
    backend: KmsBackend, caller: Caller, operation: str, body: bytes | str | None
) -> bool:
    """Whether our backend, not moto, answers this request (moto being active)."""
    from .backend import OPERATIONS

    if operation not in OPERATIONS:
        return False
    sync(backend, caller)
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
    try:
        value = json.loads(body or b"{}").get("KeyId")
    except (ValueError, AttributeError):
        return None
    if not isinstance(value, str):
        return None
    return value.split(":key/", 1)[1] if value.startswith("arn:") and ":key/" in value else value


# --- shadow keys -----------------------------------------------------------------------


@dataclass(frozen=True)
class _MotoOwner:
    """A shadow key lives as long as moto holds the very same key object."""

    moto_key: Any

    def owns(self, key: Key) -> bool:
        keys = _moto_keys(key.account, key.region)
        return keys is not None and keys.get(key.key_id) is self.moto_key


@dataclass
class _Link:
    """What a bridged moto key reads: the backend and the shadow key."""

    backend: KmsBackend
    shadow: Key
    signers: dict[bytes, Any] = field(default_factory=dict)


def sync(backend: KmsBackend, caller: Caller) -> None:
    """Gives every moto key of the caller's account and Region a shadow in ``backend``.

    EXTERNAL keys are bridged (their material and state then live in the shadow); other
    keys get a fresh copy each time, just enough for our rules to refuse them by origin.
    """
    keys = _moto_keys(caller.account, caller.region)
    if not keys:
        return
    with backend.lock:
        store = backend.store(caller)
        for key_id, moto_key in list(keys.items()):
            link = _link_of(moto_key)
            if link is not None:
                if link.backend is not backend or store.get(key_id) is not link.shadow:
                    # Bridged under an earlier mock: the key (and its material) is moto's.
                    link.backend = backend
                    backend.add_key(link.shadow, owner=_MotoOwner(moto_key))
                continue
            if moto_key.origin == "EXTERNAL":
                adopt(backend, moto_key)
            else:
                shadow = _shadow_of(moto_key, moto_key.key_state)
                if shadow is not None:
                    backend.add_key(shadow, owner=_MotoOwner(moto_key))


def _link_of(moto_key: Any) -> _Link | None:
    """The key's link to its shadow, if it is bridged.

    moto's ReplicateKey copies a key, link included; the copy is a key of its own (another
    Region), so a link counts only on the key it was made for.
    """
    link = moto_key.__dict__.get("_kmsimport_link")
    if not isinstance(link, _Link):
        return None
    shadow = link.shadow
    if (shadow.key_id, shadow.region, shadow.account) != (
        moto_key.id,
        moto_key.region,
        moto_key.account_id,
    ):
        return None
    return link


def _shadow_of(moto_key: Any, state: str) -> Key | None:
    spec = KEY_SPECS.get(moto_key.key_spec)
    if spec is None:
        return None
    usage = moto_key.key_usage or spec.default_usage or "ENCRYPT_DECRYPT"
    if usage not in spec.usages:
        return None
    return Key(
        key_id=moto_key.id,
        arn=moto_key.arn,
        account=moto_key.account_id,
        region=moto_key.region,
        creation_date=_dt.datetime.fromtimestamp(moto_key.creation_date, _dt.UTC),
        description=moto_key.description or "",
        key_spec=moto_key.key_spec,
        key_usage=usage,
        origin=moto_key.origin,
        multi_region=False,
        state=state,
        deletion_date=_aware(moto_key.deletion_date),
    )


def adopt(backend: KmsBackend, moto_key: Any) -> bool:
    """Bridges one of moto's EXTERNAL keys: no material, PendingImport, as AWS has it."""
    state = moto_key.key_state
    if state in ("Enabled", "Disabled"):
        state = "PendingImport"
    shadow = _shadow_of(moto_key, state)
    if shadow is None:
        return False
    with backend.lock:
        backend.add_key(shadow, owner=_MotoOwner(moto_key))
    moto_key._kmsimport_link = _Link(backend, shadow)
    moto_key.key_usage = shadow.key_usage  # moto leaves it None unless given
    moto_key.__class__ = _bridged_class(type(moto_key))
    return True


def _aware(value: _dt.datetime | None) -> _dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_dt.UTC)


def _naive(value: _dt.datetime | None) -> _dt.datetime | None:
    return None if value is None else value.astimezone(_dt.UTC).replace(tzinfo=None)


# --- the bridged moto key --------------------------------------------------------------


def _refresh(link: _Link) -> Key:
    with link.backend.lock:
        link.backend.refresh(link.shadow, utcnow())
    return link.shadow


def _usable(link: _Link) -> Key:
    """The shadow key, if cryptographic operations may use it; else moto raises our error."""
    key = _refresh(link)
    refusal: KmsError | None = None
    if key.state == "PendingImport":
        refusal = messages.pending_import(key.arn)
    elif key.state == "Disabled":
        refusal = messages.disabled(key.arn)
    elif key.state == "PendingDeletion":
        refusal = messages.pending_deletion(key.arn)
    elif key.state != "Enabled":
        refusal = KmsError("KMSInvalidStateException", f"{key.arn} is {key.state}.")
    if refusal is not None:
        raise _refusal(refusal)
    return key


def _refusal(error: KmsError) -> Exception:
    """moto's form of our error; remembered, in case moto swallows it (its decrypt does)."""
    _local.refusal = error
    return _moto_error(error)


def _link(moto_key: Any) -> _Link:
    link: _Link = moto_key.__dict__["_kmsimport_link"]
    return link


def _get_state(self: Any) -> str:
    return _refresh(_link(self)).state


def _set_state(self: Any, value: str) -> None:
    _link(self).shadow.state = value


def _get_enabled(self: Any) -> bool:
    return _get_state(self) == "Enabled"


def _set_enabled(self: Any, value: bool) -> None:
    """moto sets ``enabled`` beside ``key_state``; the state alone is kept."""


def _get_deletion_date(self: Any) -> _dt.datetime | None:
    return _naive(_refresh(_link(self)).deletion_date)


def _set_deletion_date(self: Any, value: _dt.datetime | None) -> None:
    _link(self).shadow.deletion_date = _aware(value)


def _get_key_material(self: Any) -> bytes:
    key = _usable(_link(self))
    if key.is_symmetric or key.key_spec.startswith("HMAC_"):
        material = key.current_material if key.is_symmetric else key.only_material
        if material is None or material.plaintext is None:
            raise _refusal(messages.pending_import(key.arn))
        return material.plaintext
    # Asymmetric keys: moto reads key_material only where it ignores the key type.
    original: bytes = self.__dict__["key_material"]
    return original


def _set_key_material(self: Any, value: bytes) -> None:
    self.__dict__["key_material"] = value


def _get_private_key(self: Any) -> Any:
    link = _link(self)
    key = _usable(link)
    original = self.__dict__["private_key"]
    material = key.only_material
    if key.is_symmetric or key.key_spec.startswith("HMAC_") or material is None:
        return original
    plaintext = material.plaintext
    if plaintext is None:
        raise _refusal(messages.pending_import(key.arn))
    signer = link.signers.get(plaintext)
    if signer is None:
        from cryptography.hazmat.primitives.serialization import load_der_private_key

        # moto's own signer object (its algorithms, its checks) holding the imported key.
        signer = copy.copy(original)
        signer.private_key = load_der_private_key(plaintext, password=None)
        link.signers[plaintext] = signer
    return signer


def _set_private_key(self: Any, value: Any) -> None:
    self.__dict__["private_key"] = value


def _to_dict(self: Any, base_to_dict: Any) -> dict[str, Any]:
    result: dict[str, Any] = base_to_dict(self)
    link = _link(self)
    with link.backend.lock:
        ours = link.backend.metadata(_refresh(link))
    meta = result["KeyMetadata"]
    for name in _SHADOW_METADATA:
        value = ours.get(name)
        if value is None:
            meta.pop(name, None)
        else:
            meta[name] = value.timestamp() if isinstance(value, _dt.datetime) else value
    return result


_bridged_classes: dict[type, type] = {}


def _bridged_class(moto_key_class: type) -> type:
    bridged = _bridged_classes.get(moto_key_class)
    if bridged is None:
        bridged = _bridged_classes[moto_key_class] = _make_bridged_class(moto_key_class)
    return bridged


def _make_bridged_class(moto_key_class: type) -> type:
    base_to_dict = moto_key_class.to_dict  # type: ignore[attr-defined]
    namespace = {
        "key_state": property(_get_state, _set_state),
        "enabled": property(_get_enabled, _set_enabled),
        "deletion_date": property(_get_deletion_date, _set_deletion_date),
        "key_material": property(_get_key_material, _set_key_material),
        "private_key": property(_get_private_key, _set_private_key),
        "to_dict": lambda self: _to_dict(self, base_to_dict),
        "__doc__": "A moto KMS key whose state and material kmsimport_mock keeps.",
    }
    return type(f"Bridged{moto_key_class.__name__}", (moto_key_class,), namespace)


# --- after moto answered ---------------------------------------------------------------


def after_call(
    backend: KmsBackend | None, model: OperationModel, status: int, parsed: dict[str, Any]
) -> None:
    """Fixes up what moto answered: bridges new EXTERNAL keys, restores our refusals."""
    refusal: KmsError | None = getattr(_local, "refusal", None)
    _local.refusal = None
    if status >= 300:
        if refusal is not None:
            # moto swallowed our refusal into an error of its own (its decrypt does).
            parsed["Error"] = {"Code": refusal.code, "Message": refusal.message}
            parsed["message"] = refusal.message
        return
    for name in ("KeyMetadata", "ReplicaKeyMetadata"):
        meta = parsed.get(name)
        if backend is not None and isinstance(meta, dict) and meta.get("Origin") == "EXTERNAL":
            fresh = _bridged_metadata(backend, meta)
            if fresh is not None:
                parsed[name] = fresh


def _bridged_metadata(backend: KmsBackend, meta: dict[str, Any]) -> dict[str, Any] | None:
    """KeyMetadata of one of moto's EXTERNAL keys, bridged first if need be."""
    parts = str(meta.get("Arn", "")).split(":")
    if len(parts) != 6 or not parts[5].startswith("key/"):
        return None
    keys = _moto_keys(parts[4], parts[3])
    moto_key = keys.get(parts[5][4:]) if keys is not None else None
    if moto_key is None:
        return None  # not moto's key: our backend answered
    if _link_of(moto_key) is None and not adopt(backend, moto_key):
        return None
    body = json.dumps({"KeyMetadata": moto_key.to_dict()["KeyMetadata"]}).encode()
    from . import protocol

    shape = protocol.kms_service_model().operation_model("DescribeKey").output_shape
    answer = _parser.parse({"headers": {}, "status_code": 200, "body": body}, shape)
    fresh: dict[str, Any] = answer["KeyMetadata"]
    return fresh


__all__ = [
    "EXTERNAL_KEY_OPERATIONS",
    "adopt",
    "after_call",
    "begin_call",
    "caller_for",
    "moto_active",
    "moto_operations",
    "serves_in_place_of_moto",
    "sync",
]
