"""Raw HTTP: KMS JSON requests signed with requests-aws4auth and sent with ``requests`` are
answered by the mock once the test opts in with ``serve_requests`` (``responses``)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
import responses
from kms_testing import REGION
from moto import mock_aws
from requests_aws4auth import AWS4Auth

from kmsimport_mock import KmsImportMock, mock_kms_import, serve_requests, wrap_key_material

URL = f"https://kms.{REGION}.amazonaws.com/"
AUTH = AWS4Auth("AKIAIOSFODNN7EXAMPLE", "fake-secret", REGION, "kms")


def kms(operation: str, body: dict[str, Any], auth: Any = AUTH) -> tuple[int, Any]:
    response = requests.post(
        URL,
        data=json.dumps(body),
        auth=auth,
        headers={
            "X-Amz-Target": f"TrentService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=10,
    )
    return response.status_code, response.json()


@pytest.fixture
def served(kms_import: KmsImportMock) -> Iterator[KmsImportMock]:
    with responses.RequestsMock() as requests_mock:
        kms_import.serve_requests(requests_mock)
        yield kms_import


def test_requests_run_the_whole_import_flow(served: KmsImportMock) -> None:
    _, created = kms("CreateKey", {"Origin": "EXTERNAL"})
    key_id = created["KeyMetadata"]["KeyId"]
    _, params = kms(
        "GetParametersForImport",
        {"KeyId": key_id, "WrappingAlgorithm": "RSAES_OAEP_SHA_1", "WrappingKeySpec": "RSA_2048"},
    )
    material = os.urandom(32)
    blob = wrap_key_material(base64.b64decode(params["PublicKey"]), material, "RSAES_OAEP_SHA_1")
    status, imported = kms(
        "ImportKeyMaterial",
        {
            "KeyId": key_id,
            "ImportToken": params["ImportToken"],
            "EncryptedKeyMaterial": base64.b64encode(blob).decode(),
            "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
        },
    )
    assert status == 200 and imported["KeyId"].endswith(key_id)
    assert served.key_material(key_id) == material


def test_requests_see_aws_error_bodies(served: KmsImportMock) -> None:
    status, body = kms("DescribeKey", {"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})
    assert status == 400
    assert body == {
        "__type": "NotFoundException",
        "message": f"Key 'arn:aws:kms:{REGION}:123456789012:key/"
        "1234abcd-12ab-34cd-56ef-1234567890ab' does not exist",
    }


def test_region_comes_from_the_signature(served: KmsImportMock) -> None:
    auth = AWS4Auth("AKIAIOSFODNN7EXAMPLE", "fake-secret", "ap-south-1", "kms")
    _, created = kms("CreateKey", {"Origin": "EXTERNAL"}, auth=auth)
    assert created["KeyMetadata"]["Arn"].startswith("arn:aws:kms:ap-south-1:")


def test_unsigned_requests_get_missing_authentication_token(served: KmsImportMock) -> None:
    status, body = kms("ListKeys", {}, auth=None)
    assert (status, body["__type"]) == (400, "MissingAuthenticationTokenException")


def test_unserved_operation_gets_a_501_naming_it(served: KmsImportMock) -> None:
    status, body = kms("DescribeCustomKeyStores", {})
    assert (status, body["__type"]) == (501, "OperationNotMocked")
    assert "'DescribeCustomKeyStores'" in body["message"]


def test_mapped_access_key_acts_as_its_account(served: KmsImportMock) -> None:
    served.map_access_key("AKIAOTHERACCOUNT0001", "444455556666")
    auth = AWS4Auth("AKIAOTHERACCOUNT0001", "fake-secret", REGION, "kms")
    _, created = kms("CreateKey", {"Origin": "EXTERNAL"}, auth=auth)
    assert created["KeyMetadata"]["AWSAccountId"] == "444455556666"


def test_injected_fault_answers_one_request(served: KmsImportMock) -> None:
    served.inject_fault("ThrottlingException", operation="ListKeys")
    assert kms("ListKeys", {})[1]["__type"] == "ThrottlingException"
    assert kms("ListKeys", {})[0] == 200


def test_without_a_mock_serve_requests_fails_loudly() -> None:
    with responses.RequestsMock() as requests_mock:
        serve_requests(requests_mock)
        with pytest.raises(RuntimeError, match="no mock_kms_import is active"):
            kms("ListKeys", {})


@pytest.mark.parametrize("moto_first", [True, False], ids=["moto-first", "kmsimport-first"])
def test_beside_moto_kms_requests_reach_the_mock_and_others_reach_moto(
    moto_first: bool,
) -> None:
    first, second = (
        (mock_aws(), mock_kms_import()) if moto_first else (mock_kms_import(), mock_aws())
    )
    with first, second:
        registered = serve_requests()  # on the default responses mock, which moto consults
        try:
            _, created = kms("CreateKey", {"Origin": "EXTERNAL"})
            assert created["KeyMetadata"]["KeyState"] == "PendingImport"  # ours, not moto's
            boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="transport-test")
            listing = requests.get(
                "https://transport-test.s3.amazonaws.com/",
                auth=AWS4Auth("AKIAIOSFODNN7EXAMPLE", "fake-secret", "us-east-1", "s3"),
                timeout=10,
            )
            assert listing.status_code == 200  # moto's S3
        finally:
            responses.mock.remove(registered)
