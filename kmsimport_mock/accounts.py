"""Which AWS account a request acts as.

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

import inspect
import os
import re
import threading
from typing import Any

from .backend import DEFAULT_ACCOUNT_ID

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

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._accounts)


def access_key_id(request_signer: Any) -> str | None:
    """The access key id a client would sign this request with, or None (unsigned, unknown).

    botocore's refreshable credentials refresh on access, as signing would. aiobotocore's
    refreshable credentials refuse synchronous access (their refresh is a coroutine), so
    the last key they hold is read instead of refreshing.
    """
    credentials = getattr(request_signer, "_credentials", None)
    if credentials is None:
        return None
    try:
        value = credentials.access_key
    except Exception:
        value = getattr(credentials, "_access_key", None)
    if inspect.iscoroutine(value):
        # Never awaited here: close it so no "never awaited" warning leaks into the test.
        value.close()
        value = getattr(credentials, "_access_key", None)
    return value if isinstance(value, str) and value else None


def account_for(request_signer: Any, accounts: AccessKeyAccounts | None) -> str:
    """The account a request acts as (see the module docstring for the order)."""
    from_environment = os.environ.get(ACCOUNT_ENVIRONMENT_VARIABLE)
    if from_environment:
        return from_environment
    # Credentials are not touched unless a test mapped an access key.
    return _mapped_account(access_key_id(request_signer) if accounts else None, accounts)


def account_for_access_key(access_key_id: str | None, accounts: AccessKeyAccounts | None) -> str:
    """The account of a request signed with ``access_key_id`` (HTTP callers pass the key
    from the SigV4 credential scope)."""
    return os.environ.get(ACCOUNT_ENVIRONMENT_VARIABLE) or _mapped_account(access_key_id, accounts)


def _mapped_account(access_key_id: str | None, accounts: AccessKeyAccounts | None) -> str:
    mapped = accounts.get(access_key_id) if accounts else None
    return DEFAULT_ACCOUNT_ID if mapped is None else mapped
