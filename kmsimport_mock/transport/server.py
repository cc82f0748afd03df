"""``python -m kmsimport_mock serve``: the mock as a local KMS endpoint for any SDK or tool.

It speaks the KMS JSON 1.1 protocol (``POST /`` with ``X-Amz-Target: TrentService.<Op>``)
through :func:`.dispatch.answer`, so the AWS CLI (``--endpoint-url``), Terraform and the
Java, Go or JavaScript SDKs get the same answers as boto3 does in-process.

The standard library's ``ThreadingHTTPServer`` is enough here: the endpoint serves one
developer's or one CI job's test traffic on loopback, every request is a small JSON body,
and the work is in the backend, not in HTTP. It adds no dependency and starts in
milliseconds. It is not hardened for untrusted networks, which is one more reason the
server listens on loopback unless told otherwise.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from ..accounts import AccessKeyAccounts
from ..backend import operations
from ..backend.store import KmsBackend
from . import dispatch, persistence

log = logging.getLogger("kmsimport_mock.server")

HEALTH_PATH = "/health"
# Operations that change nothing a restart could lose (expiry is recomputed on load).
READ_ONLY = frozenset({"DescribeKey", "ListKeys"})
MAX_BODY = 1024 * 1024  # KMS requests are small; the largest blob (a token) is a few KB


class KmsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        backend: KmsBackend,
        state_dir: Path | None,
        accounts: AccessKeyAccounts | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.backend = backend
        self.state_dir = state_dir
        self.accounts = accounts if accounts is not None else AccessKeyAccounts()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-request, not worth a traceback on the console.
        log.warning("connection from %s failed: %s", client_address[0], sys.exc_info()[1])

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def save_state(self) -> None:
        if self.state_dir is not None:
            persistence.save(self.backend, self.state_dir)


class _Handler(BaseHTTPRequestHandler):
    server: KmsServer
    protocol_version = "HTTP/1.1"  # keep-alive: SDKs reuse connections
    # One send per response: headers and body written separately wait out the client's
    # delayed ACK (Nagle), about 40 ms per call. The server flushes after each request.
    wbufsize = 64 * 1024

    def handle_expect_100(self) -> bool:
        # curl and some SDKs send "Expect: 100-continue" before a larger body and wait for
        # the interim answer: it must leave the buffer at once.
        answer = super().handle_expect_100()
        self.wfile.flush()
        return answer

    def do_POST(self) -> None:
        started = time.perf_counter()
        body = self._read_body()
        if body is None:
            self._send(400, {"Content-Type": "application/json"}, b'{"message":"bad body"}')
            self._log("POST", self._target(), 400, started)
            self.close_connection = True
            return
        try:
            result = dispatch.answer(
                self.server.backend,
                dict(self.headers.items()),
                body,
                accounts=self.server.accounts,
            )
            if result.status == 200 and result.operation not in READ_ONLY:
                self.server.save_state()
        except Exception:
            # A bug in the mock: the client gets KMS's internal error, the log the details.
            log.error("internal error\n%s", traceback.format_exc())
            body = json.dumps(
                {
                    "__type": "KMSInternalException",
                    "message": "kmsimport_mock internal error; see the server log",
                }
            ).encode()
            self._send(500, {"Content-Type": "application/x-amz-json-1.1"}, body)
            self._log("POST", self._target(), 500, started)
            return
        self._send(result.status, result.headers, result.body)
        self._log("POST", result.operation or self._target(), result.status, started)

    def do_GET(self) -> None:
        started = time.perf_counter()
        if self.path.split("?", 1)[0] == HEALTH_PATH:
            body = json.dumps({"status": "ok", "operations": sorted(operations.served())}).encode()
            self._send(200, {"Content-Type": "application/json"}, body)
            self._log("GET", HEALTH_PATH, 200, started)
            return
        body = json.dumps({"__type": "UnknownOperationException"}).encode()
        self._send(404, {"Content-Type": "application/x-amz-json-1.1"}, body)
        self._log("GET", self.path, 404, started)

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None if it is malformed or too big."""
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._read_chunked()
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if not 0 <= length <= MAX_BODY:
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        body = b""
        while True:
            size = int(self.rfile.readline(64).split(b";", 1)[0].strip(), 16)
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers
                    pass
                return body
            if len(body) + size > MAX_BODY:
                return None
            body += self.rfile.read(size)
            self.rfile.readline(8)  # the CRLF after each chunk

    def _target(self) -> str:
        return str(self.headers.get("X-Amz-Target") or "-")

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _log(self, method: str, what: str, status: int, started: float) -> None:
        # One line per request; never headers or bodies, which carry keys and tokens.
        elapsed = (time.perf_counter() - started) * 1000
        log.info("%s %s %d %.1fms", method, what[:80], status, elapsed)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # replaced by _log

    def log_message(self, format: str, *args: Any) -> None:
        log.warning("%s", format % args)


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    state_dir: Path | None = None,
    accounts: AccessKeyAccounts | None = None,
) -> KmsServer:
    """A bound, not yet serving endpoint; state is loaded from ``state_dir`` if it has any."""
    backend = KmsBackend()
    if state_dir is not None:
        persistence.prepare_directory(state_dir)
        if persistence.load(backend, state_dir):
            log.info("state loaded from %s", persistence.state_file(state_dir))
    return KmsServer((host, port), backend, state_dir, accounts)


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    state_dir: Path | None = None,
    access_keys: dict[str, str] | None = None,
) -> int:
    """Runs the endpoint until SIGINT or SIGTERM; returns the exit status."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s kmsimport_mock %(message)s",
        stream=sys.stderr,
    )
    if not is_loopback(host):
        log.warning("listening on %s: reachable from other machines; this mock has no auth", host)
    accounts = AccessKeyAccounts()
    for access_key_id, account_id in (access_keys or {}).items():
        accounts.map(access_key_id, account_id)
    try:
        server = make_server(host, port, state_dir, accounts)
    except persistence.StateError as error:
        log.error("%s", error)
        return 2
    except OSError as error:
        log.error("cannot listen on %s:%d: %s", host, port, error)
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    worker = threading.Thread(target=server.serve_forever, name="kmsimport_mock-server")
    worker.start()
    # The first line on stdout is the URL, for scripts that start the server on port 0.
    print(server.url, flush=True)
    log.info("serving KMS on %s (health: %s%s)", server.url, server.url, HEALTH_PATH)
    # Signal handlers run in this (main) thread, which only waits here.
    stop.wait()
    server.shutdown()
    worker.join()
    server.server_close()
    server.save_state()
    log.info("stopped")
    return 0
