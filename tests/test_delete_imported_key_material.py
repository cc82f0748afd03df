"""DeleteImportedKeyMaterial: the key goes back to PendingImport; ids are kept."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from kms_testing import create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock


def _meta(kms: Any, key_id: str) -> Any:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]


def test_deleting_symmetric_material_makes_the_key_pending_import(
    kms: Any, external_key: Any, kms_import: KmsImportMock
) -> None:
    imported = import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    response = kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    assert response["KeyId"] == external_key["Arn"]
    assert response["KeyMaterialId"] == imported["KeyMaterialId"]
    meta = _meta(kms, external_key["KeyId"])
    assert meta["KeyState"] == "PendingImport"
    assert meta["Enabled"] is False
    assert "ExpirationModel" not in meta
    assert kms_import.key_material(external_key["KeyId"]) is None


def test_current_key_material_id_survives_deletion(kms: Any, external_key: Any) -> None:
    imported = import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    assert _meta(kms, external_key["KeyId"])["CurrentKeyMaterialId"] == imported["KeyMaterialId"]


def test_the_same_material_can_be_imported_again_after_deletion(
    kms: Any, external_key: Any, kms_import: KmsImportMock
) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    import_material(kms, external_key["KeyId"], material)
    kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    import_material(kms, external_key["KeyId"], material)
    assert _meta(kms, external_key["KeyId"])["KeyState"] == "Enabled"
    assert kms_import.key_material(external_key["KeyId"]) == material


def test_different_material_cannot_replace_deleted_material(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))


@pytest.mark.parametrize("key_spec", ["HMAC_384", "ECC_NIST_P256"])
def test_deleting_non_symmetric_material_makes_the_key_pending_import(
    kms: Any, key_spec: str
) -> None:
    key = create_external_key(kms, key_spec)
    import_material(kms, key["KeyId"], material_for(key_spec), wrapping_key_spec="RSA_4096")
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    meta = _meta(kms, key["KeyId"])
    assert meta["KeyState"] == "PendingImport"
    assert "ExpirationModel" not in meta
    assert "CurrentKeyMaterialId" not in meta


def test_deleting_from_a_pending_import_key_succeeds_and_changes_nothing(
    kms: Any, external_key: Any
) -> None:
    response = kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    assert response["KeyId"] == external_key["Arn"]
    assert _meta(kms, external_key["KeyId"]) == external_key


def test_deleting_from_a_pending_deletion_key_keeps_it_pending_deletion(
    kms: Any, external_key: Any
) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    meta = _meta(kms, external_key["KeyId"])
    assert meta["KeyState"] == "PendingDeletion"
    assert "ExpirationModel" not in meta


def test_deleting_from_a_disabled_key_makes_it_pending_import(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.disable_key(KeyId=external_key["KeyId"])
    kms.delete_imported_key_material(KeyId=external_key["KeyId"])
    assert _meta(kms, external_key["KeyId"])["KeyState"] == "PendingImport"


def test_aws_kms_key_is_refused(kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert raised.value.response["Error"]["Message"] == (
        f"{key['Arn']} origin is AWS_KMS which is not valid for this operation."
    )
    assert _meta(kms, key["KeyId"])["KeyState"] == "Enabled"


def test_unknown_key_is_not_found(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.delete_imported_key_material(KeyId="1234abcd-12ab-34cd-56ef-1234567890ab")


def test_unknown_key_material_id_is_not_found(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.delete_imported_key_material(KeyId=external_key["KeyId"], KeyMaterialId="0" * 64)
    assert _meta(kms, external_key["KeyId"])["KeyState"] == "Enabled"


def test_key_material_id_is_refused_for_hmac_keys(kms: Any) -> None:
    key = create_external_key(kms, "HMAC_256")
    with pytest.raises(ClientError) as raised:
        kms.delete_imported_key_material(KeyId=key["KeyId"], KeyMaterialId="0" * 64)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
