"""Multi-Region keys: ReplicateKey.

A replica has the primary's key ID, KeySpec, KeyUsage and Origin. KMS does not copy
imported material: a replica of an EXTERNAL primary starts with no material, associated
with the primary's materials (the same key material IDs), and each must be imported into it
separately (ImportKeyMaterial checks it is the same material). Key states, expiration and
descriptions are per Region; the state of material pending rotation is shared (see
:meth:`KmsBackend.sync_multi_region`).
"""

from __future__ import annotations

import json

from .. import kms_errors
from ..clock import utcnow
from ..key_states import refuse_pending_deletion, refuse_transitional
from ..model import Key, KeyMaterial
from ..regions import kms_regions as _kms_regions
from ..store import KmsBackend
from ..types import Caller, Params, Response


def default_key_policy(account: str, partition: str) -> str:
    """The default key policy KMS gives a key created without one through the API."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        },
        indent=2,
    )


def replicate_key(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    region = params["ReplicaRegion"]
    if region == caller.region:
        raise kms_errors.replica_in_primary_region(region)
    if region not in _kms_regions(caller.partition):
        raise kms_errors.replica_region_unknown(region, caller.partition)
    with backend.lock:
        primary = backend.resolve(caller, params["KeyId"])
        if not primary.multi_region:
            raise kms_errors.not_multi_region(primary.arn)
        if primary.primary_arn is not None:
            raise kms_errors.not_primary(primary.arn)
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
        return {
            "ReplicaKeyMetadata": backend.metadata(replica),
            "ReplicaPolicy": replica.policy,
            "ReplicaTags": list(replica.tags),
        }


def _new_replica(backend: KmsBackend, primary: Key, where: Caller, params: Params) -> Key:
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
        tags=list(params.get("Tags", [])),
        policy=params.get("Policy") or default_key_policy(where.account, where.partition),
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
