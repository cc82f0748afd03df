"""ReEncrypt: decrypts under the source key and encrypts under the destination key inside
KMS, with the same rules as Decrypt and Encrypt on each side."""

from __future__ import annotations

import os
from typing import Any

import pytest
from botocore.exceptions import ClientError
from encryption_testing import imported_key, oaep, private_key
from kms_testing import error_of, import_material

from kmsimport_mock import KmsImportMock


@pytest.fixture
def two_keys(kms_import: KmsImportMock) -> tuple[dict[str, Any], dict[str, Any]]:
    return imported_key(kms_import)[0], imported_key(kms_import)[0]


def test_re_encrypt_moves_a_ciphertext_to_another_key(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"move me")["CiphertextBlob"]
    response = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"])
    assert response["SourceKeyId"] == source["Arn"]
    assert response["KeyId"] == destination["Arn"]
    assert response["SourceEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert response["DestinationEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert response["SourceKeyMaterialId"] == source["CurrentKeyMaterialId"]
    assert response["DestinationKeyMaterialId"] == destination["CurrentKeyMaterialId"]
    decrypted = kms.decrypt(CiphertextBlob=response["CiphertextBlob"])
    assert (decrypted["KeyId"], decrypted["Plaintext"]) == (destination["Arn"], b"move me")


def test_re_encrypt_under_the_same_key_changes_the_context(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    key = two_keys[0]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext={"v": "1"})[
        "CiphertextBlob"
    ]
    moved = kms.re_encrypt(
        CiphertextBlob=blob,
        SourceEncryptionContext={"v": "1"},
        DestinationKeyId=key["KeyId"],
        DestinationEncryptionContext={"v": "2"},
    )["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=moved, EncryptionContext={"v": "2"})["Plaintext"] == b"x"
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=moved, EncryptionContext={"v": "1"})


def test_re_encrypt_with_the_wrong_source_context_is_invalid_ciphertext(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x", EncryptionContext={"v": "1"})[
        "CiphertextBlob"
    ]
    with pytest.raises(ClientError) as raised:
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"])
    assert error_of(raised) == ("InvalidCiphertextException", "")


def test_re_encrypt_with_a_source_key_id_that_did_not_encrypt_is_incorrect_key(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(kms.exceptions.IncorrectKeyException):
        kms.re_encrypt(
            CiphertextBlob=blob,
            SourceKeyId=destination["KeyId"],
            DestinationKeyId=destination["KeyId"],
        )


def test_re_encrypt_to_a_disabled_destination_is_refused(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    kms.disable_key(KeyId=destination["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"])
    assert error_of(raised) == ("DisabledException", f"{destination['Arn']} is disabled.")


def test_re_encrypt_from_a_source_pending_import_is_refused(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=source["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"])
    assert error_of(raised) == ("KMSInvalidStateException", f"{source['Arn']} is pending import.")


def test_re_encrypt_after_rotation_moves_old_ciphertext_to_the_new_material(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    key = two_keys[0]
    old = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"old")["CiphertextBlob"]
    import_material(kms, key["KeyId"], os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    kms.rotate_key_on_demand(KeyId=key["KeyId"])
    response = kms.re_encrypt(CiphertextBlob=old, DestinationKeyId=key["KeyId"])
    assert response["SourceKeyMaterialId"] == key["CurrentKeyMaterialId"]
    assert response["DestinationKeyMaterialId"] != key["CurrentKeyMaterialId"]


def test_re_encrypt_from_a_symmetric_key_to_an_rsa_key(
    kms: Any, kms_import: KmsImportMock, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source = two_keys[0]
    rsa_meta, material = imported_key(kms_import, "RSA_2048")
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"to rsa")["CiphertextBlob"]
    response = kms.re_encrypt(
        CiphertextBlob=blob,
        DestinationKeyId=rsa_meta["KeyId"],
        DestinationEncryptionAlgorithm="RSAES_OAEP_SHA_256",
    )
    assert "DestinationKeyMaterialId" not in response
    decrypted = private_key(material).decrypt(
        response["CiphertextBlob"], oaep("RSAES_OAEP_SHA_256")
    )
    assert decrypted == b"to rsa"


def test_re_encrypt_of_too_much_plaintext_for_an_rsa_destination_is_refused(
    kms: Any, kms_import: KmsImportMock, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source = two_keys[0]
    rsa_meta, _ = imported_key(kms_import, "RSA_2048")
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x" * 191)["CiphertextBlob"]
    with pytest.raises(ClientError) as raised:
        kms.re_encrypt(
            CiphertextBlob=blob,
            DestinationKeyId=rsa_meta["KeyId"],
            DestinationEncryptionAlgorithm="RSAES_OAEP_SHA_256",
        )
    assert error_of(raised) == (
        "ValidationException",
        "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than "
        "190 bytes.",
    )


def test_re_encrypt_from_an_rsa_key_needs_its_key_id_and_algorithm(
    kms: Any, kms_import: KmsImportMock, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    destination = two_keys[1]
    rsa_meta, material = imported_key(kms_import, "RSA_2048")
    blob = private_key(material).public_key().encrypt(b"from rsa", oaep("RSAES_OAEP_SHA_1"))
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"])
    moved = kms.re_encrypt(
        CiphertextBlob=blob,
        SourceKeyId=rsa_meta["KeyId"],
        SourceEncryptionAlgorithm="RSAES_OAEP_SHA_1",
        DestinationKeyId=destination["KeyId"],
    )
    assert moved["SourceEncryptionAlgorithm"] == "RSAES_OAEP_SHA_1"
    assert "SourceKeyMaterialId" not in moved
    assert kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"] == b"from rsa"


def test_re_encrypt_dry_run_answers_dry_run_operation(
    kms: Any, two_keys: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    source, destination = two_keys
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination["KeyId"], DryRun=True)
