"""Several materials in one symmetric key: ImportType, KeyMaterialId, KeyMaterialDescription,
and what DescribeKey shows when a key has more than one material."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time
from kms_testing import (
    create_external_key,
    error_of,
    import_material,
    key_with_pending_material,
)

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.model import key_material_id

NEW = {"ImportType": "NEW_KEY_MATERIAL"}
EXISTING = {"ImportType": "EXISTING_KEY_MATERIAL"}
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _current_id(kms: Any, key_id: str) -> str:
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"])


def _states(kms: Any, key_id: str) -> dict[str, str]:
    rotations = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    return {r["KeyMaterialId"]: r["KeyMaterialState"] for r in rotations["Rotations"]}


# --- ImportType ---------------------------------------------------------------------------


def test_first_import_without_import_type_becomes_current(kms: Any, external_key: Any) -> None:
    material_id = import_material(kms, external_key["KeyId"], os.urandom(32))["KeyMaterialId"]
    assert _current_id(kms, external_key["KeyId"]) == material_id


def test_first_import_with_new_key_material_becomes_current(kms: Any, external_key: Any) -> None:
    material_id = import_material(kms, external_key["KeyId"], os.urandom(32), **NEW)
    assert _current_id(kms, external_key["KeyId"]) == material_id["KeyMaterialId"]


def test_existing_key_material_into_a_key_that_never_had_any_is_incorrect(
    kms: Any, external_key: Any
) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32), **EXISTING)
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_new_key_material_is_pending_rotation_and_not_current(kms: Any, external_key: Any) -> None:
    key_id = external_key["KeyId"]
    first = import_material(kms, key_id, os.urandom(32))["KeyMaterialId"]
    second = import_material(kms, key_id, os.urandom(32), **NEW)
    assert second["KeyId"] == external_key["Arn"]
    assert _current_id(kms, key_id) == first
    assert _states(kms, key_id)[second["KeyMaterialId"]] == "PENDING_ROTATION"


def test_second_pending_material_is_refused_with_both_ids(kms: Any) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    third = os.urandom(32)
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, key_id, third, **NEW)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"New key material (id: {key_material_id(key_id, third)}) cannot be imported into KMS "
        f"key {arn}, because another key material (id: {pending}) is pending rotation.",
    )


def test_new_key_material_already_associated_with_the_key_is_incorrect(
    kms: Any, external_key: Any
) -> None:
    material = os.urandom(32)
    import_material(kms, external_key["KeyId"], material)
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], material, **NEW)
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_omitted_import_type_after_the_first_import_means_existing_material(
    kms: Any, external_key: Any
) -> None:
    import_material(kms, external_key["KeyId"], os.urandom(32))
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32))
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_pending_material_can_be_reimported_to_change_its_expiry(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    material = kms_material(kms_import, key_id, pending)
    import_material(kms, key_id, material, ValidTo=valid_to, KeyMaterialId=pending)
    rotations = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    entry = next(r for r in rotations["Rotations"] if r["KeyMaterialId"] == pending)
    assert entry["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert entry["KeyMaterialState"] == "PENDING_ROTATION"


def kms_material(kms_import: KmsImportMock, key_id: str, material_id: str) -> bytes:
    """The plaintext of one material, read through the mock's inspection API."""
    plaintext = kms_import.key_material(key_id, material_id)
    assert plaintext is not None
    return plaintext


# --- KeyMaterialId ------------------------------------------------------------------------


def test_key_material_id_with_new_key_material_is_refused(kms: Any, external_key: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32), KeyMaterialId="a" * 64, **NEW)
    assert error_of(excinfo) == (
        "ValidationException",
        "KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL",
    )


def test_key_material_id_on_a_first_import_without_import_type_is_refused(
    kms: Any, external_key: Any
) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32), KeyMaterialId="a" * 64)
    assert error_of(excinfo)[0] == "ValidationException"


def test_matching_key_material_id_is_accepted_on_reimport(kms: Any, external_key: Any) -> None:
    material = os.urandom(32)
    first = import_material(kms, external_key["KeyId"], material)["KeyMaterialId"]
    again = import_material(kms, external_key["KeyId"], material, KeyMaterialId=first)
    assert again["KeyMaterialId"] == first


