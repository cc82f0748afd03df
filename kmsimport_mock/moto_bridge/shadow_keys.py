"""A shadow key in our backend for each of moto's keys, so our rules can run on them.

EXTERNAL keys are bridged (:mod:`.bridged_key`): their material and state then live in
the shadow. Other keys get a fresh copy at each sync, just enough for our rules to refuse
them by origin. The bridge remembers which moto key object each shadow stands for and
forgets the shadow once moto no longer holds that object (moto's reset).
"""

from __future__ import annotations

import datetime as _dt
import weakref
from typing import TYPE_CHECKING, Any

from ..backend.key_specs import KEY_SPECS
from ..backend.model import Key
from ..backend.types import Caller
from . import bridged_key

if TYPE_CHECKING:
    from ..backend.store import KmsBackend


class _Region:
    """The shadows of one account and Region of moto's: which moto key each stands for."""

    def __init__(self) -> None:
        self.moto_keys: dict[str, Any] | None = None  # moto's dict the shadows were read from
        self.entries: dict[str, tuple[Any, Key]] = {}  # key id -> (moto's key, its shadow)
        self.not_bridged: dict[str, tuple[Any, Key]] = {}  # the entries of non-EXTERNAL keys


# backend -> (account, Region) -> its shadows
_shadows: weakref.WeakKeyDictionary[KmsBackend, dict[tuple[str, str], _Region]]
_shadows = weakref.WeakKeyDictionary()


def _moto_backend(account: str, region: str) -> Any:
    """moto's KMS backend of an account and Region, or None, without creating anything."""
    from moto.kms.models import kms_backends

    regions: Any = kms_backends.get(account)
    return regions.get(region) if regions is not None else None


def moto_keys(account: str, region: str) -> dict[str, Any] | None:
    """moto's keys of an account and Region, without creating anything."""
    backend = _moto_backend(account, region)
    keys: dict[str, Any] | None = None if backend is None else backend.keys
    return keys


def moto_key_with_alias(caller: Caller, alias_name: str) -> str | None:
    """The id of moto's key of the caller that has this alias."""
    backend = _moto_backend(caller.account, caller.region)
    if backend is None:
        return None
    by_key = getattr(backend, "key_to_aliases", None)
    if by_key is not None:
        # moto up to 5.1: the backend keeps key id -> alias names.
        for key_id, names in by_key.items():
            if alias_name in names:
                return str(key_id)
        return None
    # moto 5.2: each key keeps its aliases, by name.
    for key_id, moto_key in backend.keys.items():
        if alias_name in getattr(moto_key, "aliases", {}):
            return str(key_id)
    return None


def sync(backend: KmsBackend, caller: Caller) -> None:
    """Gives every moto key of the caller's account and Region a shadow in ``backend``.

    It runs before every request moto might not answer, so it looks only at the keys it
    has not seen yet (set arithmetic on the key ids) and at the states of moto's own keys,
    not at every key: a suite that made hundreds of keys pays no more per call.
    """
    forget_dropped_keys(backend)
    keys = moto_keys(caller.account, caller.region)
    if not keys:
        return
    with backend.lock:
        where = (caller.account, caller.region)
        region = _shadows.setdefault(backend, {}).setdefault(where, _Region())
        region.moto_keys = keys
        for key_id in keys.keys() - region.entries.keys():
            moto_key = keys[key_id]
            link = bridged_key.link_of(moto_key)
            if link is not None:
                # Bridged under an earlier mock: the key (and its material) is moto's.
                link.backend = backend
                _add(backend, moto_key, link.shadow)
            elif moto_key.origin == "EXTERNAL":
                adopt(backend, moto_key)
            else:
                shadow = _shadow_of(moto_key, moto_key.key_state)
                if shadow is not None:
                    _add(backend, moto_key, shadow)
        for moto_key, shadow in region.not_bridged.values():
            # Just enough for our rules to refuse moto's own keys: their current state.
            shadow.state = moto_key.key_state
            shadow.deletion_date = bridged_key.aware(moto_key.deletion_date)


def adopt(backend: KmsBackend, moto_key: Any) -> bool:
    """Bridges one of moto's EXTERNAL keys: no material, PendingImport, as AWS has it."""
    state = moto_key.key_state
    if state in ("Enabled", "Disabled"):
        state = "PendingImport"
    shadow = _shadow_of(moto_key, state)
    if shadow is None:
        return False
    _add(backend, moto_key, shadow)
    bridged_key.bridge(moto_key, backend, shadow)
    return True


def forget_dropped_keys(backend: KmsBackend) -> None:
    """Forgets the shadows of keys moto no longer holds (moto resets at start and stop)."""
    regions = _shadows.get(backend)
    if not regions:
        return
    with backend.lock:
        for (account, region_name), region in list(regions.items()):
            keys = moto_keys(account, region_name)
            if keys is None:
                gone = list(region.entries)
            elif keys is region.moto_keys:
                # The same dict of moto's: only deleted keys can be gone.
                gone = list(region.entries.keys() - keys.keys())
            else:
                # moto was reset: the same ids may even come back, as other objects.
                gone = [
                    key_id
                    for key_id, (moto_key, _) in region.entries.items()
                    if keys.get(key_id) is not moto_key
                ]
                region.moto_keys = keys
            for key_id in gone:
                _, shadow = region.entries.pop(key_id)
                region.not_bridged.pop(key_id, None)
                backend.remove_key(shadow)
            if not region.entries:
                del regions[(account, region_name)]


def _add(backend: KmsBackend, moto_key: Any, shadow: Key) -> None:
    with backend.lock:
        backend.add_key(shadow)
        where = (shadow.account, shadow.region)
        region = _shadows.setdefault(backend, {}).setdefault(where, _Region())
        if region.moto_keys is None:
            region.moto_keys = moto_keys(shadow.account, shadow.region)
        region.entries[shadow.key_id] = (moto_key, shadow)
        if moto_key.origin == "EXTERNAL":
            region.not_bridged.pop(shadow.key_id, None)
        else:
            region.not_bridged[shadow.key_id] = (moto_key, shadow)


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
        deletion_date=bridged_key.aware(moto_key.deletion_date),
    )
