"""``serve --state-dir`` against careless users and bad luck, with real server processes.

Two servers on one directory, ``kill -9`` in the middle of writes, a disk that fills up
after the start, a directory that cannot be written, state files of the wrong shape: no
acknowledged write is lost, no failed call leaves anything behind (however often the SDK
retries it), and every refusal is one line naming the file and the problem, exit 2.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.retries.standard import ExponentialBackoff
from kms_testing import REGION

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "kmsimport_mock-state.sqlite3"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _command(state_dir: Path) -> list[str]:
    return [
        sys.executable,
        *("-m", "kmsimport_mock", "serve", "--port", "0", "--state-dir", str(state_dir)),
    ]


def _limit_file_size(limit: int) -> Callable[[], None]:
    # RLIMIT_FSIZE binds root too: writes past it fail with EFBIG (Python ignores SIGXFSZ).
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str

    def client(self, max_attempts: int = 1) -> Any:
        return boto3.session.Session().client(
            "kms",
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="not-a-secret",
            config=Config(
                retries={"max_attempts": max_attempts, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        _, log = self.process.communicate(timeout=30)
        return self.process.returncode, log


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(state_dir: Path, preexec_fn: Callable[[], None] | None = None) -> Server:
        process = subprocess.Popen(
            _command(state_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(),
            preexec_fn=preexec_fn,
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


def _refused_start(
    state_dir: Path, preexec_fn: Callable[[], None] | None = None
) -> tuple[int, list[str]]:
    """Starts a server that must refuse to start: its exit status and its log lines."""
    result = subprocess.run(
        _command(state_dir),
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
        preexec_fn=preexec_fn,
    )
    assert result.stdout == ""  # never got to print its URL
    return result.returncode, result.stderr.splitlines()


def _key_ids(kms: Any) -> set[str]:
    return {key["KeyId"] for key in kms.list_keys(Limit=1000)["Keys"]}


def _digests(state_dir: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(state_dir.iterdir())
        if path.name != "kmsimport_mock-state.lock"
    }


# --- one writer -------------------------------------------------------------------------------


def test_second_server_on_a_state_dir_is_refused_naming_the_first_and_loses_nothing(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    first = start_server(tmp_path)
    kms = first.client()
    created = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}

    status, lines = _refused_start(tmp_path)
    assert status == 2
    assert len(lines) == 1
    assert lines[0].endswith(
        f"state dir {tmp_path} is in use by another kmsimport_mock server "
        f"(pid {first.process.pid}); one server per state dir"
    )

    created |= {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
    assert first.stop()[0] == 0
    assert _key_ids(start_server(tmp_path).client()) == created


def test_state_dir_of_a_killed_server_can_be_used_at_once(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    first = start_server(tmp_path)
    key_id = first.client().create_key()["KeyMetadata"]["KeyId"]
    first.stop(signal.SIGKILL)  # the OS releases its lock
    assert _key_ids(start_server(tmp_path).client()) == {key_id}


# --- every acknowledged write is kept ----------------------------------------------------------

KILL_ROUNDS = 3
WRITERS = 4
ACKNOWLEDGED_BEFORE_KILL = 24
MAX_CALLS_PER_WRITER = 200


def test_kill_9_during_writes_loses_no_acknowledged_write(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    created: set[str] = set()
    disabled: set[str] = set()
    for _ in range(KILL_ROUNDS):
        server = start_server(tmp_path)
        kms = server.client()
        # A key whose commit the kill cut off from its answer may be there too.
        assert _key_ids(kms) >= created
        assert {k for k in created if _state(kms, k) == "Disabled"} >= disabled
        acknowledged = threading.Semaphore(0)

        def write(client: Any, acknowledged: threading.Semaphore = acknowledged) -> None:
            for _ in range(MAX_CALLS_PER_WRITER // 2):
                try:
                    key_id = client.create_key()["KeyMetadata"]["KeyId"]
                    created.add(key_id)  # set.add is atomic
                    acknowledged.release()
                    client.disable_key(KeyId=key_id)
                    disabled.add(key_id)
                    acknowledged.release()
                except (BotoCoreError, ClientError, KeyError):
                    # The server is gone (KeyError: it died between the headers and the
                    # body of a 200); what it answered in full is what counts.
                    return

        writers = [threading.Thread(target=write, args=(server.client(),)) for _ in range(WRITERS)]
        for writer in writers:
            writer.start()
        for _ in range(ACKNOWLEDGED_BEFORE_KILL):
            assert acknowledged.acquire(timeout=60)
        server.process.kill()
        for writer in writers:
            writer.join(timeout=60)
        server.process.communicate(timeout=30)

    kms = start_server(tmp_path).client()
    assert _key_ids(kms) >= created
    assert {k for k in created if _state(kms, k) == "Disabled"} >= disabled


def _state(kms: Any, key_id: str) -> str:
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])


# --- a save that fails -------------------------------------------------------------------------


def test_save_that_fails_later_fails_the_call_however_often_retried_and_changes_nothing(
    start_server: Callable[..., Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # botocore's own retries, without their back-off waits.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    # No file may grow past 160 kB: the start fits, a few dozen keys later the disk is
    # "full" (for a while: a later, smaller write may fit again).
    server = start_server(tmp_path, preexec_fn=_limit_file_size(160 * 1024))
    kms = server.client(max_attempts=3)
    acknowledged: set[str] = set()
    failures = 0
    for _ in range(1000):
        try:
            acknowledged.add(kms.create_key()["KeyMetadata"]["KeyId"])
        except ClientError as error:
            assert error.response["Error"]["Code"] == "KMSInternalException"
            # botocore's "max_attempts" counts retries: four attempts, none applied.
            assert error.response["ResponseMetadata"]["RetryAttempts"] == 3
            assert _key_ids(kms) == acknowledged
            failures += 1
            if failures == 2:
                break
    else:
        pytest.fail("the file size limit was never reached")
    status, log = server.stop()
    assert status == 0
    assert "the call was not applied" in log
    assert "Traceback" not in log

    assert _key_ids(start_server(tmp_path).client()) == acknowledged


# --- refused at start: one line, exit 2, files as they were ------------------------------------


@pytest.mark.parametrize(
    ("limit", "problem"),
    [(0, "cannot write to it: File too large"), (100, "cannot write to it: disk I/O error")],
    ids=["lock-file", "database"],
)
def test_state_dir_that_cannot_be_written_stops_the_server_at_start(
    tmp_path: Path, limit: int, problem: str
) -> None:
    status, lines = _refused_start(tmp_path / "state", preexec_fn=_limit_file_size(limit))
    assert status == 2
    assert len(lines) == 1
    assert lines[0].endswith(f"state dir {tmp_path / 'state'}: {problem}")
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["kmsimport_mock-state.lock"]


def test_state_that_cannot_be_written_any_more_stops_the_server_at_start(
    start_server: Callable[..., Server], tmp_path: Path
) -> None:
    _with_one_key(start_server, tmp_path)
    before = _digests(tmp_path)[DATABASE]
    status, lines = _refused_start(tmp_path, preexec_fn=_limit_file_size(100))
    assert status == 2
    assert len(lines) == 1
    # SQLite cannot even make its shared-memory file (-shm) for the WAL.
    assert lines[0].endswith(f"{tmp_path / DATABASE}: cannot open it: disk I/O error")
    assert _digests(tmp_path)[DATABASE] == before


def test_state_dir_that_is_a_file_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("")
    status, lines = _refused_start(tmp_path / "state")
    assert status == 2
    assert len(lines) == 1
    assert lines[0].endswith(f"state dir {tmp_path / 'state'}: exists and is not a directory")


def _with_one_key(start: Callable[..., Server], state_dir: Path) -> None:
    server = start(state_dir)
    server.client().create_key()
    assert server.stop()[0] == 0


def _set_in_the_key(field: str, value: Any) -> Callable[[Path], None]:
    def edit(state_dir: Path) -> None:
        connection = sqlite3.connect(state_dir / DATABASE)
        with connection:
            [(key_id, document)] = connection.execute("SELECT key_id, document FROM keys")
            raw = json.loads(document)
            raw[field] = value
            connection.execute(
                "UPDATE keys SET document = ? WHERE key_id = ?", (json.dumps(raw), key_id)
            )
        connection.close()

    return edit


def _replace_database(content: bytes) -> Callable[[Path], None]:
    def edit(state_dir: Path) -> None:
        (state_dir / DATABASE).write_bytes(content)

    return edit


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (_set_in_the_key("key_spec", "SYMMETRIC_FUTURE"), "unknown KeySpec 'SYMMETRIC_FUTURE'"),
        (_set_in_the_key("key_usage", "SIGN_VERIFY"), "KeyUsage 'SIGN_VERIFY' is not a usage"),
        (_set_in_the_key("grants", []), "unknown field 'grants' (written by a newer"),
        (_set_in_the_key("materials", {}), "key.materials is not a list"),
        (_replace_database(b"[]"), "not a kmsimport_mock state database"),
    ],
    ids=["key-spec", "key-usage", "newer-field", "wrong-shape", "not-a-database"],
)
def test_state_this_version_cannot_read_is_refused_in_one_line_and_left_as_it_was(
    start_server: Callable[..., Server],
    tmp_path: Path,
    spoil: Callable[[Path], None],
    problem: str,
) -> None:
    _with_one_key(start_server, tmp_path)
    spoil(tmp_path)
    before = _digests(tmp_path)
    status, lines = _refused_start(tmp_path)
    assert status == 2
    assert len(lines) == 1
    assert f"{tmp_path / DATABASE}: " in lines[0]
    assert problem in lines[0]
    assert _digests(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[]", "is not a kmsimport_mock state file: not a JSON object"),
        ('{"format": 1, "token_secret": 5, "wrapping_keys": [], "keys": []}', "is not a kmsimport"),
        ('{"format": 7}', "unknown state format 7"),
    ],
    ids=["list", "wrong-type", "newer-format"],
)
def test_json_state_file_this_version_cannot_read_is_refused_in_one_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    legacy = tmp_path / "kmsimport_mock-state.json"
    legacy.write_text(content)
    status, lines = _refused_start(tmp_path)
    assert status == 2
    assert len(lines) == 1
    assert f"{legacy}" in lines[0]
    assert problem in lines[0]
    assert legacy.read_text() == content
    assert not (tmp_path / DATABASE).exists()
