"""The in-process KMS backend: accounts, Regions and keys, kept per account and Region.

The operations themselves live in :mod:`kmsimport_mock.backend.operations`; this module
keeps the keys, finds them as AWS resolves key ids and ARNs, and applies what time does
to them (deletion, expiry, replicas finishing their creation). Nothing here knows about
HTTP, botocore or moto.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
import threading
from collections.abc import Iterator
from typing import Protocol

from ..crypto.wrapping_key_pool import POOL, WrappingKeyPool
from . import kms_errors
from .arns import AliasArn, alias_arn, parse_alias_arn, parse_key_arn, region_of
from .automatic_rotation import rotate_if_due
from .clock import utcnow
from .import_tokens import TokenSealer
from .key_specs import LEGACY_CUSTOMER_MASTER_KEY_SPECS
from .model import (
    PENDING_MULTI_REGION_IMPORT_AND_ROTATION,
    PENDING_ROTATION,
    Alias,
    Key,
    KeyMaterial,
)
from .types import (
    DEFAULT_ON_DEMAND_ROTATION_LIMIT,
    DEFAULT_REPLICA_CREATION_DELAY,
    Caller,
    Response,
)

# The name under which a state store keeps the aliases (see reaching_table).
ALIAS_TABLE = "aliases"

# Used with fullmatch: "$" alone also matches before a trailing newline, which would let
# "<key id>\n" name the key.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MRK_ID = re.compile(r"mrk-[0-9a-fA-F]{32}")


class ChangeWatcher(Protocol):
    """Told what a call reaches, just before the call may change it (see ``watching``).

    The backend only names the places; what a watcher does with them (the endpoint's
    state dir saves and, when saving fails, restores them) is none of its business.
    """

    def key_reached(self, account: str, region: str, key_id: str) -> None: ...

    def table_reached(self, table: str, account: str, region: str) -> None: ...


class KmsBackend:
    """All keys of all accounts and Regions for one started mock."""

    def __init__(self, pool: WrappingKeyPool = POOL) -> None:
        self.pool = pool
        self.tokens = TokenSealer()
        self.lock = threading.RLock()
        self._keys: dict[tuple[str, str], dict[str, Key]] = {}
        # Aliases by (account, Region), then by name. Kept apart from the keys: an alias is
        # not a property of its key, and one name can move from key to key (UpdateAlias).
        self._aliases: dict[tuple[str, str], dict[str, Alias]] = {}
        # How long a new replica stays Creating, by the mock's clock (AWS: a few seconds).
        self.replica_creation_delay = DEFAULT_REPLICA_CREATION_DELAY
        # On-demand rotations allowed per key. AWS's documents say 10, 25 or 50; the API
        # reference (botocore's model) says 25.
        self.on_demand_rotation_limit = DEFAULT_ON_DEMAND_ROTATION_LIMIT
        self._watcher: ChangeWatcher | None = None

    # --- watching what a call reaches ------------------------------------------------

    @contextlib.contextmanager
    def watching(self, watcher: ChangeWatcher) -> Iterator[None]:
        """Holds the lock for a whole call and tells ``watcher`` every key it reaches.

        Every way to a key goes through :meth:`refresh`, :meth:`add_key`,
        :meth:`remove_key` or a lookup by ARN, and each tells the watcher before anything
        changes, so the watcher sees every key the call can change and can take it as it
        was. Tables kept per account and Region beside the keys are announced with
        :meth:`reaching_table`.
        """
        with self.lock:
            previous, self._watcher = self._watcher, watcher
            try:
                yield
            finally:
                self._watcher = previous

    def reaching_table(self, table: str, account: str, region: str) -> None:
        """Announces that the call under way may change ``table`` of an account/Region.

        For state kept per account and Region beside the keys (aliases, for example):
        call it before changing the table, as the key accessors do for keys.
        """
        if self._watcher is not None:
            self._watcher.table_reached(table, account, region)

    def _reaching(self, account: str, region: str, key_id: str) -> None:
        if self._watcher is not None:
            self._watcher.key_reached(account, region, key_id)

    def stored_key(self, account: str, region: str, key_id: str) -> Key | None:
        """The key stored under this address, as it is (no expiry applied, nothing told)."""
        with self.lock:
            return self._keys.get((account, region), {}).get(key_id)

    def reset(self) -> None:
        """Forgets every key and alias of every account and Region
        (``POST /_kmsimport_mock/reset``).

        Through :meth:`remove_key` and :meth:`remove_alias`, so a state store sees the reset
        as it sees any call. Settings and the secret that seals import tokens stay: a token
        issued before names a key that is gone, and is refused as such.
        """
        with self.lock:
            for keys in list(self._keys.values()):
                for key in list(keys.values()):
                    self.remove_key(key)
            for (account, region), named in list(self._aliases.items()):
                for name in list(named):
                    self.remove_alias(Caller(account, region), name)

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
            self._reaching(key.account, key.region, key.key_id)
            self._keys.setdefault((key.account, key.region), {})[key.key_id] = key

    def remove_key(self, key: Key) -> None:
        """Forgets a key at once (the key's deletion date is the usual way out).

        Deleting a KMS key deletes its aliases too.
        """
        with self.lock:
            if self._stored(key):
                self._reaching(key.account, key.region, key.key_id)
                del self._keys[(key.account, key.region)][key.key_id]
                for alias in self.aliases_of(key):
                    self.remove_alias(Caller(key.account, key.region), alias.name)

    # --- aliases -----------------------------------------------------------------------

    def aliases(self, caller: Caller) -> dict[str, Alias]:
        """The caller's aliases by name (read only: change them with add/remove_alias).

        A Region without aliases answers an empty dict without keeping one, so that a call
        that fails leaves the backend exactly as it was.
        """
        return self._aliases.get((caller.account, caller.region), {})

    def current_aliases(self, caller: Caller) -> dict[str, Alias]:
        """The caller's aliases by name, once the deletions that time has done are applied."""
        with self.lock:
            now = utcnow()
            for key in list(self.store(caller).values()):
                self.refresh(key, now)
            return self.aliases(caller)

    def add_alias(self, caller: Caller, alias: Alias) -> None:
        """Adds an alias, or replaces the one of the same name."""
        with self.lock:
            self.reaching_table(ALIAS_TABLE, caller.account, caller.region)
            self._aliases.setdefault((caller.account, caller.region), {})[alias.name] = alias

    def remove_alias(self, caller: Caller, name: str) -> None:
        with self.lock:
            self.reaching_table(ALIAS_TABLE, caller.account, caller.region)
            place = (caller.account, caller.region)
            del self._aliases[place][name]
            if not self._aliases[place]:
                del self._aliases[place]

    def alias_table(self, account: str, region: str) -> list[Alias]:
        """The aliases of one account and Region (for keeping the state)."""
        with self.lock:
            return list(self._aliases.get((account, region), {}).values())

    def replace_alias_table(self, account: str, region: str, aliases: list[Alias]) -> None:
        """Puts back the aliases of one account and Region as :meth:`alias_table` gave them."""
        with self.lock:
            if aliases:
                self._aliases[(account, region)] = {alias.name: alias for alias in aliases}
            else:
                self._aliases.pop((account, region), None)

    def all_aliases(self) -> list[tuple[Caller, Alias]]:
        """Every alias with the account and Region it lives in (for saving the state)."""
        with self.lock:
            now = utcnow()
            for keys in list(self._keys.values()):
                for key in list(keys.values()):
                    self.refresh(key, now)
            return [
                (Caller(account, region), alias)
                for (account, region), named in self._aliases.items()
                for alias in named.values()
            ]

    def aliases_of(self, key: Key) -> list[Alias]:
        """The aliases naming ``key``, by name."""
        named = self._aliases.get((key.account, key.region), {})
        return sorted(
            (alias for alias in named.values() if alias.target_key_id == key.key_id),
            key=lambda alias: alias.name,
        )

    def alias_arn_for(self, caller: Caller, name: str) -> str:
        return alias_arn(caller.partition, caller.region, caller.account, name)

    # --- key lookup and time -----------------------------------------------------------

    def store(self, caller: Caller) -> dict[str, Key]:
        return self._keys.setdefault((caller.account, caller.region), {})

    def resolve(self, caller: Caller, key_ref: str, *, aliases: bool = True) -> Key:
        """The caller's key named by a key ID or key ARN, as AWS resolves it.

        With ``aliases`` (the default, as for DescribeKey and the cryptographic operations),
        an alias name or alias ARN names the key the alias points to. Operations whose API
        reference takes a key ID or key ARN only (the import operations, EnableKey,
        ScheduleKeyDeletion, the tag and key policy operations, ...) pass ``aliases=False``
        and answer an alias with NotFoundException, as if no such alias existed.
        """
        by_arn = key_ref.startswith("arn:")
        if by_arn:
            parsed_alias = parse_alias_arn(key_ref)
            if parsed_alias is not None:
                if not aliases:
                    raise kms_errors.alias_not_found(key_ref)
                return self._resolve_alias_arn(caller, key_ref, parsed_alias)
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
            found = self._alias_target(caller, key_ref) if aliases else None
            if found is None:
                raise kms_errors.alias_not_found(self.alias_arn_for(caller, key_ref))
            return found
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

    def _resolve_alias_arn(self, caller: Caller, alias_arn_ref: str, parsed: AliasArn) -> Key:
        if parsed.region != caller.region:
            # CHOSEN: as for a key ARN of another Region (recorded for DescribeKey).
            raise kms_errors.arn_of_other_region(parsed.region)
        found = None
        if parsed.account == caller.account and parsed.partition == caller.partition:
            found = self._alias_target(caller, parsed.alias_name)
        if found is None:
            raise kms_errors.alias_not_found(alias_arn_ref)
        return found

    def _alias_target(self, caller: Caller, name: str) -> Key | None:
        """The live key an alias of the caller's points to, if the alias exists."""
        alias = self.aliases(caller).get(name)
        if alias is None:
            return None
        key = self.store(caller).get(alias.target_key_id)
        if key is None or not self.refresh(key, utcnow()):
            # The key's deletion has just happened, and its aliases went with it.
            return None
        return key

    def key_of_other_account(self, caller: Caller, key_ref: str) -> Key | None:
        """The key a key ARN or alias ARN names in another account of the caller's Region.

        Only for the operations AWS allows across accounts (DescribeKey); everything else
        resolves keys in the caller's own account.
        """
        key_arn_parts = parse_key_arn(key_ref)
        alias_arn_parts = parse_alias_arn(key_ref)
        if key_arn_parts is not None:
            partition, region, account, key_id = key_arn_parts
        elif alias_arn_parts is not None:
            partition, region, account, name = alias_arn_parts
            alias = self._aliases.get((account, region), {}).get(name)
            if alias is None:
                return None
            key_id = alias.target_key_id
        else:
            return None
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
        self._reaching(key.account, key.region, key.key_id)
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
        if key.rotation_enabled and key.primary_arn is None:
            rotate_if_due(key, self.replicas_of(key) if key.multi_region else [], now)
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
        meta: Response = {
            "AWSAccountId": key.account,
            "KeyId": key.key_id,
            "Arn": key.arn,
            "CreationDate": key.creation_date,
            "Enabled": key.state == "Enabled",
            "Description": key.description,
            "KeyState": key.state,
            "Origin": key.origin,
            "KeyManager": "CUSTOMER",
            **key_spec_fields(key),
            "MultiRegion": key.multi_region,
        }
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
        key = self._keys.get((account, region), {}).get(key_id)
        if key is not None:
            self._reaching(account, region, key_id)
        return key


def _well_formed(key_id: str) -> bool:
    return bool(_UUID.fullmatch(key_id) or _MRK_ID.fullmatch(key_id))


def key_spec_fields(key: Key) -> Response:
    """What DescribeKey and GetPublicKey both show of a key's spec: the spec (and the
    deprecated CustomerMasterKeySpec where its enum has the spec), the usage, and the
    algorithm lists KMS gives the spec in that usage."""
    algorithms = key.spec.usages[key.key_usage]
    fields: Response = {"KeySpec": key.key_spec, "KeyUsage": key.key_usage}
    if key.key_spec in LEGACY_CUSTOMER_MASTER_KEY_SPECS:
        # Key specs added after CustomerMasterKeySpec was deprecated do not carry it.
        fields["CustomerMasterKeySpec"] = key.key_spec
    for name, values in (
        ("EncryptionAlgorithms", algorithms.encryption),
        ("SigningAlgorithms", algorithms.signing),
        ("MacAlgorithms", algorithms.mac),
        ("KeyAgreementAlgorithms", algorithms.key_agreement),
    ):
        if values:
            fields[name] = list(values)
    return fields


__all__ = ["ChangeWatcher", "KmsBackend", "key_spec_fields"]
