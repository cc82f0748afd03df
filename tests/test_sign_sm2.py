"""SM2DSA in China Regions: signatures from imported SM2 material that gmalg verifies with
the default distinguishing ID, as the KMS guide's offline verification describes."""

from __future__ import annotations

from typing import Any

import boto3
import gmalg
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from kms_testing import error_of

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto import sm2

BEIJING = "cn-north-1"
DEFAULT_ID = b"1234567812345678"
MESSAGE = b"signed in Beijing"


@pytest.fixture
def china(kms_import: KmsImportMock) -> Any:
    return boto3.client("kms", region_name=BEIJING)


def _imported_sm2_key(china: Any) -> tuple[str, bytes]:
    """An SM2 SIGN_VERIFY key holding known material; returns its id and public point."""
    material = sm2.generate_sm2_private_key()
    key_id = china.create_key(Origin="EXTERNAL", KeySpec="SM2", KeyUsage="SIGN_VERIFY")[
        "KeyMetadata"
    ]["KeyId"]
    params = china.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="SM2PKE", WrappingKeySpec="SM2"
    )
    china.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=sm2.sm2pke_encrypt(params["PublicKey"], material),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )
    private_value = sm2.sm2_key_identity(material).to_bytes(32, "big")
    return key_id, bytes(gmalg.SM2().generate_pk(private_value))


def _gmalg_verifies(point: bytes, message: bytes, signature: bytes) -> bool:
    r, s = decode_dss_signature(signature)
    verifier = gmalg.SM2(pk=point, uid=DEFAULT_ID)
    return bool(verifier.verify(message, r.to_bytes(32, "big"), s.to_bytes(32, "big")))


def test_sm2dsa_signature_verifies_offline_with_the_default_distinguishing_id(china: Any) -> None:
    key_id, point = _imported_sm2_key(china)
    signature = china.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="SM2DSA")["Signature"]
    assert _gmalg_verifies(point, MESSAGE, signature)


def test_sm2dsa_digest_is_sm3_of_z_and_the_message(china: Any) -> None:
    from kmsimport_mock.crypto.sm2dsa import sm2dsa_message_digest

    key_id, point = _imported_sm2_key(china)
    e = sm2dsa_message_digest(point, MESSAGE)
    signature = china.sign(
        KeyId=key_id, Message=e, SigningAlgorithm="SM2DSA", MessageType="DIGEST"
    )["Signature"]
    assert _gmalg_verifies(point, MESSAGE, signature)


def test_sm2dsa_signature_verifies_in_kms(china: Any) -> None:
    key_id, _ = _imported_sm2_key(china)
    signature = china.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="SM2DSA")["Signature"]
    answer = china.verify(
        KeyId=key_id, Message=MESSAGE, Signature=signature, SigningAlgorithm="SM2DSA"
    )
    assert answer["SignatureValid"] is True


def test_sm2dsa_signature_of_another_message_is_invalid(china: Any) -> None:
    key_id, _ = _imported_sm2_key(china)
    signature = china.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="SM2DSA")["Signature"]
    with pytest.raises(ClientError) as excinfo:
        china.verify(KeyId=key_id, Message=b"other", Signature=signature, SigningAlgorithm="SM2DSA")
    assert error_of(excinfo) == ("KMSInvalidSignatureException", "")


def test_sm2_public_key_is_the_imported_key_on_curve_sm2(china: Any) -> None:
    key_id, point = _imported_sm2_key(china)
    answer = china.get_public_key(KeyId=key_id)
    assert answer["PublicKey"].endswith(point)
    assert answer["SigningAlgorithms"] == ["SM2DSA"]


def test_sm2dsa_digest_must_be_32_bytes(china: Any) -> None:
    key_id, _ = _imported_sm2_key(china)
    with pytest.raises(ClientError) as excinfo:
        china.sign(KeyId=key_id, Message=bytes(31), SigningAlgorithm="SM2DSA", MessageType="DIGEST")
    assert error_of(excinfo) == (
        "ValidationException",
        "Digest is invalid length for algorithm SM2DSA.",
    )
