"""The in-process KMS backend: accounts, Regions and keys, kept per account and Region.

The operations themselves live in :mod:`kmsimport_mock.operations`. They take the
request's parameters as Python values (``bytes`` for blobs, aware ``datetime`` for
timestamps, already checked against the API's shapes by the protocol layer), return the
response's fields the same way, and raise :class:`~kmsimport_mock.errors.KmsError`.
Nothing here knows about HTTP or botocore.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from . import messages
from .clock import utcnow
from .crypto.wrapping_keys import POOL, WrappingKeyPool
from .keys import (
    PENDING_MULTI_REGION_IMPORT_AND_ROTATION,
    PENDING_ROTATION,
    Key,
    KeyMaterial,
)
from .specs import LEGACY_CUSTOMER_MASTER_KEY_SPECS, partition_for_region
from .tokens import TokenSealer

Params = Mapping[str, Any]
Response = dict[str, Any]

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_ON_DEMAND_ROTATION_LIMIT = 25

# Used with fullmatch: "$" alone also matches before a trailing newline, which would let
# "<key ARN>\n" name the key.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MRK_ID = re.compile(r"^mrk-[0-9a-fA-F]{32}$")
_KEY_ARN = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key/(.+)$")
_ALIAS_ARN = re.compile(r"^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):alias/.+$")


@dataclass(frozen=True)
class Caller:
    """Who makes a request, and where: the account and Region a key is looked up in."""

    account: str
    region: str

    @property
    def partition(self) -> str:
        return partition_for_region(self.region)

    def key_arn(self, key_id: str) -> str:
        return f"arn:{self.partition}:kms:{self.region}:{self.account}:key/{key_id}"


class KeyOwner(Protocol):
    """Something outside the backend that owns a key's life (the moto bridge does).

    A key added with an owner stays in the backend only while ``owns(key)`` is true;
    once the owner has dropped it (moto's reset, say), the backend drops it too, the
    next time the key is read. The backend's rules still apply to it as to any key.
    """

    def owns(self, key: Key) -> bool: ...


Operation = Callable[["KmsBackend", Caller, Params], Response]
OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Operation], Operation]:
    """Registers a backend method as the handler of a KMS API operation."""

    def register(func: Operation) -> Operation:
        OPERATIONS[name] = func
        return func

    return register


class KmsBackend:
    """All keys of all accounts and Regions for one started mock."""

    def __init__(self, pool: WrappingKeyPool = POOL) -> None:
        self.pool = pool
        self.tokens = TokenSealer()
        self.lock = threading.RLock()
        self._keys: dict[tuple[str, str], dict[str, Key]] = {}
        self._owners: dict[tuple[str, str, str], KeyOwner] = {}
        # How long a new replica stays Creating, by the mock's clock (AWS: a few seconds).
        self.replica_creation_delay = _dt.timedelta(0)
        # On-demand rotations allowed per key. AWS's documents say 10, 25 or 50; the API
        # reference (botocore's model) says 25.
        self.on_demand_rotation_limit = DEFAULT_ON_DEMAND_ROTATION_LIMIT

    # --- entry point -----------------------------------------------------------------

    def call(self, operation_name: str, caller: Caller, params: Params) -> Response:
        handler = OPERATIONS.get(operation_name)
        if handler is None:
            raise KeyError(operation_name)
        return handler(self, caller, params)

    @staticmethod
    def served_operations() -> list[str]:
        return sorted(OPERATIONS)

    # --- inspection (used by the mock's public inspection API) -----------------------

    def find_key(self, key_id_or_arn: str, account: str | None, region: str | None) -> Key | None:
        """Finds a key by id or ARN in any account and Region, applying expiry first."""
        with self.lock:
            match = _KEY_ARN.fullmatch(key_id_or_arn)
            if match:
                _, region, account, key_id = match.groups()
            else:
                key_id = key_id_or_arn
            for (acct, reg), keys in self._keys.items():
                if account is not None and acct != account:
                    continue
                if region is not None and reg != region:
                    continue
                key = keys.get(key_id)
                if key is not None and self.refresh(key, utcnow()):
                    return key
            return None

    def all_keys(self) -> list[Key]:
        with self.lock:
            now = utcnow()
            return [
                k
                for keys in self._keys.values()
                for k in list(keys.values())
                if self.refresh(k, now)
            ]

    def add_key(self, key: Key, owner: KeyOwner | None = None) -> None:
        """Adds a key; with ``owner``, the key lives only as long as its owner keeps it."""
        with self.lock:
            self._keys.setdefault((key.account, key.region), {})[key.key_id] = key
            where = (key.account, key.region, key.key_id)
            if owner is None:
                self._owners.pop(where, None)
            else:
                self._owners[where] = owner

    def _drop(self, key: Key) -> None:
        self._keys[(key.account, key.region)].pop(key.key_id, None)
        self._owners.pop((key.account, key.region, key.key_id), None)

    # --- key lookup and time -----------------------------------------------------------

    def store(self, caller: Caller) -> dict[str, Key]:
        return self._keys.setdefault((caller.account, caller.region), {})

    def resolve(self, caller: Caller, key_ref: str) -> Key:
        """The caller's key named by a key ID or key ARN, as AWS resolves it."""
        if key_ref.startswith("arn:"):
            if _ALIAS_ARN.fullmatch(key_ref):
                raise messages.alias_not_found(key_ref)
            match = _KEY_ARN.fullmatch(key_ref)
            if not match:
                raise messages.malformed_arn(key_ref)
            partition, region, account, key_id = match.groups()
            if region != caller.region:
                raise messages.arn_of_other_region(region)
            if account != caller.account or partition != caller.partition:
                # Cross-account use of the import operations is not supported by AWS, and a
                # key of another partition cannot be in the caller's (CHOSEN: not found).
                raise messages.key_not_found(key_ref)
            if not self._well_formed(caller, key_id):
                raise messages.key_not_found(key_ref)
        elif key_ref.startswith("alias/"):
            raise messages.alias_not_found(
                f"arn:{caller.partition}:kms:{caller.region}:{caller.account}:{key_ref}"
            )
        else:
            key_id = key_ref
            if not self._well_formed(caller, key_id):
                raise messages.invalid_key_id(key_id)
        key = self.store(caller).get(key_id)
        if key is None or not self.refresh(key, utcnow()):
            raise messages.key_not_found(caller.key_arn(key_id))
        return key

    def _well_formed(self, caller: Caller, key_id: str) -> bool:
        if _UUID.fullmatch(key_id) or _MRK_ID.fullmatch(key_id):
            return True
        # An externally owned key has the id its owner gave it (moto's multi-Region key ids
        # are "mrk-" and a dashed UUID).
        return (caller.account, caller.region, key_id) in self._owners

    def key_of_other_account(self, caller: Caller, key_ref: str) -> Key | None:
        """The key a key ARN names in another account of the caller's Region, if it exists.

        Only for the operations AWS allows across accounts (DescribeKey); everything else
        resolves keys in the caller's own account.
        """
        match = _KEY_ARN.fullmatch(key_ref)
        if not match:
            return None
        partition, region, account, key_id = match.groups()
        if region != caller.region or account == caller.account:
            return None
        if partition != caller.partition:
            return None
        key = self._keys.get((account, region), {}).get(key_id)
        if key is None or not self.refresh(key, utcnow()):
            return None
        return key

    def refresh(self, key: Key, now: _dt.datetime) -> bool:
        """Applies what time has done to a key; False if its deletion has happened.

        AWS deletes keys, expires key material and finishes creating replicas in the
        background; the mock does the same work lazily, whenever a key is read, so frozen
        or travelling clocks apply. Related multi-Region keys are refreshed together,
        because a replica's deletion changes its primary and the state of material pending
        rotation is shared by the whole set.
        """
        if not key.multi_region:
            return self._refresh_one(key, now)
        primary = self.primary_of(key)
        if primary is None:
            return self._refresh_one(key, now)
        for replica in self.replicas_of(primary):
            if not self._refresh_one(replica, now):
                self._forget_replica(primary, replica, now)
        alive = self._refresh_one(primary, now)
        if alive:
            self.sync_multi_region(primary)
        return self._stored(key)

    def _stored(self, key: Key) -> bool:
        return self._keys.get((key.account, key.region), {}).get(key.key_id) is key

    def _refresh_one(self, key: Key, now: _dt.datetime) -> bool:
        if not self._stored(key):
            return False
        owner = self._owners.get((key.account, key.region, key.key_id))
        if owner is not None and not owner.owns(key):
            self._drop(key)
            return False
        if key.state == "PendingDeletion" and key.deletion_date and key.deletion_date <= now:
            self._drop(key)
            return False
        if key.state == "Creating" and (key.creating_until is None or key.creating_until <= now):
            key.state = "PendingImport" if key.origin == "EXTERNAL" else "Enabled"
            key.creating_until = None
        expired_permanent = False
        for material in list(key.materials):
            if material.imported and material.valid_to is not None and material.valid_to <= now:
                expired_permanent = expired_permanent or material.permanent
                if material.permanent or key.is_replica:
                    material.remove()
                else:
                    # Like its deletion: material pending rotation is not permanently
                    # associated with the key, so it goes entirely.
                    key.materials.remove(material)
        if expired_permanent and key.state not in ("PendingDeletion", "PendingReplicaDeletion"):
            key.state = "PendingImport"
        return True

    # --- multi-Region keys -------------------------------------------------------------

    def primary_of(self, key: Key) -> Key | None:
        return key if key.primary_arn is None else self._key_by_arn(key.primary_arn)

    def replicas_of(self, primary: Key) -> list[Key]:
        found = (self._key_by_arn(arn) for arn in primary.replica_arns)
        return [replica for replica in found if replica is not None]

    def _forget_replica(self, primary: Key, replica: Key, now: _dt.datetime) -> None:
        """A replica has been deleted: its primary no longer lists it.

        A primary waiting in PendingReplicaDeletion starts its own waiting period when its
        last replica is deleted (at the replica's deletion date).
        """
        if replica.arn in primary.replica_arns:
            primary.replica_arns.remove(replica.arn)
        if primary.state == "PendingReplicaDeletion" and not primary.replica_arns:
            start = replica.deletion_date or now
            primary.state = "PendingDeletion"
            primary.deletion_date = start + _dt.timedelta(days=primary.pending_window_days or 30)

    def sync_multi_region(self, primary: Key) -> None:
        """Shares the primary's material pending rotation with its replicas.

        New material enters a multi-Region key through the primary. Each replica lists it
        (not imported until the same material is imported there), and its state is
        PENDING_MULTI_REGION_IMPORT_AND_ROTATION until every replica holds it, then
        PENDING_ROTATION, in the primary and in every replica alike.
        """
        pending = primary.pending_material
        replicas = self.replicas_of(primary)
        for replica in replicas:
            for material in list(replica.materials):
                if not material.permanent and (
                    pending is None or material.material_id != pending.material_id
                ):
                    replica.materials.remove(material)
            if pending is not None and replica.material_by_id(pending.material_id) is None:
                replica.materials.append(KeyMaterial(pending.material_id, pending.state, None))
        if pending is None:
            return
        copies = [r.material_by_id(pending.material_id) for r in replicas]
        everywhere = all(copy is not None and copy.imported for copy in copies)
        state = PENDING_ROTATION if everywhere else PENDING_MULTI_REGION_IMPORT_AND_ROTATION
        pending.state = state
        for copy in copies:
            if copy is not None:
                copy.state = state

    # --- metadata --------------------------------------------------------------------

    def metadata(self, key: Key) -> Response:
        algorithms = key.spec.usages[key.key_usage]
        meta: Response = {
            "AWSAccountId": key.account,
            "KeyId": key.key_id,
            "Arn": key.arn,
            "CreationDate": key.creation_date,
            "Enabled": key.state == "Enabled",
            "Description": key.description,
            "KeyUsage": key.key_usage,
            "KeyState": key.state,
            "Origin": key.origin,
            "KeyManager": "CUSTOMER",
            "CustomerMasterKeySpec": key.key_spec,
            "KeySpec": key.key_spec,
            "MultiRegion": key.multi_region,
        }
        if key.key_spec not in LEGACY_CUSTOMER_MASTER_KEY_SPECS:
            # Key specs added after CustomerMasterKeySpec was deprecated do not carry it.
            del meta["CustomerMasterKeySpec"]
        if algorithms.encryption:
            meta["EncryptionAlgorithms"] = list(algorithms.encryption)
        if algorithms.signing:
            meta["SigningAlgorithms"] = list(algorithms.signing)
        if algorithms.mac:
            meta["MacAlgorithms"] = list(algorithms.mac)
        if algorithms.key_agreement:
            meta["KeyAgreementAlgorithms"] = list(algorithms.key_agreement)
        if key.state == "PendingDeletion":
            meta["DeletionDate"] = key.deletion_date
        elif key.state == "PendingReplicaDeletion":
            # A primary waiting for its replicas has no deletion date yet; the model shows
            # the waiting period only in this state.
            meta["PendingDeletionWindowInDays"] = key.pending_window_days
        if key.origin == "EXTERNAL":
            current = key.current_material if key.is_symmetric else key.only_material
            if current is not None and current.imported:
                meta["ExpirationModel"] = current.expiration_model
                valid_to = key.earliest_valid_to
                if valid_to is not None:
                    meta["ValidTo"] = valid_to
        if key.is_symmetric and key.origin in ("EXTERNAL", "AWS_KMS"):
            # AWS keeps CurrentKeyMaterialId after the material is deleted (recorded).
            current = key.current_material
            if current is not None:
                meta["CurrentKeyMaterialId"] = current.material_id
        if key.multi_region:
            meta["MultiRegionConfiguration"] = self._multi_region_configuration(key)
        return meta

    def _multi_region_configuration(self, key: Key) -> Response:
        primary_arn = key.primary_arn or key.arn
        primary = self._key_by_arn(primary_arn)
        replicas = primary.replica_arns if primary is not None else []
        return {
            "MultiRegionKeyType": "PRIMARY" if primary_arn == key.arn else "REPLICA",
            "PrimaryKey": {"Arn": primary_arn, "Region": _arn_region(primary_arn)},
            "ReplicaKeys": [{"Arn": arn, "Region": _arn_region(arn)} for arn in replicas],
        }

    def _key_by_arn(self, arn: str) -> Key | None:
        match = _KEY_ARN.fullmatch(arn)
        if not match:
            return None
        _, region, account, key_id = match.groups()
        return self._keys.get((account, region), {}).get(key_id)


def _arn_region(arn: str) -> str:
    return arn.split(":")[3]


__all__ = ["DEFAULT_ACCOUNT_ID", "OPERATIONS", "Caller", "KeyOwner", "KmsBackend"]
