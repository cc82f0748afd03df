"""Secrets stay secret: no response, error message, log line or repr shows a wrapping private
key or plaintext key material; import tokens cannot be forged or replayed across mocks; only
the inspection API hands material out.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import threading
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from hostile_support import client, operation_model, wrong_materials
from kms_testing import create_external_key, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.import_tokens import TokenClaims, TokenSealer
from kmsimport_mock.backend.operations import OPERATIONS
from kmsimport_mock.crypto.wrapping import wrap_key_material
from kmsimport_mock.transport.server import make_server

SPECS = {
    # key spec -> (wrapping algorithm, wrapping key spec)
    "SYMMETRIC_DEFAULT": ("RSAES_OAEP_SHA_256", "RSA_2048"),
    "HMAC_256": ("RSAES_OAEP_SHA_1", "RSA_2048"),
    "RSA_2048": ("RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"),
    "ECC_NIST_P256": ("RSA_AES_KEY_WRAP_SHA_1", "RSA_2048"),
}


def _forms(secret: bytes) -> list[str]:
    """Ways a secret could show up in text: hex, base64 and Python's bytes repr, of the whole
    and of a piece from its middle (a leak of part of a key is a leak; the start of a DER key
    is a header that public keys share, so it is not used as a piece)."""
    middle = len(secret) // 2 // 3 * 3  # a multiple of 3 keeps base64 aligned
    forms = []
    for piece in (secret, secret[middle : middle + 24]):
        if len(piece) < 12:
            continue
        forms += [piece.hex(), piece.hex().upper(), base64.b64encode(piece).decode()]
        forms.append(repr(piece)[2:-1])
    return forms


def _private_key_forms(private_key: Any) -> list[str]:
    forms: list[str] = []
    for private_format in (
        serialization.PrivateFormat.PKCS8,
        serialization.PrivateFormat.TraditionalOpenSSL,
    ):
        der = private_key.private_bytes(
            serialization.Encoding.DER, private_format, serialization.NoEncryption()
        )
        forms += _forms(der)
    numbers = private_key.private_numbers()
    for value in (numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1, numbers.iqmp):
        forms += [str(value), f"{value:x}", f"{value:X}"]
        forms += _forms(value.to_bytes((value.bit_length() + 7) // 8, "big"))
    return forms


class Corpus:
    """Everything a user could see: responses, errors, log lines and reprs."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, *values: Any) -> None:
        for value in values:
            self.texts.append(repr(value))
            self.texts.append(str(value))

    def leaks(self, forms: list[str]) -> list[str]:
        joined = "\n".join(self.texts)
        return [form for form in forms if form in joined]


