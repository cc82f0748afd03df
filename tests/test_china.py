"""China Regions through real boto3 clients: SM2 wrapping keys with SM2PKE, 16-byte SM4
symmetric material, SM2 key material, and what is refused there."""

from __future__ import annotations

import sys
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from kms_testing import der_pkcs8, import_material, material_for

from kmsimport_mock import ChinaExtraNotInstalled, KmsImportMock
from kmsimport_mock.crypto import sm2

BEIJING = "cn-north-1"
SM2_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")


@pytest.fixture
def china(kms_import: KmsImportMock) -> Any:
    return boto3.client("kms", region_name=BEIJING)


def external_key(client: Any, key_spec: str = "SYMMETRIC_DEFAULT", usage: str = "") -> str:
    kwargs = {"KeyUsage": usage} if usage else {}
    key_id: str = client.create_key(Origin="EXTERNAL", KeySpec=key_spec, **kwargs)["KeyMetadata"][
        "KeyId"
    ]
    return key_id


def sm2_parameters(client: Any, key_id: str) -> Any:
    return client.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="SM2PKE", WrappingKeySpec="SM2"
    )


def import_with_sm2pke(client: Any, key_id: str, material: bytes) -> Any:
    params = sm2_parameters(client, key_id)
    return client.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=sm2.sm2pke_encrypt(params["PublicKey"], material),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


# --- GetParametersForImport -------------------------------------------------------------


def test_sm2_wrapping_key_is_a_der_subject_public_key_info_on_curve_sm2(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    public_key = sm2_parameters(china, key_id)["PublicKey"]
    assert public_key.startswith(SM2_SPKI_PREFIX)
    assert len(public_key) == len(SM2_SPKI_PREFIX) + 65


def test_each_request_gets_a_new_sm2_wrapping_key(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    assert sm2_parameters(china, key_id)["PublicKey"] != sm2_parameters(china, key_id)["PublicKey"]


def test_sm2_wrapping_keys_are_not_kept_by_the_mock(china: Any, kms_import: KmsImportMock) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    for _ in range(5):
        sm2_parameters(china, key_id)
    assert kms_import.backend.pool.count("SM2") == 0


def test_sm2pke_is_refused_for_symmetric_keys(china: Any) -> None:
    key_id = external_key(china)
    with pytest.raises(china.exceptions.UnsupportedOperationException) as raised:
        sm2_parameters(china, key_id)
    assert raised.value.response["Error"]["Message"] == (
        "SM2PKE is not supported for SYMMETRIC_DEFAULT key material."
    )


@pytest.mark.parametrize(
    ("algorithm", "spec"), [("SM2PKE", "RSA_2048"), ("RSAES_OAEP_SHA_256", "SM2")]
)
def test_sm2pke_and_the_sm2_spec_go_only_together(china: Any, algorithm: str, spec: str) -> None:
    key_id = external_key(china, "ECC_NIST_P256", "SIGN_VERIFY")
    with pytest.raises(china.exceptions.UnsupportedOperationException) as raised:
        china.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec
        )
    assert raised.value.response["Error"]["Message"] == (
        "SM2PKE is supported only with the SM2 wrapping key spec, and the SM2 wrapping key spec "
        "only with SM2PKE."
    )


def test_arns_in_china_use_the_aws_cn_partition(china: Any) -> None:
    key_id = external_key(china)
    params = china.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    assert params["KeyId"].startswith("arn:aws-cn:kms:cn-north-1:")


# --- SYMMETRIC_DEFAULT: SM4 -------------------------------------------------------------


@pytest.mark.parametrize("region", ["cn-north-1", "cn-northwest-1"])
def test_symmetric_key_takes_16_byte_sm4_material(kms_import: KmsImportMock, region: str) -> None:
    client = boto3.client("kms", region_name=region)
    key_id = external_key(client)
    material = bytes(range(16))
    import_material(client, key_id, material)
    assert client.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms_import.key_material(key_id) == material


def test_symmetric_key_refuses_32_byte_material_in_china(china: Any) -> None:
    key_id = external_key(china)
    with pytest.raises(china.exceptions.IncorrectKeyMaterialException):
        import_material(china, key_id, bytes(32))


# --- SM2PKE into asymmetric keys ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key_spec", "usage"),
    [("SM2", "SIGN_VERIFY"), ("SM2", "ENCRYPT_DECRYPT"), ("SM2", "KEY_AGREEMENT")],
)
def test_sm2_material_imports_with_sm2pke(
    china: Any, kms_import: KmsImportMock, key_spec: str, usage: str
) -> None:
    key_id = external_key(china, key_spec, usage)
    material = sm2.generate_sm2_private_key()
    import_with_sm2pke(china, key_id, material)
    assert china.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms_import.key_material(key_id) == material


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1"])
def test_sm2_material_imports_with_rsaes_oaep(
    china: Any, kms_import: KmsImportMock, algorithm: str
) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    material = sm2.generate_sm2_private_key()
    import_material(china, key_id, material, algorithm=algorithm, wrapping_key_spec="RSA_3072")
    assert kms_import.key_material(key_id) == material


