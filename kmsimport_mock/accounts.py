"""Which AWS account a request acts as (for every transport: botocore, HTTP, requests).

Real AWS knows the account from the request's credentials. The mock cannot look
credentials up, so a test tells it, in the order moto uses:

1. ``MOTO_ACCOUNT_ID`` in the environment, read on every request (as moto reads it);
2. the account mapped to the request's access key id with
   :meth:`~kmsimport_mock.KmsImportMock.map_access_key`;
3. ``123456789012``, moto's default account.

Only the access key id is ever read from the credentials, and it is never logged or
kept: the secret key and the session token are not touched.
"""

from __future__ import annotations

import os
import re
import threading

from .backend.types import DEFAULT_ACCOUNT_ID

ACCOUNT_ENVIRONMENT_VARIABLE = "MOTO_ACCOUNT_ID"
_ACCOUNT_ID = re.compile(r"^\d{12}$")


class AccessKeyAccounts:
    """Access key id → account id, as a test declares it. Safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, str] = {}

    def map(self, access_key_id: str, account_id: str) -> None:
        if not isinstance(access_key_id, str) or not access_key_id:
            raise ValueError("access_key_id must be a non-empty string")
        if not isinstance(account_id, str) or not _ACCOUNT_ID.match(account_id):
            raise ValueError(f"account_id must be 12 digits, got {account_id!r}")
        with self._lock:
            self._accounts[access_key_id] = account_id

    def unmap(self, access_key_id: str) -> None:
        with self._lock:
            self._accounts.pop(access_key_id, None)

    def clear(self) -> None:
        with self._lock:
            self._accounts.clear()

    def get(self, access_key_id: str | None) -> str | None:
        if access_key_id is None:
            return None
        with self._lock:
            return self._accounts.get(access_key_id)

    def __len__(self) -> int:
        return len(self._accounts)


def account_for_access_key(access_key_id: str | None, accounts: AccessKeyAccounts | None) -> str:
    """The account of a request signed with ``access_key_id`` (HTTP callers pass the key
    from the SigV4 credential scope)."""
    return os.environ.get(ACCOUNT_ENVIRONMENT_VARIABLE) or mapped_account(access_key_id, accounts)


def mapped_account(access_key_id: str | None, accounts: AccessKeyAccounts | None) -> str:
    mapped = accounts.get(access_key_id) if accounts else None
    return DEFAULT_ACCOUNT_ID if mapped is None else mapped
