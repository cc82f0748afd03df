"""After moto answered: bridge the EXTERNAL keys it has just made."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from botocore.model import OperationModel
from botocore.parsers import create_parser

from .. import protocol
from ..backend.arns import parse_key_arn
from . import bridged_key, key_creation, shadow_keys

if TYPE_CHECKING:
    from ..backend.store import KmsBackend

_parser = create_parser("json")


def after_call(
    backend: KmsBackend | None, model: OperationModel, status: int, parsed: dict[str, Any]
) -> None:
    """Fixes up what moto answered: bridges the EXTERNAL keys it has just made."""
    key_creation.after_moto()
    if status >= 300:
        return
    for name in ("KeyMetadata", "ReplicaKeyMetadata"):
        meta = parsed.get(name)
        if backend is not None and isinstance(meta, dict) and meta.get("Origin") == "EXTERNAL":
            fresh = _bridged_metadata(backend, meta)
            if fresh is not None:
                parsed[name] = fresh


def _bridged_metadata(backend: KmsBackend, meta: dict[str, Any]) -> dict[str, Any] | None:
    """KeyMetadata of one of moto's EXTERNAL keys, bridged first if need be."""
    arn = parse_key_arn(str(meta.get("Arn", "")))
    if arn is None:
        return None
    keys = shadow_keys.moto_keys(arn.account, arn.region)
    moto_key = keys.get(arn.key_id) if keys is not None else None
    if moto_key is None:
        return None  # not moto's key: our backend answered
    if bridged_key.link_of(moto_key) is None and not shadow_keys.adopt(backend, moto_key):
        return None
    body = json.dumps({"KeyMetadata": moto_key.to_dict()["KeyMetadata"]}).encode()
    shape = protocol.kms_service_model().operation_model("DescribeKey").output_shape
    answer = _parser.parse({"headers": {}, "status_code": 200, "body": body}, shape)
    fresh: dict[str, Any] = answer["KeyMetadata"]
    return fresh
