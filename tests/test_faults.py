"""Injected faults, and botocore's retry handling of them in every retry mode."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kms_testing import REGION, create_external_key, import_material

from kmsimport_mock import KmsImportMock

THROTTLING_MESSAGE = (
    "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."
)


@pytest.fixture
def delays(kms_import: KmsImportMock) -> list[float]:
    """The delays botocore asked for; nothing really sleeps."""
    recorded: list[float] = []
    kms_import.retry_sleep = recorded.append
    return recorded


def client(mode: str, total_max_attempts: int) -> Any:
    """A client making at most ``total_max_attempts`` attempts (the first one included)."""
    config = Config(retries={"mode": mode, "total_max_attempts": total_max_attempts})
    return boto3.client("kms", region_name=REGION, config=config)


def no_retries() -> Any:
    return client("standard", 1)


def test_throttling_has_aws_code_message_and_status(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("ThrottlingException")
    with pytest.raises(ClientError) as caught:
        no_retries().list_keys()
    response = caught.value.response
    assert response["Error"] == {"Code": "ThrottlingException", "Message": THROTTLING_MESSAGE}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("code", ["DependencyTimeoutException", "KMSInternalException"])
def test_server_faults_are_modeled_exceptions_with_status_500(
    kms_import: KmsImportMock, code: str
) -> None:
    kms_import.inject_fault(code)
    kms = no_retries()
    with pytest.raises(getattr(kms.exceptions, code)) as caught:
        kms.list_keys()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_fault_for_one_operation_leaves_others_alone(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("KMSInternalException", operation="GetParametersForImport")
    kms = no_retries()
    key_id = create_external_key(kms)["KeyId"]
    with pytest.raises(kms.exceptions.KMSInternalException):
        kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )


def test_faults_are_used_up_one_per_attempt(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("ThrottlingException", count=2)
    kms = no_retries()
    for _ in range(2):
        with pytest.raises(ClientError):
            kms.list_keys()
    assert kms.list_keys()["Keys"] == []
    assert kms_import.pending_faults() == []


def test_faulted_call_changes_no_state(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("DependencyTimeoutException", operation="CreateKey")
    kms = no_retries()
    with pytest.raises(kms.exceptions.DependencyTimeoutException):
        kms.create_key(Origin="EXTERNAL")
    assert kms_import.key_ids() == []


def test_faults_are_used_in_the_order_injected(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("KMSInternalException")
    kms_import.inject_fault("DependencyTimeoutException")
    kms = no_retries()
    with pytest.raises(kms.exceptions.KMSInternalException):
        kms.list_keys()
    with pytest.raises(kms.exceptions.DependencyTimeoutException):
        kms.list_keys()


def test_clear_faults_removes_pending_faults(kms_import: KmsImportMock) -> None:
    kms_import.inject_fault("ThrottlingException", count=5)
    kms_import.clear_faults()
    assert no_retries().list_keys()["Keys"] == []


def test_unknown_fault_code_is_refused(kms_import: KmsImportMock) -> None:
    with pytest.raises(ValueError, match="ThrottlingException"):
        kms_import.inject_fault("NotFoundException")


def test_fault_for_an_operation_not_served_is_refused(kms_import: KmsImportMock) -> None:
    with pytest.raises(ValueError, match="does not serve 'ConnectCustomKeyStore'"):
        kms_import.inject_fault("ThrottlingException", operation="ConnectCustomKeyStore")


def test_non_positive_count_is_refused(kms_import: KmsImportMock) -> None:
    with pytest.raises(ValueError, match="positive"):
        kms_import.inject_fault("ThrottlingException", count=0)


# --- botocore retries -------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
def test_two_throttles_then_success_within_three_attempts(
    kms_import: KmsImportMock, delays: list[float], mode: str
) -> None:
    kms_import.inject_fault("ThrottlingException", count=2)
    response = client(mode, 3).list_keys()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(delays) == 2


@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
@pytest.mark.parametrize("code", ["DependencyTimeoutException", "KMSInternalException"])
def test_server_fault_is_retried(
    kms_import: KmsImportMock, delays: list[float], mode: str, code: str
) -> None:
    kms_import.inject_fault(code, count=1)
    response = client(mode, 2).list_keys()
    assert response["ResponseMetadata"]["RetryAttempts"] == 1


@pytest.mark.parametrize("mode", ["standard", "legacy", "adaptive"])
def test_more_faults_than_attempts_raises_with_max_attempts_reached(
    kms_import: KmsImportMock, delays: list[float], mode: str
) -> None:
    kms_import.inject_fault("ThrottlingException", count=5)
    with pytest.raises(ClientError) as caught:
        client(mode, 3).list_keys()
    metadata = caught.value.response["ResponseMetadata"]
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (2, True)
    assert [f.remaining for f in kms_import.pending_faults()] == [2]


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_max_attempts_config_counts_retries_only(
    kms_import: KmsImportMock, delays: list[float], mode: str
) -> None:
    # botocore's retries={"max_attempts": N} allows N retries after the first attempt.
    kms_import.inject_fault("ThrottlingException", count=5)
    config = Config(retries={"mode": mode, "max_attempts": 3})
    with pytest.raises(ClientError) as caught:
        boto3.client("kms", region_name=REGION, config=config).list_keys()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 3


def test_delays_grow_as_botocore_backs_off(kms_import: KmsImportMock, delays: list[float]) -> None:
    kms_import.inject_fault("KMSInternalException", count=3)
    client("legacy", 4).list_keys()
    # Legacy mode: base * 2 ** (attempt - 1) with a random base in [0, 1).
    assert len(delays) == 3
    assert all(0 <= d <= 1 * 2**i for i, d in enumerate(delays))


def test_default_client_retries_throttling(kms_import: KmsImportMock, delays: list[float]) -> None:
    kms_import.inject_fault("ThrottlingException", count=1)
    response = boto3.client("kms", region_name=REGION).list_keys()
    assert response["ResponseMetadata"]["RetryAttempts"] == 1


def test_errors_of_the_mock_itself_are_not_retried(kms: Any, delays: list[float]) -> None:
    with pytest.raises(ClientError) as caught:
        kms.describe_key(KeyId="1234abcd-12ab-34cd-56ef-1234567890ab")
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert delays == []


def test_successful_call_reports_no_retries(kms: Any) -> None:
    assert kms.list_keys()["ResponseMetadata"]["RetryAttempts"] == 0


def test_retry_of_a_faulted_import_imports_once(
    kms_import: KmsImportMock, delays: list[float]
) -> None:
    kms = client("standard", 3)
    key_id = create_external_key(kms)["KeyId"]
    kms_import.inject_fault("DependencyTimeoutException", operation="ImportKeyMaterial")
    material = bytes(range(32))
    response = import_material(kms, key_id, material)
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert kms_import.key_material(key_id) == material


def test_needs_retry_handlers_get_botocores_arguments(
    kms_import: KmsImportMock, delays: list[float]
) -> None:
    seen: list[dict[str, Any]] = []
    kms = client("standard", 2)

    def record(**kwargs: Any) -> None:
        seen.append(kwargs)

    kms.meta.events.register_first("needs-retry.kms.ListKeys", record)
    kms_import.inject_fault("ThrottlingException")
    kms.list_keys()
    assert [s["attempts"] for s in seen] == [1, 2]
    assert set(seen[0]) >= {
        "response",
        "endpoint",
        "operation",
        "attempts",
        "caught_exception",
        "request_dict",
    }
    assert seen[0]["operation"].name == "ListKeys"
    assert seen[0]["response"][0].status_code == 400
