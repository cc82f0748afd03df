"""The JSON 1.1 protocol layer, for request bodies that botocore itself never sends (other
SDKs, raw HTTP): they get AWS's validation answers, never a Python error."""

from __future__ import annotations

import json

import pytest

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.kms_errors import KmsError
from kmsimport_mock.backend.types import DEFAULT_ACCOUNT_ID, Caller
from kmsimport_mock.protocol import call, kms_service_model

CALLER = Caller(DEFAULT_ACCOUNT_ID, "eu-west-1")


def _answer(kms_import: KmsImportMock, operation: str, body: object) -> KmsError:
    model = kms_service_model().operation_model(operation)
    with pytest.raises(KmsError) as raised:
        call(kms_import.backend, CALLER, model, json.dumps(body))
    return raised.value


def test_null_entry_of_a_list_is_a_validation_error_naming_it(kms_import: KmsImportMock) -> None:
    error = _answer(kms_import, "GetPublicKey", {"KeyId": "x", "GrantTokens": [None, "token"]})
    assert (error.code, error.message) == (
        "ValidationException",
        "1 validation error detected: Value null at 'grantTokens.1.member' failed to satisfy "
        "constraint: Member must not be null",
    )


def test_null_member_of_a_structure_counts_as_absent(kms_import: KmsImportMock) -> None:
    error = _answer(kms_import, "DescribeKey", {"KeyId": None})
    assert (error.code, error.message) == (
        "ValidationException",
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
        "Member must not be null",
    )
