"""Fail closed: with the network blocked, served operations work, every other KMS operation
raises OperationNotMocked, no socket is ever created, and no credential leaves the process.
"""

from __future__ import annotations

import builtins
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import pytest
from botocore import xform_name
from hostile_support import build_world, call, client, operation_model
from kms_testing import REGION, create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock, OperationNotMocked, protocol
from kmsimport_mock.activation import FAKE_CREDENTIALS
from kmsimport_mock.backend.operations import OPERATIONS
from kmsimport_mock.protocol import kms_service_model

NOT_SERVED = sorted(set(kms_service_model().operation_names) - set(OPERATIONS))
CANARY_ENV_KEY_ID = "AKIACANARYENVIRON000"
CANARY_ENV_SECRET = "canary-environment-secret-access-key"
CANARY_ENV_TOKEN = "canary-environment-session-token"
CANARY_FILE_KEY_ID = "AKIACANARYFILE000000"
CANARY_FILE_SECRET = "canary-file-secret-access-key"
CANARIES = (
    CANARY_ENV_KEY_ID,
    CANARY_ENV_SECRET,
    CANARY_ENV_TOKEN,
    CANARY_FILE_KEY_ID,
    CANARY_FILE_SECRET,
)


@pytest.fixture
def sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every socket created while the test runs (there must be none)."""
    created: list[Any] = []

    class RecordingSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            created.append(args)
            super().__init__(*args, **kwargs)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        created.append(address)
        raise AssertionError(f"tried to connect to {address!r}")

    monkeypatch.setattr(socket, "socket", RecordingSocket)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield created
    assert created == [], f"sockets were created: {created!r}"


@pytest.fixture
def canary_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """Credentials with canary values in the environment and in both AWS config files."""
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[default]\naws_access_key_id = {CANARY_FILE_KEY_ID}\n"
        f"aws_secret_access_key = {CANARY_FILE_SECRET}\n"
    )
    config = tmp_path / "config"
    config.write_text(
        f"[default]\nregion = {REGION}\naws_access_key_id = {CANARY_FILE_KEY_ID}\n"
        f"aws_secret_access_key = {CANARY_FILE_SECRET}\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    return {"credentials": credentials, "config": config}


def _served_flow(kms: Any) -> int:
    """Every served operation at least once, all succeeding; returns the number of calls."""
    calls = 0

    def do(operation: str, **params: Any) -> Any:
        nonlocal calls
        calls += 1
        return getattr(kms, xform_name(operation))(**params)

    key_id = do("CreateKey", Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    do("DescribeKey", KeyId=key_id)
    do("ListKeys")
    import_material(kms, key_id, material_for("SYMMETRIC_DEFAULT"))
    calls += 2  # GetParametersForImport and ImportKeyMaterial
    do("DisableKey", KeyId=key_id)
    do("EnableKey", KeyId=key_id)
    do("DeleteImportedKeyMaterial", KeyId=key_id)
    do("ScheduleKeyDeletion", KeyId=key_id, PendingWindowInDays=7)
    do("CancelKeyDeletion", KeyId=key_id)
    return calls


SCRIPTED = {
    "CreateKey",
    "DescribeKey",
    "ListKeys",
    "GetParametersForImport",
    "ImportKeyMaterial",
    "DisableKey",
    "EnableKey",
    "DeleteImportedKeyMaterial",
    "ScheduleKeyDeletion",
    "CancelKeyDeletion",
}


def test_served_operations_work_with_the_network_blocked_and_open_no_socket(
    sockets: list[Any],
) -> None:
    with KmsImportMock():
        assert _served_flow(client()) == len(SCRIPTED)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_served_operation_answers_in_process_without_a_socket(
    sockets: list[Any], operation: str
) -> None:
    # Generic over the registry, so operations added later are covered: called on keys in
    # every state, each must answer (success or a modeled error) and stay in-process.
    shape = operation_model(operation).input_shape
    with KmsImportMock() as mock:
        world = build_world(mock)
        answers = []
        for meta in world.keys.values():
            params = {"KeyId": meta["KeyId"]} if shape and "KeyId" in shape.members else {}
            answers.append(call(client(validate=False), operation, params))
    assert len(answers) == len(world.keys)


@pytest.mark.parametrize("operation", NOT_SERVED)
def test_unserved_operation_raises_operation_not_mocked_without_a_socket(
    sockets: list[Any], operation: str
) -> None:
    kms = client(validate=False)
    with KmsImportMock(), pytest.raises(OperationNotMocked) as raised:
        getattr(kms, xform_name(operation))()
    assert raised.value.operation == operation
    assert f"{operation!r}" in str(raised.value)
    assert "was not sent to AWS" in str(raised.value)


def test_every_kms_operation_is_either_served_or_refused() -> None:
    all_operations = set(kms_service_model().operation_names)
    assert set(OPERATIONS) <= all_operations
    assert len(NOT_SERVED) == len(all_operations) - len(OPERATIONS) > 0


def test_unserved_operation_with_client_side_validation_still_never_leaves(
    sockets: list[Any],
) -> None:
    kms = client()
    with KmsImportMock(), pytest.raises(OperationNotMocked):
        kms.connect_custom_key_store(CustomKeyStoreId="cks-1234567890abcdef0")


def _record_requests(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """What reaches the mock, what would be signed, and what would be sent."""
    seen: dict[str, list[str]] = {"handled": [], "signed": [], "sent": []}
    real_call = protocol.call

    def recording_call(backend: Any, caller: Any, operation: Any, body: Any) -> Any:
        seen["handled"].append(repr((caller, operation.name, body)))
        return real_call(backend, caller, operation, body)

    def add_auth(self: Any, request: Any) -> None:
        seen["signed"].append(repr(request))
        raise AssertionError("a request was signed")

    monkeypatch.setattr(protocol, "call", recording_call)
    monkeypatch.setattr(botocore.auth.SigV4Auth, "add_auth", add_auth)
    return seen


def _record_sends(kms: Any, seen: dict[str, list[str]]) -> None:
    def before_send(request: Any, **_: Any) -> None:
        seen["sent"].append(repr(request.__dict__))

    kms.meta.events.register("before-send.kms", before_send)


def test_credentials_in_environment_and_files_never_reach_any_request(
    monkeypatch: pytest.MonkeyPatch,
    canary_credentials: dict[str, Path],
    sockets: list[Any],
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CANARY_ENV_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CANARY_ENV_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", CANARY_ENV_TOKEN)
    # A client made before the mock starts holds the real (canary) credentials.
    early = boto3.session.Session().client("kms", region_name=REGION)
    assert early._request_signer._credentials.access_key == CANARY_ENV_KEY_ID
    seen = _record_requests(monkeypatch)
    _record_sends(early, seen)
    with KmsImportMock():
        assert os.environ["AWS_ACCESS_KEY_ID"] == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        late = boto3.session.Session().client("kms", region_name=REGION)
        _record_sends(late, seen)
        calls = _served_flow(early) + _served_flow(late)
    assert len(seen["handled"]) == calls
    assert seen["signed"] == [] and seen["sent"] == []
    for canary in CANARIES:
        assert not any(canary in request for request in seen["handled"])
    # The environment comes back as it was once the mock stops.
    assert os.environ["AWS_ACCESS_KEY_ID"] == CANARY_ENV_KEY_ID


def test_clients_made_inside_the_mock_use_fake_credentials_not_the_credentials_file(
    canary_credentials: dict[str, Path],
) -> None:
    with KmsImportMock():
        kms = boto3.session.Session().client("kms", region_name=REGION)
        credentials = kms._request_signer._credentials
        assert credentials.access_key == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]
        assert credentials.secret_key == FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]


def test_aws_config_files_are_never_opened_while_serving_calls(
    monkeypatch: pytest.MonkeyPatch, canary_credentials: dict[str, Path]
) -> None:
    opened: list[str] = []
    real_open = builtins.open

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    with KmsImportMock():
        # botocore reads the config files when it builds a client; that is not the mock.
        kms = boto3.session.Session().client("kms", region_name=REGION)
        monkeypatch.setattr(builtins, "open", recording_open)
        _served_flow(kms)
        # Error paths too.
        key = create_external_key(kms)
        with pytest.raises(kms.exceptions.InvalidImportTokenException):
            kms.import_key_material(
                KeyId=key["KeyId"],
                ImportToken=b"forged",
                EncryptedKeyMaterial=b"x" * 256,
                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
            )
        monkeypatch.setattr(builtins, "open", real_open)
    files = {str(path) for path in canary_credentials.values()}
    assert not files & set(opened), f"opened while serving calls: {files & set(opened)}"
