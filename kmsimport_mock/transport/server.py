"""``python -m kmsimport_mock serve``: the mock as a local KMS endpoint for any SDK or tool.

It speaks the KMS JSON 1.1 protocol (``POST /`` with ``X-Amz-Target: TrentService.<Op>``)
through :func:`.dispatch.answer`, so the AWS CLI (``--endpoint-url``), Terraform and the
Java, Go or JavaScript SDKs get the same answers as boto3 does in-process.

HTTP itself is waitress's: a pure-Python WSGI server, kept by the Pylons project, with no
dependencies of its own, that starts in milliseconds. It frames requests as RFC 9112 says
(Content-Length or chunked, hex chunk sizes only, a request handed on only once its whole
body is in), caps header and body sizes, closes idle keep-alive connections, stops
accepting at a connection limit instead of running out of file descriptors, and sets
TCP_NODELAY, so that no answer waits for the client's delayed ACK (http.server's two
writes per answer cost every request about 40 ms that way). Everything the standard
library's ``http.server`` leaves to its user is therefore done by code written and tested
for it; this module adds only what is KMS's: every refusal, HTTP-level ones included, is a
JSON body with ``__type`` and the right status, as KMS answers.

The endpoint listens on loopback unless told otherwise: it has no authentication.
"""

from __future__ import annotations

import contextlib
import json
import logging
import resource
import signal
import socket
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from pathlib import Path
from types import FrameType
from typing import Any, cast

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.utilities import (
    Error,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    ServerNotImplemented,
)

from .. import protocol
from ..accounts import AccessKeyAccounts
from ..backend import kms_errors, operations
from ..backend.kms_errors import KmsError
from ..backend.regions import is_kms_region
from ..backend.store import KmsBackend
from . import dispatch, persistence