def test_key_material_id_of_other_material_is_incorrect(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id, current, pending = key_with_pending_material(kms)
    with pytest.raises(ClientError) as excinfo:
        import_material(
            kms, key_id, kms_material(kms_import, key_id, current), KeyMaterialId=pending
        )
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_key_material_id_not_associated_with_the_key_is_incorrect(
    kms: Any, external_key: Any
) -> None:
    key_id = external_key["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    stranger = os.urandom(32)
    with pytest.raises(ClientError) as excinfo:
        import_material(
            kms, key_id, stranger, KeyMaterialId=key_material_id(key_id, stranger), **EXISTING
        )
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_malformed_key_material_id_is_a_validation_error(kms: Any, external_key: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32), KeyMaterialId="Z" * 64)
    assert error_of(excinfo)[0] == "ValidationException"


# --- KeyMaterialDescription -----------------------------------------------------------------


def _description(kms: Any, key_id: str, material_id: str) -> str | None:
    rotations = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    entry = next(r for r in rotations["Rotations"] if r["KeyMaterialId"] == material_id)
    return entry.get("KeyMaterialDescription")


def test_description_is_kept_when_omitted_on_reimport(kms: Any, external_key: Any) -> None:
    key_id, material = external_key["KeyId"], os.urandom(32)
    first = import_material(kms, key_id, material, KeyMaterialDescription="HSM batch 7")
    import_material(kms, key_id, material)
    assert _description(kms, key_id, first["KeyMaterialId"]) == "HSM batch 7"


def test_description_is_replaced_when_given_on_reimport(kms: Any, external_key: Any) -> None:
    key_id, material = external_key["KeyId"], os.urandom(32)
    first = import_material(kms, key_id, material, KeyMaterialDescription="old")
    import_material(kms, key_id, material, KeyMaterialDescription="new")
    assert _description(kms, key_id, first["KeyMaterialId"]) == "new"


def test_description_of_new_key_material_is_stored(kms: Any, external_key: Any) -> None:
    key_id = external_key["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    pending = import_material(kms, key_id, os.urandom(32), KeyMaterialDescription="2027 key", **NEW)
    assert _description(kms, key_id, pending["KeyMaterialId"]) == "2027 key"


def test_description_outside_its_pattern_is_a_validation_error(kms: Any, external_key: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(kms, external_key["KeyId"], os.urandom(32), KeyMaterialDescription="$!")
    assert error_of(excinfo)[0] == "ValidationException"


# --- deleting one of several materials ------------------------------------------------------


def test_deleting_pending_material_keeps_the_key_enabled(kms: Any) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    response = kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=pending)
    assert response["KeyMaterialId"] == pending
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_deleted_pending_material_is_no_longer_associated(kms: Any) -> None:
    key_id, current, pending = key_with_pending_material(kms)
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=pending)
    assert _states(kms, key_id) == {current: "CURRENT"}


def test_other_new_material_can_replace_deleted_pending_material(kms: Any) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=pending)
    replacement = import_material(kms, key_id, os.urandom(32), **NEW)["KeyMaterialId"]
    assert _states(kms, key_id)[replacement] == "PENDING_ROTATION"


def test_delete_without_key_material_id_deletes_the_current_material(kms: Any) -> None:
    key_id, current, _ = key_with_pending_material(kms)
    response = kms.delete_imported_key_material(KeyId=key_id)
    assert response["KeyMaterialId"] == current
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_deleting_non_current_material_makes_the_key_pending_import(kms: Any) -> None:
    key_id, old, _ = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=old)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_reimporting_every_deleted_material_enables_the_key_again(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id, old, _ = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    material = kms_material(kms_import, key_id, old)
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=old)
    import_material(kms, key_id, material, **EXISTING)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_current_key_material_id_survives_deleting_a_rotated_key_material(kms: Any) -> None:
    key_id, _, new = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    kms.delete_imported_key_material(KeyId=key_id)
    assert _current_id(kms, key_id) == new


# --- DescribeKey ValidTo and expiry -----------------------------------------------------------


def _rotated_key_expiring(kms: Any, first_days: int, second_days: int) -> str:
    key_id = create_external_key(kms)["KeyId"]
    import_material(kms, key_id, os.urandom(32), ValidTo=START + dt.timedelta(days=first_days))
    import_material(
        kms, key_id, os.urandom(32), ValidTo=START + dt.timedelta(days=second_days), **NEW
    )
    kms.rotate_key_on_demand(KeyId=key_id)
    return key_id


def test_valid_to_is_the_earliest_expiry_of_permanent_materials(kms: Any) -> None:
    with time_machine.travel(START, tick=False):
        key_id = _rotated_key_expiring(kms, first_days=40, second_days=20)
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["ValidTo"] == START + dt.timedelta(days=20)


def test_valid_to_ignores_material_pending_rotation(kms: Any, external_key: Any) -> None:
    key_id = external_key["KeyId"]
    with time_machine.travel(START, tick=False):
        import_material(kms, key_id, os.urandom(32), ValidTo=START + dt.timedelta(days=30))
        import_material(kms, key_id, os.urandom(32), ValidTo=START + dt.timedelta(days=5), **NEW)
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["ValidTo"] == START + dt.timedelta(days=30)


def test_expiry_of_non_current_material_makes_the_key_pending_import(kms: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        key_id = _rotated_key_expiring(kms, first_days=10, second_days=300)
        traveller.shift(dt.timedelta(days=10))
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport"


def test_expiry_of_pending_material_keeps_the_key_enabled(kms: Any, external_key: Any) -> None:
    key_id = external_key["KeyId"]
    with time_machine.travel(START, tick=False) as traveller:
        current = import_material(kms, key_id, os.urandom(32))["KeyMaterialId"]
        import_material(kms, key_id, os.urandom(32), ValidTo=START + dt.timedelta(days=1), **NEW)
        traveller.shift(dt.timedelta(days=2))
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
        assert _states(kms, key_id) == {current: "CURRENT"}


def test_expired_key_shows_valid_to_of_the_remaining_material(kms: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        key_id = _rotated_key_expiring(kms, first_days=10, second_days=300)
        traveller.shift(dt.timedelta(days=11))
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["ValidTo"] == START + dt.timedelta(days=300)


def test_expiry_of_non_current_material_under_freezegun(kms: Any) -> None:
    with freeze_time(START) as frozen:
        key_id = _rotated_key_expiring(kms, first_days=3, second_days=300)
        frozen.tick(dt.timedelta(days=3))
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert (meta["KeyState"], meta["ValidTo"]) == ("PendingImport", START + dt.timedelta(days=300))
