"""The state the backend keeps for one KMS key and its key materials."""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field

from .key_specs import KEY_SPECS, KeySpecInfo

# KeyMaterialState values.
CURRENT = "CURRENT"
NON_CURRENT = "NON_CURRENT"
PENDING_ROTATION = "PENDING_ROTATION"
PENDING_MULTI_REGION_IMPORT_AND_ROTATION = "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
PENDING_STATES = frozenset({PENDING_ROTATION, PENDING_MULTI_REGION_IMPORT_AND_ROTATION})

EXPIRES = "KEY_MATERIAL_EXPIRES"
DOES_NOT_EXPIRE = "KEY_MATERIAL_DOES_NOT_EXPIRE"


def key_material_id(key_id: str, material: bytes) -> str:
    """The 64-hex id AWS gives a material: a hash of key and material.

    AWS does not publish its construction; any deterministic hash of (key ID, material) is
    consistent with the documentation. Using the key ID (not the ARN) gives related
    multi-Region keys the same id for the same material, as AWS requires.
    """
    digest = hashlib.sha256()
    digest.update(b"kmsimport_mock key material id\x00")
    digest.update(key_id.encode())
    digest.update(b"\x00")
    digest.update(material)
    return digest.hexdigest()


@dataclass
class KeyMaterial:
    """One key material associated with a key, imported or (after deletion/expiry) not."""

    material_id: str
    state: str  # a KeyMaterialState value
    # None while not imported (deleted or expired). Left out of repr, like ``reference``:
    # a Key in a failing assertion or a log line must not print someone's key.
    plaintext: bytes | None = field(repr=False)
    expiration_model: str | None = None
    valid_to: _dt.datetime | None = None
    description: str | None = None
    rotation_date: _dt.datetime | None = None
    rotation_type: str | None = None
    # The material as first imported; kept after deletion so a later reimport can be
    # checked against it (AWS keeps the association, not the bytes, but the mock needs
    # the bytes to compare asymmetric keys encoded differently).
    reference: bytes = field(default=b"", repr=False)

    @property
    def imported(self) -> bool:
        return self.plaintext is not None

    def remove(self) -> None:
        """Deletes the material itself; the association with the key stays."""
        self.plaintext = None
        self.expiration_model = None
        self.valid_to = None

    @property
    def permanent(self) -> bool:
        """Permanently associated: CURRENT or NON_CURRENT, as opposed to pending rotation."""
        return self.state not in PENDING_STATES


@dataclass
class Key:
    key_id: str
    arn: str
    account: str
    region: str
    creation_date: _dt.datetime
    description: str
    key_spec: str
    key_usage: str
    origin: str
    multi_region: bool
    state: str
    tags: list[dict[str, str]] = field(default_factory=list)
    policy: str | None = None
    deletion_date: _dt.datetime | None = None
    pending_window_days: int | None = None
    materials: list[KeyMaterial] = field(default_factory=list)
    # For multi-Region keys: the primary's ARN and the replicas' ARNs (on the primary).
    primary_arn: str | None = None
    replica_arns: list[str] = field(default_factory=list)
    on_demand_rotations: int = 0
    # Automatic rotation (EnableKeyRotation): set on a single-Region key or a multi-Region
    # primary, which rotates its replicas with it. The next date is kept while the key is
    # Disabled or PendingDeletion; rotation waits until the key is Enabled again.
    rotation_enabled: bool = False
    rotation_period_days: int | None = None
    next_rotation_date: _dt.datetime | None = None
    # A new replica is Creating until this time (by the mock's clock), then PendingImport
    # (EXTERNAL) or Enabled; see KmsBackend.replica_creation_delay.
    creating_until: _dt.datetime | None = None

    @property
    def is_replica(self) -> bool:
        return self.primary_arn is not None

    @property
    def spec(self) -> KeySpecInfo:
        return KEY_SPECS[self.key_spec]

    @property
    def is_symmetric(self) -> bool:
        return self.key_spec == "SYMMETRIC_DEFAULT"

    @property
    def current_material(self) -> KeyMaterial | None:
        for material in self.materials:
            if material.state == CURRENT:
                return material
        return None

    @property
    def only_material(self) -> KeyMaterial | None:
        """The material of an HMAC or asymmetric key, which can have only one."""
        return self.materials[0] if self.materials else None

    @property
    def pending_material(self) -> KeyMaterial | None:
        for material in self.materials:
            if material.state in PENDING_STATES:
                return material
        return None

    def material_by_id(self, material_id: str) -> KeyMaterial | None:
        for material in self.materials:
            if material.material_id == material_id:
                return material
        return None

    @property
    def has_all_permanent_material(self) -> bool:
        permanent = [m for m in self.materials if m.permanent]
        return bool(permanent) and all(m.imported for m in permanent)

    @property
    def earliest_valid_to(self) -> _dt.datetime | None:
        dates = [
            m.valid_to
            for m in self.materials
            if m.permanent and m.imported and m.valid_to is not None
        ]
        return min(dates) if dates else None


@dataclass
class Alias:
    """A KMS alias: a name in one account and Region for one customer managed key.

    Aliases are not properties of their key (DescribeKey does not show them); the backend
    keeps them per account and Region, by name.
    """

    name: str  # with its "alias/" prefix
    target_key_id: str
    creation_date: _dt.datetime
    last_updated_date: _dt.datetime
