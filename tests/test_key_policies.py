"""Key policies: the default policy, Policy on CreateKey and ReplicateKey, GetKeyPolicy,
PutKeyPolicy and ListKeyPolicies. Policies are stored and returned, never enforced."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from kms_testing import error_of

from kmsimport_mock import KmsImportMock

ACCOUNT = "123456789012"


def policy(principal: str = f"arn:aws:iam::{ACCOUNT}:root", **statement: Any) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": "kms:*",
                    "Resource": "*",
                    **statement,
                }
            ],
        }
    )


@pytest.fixture
def key(kms: Any) -> Any:
    return kms.create_key()["KeyMetadata"]


def _policy(kms: Any, key_id: str) -> str:
    text: str = kms.get_key_policy(KeyId=key_id)["Policy"]
    return text


# --- the default key policy ---------------------------------------------------------------------


def test_a_key_created_without_a_policy_gets_the_default_key_policy(kms: Any, key: Any) -> None:
    response = kms.get_key_policy(KeyId=key["KeyId"])
    assert response["PolicyName"] == "default"
    assert json.loads(response["Policy"]) == {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def test_the_default_key_policy_names_the_root_of_the_keys_account_and_partition(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    china = make_client("cn-north-1")
    key_id = china.create_key()["KeyMetadata"]["KeyId"]
    statement = json.loads(_policy(china, key_id))["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws-cn:iam::333333333333:root"}


def test_get_key_policy_with_policy_name_default_answers_the_policy(kms: Any, key: Any) -> None:
    response = kms.get_key_policy(KeyId=key["Arn"], PolicyName="default")
    assert response["Policy"] == _policy(kms, key["KeyId"])


def test_get_key_policy_with_another_policy_name_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.get_key_policy(KeyId=key["KeyId"], PolicyName="other")
    assert error_of(raised) == (
        "NotFoundException",
        "No key policy named other exists. The only key policy is default.",
    )


def test_get_key_policy_of_an_unknown_key_is_refused(kms: Any) -> None:
    key_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.get_key_policy(KeyId=key_id)
    assert (
        error_of(raised)[1] == f"Key 'arn:aws:kms:eu-west-1:{ACCOUNT}:key/{key_id}' does not exist"
    )


# --- Policy on CreateKey ------------------------------------------------------------------------


def test_create_key_keeps_the_given_policy_as_written(kms: Any) -> None:
    given = policy(Sid="Mine")
    key_id = kms.create_key(Policy=given)["KeyMetadata"]["KeyId"]
    assert _policy(kms, key_id) == given


def test_create_key_accepts_bypass_policy_lockout_safety_check(kms: Any) -> None:
    given = policy(principal="arn:aws:iam::111122223333:role/other")
    key_id = kms.create_key(Policy=given, BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"]
    assert _policy(kms, key_id["KeyId"]) == given


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("{not json", "it is not valid JSON."),
        ("[]", "it is not a JSON object."),
        ('{"Version": "2012-10-17"}', "it has no Statement."),
        ('{"Statement": "everything"}', "its Statement is neither a statement nor a list."),
        ('{"Statement": ["allow"]}', "a statement is not a JSON object."),
        (policy(Effect="Permit"), "a statement has no Effect of Allow or Deny."),
        ('{"Statement": {"Effect": "Allow", "Action": "kms:*"}}', "a statement has no Principal."),
    ],
)
def test_create_key_with_a_malformed_policy_is_refused_and_makes_no_key(
    kms: Any, kms_import: KmsImportMock, given: str, problem: str
) -> None:
    with pytest.raises(kms.exceptions.MalformedPolicyDocumentException) as raised:
        kms.create_key(Policy=given)
    assert error_of(raised) == (
        "MalformedPolicyDocumentException",
        f"The policy is not syntactically or semantically correct: {problem}",
    )
    assert kms_import.key_ids() == []


def test_create_key_with_a_policy_statement_missing_action_and_resource_succeeds(
    kms: Any,
) -> None:
    # The API reference: such a statement has no effect, but CreateKey succeeds.
    given = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*"}]})
    key_id = kms.create_key(Policy=given)["KeyMetadata"]["KeyId"]
    assert _policy(kms, key_id) == given


def test_create_key_with_a_policy_over_32_kb_is_refused(
    kms: Any, kms_import: KmsImportMock
) -> None:
    given = policy(Sid="x" * 32 * 1024)
    with pytest.raises(kms.exceptions.LimitExceededException) as raised:
        kms.create_key(Policy=given)
    assert error_of(raised) == (
        "LimitExceededException",
        "The key policy is larger than 32768 bytes, the most allowed.",
    )
    assert kms_import.key_ids() == []


def test_a_policy_of_exactly_32_kb_is_accepted(kms: Any) -> None:
    padding = 32 * 1024 - len(policy(Sid=""))
    given = policy(Sid="x" * padding)
    assert len(given.encode()) == 32 * 1024
    key_id = kms.create_key(Policy=given)["KeyMetadata"]["KeyId"]
    assert _policy(kms, key_id) == given


def test_a_policy_with_characters_outside_latin_1_is_a_validation_error(
    kms: Any, kms_import: KmsImportMock
) -> None:
    given = policy().replace("kms:*", "kms:\u20ac")
    with pytest.raises(ClientError) as raised:
        kms.create_key(Policy=given)
    assert error_of(raised) == (
        "ValidationException",
        f"1 validation error detected: Value '{given}' at 'policy' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    )
    assert kms_import.key_ids() == []


def test_a_policy_with_latin_1_characters_is_accepted(kms: Any) -> None:
    given = policy().replace("kms:*", "kms:*\u00e9")
    key_id = kms.create_key(Policy=given)["KeyMetadata"]["KeyId"]
    assert _policy(kms, key_id) == given


# --- PutKeyPolicy -------------------------------------------------------------------------------


def test_put_key_policy_replaces_the_policy(kms: Any, key: Any) -> None:
    given = policy(Sid="Replaced")
    assert kms.put_key_policy(KeyId=key["Arn"], Policy=given).keys() == {"ResponseMetadata"}
    assert _policy(kms, key["KeyId"]) == given


def test_put_key_policy_accepts_policy_name_default_and_the_bypass_flag(kms: Any, key: Any) -> None:
    given = policy(principal="arn:aws:iam::111122223333:root")
    kms.put_key_policy(
        KeyId=key["KeyId"], PolicyName="default", Policy=given, BypassPolicyLockoutSafetyCheck=True
    )
    assert _policy(kms, key["KeyId"]) == given


def test_put_key_policy_with_a_malformed_policy_is_refused_and_keeps_the_old(
    kms: Any, key: Any
) -> None:
    before = _policy(kms, key["KeyId"])
    with pytest.raises(kms.exceptions.MalformedPolicyDocumentException):
        kms.put_key_policy(KeyId=key["KeyId"], Policy="{")
    assert _policy(kms, key["KeyId"]) == before


def test_put_key_policy_with_a_policy_over_32_kb_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.LimitExceededException):
        kms.put_key_policy(KeyId=key["KeyId"], Policy=policy(Sid="x" * 40000))


def test_put_key_policy_with_another_policy_name_is_refused(kms: Any, key: Any) -> None:
    before = _policy(kms, key["KeyId"])
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.put_key_policy(KeyId=key["KeyId"], PolicyName="extra", Policy=policy())
    assert (
        error_of(raised)[1] == "No key policy named extra exists. The only key policy is default."
    )
    assert _policy(kms, key["KeyId"]) == before


def test_put_key_policy_on_a_key_pending_deletion_succeeds(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    kms.put_key_policy(KeyId=key["KeyId"], Policy=policy(Sid="Late"))
    assert json.loads(_policy(kms, key["KeyId"]))["Statement"][0]["Sid"] == "Late"


def test_a_policy_that_denies_everything_is_not_enforced(kms: Any, key: Any) -> None:
    kms.put_key_policy(
        KeyId=key["KeyId"],
        Policy=policy(Effect="Deny", Principal="*"),
        BypassPolicyLockoutSafetyCheck=True,
    )
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


# --- ListKeyPolicies ----------------------------------------------------------------------------


def test_list_key_policies_lists_the_default_policy(kms: Any, key: Any) -> None:
    response = kms.list_key_policies(KeyId=key["KeyId"])
    assert (response["PolicyNames"], response["Truncated"]) == (["default"], False)
    assert "NextMarker" not in response


def test_list_key_policies_with_limit_and_marker(kms: Any, key: Any) -> None:
    response = kms.list_key_policies(KeyId=key["KeyId"], Limit=1, Marker="default")
    assert (response["PolicyNames"], response["Truncated"]) == (["default"], False)


def test_list_key_policies_with_an_unknown_marker_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.InvalidMarkerException) as raised:
        kms.list_key_policies(KeyId=key["KeyId"], Marker="other")
    assert error_of(raised) == ("InvalidMarkerException", "The marker is not valid.")


def test_list_key_policies_of_an_unknown_key_is_refused(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.list_key_policies(KeyId="00000000-0000-0000-0000-000000000000")


# --- ReplicateKey -------------------------------------------------------------------------------


def test_replicate_key_without_a_policy_gives_the_replica_the_default_policy(
    kms: Any, make_client: Any
) -> None:
    primary = kms.create_key(MultiRegion=True, Policy=policy(Sid="Primary"))["KeyMetadata"]
    kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="us-east-1")
    replica_policy = json.loads(_policy(make_client("us-east-1"), primary["KeyId"]))
    assert replica_policy["Id"] == "key-default-1"


def test_replicate_key_with_a_malformed_policy_is_refused_and_makes_no_replica(
    kms: Any, kms_import: KmsImportMock
) -> None:
    primary = kms.create_key(MultiRegion=True)["KeyMetadata"]
    with pytest.raises(kms.exceptions.MalformedPolicyDocumentException):
        kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="us-east-1", Policy="nope")
    assert kms_import.key_ids() == [primary["KeyId"]]
