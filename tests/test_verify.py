"""Verify: SignatureValid for a signature of the key, KMSInvalidSignatureException otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_testing import error_of
from signing_testing import (
    IMPORTABLE_PAIRS,
    digest,
    imported_signing_key,
    private_key_for,
    public_der,
    verifies_locally,
)

from kmsimport_mock import KmsImportMock

MESSAGE = b"the release manifest"


def _verify(kms: Any, key_id: str, signature: bytes, algorithm: str, **kw: Any) -> Any:
    params = {"Message": MESSAGE, **kw}
    return kms.verify(KeyId=key_id, Signature=signature, SigningAlgorithm=algorithm, **params)


@pytest.mark.parametrize(("key_spec", "algorithm"), IMPORTABLE_PAIRS)
def test_signature_made_outside_kms_with_the_imported_key_is_valid(
    kms: Any, key_spec: str, algorithm: str
) -> None:
    key_id, _ = imported_signing_key(kms, key_spec)
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm=algorithm)["Signature"]
    answer = _verify(kms, key_id, signature, algorithm)
    assert (answer["SignatureValid"], answer["SigningAlgorithm"]) == (True, algorithm)


def test_signature_made_by_the_hsm_verifies_in_kms(kms: Any) -> None:
    key_id, private = imported_signing_key(kms, "ECC_NIST_P256")
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    hsm_signature = private.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    assert _verify(kms, key_id, hsm_signature, "ECDSA_SHA_256")["SignatureValid"] is True


def test_verify_answers_with_the_key_arn(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")[
        "Signature"
    ]
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    assert _verify(kms, key_id, signature, "ECDSA_SHA_256")["KeyId"] == arn


def test_message_and_its_digest_are_the_same_message(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048")
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="RSASSA_PSS_SHA_512")[
        "Signature"
    ]
    answer = _verify(
        kms,
        key_id,
        signature,
        "RSASSA_PSS_SHA_512",
        Message=digest("RSASSA_PSS_SHA_512", MESSAGE),
        MessageType="DIGEST",
    )
    assert answer["SignatureValid"] is True


def test_tampered_signature_is_invalid_with_an_empty_message(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    signature = bytearray(
        kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    )
    signature[-1] ^= 0x01
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, bytes(signature), "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_signature_of_another_message_is_invalid(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048")
    signature = kms.sign(KeyId=key_id, Message=b"other", SigningAlgorithm="RSASSA_PSS_SHA_256")[
        "Signature"
    ]
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, signature, "RSASSA_PSS_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_signature_verified_with_another_algorithm_is_invalid(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048")
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="RSASSA_PSS_SHA_256")[
        "Signature"
    ]
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, signature, "RSASSA_PKCS1_V1_5_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_signature_verified_with_another_key_is_invalid(kms: Any) -> None:
    # Verify models no IncorrectKeyException: "If you specify a different KMS key, the
    # signature verification fails."
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    other = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    kms.get_public_key(KeyId=other)
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ECDSA_SHA_256")[
        "Signature"
    ]
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, other, signature, "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_kms_made_key_that_never_signed_finds_no_signature_valid_and_stays_unchanged(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    foreign = private_key_for("ECC_NIST_P256")
    assert isinstance(foreign, ec.EllipticCurvePrivateKey)
    signature = foreign.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, signature, "ECDSA_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")
    assert kms_import.backend.find_key(key_id, None, None).materials == []  # type: ignore[union-attr]


def test_garbage_signature_is_invalid(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048")
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, b"\x00" * 7, "RSASSA_PKCS1_V1_5_SHA_256")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_encryption_key_cannot_verify(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "RSA_2048", usage="ENCRYPT_DECRYPT")
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, b"sig", "RSASSA_PSS_SHA_256")
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        f"{arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.",
    )


def test_disabled_key_cannot_verify(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.disable_key(KeyId=key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, b"sig", "ECDSA_SHA_256")
    assert error_of(excinfo) == ("DisabledException", f"{arn} is disabled.")


def test_digest_of_the_wrong_length_is_refused_before_verifying(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, b"sig", "ECDSA_SHA_256", Message=bytes(20), MessageType="DIGEST")
    assert error_of(excinfo) == (
        "ValidationException",
        "Digest is invalid length for algorithm ECDSA_SHA_256.",
    )


@pytest.fixture
def signing_keys(kms: Any) -> dict[str, tuple[str, bytes]]:
    """One imported signing key per importable spec: its id and public key."""
    keys = {}
    for key_spec in {spec for spec, _ in IMPORTABLE_PAIRS}:
        key_id, private = imported_signing_key(kms, key_spec)
        keys[key_spec] = (key_id, public_der(private))
    return keys


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pair=st.sampled_from(IMPORTABLE_PAIRS),
    message=st.binary(min_size=1, max_size=4096),
    as_digest=st.booleans(),
    position=st.integers(min_value=0),
)
def test_every_signature_verifies_locally_and_in_kms_and_no_tampered_one_does(
    kms: Any,
    signing_keys: dict[str, tuple[str, bytes]],
    pair: tuple[str, str],
    message: bytes,
    as_digest: bool,
    position: int,
) -> None:
    key_spec, algorithm = pair
    key_id, public_key = signing_keys[key_spec]
    sent = digest(algorithm, message) if as_digest else message
    kind = "DIGEST" if as_digest else "RAW"
    signature = kms.sign(KeyId=key_id, Message=sent, SigningAlgorithm=algorithm, MessageType=kind)[
        "Signature"
    ]
    assert verifies_locally(public_key, algorithm, message, signature)
    spot = position % len(signature)
    tampered = signature[:spot] + bytes([signature[spot] ^ 0x01]) + signature[spot + 1 :]
    assert not verifies_locally(public_key, algorithm, message, tampered)
    with pytest.raises(ClientError) as excinfo:
        _verify(kms, key_id, tampered, algorithm, Message=sent, MessageType=kind)
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")
