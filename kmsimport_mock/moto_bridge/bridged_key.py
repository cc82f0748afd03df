"""moto's EXTERNAL keys, bridged: their state is read from the shadow key.

The key's class is swapped for a subclass whose ``key_state``, ``enabled`` and
``deletion_date`` read and write the shadow key and whose ``to_dict`` (moto's DescribeKey,
CreateKey, ReplicateKey) answers with the shadow's metadata, so moto's own operations (its
ListKeys, DescribeKey, aliases, tags, grants) see the key state our rules keep. The
cryptographic operations on these keys are our backend's (see :mod:`.routing`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..backend.clock import utcnow
from ..backend.model import Key

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


@dataclass
class _Link:
    """What a bridged moto key reads: the backend and the shadow key."""

    backend: KmsBackend
    shadow: Key


def bridge(moto_key: Any, backend: KmsBackend, shadow: Key) -> None:
    """Makes ``moto_key`` read its state from ``shadow``."""
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
        "to_dict": lambda self: _to_dict(self, base_to_dict),
        "__doc__": "A moto KMS key whose state kmsimport_mock keeps.",
    }
    return type(f"Bridged{moto_key_class.__name__}", (moto_key_class,), namespace)
