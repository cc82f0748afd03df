"""Sign: signatures from the imported (or KMS-made) private key that verify outside KMS."""

from __future__ import annotations

import hashlib
import sys
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_testing import der_pkcs8, error_of, import_material
from signing_testing import (
    ECC_ALGORITHMS,
    IMPORTABLE_PAIRS,
    digest,
    imported_signing_key,
    public_der,
    verifies_locally,
)

from kmsimport_mock import Ed25519phExtraNotInstalled, KmsImportMock

MESSAGE = b"migrated from the HSM on 2026-04-01"


def _signature(kms: Any, key_id: str, algorithm: str, message: bytes = MESSAGE, **kw: Any) -> Any:
    return kms.sign(KeyId=key_id, Message=message, SigningAlgorithm=algorithm, **kw)["Signature"]


@pytest.mark.parametrize(("key_spec", "algorithm"), IMPORTABLE_PAIRS)
def test_signature_of_imported_key_verifies_with_its_public_half(
    kms: Any, key_spec: str, algorithm: str
) -> None:
    key_id, private = imported_signing_key(kms, key_spec)
    signature = _signature(kms, key_id, algorithm)
    assert verifies_locally(public_der(private), algorithm, MESSAGE, signature)


@pytest.mark.parametrize(("key_spec", "algorithm"), IMPORTABLE_PAIRS)
def test_signature_of_a_digest_verifies_as_a_signature_of_the_message(
    kms: Any, key_spec: str, algorithm: str
) -> None:
    key_id, private = imported_signing_key(kms, key_spec)
    signature = _signature(kms, key_id, algorithm, digest(algorithm, MESSAGE), MessageType="DIGEST")
    assert verifies_locally(public_der(private), algorithm, MESSAGE, signature)


def test_hsm_migration_check_signs_in_kms_and_verifies_with_the_hsm_public_key(
    kms: Any,
) -> None:
    # The HSM's key pair: the private half is imported, the public half stays with the
    # relying parties, who must accept what KMS now signs.
    hsm_key = ec.generate_private_key(ec.SECP384R1())
    hsm_public_pem = hsm_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_id = kms.create_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P384", KeyUsage="SIGN_VERIFY")[
        "KeyMetadata"
    ]["KeyId"]
    import_material(kms, key_id, der_pkcs8(hsm_key))
    signature = _signature(kms, key_id, "ECDSA_SHA_384")
    relying_party_key = serialization.load_pem_public_key(hsm_public_pem)
    assert isinstance(relying_party_key, ec.EllipticCurvePublicKey)
    # Raises InvalidSignature unless KMS signed with the HSM's private key.
    relying_party_key.verify(signature, MESSAGE, ec.ECDSA(hashes.SHA384()))


