"""How a test turns the mock on: decorator, context manager, start/stop, fixture."""

from __future__ import annotations

import asyncio
import os
import unittest
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kms_testing import REGION, create_external_key

from kmsimport_mock import KmsImportMock, OperationNotMocked, mock_kms_import
from kmsimport_mock.activation import FAKE_CREDENTIALS

NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def _key_count() -> int:
    return len(boto3.client("kms", region_name=REGION).list_keys()["Keys"])


def test_decorator_without_parentheses_serves_kms() -> None:
    @mock_kms_import
    def body() -> int:
        create_external_key(boto3.client("kms", region_name=REGION))
        return _key_count()

    assert body() == 1


def test_decorator_with_parentheses_serves_kms() -> None:
    @mock_kms_import()
    def body() -> int:
        create_external_key(boto3.client("kms", region_name=REGION))
        return _key_count()

    assert body() == 1


def test_each_decorated_call_starts_with_empty_state() -> None:
    @mock_kms_import
    def body() -> int:
        create_external_key(boto3.client("kms", region_name=REGION))
        return _key_count()

    assert [body(), body()] == [1, 1]


def test_context_manager_yields_the_mock() -> None:
    with mock_kms_import() as kms_import:
        assert isinstance(kms_import, KmsImportMock)
        key = create_external_key(boto3.client("kms", region_name=REGION))
        assert kms_import.key_state(key["KeyId"]) == "PendingImport"


def test_start_and_stop() -> None:
    mock = mock_kms_import()
    mock.start()
    try:
        create_external_key(boto3.client("kms", region_name=REGION))
        assert _key_count() == 1
    finally:
        mock.stop()
    assert not mock.active


def test_every_start_begins_with_empty_state() -> None:
    mock = mock_kms_import()
    with mock:
        create_external_key(boto3.client("kms", region_name=REGION))
    with mock:
        assert _key_count() == 0


def test_starting_twice_is_an_error() -> None:
    with mock_kms_import() as mock, pytest.raises(RuntimeError, match="already started"):
        mock.start()


def test_stopping_a_stopped_mock_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        mock_kms_import().stop()


def test_nested_mocks_each_have_their_own_state() -> None:
    client = boto3.client(
        "kms", region_name=REGION, aws_access_key_id="a", aws_secret_access_key="b"
    )
    with mock_kms_import():
        create_external_key(client)
        with mock_kms_import():
            assert len(client.list_keys()["Keys"]) == 0
        assert len(client.list_keys()["Keys"]) == 1


def test_overlapping_mocks_stop_in_any_order() -> None:
    client = boto3.client(
        "kms", region_name=REGION, aws_access_key_id="a", aws_secret_access_key="b"
    )
    first, second = mock_kms_import(), mock_kms_import()
    first.start()
    create_external_key(client)
    second.start()
    first.stop()
    # The second mock still answers, with its own (empty) state.
    assert client.list_keys()["Keys"] == []
    second.stop()


def test_client_created_before_start_is_served() -> None:
    client = boto3.client("kms", region_name=REGION)
    with mock_kms_import():
        key = create_external_key(client)
    assert key["KeyState"] == "PendingImport"


def test_fake_credentials_are_set_while_active_and_restored_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "real-looking-key")
    with mock_kms_import():
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
    assert os.environ["AWS_ACCESS_KEY_ID"] == "real-looking-key"
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ


def test_unserved_kms_operation_fails_closed_naming_it() -> None:
    with mock_kms_import():
        client = boto3.client("kms", region_name=REGION)
        with pytest.raises(OperationNotMocked, match=r"'ConnectCustomKeyStore'.*ImportKeyMaterial"):
            client.connect_custom_key_store(CustomKeyStoreId="cks-1234567890abcdef0")


def test_other_services_are_left_alone() -> None:
    # The handler only listens to KMS events: an STS call still goes to botocore's
    # normal path (and here to the blocked network).
    with mock_kms_import():
        sts = boto3.client("sts", region_name=REGION, config=NO_RETRIES)
        with pytest.raises(Exception) as raised:
            sts.get_caller_identity()
        assert not isinstance(raised.value, OperationNotMocked)


