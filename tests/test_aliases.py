"""Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases, and alias names and alias ARNs
as KeyId where AWS takes them (DescribeKey, the cryptographic operations), not in the
operations whose API reference takes key IDs and key ARNs only."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from kms_testing import REGION, create_external_key, error_of, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend import operations
from kmsimport_mock.backend.kms_errors import KmsError
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.backend.types import Caller
from kmsimport_mock.protocol import kms_service_model

ACCOUNT = "123456789012"
START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def alias_arn(name: str, region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:aws:kms:{region}:{account}:{name}"


@pytest.fixture
def key(kms: Any) -> Any:
    return kms.create_key()["KeyMetadata"]


def _aliases(kms: Any, **params: Any) -> Any:
    return kms.list_aliases(**params)["Aliases"]


# --- CreateAlias ------------------------------------------------------------------------------


def test_create_alias_is_listed_with_arn_target_and_dates(kms: Any, key: Any) -> None:
    with time_machine.travel(START, tick=False):
        assert kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"]).keys() == {
            "ResponseMetadata"
        }
        (entry,) = _aliases(kms)
    assert entry == {
        "AliasName": "alias/app",
        "AliasArn": alias_arn("alias/app"),
        "TargetKeyId": key["KeyId"],
        "CreationDate": START,
        "LastUpdatedDate": START,
    }


def test_create_alias_with_a_key_arn_targets_the_key_id(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/by-arn", TargetKeyId=key["Arn"])
    assert _aliases(kms)[0]["TargetKeyId"] == key["KeyId"]


def test_create_alias_of_an_existing_name_is_refused(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    other = kms.create_key()["KeyMetadata"]
    with pytest.raises(kms.exceptions.AlreadyExistsException) as raised:
        kms.create_alias(AliasName="alias/app", TargetKeyId=other["KeyId"])
    assert error_of(raised) == (
        "AlreadyExistsException",
        f"An alias with the name {alias_arn('alias/app')} already exists",
    )
    assert [a["TargetKeyId"] for a in _aliases(kms)] == [key["KeyId"]]


def test_one_alias_name_can_exist_in_each_region(kms: Any, key: Any, make_client: Any) -> None:
    other_region = make_client("us-east-1")
    other_key = other_region.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    other_region.create_alias(AliasName="alias/app", TargetKeyId=other_key["KeyId"])
    assert other_region.describe_key(KeyId="alias/app")["KeyMetadata"]["Arn"] == other_key["Arn"]
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["Arn"] == key["Arn"]


def test_a_key_can_have_several_aliases(kms: Any, key: Any) -> None:
    for name in ("alias/a", "alias/b"):
        kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    assert [a["AliasName"] for a in _aliases(kms, KeyId=key["KeyId"])] == ["alias/a", "alias/b"]


def test_create_alias_without_the_alias_prefix_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_alias(AliasName="app", TargetKeyId=key["KeyId"])
    assert error_of(raised) == (
        "ValidationException",
        'Alias must start with the prefix "alias/". Please see '
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
    )
    assert _aliases(kms) == []


def test_create_alias_under_the_reserved_aws_prefix_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_alias(AliasName="alias/aws/ebs", TargetKeyId=key["KeyId"])
    assert error_of(raised) == ("NotAuthorizedException", "")
    assert _aliases(kms) == []


def test_alias_named_alias_aws_without_a_slash_is_not_reserved(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/aws", TargetKeyId=key["KeyId"])
    assert [a["AliasName"] for a in _aliases(kms)] == ["alias/aws"]


@pytest.mark.parametrize("name", ["alias/", "alias/a:b"])
def test_create_alias_with_a_name_the_api_reference_rules_out_is_refused(
    kms: Any, key: Any, name: str
) -> None:
    with pytest.raises(kms.exceptions.InvalidAliasNameException) as raised:
        kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    assert error_of(raised) == (
        "InvalidAliasNameException",
        f"{name} is not a valid alias name. An alias name is alias/ followed by alphanumeric "
        "characters, forward slashes (/), underscores (_) and dashes (-).",
    )


def test_create_alias_with_characters_outside_the_model_pattern_is_a_validation_error(
    kms: Any, key: Any
) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_alias(AliasName="alias/a b", TargetKeyId=key["KeyId"])
    assert error_of(raised) == (
        "ValidationException",
        "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    )


def test_create_alias_of_an_unknown_key_is_refused(kms: Any) -> None:
    key_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.create_alias(AliasName="alias/app", TargetKeyId=key_id)
    assert error_of(raised) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}' does not exist",
    )


def test_create_alias_targeting_another_alias_is_refused(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/first", TargetKeyId=key["KeyId"])
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.create_alias(AliasName="alias/second", TargetKeyId="alias/first")
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/first')} is not found.",
    )


def test_create_alias_for_a_key_pending_deletion_is_refused(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    assert error_of(raised) == ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")


def test_create_alias_for_disabled_and_pending_import_keys_succeeds(kms: Any, key: Any) -> None:
    kms.disable_key(KeyId=key["KeyId"])
    pending = create_external_key(kms)
    kms.create_alias(AliasName="alias/disabled", TargetKeyId=key["KeyId"])
    kms.create_alias(AliasName="alias/pending", TargetKeyId=pending["KeyId"])
    assert len(_aliases(kms)) == 2


def test_a_key_can_have_at_most_50_aliases(kms: Any, key: Any) -> None:
    for number in range(50):
        kms.create_alias(AliasName=f"alias/a{number}", TargetKeyId=key["KeyId"])
    with pytest.raises(kms.exceptions.LimitExceededException) as raised:
        kms.create_alias(AliasName="alias/one-too-many", TargetKeyId=key["KeyId"])
    assert error_of(raised) == (
        "LimitExceededException",
        f"The key {key['Arn']} already has 50 aliases, the most it can have.",
    )


# --- UpdateAlias ------------------------------------------------------------------------------


def test_update_alias_moves_it_to_another_key_and_dates_the_change(kms: Any, key: Any) -> None:
    other = kms.create_key()["KeyMetadata"]
    with time_machine.travel(START, tick=False) as traveller:
        kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
        traveller.shift(dt.timedelta(hours=1))
        kms.update_alias(AliasName="alias/app", TargetKeyId=other["Arn"])
        (entry,) = _aliases(kms)
    assert (entry["TargetKeyId"], entry["CreationDate"], entry["LastUpdatedDate"]) == (
        other["KeyId"],
        START,
        START + dt.timedelta(hours=1),
    )
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == other["KeyId"]


def test_update_alias_of_an_unknown_alias_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.update_alias(AliasName="alias/missing", TargetKeyId=key["KeyId"])
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/missing')} is not found.",
    )


@pytest.mark.parametrize(
    ("key_spec", "key_usage"),
    [("HMAC_256", "GENERATE_VERIFY_MAC"), ("RSA_2048", "ENCRYPT_DECRYPT")],
)
def test_update_alias_to_a_key_of_another_type_is_refused(
    kms: Any, key: Any, key_spec: str, key_usage: str
) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    other = kms.create_key(KeySpec=key_spec, KeyUsage=key_usage)["KeyMetadata"]
    with pytest.raises(ClientError) as raised:
        kms.update_alias(AliasName="alias/app", TargetKeyId=other["KeyId"])
    assert error_of(raised) == (
        "ValidationException",
        f"{other['Arn']} cannot be the target of this alias: its key type or key usage differs "
        f"from that of the alias's current target {key['Arn']}.",
    )
    assert _aliases(kms)[0]["TargetKeyId"] == key["KeyId"]


def test_update_alias_to_a_key_of_the_same_type_with_another_usage_is_refused(kms: Any) -> None:
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    encrypting = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    kms.create_alias(AliasName="alias/rsa", TargetKeyId=signing["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.update_alias(AliasName="alias/rsa", TargetKeyId=encrypting["KeyId"])
    assert error_of(raised)[0] == "ValidationException"


def test_update_alias_between_asymmetric_keys_of_other_specs_succeeds(kms: Any) -> None:
    rsa = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    kms.create_alias(AliasName="alias/signer", TargetKeyId=rsa["KeyId"])
    kms.update_alias(AliasName="alias/signer", TargetKeyId=ecc["KeyId"])
    assert _aliases(kms)[0]["TargetKeyId"] == ecc["KeyId"]


def test_update_alias_away_from_a_key_pending_deletion_succeeds(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    other = kms.create_key()["KeyMetadata"]
    kms.update_alias(AliasName="alias/app", TargetKeyId=other["KeyId"])
    assert _aliases(kms)[0]["TargetKeyId"] == other["KeyId"]


def test_update_alias_to_a_key_pending_deletion_is_refused(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    doomed = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=doomed["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.update_alias(AliasName="alias/app", TargetKeyId=doomed["KeyId"])
    assert error_of(raised) == (
        "KMSInvalidStateException",
        f"{doomed['Arn']} is pending deletion.",
    )


def test_update_alias_under_the_reserved_aws_prefix_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.update_alias(AliasName="alias/aws/ebs", TargetKeyId=key["KeyId"])
    assert error_of(raised) == ("NotAuthorizedException", "")


# --- DeleteAlias ------------------------------------------------------------------------------


def test_delete_alias_removes_it_and_leaves_the_key(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    kms.delete_alias(AliasName="alias/app")
    assert _aliases(kms) == []
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_delete_alias_of_an_unknown_alias_is_refused(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.delete_alias(AliasName="alias/missing")
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/missing')} is not found.",
    )


def test_delete_alias_without_the_alias_prefix_is_refused(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.delete_alias(AliasName="app")
    assert error_of(raised)[0] == "ValidationException"


def test_delete_alias_of_a_key_pending_deletion_succeeds(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    kms.delete_alias(AliasName="alias/app")
    assert _aliases(kms) == []


# --- aliases and the key's deletion -------------------------------------------------------------


def test_aliases_of_a_key_pending_deletion_stay_until_it_is_deleted(kms: Any, key: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        traveller.move_to(START + dt.timedelta(days=7) - dt.timedelta(seconds=1))
        assert [a["AliasName"] for a in _aliases(kms)] == ["alias/app"]
        traveller.move_to(START + dt.timedelta(days=7))
        assert _aliases(kms) == []
        with pytest.raises(kms.exceptions.NotFoundException) as raised:
            kms.describe_key(KeyId="alias/app")
    assert error_of(raised)[1] == f"Alias {alias_arn('alias/app')} is not found."


def test_the_name_of_a_deleted_keys_alias_can_be_used_again(kms: Any, key: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        traveller.move_to(START + dt.timedelta(days=8))
        new = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/app", TargetKeyId=new["KeyId"])
        assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyId"] == new["KeyId"]


# --- ListAliases ------------------------------------------------------------------------------


def test_list_aliases_with_key_id_lists_only_that_keys_aliases(kms: Any, key: Any) -> None:
    other = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/mine", TargetKeyId=key["KeyId"])
    kms.create_alias(AliasName="alias/other", TargetKeyId=other["KeyId"])
    for key_ref in (key["KeyId"], key["Arn"]):
        assert [a["AliasName"] for a in _aliases(kms, KeyId=key_ref)] == ["alias/mine"]


def test_list_aliases_with_an_unknown_key_id_is_refused(kms: Any) -> None:
    key_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.list_aliases(KeyId=key_id)
    assert (
        error_of(raised)[1] == f"Key 'arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}' does not exist"
    )


def test_list_aliases_pages_by_limit_and_marker_in_name_order(kms: Any, key: Any) -> None:
    for name in ("alias/c", "alias/a", "alias/b"):
        kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    first = kms.list_aliases(Limit=2)
    assert ([a["AliasName"] for a in first["Aliases"]], first["Truncated"]) == (
        ["alias/a", "alias/b"],
        True,
    )
    second = kms.list_aliases(Limit=2, Marker=first["NextMarker"])
    assert ([a["AliasName"] for a in second["Aliases"]], second["Truncated"]) == (
        ["alias/c"],
        False,
    )
    assert "NextMarker" not in second


def test_list_aliases_answers_at_most_100_per_page(kms: Any, key: Any) -> None:
    keys = [key, *(kms.create_key()["KeyMetadata"] for _ in range(2))]
    for number in range(101):
        kms.create_alias(AliasName=f"alias/a{number:03}", TargetKeyId=keys[number % 3]["KeyId"])
    response = kms.list_aliases(Limit=1000)
    assert (len(response["Aliases"]), response["Truncated"]) == (100, True)
    assert len(kms.list_aliases()["Aliases"]) == 50


def test_list_aliases_with_an_unknown_marker_is_refused(kms: Any) -> None:
    with pytest.raises(kms.exceptions.InvalidMarkerException) as raised:
        kms.list_aliases(Marker="alias/nothing")
    assert error_of(raised) == ("InvalidMarkerException", "The marker is not valid.")


def test_list_aliases_lists_only_the_callers_region(kms: Any, key: Any, make_client: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    assert make_client("us-east-1").list_aliases()["Aliases"] == []


# --- aliases as KeyId -------------------------------------------------------------------------


def test_describe_key_by_alias_name_and_alias_arn(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    for key_ref in ("alias/app", alias_arn("alias/app")):
        assert kms.describe_key(KeyId=key_ref)["KeyMetadata"] == key


def test_describe_key_by_an_unknown_alias_is_refused(kms: Any) -> None:
    for key_ref in ("alias/missing", alias_arn("alias/missing")):
        with pytest.raises(kms.exceptions.NotFoundException) as raised:
            kms.describe_key(KeyId=key_ref)
        assert error_of(raised) == (
            "NotFoundException",
            f"Alias {alias_arn('alias/missing')} is not found.",
        )


def test_describe_key_by_an_alias_arn_of_another_region_is_refused(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.describe_key(KeyId=alias_arn("alias/app", region="us-east-1"))
    assert error_of(raised) == ("NotFoundException", "Invalid arn us-east-1")


def test_describe_key_by_an_alias_arn_of_another_account_is_denied(
    kms: Any, key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    with pytest.raises(ClientError) as raised:
        kms.describe_key(KeyId=alias_arn("alias/app"))
    assert error_of(raised) == (
        "AccessDeniedException",
        "User: arn:aws:iam::333333333333:root is not authorized to perform: kms:DescribeKey on "
        f"resource: {key['Arn']} because no resource-based policy allows the kms:DescribeKey "
        "action",
    )


def test_an_alias_names_a_disabled_key_with_its_state(kms: Any, key: Any) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId="alias/app")["KeyMetadata"]["KeyState"] == "Disabled"


@pytest.fixture
def aliased_external_key(kms: Any) -> Any:
    key = create_external_key(kms)
    kms.create_alias(AliasName="alias/byok", TargetKeyId=key["KeyId"])
    return key


@pytest.mark.parametrize("key_ref", ["alias/byok", alias_arn("alias/byok")])
def test_get_parameters_for_import_refuses_an_alias(
    kms: Any, aliased_external_key: Any, key_ref: str
) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.get_parameters_for_import(
            KeyId=key_ref, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/byok')} is not found.",
    )


def test_import_key_material_refuses_an_alias(kms: Any, aliased_external_key: Any) -> None:
    params = kms.get_parameters_for_import(
        KeyId=aliased_external_key["KeyId"],
        WrappingAlgorithm="RSAES_OAEP_SHA_256",
        WrappingKeySpec="RSA_2048",
    )
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.import_key_material(
            KeyId="alias/byok",
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=b"\x00" * 256,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/byok')} is not found.",
    )


def test_delete_imported_key_material_refuses_an_alias(
    kms: Any, aliased_external_key: Any, kms_import: KmsImportMock
) -> None:
    import_material(kms, aliased_external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.delete_imported_key_material(KeyId="alias/byok")
    assert kms_import.key_state(aliased_external_key["KeyId"]) == "Enabled"


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("enable_key", {}),
        ("disable_key", {}),
        ("schedule_key_deletion", {"PendingWindowInDays": 7}),
        ("cancel_key_deletion", {}),
        ("list_key_rotations", {}),
        ("rotate_key_on_demand", {}),
        ("update_key_description", {"Description": "x"}),
        ("tag_resource", {"Tags": [{"TagKey": "k", "TagValue": "v"}]}),
        ("untag_resource", {"TagKeys": ["k"]}),
        ("list_resource_tags", {}),
        ("get_key_policy", {}),
        ("put_key_policy", {"Policy": '{"Statement": []}'}),
        ("list_key_policies", {}),
        ("list_aliases", {}),
    ],
)
def test_operations_taking_key_ids_and_arns_only_refuse_an_alias(
    kms: Any, key: Any, operation: str, params: dict[str, Any]
) -> None:
    kms.create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        getattr(kms, operation)(KeyId="alias/app", **params)
    assert error_of(raised) == (
        "NotFoundException",
        f"Alias {alias_arn('alias/app')} is not found.",
    )


def test_inspect_key_shows_the_keys_aliases(kms: Any, key: Any, kms_import: KmsImportMock) -> None:
    for name in ("alias/b", "alias/a"):
        kms.create_alias(AliasName=name, TargetKeyId=key["KeyId"])
    assert kms_import.inspect_key(key["KeyId"]).aliases == ("alias/a", "alias/b")


# --- which operations follow aliases: a guard for every served operation -----------------------

# The API reference (botocore's model) says "key ID, key ARN, alias name, or alias ARN" for
# these key members.
ALIAS_MEMBERS = {
    ("Decrypt", "KeyId"),
    ("DeriveSharedSecret", "KeyId"),
    ("DescribeKey", "KeyId"),
    ("Encrypt", "KeyId"),
    ("GenerateDataKey", "KeyId"),
    ("GenerateDataKeyPair", "KeyId"),
    ("GenerateDataKeyPairWithoutPlaintext", "KeyId"),
    ("GenerateDataKeyWithoutPlaintext", "KeyId"),
    ("GetPublicKey", "KeyId"),
    ("ReEncrypt", "DestinationKeyId"),
    ("ReEncrypt", "SourceKeyId"),
    ("Sign", "KeyId"),
    ("Verify", "KeyId"),
    # The model says nothing either way for the MAC operations; they are cryptographic
    # operations, which CreateAlias's reference says aliases name keys in.
    ("GenerateMac", "KeyId"),
    ("VerifyMac", "KeyId"),
}
KEY_MEMBERS = ("KeyId", "TargetKeyId", "SourceKeyId", "DestinationKeyId")
# Values that get a request past the checks made before its key is resolved.
PASSING_VALUES: dict[str, Any] = {
    "AliasName": "alias/guard-name",
    "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
    "WrappingKeySpec": "RSA_2048",
    "Policy": '{"Statement": []}',
    "ReplicaRegion": "us-east-1",
}
# Optional members without which an operation refuses the request before it looks the key up.
EXTRA_VALUES: dict[str, dict[str, Any]] = {
    "GenerateDataKey": {"NumberOfBytes": 32},
    "GenerateDataKeyWithoutPlaintext": {"NumberOfBytes": 32},
}
# Operations that read their ciphertext before the key: they get a real one.
NEEDS_CIPHERTEXT = {"Decrypt", "ReEncrypt"}
# Resolved only after checks no generic value passes (the import token is opened first);
# test_import_key_material_refuses_an_alias covers it.
RESOLVED_LATE = {("ImportKeyMaterial", "KeyId")}


def _minimal(shape: Any) -> Any:
    """A value of a botocore shape that passes the model's own constraints."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return {name: _minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return []
    if kind == "string":
        return shape.enum[0] if shape.enum else "x" * max(meta.get("min", 1), 1)
    if kind == "blob":
        return b"x" * max(meta.get("min", 1), 1)
    if kind in ("integer", "long"):
        return max(meta.get("min", 1), 1)
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    return None


