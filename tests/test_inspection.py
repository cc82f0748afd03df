"""The inspection API: what a test can see of what KMS unwrapped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest
from kms_testing import create_external_key, import_material, material_for

from kmsimport_mock import KeyMaterialView, KmsImportMock


def test_key_material_is_none_before_import(kms_import: KmsImportMock, external_key: Any) -> None:
    assert kms_import.key_material(external_key["KeyId"]) is None


def test_key_material_accepts_the_key_arn(
    kms: Any, kms_import: KmsImportMock, external_key: Any
) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    import_material(kms, external_key["KeyId"], material)
    assert kms_import.key_material(external_key["Arn"]) == material


def test_asymmetric_material_is_returned_as_imported(kms: Any, kms_import: KmsImportMock) -> None:
    key = create_external_key(kms, "ECC_SECG_P256K1")
    material = material_for("ECC_SECG_P256K1")
    import_material(kms, key["KeyId"], material)
    assert kms_import.key_material(key["KeyId"]) == material


def test_key_material_by_material_id(
    kms: Any, kms_import: KmsImportMock, external_key: Any
) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    material_id = import_material(kms, external_key["KeyId"], material)["KeyMaterialId"]
    assert kms_import.key_material(external_key["KeyId"], material_id) == material
    assert kms_import.key_material(external_key["KeyId"], "0" * 64) is None


def test_inspect_key_lists_materials_with_their_state(
    kms: Any, kms_import: KmsImportMock, external_key: Any
) -> None:
    valid_to = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    response = import_material(
        kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ValidTo=valid_to
    )
    view = kms_import.inspect_key(external_key["KeyId"])
    assert (view.key_id, view.arn, view.key_state) == (
        external_key["KeyId"],
        external_key["Arn"],
        "Enabled",
    )
    assert (view.account, view.region, view.origin) == ("123456789012", "eu-west-1", "EXTERNAL")
    assert view.materials == (
        KeyMaterialView(
            key_material_id=response["KeyMaterialId"],
            state="CURRENT",
            imported=True,
            expiration_model="KEY_MATERIAL_EXPIRES",
            valid_to=valid_to,
            description=None,
        ),
    )


def test_key_state_follows_the_key(kms: Any, kms_import: KmsImportMock, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.disable_key(KeyId=external_key["KeyId"])
    assert kms_import.key_state(external_key["KeyId"]) == "Disabled"


def test_keys_of_every_region_are_visible(kms_import: KmsImportMock) -> None:
    east = create_external_key(boto3.client("kms", region_name="us-east-1"))
    west = create_external_key(boto3.client("kms", region_name="us-west-2"))
    assert sorted(kms_import.key_ids()) == sorted([east["KeyId"], west["KeyId"]])
    assert kms_import.inspect_key(east["KeyId"]).region == "us-east-1"
    assert kms_import.inspect_key(west["KeyId"], region="us-west-2").region == "us-west-2"


def test_unknown_key_raises_lookup_error(kms_import: KmsImportMock) -> None:
    with pytest.raises(LookupError):
        kms_import.key_state("1234abcd-12ab-34cd-56ef-1234567890ab")


def test_inspection_needs_an_active_mock() -> None:
    from kmsimport_mock import mock_kms_import

    with pytest.raises(RuntimeError, match="not started"):
        mock_kms_import().key_ids()
