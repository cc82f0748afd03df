"""moto's EXTERNAL keys, bridged: their state and material are read from the shadow key.

The key's class is swapped for a subclass whose ``key_state``, ``enabled``,
``deletion_date``, ``key_material`` and ``private_key`` read and write the shadow key, so
moto's own operations see the imported material and the key state our rules keep.
"""

from __future__ import annotations

import copy
import datetime as _dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..backend import kms_errors
from ..backend.clock import utcnow
from ..backend.key_states import refuse_unless_enabled
from ..backend.kms_errors import KmsError
from ..backend.model import Key
from . import key_creation

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

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
# The refusal a bridged key raised during the current call, per thread: moto's decrypt
# turns any exception into one of its own, and after_call puts ours back.
_local = threading.local()


@dataclass
class _Link:
    """What a bridged moto key reads: the backend and the shadow key."""

    backend: KmsBackend
    shadow: Key
    signers: dict[bytes, Any] = field(default_factory=dict)


def bridge(moto_key: Any, backend: KmsBackend, shadow: Key) -> None:
    """Makes ``moto_key`` read its state and material from ``shadow``."""
    moto_key._kmsimport_link = _Link(backend, shadow)
    moto_key.key_usage = shadow.key_usage  # moto leaves it None unless given
    moto_key.__class__ = _bridged_class(type(moto_key))


def link_of(moto_key: Any) -> _Link | None:
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


def aware(value: _dt.datetime | None) -> _dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_dt.UTC)


def naive(value: _dt.datetime | None) -> _dt.datetime | None:
    return None if value is None else value.astimezone(_dt.UTC).replace(tzinfo=None)


def _refresh(link: _Link) -> Key:
    with link.backend.lock:
        link.backend.refresh(link.shadow, utcnow())
    return link.shadow


def _usable(link: _Link) -> Key:
    """The shadow key, if cryptographic operations may use it; else moto raises our error."""
    key = _refresh(link)
    try:
        refuse_unless_enabled(key)
    except KmsError as error:
        raise _refusal(error) from None
    return key


def _refusal(error: KmsError) -> Exception:
    """moto's form of our error; remembered, in case moto swallows it (its decrypt does)."""
    from moto.core.exceptions import JsonRESTError

    _local.refusal = error
    moto_error: Exception = JsonRESTError(error.code, error.message)
    return moto_error


def forget_refusal() -> None:
    _local.refusal = None


def take_refusal() -> KmsError | None:
    """The refusal the bridged key raised during this call, if any (and forgets it)."""
    refusal: KmsError | None = getattr(_local, "refusal", None)
    _local.refusal = None
    return refusal


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
    return naive(_refresh(_link(self)).deletion_date)


def _set_deletion_date(self: Any, value: _dt.datetime | None) -> None:
    _link(self).shadow.deletion_date = aware(value)


def _get_key_material(self: Any) -> bytes:
    key = _usable(_link(self))
    if key.is_symmetric or key.key_spec.startswith("HMAC_"):
        material = key.current_material if key.is_symmetric else key.only_material
        if material is None or material.plaintext is None:
            raise _refusal(kms_errors.pending_import(key.arn))
        return material.plaintext
    # Asymmetric keys: moto reads key_material only where it ignores the key type.
    original: bytes = self.__dict__["key_material"]
    return original


def _set_key_material(self: Any, value: bytes) -> None:
    self.__dict__["key_material"] = value


def _get_private_key(self: Any) -> Any:
    link = _link(self)
    key = _usable(link)
    # moto's signer of an EXTERNAL key was deferred (see .key_creation): generated only now,
    # and only for its class, algorithms and checks.
    original = self.__dict__["private_key"] = key_creation.resolved(self.__dict__["private_key"])
    material = key.only_material
    if key.is_symmetric or key.key_spec.startswith("HMAC_") or material is None:
        return original
    plaintext = material.plaintext
    if plaintext is None:
        raise _refusal(kms_errors.pending_import(key.arn))
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