def test_sign_answers_with_the_key_arn_and_the_algorithm(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    answer = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    assert (answer["KeyId"], answer["SigningAlgorithm"]) == (arn, "ECDSA_SHA_256")


def test_ecdsa_signature_is_der_encoded(kms: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    signature = _signature(kms, key_id, "ECDSA_SHA_256")
    r, s = decode_dss_signature(signature)
    assert r > 0 and s > 0


@pytest.mark.parametrize("key_spec", ["RSA_2048", "ECC_NIST_P256", "ECC_SECG_P256K1"])
def test_kms_made_key_signs_and_its_public_key_verifies(kms: Any, key_spec: str) -> None:
    key_id = kms.create_key(KeySpec=key_spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    algorithm = ECC_ALGORITHMS.get(key_spec, "RSASSA_PSS_SHA_256")
    signature = _signature(kms, key_id, algorithm)
    public_key = kms.get_public_key(KeyId=key_id)["PublicKey"]
    assert verifies_locally(public_key, algorithm, MESSAGE, signature)


def test_kms_made_key_keeps_its_key_pair_from_one_signature_to_the_next(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    first = _signature(kms, key_id, "ECDSA_SHA_256")
    public_key = kms.get_public_key(KeyId=key_id)["PublicKey"]
    second = _signature(kms, key_id, "ECDSA_SHA_256")
    assert verifies_locally(public_key, "ECDSA_SHA_256", MESSAGE, first)
    assert verifies_locally(public_key, "ECDSA_SHA_256", MESSAGE, second)


def test_ed25519_signature_verifies_with_the_public_key(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    signature = _signature(kms, key_id, "ED25519_SHA_512")
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, ed25519.Ed25519PublicKey)
    public.verify(signature, MESSAGE)


def test_ed25519ph_signs_the_callers_sha512_digest_hashed_once_more(kms: Any) -> None:
    from Crypto.Hash import SHA512
    from Crypto.PublicKey import ECC
    from Crypto.Signature import eddsa

    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    message_digest = hashlib.sha512(MESSAGE).digest()
    signature = _signature(kms, key_id, "ED25519_PH_SHA_512", message_digest, MessageType="DIGEST")
    public = ECC.import_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    eddsa.new(public, "rfc8032").verify(SHA512.new(message_digest), signature)


@pytest.mark.parametrize(
    ("algorithm", "message_type"),
    [("ED25519_SHA_512", "DIGEST"), ("ED25519_PH_SHA_512", "RAW")],
)
def test_ed25519_algorithm_with_the_other_message_type_is_refused(
    kms: Any, algorithm: str, message_type: str
) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, algorithm, bytes(64), MessageType=message_type)
    assert error_of(excinfo) == (
        "ValidationException",
        f"Message type {message_type} is incompatible with algorithm {algorithm}.",
    )


def test_ml_dsa_refuses_a_digest(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ML_DSA_44", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ML_DSA_SHAKE_256", bytes(32), MessageType="DIGEST")
    assert error_of(excinfo) == (
        "ValidationException",
        "Message type DIGEST is incompatible with key spec ML_DSA_44.",
    )


def test_ml_dsa_external_mu_must_be_64_bytes(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ML_DSA_44", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ML_DSA_SHAKE_256", bytes(32), MessageType="EXTERNAL_MU")
    assert error_of(excinfo) == (
        "ValidationException",
        "External Mu is invalid length for algorithm ML_DSA_SHAKE_256.",
    )


def test_external_mu_is_refused_for_keys_other_than_ml_dsa(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256", bytes(64), MessageType="EXTERNAL_MU")
    assert error_of(excinfo) == (
        "ValidationException",
        "Message type EXTERNAL_MU is incompatible with key spec ECC_NIST_P256.",
    )


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("length_change", [-1, 1])
def test_digest_of_the_wrong_length_is_refused(kms: Any, length_change: int) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048")
    with pytest.raises(ClientError) as excinfo:
        _signature(
            kms, key_id, "RSASSA_PSS_SHA_384", bytes(48 + length_change), MessageType="DIGEST"
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Digest is invalid length for algorithm RSASSA_PSS_SHA_384.",
    )


def test_algorithm_the_key_spec_does_not_list_is_refused(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_384")
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.",
    )


def test_encryption_key_cannot_sign(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048", usage="ENCRYPT_DECRYPT")
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "RSASSA_PSS_SHA_256")
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        f"{arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.",
    )


def test_hmac_key_cannot_sign(kms: Any) -> None:
    meta = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, meta["KeyId"], "ECDSA_SHA_256")
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.",
    )


def test_disabled_key_cannot_sign(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.disable_key(KeyId=key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256")
    assert error_of(excinfo) == ("DisabledException", f"{arn} is disabled.")


def test_key_state_is_checked_before_the_algorithm(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "RSASSA_PSS_SHA_256")
    assert error_of(excinfo)[0] == "DisabledException"


def test_key_pending_import_cannot_sign(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")[
        "KeyMetadata"
    ]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, meta["KeyId"], "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{meta['Arn']} is pending import.")


def test_key_whose_material_was_deleted_cannot_sign(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.delete_imported_key_material(KeyId=key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{arn} is pending import.")


def test_key_pending_deletion_cannot_sign(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{arn} is pending deletion.")


def test_unknown_key_is_not_found(kms: Any) -> None:
    key_id = "0f0e0d0c-0b0a-4908-8706-050403020100"
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256")
    assert error_of(excinfo) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:eu-west-1:123456789012:key/{key_id}' does not exist",
    )


def test_malformed_key_arn_is_not_found(kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, "arn:aws:kms:eu-west-1:123456789012:key/", "ECDSA_SHA_256")
    assert error_of(excinfo) == (
        "NotFoundException",
        "Invalid arn arn:aws:kms:eu-west-1:123456789012:key/",
    )


def test_message_longer_than_4096_bytes_is_refused(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    unvalidated = boto3.client(
        "kms", region_name="eu-west-1", config=Config(parameter_validation=False)
    )
    with pytest.raises(ClientError) as excinfo:
        _signature(unvalidated, key_id, "ECDSA_SHA_256", bytes(4097))
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 4096" in message


def test_dry_run_answers_that_the_call_would_have_succeeded(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        _signature(kms, key_id, "ECDSA_SHA_256", DryRun=True)
    assert error_of(excinfo) == (
        "DryRunOperationException",
        "The request was rejected because the DryRun parameter was specified.",
    )


def test_grant_tokens_are_accepted(kms: Any) -> None:
    key_id, private = imported_signing_key(kms, "ECC_NIST_P256")
    signature = _signature(kms, key_id, "ECDSA_SHA_256", GrantTokens=["a-grant-token"])
    assert verifies_locally(public_der(private), "ECDSA_SHA_256", MESSAGE, signature)


# --- properties -------------------------------------------------------------------------------


@pytest.fixture
def p256_key(kms: Any) -> tuple[str, bytes]:
    key_id, private = imported_signing_key(kms, "ECC_NIST_P256")
    return key_id, public_der(private)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(message=st.binary(min_size=1, max_size=4096), position=st.integers(min_value=0))
def test_every_signature_verifies_locally_and_fails_once_any_byte_changes(
    kms: Any, p256_key: tuple[str, bytes], message: bytes, position: int
) -> None:
    key_id, public_key = p256_key
    signature = _signature(kms, key_id, "ECDSA_SHA_256", message)
    assert verifies_locally(public_key, "ECDSA_SHA_256", message, signature)
    index = position % len(message)
    tampered = message[:index] + bytes([message[index] ^ 0x01]) + message[index + 1 :]
    assert not verifies_locally(public_key, "ECDSA_SHA_256", tampered, signature)
    spot = position % len(signature)
    bad_signature = signature[:spot] + bytes([signature[spot] ^ 0x01]) + signature[spot + 1 :]
    with pytest.raises(ClientError) as excinfo:
        kms.verify(
            KeyId=key_id, Message=message, Signature=bad_signature, SigningAlgorithm="ECDSA_SHA_256"
        )
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_replica_of_a_kms_made_signing_key_shares_its_key_pair(
    make_client: Any, kms_import: KmsImportMock
) -> None:
    kms_import.replica_creation_delay = 0  # the replica is ready at once
    primary_client, replica_client = make_client(), make_client("us-east-1")
    key_id = primary_client.create_key(
        KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", MultiRegion=True
    )["KeyMetadata"]["KeyId"]
    primary_client.replicate_key(KeyId=key_id, ReplicaRegion="us-east-1")
    signature = _signature(primary_client, key_id, "ECDSA_SHA_256")
    answer = replica_client.verify(
        KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm="ECDSA_SHA_256"
    )
    assert answer["SignatureValid"] is True
    assert (
        replica_client.get_public_key(KeyId=key_id)["PublicKey"]
        == primary_client.get_public_key(KeyId=key_id)["PublicKey"]
    )


@pytest.mark.parametrize(
    ("algorithm", "message_type", "message"),
    [
        ("ED25519_SHA_512", "RAW", MESSAGE),
        ("ED25519_PH_SHA_512", "DIGEST", hashlib.sha512(MESSAGE).digest()),
    ],
)
def test_ed25519_signature_verifies_in_kms_and_not_for_another_message(
    kms: Any, algorithm: str, message_type: str, message: bytes
) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    signature = _signature(kms, key_id, algorithm, message, MessageType=message_type)
    params = {"KeyId": key_id, "Signature": signature, "SigningAlgorithm": algorithm}
    assert kms.verify(Message=message, MessageType=message_type, **params)["SignatureValid"]
    with pytest.raises(ClientError) as excinfo:
        kms.verify(Message=bytes(len(message)), MessageType=message_type, **params)
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_ed25519ph_without_its_extra_fails_closed(
    kms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    # A None entry makes the import fail, as if PyCryptodome were not installed.
    monkeypatch.setitem(sys.modules, "Crypto.Signature", None)
    with pytest.raises(Ed25519phExtraNotInstalled):
        _signature(kms, key_id, "ED25519_PH_SHA_512", bytes(64), MessageType="DIGEST")
