"""RotateKeyOnDemand: imported (EXTERNAL) and KMS-generated symmetric keys."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from kms_testing import create_external_key, error_of, import_material, key_with_pending_material

from kmsimport_mock import KmsImportMock

START = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


def _meta(kms: Any, key_id: str) -> Any:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]


def _entries(kms: Any, key_id: str) -> dict[str, Any]:
    rotations = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    return {r["KeyMaterialId"]: r for r in rotations["Rotations"]}


def test_rotation_answers_with_the_key_arn(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    assert kms.rotate_key_on_demand(KeyId=key_id)["KeyId"] == _meta(kms, key_id)["Arn"]


def test_rotation_makes_the_pending_material_current_at_once(kms: Any) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    assert _meta(kms, key_id)["CurrentKeyMaterialId"] == pending


def test_rotation_makes_the_previous_material_non_current(kms: Any) -> None:
    key_id, previous, _ = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    assert _entries(kms, key_id)[previous]["KeyMaterialState"] == "NON_CURRENT"


def test_rotated_material_records_an_on_demand_rotation_date(kms: Any) -> None:
    with time_machine.travel(START, tick=False):
        key_id, _, pending = key_with_pending_material(kms)
        kms.rotate_key_on_demand(KeyId=key_id)
        entry = _entries(kms, key_id)[pending]
    assert (entry["RotationDate"], entry["RotationType"]) == (START, "ON_DEMAND")


def test_mock_serves_the_rotated_material_as_current(kms: Any, kms_import: KmsImportMock) -> None:
    key_id = create_external_key(kms)["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    new = os.urandom(32)
    import_material(kms, key_id, new, ImportType="NEW_KEY_MATERIAL")
    kms.rotate_key_on_demand(KeyId=key_id)
    assert kms_import.key_material(key_id) == new


def test_key_can_take_new_material_again_after_a_rotation(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    third = import_material(kms, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    assert _entries(kms, key_id)[third["KeyMaterialId"]]["KeyMaterialState"] == "PENDING_ROTATION"


def test_rotation_without_pending_material_is_refused(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], os.urandom(32))
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=external_key["KeyId"])
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"No available key material pending rotation for the key: {external_key['Arn']}.",
    )


def test_rotation_of_a_key_pending_import_is_refused(kms: Any, external_key: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=external_key["KeyId"])
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"{external_key['Arn']} is pending import.",
    )


def test_rotation_of_a_key_whose_current_material_was_deleted_is_refused(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    kms.delete_imported_key_material(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo)[1].endswith(" is pending import.")


def test_rotation_of_an_asymmetric_key_is_unsupported_with_an_empty_message(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="RSA_4096", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo) == ("UnsupportedOperationException", "")
    assert "message" not in excinfo.value.response


def test_recorded_case_32_rotation_of_a_disabled_rsa_key_is_disabled_before_unsupported(
    kms: Any,
) -> None:
    # recorded-aws.md case 32: the key state is checked before the key spec.
    meta = kms.create_key(KeySpec="RSA_4096", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=meta["KeyId"])
    assert error_of(excinfo) == ("DisabledException", f"{meta['Arn']} is disabled.")


def test_rotation_of_an_rsa_key_pending_import_is_pending_import_before_unsupported(
    kms: Any,
) -> None:
    meta = create_external_key(kms, "RSA_2048")
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=meta["KeyId"])
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{meta['Arn']} is pending import.")


def test_rotation_of_an_hmac_key_pending_deletion_is_pending_deletion_before_unsupported(
    kms: Any,
) -> None:
    meta = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=meta["KeyId"])
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{meta['Arn']} is pending deletion.")


def test_rotation_of_an_imported_hmac_key_is_unsupported(kms: Any) -> None:
    key_id = create_external_key(kms, "HMAC_256")["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo)[0] == "UnsupportedOperationException"


def test_rotation_of_a_disabled_key_is_refused(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo) == ("DisabledException", f"{_meta(kms, key_id)['Arn']} is disabled.")


def test_rotation_of_a_key_pending_deletion_is_refused(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    kms.schedule_key_deletion(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"{_meta(kms, key_id)['Arn']} is pending deletion.",
    )


def test_rotation_of_an_unknown_key_is_not_found(kms: Any) -> None:
    key_id = "0b7fd7a2-5b6d-4ad6-9d6e-8a1b5e0c7d11"
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:eu-west-1:123456789012:key/{key_id}' does not exist",
    )


def test_failed_rotation_changes_nothing(kms: Any) -> None:
    key_id, current, pending = key_with_pending_material(kms)
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError):
        kms.rotate_key_on_demand(KeyId=key_id)
    states = {k: v["KeyMaterialState"] for k, v in _entries(kms, key_id).items()}
    assert states == {current: "CURRENT", pending: "PENDING_ROTATION"}


def test_kms_generated_key_rotates_to_new_material(kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]
    kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert _meta(kms, key["KeyId"])["CurrentKeyMaterialId"] != key["CurrentKeyMaterialId"]


def test_25_on_demand_rotations_are_allowed_per_key(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for _ in range(25):
        kms.rotate_key_on_demand(KeyId=key_id)
    assert len(kms.list_key_rotations(KeyId=key_id)["Rotations"]) == 25


def test_rotation_beyond_the_limit_is_refused(kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]
    for _ in range(25):
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert error_of(excinfo) == (
        "LimitExceededException",
        "The on-demand rotations limit has been reached for the given keyId. No more on-demand "
        f"rotations can be performed for this key: {key['Arn']}",
    )


def test_rotation_limit_can_be_set_on_the_mock(kms: Any, kms_import: KmsImportMock) -> None:
    kms_import.on_demand_rotation_limit = 1
    key_id, _, _ = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    import_material(kms, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo)[0] == "LimitExceededException"


def test_rotation_limit_set_before_start_applies() -> None:
    mock = KmsImportMock()
    mock.on_demand_rotation_limit = 0
    with mock:
        kms = boto3.client("kms", region_name="eu-west-1")
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        with pytest.raises(ClientError) as excinfo:
            kms.rotate_key_on_demand(KeyId=key_id)
    assert error_of(excinfo)[0] == "LimitExceededException"
