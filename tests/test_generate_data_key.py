"""GenerateDataKey(WithoutPlaintext) and GenerateDataKeyPair(WithoutPlaintext): data keys
and data key pairs encrypted under a symmetric encryption key."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from encryption_testing import CHINA_REGION, imported_key
from kms_testing import error_of

from kmsimport_mock import KmsImportMock, ParameterNotMocked


@pytest.fixture
def symmetric(kms_import: KmsImportMock) -> dict[str, Any]:
    return imported_key(kms_import)[0]


# --- GenerateDataKey ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length_params", "length"),
    [({"KeySpec": "AES_256"}, 32), ({"KeySpec": "AES_128"}, 16), ({"NumberOfBytes": 64}, 64)],
    ids=["AES_256", "AES_128", "64 bytes"],
)
def test_generate_data_key_plaintext_is_what_its_ciphertext_decrypts_to(
    kms: Any, symmetric: dict[str, Any], length_params: dict[str, Any], length: int
) -> None:
    response = kms.generate_data_key(
        KeyId=symmetric["KeyId"], EncryptionContext={"use": "envelope"}, **length_params
    )
    assert len(response["Plaintext"]) == length
    decrypted = kms.decrypt(
        CiphertextBlob=response["CiphertextBlob"], EncryptionContext={"use": "envelope"}
    )
    assert decrypted["Plaintext"] == response["Plaintext"]


def test_generate_data_key_answers_the_key_arn_and_the_material_id(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    response = kms.generate_data_key(KeyId=symmetric["KeyId"], KeySpec="AES_256")
    assert response["KeyId"] == symmetric["Arn"]
    assert response["KeyMaterialId"] == symmetric["CurrentKeyMaterialId"]


def test_each_data_key_is_new(kms: Any, symmetric: dict[str, Any]) -> None:
    first = kms.generate_data_key(KeyId=symmetric["KeyId"], KeySpec="AES_256")["Plaintext"]
    second = kms.generate_data_key(KeyId=symmetric["KeyId"], KeySpec="AES_256")["Plaintext"]
    assert first != second


def test_generate_data_key_without_plaintext_gives_only_the_ciphertext(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    response = kms.generate_data_key_without_plaintext(KeyId=symmetric["KeyId"], NumberOfBytes=24)
    assert "Plaintext" not in response
    assert response["KeyMaterialId"] == symmetric["CurrentKeyMaterialId"]
    assert len(kms.decrypt(CiphertextBlob=response["CiphertextBlob"])["Plaintext"]) == 24


@pytest.mark.parametrize(
    "length_params",
    [{}, {"KeySpec": "AES_256", "NumberOfBytes": 32}],
    ids=["neither", "both"],
)
@pytest.mark.parametrize("operation", ["generate_data_key", "generate_data_key_without_plaintext"])
def test_generate_data_key_needs_exactly_one_of_key_spec_and_number_of_bytes(
    kms: Any, symmetric: dict[str, Any], length_params: dict[str, Any], operation: str
) -> None:
    with pytest.raises(ClientError) as raised:
        getattr(kms, operation)(KeyId=symmetric["KeyId"], **length_params)
    assert error_of(raised) == (
        "ValidationException",
        "Please specify either number of bytes or key spec.",
    )


def test_generate_data_key_under_an_rsa_key_is_invalid_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "RSA_2048")
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_256")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key spec is RSA_2048 which is not valid for GenerateDataKey.",
    )


def test_generate_data_key_under_an_hmac_key_is_invalid_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "HMAC_256", key_usage="GENERATE_VERIFY_MAC")
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key_without_plaintext(KeyId=meta["KeyId"], KeySpec="AES_256")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key usage is GENERATE_VERIFY_MAC which is not valid for "
        "GenerateDataKeyWithoutPlaintext.",
    )


def test_generate_data_key_before_import_is_pending_import(kms: Any, external_key: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key(KeyId=external_key["KeyId"], KeySpec="AES_256")
    assert error_of(raised) == (
        "KMSInvalidStateException",
        f"{external_key['Arn']} is pending import.",
    )


def test_generate_data_key_for_a_nitro_enclave_recipient_is_not_mocked(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    recipient = {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"doc"}
    with pytest.raises(ParameterNotMocked):
        kms.generate_data_key(KeyId=symmetric["KeyId"], KeySpec="AES_256", Recipient=recipient)


def test_generate_data_key_dry_run_answers_dry_run_operation(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.generate_data_key(KeyId=symmetric["KeyId"], KeySpec="AES_256", DryRun=True)


def test_sm4_data_key_in_china_is_16_bytes_under_an_sm4_key(kms_import: KmsImportMock) -> None:
    china = boto3.client("kms", region_name=CHINA_REGION)
    meta, _ = imported_key(kms_import, region=CHINA_REGION)
    response = china.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_128")
    assert len(response["Plaintext"]) == 16
    decrypted = china.decrypt(CiphertextBlob=response["CiphertextBlob"])["Plaintext"]
    assert decrypted == response["Plaintext"]


# --- GenerateDataKeyPair --------------------------------------------------------------------

PAIR_TYPES = {
    "RSA_2048": rsa.RSAPrivateKey,
    "ECC_NIST_P256": ec.EllipticCurvePrivateKey,
    "ECC_SECG_P256K1": ec.EllipticCurvePrivateKey,
    "ECC_NIST_EDWARDS25519": ed25519.Ed25519PrivateKey,
}


@pytest.mark.parametrize("key_pair_spec", sorted(PAIR_TYPES))
def test_data_key_pair_is_a_pkcs8_private_key_its_public_key_and_its_ciphertext(
    kms: Any, symmetric: dict[str, Any], key_pair_spec: str
) -> None:
    response = kms.generate_data_key_pair(
        KeyId=symmetric["KeyId"], KeyPairSpec=key_pair_spec, EncryptionContext={"pair": "1"}
    )
    private = serialization.load_der_private_key(response["PrivateKeyPlaintext"], password=None)
    assert isinstance(private, PAIR_TYPES[key_pair_spec])
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert response["PublicKey"] == public_der
    assert (response["KeyId"], response["KeyPairSpec"]) == (symmetric["Arn"], key_pair_spec)
    assert response["KeyMaterialId"] == symmetric["CurrentKeyMaterialId"]
    decrypted = kms.decrypt(
        CiphertextBlob=response["PrivateKeyCiphertextBlob"], EncryptionContext={"pair": "1"}
    )
    assert decrypted["Plaintext"] == response["PrivateKeyPlaintext"]


def test_data_key_pair_without_plaintext_has_no_private_key_in_the_clear(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    response = kms.generate_data_key_pair_without_plaintext(
        KeyId=symmetric["KeyId"], KeyPairSpec="ECC_NIST_P384"
    )
    assert "PrivateKeyPlaintext" not in response
    private_der = kms.decrypt(CiphertextBlob=response["PrivateKeyCiphertextBlob"])["Plaintext"]
    private = serialization.load_der_private_key(private_der, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert private.curve.name == "secp384r1"


def test_sm2_data_key_pair_outside_china_is_unsupported(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key_pair(KeyId=symmetric["KeyId"], KeyPairSpec="SM2")
    assert error_of(raised) == (
        "UnsupportedOperationException",
        "KeyPairSpec SM2 is not supported in eu-west-1.",
    )


def test_sm2_data_key_pair_in_china(kms_import: KmsImportMock) -> None:
    china = boto3.client("kms", region_name=CHINA_REGION)
    meta, _ = imported_key(kms_import, region=CHINA_REGION)
    response = china.generate_data_key_pair(KeyId=meta["KeyId"], KeyPairSpec="SM2")
    assert response["PublicKey"].startswith(
        bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
    )
    decrypted = china.decrypt(CiphertextBlob=response["PrivateKeyCiphertextBlob"])["Plaintext"]
    assert decrypted == response["PrivateKeyPlaintext"]


def test_data_key_pair_under_an_rsa_key_is_invalid_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "RSA_2048")
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key_pair(KeyId=meta["KeyId"], KeyPairSpec="ECC_NIST_P256")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key spec is RSA_2048 which is not valid for GenerateDataKeyPair.",
    )


def test_data_key_pair_under_a_disabled_key_is_refused(kms: Any, symmetric: dict[str, Any]) -> None:
    kms.disable_key(KeyId=symmetric["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key_pair_without_plaintext(
            KeyId=symmetric["KeyId"], KeyPairSpec="ECC_NIST_P256"
        )
    assert error_of(raised) == ("DisabledException", f"{symmetric['Arn']} is disabled.")


def test_data_key_pair_dry_run_answers_dry_run_operation(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.generate_data_key_pair(
            KeyId=symmetric["KeyId"], KeyPairSpec="ECC_NIST_P256", DryRun=True
        )


def test_data_key_pair_for_a_nitro_enclave_recipient_is_not_mocked(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    recipient = {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"doc"}
    with pytest.raises(ParameterNotMocked):
        kms.generate_data_key_pair(
            KeyId=symmetric["KeyId"], KeyPairSpec="ECC_NIST_P256", Recipient=recipient
        )
