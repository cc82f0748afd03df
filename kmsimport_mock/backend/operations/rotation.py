"""Rotation of key material: RotateKeyOnDemand and ListKeyRotations, and automatic
rotation (EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus), which the backend
carries out lazily (:mod:`kmsimport_mock.backend.automatic_rotation`)."""

from __future__ import annotations

import datetime as _dt
import os

from ...crypto.material import symmetric_material_length
from .. import kms_errors
from ..clock import utcnow
from ..key_specs import is_china_region
from ..key_states import refuse_pending_deletion, refuse_transitional, refuse_unless_enabled
from ..model import CURRENT, NON_CURRENT, PENDING_ROTATION, Key, KeyMaterial, key_material_id
from ..store import KmsBackend
from ..types import Caller, Params, Response
from .paging import page

ON_DEMAND = "ON_DEMAND"
DEFAULT_LIST_LIMIT = 100


def _supports_rotation(key: Key) -> bool:
    # Only symmetric encryption keys have several materials; custom key store keys
    # (which also cannot rotate) are never created by the mock.
    return key.is_symmetric and key.origin in ("AWS_KMS", "EXTERNAL")


def rotate_key_on_demand(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        # The key state comes before the key spec (recorded, case 32: a Disabled RSA key is
        # DisabledException, an Enabled one UnsupportedOperationException).
        refuse_unless_enabled(key)
        if not _supports_rotation(key):
            raise kms_errors.rotation_not_supported()
        if key.primary_arn is not None:
            raise kms_errors.rotate_replica(key.arn, key.primary_arn)
        if key.on_demand_rotations >= backend.on_demand_rotation_limit:
            raise kms_errors.rotation_limit_reached(key.arn)
        related = [key, *backend.replicas_of(key)] if key.multi_region else [key]
        now = utcnow()
        if key.origin == "EXTERNAL":
            pending = key.pending_material
            if pending is None or pending.state != PENDING_ROTATION:
                raise kms_errors.no_material_pending_rotation(key.arn)
            new_id = pending.material_id
        else:
            # KMS generates the new material; replicas of a multi-Region key share it.
            generated = os.urandom(symmetric_material_length(china=is_china_region(key.region)))
            new_id = key_material_id(key.key_id, generated)
            for each in related:
                each.materials.append(KeyMaterial(new_id, PENDING_ROTATION, generated))
        # AWS switches CurrentKeyMaterialId about a minute after the call (recorded); the
        # mock switches at once, so tests need not wait.
        for each in related:
            for material in each.materials:
                if material.state == CURRENT:
                    material.state = NON_CURRENT
                elif material.material_id == new_id:
                    material.state = CURRENT
                    material.rotation_date = now
                    material.rotation_type = ON_DEMAND
        key.on_demand_rotations += 1
        return {"KeyId": key.arn}


def list_key_rotations(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    include = params.get("IncludeKeyMaterial", "ROTATIONS_ONLY")
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        if not _supports_rotation(key):
            raise kms_errors.rotation_not_supported()
        materials = key.materials
        if include == "ROTATIONS_ONLY":
            materials = [m for m in materials if m.rotation_date is not None]
        entries = [_entry(key, m) for m in materials]
    chosen, fields = page(
        entries, params, lambda entry: entry["KeyMaterialId"], default_limit=DEFAULT_LIST_LIMIT
    )
    return {"Rotations": chosen, **fields}


def _entry(key: Key, material: KeyMaterial) -> Response:
    entry: Response = {
        "KeyId": key.key_id,
        "KeyMaterialId": material.material_id,
        "KeyMaterialState": material.state,
    }
    if key.origin == "EXTERNAL":
        entry["KeyMaterialDescription"] = material.description
        entry["ImportState"] = "IMPORTED" if material.imported else "PENDING_IMPORT"
        entry["ExpirationModel"] = material.expiration_model
        entry["ValidTo"] = material.valid_to
    # Absent (None is omitted) for the first material and for material pending rotation.
    entry["RotationDate"] = material.rotation_date
    entry["RotationType"] = material.rotation_type
    return entry


# --- automatic rotation ------------------------------------------------------------------

DEFAULT_ROTATION_PERIOD_DAYS = 365


def _refuse_automatic_rotation(key: Key) -> None:
    """The refusals EnableKeyRotation and DisableKeyRotation share.

    The key state comes first (recorded case 32 shows it for RotateKeyOnDemand); the
    key-state table answers an EXTERNAL key with its origin answer (notes [6] and [7]).
    """
    if key.state == "Disabled":
        raise kms_errors.disabled(key.arn)
    refuse_pending_deletion(key)
    refuse_transitional(key)
    _refuse_unless_automatic_rotation_applies(key)
    if key.primary_arn is not None:
        raise kms_errors.automatic_rotation_of_replica(key.arn, key.primary_arn)


def _refuse_unless_automatic_rotation_applies(key: Key) -> None:
    if key.origin != "AWS_KMS":
        raise kms_errors.origin_not_valid(key.arn, key.origin)
    if not key.is_symmetric:
        raise kms_errors.automatic_rotation_not_supported(key.arn, key.key_spec)


def enable_key_rotation(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    # The protocol layer has checked the model's bounds (90 to 2560 days).
    period = params.get("RotationPeriodInDays", DEFAULT_ROTATION_PERIOD_DAYS)
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        _refuse_automatic_rotation(key)
        new_period = _dt.timedelta(days=period)
        if key.rotation_enabled and key.next_rotation_date and key.rotation_period_days:
            # A new period for a key that already rotates counts from the same start (the
            # enable date or the last automatic rotation); if that date has passed, the
            # key rotates when it is next read. CHOSEN: AWS does not say.
            start = key.next_rotation_date - _dt.timedelta(days=key.rotation_period_days)
            key.next_rotation_date = start + new_period
        else:
            # AWS rotates one period after the date rotation is enabled.
            key.next_rotation_date = utcnow() + new_period
        key.rotation_enabled = True
        key.rotation_period_days = period
        return {}


def disable_key_rotation(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        _refuse_automatic_rotation(key)
        key.rotation_enabled = False
        key.rotation_period_days = None
        key.next_rotation_date = None
        return {}


def get_key_rotation_status(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        refuse_transitional(key)
        if key.origin != "AWS_KMS":
            # The key-state table: an EXTERNAL key (PendingImport or not) is answered with
            # its origin (notes [6] and [7]).
            raise kms_errors.origin_not_valid(key.arn, key.origin)
        # Asymmetric and HMAC keys cannot rotate; their status is always false (API
        # reference). A replica shows the rotation its primary sets for the whole set.
        source = backend.primary_of(key) or key
        response: Response = {"KeyId": key.arn, "KeyRotationEnabled": False}
        if not key.is_symmetric or not source.rotation_enabled:
            return response
        if key.state in ("PendingDeletion", "PendingReplicaDeletion"):
            # "While a KMS key is pending deletion, its key rotation status is false";
            # cancelling the deletion brings it back.
            return response
        response["KeyRotationEnabled"] = True
        response["RotationPeriodInDays"] = source.rotation_period_days
        response["NextRotationDate"] = source.next_rotation_date
        return response
