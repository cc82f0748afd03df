"""Key life-cycle operations a BYOK flow needs around the import itself:
CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey, DisableKey,
ScheduleKeyDeletion and CancelKeyDeletion."""

from __future__ import annotations

import contextvars
import datetime as _dt
import os
import re

from ...crypto.material import symmetric_material_length
from ...errors import KeySpecNotMocked
from .. import kms_errors
from ..clock import utcnow
from ..ids import uuid4_string
from ..key_policies import checked_policy, default_key_policy
from ..key_specs import KEY_SPECS, SYMMETRIC, is_china_region
from ..key_states import refuse_pending_deletion, refuse_transitional
from ..model import CURRENT, Key, KeyMaterial, key_material_id
from ..store import KmsBackend
from ..tags import checked_tags
from ..types import Caller, Params, Response
from .paging import page

DEFAULT_PENDING_WINDOW_DAYS = 30
DEFAULT_LIST_LIMIT = 100
_CUSTOM_KEY_STORE_ORIGINS = frozenset({"AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"})


def create_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    origin = params.get("Origin", "AWS_KMS")
    if "KeySpec" in params and "CustomerMasterKeySpec" in params:
        raise kms_errors.both_key_specs()
    key_spec = params.get("KeySpec") or params.get("CustomerMasterKeySpec") or SYMMETRIC
    if key_spec not in KEY_SPECS:
        raise KeySpecNotMocked(key_spec)
    spec = KEY_SPECS[key_spec]
    if spec.china_only and not is_china_region(caller.region):
        raise kms_errors.key_spec_not_in_region(key_spec, caller.region)
    usage = params.get("KeyUsage") or spec.default_usage
    if usage is None:
        raise kms_errors.key_usage_required()
    if usage not in spec.usages:
        raise kms_errors.key_usage_not_compatible(usage, key_spec)
    store_id = params.get("CustomKeyStoreId")
    if origin in _CUSTOM_KEY_STORE_ORIGINS:
        if not store_id:
            raise kms_errors.custom_key_store_required(origin)
        raise kms_errors.custom_key_store_not_found(store_id)
    if store_id:
        raise kms_errors.custom_key_store_not_allowed(origin)
    if params.get("XksKeyId"):
        raise kms_errors.xks_key_id_not_allowed()
    if origin == "EXTERNAL" and not spec.importable:
        raise kms_errors.key_spec_not_importable(key_spec)
    tags = checked_tags(params.get("Tags", []))
    policy = params.get("Policy")
    if policy is None:
        policy = default_key_policy(caller.account, caller.partition)
    checked_policy(policy)
    multi_region = bool(params.get("MultiRegion", False))
    key_id = _FIXED_KEY_ID.get() or _new_key_id(multi_region)
    key = Key(
        key_id=key_id,
        arn=caller.key_arn(key_id),
        account=caller.account,
        region=caller.region,
        creation_date=utcnow(),
        description=params.get("Description", ""),
        key_spec=key_spec,
        key_usage=usage,
        origin=origin,
        multi_region=multi_region,
        state="PendingImport" if origin == "EXTERNAL" else "Enabled",
        tags=tags,
        policy=policy,
    )
    if origin == "AWS_KMS" and key.is_symmetric:
        # KMS-generated symmetric keys have a current material too (CurrentKeyMaterialId):
        # AES-256, or SM4 in China Regions.
        generated = os.urandom(symmetric_material_length(china=is_china_region(caller.region)))
        key.materials.append(
            KeyMaterial(key_material_id(key_id, generated), CURRENT, generated, None)
        )
    with backend.lock:
        backend.add_key(key)
        return {"KeyMetadata": backend.metadata(key)}


def _new_key_id(multi_region: bool) -> str:
    return f"mrk-{uuid4_string().replace('-', '')}" if multi_region else uuid4_string()


# The id create_key_with_id asks CreateKey to give its key (None: a fresh random one).
_FIXED_KEY_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "kmsimport_mock_fixed_key_id", default=None
)


