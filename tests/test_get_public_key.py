"""GetPublicKey: the imported key's SubjectPublicKeyInfo and the usage fields."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from kms_testing import error_of
from signing_testing import imported_signing_key, public_der

USAGES = [
    ("RSA_2048", "SIGN_VERIFY"),
    ("RSA_3072", "ENCRYPT_DECRYPT"),
    ("ECC_NIST_P256", "SIGN_VERIFY"),
    ("ECC_NIST_P384", "KEY_AGREEMENT"),
    ("ECC_NIST_P521", "SIGN_VERIFY"),
    ("ECC_SECG_P256K1", "SIGN_VERIFY"),
]


@pytest.mark.parametrize(("key_spec", "usage"), USAGES)
def test_public_key_is_the_imported_keys_public_half(kms: Any, key_spec: str, usage: str) -> None:
    key_id, private = imported_signing_key(kms, key_spec, usage=usage)
    assert kms.get_public_key(KeyId=key_id)["PublicKey"] == public_der(private)


@pytest.mark.parametrize(("key_spec", "usage"), USAGES)
def test_usage_fields_are_those_describe_key_shows(kms: Any, key_spec: str, usage: str) -> None:
    key_id, _ = imported_signing_key(kms, key_spec, usage=usage)
    answer = kms.get_public_key(KeyId=key_id)
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    fields = ("KeySpec", "KeyUsage", "CustomerMasterKeySpec", "EncryptionAlgorithms")
    fields += ("SigningAlgorithms", "KeyAgreementAlgorithms")
    assert {f: answer.get(f) for f in fields} == {f: meta.get(f) for f in fields}
    assert answer["KeyId"] == meta["Arn"]


def test_kms_made_key_has_a_der_subject_public_key_info(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="RSA_4096", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert public.key_size == 4096  # type: ignore[union-attr]


def test_kms_made_key_keeps_its_public_key(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"][
        "KeyId"
    ]
    first = kms.get_public_key(KeyId=key_id)["PublicKey"]
    assert kms.get_public_key(KeyId=key_id)["PublicKey"] == first


def test_ed25519_key_shows_no_customer_master_key_spec(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"][
        "KeyId"
    ]
    answer = kms.get_public_key(KeyId=key_id)
    assert "CustomerMasterKeySpec" not in answer
    assert answer["SigningAlgorithms"] == ["ED25519_SHA_512", "ED25519_PH_SHA_512"]


@pytest.mark.parametrize(
    ("key_spec", "usage"),
    [("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"), ("HMAC_256", "GENERATE_VERIFY_MAC")],
)
def test_key_without_a_public_key_is_refused(kms: Any, key_spec: str, usage: str) -> None:
    meta = kms.create_key(KeySpec=key_spec, KeyUsage=usage)["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        kms.get_public_key(KeyId=meta["KeyId"])
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{meta['Arn']} key spec is {key_spec} which is not valid for this operation.",
    )


def test_disabled_key_is_refused(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.disable_key(KeyId=key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        kms.get_public_key(KeyId=key_id)
    assert error_of(excinfo) == ("DisabledException", f"{arn} is disabled.")


def test_key_pending_import_is_refused(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")[
        "KeyMetadata"
    ]
    with pytest.raises(ClientError) as excinfo:
        kms.get_public_key(KeyId=meta["KeyId"])
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{meta['Arn']} is pending import.")


def test_key_state_is_checked_before_the_key_spec(kms: Any) -> None:
    meta = kms.create_key()["KeyMetadata"]
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.get_public_key(KeyId=meta["KeyId"])
    assert error_of(excinfo) == ("DisabledException", f"{meta['Arn']} is disabled.")


def test_key_pending_deletion_is_refused(kms: Any) -> None:
    key_id, _ = imported_signing_key(kms, "ECC_NIST_P256")
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        kms.get_public_key(KeyId=key_id)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{arn} is pending deletion.")
