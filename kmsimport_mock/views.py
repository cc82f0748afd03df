"""What the inspection API shows of a key: frozen snapshots, safe to keep after the mock
stops (the backend's own objects are not handed out)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeyMaterialView:
    """One key material of a key, as the mock holds it."""

    key_material_id: str
    state: str  # CURRENT, NON_CURRENT, PENDING_ROTATION, ...
    imported: bool
    expiration_model: str | None
    valid_to: _dt.datetime | None
    description: str | None


@dataclass(frozen=True)
class KeyView:
    """What the mock knows about one KMS key, for assertions in tests."""

    key_id: str
    arn: str
    account: str
    region: str
    key_spec: str
    key_usage: str
    origin: str
    key_state: str
    materials: tuple[KeyMaterialView, ...]
    description: str = ""
    # Tag key -> tag value, a copy of the key's tags.
    tags: dict[str, str] = field(default_factory=dict)
    # The names ("alias/...") of the aliases pointing to the key, sorted.
    aliases: tuple[str, ...] = ()