def test_without_a_mock_kms_calls_are_not_answered() -> None:
    client = boto3.client(
        "kms", region_name=REGION, aws_access_key_id="a", aws_secret_access_key="b"
    )
    with pytest.raises(Exception) as raised:
        client.list_keys()
    assert not isinstance(raised.value, ClientError)


def test_fixture_yields_an_active_mock(kms_import: KmsImportMock) -> None:
    assert kms_import.active
    key = create_external_key(boto3.client("kms", region_name=REGION))
    assert kms_import.key_ids() == [key["KeyId"]]


@mock_kms_import
class DecoratedPlainClass:
    def test_method_is_served(self) -> None:
        assert _key_count() == 0


class TestDecoratedPlainClass(DecoratedPlainClass):
    pass


@mock_kms_import
class DecoratedTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.client: Any = boto3.client("kms", region_name=REGION)
        self.key = create_external_key(self.client)

    def test_setup_runs_inside_the_mock(self) -> None:
        assert self.key["KeyState"] == "PendingImport"

    def test_each_test_gets_a_fresh_backend(self) -> None:
        assert len(self.client.list_keys()["Keys"]) == 1


def test_async_functions_can_be_decorated() -> None:
    @mock_kms_import
    async def body() -> int:
        create_external_key(boto3.client("kms", region_name=REGION))
        return _key_count()

    assert asyncio.run(body()) == 1


# --- a configured mock used as a decorator keeps its configuration -----------------------


def _configured_mock() -> KmsImportMock:
    configured = mock_kms_import()
    configured.inject_fault("KMSInternalException", count=100, operation="ListKeys")
    configured.map_access_key("AKIACONFIGURED000001", "210987654321")
    configured.on_demand_rotation_limit = 3
    return configured


def _assert_configuration_holds(kms: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        kms.list_keys()
    assert excinfo.value.response["Error"]["Code"] == "KMSInternalException"
    signed = boto3.client(
        "kms",
        region_name=REGION,
        aws_access_key_id="AKIACONFIGURED000001",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )
    assert create_external_key(signed)["AWSAccountId"] == "210987654321"


def test_configured_mock_decorating_a_function_keeps_its_configuration() -> None:
    configured = _configured_mock()

    @configured
    def decorated() -> None:
        assert configured.active
        assert configured.on_demand_rotation_limit == 3
        _assert_configuration_holds(
            boto3.client("kms", region_name=REGION, config=Config(retries={"max_attempts": 1}))
        )

    decorated()
    assert not configured.active


def test_configured_mock_decorating_an_async_function_keeps_its_configuration() -> None:
    configured = _configured_mock()

    @configured
    async def decorated() -> None:
        assert configured.active
        _assert_configuration_holds(
            boto3.client("kms", region_name=REGION, config=Config(retries={"max_attempts": 1}))
        )

    asyncio.run(decorated())
    assert not configured.active


def test_configured_mock_decorating_a_test_case_keeps_its_configuration() -> None:
    configured = _configured_mock()
    seen: list[str] = []

    @configured
    class Configured(unittest.TestCase):
        def test_first(self) -> None:
            assert configured.active
            _assert_configuration_holds(
                boto3.client("kms", region_name=REGION, config=Config(retries={"max_attempts": 1}))
            )
            seen.append("first")

    result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Configured)
    )
    assert result.wasSuccessful(), result.failures + result.errors
    assert seen == ["first"]
    assert not configured.active


def test_configured_mock_decorating_a_plain_class_keeps_its_configuration() -> None:
    configured = _configured_mock()

    @configured
    class Configured:
        def test_method(self) -> None:
            _assert_configuration_holds(
                boto3.client("kms", region_name=REGION, config=Config(retries={"max_attempts": 1}))
            )

    Configured().test_method()
    assert not configured.active


def test_each_test_of_a_configured_mock_starts_with_empty_state() -> None:
    configured = mock_kms_import()
    key_ids: list[list[str]] = []

    @configured
    def decorated() -> None:
        key_ids.append(configured.key_ids())
        create_external_key(boto3.client("kms", region_name=REGION))

    decorated()
    decorated()
    assert key_ids == [[], []]
