"""Key policies: GetKeyPolicy, PutKeyPolicy and ListKeyPolicies.

Stored and returned, never enforced (see :mod:`kmsimport_mock.backend.key_policies`).
"""

from __future__ import annotations

from ..key_policies import POLICY_NAME, check_policy_name, checked_policy, default_key_policy
from ..store import KmsBackend
from ..types import Caller, Params, Response
from .paging import page

# ListKeyPolicies: "between 1 and 1000, inclusive. If you do not include a value, it
# defaults to 100."
DEFAULT_LIST_LIMIT = 100


def get_key_policy(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    check_policy_name(params)
    with backend.lock:
        # The key-state table allows GetKeyPolicy, PutKeyPolicy and ListKeyPolicies in
        # every key state.
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        # Keys saved by an earlier version may have no policy stored: theirs is the default.
        policy = key.policy or default_key_policy(key.account, caller.partition)
        return {"Policy": policy, "PolicyName": POLICY_NAME}


def put_key_policy(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    check_policy_name(params)
    policy = checked_policy(params["Policy"])
    # BypassPolicyLockoutSafetyCheck is accepted and changes nothing: the mock runs no
    # lockout safety check, as it evaluates no policy.
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        key.policy = policy
        return {}


def list_key_policies(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        backend.resolve(caller, params["KeyId"], aliases=False)
    chosen, fields = page(
        [POLICY_NAME], params, lambda name: name, default_limit=DEFAULT_LIST_LIMIT
    )
    return {"PolicyNames": chosen, **fields}
