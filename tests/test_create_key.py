"""CreateKey and DescribeKey for keys that will receive imported material."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from kmsimport_mock import KmsImportMock

# Every KeySpec × KeyUsage pair KMS allows, with the algorithm list DescribeKey shows.
ALLOWED = [
    ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", ["SYMMETRIC_DEFAULT"]),
    ("HMAC_224", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_224"]),
    ("HMAC_256", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_256"]),
    ("HMAC_384", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_384"]),
    ("HMAC_512", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_512"]),
    *[
        (
            f"RSA_{bits}",
            "ENCRYPT_DECRYPT",
            "EncryptionAlgorithms",
            ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
        )
        for bits in (2048, 3072, 4096)
    ],
    *[
        (
            f"RSA_{bits}",
            "SIGN_VERIFY",
            "SigningAlgorithms",
            [
                "RSASSA_PSS_SHA_256",
                "RSASSA_PSS_SHA_384",
                "RSASSA_PSS_SHA_512",
                "RSASSA_PKCS1_V1_5_SHA_256",
                "RSASSA_PKCS1_V1_5_SHA_384",
                "RSASSA_PKCS1_V1_5_SHA_512",
            ],
        )
        for bits in (2048, 3072, 4096)
    ],
    ("ECC_NIST_P256", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P384", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_384"]),
    ("ECC_NIST_P521", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_512"]),
    ("ECC_SECG_P256K1", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P256", "KEY_AGREEMENT", "KeyAgreementAlgorithms", ["ECDH"]),
    ("ECC_NIST_P384", "KEY_AGREEMENT", "KeyAgreementAlgorithms", ["ECDH"]),
    ("ECC_NIST_P521", "KEY_AGREEMENT", "KeyAgreementAlgorithms", ["ECDH"]),
]


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    return dict(excinfo.value.response["Error"])


@pytest.mark.parametrize(("key_spec", "usage", "field", "algorithms"), ALLOWED)
def test_external_key_of_every_importable_spec_is_pending_import(
    kms: Any, key_spec: str, usage: str, field: str, algorithms: list[str]
) -> None:
    meta = kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage=usage)["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport"
    assert meta["Enabled"] is False
    assert meta["Origin"] == "EXTERNAL"
    assert meta["KeySpec"] == meta["CustomerMasterKeySpec"] == key_spec
    assert meta["KeyUsage"] == usage
    assert meta[field] == algorithms


def test_external_symmetric_key_has_the_recorded_shape(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL", Description="byok")["KeyMetadata"]
    assert meta["AWSAccountId"] == "123456789012"
    assert meta["Arn"] == f"arn:aws:kms:eu-west-1:123456789012:key/{meta['KeyId']}"
    assert meta["KeyManager"] == "CUSTOMER"
    assert meta["MultiRegion"] is False
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["Description"] == "byok"
    for absent in ("ExpirationModel", "ValidTo", "CurrentKeyMaterialId"):
        assert absent not in meta


def test_describe_key_before_import_equals_create_key(kms: Any) -> None:
    created = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    described = kms.describe_key(KeyId=created["KeyId"])["KeyMetadata"]
    assert described == created


def test_describe_key_accepts_the_key_arn(kms: Any) -> None:
    created = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert kms.describe_key(KeyId=created["Arn"])["KeyMetadata"]["KeyId"] == created["KeyId"]


def test_aws_kms_origin_key_is_enabled_with_a_current_material_id(kms: Any) -> None:
    meta = kms.create_key()["KeyMetadata"]
    assert meta["Origin"] == "AWS_KMS"
    assert meta["KeyState"] == "Enabled"
    assert len(meta["CurrentKeyMaterialId"]) == 64


def test_multi_region_key_ids_start_with_mrk(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]
    assert meta["KeyId"].startswith("mrk-")
    assert meta["MultiRegion"] is True
    assert meta["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"


@pytest.mark.parametrize(
    ("key_spec", "usage"),
    [
        ("HMAC_256", "ENCRYPT_DECRYPT"),
        ("SYMMETRIC_DEFAULT", "GENERATE_VERIFY_MAC"),
        ("SYMMETRIC_DEFAULT", "SIGN_VERIFY"),
        ("RSA_2048", "KEY_AGREEMENT"),
        ("RSA_2048", "GENERATE_VERIFY_MAC"),
        ("ECC_NIST_P256", "ENCRYPT_DECRYPT"),
        ("ECC_SECG_P256K1", "KEY_AGREEMENT"),
    ],
)
def test_incompatible_key_usage_is_a_validation_error(kms: Any, key_spec: str, usage: str) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage=usage)
    assert _error(raised) == {
        "Code": "ValidationException",
        "Message": f"KeyUsage {usage} is not compatible with KeySpec {key_spec}",
    }


KEY_USAGE_REQUIRED = {
    "Code": "ValidationException",
    "Message": (
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
    ),
}


def test_recorded_case_28_hmac_key_without_key_usage_is_refused(kms: Any) -> None:
    # recorded-aws.md case 28: AWS does not default the usage of an HMAC key.
    with pytest.raises(ClientError) as raised:
        kms.create_key(KeySpec="HMAC_256")
    assert _error(raised) == KEY_USAGE_REQUIRED


@pytest.mark.parametrize("key_spec", ["RSA_2048", "ECC_NIST_P256", "ECC_SECG_P256K1", "ML_DSA_44"])
def test_asymmetric_key_without_key_usage_is_refused(kms: Any, key_spec: str) -> None:
    # The API reference: KeyUsage "is optional when you are creating a symmetric encryption
    # KMS key; otherwise, it is required" (the text is case 28's).
    with pytest.raises(ClientError) as raised:
        kms.create_key(KeySpec=key_spec)
    assert _error(raised) == KEY_USAGE_REQUIRED


def test_customer_master_key_spec_without_key_usage_is_refused(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin="EXTERNAL", CustomerMasterKeySpec="HMAC_512")
    assert _error(raised) == KEY_USAGE_REQUIRED


def test_symmetric_key_without_key_usage_is_for_encryption(kms: Any) -> None:
    meta = kms.create_key(KeySpec="SYMMETRIC_DEFAULT")["KeyMetadata"]
    assert meta["KeyUsage"] == "ENCRYPT_DECRYPT"


@pytest.mark.parametrize(
    "key_spec", ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519"]
)
def test_specs_that_cannot_hold_imported_material_are_refused_for_external(
    kms: Any, key_spec: str
) -> None:
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage="SIGN_VERIFY")
    assert raised.value.response["Error"]["Message"] == (
        f"KeySpec {key_spec} is not supported for Origin EXTERNAL"
    )


def test_ml_dsa_key_without_import_is_created(kms: Any) -> None:
    meta = kms.create_key(KeySpec="ML_DSA_65", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert meta["SigningAlgorithms"] == ["ML_DSA_SHAKE_256"]
    assert "CustomerMasterKeySpec" not in meta


def test_sm2_keys_exist_only_in_china_regions(kms: Any) -> None:
    with pytest.raises(kms.exceptions.UnsupportedOperationException):
        kms.create_key(Origin="EXTERNAL", KeySpec="SM2", KeyUsage="SIGN_VERIFY")


def test_sm2_external_key_in_china_is_pending_import(kms_import: KmsImportMock) -> None:
    china = boto3.client("kms", region_name="cn-north-1")
    meta = china.create_key(Origin="EXTERNAL", KeySpec="SM2", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert meta["Arn"].startswith("arn:aws-cn:kms:cn-north-1:")
    assert meta["KeyState"] == "PendingImport"


def test_govcloud_arns_use_their_partition(kms_import: KmsImportMock) -> None:
    gov = boto3.client("kms", region_name="us-gov-west-1")
    assert gov.create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"].startswith("arn:aws-us-gov:")


def test_key_spec_and_customer_master_key_spec_together_are_refused(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(KeySpec="SYMMETRIC_DEFAULT", CustomerMasterKeySpec="SYMMETRIC_DEFAULT")
    assert _error(raised)["Code"] == "ValidationException"


def test_customer_master_key_spec_alone_still_works(kms: Any) -> None:
    meta = kms.create_key(
        Origin="EXTERNAL", CustomerMasterKeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC"
    )
    assert meta["KeyMetadata"]["KeySpec"] == "HMAC_256"


@pytest.mark.parametrize("origin", ["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"])
def test_custom_key_store_origins_need_a_custom_key_store(kms: Any, origin: str) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin=origin)
    assert _error(raised)["Code"] == "ValidationException"


def test_unknown_custom_key_store_is_not_found(kms: Any) -> None:
    with pytest.raises(kms.exceptions.CustomKeyStoreNotFoundException):
        kms.create_key(Origin="AWS_CLOUDHSM", CustomKeyStoreId="cks-1234567890abcdef0")


def test_custom_key_store_cannot_hold_imported_material(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin="EXTERNAL", CustomKeyStoreId="cks-1234567890abcdef0")
    assert _error(raised)["Code"] == "ValidationException"


def test_unknown_enum_value_is_a_validation_error_naming_the_member(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin="SOMEWHERE")
    assert _error(raised) == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value 'SOMEWHERE' at 'origin' failed to satisfy "
        "constraint: Member must satisfy enum value set: [AWS_KMS, EXTERNAL, AWS_CLOUDHSM, "
        "EXTERNAL_KEY_STORE]",
    }


def test_over_long_description_is_a_validation_error(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.create_key(Origin="EXTERNAL", Description="x" * 8193)
    assert "Member must have length less than or equal to 8192" in _error(raised)["Message"]
