"""Encrypt: symmetric keys (the mock's ciphertext format), RSA ENCRYPT_DECRYPT keys
(standard RSAES-OAEP a test can decrypt with its own private key), SM2PKE and SM4 in China
Regions, and every refusal in the order AWS checks."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from encryption_testing import CHINA_REGION, imported_key, oaep, private_key, unvalidated_client
from kms_testing import create_external_key, error_of, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto import sm2
from kmsimport_mock.crypto.ciphertext import parse_ciphertext

# --- symmetric keys -----------------------------------------------------------------------


def test_encrypt_with_imported_material_round_trips_through_decrypt(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"ceremony check")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"ceremony check"


def test_encrypt_answers_the_key_arn_and_the_symmetric_algorithm(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    response = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert response["KeyId"] == meta["Arn"]
    assert response["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"


def test_encrypt_accepts_the_key_arn_and_grant_tokens(kms: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(kms_import)
    response = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x", GrantTokens=["token-1"])
    assert response["KeyId"] == meta["Arn"]


def test_symmetric_ciphertext_names_the_key_id_and_the_current_material(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    parsed = parse_ciphertext(blob)
    assert (parsed.key_id, parsed.material_id) == (meta["KeyId"], meta["CurrentKeyMaterialId"])


def test_two_encryptions_of_the_same_plaintext_differ(kms: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(kms_import)
    first = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    second = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"same")["CiphertextBlob"]
    assert first != second


def test_encrypt_with_a_key_kms_made_works_too(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"aws_kms")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"aws_kms"


def test_encrypt_of_more_than_4096_bytes_is_a_validation_error(
    kms_import: KmsImportMock,
) -> None:
    meta, _ = imported_key(kms_import)
    with pytest.raises(ClientError) as raised:
        unvalidated_client().encrypt(KeyId=meta["KeyId"], Plaintext=b"x" * 4097)
    assert error_of(raised) == (
        "ValidationException",
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
        "Member must have length less than or equal to 4096",
    )


def test_encrypt_of_4096_bytes_works(kms: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(kms_import)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x" * 4096)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x" * 4096


# --- key states ---------------------------------------------------------------------------


def test_encrypt_before_import_is_pending_import(kms: Any, external_key: Any) -> None:
    # Recorded case 5.
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=external_key["KeyId"], Plaintext=b"x")
    assert error_of(raised) == (
        "KMSInvalidStateException",
        f"{external_key['Arn']} is pending import.",
    )


def test_encrypt_after_material_deletion_is_pending_import(
    kms: Any, kms_import: KmsImportMock
) -> None:
    # Recorded case 12.
    meta, _ = imported_key(kms_import)
    kms.delete_imported_key_material(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == ("KMSInvalidStateException", f"{meta['Arn']} is pending import.")


def test_encrypt_with_a_disabled_key_is_refused(kms: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(kms_import)
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == ("DisabledException", f"{meta['Arn']} is disabled.")


def test_encrypt_with_a_key_pending_deletion_is_refused(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == ("KMSInvalidStateException", f"{meta['Arn']} is pending deletion.")


def test_encrypt_with_an_unknown_key_is_not_found(kms: Any) -> None:
    key_id = "11111111-2222-3333-4444-555555555555"
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=key_id, Plaintext=b"x")
    assert error_of(raised) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:eu-west-1:123456789012:key/{key_id}' does not exist",
    )


def test_encrypt_with_a_malformed_arn_is_not_found(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId="arn:aws:kms:nonsense", Plaintext=b"x")
    assert error_of(raised) == ("NotFoundException", "Invalid arn arn:aws:kms:nonsense")


# --- key usage, key spec and algorithm ------------------------------------------------------


def test_encrypt_with_a_signing_key_is_invalid_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "ECC_NIST_P256", key_usage="SIGN_VERIFY")
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key usage is SIGN_VERIFY which is not valid for Encrypt.",
    )


def test_encrypt_with_an_hmac_key_is_invalid_key_usage(kms: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(kms_import, "HMAC_256", key_usage="GENERATE_VERIFY_MAC")
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.",
    )


def test_encrypt_checks_the_key_state_before_the_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    # As recorded case 32 shows for RotateKeyOnDemand: the state comes first.
    meta, _ = imported_key(kms_import, "ECC_NIST_P256", key_usage="SIGN_VERIFY")
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == ("DisabledException", f"{meta['Arn']} is disabled.")


def test_encrypt_with_an_rsa_algorithm_on_a_symmetric_key_is_invalid_key_usage(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} does not support the encryption algorithm RSAES_OAEP_SHA_256. "
        "Its encryption algorithms: SYMMETRIC_DEFAULT.",
    )


def test_encrypt_with_an_rsa_key_needs_an_rsa_algorithm(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "RSA_2048")
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} does not support the encryption algorithm SYMMETRIC_DEFAULT. "
        "Its encryption algorithms: RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256.",
    )


def test_encrypt_with_an_encryption_context_on_an_rsa_key_is_refused(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, "RSA_2048")
    with pytest.raises(ClientError) as raised:
        kms.encrypt(
            KeyId=meta["KeyId"],
            Plaintext=b"x",
            EncryptionAlgorithm="RSAES_OAEP_SHA_256",
            EncryptionContext={"purpose": "test"},
        )
    assert error_of(raised) == (
        "ValidationException",
        "EncryptionContext is valid only for symmetric encryption KMS keys, not for KeySpec "
        "RSA_2048.",
    )


# --- RSA keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
def test_rsa_ciphertext_decrypts_locally_with_the_imported_private_key(
    kms: Any, kms_import: KmsImportMock, algorithm: str
) -> None:
    meta, material = imported_key(kms_import, "RSA_2048")
    response = kms.encrypt(
        KeyId=meta["KeyId"], Plaintext=b"hsm check", EncryptionAlgorithm=algorithm
    )
    assert response["EncryptionAlgorithm"] == algorithm
    blob = response["CiphertextBlob"]
    assert len(blob) == 256
    assert private_key(material).decrypt(blob, oaep(algorithm)) == b"hsm check"


RSA_LIMITS = [
    ("RSA_2048", "RSAES_OAEP_SHA_1", 214),
    ("RSA_2048", "RSAES_OAEP_SHA_256", 190),
    ("RSA_3072", "RSAES_OAEP_SHA_1", 342),
    ("RSA_3072", "RSAES_OAEP_SHA_256", 318),
    ("RSA_4096", "RSAES_OAEP_SHA_1", 470),
    ("RSA_4096", "RSAES_OAEP_SHA_256", 446),
]


@pytest.mark.parametrize(("key_spec", "algorithm", "limit"), RSA_LIMITS)
def test_rsa_encrypt_takes_plaintext_up_to_the_documented_limit(
    kms: Any, kms_import: KmsImportMock, key_spec: str, algorithm: str, limit: int
) -> None:
    meta, material = imported_key(kms_import, key_spec)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x" * limit, EncryptionAlgorithm=algorithm)[
        "CiphertextBlob"
    ]
    assert private_key(material).decrypt(blob, oaep(algorithm)) == b"x" * limit
    with pytest.raises(ClientError) as raised:
        kms.encrypt(
            KeyId=meta["KeyId"], Plaintext=b"x" * (limit + 1), EncryptionAlgorithm=algorithm
        )
    # Recorded (LocalStack's AWS-validated snapshot), for each of these six pairs.
    assert error_of(raised) == (
        "ValidationException",
        f"Algorithm {algorithm} and key spec {key_spec} cannot encrypt data larger than "
        f"{limit} bytes.",
    )


def test_rsa_key_kms_made_gets_its_material_on_first_use(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    algorithm = "RSAES_OAEP_SHA_256"
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"lazy", EncryptionAlgorithm=algorithm)[
        "CiphertextBlob"
    ]
    decrypted = kms.decrypt(CiphertextBlob=blob, KeyId=key_id, EncryptionAlgorithm=algorithm)
    assert decrypted["Plaintext"] == b"lazy"


# --- DryRun ---------------------------------------------------------------------------------


def test_encrypt_dry_run_that_would_succeed_answers_dry_run_operation(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", DryRun=True)
    assert error_of(raised) == (
        "DryRunOperationException",
        "The request was rejected because the DryRun parameter was specified.",
    )


def test_encrypt_dry_run_that_would_fail_answers_the_failure(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import)
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(kms.exceptions.DisabledException):
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", DryRun=True)


def test_encrypt_dry_run_makes_no_material_for_a_key_kms_made(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.encrypt(
            KeyId=key_id, Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_1", DryRun=True
        )
    assert kms_import.inspect_key(key_id).materials == ()


# --- China Regions --------------------------------------------------------------------------


@pytest.fixture
def china(kms_import: KmsImportMock) -> Any:
    return boto3.client("kms", region_name=CHINA_REGION)


def test_symmetric_key_in_china_encrypts_with_sm4_under_16_byte_material(
    china: Any, kms_import: KmsImportMock
) -> None:
    meta, _ = imported_key(kms_import, region=CHINA_REGION, material=os.urandom(16))
    blob = china.encrypt(KeyId=meta["KeyId"], Plaintext=b"sm4")["CiphertextBlob"]
    assert parse_ciphertext(blob).cipher == 2  # SM4-GCM
    assert china.decrypt(CiphertextBlob=blob)["Plaintext"] == b"sm4"


def test_symmetric_key_kms_made_in_china_has_16_byte_material(
    china: Any, kms_import: KmsImportMock
) -> None:
    key_id = china.create_key()["KeyMetadata"]["KeyId"]
    material = kms_import.key_material(key_id, region=CHINA_REGION)
    assert material is not None and len(material) == 16
    blob = china.encrypt(KeyId=key_id, Plaintext=b"sm4")["CiphertextBlob"]
    assert china.decrypt(CiphertextBlob=blob)["Plaintext"] == b"sm4"


def test_sm2_key_encrypts_with_sm2pke_that_decrypts_with_its_private_key(
    china: Any, kms_import: KmsImportMock
) -> None:
    material = sm2.generate_sm2_private_key()
    meta, _ = imported_key(kms_import, "SM2", region=CHINA_REGION, material=material)
    response = china.encrypt(KeyId=meta["KeyId"], Plaintext=b"sm2", EncryptionAlgorithm="SM2PKE")
    scalar = sm2.sm2_key_identity(material).to_bytes(32, "big")
    assert sm2.sm2pke_decrypt(scalar, response["CiphertextBlob"]) == b"sm2"
    decrypted = china.decrypt(
        KeyId=meta["KeyId"], CiphertextBlob=response["CiphertextBlob"], EncryptionAlgorithm="SM2PKE"
    )
    assert decrypted["Plaintext"] == b"sm2"


def test_sm2pke_takes_up_to_1024_bytes(china: Any, kms_import: KmsImportMock) -> None:
    meta, _ = imported_key(
        kms_import, "SM2", region=CHINA_REGION, material=sm2.generate_sm2_private_key()
    )
    china.encrypt(KeyId=meta["KeyId"], Plaintext=b"x" * 1024, EncryptionAlgorithm="SM2PKE")
    with pytest.raises(ClientError) as raised:
        china.encrypt(KeyId=meta["KeyId"], Plaintext=b"x" * 1025, EncryptionAlgorithm="SM2PKE")
    assert error_of(raised) == (
        "ValidationException",
        "Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes.",
    )


def test_rsa_key_refuses_sm2pke(kms: Any, kms_import: KmsImportMock) -> None:
    key = create_external_key(kms, "RSA_2048")
    import_material(
        kms, key["KeyId"], material_for("RSA_2048"), algorithm="RSA_AES_KEY_WRAP_SHA_256"
    )
    with pytest.raises(kms.exceptions.InvalidKeyUsageException):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionAlgorithm="SM2PKE")


def test_encrypt_with_another_accounts_key_arn_is_access_denied(
    kms: Any, kms_import: KmsImportMock
) -> None:
    # The default key policy trusts only the key's own account (the mock keeps no other).
    meta, _ = imported_key(kms_import, account="111122223333")
    with pytest.raises(ClientError) as raised:
        kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x")
    assert error_of(raised) == (
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:root is not authorized to perform: kms:Encrypt on "
        f"resource: {meta['Arn']} because no resource-based policy allows the kms:Encrypt "
        "action",
    )