def _key_members() -> list[tuple[str, str]]:

    model = kms_service_model()
    return [
        (operation, member)
        for operation in sorted(operations.served())
        if (shape := model.operation_model(operation).input_shape) is not None
        for member in KEY_MEMBERS
        if member in shape.members and (operation, member) not in RESOLVED_LATE
    ]


@pytest.mark.parametrize(("operation", "member"), _key_members())
def test_served_operation_follows_aliases_exactly_where_the_api_reference_takes_them(
    kms_import: KmsImportMock, monkeypatch: pytest.MonkeyPatch, operation: str, member: str
) -> None:

    seen: list[bool] = []
    resolve = KmsBackend.resolve

    def recording(self: KmsBackend, caller: Caller, key_ref: str, **kwargs: Any) -> Any:
        if key_ref == "alias/guard":
            seen.append(kwargs.get("aliases", True))
        return resolve(self, caller, key_ref, **kwargs)

    caller = Caller(ACCOUNT, REGION)
    if operation == "UpdateAlias":
        key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["KeyId"]
        operations.call(
            kms_import.backend,
            caller,
            "CreateAlias",
            {"AliasName": PASSING_VALUES["AliasName"], "TargetKeyId": key_id},
        )
    extra = dict(EXTRA_VALUES.get(operation, {}))
    if operation in NEEDS_CIPHERTEXT:
        kms = boto3.client("kms", region_name=REGION)
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        extra["CiphertextBlob"] = kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
        if operation == "ReEncrypt":
            extra["DestinationKeyId"] = key_id  # resolved before the source key
    monkeypatch.setattr(KmsBackend, "resolve", recording)
    shape = kms_service_model().operation_model(operation).input_shape
    params = {**_minimal(shape), member: "alias/guard"}
    params.update((name, value) for name, value in PASSING_VALUES.items() if name in params)
    params.update(extra)
    params[member] = "alias/guard"
    # Whether the call succeeds does not matter here: only how it resolved its key.
    with contextlib.suppress(KmsError):
        operations.call(kms_import.backend, caller, operation, params)
    assert seen, f"{operation} did not resolve {member}; give this test the params it needs"
    assert set(seen) == {(operation, member) in ALIAS_MEMBERS}