log = logging.getLogger("kmsimport_mock.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4599
HEALTH_PATH = "/health"
RESET_PATH = "/_kmsimport_mock/reset"
# Operations whose answer changes nothing a restart could lose: the state dir does not watch
# them. Every operation that finds a key applies what time did to it (deletion, expiry, and
# automatic rotation, which makes new material), and the first use of a key KMS made gives
# it its material, so the only such operation is the one that touches no key.
READ_ONLY = frozenset({"GenerateRandom"})
# KMS requests are small: the largest member, a key policy, is 32 kB.
MAX_BODY = 1024 * 1024
# A SigV4-signed request carries a few hundred bytes of headers; 16 kB is what common
# front ends allow in all.
MAX_HEADERS = 16 * 1024
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_IDLE_TIMEOUT = 30
# File descriptors kept free for the state dir, logs and the listening socket itself.
_RESERVED_DESCRIPTORS = 32
_WORKER_THREADS = 8
_LISTEN_BACKLOG = 1024
_LOOP_TIMEOUT = 1.0
# At most 64 reads of 64 kB each are drained from a connection being closed.
_DRAIN_READS = 64


StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class KmsServer:
    """One bound endpoint: :meth:`serve_forever` in a thread, :meth:`shutdown` from another."""

    def __init__(
        self,
        address: tuple[str, int],
        backend: KmsBackend,
        state: persistence.StateStore | None,
        accounts: AccessKeyAccounts | None = None,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self.backend = backend
        self.state = state
        self.accounts = accounts if accounts is not None else AccessKeyAccounts()
        self.max_connections = _connection_cap(max_connections)
        self.idle_timeout = idle_timeout
        self._stopping = False
        self._serving = threading.Event()
        self._stopped = threading.Event()
        self._closed = False
        listener = socket.create_server(
            address,
            family=socket.AF_INET6 if ":" in address[0] else socket.AF_INET,
            backlog=_LISTEN_BACKLOG,
        )
        adjustments = _Adjustments(
            sockets=[listener],
            threads=_WORKER_THREADS,
            backlog=_LISTEN_BACKLOG,
            # waitress counts its own listening socket and wake-up pipe as connections.
            connection_limit=self.max_connections + 2,
            channel_timeout=idle_timeout,
            cleanup_interval=max(1, min(idle_timeout // 2, 10)),
            # waitress refuses at the limit itself (>=), the endpoint's limits are inclusive.
            max_request_header_size=MAX_HEADERS + 1,
            max_request_body_size=MAX_BODY + 1,
            # Bodies stay in memory (no temporary file, no extra descriptor per request).
            inbuf_overflow=MAX_BODY + 1,
            ident="kmsimport_mock",
            expose_tracebacks=False,
            # poll(), not select(): select() fails once a descriptor number passes 1023.
            asyncore_use_poll=True,
        )
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(_WORKER_THREADS)
        self._map: dict[int, Any] = {}
        self._server = _WaitressServer(
            self._wsgi,
            map=self._map,
            _sock=listener,
            dispatcher=dispatcher,
            adj=adjustments,
            bind_socket=False,
            sockinfo=(listener.family, listener.type, listener.proto, listener.getsockname()),
        )
        self.server_address: tuple[str, int] = listener.getsockname()[:2]

    @property
    def url(self) -> str:
        host, port = self.server_address
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    # --- running ---------------------------------------------------------------------------

    def serve_forever(self) -> None:
        """Answers requests until :meth:`shutdown`; then closes every connection."""
        self._serving.set()
        # What the first request would load (botocore's model and endpoint data, the
        # operations' modules) is loaded now, beside the loop: a burst of first requests
        # would otherwise load it once per worker thread, all at once.
        threading.Thread(target=_warm_up, name="kmsimport_mock-warm-up", daemon=True).start()
        try:
            while not self._stopping:
                wasyncore.loop(timeout=_LOOP_TIMEOUT, map=self._map, use_poll=True, count=1)
        finally:
            self._close()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stops :meth:`serve_forever` and waits until it has closed everything."""
        self._stopping = True
        if self._serving.is_set():
            self._server.pull_trigger()  # wakes the loop from its poll()
            self._stopped.wait()

    def server_close(self) -> None:
        """Closes the listening socket (and any connection) if serving never did."""
        self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)

    # --- state -----------------------------------------------------------------------------

    def answer(self, headers: dict[str, str], body: bytes) -> dispatch.HttpAnswer:
        """One request's answer; with a state dir, saved before it is given.

        Raises :class:`persistence.SaveFailed` when the save failed (the call is undone).
        """

        def call() -> dispatch.HttpAnswer:
            return dispatch.answer(self.backend, headers, body, accounts=self.accounts)

        target = headers.get("X-Amz-Target", "")
        if self.state is None or target.removeprefix("TrentService.") in READ_ONLY:
            return call()
        return self.state.run(self.backend, call, lambda result: result.status == 200)

    def reset(self) -> None:
        """Empties the state (``POST /_kmsimport_mock/reset``), saved like any call."""
        if self.state is None:
            self.backend.reset()
            return
        self.state.run(self.backend, self.backend.reset, lambda result: True)

    def close_state(self) -> None:
        """Closes the state dir once the call being saved is done; later writes are refused.

        (Keep-alive connections can still bring requests after ``shutdown()``.)
        """
        if self.state is not None:
            with self.backend.lock:
                self.state.close()

    # --- the application -------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        method = str(environ.get("REQUEST_METHOD", ""))
        path = str(environ.get("PATH_INFO", ""))
        try:
            status, headers, body, what = self._route(method, path, environ)
        except Exception:
            # A bug in the mock: the client gets KMS's internal error, the log the details.
            log.exception("internal error in %s %s", method, _printable(path))
            status, headers, body = _refusal(kms_errors.internal_error())
            what = _printable(path)
        start_response(f"{status} {_reason(status)}", headers)
        _log_request(method, what, status, started)
        return [body]

    def _route(
        self, method: str, path: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes, str]:
        if method == "POST" and path == RESET_PATH:
            try:
                self.reset()
            except persistence.SaveFailed as error:
                log.error("%s; the reset was not applied", error)
                return (*_refusal(kms_errors.state_not_saved()), RESET_PATH)
            log.info("state reset: every key removed")
            return (*_json(200, {"status": "ok"}), RESET_PATH)
        if method == "POST":
            # Any path, as before: an endpoint URL with a path makes the SDKs post there.
            return self._kms(environ)
        if method in ("GET", "HEAD") and path == HEALTH_PATH:
            health = {"status": "ok", "operations": sorted(operations.served())}
            return (*_json(200, health), HEALTH_PATH)
        if method in ("GET", "HEAD"):
            return (*_refusal(kms_errors.unknown_path()), _printable(path))
        status, headers, body = _refusal(kms_errors.method_not_allowed(method))
        headers.append(("Allow", "POST, GET"))
        return status, headers, body, _printable(path)

    def _kms(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes, str]:
        length = int(environ.get("CONTENT_LENGTH") or 0)  # waitress has checked it
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            "X-Amz-Target": str(environ.get("HTTP_X_AMZ_TARGET", "")),
            "Authorization": str(environ.get("HTTP_AUTHORIZATION", "")),
        }
        try:
            result = self.answer(headers, body)
        except persistence.SaveFailed as error:
            # The call is undone, so the SDK's retry of this 500 cannot apply it twice.
            log.error("%s; the call was not applied", error)
            status, answer_headers, answer_body = _refusal(kms_errors.state_not_saved())
            return status, answer_headers, answer_body, _printable(headers["X-Amz-Target"])
        answer_headers = [(name, value) for name, value in result.headers.items()]
        what = result.operation or _printable(headers["X-Amz-Target"] or "-")
        return result.status, answer_headers, result.body, what


def _warm_up() -> None:
    protocol.kms_service_model()
    is_kms_region("us-east-1")
    for operation in operations.served():
        operations.handler(operation)


# --- waitress: KMS-shaped refusals for requests HTTP itself refuses -------------------------


class _KmsErrorTask(ErrorTask):
    """waitress's answer to a request it cannot frame, written as KMS writes errors."""

    def execute(self) -> None:
        # The parser's error (its stubs type the request without it).
        error: Error = cast(Any, self.request).error
        refusal = _refusal_for(error)
        status, headers, body = _refusal(refusal)
        self.status = f"{status} {_reason(status)}"
        self.response_headers = [*self.response_headers, *headers]
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
        # The reason only: waitress's detail may quote the request's own bytes.
        log.info("- %s %d", refusal.code, status)


def _refusal_for(error: Error) -> KmsError:
    if isinstance(error, RequestEntityTooLarge):
        return kms_errors.body_too_large(MAX_BODY)
    if isinstance(error, RequestHeaderFieldsTooLarge):
        return kms_errors.headers_too_large(MAX_HEADERS)
    if isinstance(error, ServerNotImplemented):
        return kms_errors.transfer_encoding_not_implemented()
    if error.code == 400:
        return kms_errors.malformed_http()
    return kms_errors.internal_error()


class _Adjustments(Adjustments):
    # Given sockets, waitress still resolves its default listen address, 0.0.0.0, which it
    # then does not use; a loopback default keeps even that look-up on this machine.
    listen = ["127.0.0.1:0"]  # noqa: RUF012 (waitress reads and replaces, never mutates it)


class _KmsChannel(HTTPChannel):
    error_task_class = _KmsErrorTask

    def handle_close(self) -> None:
        # Read, without waiting, what the client has sent and nobody will read (the rest of
        # a refused request): closing a socket with unread input makes the kernel answer
        # with a reset, which can destroy the refusal before the client has read it.
        connection = self.socket
        if connection is not None:
            with contextlib.suppress(OSError):
                for _ in range(_DRAIN_READS):
                    if not connection.recv(65536):
                        break
        super().handle_close()


class _WaitressServer(TcpWSGIServer):
    channel_class = _KmsChannel
    # waitress's own lines (the connection limit reached and left) under the endpoint's name.
    logger = log


# --- answers and logs ----------------------------------------------------------------------


def _json(status: int, document: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    body = json.dumps(document).encode()
    return status, [("Content-Type", "application/json")], body


def _refusal(error: KmsError) -> tuple[int, list[tuple[str, str]], bytes]:
    response = protocol.error_response(error)
    headers = [
        ("x-amzn-RequestId", str(uuid.uuid4())),
        ("Content-Type", protocol.CONTENT_TYPE),
    ]
    return response.status, headers, response.body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _printable(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with every control and non-ASCII character
    escaped, so that nothing a client sends can start a log line of its own."""
    return ascii(text[:limit])[1:-1]


def _log_request(method: str, what: str, status: int, started: float) -> None:
    # One line per request; never headers or bodies, which carry keys and tokens.
    elapsed = (time.perf_counter() - started) * 1000
    log.info("%s %s %d %.1fms", _printable(method, 16), what, status, elapsed)


class _EscapingFormatter(logging.Formatter):
    """One record, one line: what a record's message holds cannot forge another line.
    A traceback's own lines are kept, indented under the record."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        escaped = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in message)
        copy = logging.makeLogRecord({**record.__dict__, "msg": escaped, "args": None})
        text = super().format(copy)
        return text.replace("\n", "\n    ")


def _connection_cap(requested: int) -> int:
    """``requested``, lowered to what the process's descriptor limit leaves room for."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested
    room = max(1, soft - _RESERVED_DESCRIPTORS)
    if requested > room:
        log.warning(
            "at most %d connections: the file descriptor limit is %d (ulimit -n)", room, soft
        )
        return room
    return requested


# --- making and running --------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def make_server(
    host: str = DEFAULT_HOST,
    port: int = 0,
    state_dir: Path | None = None,
    accounts: AccessKeyAccounts | None = None,
    *,
    seed: Path | None = None,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
) -> KmsServer:
    """A bound, not yet serving endpoint; with ``state_dir``, its state is loaded and locked,
    then the keys of the ``seed`` file are created (and saved).

    Raises :class:`persistence.StateError` for a state dir it cannot use,
    :class:`.seed.SeedError` for a seed file it cannot take, ``OSError`` for an address it
    cannot listen on.
    """
    backend = KmsBackend()
    state = None
    if state_dir is not None:
        state = persistence.open_state(state_dir, backend)
        log.info("state dir %s: %d key(s)", state_dir, len(backend.all_keys()))
    try:
        if seed is not None:
            from .seed import seed_backend

            def seed_keys() -> list[Any]:
                return seed_backend(backend, seed, accounts)

            if state is None:
                created = seed_keys()
            else:
                created = state.run(backend, seed_keys, lambda result: True)
            log.info("seeded %d key(s) from %s", len(created), seed)
        return KmsServer(
            (host, port),
            backend,
            state,
            accounts,
            max_connections=max_connections,
            idle_timeout=idle_timeout,
        )
    except BaseException:
        if state is not None:
            state.close()
        raise


@contextlib.contextmanager
def serving(
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    seed: Path | str | None = None,
    state_dir: Path | str | None = None,
    access_keys: dict[str, str] | None = None,
) -> Iterator[str]:
    """Runs the local endpoint in a thread of this process for the ``with`` block; yields
    its URL (``http://127.0.0.1:<free port>``) for ``endpoint_url``.

    On leaving the block the endpoint stops listening, closes its connections and waits for
    the requests under way. ``seed``, ``state_dir`` and ``access_keys`` are
    ``serve``'s ``--seed``, ``--state-dir`` and ``--map-access-key``::

        @pytest.fixture(scope="session")
        def kms_endpoint():
            with kmsimport_mock.serving() as endpoint_url:
                yield endpoint_url
    """
    accounts = _accounts(access_keys)
    server = make_server(
        host,
        port,
        Path(state_dir) if state_dir is not None else None,
        accounts,
        seed=Path(seed) if seed is not None else None,
    )
    worker = threading.Thread(
        target=server.serve_forever, name="kmsimport_mock-endpoint", daemon=True
    )
    worker.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        worker.join()
        server.close_state()


def _accounts(access_keys: dict[str, str] | None) -> AccessKeyAccounts:
    accounts = AccessKeyAccounts()
    for access_key_id, account_id in (access_keys or {}).items():
        accounts.map(access_key_id, account_id)
    return accounts


def serve(
    host: str = DEFAULT_HOST,
    port: int = 0,
    state_dir: Path | None = None,
    access_keys: dict[str, str] | None = None,
    *,
    seed: Path | None = None,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
) -> int:
    """Runs the endpoint until SIGINT or SIGTERM; returns the exit status."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_EscapingFormatter("%(asctime)s kmsimport_mock %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # waitress's note that requests wait for a worker thread is load, not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if not is_loopback(host):
        log.warning("listening on %s: reachable from other machines; this mock has no auth", host)
    from .seed import SeedError

    try:
        server = make_server(
            host,
            port,
            state_dir,
            _accounts(access_keys),
            seed=seed,
            max_connections=max_connections,
            idle_timeout=idle_timeout,
        )
    except (persistence.StateError, SeedError) as error:
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
    log.info(
        "serving KMS on %s (health: %s%s; at most %d connections, idle ones closed after %ds)",
        server.url,
        server.url,
        HEALTH_PATH,
        server.max_connections,
        server.idle_timeout,
    )
    # Signal handlers run in this (main) thread, which only waits here.
    stop.wait()
    server.shutdown()
    worker.join()
    # Every answered write is saved already; closing only releases the state dir.
    try:
        server.close_state()
    except (OSError, sqlite3.Error) as error:
        log.warning("closing the state dir: %s", error)
    log.info("stopped")
    return 0
