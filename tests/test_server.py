"""``python -m kmsimport_mock serve``: the local KMS endpoint, run as a real subprocess.

The server prints its URL on stdout once it listens, so the tests start it on port 0 and
read that line instead of waiting. SDK traffic uses real boto3 clients with
``endpoint_url``; no mock is active in this process, so every call crosses HTTP.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kms_testing import REGION

from kmsimport_mock import wrap_key_material

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str

    def client(self, region: str = REGION, access_key: str = "AKIAIOSFODNN7EXAMPLE") -> Any:
        return boto3.client(
            "kms",
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=access_key,
            aws_secret_access_key="fake-secret",
            config=Config(retries={"max_attempts": 1}),
        )

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        """Sends the signal; returns the exit status and everything logged."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        _, log = self.process.communicate(timeout=30)
        return self.process.returncode, log


StartServer = Callable[..., Server]


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    servers: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        process = subprocess.Popen(
            [sys.executable, "-m", "kmsimport_mock", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(env or {}),
        )
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.communicate(timeout=30)
        server = Server(process, url)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.communicate(timeout=30)


@pytest.fixture
def server(start_server: StartServer) -> Server:
    return start_server()


def _post(url: str, headers: dict[str, str], body: bytes = b"{}") -> tuple[int, Any]:
    request = urllib.request.Request(url + "/", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


SIGNED = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/eu-west-1/kms/aws4_request"


def _import_flow(kms: Any, algorithm: str = "RSAES_OAEP_SHA_256") -> tuple[str, bytes]:
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
    )
    blob = wrap_key_material(params["PublicKey"], os.urandom(32), algorithm)
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=blob,
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )
    return key_id, blob


# --- serving ------------------------------------------------------------------------------


def test_health_endpoint_answers_ok_with_the_served_operations(server: Server) -> None:
    with urllib.request.urlopen(server.url + "/health", timeout=10) as response:
        body = json.loads(response.read())
    assert body["status"] == "ok"
    assert "ImportKeyMaterial" in body["operations"]


def test_boto3_runs_the_whole_import_flow_over_http(server: Server) -> None:
    kms = server.client()
    key_id, _ = _import_flow(kms)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    kms.delete_imported_key_material(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_encryption_operations_are_served_over_http(server: Server) -> None:
    kms = server.client()
    key_id, _ = _import_flow(kms)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"over http", EncryptionContext={"a": "b"})[
        "CiphertextBlob"
    ]
    decrypted = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})
    assert decrypted["Plaintext"] == b"over http"
    assert decrypted["KeyId"].endswith(key_id)
    data_key = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    assert (
        kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == data_key["Plaintext"]
    )
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=blob)


def test_a_parameter_the_mock_cannot_honour_gets_a_501_naming_it(server: Server) -> None:
    kms = server.client()
    key_id, _ = _import_flow(kms)
    recipient = {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"doc"}
    with pytest.raises(ClientError) as raised:
        kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", Recipient=recipient)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert raised.value.response["Error"]["Code"] == "ParameterNotMocked"


def test_errors_cross_http_as_modeled_exceptions(server: Server) -> None:
    kms = server.client()
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    with pytest.raises(kms.exceptions.InvalidImportTokenException):
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=b"\x00" * 64,
            EncryptedKeyMaterial=b"\x00" * 256,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )


def test_region_comes_from_the_credential_scope(server: Server) -> None:
    arn = server.client("us-west-2").create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"]
    assert arn.startswith("arn:aws:kms:us-west-2:123456789012:key/")
    with pytest.raises(ClientError) as raised:
        server.client("eu-west-1").describe_key(KeyId=arn.rsplit("/", 1)[1])
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_account_comes_from_moto_account_id(start_server: StartServer) -> None:
    server = start_server(env={"MOTO_ACCOUNT_ID": "111122223333"})
    meta = server.client().create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert meta["AWSAccountId"] == "111122223333"


def test_mapped_access_key_acts_as_its_account(start_server: StartServer) -> None:
    server = start_server("--map-access-key", "AKIAOTHERACCOUNT0001=444455556666")
    other = server.client(access_key="AKIAOTHERACCOUNT0001").create_key(Origin="EXTERNAL")
    default = server.client().create_key(Origin="EXTERNAL")
    assert other["KeyMetadata"]["AWSAccountId"] == "444455556666"
    assert default["KeyMetadata"]["AWSAccountId"] == "123456789012"


def test_unknown_target_gets_unknown_operation_exception(server: Server) -> None:
    headers = {"X-Amz-Target": "TrentService.NoSuchThing", "Authorization": SIGNED}
    assert _post(server.url, headers) == (400, {"__type": "UnknownOperationException"})


def test_operation_the_mock_does_not_serve_fails_naming_it(server: Server) -> None:
    with pytest.raises(ClientError) as raised:
        server.client().describe_custom_key_stores()
    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["Code"] == "OperationNotMocked"
    assert "does not serve KMS operation 'DescribeCustomKeyStores'" in error["Message"]


