"""GetParametersForImport: wrapping public keys and import tokens."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from freezegun import freeze_time
from kms_testing import REGION, create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock

OAEP_256 = "RSAES_OAEP_SHA_256"


def _params(kms: Any, key_id: str, algorithm: str = OAEP_256, spec: str = "RSA_2048") -> Any:
    return kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec
    )


def _error(raised: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    return dict(raised.value.response["Error"])


def test_returns_the_key_arn_token_public_key_and_validity(kms: Any, external_key: Any) -> None:
    response = _params(kms, external_key["KeyId"])
    assert response["KeyId"] == external_key["Arn"]
    assert isinstance(response["ImportToken"], bytes) and response["ImportToken"]
    assert isinstance(response["PublicKey"], bytes)
    assert isinstance(response["ParametersValidTo"], dt.datetime)


def test_parameters_are_valid_for_24_hours(kms: Any, external_key: Any) -> None:
    with freeze_time("2026-03-01T10:00:00Z"):
        response = _params(kms, external_key["KeyId"])
    assert response["ParametersValidTo"] == dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("spec", "bits"), [("RSA_2048", 2048), ("RSA_3072", 3072), ("RSA_4096", 4096)]
)
def test_public_key_is_der_subject_public_key_info_of_the_requested_size(
    kms: Any, external_key: Any, spec: str, bits: int
) -> None:
    public_key = load_der_public_key(_params(kms, external_key["KeyId"], spec=spec)["PublicKey"])
    assert isinstance(public_key, rsa.RSAPublicKey)
    assert public_key.key_size == bits
    assert public_key.public_numbers().e == 65537


def test_accepts_the_key_arn(kms: Any, external_key: Any) -> None:
    assert _params(kms, external_key["Arn"])["KeyId"] == external_key["Arn"]


def test_every_call_returns_a_new_token(kms: Any, external_key: Any) -> None:
    tokens = {_params(kms, external_key["KeyId"])["ImportToken"] for _ in range(5)}
    assert len(tokens) == 5


def test_consecutive_calls_never_return_the_same_public_key(kms: Any, external_key: Any) -> None:
    keys = [_params(kms, external_key["KeyId"])["PublicKey"] for _ in range(6)]
    assert all(a != b for a, b in itertools.pairwise(keys))


def test_an_older_token_stays_valid_after_newer_parameters(kms: Any, external_key: Any) -> None:
    older = _params(kms, external_key["KeyId"])
    _params(kms, external_key["KeyId"])
    from kmsimport_mock.crypto.wrapping import wrap_key_material

    kms.import_key_material(
        KeyId=external_key["KeyId"],
        ImportToken=older["ImportToken"],
        EncryptedKeyMaterial=wrap_key_material(
            older["PublicKey"], material_for("SYMMETRIC_DEFAULT"), OAEP_256
        ),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


def test_aws_kms_key_is_refused_with_the_recorded_message(kms: Any) -> None:
    key = kms.create_key()["KeyMetadata"]
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, key["KeyId"])
    assert raised.value.response["Error"]["Message"] == (
        f"{key['Arn']} origin is AWS_KMS which is not valid for this operation."
    )
    assert raised.value.response["message"] == raised.value.response["Error"]["Message"]


def test_sign_verify_ecc_key_is_accepted(kms: Any) -> None:
    key = create_external_key(kms, "ECC_NIST_P256")
    assert _params(kms, key["KeyId"], spec="RSA_4096")["KeyId"] == key["Arn"]


def test_pending_deletion_key_is_refused(kms: Any, external_key: Any) -> None:
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        _params(kms, external_key["KeyId"])
    assert (
        raised.value.response["Error"]["Message"] == f"{external_key['Arn']} is pending deletion."
    )


def test_enabled_key_may_get_new_parameters(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    assert _params(kms, external_key["KeyId"])["KeyId"] == external_key["Arn"]


def test_disabled_external_key_may_get_new_parameters(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.disable_key(KeyId=external_key["KeyId"])
    assert _params(kms, external_key["KeyId"])["KeyId"] == external_key["Arn"]


def test_unknown_key_id_is_not_found_with_the_arn_in_the_message(kms: Any) -> None:
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, key_id)
    assert raised.value.response["Error"]["Message"] == (
        f"Key 'arn:aws:kms:{REGION}:123456789012:key/{key_id}' does not exist"
    )


def test_malformed_key_id_is_not_found(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, "fake-key-id")
    assert raised.value.response["Error"]["Message"] == "Invalid keyId 'fake-key-id'"


def test_key_of_another_region_is_not_found_by_id(kms: Any, kms_import: KmsImportMock) -> None:
    other = create_external_key(boto3.client("kms", region_name="us-east-1"))
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, other["KeyId"])
    assert raised.value.response["Error"]["Message"] == (
        f"Key 'arn:aws:kms:{REGION}:123456789012:key/{other['KeyId']}' does not exist"
    )


def test_key_arn_of_another_region_is_an_invalid_arn(kms: Any, kms_import: KmsImportMock) -> None:
    other = create_external_key(boto3.client("kms", region_name="us-east-1"))
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, other["Arn"])
    assert raised.value.response["Error"]["Message"] == "Invalid arn us-east-1"


def test_key_arn_of_another_account_is_not_found(kms: Any, external_key: Any) -> None:
    foreign = external_key["Arn"].replace("123456789012", "210987654321")
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, foreign)
    assert raised.value.response["Error"]["Message"] == f"Key '{foreign}' does not exist"


def test_alias_is_not_found(kms: Any) -> None:
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        _params(kms, "alias/byok")
    assert raised.value.response["Error"]["Message"] == (
        f"Alias arn:aws:kms:{REGION}:123456789012:alias/byok is not found."
    )


def test_malformed_arn_is_an_invalid_arn(kms: Any) -> None:
    with pytest.raises(kms.exceptions.InvalidArnException):
        _params(kms, "arn:aws:kms:eu-west-1:123456789012:thing/x")


def test_pkcs1_v1_5_is_refused_since_its_deprecation(kms: Any, external_key: Any) -> None:
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, external_key["KeyId"], algorithm="RSAES_PKCS1_V1_5")
    assert raised.value.response["Error"]["Message"] == (
        "RSAES_PKCS1_V1_5 is no longer supported for importing key material. Use "
        "RSAES_OAEP_SHA_256, RSAES_OAEP_SHA_1, RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1."
    )


@pytest.mark.parametrize(("algorithm", "spec"), [("SM2PKE", "RSA_2048"), (OAEP_256, "SM2")])
def test_sm2_wrapping_is_refused_outside_china(
    kms: Any, external_key: Any, algorithm: str, spec: str
) -> None:
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, external_key["KeyId"], algorithm=algorithm, spec=spec)
    assert raised.value.response["Error"]["Message"].endswith(f"is not supported in {REGION}.")


@pytest.mark.parametrize("algorithm", ["RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"])
def test_rsa_aes_key_wrap_is_refused_in_china(kms_import: KmsImportMock, algorithm: str) -> None:
    china = boto3.client("kms", region_name="cn-north-1")
    key = create_external_key(china, "ECC_NIST_P256")
    with pytest.raises(china.exceptions.UnsupportedOperationException):
        _params(china, key["KeyId"], algorithm=algorithm)


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", OAEP_256])
def test_rsa_private_keys_cannot_be_wrapped_with_plain_oaep(kms: Any, algorithm: str) -> None:
    key = create_external_key(kms, "RSA_2048")
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, key["KeyId"], algorithm=algorithm, spec="RSA_4096")
    assert raised.value.response["Error"]["Message"] == (
        f"RSA_2048 key material is too large for {algorithm}. Use RSA_AES_KEY_WRAP_SHA_256 or "
        "RSA_AES_KEY_WRAP_SHA_1."
    )


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", OAEP_256])
def test_p521_material_does_not_fit_oaep_under_rsa_2048(kms: Any, algorithm: str) -> None:
    key = create_external_key(kms, "ECC_NIST_P521")
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, key["KeyId"], algorithm=algorithm, spec="RSA_2048")
    assert raised.value.response["Error"]["Message"] == (
        f"ECC_NIST_P521 key material is too large for {algorithm} with a RSA_2048 wrapping key. "
        "Use a larger wrapping key spec, or RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1."
    )


@pytest.mark.parametrize("algorithm", ["RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"])
@pytest.mark.parametrize("key_spec", ["SYMMETRIC_DEFAULT", "HMAC_256"])
def test_aes_key_wrap_is_not_offered_for_secret_keys(
    kms: Any, key_spec: str, algorithm: str
) -> None:
    key = create_external_key(kms, key_spec)
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _params(kms, key["KeyId"], algorithm=algorithm)
    assert raised.value.response["Error"]["Message"] == (
        f"{algorithm} is not supported for {key_spec} key material."
    )


@pytest.mark.parametrize(
    ("member", "value"),
    [("WrappingAlgorithm", "RSAES_OAEP_SHA_512"), ("WrappingKeySpec", "RSA_1024")],
)
def test_unknown_enum_values_are_validation_errors(
    kms: Any, external_key: Any, member: str, value: str
) -> None:
    kwargs = {
        "KeyId": external_key["KeyId"],
        "WrappingAlgorithm": OAEP_256,
        "WrappingKeySpec": "RSA_2048",
    }
    kwargs[member] = value
    with pytest.raises(ClientError) as raised:
        kms.get_parameters_for_import(**kwargs)
    error = _error(raised)
    assert error["Code"] == "ValidationException"
    camel = member[0].lower() + member[1:]
    assert error["Message"].startswith(f"1 validation error detected: Value '{value}' at '{camel}'")
    assert "message" not in raised.value.response  # ValidationException is not modeled
