"""GenerateRandom: 1 to 1024 random bytes; no custom key stores, no Nitro Enclaves."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kms_testing import REGION, error_of

from kmsimport_mock import KmsImportMock, ParameterNotMocked


@pytest.fixture
def unvalidated(kms_import: KmsImportMock) -> Any:
    """A client that sends what it is given, as other SDKs may."""
    return boto3.client("kms", region_name=REGION, config=Config(parameter_validation=False))


@pytest.mark.parametrize("count", [1, 12, 1024])
def test_answers_as_many_bytes_as_asked(kms: Any, count: int) -> None:
    assert len(kms.generate_random(NumberOfBytes=count)["Plaintext"]) == count


def test_bytes_differ_from_call_to_call(kms: Any) -> None:
    assert kms.generate_random(NumberOfBytes=32) != kms.generate_random(NumberOfBytes=32)


def test_number_of_bytes_is_required(unvalidated: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        unvalidated.generate_random()
    assert error_of(excinfo) == ("ValidationException", "NumberOfBytes is required.")


@pytest.mark.parametrize(
    ("count", "bound"),
    [(0, "greater than or equal to 1"), (1025, "less than or equal to 1024")],
)
def test_number_of_bytes_out_of_bounds_is_refused(unvalidated: Any, count: int, bound: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        unvalidated.generate_random(NumberOfBytes=count)
    assert error_of(excinfo) == (
        "ValidationException",
        f"1 validation error detected: Value '{count}' at 'numberOfBytes' failed to satisfy "
        f"constraint: Member must have value {bound}",
    )


def test_custom_key_store_is_not_found(kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        kms.generate_random(NumberOfBytes=8, CustomKeyStoreId="cks-1234567890abcdef0")
    assert error_of(excinfo) == (
        "CustomKeyStoreNotFoundException",
        "Custom key store cks-1234567890abcdef0 does not exist.",
    )


def test_nitro_enclave_recipient_is_not_served(kms: Any) -> None:
    recipient = {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"doc"}
    with pytest.raises(ParameterNotMocked) as excinfo:
        kms.generate_random(NumberOfBytes=8, Recipient=recipient)
    assert (excinfo.value.operation, excinfo.value.parameter) == ("GenerateRandom", "Recipient")
