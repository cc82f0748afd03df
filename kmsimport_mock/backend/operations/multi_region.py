"""Multi-Region keys: ReplicateKey.

A replica has the primary's key ID, KeySpec, KeyUsage and Origin. KMS does not copy
imported material: a replica of an EXTERNAL primary starts with no material, associated
with the primary's materials (the same key material IDs), and each must be imported into it
separately (ImportKeyMaterial checks it is the same material). Key states, expiration and
descriptions are per Region; the state of material pending rotation is shared (see
:meth:`KmsBackend.sync_multi_region`).
"""

from __future__ import annotations

from .. import kms_errors
from ..clock import utcnow
from ..key_material import material_in_use
from ..key_policies import checked_policy, default_key_policy
from ..key_states import refuse_pending_deletion, refuse_transitional
from ..model import Key, KeyMaterial
from ..regions import kms_regions as _kms_regions
from ..store import KmsBackend
from ..tags import checked_tags
from ..types import Caller, Params, Response


def replicate_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    region = params["ReplicaRegion"]
    with backend.lock:
        primary = backend.resolve(caller, params["KeyId"], aliases=False)
        if not primary.multi_region:
            raise kms_errors.not_multi_region(primary.arn)
        # Recorded (case 31): a replica is refused as not a primary before the Region is
        # looked at, even when the Region asked for is the replica's own.
        if primary.primary_arn is not None:
            raise kms_errors.not_primary(primary.arn)
        if region == caller.region:
            raise kms_errors.replica_in_primary_region(region)
        if region not in _kms_regions(caller.partition):
            raise kms_errors.replica_region_unknown(region, caller.partition)
        # The key-state table's ReplicateKey row: notes [1], [3], [5], [14], [15].
        if primary.state == "Disabled":
            raise kms_errors.disabled(primary.arn)
        refuse_pending_deletion(primary)
        if primary.state == "PendingImport":
            raise kms_errors.pending_import(primary.arn)
        refuse_transitional(primary)
        replica_caller = Caller(account=caller.account, region=region)
        existing = backend.store(replica_caller).get(primary.key_id)
        if existing is not None and backend.refresh(existing, utcnow()):
            raise kms_errors.replica_exists(primary.arn, region)
        replica = _new_replica(backend, primary, replica_caller, params)
        backend.add_key(replica)
        primary.replica_arns.append(replica.arn)
        backend.sync_multi_region(primary)
        response: Response = {
            "ReplicaKeyMetadata": _as_just_created(backend.metadata(replica)),
            "ReplicaPolicy": replica.policy,
        }
        if replica.tags:
            # Recorded (case 30): no ReplicaTags at all when none were given.
            response["ReplicaTags"] = list(replica.tags)
        return response


def _as_just_created(metadata: Response) -> Response:
    """The replica as ReplicateKey's answer shows it (recorded, case 30): Creating, not
    enabled and without CurrentKeyMaterialId, whatever the creation delay. DescribeKey
    shows the replica as it is."""
    metadata.update(KeyState="Creating", Enabled=False)
    metadata.pop("CurrentKeyMaterialId", None)
    return metadata


def _new_replica(backend: KmsBackend, primary: Key, where: Caller, params: Params) -> Key:
    if primary.origin == "AWS_KMS" and not primary.is_symmetric:
        # KMS makes an asymmetric or HMAC key's material on first use, and related
        # multi-Region keys share it: a primary not used yet gets it now, to pass it on.
        material_in_use(primary)
    policy = params.get("Policy")
    if policy is None:
        policy = default_key_policy(where.account, where.partition)
    now = utcnow()
    delay = backend.replica_creation_delay
    replica = Key(
        key_id=primary.key_id,
        arn=where.key_arn(primary.key_id),
        account=where.account,
        region=where.region,
        creation_date=now,
        # Description, policy and tags are not shared properties of multi-Region keys.
        description=params.get("Description", ""),
        key_spec=primary.key_spec,
        key_usage=primary.key_usage,
        origin=primary.origin,
        multi_region=True,
        state="Creating",
        tags=checked_tags(params.get("Tags", [])),
        policy=checked_policy(policy),
        primary_arn=primary.arn,
        creating_until=now + delay,
    )
    for material in primary.materials:
        if not material.permanent:
            continue  # sync_multi_region adds material pending rotation
        copy = KeyMaterial(
            material.material_id,
            material.state,
            # KMS generated material is shared; imported material must be imported again.
            material.plaintext if primary.origin != "EXTERNAL" else None,
            rotation_date=material.rotation_date,
            rotation_type=material.rotation_type,
        )
        copy.reference = material.reference
        replica.materials.append(copy)
    if delay.total_seconds() <= 0:
        replica.state = "PendingImport" if primary.origin == "EXTERNAL" else "Enabled"
        replica.creating_until = None
    return replica