def create_key_with_id(
    backend: KmsBackend, caller: Caller, params: Params, key_id: str
) -> Response:
    """CreateKey, giving the new key ``key_id`` (``serve --seed`` keys have fixed ids).

    Every rule of CreateKey applies as it stands; only the random id is replaced. Raises
    ValueError for an id KMS would never give such a key (a UUID, or ``mrk-`` and 32 hex
    digits for a multi-Region key, lower case) or one the caller's account and Region
    already has.
    """
    multi_region = bool(params.get("MultiRegion", False))
    pattern = _MRK_KEY_ID if multi_region else _KEY_ID
    if not pattern.fullmatch(key_id):
        kind = "an mrk- id (mrk- and 32 lower-case hex digits)" if multi_region else "a UUID"
        raise ValueError(f"key id {key_id!r} is not {kind}")
    with backend.lock:
        if key_id in backend.store(caller):
            raise ValueError(f"key {key_id} already exists in {caller.account} {caller.region}")
        token = _FIXED_KEY_ID.set(key_id)
        try:
            return create_key(backend, caller, params)
        finally:
            _FIXED_KEY_ID.reset(token)


_KEY_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MRK_KEY_ID = re.compile(r"mrk-[0-9a-f]{32}")


def describe_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        foreign = backend.key_of_other_account(caller, params["KeyId"])
        if foreign is not None:
            # DescribeKey is the one served operation AWS allows across accounts, given a
            # key policy that allows it; the default key policy allows only the owner.
            raise kms_errors.cross_account_access_denied(
                caller.account, caller.partition, "DescribeKey", foreign.arn
            )
        return {"KeyMetadata": backend.metadata(backend.resolve(caller, params["KeyId"]))}


def list_keys(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        now = utcnow()
        keys = [k for k in list(backend.store(caller).values()) if backend.refresh(k, now)]
    chosen, fields = page(keys, params, lambda key: key.key_id, default_limit=DEFAULT_LIST_LIMIT)
    return {"Keys": [{"KeyId": k.key_id, "KeyArn": k.arn} for k in chosen], **fields}


def update_key_description(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        # Key-state table: UpdateKeyDescription fails only for a key pending deletion.
        refuse_pending_deletion(key)
        key.description = params["Description"]
        return {}


def _switch(backend: KmsBackend, caller: Caller, params: Params, state: str) -> Response:
    """EnableKey and DisableKey: the same key-state rules, a different resulting state."""
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        if key.state == "PendingImport":
            raise kms_errors.pending_import(key.arn)
        refuse_pending_deletion(key)
        refuse_transitional(key)
        key.state = state
        return {}


def enable_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    return _switch(backend, caller, params, "Enabled")


def disable_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    return _switch(backend, caller, params, "Disabled")


def schedule_key_deletion(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    days = params.get("PendingWindowInDays", DEFAULT_PENDING_WINDOW_DAYS)
    if not 7 <= days <= 30:
        raise kms_errors.pending_window_out_of_range(days)
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        refuse_pending_deletion(key)
        if key.state == "Updating":
            raise kms_errors.updating(key.arn)
        key.pending_window_days = days
        if key.multi_region and key.primary_arn is None and backend.replicas_of(key):
            # A primary is deleted only after its replicas; its waiting period starts when
            # the last of them is deleted, so it has no deletion date yet.
            key.state = "PendingReplicaDeletion"
            key.deletion_date = None
        else:
            key.state = "PendingDeletion"
            key.deletion_date = utcnow() + _dt.timedelta(days=days)
        return {
            "KeyId": key.arn,
            "DeletionDate": key.deletion_date,
            "KeyState": key.state,
            "PendingWindowInDays": days,
        }


def cancel_key_deletion(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        if key.state not in ("PendingDeletion", "PendingReplicaDeletion"):
            raise kms_errors.not_pending_deletion(key.arn)
        key.deletion_date = None
        key.pending_window_days = None
        # AWS answers Disabled. An EXTERNAL key whose material is gone cannot be
        # disabled or enabled, so the mock puts it back in PendingImport (CHOSEN).
        needs_import = key.origin == "EXTERNAL" and not key.has_all_permanent_material
        key.state = "PendingImport" if needs_import else "Disabled"
        return {"KeyId": key.arn}
