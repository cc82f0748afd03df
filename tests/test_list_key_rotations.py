"""ListKeyRotations: which materials are listed, every entry field, and paging."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from kms_testing import create_external_key, error_of, import_material, key_with_pending_material

START = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
ALL = {"IncludeKeyMaterial": "ALL_KEY_MATERIAL"}


def _ids(response: Any) -> list[str]:
    return [entry["KeyMaterialId"] for entry in response["Rotations"]]


def _rotated_key(kms: Any) -> tuple[str, str, str]:
    key_id, first, second = key_with_pending_material(kms)
    kms.rotate_key_on_demand(KeyId=key_id)
    return key_id, first, second


def test_default_lists_only_materials_made_by_rotation(kms: Any) -> None:
    key_id, _, second = _rotated_key(kms)
    assert _ids(kms.list_key_rotations(KeyId=key_id)) == [second]


def test_rotations_only_omits_pending_material(kms: Any) -> None:
    key_id, _, _ = key_with_pending_material(kms)
    response = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ROTATIONS_ONLY")
    assert response["Rotations"] == []


def test_all_key_material_adds_the_first_and_the_pending_material(kms: Any) -> None:
    key_id, first, second = _rotated_key(kms)
    third = import_material(kms, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    response = kms.list_key_rotations(KeyId=key_id, **ALL)
    assert _ids(response) == [first, second, third["KeyMaterialId"]]


def test_entry_of_imported_expiring_material_has_every_import_field(
    kms: Any, external_key: Any
) -> None:
    key_id = external_key["KeyId"]
    with time_machine.travel(START, tick=False):
        valid_to = START + dt.timedelta(days=30)
        material_id = import_material(
            kms, key_id, os.urandom(32), ValidTo=valid_to, KeyMaterialDescription="first"
        )["KeyMaterialId"]
        [entry] = kms.list_key_rotations(KeyId=key_id, **ALL)["Rotations"]
    assert entry == {
        "KeyId": key_id,
        "KeyMaterialId": material_id,
        "KeyMaterialDescription": "first",
        "ImportState": "IMPORTED",
        "KeyMaterialState": "CURRENT",
        "ExpirationModel": "KEY_MATERIAL_EXPIRES",
        "ValidTo": valid_to,
    }


def test_material_that_does_not_expire_has_no_valid_to(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], os.urandom(32))
    [entry] = kms.list_key_rotations(KeyId=external_key["KeyId"], **ALL)["Rotations"]
    assert entry["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert "ValidTo" not in entry


def test_pending_material_has_no_rotation_date_or_type(kms: Any) -> None:
    key_id, _, pending = key_with_pending_material(kms)
    entries = kms.list_key_rotations(KeyId=key_id, **ALL)["Rotations"]
    entry = next(e for e in entries if e["KeyMaterialId"] == pending)
    assert "RotationDate" not in entry and "RotationType" not in entry


def test_first_material_has_no_rotation_date_or_type_after_rotation(kms: Any) -> None:
    key_id, first, _ = _rotated_key(kms)
    entries = kms.list_key_rotations(KeyId=key_id, **ALL)["Rotations"]
    entry = next(e for e in entries if e["KeyMaterialId"] == first)
    assert (entry["KeyMaterialState"], "RotationDate" in entry) == ("NON_CURRENT", False)


def test_deleted_material_is_listed_as_pending_import_without_expiration(kms: Any) -> None:
    key_id, first, _ = _rotated_key(kms)
    kms.delete_imported_key_material(KeyId=key_id, KeyMaterialId=first)
    entries = kms.list_key_rotations(KeyId=key_id, **ALL)["Rotations"]
    entry = next(e for e in entries if e["KeyMaterialId"] == first)
    assert entry["ImportState"] == "PENDING_IMPORT"
    assert "ExpirationModel" not in entry


def test_key_pending_import_lists_nothing(kms: Any, external_key: Any) -> None:
    response = kms.list_key_rotations(KeyId=external_key["KeyId"], **ALL)
    assert (response["Rotations"], response["Truncated"]) == ([], False)


def test_kms_generated_key_entries_have_no_import_fields(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with time_machine.travel(START, tick=False):
        kms.rotate_key_on_demand(KeyId=key_id)
        [entry] = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    assert set(entry) == {
        "KeyId",
        "KeyMaterialId",
        "KeyMaterialState",
        "RotationDate",
        "RotationType",
    }
    assert (entry["RotationDate"], entry["RotationType"]) == (START, "ON_DEMAND")


def test_key_arn_is_accepted(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], os.urandom(32))
    response = kms.list_key_rotations(KeyId=external_key["Arn"], **ALL)
    assert len(response["Rotations"]) == 1


def test_limit_truncates_and_marker_continues(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for _ in range(3):
        kms.rotate_key_on_demand(KeyId=key_id)
    first = kms.list_key_rotations(KeyId=key_id, Limit=2)
    rest = kms.list_key_rotations(KeyId=key_id, Limit=2, Marker=first["NextMarker"])
    assert (len(first["Rotations"]), first["Truncated"]) == (2, True)
    assert (len(rest["Rotations"]), rest["Truncated"], "NextMarker" in rest) == (1, False, False)


def test_paginator_walks_every_entry(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    for _ in range(5):
        kms.rotate_key_on_demand(KeyId=key_id)
    pages = kms.get_paginator("list_key_rotations").paginate(
        KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL", PaginationConfig={"PageSize": 2}
    )
    ids = [entry["KeyMaterialId"] for page in pages for entry in page["Rotations"]]
    assert len(ids) == len(set(ids)) == 6


def test_unknown_marker_is_invalid(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        kms.list_key_rotations(KeyId=key_id, Marker="not-a-marker")
    assert error_of(excinfo) == ("InvalidMarkerException", "The marker is not valid.")


def test_limit_above_1000_is_a_validation_error(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        kms.list_key_rotations(KeyId=key_id, Limit=1001)
    assert error_of(excinfo)[0] == "ValidationException"


def test_hmac_key_is_unsupported(kms: Any) -> None:
    key_id = create_external_key(kms, "HMAC_256")["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        kms.list_key_rotations(KeyId=key_id)
    assert error_of(excinfo) == ("UnsupportedOperationException", "")


def test_unknown_key_is_not_found(kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        kms.list_key_rotations(KeyId="0b7fd7a2-5b6d-4ad6-9d6e-8a1b5e0c7d11")
    assert error_of(excinfo)[0] == "NotFoundException"