def test_unsigned_request_gets_missing_authentication_token(server: Server) -> None:
    status, body = _post(server.url, {"X-Amz-Target": "TrentService.ListKeys"})
    assert status == 400
    assert body["__type"] == "MissingAuthenticationTokenException"


def test_malformed_json_body_gets_serialization_exception(server: Server) -> None:
    headers = {"X-Amz-Target": "TrentService.CreateKey", "Authorization": SIGNED}
    status, body = _post(server.url, headers, b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")


# --- logging and shutdown -----------------------------------------------------------------


def test_each_request_logs_one_line_without_secrets(server: Server) -> None:
    kms = server.client()
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    _, log = server.stop()
    request_lines = [line for line in log.splitlines() if " POST " in line]
    assert len(request_lines) == 2
    assert " POST GetParametersForImport 200 " in request_lines[1]
    assert request_lines[1].endswith("ms")
    token_fragment = base64.b64encode(params["ImportToken"]).decode()[:40]
    public_key_fragment = base64.b64encode(params["PublicKey"]).decode()[40:80]
    for secret in (token_fragment, public_key_fragment, "AKIAIOSFODNN7EXAMPLE"):
        assert secret not in log


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_cleanly(server: Server, signum: int) -> None:
    status, log = server.stop(signum)
    assert status == 0
    assert log.rstrip().endswith("stopped")
    assert "Traceback" not in log


# --- state across restarts ----------------------------------------------------------------


def test_ciphertext_made_before_a_restart_with_state_dir_decrypts_after_it(
    start_server: StartServer, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    first = start_server("--state-dir", str(state_dir))
    key_id, _ = _import_flow(first.client())
    blob = first.client().encrypt(KeyId=key_id, Plaintext=b"kept")["CiphertextBlob"]
    assert first.stop()[0] == 0
    second = start_server("--state-dir", str(state_dir))
    assert second.client().decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"


def test_state_dir_keeps_keys_and_tokens_valid_across_a_restart(
    start_server: StartServer, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    first = start_server("--state-dir", str(state_dir))
    kms = first.client()
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    assert first.stop()[0] == 0

    second = start_server("--state-dir", str(state_dir))
    kms = second.client()
    blob = wrap_key_material(params["PublicKey"], os.urandom(32), "RSAES_OAEP_SHA_256")
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=blob,
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_state_survives_a_killed_server(start_server: StartServer, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    first = start_server("--state-dir", str(state_dir))
    key_id, _ = _import_flow(first.client())
    first.stop(signal.SIGKILL)  # no chance to save at shutdown

    second = start_server("--state-dir", str(state_dir))
    assert second.client().describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_state_files_are_private_to_their_owner(start_server: StartServer, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    server = start_server("--state-dir", str(state_dir))
    server.client().create_key(Origin="EXTERNAL")
    server.stop()
    files = list(state_dir.iterdir())
    # The WAL is folded into the database when the server stops.
    assert sorted(f.name for f in files) == [
        "kmsimport_mock-state.lock",
        "kmsimport_mock-state.sqlite3",
    ]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700


def test_unreadable_state_file_stops_the_server_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "kmsimport_mock-state.json").write_text("{half a file")
    result = subprocess.run(
        [sys.executable, "-m", "kmsimport_mock", "serve", "--state-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=_environment({}),
        timeout=60,
    )
    assert result.returncode == 2
    assert "is not a kmsimport_mock state file" in result.stderr
    assert "Traceback" not in result.stderr


def _raw_exchange(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: connection.recv(65536), b""))


def test_chunked_request_body_is_read(server: Server) -> None:
    body = b'{"Origin":"EXTERNAL"}'
    response = _raw_exchange(
        server.url,
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"X-Amz-Target: TrentService.CreateKey\r\nAuthorization: " + SIGNED.encode() + b"\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n",
    )
    assert response.startswith(b"HTTP/1.1 200 ")
    assert b'"KeyState":"PendingImport"' in response


def test_malformed_content_length_gets_400_without_traceback(server: Server) -> None:
    response = _raw_exchange(
        server.url,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n"
        b"X-Amz-Target: TrentService.ListKeys\r\n\r\n{}",
    )
    assert response.startswith(b"HTTP/1.1 400 ")
    _, log = server.stop()
    assert "Traceback" not in log


def test_expect_100_continue_is_answered_before_the_body_is_sent(server: Server) -> None:
    # curl sends "Expect: 100-continue" before bodies over 1 KB (an ImportKeyMaterial) and
    # waits for the interim answer before sending the body.
    host, port = server.url.removeprefix("http://").split(":")
    body = b'{"Origin":"EXTERNAL"}'
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"X-Amz-Target: TrentService.CreateKey\r\nAuthorization: " + SIGNED.encode() + b"\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        assert connection.recv(65536).startswith(b"HTTP/1.1 100 Continue")
        connection.sendall(body)
        response = b"".join(iter(lambda: connection.recv(65536), b""))
    assert response.startswith(b"HTTP/1.1 200 ")
    assert b'"KeyState":"PendingImport"' in response
