"""Decrypt: symmetric ciphertexts name their key and material (no KeyId needed, rotation
and multi-Region keys included), the encryption context is authenticated, any tampering
fails, and asymmetric ciphertexts need their KeyId and EncryptionAlgorithm."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from encryption_testing import imported_key, oaep, private_key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_testing import REGION, error_of, import_material

from kmsimport_mock import KmsImportMock, ParameterNotMocked
from kmsimport_mock.protocol import kms_service_model

INVALID_CIPHERTEXT = ("InvalidCiphertextException", "")


@pytest.fixture
def symmetric(kms_import: KmsImportMock) -> dict[str, Any]:
    return imported_key(kms_import)[0]


def test_decrypt_needs_no_key_id_for_a_symmetric_ciphertext(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"


def test_decrypt_answers_the_key_arn_the_algorithm_and_the_material_id(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    response = kms.decrypt(CiphertextBlob=blob, KeyId=symmetric["KeyId"])
    assert response["KeyId"] == symmetric["Arn"]
    assert response["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert response["KeyMaterialId"] == symmetric["CurrentKeyMaterialId"]


def test_decrypt_with_the_key_arn_works(kms: Any, symmetric: dict[str, Any]) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, KeyId=symmetric["Arn"])["Plaintext"] == b"secret"


# --- the encryption context --------------------------------------------------------------


def test_decrypt_with_the_same_context_in_another_order_works(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(
        KeyId=symmetric["KeyId"], Plaintext=b"secret", EncryptionContext={"a": "1", "b": "2"}
    )["CiphertextBlob"]
    response = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"b": "2", "a": "1"})
    assert response["Plaintext"] == b"secret"


@pytest.mark.parametrize(
    "context",
    [
        None,
        {},
        {"a": "1"},
        {"a": "1", "b": "3"},
        {"A": "1", "b": "2"},
        {"a": "1", "b": "2", "c": ""},
    ],
    ids=["none", "empty", "missing pair", "other value", "other case", "extra pair"],
)
def test_decrypt_with_another_context_is_invalid_ciphertext(
    kms: Any, symmetric: dict[str, Any], context: dict[str, str] | None
) -> None:
    blob = kms.encrypt(
        KeyId=symmetric["KeyId"], Plaintext=b"secret", EncryptionContext={"a": "1", "b": "2"}
    )["CiphertextBlob"]
    extra = {} if context is None else {"EncryptionContext": context}
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob, **extra)
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_decrypt_of_a_ciphertext_made_without_context_refuses_a_context(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "1"})
    assert error_of(raised) == INVALID_CIPHERTEXT


# --- what the ciphertext names ------------------------------------------------------------


def test_decrypt_with_the_key_id_of_another_key_is_incorrect_key(
    kms: Any, kms_import: KmsImportMock, symmetric: dict[str, Any]
) -> None:
    other, _ = imported_key(kms_import)
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob, KeyId=other["KeyId"])
    assert error_of(raised) == (
        "IncorrectKeyException",
        "The request was rejected because the specified KMS key cannot decrypt the data. The "
        "KeyId in a Decrypt request and the SourceKeyId in a ReEncrypt request must identify "
        "the same KMS key that was used to encrypt the ciphertext.",
    )


def test_unrelated_key_with_the_same_material_cannot_decrypt(
    kms: Any, kms_import: KmsImportMock
) -> None:
    # KMS binds the key into the ciphertext: same material, other key, no decryption.
    material = os.urandom(32)
    first, _ = imported_key(kms_import, material=material)
    second, _ = imported_key(kms_import, material=material)
    blob = kms.encrypt(KeyId=first["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with pytest.raises(kms.exceptions.IncorrectKeyException):
        kms.decrypt(CiphertextBlob=blob, KeyId=second["KeyId"])


def test_ciphertext_of_a_key_the_caller_does_not_have_is_invalid_ciphertext(
    kms: Any, make_client: Callable[..., Any], symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with pytest.raises(ClientError) as raised:
        make_client("us-east-1").decrypt(CiphertextBlob=blob)
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_ciphertext_of_a_deleted_key_is_invalid_ciphertext(
    kms: Any, kms_import: KmsImportMock, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    key = kms_import.backend.find_key(symmetric["KeyId"], None, None)
    assert key is not None
    kms_import.backend.remove_key(key)
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(raised) == INVALID_CIPHERTEXT


@pytest.mark.parametrize("blob", [b"x", b"not a ciphertext at all" * 4, os.urandom(300)])
def test_bytes_that_are_no_ciphertext_are_invalid_ciphertext(kms: Any, blob: bytes) -> None:
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_decrypt_without_a_ciphertext_is_a_validation_error(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    # Older botocore models CiphertextBlob as required and would refuse before sending.
    unchecked = boto3.client("kms", region_name=REGION, config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as raised:
        unchecked.decrypt(KeyId=symmetric["KeyId"])
    assert error_of(raised) == (
        "ValidationException",
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy "
        "constraint: Member must not be null",
    )


# --- key states ------------------------------------------------------------------------


def test_decrypt_after_material_deletion_is_pending_import(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=symmetric["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(raised) == (
        "KMSInvalidStateException",
        f"{symmetric['Arn']} is pending import.",
    )


def test_decrypt_after_reimport_of_the_same_material_works_again(
    kms: Any, kms_import: KmsImportMock
) -> None:
    meta, material = imported_key(kms_import)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=meta["KeyId"])
    import_material(kms, meta["KeyId"], material)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"


def test_decrypt_with_a_disabled_key_is_refused(kms: Any, symmetric: dict[str, Any]) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    kms.disable_key(KeyId=symmetric["KeyId"])
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(raised) == ("DisabledException", f"{symmetric['Arn']} is disabled.")


# --- rotation and multi-Region keys ---------------------------------------------------------


def test_recorded_case_33_ciphertext_of_the_previous_material_decrypts_after_rotation(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    key_id = symmetric["KeyId"]
    before = kms.encrypt(KeyId=key_id, Plaintext=b"before")["CiphertextBlob"]
    import_material(kms, key_id, os.urandom(32), ImportType="NEW_KEY_MATERIAL")
    kms.rotate_key_on_demand(KeyId=key_id)
    after = kms.encrypt(KeyId=key_id, Plaintext=b"after")
    old = kms.decrypt(CiphertextBlob=before)
    assert old["Plaintext"] == b"before"
    assert old["KeyMaterialId"] == symmetric["CurrentKeyMaterialId"]  # now NON_CURRENT
    new = kms.decrypt(CiphertextBlob=after["CiphertextBlob"])
    assert new["Plaintext"] == b"after"
    assert (
        new["KeyMaterialId"]
        == kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    )
    assert new["KeyMaterialId"] != old["KeyMaterialId"]


def test_multi_region_ciphertext_decrypts_in_every_region_of_the_key(
    make_client: Callable[..., Any], kms_import: KmsImportMock
) -> None:
    kms_import.replica_creation_delay = 0  # the replica is ready at once
    primary, replica = make_client("eu-west-1"), make_client("us-east-1")
    meta = primary.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]
    material = os.urandom(32)
    import_material(primary, meta["KeyId"], material)
    primary.replicate_key(KeyId=meta["KeyId"], ReplicaRegion="us-east-1")
    import_material(replica, meta["KeyId"], material)
    made_in_primary = primary.encrypt(KeyId=meta["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    made_in_replica = replica.encrypt(KeyId=meta["KeyId"], Plaintext=b"r")["CiphertextBlob"]
    decrypted = replica.decrypt(CiphertextBlob=made_in_primary)
    assert decrypted["Plaintext"] == b"p"
    assert decrypted["KeyId"] == meta["Arn"].replace("eu-west-1", "us-east-1")
    assert primary.decrypt(CiphertextBlob=made_in_replica)["Plaintext"] == b"r"


# --- every ciphertext decrypts, and no tampered one does ------------------------------------

contexts = st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=3)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plaintext=st.binary(min_size=1, max_size=256), context=contexts)
def test_every_symmetric_ciphertext_decrypts_to_its_plaintext(
    kms: Any, symmetric: dict[str, Any], plaintext: bytes, context: dict[str, str]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=plaintext, EncryptionContext=context)[
        "CiphertextBlob"
    ]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"] == plaintext


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changing_any_byte_of_a_symmetric_ciphertext_makes_it_invalid(
    kms: Any, symmetric: dict[str, Any], data: Any
) -> None:
    blob = kms.encrypt(
        KeyId=symmetric["KeyId"], Plaintext=b"tamper me", EncryptionContext={"k": "v"}
    )["CiphertextBlob"]
    position = data.draw(st.integers(0, len(blob) - 1), label="position")
    flip = data.draw(st.integers(1, 255), label="xor")
    tampered = bytearray(blob)
    tampered[position] ^= flip
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=bytes(tampered), EncryptionContext={"k": "v"})
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_truncated_symmetric_ciphertext_is_invalid(kms: Any, symmetric: dict[str, Any]) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    for length in (1, 10, len(blob) - 1):
        with pytest.raises(ClientError) as raised:
            kms.decrypt(CiphertextBlob=blob[:length])
        assert error_of(raised) == INVALID_CIPHERTEXT


# --- RSA keys -------------------------------------------------------------------------------


@pytest.fixture
def rsa_key(kms_import: KmsImportMock) -> tuple[dict[str, Any], bytes]:
    return imported_key(kms_import, "RSA_2048")


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
def test_rsa_decrypt_takes_ciphertext_made_outside_kms_with_the_public_key(
    kms: Any, rsa_key: tuple[dict[str, Any], bytes], algorithm: str
) -> None:
    meta, material = rsa_key
    blob = private_key(material).public_key().encrypt(b"from outside", oaep(algorithm))
    response = kms.decrypt(CiphertextBlob=blob, KeyId=meta["KeyId"], EncryptionAlgorithm=algorithm)
    assert response["Plaintext"] == b"from outside"
    assert response["KeyId"] == meta["Arn"]
    assert response["EncryptionAlgorithm"] == algorithm
    assert "KeyMaterialId" not in response


def test_rsa_ciphertext_without_a_key_id_is_invalid_ciphertext(
    kms: Any, rsa_key: tuple[dict[str, Any], bytes]
) -> None:
    meta, _ = rsa_key
    algorithm = "RSAES_OAEP_SHA_256"
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", EncryptionAlgorithm=algorithm)[
        "CiphertextBlob"
    ]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob, EncryptionAlgorithm=algorithm)
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_rsa_decrypt_without_an_encryption_algorithm_is_invalid_key_usage(
    kms: Any, rsa_key: tuple[dict[str, Any], bytes]
) -> None:
    meta, _ = rsa_key
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_1")[
        "CiphertextBlob"
    ]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(CiphertextBlob=blob, KeyId=meta["KeyId"])
    assert error_of(raised) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} does not support the encryption algorithm SYMMETRIC_DEFAULT. "
        "Its encryption algorithms: RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256.",
    )


def test_rsa_decrypt_with_the_other_oaep_hash_is_invalid_ciphertext(
    kms: Any, rsa_key: tuple[dict[str, Any], bytes]
) -> None:
    meta, _ = rsa_key
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_1")[
        "CiphertextBlob"
    ]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(
            CiphertextBlob=blob, KeyId=meta["KeyId"], EncryptionAlgorithm="RSAES_OAEP_SHA_256"
        )
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_symmetric_ciphertext_given_to_an_rsa_key_is_invalid_ciphertext(
    kms: Any, symmetric: dict[str, Any], rsa_key: tuple[dict[str, Any], bytes]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(
            CiphertextBlob=blob, KeyId=rsa_key[0]["KeyId"], EncryptionAlgorithm="RSAES_OAEP_SHA_256"
        )
    assert error_of(raised) == INVALID_CIPHERTEXT


def test_rsa_key_kms_made_and_never_used_decrypts_nothing_and_gets_no_material(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as raised:
        kms.decrypt(
            CiphertextBlob=b"\x00" * 256, KeyId=key_id, EncryptionAlgorithm="RSAES_OAEP_SHA_1"
        )
    assert error_of(raised) == INVALID_CIPHERTEXT
    assert kms_import.inspect_key(key_id).materials == ()


# --- Recipient and DryRun ---------------------------------------------------------------------


def test_decrypt_for_a_nitro_enclave_recipient_is_not_mocked(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    recipient = {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"doc"}
    with pytest.raises(ParameterNotMocked, match="Recipient parameter of KMS operation 'Decrypt'"):
        kms.decrypt(CiphertextBlob=blob, Recipient=recipient)


def test_decrypt_dry_run_that_would_succeed_answers_dry_run_operation(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.decrypt(CiphertextBlob=blob, DryRun=True)


def test_decrypt_dry_run_with_a_bad_ciphertext_answers_invalid_ciphertext(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=b"garbage", KeyId=symmetric["KeyId"], DryRun=True)


# DryRunModifiers came with a botocore newer than the lowest one supported; the lower-bounds
# run has no way to send it.
needs_dry_run_modifiers = pytest.mark.skipif(
    "DryRunModifiers" not in kms_service_model().operation_model("Decrypt").input_shape.members,
    reason="this botocore's KMS model has no DryRunModifiers",
)


@needs_dry_run_modifiers
def test_decrypt_dry_run_ignoring_the_ciphertext_checks_only_the_key(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    with pytest.raises(kms.exceptions.DryRunOperationException):
        kms.decrypt(KeyId=symmetric["KeyId"], DryRun=True, DryRunModifiers=["IGNORE_CIPHERTEXT"])
    kms.disable_key(KeyId=symmetric["KeyId"])
    with pytest.raises(kms.exceptions.DisabledException):
        kms.decrypt(KeyId=symmetric["KeyId"], DryRun=True, DryRunModifiers=["IGNORE_CIPHERTEXT"])


@needs_dry_run_modifiers
def test_decrypt_dry_run_ignoring_the_ciphertext_needs_the_key_id(kms: Any) -> None:
    with pytest.raises(ClientError) as raised:
        kms.decrypt(DryRun=True, DryRunModifiers=["IGNORE_CIPHERTEXT"])
    assert error_of(raised) == (
        "ValidationException",
        "KeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT.",
    )


def test_decrypt_in_another_partition_region_of_the_same_account_finds_nothing(
    kms: Any, symmetric: dict[str, Any]
) -> None:
    blob = kms.encrypt(KeyId=symmetric["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    china = boto3.client("kms", region_name="cn-north-1")
    with pytest.raises(china.exceptions.InvalidCiphertextException):
        china.decrypt(CiphertextBlob=blob)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changing_any_byte_of_an_sm4_ciphertext_makes_it_invalid(
    kms_import: KmsImportMock, data: Any
) -> None:
    china = boto3.client("kms", region_name="cn-north-1")
    meta, _ = imported_key(kms_import, region="cn-north-1")
    blob = china.encrypt(KeyId=meta["KeyId"], Plaintext=b"sm4 tamper me")["CiphertextBlob"]
    assert china.decrypt(CiphertextBlob=blob)["Plaintext"] == b"sm4 tamper me"
    tampered = bytearray(blob)
    tampered[data.draw(st.integers(0, len(blob) - 1))] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ClientError) as raised:
        china.decrypt(CiphertextBlob=bytes(tampered))
    assert error_of(raised) == INVALID_CIPHERTEXT


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plaintext=st.binary(min_size=1, max_size=190),
    algorithm=st.sampled_from(["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]),
    data=st.data(),
)
def test_every_rsa_ciphertext_decrypts_locally_and_no_tampered_one_decrypts(
    kms: Any,
    rsa_key: tuple[dict[str, Any], bytes],
    plaintext: bytes,
    algorithm: str,
    data: Any,
) -> None:
    meta, material = rsa_key
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=plaintext, EncryptionAlgorithm=algorithm)[
        "CiphertextBlob"
    ]
    assert private_key(material).decrypt(blob, oaep(algorithm)) == plaintext
    tampered = bytearray(blob)
    tampered[data.draw(st.integers(0, len(blob) - 1))] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ClientError) as raised:
        kms.decrypt(
            CiphertextBlob=bytes(tampered), KeyId=meta["KeyId"], EncryptionAlgorithm=algorithm
        )
    assert error_of(raised) == INVALID_CIPHERTEXT
