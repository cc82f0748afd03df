"""UpdateKeyDescription, and the Description DescribeKey shows."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from kms_testing import create_external_key, error_of


@pytest.fixture
def key(kms: Any) -> Any:
    return kms.create_key(Description="first")["KeyMetadata"]


def _description(kms: Any, key_id: str) -> str:
    text: str = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"]
    return text


def test_create_key_without_a_description_describes_an_empty_one(kms: Any) -> None:
    assert _description(kms, kms.create_key()["KeyMetadata"]["KeyId"]) == ""


def test_update_key_description_changes_what_describe_key_shows(kms: Any, key: Any) -> None:
    response = kms.update_key_description(KeyId=key["Arn"], Description="second")
    assert response.keys() == {"ResponseMetadata"}
    assert _description(kms, key["KeyId"]) == "second"


def test_update_key_description_to_an_empty_description(kms: Any, key: Any) -> None:
    kms.update_key_description(KeyId=key["KeyId"], Description="")
    assert _description(kms, key["KeyId"]) == ""


def test_update_key_description_of_disabled_and_pending_import_keys_succeeds(
    kms: Any, key: Any
) -> None:
    kms.disable_key(KeyId=key["KeyId"])
    pending = create_external_key(kms)
    for key_id in (key["KeyId"], pending["KeyId"]):
        kms.update_key_description(KeyId=key_id, Description="changed")
        assert _description(kms, key_id) == "changed"


def test_update_key_description_of_a_key_pending_deletion_is_refused(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.update_key_description(KeyId=key["KeyId"], Description="late")
    assert error_of(raised) == ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")
    assert _description(kms, key["KeyId"]) == "first"


def test_update_key_description_of_an_unknown_key_is_refused(kms: Any) -> None:
    key_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.update_key_description(KeyId=key_id, Description="x")
    assert (
        error_of(raised)[1]
        == f"Key 'arn:aws:kms:eu-west-1:123456789012:key/{key_id}' does not exist"
    )


def test_update_key_description_over_8192_characters_is_a_validation_error(
    kms: Any, key: Any
) -> None:
    with pytest.raises(ClientError) as raised:
        kms.update_key_description(KeyId=key["KeyId"], Description="d" * 8193)
    assert error_of(raised)[0] == "ValidationException"
    assert _description(kms, key["KeyId"]) == "first"


def test_describe_key_of_an_external_key_shows_the_fields_aws_shows(kms: Any) -> None:
    # Recorded case 1: the fields of an EXTERNAL key before its import.
    meta = create_external_key(kms, Description="byok")
    assert {
        name: meta[name]
        for name in ("Enabled", "Description", "KeyManager", "MultiRegion", "KeyState", "Origin")
    } == {
        "Enabled": False,
        "Description": "byok",
        "KeyManager": "CUSTOMER",
        "MultiRegion": False,
        "KeyState": "PendingImport",
        "Origin": "EXTERNAL",
    }
    assert "KeyRotationStatus" not in meta
