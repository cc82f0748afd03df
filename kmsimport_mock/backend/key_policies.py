"""Key policies: the default one, and the checks a policy given to KMS must pass.

The mock stores key policies and returns them; it does not evaluate them (no call is ever
refused because a policy does not allow it).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from . import kms_errors
from .types import Params

POLICY_NAME = "default"
# The quota "Key policy document size": 32 KB. Longer ones (up to the model's 131072
# characters) get a LimitExceededException, as the API reference says.
MAX_POLICY_BYTES = 32 * 1024
_EFFECTS = frozenset({"Allow", "Deny"})
# The model's PolicyType pattern. Smithy patterns are not anchored, so the protocol layer's
# search accepts a policy with one allowed character anywhere; the API reference says a key
# policy "can include only" these.
_POLICY_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
_POLICY_CHARACTERS = re.compile("[\t\n\r\x20-\xff]+")


# Every CreateKey without a Policy asks for one; accounts and partitions are few.
@functools.lru_cache(maxsize=256)
def default_key_policy(account: str, partition: str) -> str:
    """The default key policy KMS gives a key created without one through the API.

    It trusts the account's root principal with every KMS action, so IAM policies of the
    account decide who may use the key.
    """
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        },
        indent=2,
    )


def checked_policy(policy: str) -> str:
    """``policy`` if KMS would take it as a key policy; else the error KMS answers.

    Checked: the size quota, that it is a JSON object with a Statement, and that each
    statement has an Effect of Allow or Deny and a principal (the API reference: "Each
    statement in the key policy must contain one or more principals"). Missing Action or
    Resource elements are accepted, as KMS accepts them. The characters allowed are the
    model's pattern, as a whole. Not checked: that the principals exist,
    and the lockout safety check (BypassPolicyLockoutSafetyCheck changes nothing here).
    """
    if not _POLICY_CHARACTERS.fullmatch(policy):
        raise kms_errors.policy_characters(policy, _POLICY_PATTERN)
    if len(policy.encode("utf-8")) > MAX_POLICY_BYTES:
        raise kms_errors.policy_too_large(MAX_POLICY_BYTES)
    try:
        document = json.loads(policy)
    except ValueError:
        raise kms_errors.malformed_policy("it is not valid JSON.") from None
    if not isinstance(document, dict):
        raise kms_errors.malformed_policy("it is not a JSON object.")
    if "Statement" not in document:
        raise kms_errors.malformed_policy("it has no Statement.")
    statements = document["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        raise kms_errors.malformed_policy("its Statement is neither a statement nor a list.")
    for statement in statements:
        _check_statement(statement)
    return policy


def _check_statement(statement: Any) -> None:
    if not isinstance(statement, dict):
        raise kms_errors.malformed_policy("a statement is not a JSON object.")
    if statement.get("Effect") not in _EFFECTS:
        raise kms_errors.malformed_policy("a statement has no Effect of Allow or Deny.")
    if "Principal" not in statement and "NotPrincipal" not in statement:
        raise kms_errors.malformed_policy("a statement has no Principal.")


def check_policy_name(params: Params) -> None:
    """GetKeyPolicy and PutKeyPolicy take only the policy name "default" (also the default)."""
    name = params.get("PolicyName", POLICY_NAME)
    if name != POLICY_NAME:
        raise kms_errors.policy_not_found(name)
