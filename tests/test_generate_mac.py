"""GenerateMac and VerifyMac: RFC 2104 HMAC over the imported (or KMS-made) key material."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_testing import HMAC_LENGTHS, error_of, import_material

from kmsimport_mock import KmsImportMock

MESSAGE = b"webhook body"
ALGORITHMS = {f"HMAC_{bits}": f"HMAC_SHA_{bits}" for bits in (224, 256, 384, 512)}


def _hmac_key(
    kms: Any, key_spec: str = "HMAC_256", material: bytes | None = None
) -> tuple[str, bytes]:
    material = material if material is not None else os.urandom(HMAC_LENGTHS[key_spec])
    key_id = kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage="GENERATE_VERIFY_MAC")[
        "KeyMetadata"
    ]["KeyId"]
    import_material(kms, key_id, material)
    return key_id, material


def _mac(kms: Any, key_id: str, algorithm: str = "HMAC_SHA_256", message: bytes = MESSAGE) -> Any:
    return kms.generate_mac(KeyId=key_id, Message=message, MacAlgorithm=algorithm)


@pytest.mark.parametrize(("key_spec", "algorithm"), ALGORITHMS.items())
def test_mac_is_the_standard_hmac_of_the_imported_material(
    kms: Any, key_spec: str, algorithm: str
) -> None:
    key_id, material = _hmac_key(kms, key_spec)
    expected = hmac.new(material, MESSAGE, getattr(hashlib, algorithm[5:].replace("_", "").lower()))
    assert _mac(kms, key_id, algorithm)["Mac"] == expected.digest()


def test_material_longer_than_the_digest_is_used_whole(kms: Any) -> None:
    material = os.urandom(100)
    key_id, _ = _hmac_key(kms, "HMAC_256", material)
    assert _mac(kms, key_id)["Mac"] == hmac.new(material, MESSAGE, hashlib.sha256).digest()


def test_generate_mac_answers_with_the_key_arn_and_the_algorithm(kms: Any) -> None:
    key_id, _ = _hmac_key(kms)
    answer = _mac(kms, key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    assert (answer["KeyId"], answer["MacAlgorithm"]) == (arn, "HMAC_SHA_256")


@pytest.mark.parametrize(("key_spec", "algorithm"), ALGORITHMS.items())
def test_mac_verifies(kms: Any, key_spec: str, algorithm: str) -> None:
    key_id, _ = _hmac_key(kms, key_spec)
    mac = _mac(kms, key_id, algorithm)["Mac"]
    answer = kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm=algorithm, Mac=mac)
    assert (answer["MacValid"], answer["MacAlgorithm"]) == (True, algorithm)


def test_mac_computed_outside_kms_verifies(kms: Any) -> None:
    key_id, material = _hmac_key(kms, "HMAC_512")
    mac = hmac.new(material, MESSAGE, hashlib.sha512).digest()
    answer = kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_512", Mac=mac)
    assert answer["MacValid"] is True


def test_kms_made_hmac_key_keeps_its_material(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="HMAC_384", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"][
        "KeyId"
    ]
    first = _mac(kms, key_id, "HMAC_SHA_384")["Mac"]
    assert _mac(kms, key_id, "HMAC_SHA_384")["Mac"] == first


def test_tampered_mac_is_invalid_with_an_empty_message(kms: Any) -> None:
    key_id, _ = _hmac_key(kms)
    mac = bytearray(_mac(kms, key_id)["Mac"])
    mac[0] ^= 0x80
    with pytest.raises(ClientError) as excinfo:
        kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", Mac=bytes(mac))
    assert error_of(excinfo) == ("KMSInvalidMacException", "")


def test_kms_made_key_that_never_made_a_mac_matches_none_and_stays_unchanged(
    kms: Any, kms_import: KmsImportMock
) -> None:
    key_id = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"][
        "KeyId"
    ]
    with pytest.raises(ClientError) as excinfo:
        kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", Mac=bytes(32))
    assert error_of(excinfo) == ("KMSInvalidMacException", "")
    assert kms_import.backend.find_key(key_id, None, None).materials == []  # type: ignore[union-attr]


@pytest.mark.parametrize("operation", ["generate_mac", "verify_mac"])
def test_algorithm_of_another_hmac_spec_is_refused(kms: Any, operation: str) -> None:
    key_id, _ = _hmac_key(kms, "HMAC_224")
    extra = {"Mac": bytes(28)} if operation == "verify_mac" else {}
    with pytest.raises(ClientError) as excinfo:
        getattr(kms, operation)(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", **extra)
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.",
    )


@pytest.mark.parametrize(
    ("operation", "name"), [("generate_mac", "GenerateMac"), ("verify_mac", "VerifyMac")]
)
def test_encryption_key_cannot_make_or_verify_macs(kms: Any, operation: str, name: str) -> None:
    meta = kms.create_key()["KeyMetadata"]
    extra = {"Mac": bytes(32)} if operation == "verify_mac" else {}
    with pytest.raises(ClientError) as excinfo:
        getattr(kms, operation)(
            KeyId=meta["KeyId"], Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", **extra
        )
    assert error_of(excinfo) == (
        "InvalidKeyUsageException",
        f"{meta['Arn']} key usage is ENCRYPT_DECRYPT which is not valid for {name}.",
    )


def test_disabled_key_cannot_make_macs(kms: Any) -> None:
    key_id, _ = _hmac_key(kms)
    kms.disable_key(KeyId=key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        _mac(kms, key_id)
    assert error_of(excinfo) == ("DisabledException", f"{arn} is disabled.")


def test_key_pending_import_cannot_make_macs(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL", KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")[
        "KeyMetadata"
    ]
    with pytest.raises(ClientError) as excinfo:
        _mac(kms, meta["KeyId"])
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{meta['Arn']} is pending import.")


def test_key_pending_deletion_cannot_verify_macs(kms: Any) -> None:
    key_id, _ = _hmac_key(kms)
    mac = _mac(kms, key_id)["Mac"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as excinfo:
        kms.verify_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", Mac=mac)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{arn} is pending deletion.")


def test_invalid_key_id_is_not_found(kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _mac(kms, "key_id")
    assert error_of(excinfo) == ("NotFoundException", "Invalid keyId 'key_id'")


def test_dry_run_answers_that_the_call_would_have_succeeded(kms: Any) -> None:
    key_id, _ = _hmac_key(kms)
    with pytest.raises(ClientError) as excinfo:
        kms.generate_mac(KeyId=key_id, Message=MESSAGE, MacAlgorithm="HMAC_SHA_256", DryRun=True)
    assert error_of(excinfo)[0] == "DryRunOperationException"


@pytest.fixture
def hmac_key(kms: Any) -> tuple[str, bytes]:
    return _hmac_key(kms)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(message=st.binary(min_size=1, max_size=4096), position=st.integers(min_value=0))
def test_every_mac_matches_a_local_hmac_and_fails_once_any_byte_changes(
    kms: Any, hmac_key: tuple[str, bytes], message: bytes, position: int
) -> None:
    key_id, material = hmac_key
    mac = _mac(kms, key_id, message=message)["Mac"]
    assert mac == hmac.new(material, message, hashlib.sha256).digest()
    index = position % len(message)
    tampered = message[:index] + bytes([message[index] ^ 0x01]) + message[index + 1 :]
    with pytest.raises(ClientError) as excinfo:
        kms.verify_mac(KeyId=key_id, Message=tampered, MacAlgorithm="HMAC_SHA_256", Mac=mac)
    assert error_of(excinfo) == ("KMSInvalidMacException", "")
