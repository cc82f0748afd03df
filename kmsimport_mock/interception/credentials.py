"""The account of a botocore request, from the access key id its client would sign with.

The order of precedence is the one of :mod:`kmsimport_mock.accounts`; this module only
finds the access key id in what botocore holds, and never makes botocore fetch or refresh
credentials: reading ``credentials.access_key`` of refreshable credentials refreshes them
when they are due, and that runs their source (AssumeRole against STS, the SSO portal, a
container or instance metadata endpoint, a ``credential_process``) — a request to AWS,
from a test. Deferred credentials (assume-role and web-identity profiles, before their first
use) hold no key at all until then.
"""

from __future__ import annotations

import os
from typing import Any

from ..accounts import ACCOUNT_ENVIRONMENT_VARIABLE, AccessKeyAccounts, mapped_account
from ..errors import CredentialsNotResolved


def access_key_id(request_signer: Any) -> str | None:
    """The access key id a client's credentials hold now, or None for an unsigned client.

    Reads only instance attributes, never a property: botocore's plain ``Credentials`` keep
    ``access_key`` as an attribute; refreshable ones (botocore's and aiobotocore's) keep
    the key they last fetched in ``_access_key`` behind a refreshing property. A key that
    is due for refresh is still the key those credentials hold, and the one to map.

    Raises :class:`~kmsimport_mock.CredentialsNotResolved` when the credentials hold no key
    yet (or are of a kind that holds none the mock can read without calling anything).
    """
    credentials = getattr(request_signer, "_credentials", None)
    if credentials is None:
        return None
    held = getattr(credentials, "__dict__", {})
    value = held.get("access_key")
    if value is None:
        value = held.get("_access_key")
    if isinstance(value, str) and value:
        return value
    method = held.get("method")
    raise CredentialsNotResolved(method if isinstance(method, str) else None)


def account_for(request_signer: Any, accounts: AccessKeyAccounts | None) -> str:
    """The account a request acts as (see the module docstring for the order)."""
    from_environment = os.environ.get(ACCOUNT_ENVIRONMENT_VARIABLE)
    if from_environment:
        return from_environment
    # Credentials are not touched unless a test mapped an access key.
    return mapped_account(access_key_id(request_signer) if accounts else None, accounts)
