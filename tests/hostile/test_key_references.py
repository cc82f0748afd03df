"""Key references a fuzzer turns up: near-misses of a real key's id or ARN do not name it."""

from __future__ import annotations

from typing import Any

import pytest
from hostile_support import client

from kmsimport_mock import KeySpecNotMocked, KmsImportMock
from kmsimport_mock.backend.key_specs import KEY_SPECS


@pytest.fixture
def key() -> Any:
    with KmsImportMock():
        yield client().create_key()["KeyMetadata"]


def test_key_arn_with_a_trailing_newline_is_an_invalid_arn(key: Any) -> None:
    kms = client()
    with pytest.raises(kms.exceptions.InvalidArnException):
        kms.describe_key(KeyId=key["Arn"] + "\n")


def test_key_id_with_a_trailing_newline_is_an_invalid_key_id(key: Any) -> None:
    kms = client()
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.describe_key(KeyId=key["KeyId"] + "\n")
    assert raised.value.response["Error"]["Message"] == f"Invalid keyId '{key['KeyId']}\n'"


def test_key_id_with_a_trailing_newline_cannot_be_disabled(key: Any) -> None:
    kms = client()
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.disable_key(KeyId=key["KeyId"] + "\n")
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_key_arn_in_another_partition_does_not_name_the_key(key: Any) -> None:
    kms = client()
    arn = key["Arn"].replace("arn:aws:", "arn:aws-cn:")
    with pytest.raises(kms.exceptions.NotFoundException) as raised:
        kms.describe_key(KeyId=arn)
    assert raised.value.response["Error"]["Message"] == f"Key '{arn}' does not exist"


def test_key_spec_the_mock_does_not_know_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    # A newer botocore may list key specs this mock has no tables for (ML-KEM did so).
    monkeypatch.delitem(KEY_SPECS, "ML_DSA_44")
    kms = client()
    with KmsImportMock() as mock:
        with pytest.raises(KeySpecNotMocked) as raised:
            kms.create_key(KeySpec="ML_DSA_44", KeyUsage="SIGN_VERIFY")
        assert mock.key_ids() == []
    assert raised.value.key_spec == "ML_DSA_44"
    assert "was not sent to AWS" in str(raised.value)
