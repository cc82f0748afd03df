"""The in-process KMS backend: accounts, Regions and keys, kept per account and Region.

The operations themselves live in :mod:`kmsimport_mock.backend.operations`; this module
keeps the keys, finds them as AWS resolves key ids and ARNs, and applies what time does
to them (deletion, expiry, replicas finishing their creation). Nothing here knows about
HTTP, botocore or moto.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading

from ..crypto.wrapping_key_pool import POOL, WrappingKeyPool
from . import kms_errors
from .arns import alias_arn, parse_alias_arn, parse_key_arn, region_of
from .clock import utcnow
from .import_tokens import TokenSealer
from .key_specs import LEGACY_CUSTOMER_MASTER_KEY_SPECS
from .model import PENDING_MULTI_REGION_IMPORT_AND_ROTATION, PENDING_ROTATION, Key, KeyMaterial
from .types import DEFAULT_ON_DEMAND_ROTATION_LIMIT, Caller, Response

# Used with fullmatch: "$" alone also matches before a trailing newline, which would let
# "<key id>\n" name the key.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MRK_ID = re.compile(r"mrk-[0-9a-fA-F]{32}")


class KmsBackend:
    """All keys of all accounts and Regions for one started mock."""

    def __init__(self, pool: WrappingKeyPool = POOL) -> None:
        self.pool = pool
        self.tokens = TokenSealer()
        self.lock = threading.RLock()
        self._keys: dict[tuple[str, str], dict[str, Key]] = {}
        # How long a new replica stays Creating, by the mock's clock (AWS: a few seconds).
        self.replica_creation_delay = _dt.timedelta(0)
        # On-demand rotations allowed per key. AWS's documents say 10, 25 or 50; the API
        # reference (botocore's model) says 25.
        self.on_demand_rotation_limit = DEFAULT_ON_DEMAND_ROTATION_LIMIT

    def reset(self) -> None:
        """Forgets everything, as a new backend starts (``POST /_kmsimport_mock/reset``).

        Keys of every account and Region go, and so does the secret that seals import
        tokens: a token issued before the reset no longer opens. The wrapping key pool is the
        process's and stays. The lock stays too, since other threads may be waiting on it.
        """
        with self.lock:
            fresh = KmsBackend(self.pool)
            for name, value in vars(fresh).items():
                if name != "lock":
                    setattr(self, name, value)

    # --- inspection (used by the mock's public inspection API) -----------------------

    def find_key(self, key_id_or_arn: str, account: str | None, region: str | None) -> Key | None:
        """Finds a key by id or ARN in any account and Region, applying expiry first."""
        with self.lock:
            arn = parse_key_arn(key_id_or_arn)
            if arn is not None:
                _, region, account, key_id = arn
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

    def add_key(self, key: Key) -> None:
        with self.lock:
            self._keys.setdefault((key.account, key.region), {})[key.key_id] = key

    def remove_key(self, key: Key) -> None:
        """Forgets a key at once (the key's deletion date is the usual way out)."""
        with self.lock:
            if self._stored(key):
                del self._keys[(key.account, key.region)][key.key_id]

    # --- key lookup and time -----------------------------------------------------------

    def store(self, caller: Caller) -> dict[str, Key]:
        return self._keys.setdefault((caller.account, caller.region), {})

    def resolve(self, caller: Caller, key_ref: str) -> Key:
        """The caller's key named by a key ID or key ARN, as AWS resolves it."""
        by_arn = key_ref.startswith("arn:")
        if by_arn:
            if parse_alias_arn(key_ref) is not None:
                raise kms_errors.alias_not_found(key_ref)
            arn = parse_key_arn(key_ref)
            if arn is None:
                raise kms_errors.malformed_arn(key_ref)
            partition, region, account, key_id = arn
            if region != caller.region:
                raise kms_errors.arn_of_other_region(region)
            if account != caller.account or partition != caller.partition:
                # Cross-account use of the import operations is not supported by AWS, and a
                # key of another partition cannot be in the caller's (CHOSEN: not found).
                raise kms_errors.key_not_found(key_ref)
        elif key_ref.startswith("alias/"):
            raise kms_errors.alias_not_found(
                alias_arn(caller.partition, caller.region, caller.account, key_ref)
            )
        else:
            key_id = key_ref
        key = self.store(caller).get(key_id)
        if key is None or not self.refresh(key, utcnow()):
            # A key the store holds is named by its id, whatever its form; for any other
            # id, AWS tells a malformed id from an unknown one.
            if not _well_formed(key_id):
                if by_arn:
                    raise kms_errors.key_not_found(key_ref)
                raise kms_errors.invalid_key_id(key_id)
            raise kms_errors.key_not_found(caller.key_arn(key_id))
        return key

    def key_of_other_account(self, caller: Caller, key_ref: str) -> Key | None:
        """The key a key ARN names in another account of the caller's Region, if it exists.

        Only for the operations AWS allows across accounts (DescribeKey); everything else
        resolves keys in the caller's own account.
        """
        arn = parse_key_arn(key_ref)
        if arn is None:
            return None
        partition, region, account, key_id = arn
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
        if key.state == "PendingDeletion" and key.deletion_date and key.deletion_date <= now:
            self.remove_key(key)
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
            "PrimaryKey": {"Arn": primary_arn, "Region": region_of(primary_arn)},
            "ReplicaKeys": [{"Arn": arn, "Region": region_of(arn)} for arn in replicas],
        }

    def _key_by_arn(self, arn: str) -> Key | None:
        parsed = parse_key_arn(arn)
        if parsed is None:
            return None
        _, region, account, key_id = parsed
        return self._keys.get((account, region), {}).get(key_id)


def _well_formed(key_id: str) -> bool:
    return bool(_UUID.fullmatch(key_id) or _MRK_ID.fullmatch(key_id))


__all__ = ["KmsBackend"]