def _exercise(mock: KmsImportMock, corpus: Corpus) -> tuple[list[bytes], list[Any]]:
    """Imports for every kind of key plus the failures around them, recording everything."""
    kms = client()
    materials: list[bytes] = []
    wrapping_keys: list[Any] = []

    def record(method: Any, **params: Any) -> Any:
        try:
            response = method(**params)
        except ClientError as error:
            corpus.add(error, error.response)
            return None
        corpus.add(response)
        return response

    for key_spec, (algorithm, wrapping_key_spec) in SPECS.items():
        key_id = create_external_key(kms, key_spec)["KeyId"]
        params = record(
            kms.get_parameters_for_import,
            KeyId=key_id,
            WrappingAlgorithm=algorithm,
            WrappingKeySpec=wrapping_key_spec,
        )
        fingerprint = hashlib.sha256(params["PublicKey"]).digest()
        wrapping_key = mock.backend.pool.find(fingerprint)
        assert wrapping_key is not None
        wrapping_keys.append(wrapping_key.private_key)
        material = material_for(key_spec)
        materials.append(material)
        attempts = [*wrong_materials(key_spec).items(), ("right", material), ("again", material)]
        for name, attempt in attempts:
            try:
                blob = wrap_key_material(params["PublicKey"], attempt, algorithm)
            except ValueError:
                continue
            if name != "public key":  # the one wrong material that is no secret
                materials.append(attempt)
            for token in (params["ImportToken"], params["ImportToken"][:-1]):
                record(
                    kms.import_key_material,
                    KeyId=key_id,
                    ImportToken=token,
                    EncryptedKeyMaterial=blob,
                    ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
                )
            record(
                kms.import_key_material,
                KeyId=key_id,
                ImportToken=params["ImportToken"],
                EncryptedKeyMaterial=blob,
                ValidTo=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
            )
        record(kms.describe_key, KeyId=key_id)
        # Every other served operation that takes a key, including any added later.
        for operation in sorted(OPERATIONS):
            shape = operation_model(operation).input_shape
            if shape is not None and "KeyId" in shape.members:
                unchecked = client(validate=False)
                record(getattr(unchecked, xform_name(operation)), KeyId=key_id)
        corpus.add(mock.inspect_key(key_id), mock.key_state(key_id))
        record(kms.delete_imported_key_material, KeyId=key_id)
        record(kms.delete_imported_key_material, KeyId=key_id, KeyMaterialId="a" * 64)
    record(kms.list_keys)
    corpus.add(mock, mock.backend, mock.backend.all_keys(), mock.key_ids())
    return materials, wrapping_keys


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in ("kmsimport_mock", "botocore", "boto3", "urllib3", ""):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_no_response_error_log_line_or_repr_shows_material_or_wrapping_private_keys(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    corpus = Corpus()
    with KmsImportMock() as mock:
        materials, wrapping_keys = _exercise(mock, corpus)
    records = debug_logs.records
    assert any(record.name.startswith("botocore") for record in records)
    for record in records:
        corpus.add(record.getMessage(), record.args)
    for material in materials:
        assert corpus.leaks(_forms(material)) == []
    for private_key in wrapping_keys:
        assert corpus.leaks(_private_key_forms(private_key)) == []


def test_the_leak_detector_finds_material_where_it_is(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    # The check above would be worthless if it could not see a leak: a response carrying
    # material and a logged private key are found.
    corpus = Corpus()
    with KmsImportMock() as mock:
        materials, wrapping_keys = _exercise(mock, corpus)
    corpus.add({"Plaintext": materials[-1]})
    logging.getLogger("kmsimport_mock").debug("%r", wrapping_keys[0].private_numbers().d)
    corpus.add(debug_logs.records[-1].getMessage())
    assert any(corpus.leaks(_forms(material)) for material in materials)
    assert corpus.leaks(_private_key_forms(wrapping_keys[0]))


def test_inspection_api_is_the_one_way_to_read_material() -> None:
    kms = client()
    with KmsImportMock() as mock:
        key_id = create_external_key(kms)["KeyId"]
        material = material_for("SYMMETRIC_DEFAULT")
        params = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrap_key_material(
                params["PublicKey"], material, "RSAES_OAEP_SHA_256"
            ),
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
        view = mock.inspect_key(key_id)
        (key,) = mock.backend.all_keys()
        shown = [repr(mock), str(mock), repr(view), repr(key), repr(key.materials), str(key)]
        assert mock.key_material(key_id) == material
    for text in shown:
        for form in _forms(material):
            assert form not in text


def _import_with_token(kms: Any, key_id: str, token: bytes, public_key: bytes) -> Any:
    return kms.import_key_material(
        KeyId=key_id,
        ImportToken=token,
        EncryptedKeyMaterial=wrap_key_material(
            public_key, material_for("SYMMETRIC_DEFAULT"), "RSAES_OAEP_SHA_256"
        ),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


def _parameters(kms: Any, key_id: str) -> Any:
    return kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )


def test_token_forged_with_the_right_claims_but_another_secret_is_refused() -> None:
    kms = client()
    with KmsImportMock():
        key = create_external_key(kms)
        params = _parameters(kms, key["KeyId"])
        claims = TokenClaims(
            account=key["AWSAccountId"],
            region=kms.meta.region_name,
            key_arn=key["Arn"],
            wrapping_algorithm="RSAES_OAEP_SHA_256",
            wrapping_key_spec="RSA_2048",
            wrapping_key_fingerprint=hashlib.sha256(params["PublicKey"]).digest(),
            valid_to=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
        )
        forged = TokenSealer(os.urandom(32)).seal(claims)
        with pytest.raises(kms.exceptions.InvalidImportTokenException):
            _import_with_token(kms, key["KeyId"], forged, params["PublicKey"])


def test_token_written_in_the_clear_is_refused() -> None:
    kms = client()
    with KmsImportMock():
        key = create_external_key(kms)
        params = _parameters(kms, key["KeyId"])
        clear = b"\x01" + json.dumps([key["AWSAccountId"], key["Arn"]]).encode() + bytes(28)
        with pytest.raises(kms.exceptions.InvalidImportTokenException):
            _import_with_token(kms, key["KeyId"], clear, params["PublicKey"])


def test_token_does_not_show_what_it_carries() -> None:
    kms = client()
    with KmsImportMock():
        key = create_external_key(kms)
        token = _parameters(kms, key["KeyId"])["ImportToken"]
    for visible in (key["Arn"], key["KeyId"], key["AWSAccountId"], "RSAES_OAEP_SHA_256"):
        assert visible.encode() not in token


def test_token_of_a_stopped_mock_is_refused_by_the_next() -> None:
    kms = client()
    with KmsImportMock():
        old_key = create_external_key(kms)
        old = _parameters(kms, old_key["KeyId"])
    with KmsImportMock():
        key = create_external_key(kms)
        fresh = _parameters(kms, key["KeyId"])
        with pytest.raises(kms.exceptions.InvalidImportTokenException):
            _import_with_token(kms, key["KeyId"], old["ImportToken"], fresh["PublicKey"])
        _import_with_token(kms, key["KeyId"], fresh["ImportToken"], fresh["PublicKey"])


def test_token_of_an_outer_mock_is_refused_by_a_nested_one() -> None:
    kms = client()
    with KmsImportMock():
        outer_key = create_external_key(kms)
        outer = _parameters(kms, outer_key["KeyId"])
        with KmsImportMock():
            key = create_external_key(kms)
            inner = _parameters(kms, key["KeyId"])
            with pytest.raises(kms.exceptions.InvalidImportTokenException):
                _import_with_token(kms, key["KeyId"], outer["ImportToken"], inner["PublicKey"])
        # Back in the outer mock its own token still works.
        _import_with_token(kms, outer_key["KeyId"], outer["ImportToken"], outer["PublicKey"])


def test_token_of_one_key_is_refused_for_another() -> None:
    kms = client()
    with KmsImportMock():
        first, second = create_external_key(kms), create_external_key(kms)
        params = _parameters(kms, first["KeyId"])
        with pytest.raises(kms.exceptions.InvalidImportTokenException):
            _import_with_token(kms, second["KeyId"], params["ImportToken"], params["PublicKey"])


def test_http_endpoint_logs_and_answers_show_no_material_or_wrapping_private_key(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    # The same through `python -m kmsimport_mock serve`'s server, run in-process on loopback.
    server = make_server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    corpus = Corpus()
    try:
        kms = boto3.session.Session().client(
            "kms",
            region_name="eu-west-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="not-a-secret",
        )
        key_id = create_external_key(kms, "ECC_NIST_P256")["KeyId"]
        params = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSA_AES_KEY_WRAP_SHA_256", WrappingKeySpec="RSA_2048"
        )
        wrapping_key = server.backend.pool.find(hashlib.sha256(params["PublicKey"]).digest())
        assert wrapping_key is not None
        material = material_for("ECC_NIST_P256")
        for attempt in (material[:-1], material):
            blob = wrap_key_material(params["PublicKey"], attempt, "RSA_AES_KEY_WRAP_SHA_256")
            try:
                corpus.add(
                    kms.import_key_material(
                        KeyId=key_id,
                        ImportToken=params["ImportToken"],
                        EncryptedKeyMaterial=blob,
                        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
                    )
                )
            except ClientError as error:
                corpus.add(error, error.response)
        corpus.add(kms.describe_key(KeyId=key_id), params)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    records = debug_logs.records
    assert any(record.name == "kmsimport_mock.server" for record in records)
    for record in records:
        corpus.add(record.getMessage(), record.args)
    assert corpus.leaks(_forms(material)) == []
    assert corpus.leaks(_forms(material[:-1])) == []
    assert corpus.leaks(_private_key_forms(wrapping_key.private_key)) == []
