"""ImportKeyMaterial: unwrapping, material checks, expiry, reimport, key states."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import ec
from freezegun import freeze_time
from kms_testing import create_external_key, der_pkcs8, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.wrapping import wrap_key_material

OAEP_256 = "RSAES_OAEP_SHA_256"
NEVER = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}


def _params(kms: Any, key_id: str, algorithm: str = OAEP_256, spec: str = "RSA_2048") -> Any:
    return kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec
    )


def _import(kms: Any, key_id: str, params: Any, blob: bytes, **kwargs: Any) -> Any:
    return kms.import_key_material(
        KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=blob, **kwargs
    )


def _wrapped(params: Any, material: bytes, algorithm: str = OAEP_256) -> bytes:
    return wrap_key_material(params["PublicKey"], material, algorithm)


def _snapshot(kms: Any, key_id: str) -> Any:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]


# --- success ----------------------------------------------------------------------------


def test_symmetric_import_enables_the_key_and_returns_arn_and_material_id(
    kms: Any, external_key: Any, kms_import: KmsImportMock
) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    response = import_material(kms, external_key["KeyId"], material)
    assert response["KeyId"] == external_key["Arn"]
    assert len(response["KeyMaterialId"]) == 64
    assert int(response["KeyMaterialId"], 16) >= 0
    meta = _snapshot(kms, external_key["KeyId"])
    assert meta["KeyState"] == "Enabled" and meta["Enabled"] is True
    assert meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert meta["CurrentKeyMaterialId"] == response["KeyMaterialId"]
    assert "ValidTo" not in meta
    assert kms_import.key_material(external_key["KeyId"]) == material


def test_key_material_id_is_deterministic_for_key_and_material(kms: Any) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    first, second = create_external_key(kms), create_external_key(kms)
    id_first = import_material(kms, first["KeyId"], material)["KeyMaterialId"]
    id_again = import_material(kms, first["KeyId"], material)["KeyMaterialId"]
    id_second = import_material(kms, second["KeyId"], material)["KeyMaterialId"]
    assert id_first == id_again
    assert id_first != id_second


@pytest.mark.parametrize("key_spec", ["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"])
def test_hmac_import_shows_no_current_key_material_id(kms: Any, key_spec: str) -> None:
    key = create_external_key(kms, key_spec)
    import_material(kms, key["KeyId"], material_for(key_spec), wrapping_key_spec="RSA_4096")
    meta = _snapshot(kms, key["KeyId"])
    assert meta["KeyState"] == "Enabled"
    assert "CurrentKeyMaterialId" not in meta


def test_asymmetric_import_is_checked_and_stored_as_given(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key = create_external_key(kms, "ECC_NIST_P256")
    material = material_for("ECC_NIST_P256")
    import_material(kms, key["KeyId"], material)
    meta = _snapshot(kms, key["KeyId"])
    assert meta["KeyState"] == "Enabled"
    assert "CurrentKeyMaterialId" not in meta
    assert kms_import.key_material(key["KeyId"]) == material


def test_hmac_material_up_to_1024_bits_is_accepted(kms: Any) -> None:
    key = create_external_key(kms, "HMAC_256")
    import_material(kms, key["KeyId"], os.urandom(128), wrapping_key_spec="RSA_4096")
    assert _snapshot(kms, key["KeyId"])["KeyState"] == "Enabled"


# --- expiration model -------------------------------------------------------------------


def test_default_expiration_model_requires_valid_to(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError) as raised:
        _import(kms, external_key["KeyId"], params, blob)
    assert raised.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
    }
    assert "message" not in raised.value.response


def test_failed_import_does_not_use_up_the_token(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError):
        _import(kms, external_key["KeyId"], params, blob)
    _import(kms, external_key["KeyId"], params, blob, **NEVER)
    assert _snapshot(kms, external_key["KeyId"])["KeyState"] == "Enabled"


def test_expiring_material_shows_valid_to_in_describe_key(kms: Any, external_key: Any) -> None:
    valid_to = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    import_material(
        kms,
        external_key["KeyId"],
        material_for("SYMMETRIC_DEFAULT"),
        ExpirationModel="KEY_MATERIAL_EXPIRES",
        ValidTo=valid_to,
    )
    meta = _snapshot(kms, external_key["KeyId"])
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert meta["ValidTo"] == valid_to


def test_valid_to_alone_implies_the_expiring_model(kms: Any, external_key: Any) -> None:
    valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ValidTo=valid_to)
    assert _snapshot(kms, external_key["KeyId"])["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"


def test_valid_to_with_does_not_expire_is_refused(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError) as raised:
        _import(
            kms,
            external_key["KeyId"],
            params,
            blob,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
            ValidTo=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_valid_to_in_the_past_is_refused(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError) as raised:
        _import(
            kms,
            external_key["KeyId"],
            params,
            blob,
            ValidTo=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
        )
    assert raised.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "The validTo date must be in the future",
    }


def test_valid_to_more_than_365_days_out_is_refused(kms: Any, external_key: Any) -> None:
    with freeze_time("2026-01-01T00:00:00Z"):
        params = _params(kms, external_key["KeyId"])
        blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
        with pytest.raises(ClientError) as raised:
            _import(
                kms,
                external_key["KeyId"],
                params,
                blob,
                ValidTo=dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=dt.UTC),
            )
        assert raised.value.response["Error"]["Message"] == (
            "The validTo date must be no more than 365 days in the future"
        )
        _import(
            kms,
            external_key["KeyId"],
            params,
            blob,
            ValidTo=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        )


# --- tokens -----------------------------------------------------------------------------


def test_token_of_another_key_is_invalid(kms: Any, external_key: Any) -> None:
    other = create_external_key(kms)
    params = _params(kms, other["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.InvalidImportTokenException) as raised:
        _import(kms, external_key["KeyId"], params, blob, **NEVER)
    assert raised.value.response["Error"]["Message"] == (
        "The request was rejected because the provided import token is invalid or is "
        "associated with a different KMS key."
    )


@pytest.mark.parametrize(
    "garble",
    [
        lambda t: t[:-1],
        lambda t: t + b"\x00",
        lambda t: t[:10] + bytes([t[10] ^ 1]) + t[11:],
        lambda t: b"garbage",
    ],
    ids=["truncated", "extended", "bit-flipped", "garbage"],
)
def test_garbled_token_is_invalid(kms: Any, external_key: Any, garble: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.InvalidImportTokenException):
        kms.import_key_material(
            KeyId=external_key["KeyId"],
            ImportToken=garble(params["ImportToken"]),
            EncryptedKeyMaterial=blob,
            **NEVER,
        )


def test_token_from_an_earlier_mock_is_invalid() -> None:
    from kmsimport_mock import mock_kms_import

    with mock_kms_import():
        client = boto3.client("kms", region_name="eu-west-1")
        key = create_external_key(client)
        params = _params(client, key["KeyId"])
    with mock_kms_import():
        # Same key id cannot exist again, so recreate a key and present the old token for it.
        new_key = create_external_key(client)
        blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
        with pytest.raises(client.exceptions.InvalidImportTokenException):
            _import(client, new_key["KeyId"], params, blob, **NEVER)


def test_token_past_its_validity_is_expired(kms: Any, external_key: Any) -> None:
    with freeze_time("2026-05-01T00:00:00Z") as frozen:
        params = _params(kms, external_key["KeyId"])
        blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
        frozen.tick(dt.timedelta(hours=24))
        with pytest.raises(kms.exceptions.ExpiredImportTokenException) as raised:
            _import(kms, external_key["KeyId"], params, blob, **NEVER)
    assert raised.value.response["Error"]["Message"].startswith(
        "The request was rejected because the specified import token is expired."
    )


def test_token_just_before_its_validity_ends_still_works(kms: Any, external_key: Any) -> None:
    with freeze_time("2026-05-01T00:00:00Z") as frozen:
        params = _params(kms, external_key["KeyId"])
        blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
        frozen.tick(dt.timedelta(hours=24) - dt.timedelta(seconds=1))
        _import(kms, external_key["KeyId"], params, blob, **NEVER)


def test_token_can_be_used_again_after_a_successful_import(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    _import(kms, external_key["KeyId"], params, blob, **NEVER)
    _import(kms, external_key["KeyId"], params, blob, **NEVER)


# --- ciphertext -------------------------------------------------------------------------


def test_material_wrapped_with_the_wrong_hash_is_invalid_ciphertext(
    kms: Any, external_key: Any
) -> None:
    # The classic mistake: asking for SHA-256 and wrapping with OpenSSL's default SHA-1.
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"), "RSAES_OAEP_SHA_1")
    with pytest.raises(kms.exceptions.InvalidCiphertextException) as raised:
        _import(kms, external_key["KeyId"], params, blob, **NEVER)
    assert raised.value.response["Error"]["Message"] == ""


def test_material_wrapped_with_another_public_key_is_invalid_ciphertext(
    kms: Any, external_key: Any
) -> None:
    params = _params(kms, external_key["KeyId"])
    other = _params(kms, external_key["KeyId"], spec="RSA_3072")
    blob = _wrapped(other, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        _import(kms, external_key["KeyId"], params, blob, **NEVER)


def test_random_bytes_are_invalid_ciphertext(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        _import(kms, external_key["KeyId"], params, os.urandom(256), **NEVER)


# --- material checks --------------------------------------------------------------------


@pytest.mark.parametrize("length", [16, 31, 33, 64])
def test_symmetric_material_must_be_32_bytes(kms: Any, external_key: Any, length: int) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, os.urandom(length))
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        _import(kms, external_key["KeyId"], params, blob, **NEVER)


@pytest.mark.parametrize(
    ("key_spec", "length"), [("HMAC_256", 31), ("HMAC_512", 63), ("HMAC_224", 129)]
)
def test_hmac_material_outside_its_length_range_is_incorrect(
    kms: Any, key_spec: str, length: int
) -> None:
    key = create_external_key(kms, key_spec)
    params = _params(kms, key["KeyId"], spec="RSA_4096")
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        _import(kms, key["KeyId"], params, _wrapped(params, os.urandom(length)), **NEVER)


def test_key_on_the_wrong_curve_is_incorrect_material(kms: Any) -> None:
    key = create_external_key(kms, "ECC_NIST_P256")
    params = _params(kms, key["KeyId"])
    material = der_pkcs8(ec.generate_private_key(ec.SECP256K1()))
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        _import(kms, key["KeyId"], params, _wrapped(params, material), **NEVER)


def test_rsa_key_of_the_wrong_size_is_incorrect_material(kms: Any) -> None:
    key = create_external_key(kms, "RSA_3072")
    algorithm = "RSA_AES_KEY_WRAP_SHA_256"
    params = _params(kms, key["KeyId"], algorithm=algorithm)
    blob = _wrapped(params, material_for("RSA_2048"), algorithm)
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        _import(kms, key["KeyId"], params, blob, **NEVER)


def test_failed_import_changes_nothing(
    kms: Any, external_key: Any, kms_import: KmsImportMock
) -> None:
    before = _snapshot(kms, external_key["KeyId"])
    params = _params(kms, external_key["KeyId"])
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        _import(kms, external_key["KeyId"], params, _wrapped(params, os.urandom(16)), **NEVER)
    assert _snapshot(kms, external_key["KeyId"]) == before
    assert kms_import.inspect_key(external_key["KeyId"]).materials == ()


# --- reimport ---------------------------------------------------------------------------


def test_same_symmetric_material_can_be_reimported(kms: Any, external_key: Any) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    first = import_material(kms, external_key["KeyId"], material)
    again = import_material(kms, external_key["KeyId"], material, algorithm="RSAES_OAEP_SHA_1")
    assert first["KeyMaterialId"] == again["KeyMaterialId"]


def test_different_symmetric_material_without_import_type_is_incorrect(
    kms: Any, external_key: Any
) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))


@pytest.mark.parametrize("key_spec", ["HMAC_256", "ECC_NIST_P384", "RSA_2048"])
def test_non_symmetric_keys_accept_only_the_same_material_again(kms: Any, key_spec: str) -> None:
    key = create_external_key(kms, key_spec)
    algorithm = "RSA_AES_KEY_WRAP_SHA_256" if key_spec.startswith("RSA") else OAEP_256
    material = material_for(key_spec)
    import_material(kms, key["KeyId"], material, algorithm=algorithm, wrapping_key_spec="RSA_4096")
    import_material(kms, key["KeyId"], material, algorithm=algorithm, wrapping_key_spec="RSA_4096")
    other = (
        os.urandom(32)
        if key_spec.startswith("HMAC")
        else der_pkcs8(ec.generate_private_key(ec.SECP384R1()))
    )
    if key_spec == "RSA_2048":
        from cryptography.hazmat.primitives.asymmetric import rsa

        other = der_pkcs8(rsa.generate_private_key(65537, 2048))
    with pytest.raises(kms.exceptions.IncorrectKeyMaterialException):
        import_material(kms, key["KeyId"], other, algorithm=algorithm, wrapping_key_spec="RSA_4096")


def test_reimport_can_change_the_expiration(kms: Any, external_key: Any) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    import_material(kms, external_key["KeyId"], material, ValidTo=valid_to)
    import_material(kms, external_key["KeyId"], material)
    meta = _snapshot(kms, external_key["KeyId"])
    assert meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert "ValidTo" not in meta


def test_reimport_into_a_disabled_key_keeps_it_disabled(kms: Any, external_key: Any) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    import_material(kms, external_key["KeyId"], material)
    kms.disable_key(KeyId=external_key["KeyId"])
    import_material(kms, external_key["KeyId"], material)
    assert _snapshot(kms, external_key["KeyId"])["KeyState"] == "Disabled"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ImportType", "NEW_KEY_MATERIAL"),
        ("KeyMaterialId", "a" * 64),
        ("KeyMaterialDescription", "first"),
    ],
)
def test_symmetric_only_parameters_are_refused_for_hmac_keys(
    kms: Any, name: str, value: str
) -> None:
    key = create_external_key(kms, "HMAC_256")
    params = _params(kms, key["KeyId"])
    blob = _wrapped(params, material_for("HMAC_256"))
    with pytest.raises(ClientError) as raised:
        _import(kms, key["KeyId"], params, blob, **NEVER, **{name: value})
    assert raised.value.response["Error"]["Code"] == "ValidationException"


# --- key states -------------------------------------------------------------------------


def test_aws_kms_key_is_refused(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    aws_key = kms.create_key()["KeyMetadata"]
    with pytest.raises(kms.exceptions.UnsupportedOperationException) as raised:
        _import(kms, aws_key["KeyId"], params, blob, **NEVER)
    assert raised.value.response["Error"]["Message"] == (
        f"{aws_key['Arn']} origin is AWS_KMS which is not valid for this operation."
    )


def test_pending_deletion_key_is_refused(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    kms.schedule_key_deletion(KeyId=external_key["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        _import(kms, external_key["KeyId"], params, blob, **NEVER)
    assert (
        raised.value.response["Error"]["Message"] == f"{external_key['Arn']} is pending deletion."
    )


def test_unknown_key_is_not_found(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(kms.exceptions.NotFoundException):
        _import(kms, "1234abcd-12ab-34cd-56ef-1234567890ab", params, blob, **NEVER)


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        ("ExpirationModel", "SOMETIMES", "Member must satisfy enum value set"),
        ("ImportType", "OLD_KEY_MATERIAL", "Member must satisfy enum value set"),
        ("KeyMaterialId", "A" * 64, "Member must satisfy regular expression pattern"),
        ("KeyMaterialDescription", "semi;colon", "Member must satisfy regular expression"),
        ("KeyMaterialDescription", "d" * 257, "Member must have length less than or equal to 256"),
    ],
)
def test_malformed_parameters_are_validation_errors(
    kms: Any, external_key: Any, member: str, value: str, message: str
) -> None:
    params = _params(kms, external_key["KeyId"])
    blob = _wrapped(params, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError) as raised:
        _import(kms, external_key["KeyId"], params, blob, **{member: value})
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert message in raised.value.response["Error"]["Message"]


def test_over_long_encrypted_material_is_a_validation_error(kms: Any, external_key: Any) -> None:
    params = _params(kms, external_key["KeyId"])
    with pytest.raises(ClientError) as raised:
        _import(kms, external_key["KeyId"], params, b"\x00" * 6145, **NEVER)
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value at 'encryptedKeyMaterial' failed to satisfy "
        "constraint: Member must have length less than or equal to 6144"
    )
