"""Helpers for tests of the local endpoint: an endpoint in a thread of the test process
(for its backend and log records) or in a process of its own (for its real stderr and
limits), raw HTTP exchanges, and real boto3 clients pointed at it. Loopback only.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from kms_testing import REGION

from kmsimport_mock.transport.server import KmsServer, make_server

ROOT = Path(__file__).resolve().parent.parent
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SIGNED = (
    f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20260101/{REGION}/kms/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"
)
# Long enough for any answer on a loaded machine, short enough that a hang fails the test.
SOCKET_TIMEOUT = 20


def endpoint_client(url: str, region: str = REGION) -> Any:
    return boto3.session.Session().client(
        "kms",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key="fake-secret",
        config=Config(retries={"max_attempts": 1}),
    )


@contextlib.contextmanager
def endpoint_in_thread(**options: Any) -> Iterator[KmsServer]:
    """``make_server(**options)`` serving in a thread until the block ends."""
    server = make_server(**options)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    try:
        yield server
    finally:
        server.shutdown()
        worker.join(timeout=SOCKET_TIMEOUT)


@dataclass
class EndpointProcess:
    process: subprocess.Popen[str]
    url: str

    def stop(self) -> tuple[int, str]:
        """SIGTERM; the exit status and everything it logged."""
        if self.process.poll() is None:
            self.process.terminate()
        _, log = self.process.communicate(timeout=60)
        return self.process.returncode, log


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra or {})
    return env


@contextlib.contextmanager
def endpoint_process(
    *args: str, preexec_fn: Callable[[], None] | None = None
) -> Iterator[EndpointProcess]:
    """``python -m kmsimport_mock serve --port 0 *args``, killed if still running after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kmsimport_mock", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        preexec_fn=preexec_fn,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        assert url.startswith("http://127.0.0.1:"), process.communicate(timeout=60)
        yield EndpointProcess(process, url)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=60)


def address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def connect(url: str) -> socket.socket:
    return socket.create_connection(address(url), timeout=SOCKET_TIMEOUT)


def exchange(url: str, request: bytes) -> bytes:
    """Sends ``request``, ends the sending side, returns all the server sent back."""
    with connect(url) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        return read_all(connection)


def read_all(connection: socket.socket) -> bytes:
    chunks = []
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def kms_request(
    operation: str,
    body: bytes = b"{}",
    *,
    authorization: str = SIGNED,
    extra_headers: bytes = b"",
    content_length: int | None = None,
    close: bool = True,
) -> bytes:
    length = len(body) if content_length is None else content_length
    return (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + b"Content-Type: application/x-amz-json-1.1\r\n"
        + b"X-Amz-Target: TrentService."
        + operation.encode()
        + b"\r\nAuthorization: "
        + authorization.encode()
        + b"\r\n"
        + extra_headers
        + f"Content-Length: {length}\r\n\r\n".encode()
        + body
    )


def read_answer(connection: socket.socket) -> Answer:
    """Reads one whole HTTP answer (its headers and Content-Length bytes of body), which
    may come in more than one segment, and leaves the connection open."""
    received = b""
    while True:
        _, separator, rest = received.partition(b"\r\n\r\n")
        if separator:
            answer = parse_answer(received)
            if len(rest) >= int(answer.headers.get("content-length", "0")):
                return answer
        chunk = connection.recv(65536)
        if not chunk:
            return parse_answer(received)
        received += chunk


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def document(self) -> Any:
        return json.loads(self.body)


def parse_answer(raw: bytes) -> Answer:
    """The first HTTP answer in ``raw``."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", len(rest)))
    return Answer(status, headers, rest[:length])
