"""Accounts, Regions, keys and the rules of KMS: no botocore, no HTTP, no moto.

Importing the package loads only its light values (:mod:`.types`); the store
(:mod:`.store`), the operations (:mod:`.operations`) and the crypto behind them load when a
mock starts.
"""

from .types import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_ON_DEMAND_ROTATION_LIMIT,
    Caller,
    Params,
    Response,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_ON_DEMAND_ROTATION_LIMIT",
    "Caller",
    "Params",
    "Response",
]
