"""On-demand rotation of key material: RotateKeyOnDemand and ListKeyRotations."""

from __future__ import annotations

import os

from ...crypto.material import symmetric_material_length
from .. import kms_errors
from ..clock import utcnow
from ..key_specs import is_china_region
from ..key_states import refuse_pending_deletion, refuse_transitional
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
        if key.state == "Disabled":
            raise kms_errors.disabled(key.arn)
        if key.state == "PendingImport":
            raise kms_errors.pending_import(key.arn)
        refuse_pending_deletion(key)
        refuse_transitional(key)
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
