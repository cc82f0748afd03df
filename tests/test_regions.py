"""Keys live in one account and Region; the Region comes from the request's endpoint."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from kms_testing import create_external_key

from kmsimport_mock import KmsImportMock


def test_region_comes_from_the_endpoint(kms_import: KmsImportMock) -> None:
    client = boto3.client(
        "kms", region_name="us-east-1", endpoint_url="https://kms.ap-southeast-2.amazonaws.com"
    )
    key = create_external_key(client)
    assert key["Arn"].startswith("arn:aws:kms:ap-southeast-2:")


def test_fips_endpoint_region_is_recognised(kms_import: KmsImportMock) -> None:
    client = boto3.client(
        "kms", region_name="us-east-1", endpoint_url="https://kms-fips.us-west-2.amazonaws.com"
    )
    assert create_external_key(client)["Arn"].startswith("arn:aws:kms:us-west-2:")


def test_custom_endpoint_falls_back_to_the_client_region(kms_import: KmsImportMock) -> None:
    client = boto3.client("kms", region_name="eu-central-1", endpoint_url="http://localhost:4566")
    assert create_external_key(client)["Arn"].startswith("arn:aws:kms:eu-central-1:")


def test_keys_of_one_region_are_invisible_in_another(kms_import: KmsImportMock) -> None:
    create_external_key(boto3.client("kms", region_name="us-east-1"))
    assert boto3.client("kms", region_name="us-west-2").list_keys()["Keys"] == []


def test_moto_account_id_sets_the_account(
    kms_import: KmsImportMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    key: Any = create_external_key(boto3.client("kms", region_name="eu-west-1"))
    assert key["AWSAccountId"] == "111122223333"
    assert key["Arn"] == f"arn:aws:kms:eu-west-1:111122223333:key/{key['KeyId']}"


def test_keys_of_one_account_are_invisible_to_another(
    kms_import: KmsImportMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = boto3.client("kms", region_name="eu-west-1")
    create_external_key(client)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    assert client.list_keys()["Keys"] == []
