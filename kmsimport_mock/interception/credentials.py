"""The account of a botocore request, from the access key id its client would sign with.

The order of precedence is the one of :mod:`kmsimport_mock.accounts`; this module only
finds the access key id in what botocore holds.
"""

from __future__ import annotations

import inspect
import os
from typing import Any

from ..accounts import ACCOUNT_ENVIRONMENT_VARIABLE, AccessKeyAccounts, mapped_account


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
    return mapped_account(access_key_id(request_signer) if accounts else None, accounts)
