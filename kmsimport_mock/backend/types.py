"""The backend's light values: who makes a request, and what operations take and give.

They live apart from the store so that every layer (interception, transports, the moto
bridge) can import them at the top without loading the store, its crypto and its pool.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .arns import key_arn
from .key_specs import partition_for_region

# What an operation takes: the request's values, already checked against the API's shapes
# by the protocol layer (``bytes`` for blobs, aware ``datetime`` for timestamps).
Params = Mapping[str, Any]
# What an operation gives: the response's fields, in the same Python values.
Response = dict[str, Any]

# moto's default account, so that both mocks agree on who calls without configuration.
DEFAULT_ACCOUNT_ID = "123456789012"
# On-demand rotations allowed per key. AWS's guides say 10, 25 or 50; the API reference
# (botocore's model) says 25.
DEFAULT_ON_DEMAND_ROTATION_LIMIT = 25
# How long a new replica stays Creating, by the mock's clock. AWS: "a few seconds", and its
# ReplicateKey answer always shows Creating; a test that does not wait opts out with 0.
DEFAULT_REPLICA_CREATION_DELAY = _dt.timedelta(seconds=3)


@dataclass(frozen=True)
class Caller:
    """Who makes a request, and where: the account and Region a key is looked up in."""

    account: str
    region: str

    @property
    def partition(self) -> str:
        return partition_for_region(self.region)

    def key_arn(self, key_id: str) -> str:
        return key_arn(self.partition, self.region, self.account, key_id)


__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_ON_DEMAND_ROTATION_LIMIT",
    "DEFAULT_REPLICA_CREATION_DELAY",
    "Caller",
    "Params",
    "Response",
]