@pytest.mark.parametrize("key_spec", ["RSA_2048", "ECC_NIST_P256", "ECC_NIST_P521"])
def test_rsa_and_ecc_material_import_with_sm2pke(
    china: Any, kms_import: KmsImportMock, key_spec: str
) -> None:
    key_id = external_key(china, key_spec, "SIGN_VERIFY")
    material = material_for(key_spec)
    import_with_sm2pke(china, key_id, material)
    assert kms_import.key_material(key_id) == material


def test_sm2_material_on_another_curve_is_incorrect(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    with pytest.raises(china.exceptions.IncorrectKeyMaterialException):
        import_with_sm2pke(china, key_id, der_pkcs8(ec.generate_private_key(ec.SECP256R1())))


def test_sm2_material_whose_public_key_belongs_to_another_key_is_incorrect(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    one, other = sm2.generate_sm2_private_key(), sm2.generate_sm2_private_key()
    mixed = one[:-65] + other[-65:]  # the public point is the last 65 bytes
    with pytest.raises(china.exceptions.IncorrectKeyMaterialException):
        import_with_sm2pke(china, key_id, mixed)


def test_sm2_reimport_of_the_same_key_without_public_key_is_accepted(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    material = sm2.generate_sm2_private_key()
    import_with_sm2pke(china, key_id, material)
    bare = _without_public_key(material)
    import_with_sm2pke(china, key_id, bare)
    assert china.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_sm2_reimport_of_another_key_is_incorrect(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    import_with_sm2pke(china, key_id, sm2.generate_sm2_private_key())
    with pytest.raises(china.exceptions.IncorrectKeyMaterialException):
        import_with_sm2pke(china, key_id, sm2.generate_sm2_private_key())


# --- SM2PKE ciphertext ----------------------------------------------------------------


def _import_blob(client: Any, key_id: str, blob_for: Any) -> None:
    params = sm2_parameters(client, key_id)
    client.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=blob_for(params["PublicKey"]),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


def test_raw_c1c3c2_ciphertext_is_refused_as_invalid_ciphertext(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    material = sm2.generate_sm2_private_key()

    def raw(public_key: bytes) -> bytes:
        import gmalg

        return bytes(gmalg.SM2(pk=public_key[len(SM2_SPKI_PREFIX) :]).encrypt(material))

    with pytest.raises(china.exceptions.InvalidCiphertextException):
        _import_blob(china, key_id, raw)


def test_tampered_sm2pke_ciphertext_is_invalid_ciphertext(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    material = sm2.generate_sm2_private_key()

    def tampered(public_key: bytes) -> bytes:
        blob = bytearray(sm2.sm2pke_encrypt(public_key, material))
        blob[-1] ^= 1
        return bytes(blob)

    with pytest.raises(china.exceptions.InvalidCiphertextException):
        _import_blob(china, key_id, tampered)
    assert china.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_sm2pke_ciphertext_for_another_wrapping_key_is_invalid_ciphertext(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    other_public_key = sm2_parameters(china, key_id)["PublicKey"]
    material = sm2.generate_sm2_private_key()
    with pytest.raises(china.exceptions.InvalidCiphertextException):
        _import_blob(china, key_id, lambda _: sm2.sm2pke_encrypt(other_public_key, material))


# --- without the china extra -------------------------------------------------------------


@pytest.fixture
def without_china_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gmalg", None)  # import gmalg now raises ImportError


@pytest.mark.usefixtures("without_china_extra")
def test_sm2_wrapping_without_the_extra_raises_a_clear_error(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    with pytest.raises(ChinaExtraNotInstalled, match=r"kmsimport_mock\[china\]"):
        sm2_parameters(china, key_id)


@pytest.mark.usefixtures("without_china_extra")
def test_sm2_material_without_the_extra_raises_a_clear_error(china: Any) -> None:
    key_id = external_key(china, "SM2", "SIGN_VERIFY")
    pkcs8 = bytes.fromhex(
        "308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420"
        "5516188ab911d41a3f584559310ec2de8fa4cc9ec478073667593b02fbcb7e5ba1440342"
        "0004ef8e19125e4f4ea3d27eeb006cd766b822fde9b5071a44e3a8b98bfcdb1b554d2118"
        "0f2d1bfaaa8a453006616a61c86a75a1164400c7ffeba19b3a37bc8994eb"
    )
    with pytest.raises(ChinaExtraNotInstalled):
        import_material(china, key_id, pkcs8)
    assert china.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


@pytest.mark.usefixtures("without_china_extra")
def test_sm4_symmetric_import_does_not_need_the_extra(china: Any) -> None:
    key_id = external_key(china)
    import_material(china, key_id, bytes(16))
    assert china.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def _without_public_key(material: bytes) -> bytes:
    """The same SM2 key, encoded without the optional public key (a valid PKCS#8 too)."""
    private_value = sm2.sm2_key_identity(material).to_bytes(32, "big")
    ec_private_key = bytes.fromhex("30250201010420") + private_value
    algorithm = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")
    body = bytes.fromhex("020100") + algorithm + bytes([0x04, len(ec_private_key)]) + ec_private_key
    return bytes([0x30, len(body)]) + body
