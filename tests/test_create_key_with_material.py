"""``kms_import.create_key_with_material``: a key whose material the test chose, made in
one call through the real CreateKey → GetParametersForImport → wrap → ImportKeyMaterial
path, so every rule of those operations applies."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from encryption_testing import CHINA_REGION, oaep, private_key
from kms_testing import REGION, error_of, material_for

from kmsimport_mock import KmsImportMock, mock_kms_import
from kmsimport_mock.crypto import sm2


def test_the_key_is_enabled_external_and_its_metadata_is_describe_keys(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta = kms_import.create_key_with_material(os.urandom(32), region=REGION)
    assert (meta["KeyState"], meta["Enabled"], meta["Origin"]) == ("Enabled", True, "EXTERNAL")
    assert meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    described = kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
    assert meta == described
    assert isinstance(meta["CreationDate"], dt.datetime)


def test_the_key_holds_exactly_the_material_given(kms_import: KmsImportMock) -> None:
    material = os.urandom(32)
    meta = kms_import.create_key_with_material(material, region=REGION)
    assert kms_import.key_material(meta["KeyId"]) == material


def test_region_defaults_to_the_environment(
    kms_import: KmsImportMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    meta = kms_import.create_key_with_material(os.urandom(32))
    assert meta["Arn"].startswith("arn:aws:kms:ap-south-1:123456789012:key/")


def test_account_can_be_chosen(kms_import: KmsImportMock) -> None:
    meta = kms_import.create_key_with_material(
        os.urandom(32), region=REGION, account="111122223333"
    )
    assert meta["AWSAccountId"] == "111122223333"


def test_create_key_parameters_are_passed_on(kms_import: KmsImportMock) -> None:
    meta = kms_import.create_key_with_material(
        os.urandom(32),
        region=REGION,
        Description="ceremony",
        Tags=[{"TagKey": "a", "TagValue": "b"}],
    )
    assert meta["Description"] == "ceremony"


def test_material_can_expire(kms_import: KmsImportMock) -> None:
    valid_to = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    meta = kms_import.create_key_with_material(os.urandom(32), region=REGION, valid_to=valid_to)
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert meta["ValidTo"] == valid_to


def test_a_fixed_key_id_makes_ciphertexts_decrypt_in_the_next_run() -> None:
    material, key_id = os.urandom(32), str(uuid.uuid4())
    with mock_kms_import() as first_run:
        first_run.create_key_with_material(material, region=REGION, key_id=key_id)
        kms = boto3.client("kms", region_name=REGION)
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"kept")["CiphertextBlob"]
    with mock_kms_import() as next_run:
        meta = next_run.create_key_with_material(material, region=REGION, key_id=key_id)
        kms = boto3.client("kms", region_name=REGION)
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"
    assert meta["KeyId"] == key_id
    assert meta["Arn"] == f"arn:aws:kms:{REGION}:123456789012:key/{key_id}"


def test_a_fixed_multi_region_key_id_starts_with_mrk(kms_import: KmsImportMock) -> None:
    key_id = "mrk-" + uuid.uuid4().hex
    meta = kms_import.create_key_with_material(
        os.urandom(32), region=REGION, key_id=key_id, MultiRegion=True
    )
    assert meta["KeyId"] == key_id
    assert meta["MultiRegionConfiguration"]["PrimaryKey"]["Arn"] == meta["Arn"]


@pytest.mark.parametrize(
    ("key_id", "multi_region"),
    [("not-a-uuid", False), ("mrk-" + "0" * 32, False), (str(uuid.uuid4()), True)],
    ids=["garbage", "mrk id for a single-Region key", "uuid for a multi-Region key"],
)
def test_a_fixed_key_id_of_the_wrong_form_is_refused(
    kms_import: KmsImportMock, key_id: str, multi_region: bool
) -> None:
    with pytest.raises(ValueError, match="key_id must be"):
        kms_import.create_key_with_material(
            os.urandom(32), region=REGION, key_id=key_id, MultiRegion=multi_region
        )
    assert kms_import.key_ids() == []


def test_a_fixed_key_id_already_taken_is_refused(kms_import: KmsImportMock) -> None:
    key_id = str(uuid.uuid4())
    kms_import.create_key_with_material(os.urandom(32), region=REGION, key_id=key_id)
    with pytest.raises(ValueError, match="already has a key"):
        kms_import.create_key_with_material(os.urandom(32), region=REGION, key_id=key_id)


def test_material_that_does_not_fit_is_refused_as_import_key_material_would(
    kms_import: KmsImportMock,
) -> None:
    with pytest.raises(ClientError) as raised:
        kms_import.create_key_with_material(os.urandom(31), region=REGION)
    assert raised.value.response["Error"]["Code"] == "IncorrectKeyMaterialException"
    assert type(raised.value).__name__ == "IncorrectKeyMaterialException"
    assert kms_import.key_ids() == []  # no half-made key is left behind


def test_hmac_keys_need_their_key_usage_as_create_key_does(kms_import: KmsImportMock) -> None:
    with pytest.raises(ClientError) as raised:
        kms_import.create_key_with_material(os.urandom(32), key_spec="HMAC_256", region=REGION)
    assert error_of(raised)[0] == "ValidationException"


def test_origin_cannot_be_chosen(kms_import: KmsImportMock) -> None:
    with pytest.raises(TypeError, match="Origin"):
        kms_import.create_key_with_material(os.urandom(32), region=REGION, Origin="AWS_KMS")


@pytest.mark.parametrize(
    ("key_spec", "key_usage"),
    [
        ("HMAC_256", "GENERATE_VERIFY_MAC"),
        ("RSA_2048", "ENCRYPT_DECRYPT"),
        ("RSA_4096", "SIGN_VERIFY"),
        ("ECC_NIST_P256", "SIGN_VERIFY"),
        ("ECC_NIST_P521", "SIGN_VERIFY"),
    ],
)
def test_every_importable_kind_of_material_goes_in(
    kms_import: KmsImportMock, key_spec: str, key_usage: str
) -> None:
    material = material_for(key_spec)
    meta = kms_import.create_key_with_material(
        material, key_spec=key_spec, key_usage=key_usage, region=REGION
    )
    assert (meta["KeySpec"], meta["KeyUsage"], meta["KeyState"]) == (key_spec, key_usage, "Enabled")
    assert kms_import.key_material(meta["KeyId"]) == material


def test_rsa_key_with_known_material_encrypts_for_its_private_key(
    kms: Any, kms_import: KmsImportMock
) -> None:
    material = material_for("RSA_2048")
    meta = kms_import.create_key_with_material(
        material, key_spec="RSA_2048", key_usage="ENCRYPT_DECRYPT", region=REGION
    )
    blob = kms.encrypt(
        KeyId=meta["KeyId"], Plaintext=b"known", EncryptionAlgorithm="RSAES_OAEP_SHA_256"
    )["CiphertextBlob"]
    assert private_key(material).decrypt(blob, oaep("RSAES_OAEP_SHA_256")) == b"known"


def test_china_keys_are_imported_too(kms_import: KmsImportMock) -> None:
    symmetric = kms_import.create_key_with_material(os.urandom(16), region=CHINA_REGION)
    assert symmetric["Arn"].startswith("arn:aws-cn:kms:cn-north-1:")
    sm2_key = kms_import.create_key_with_material(
        sm2.generate_sm2_private_key(),
        key_spec="SM2",
        key_usage="ENCRYPT_DECRYPT",
        region=CHINA_REGION,
    )
    assert sm2_key["KeyState"] == "Enabled"


def test_rsa_material_in_china_is_wrapped_with_sm2pke(kms_import: KmsImportMock) -> None:
    # Too long for RSA-OAEP, and China Regions have no AES key wrap: SM2PKE carries it.
    material = material_for("RSA_2048")
    meta = kms_import.create_key_with_material(
        material, key_spec="RSA_2048", key_usage="ENCRYPT_DECRYPT", region=CHINA_REGION
    )
    assert kms_import.key_material(meta["KeyId"], region=CHINA_REGION) == material
    china = boto3.client("kms", region_name=CHINA_REGION)
    blob = china.encrypt(
        KeyId=meta["KeyId"], Plaintext=b"china", EncryptionAlgorithm="RSAES_OAEP_SHA_1"
    )["CiphertextBlob"]
    assert private_key(material).decrypt(blob, oaep("RSAES_OAEP_SHA_1")) == b"china"


def test_it_works_while_moto_is_active(kms_import: KmsImportMock) -> None:
    # The key is made in the mock's backend, not through botocore, so moto's mock_aws does
    # not take the calls. (moto itself does not know the key: operations moto answers, such
    # as its DescribeKey, do not see it.)
    from moto import mock_aws

    material = os.urandom(32)
    with mock_aws():
        meta = kms_import.create_key_with_material(material, region=REGION)
        assert kms_import.key_material(meta["KeyId"]) == material
