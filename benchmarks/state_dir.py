"""What one write costs with ``serve --state-dir``, against the number of keys kept.

python benchmarks/state_dir.py [--quick] [--keys 100,1000,10000,50000] [--code DIR] [--http]

For each size, a state dir holding that many keys (each an EXTERNAL symmetric key with
imported material) takes write calls that each change one key (DisableKey, EnableKey,
CreateKey in turn, on keys spread over the whole set). Measured, in a fresh interpreter per
size: the median wall time of the call plus its save, the backend called directly (so
HTTP and boto3 costs, the same at every size, do not hide the save's).

``--code DIR`` measures another checkout (for example an earlier commit exported with
``git archive <commit> | tar -x -C DIR``): one whose state dir is the JSON file of
format 1 is measured calling its ``persistence.save`` after each call, as its server did.
``--http`` also serves each state dir with a real ``python -m kmsimport_mock serve``
process and times the same writes from a boto3 client over loopback, and the first start
(which migrates a format-1 file) and a restart.

Goal: a write at 10,000 keys costs at most twice a write at 100 keys.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import boto3
from _bench import REGION, Goal, ms, quick, report
from botocore.config import Config

from kmsimport_mock.backend.model import Key, KeyMaterial, key_material_id
from kmsimport_mock.transport import persistence, state_documents

HERE = Path(__file__).resolve().parents[1]
ACCOUNT = "123456789012"  # what the mock makes of an unmapped access key
ACCESS_KEY = "AKIABENCHMARK0000000"


def _option(name: str, default: str) -> str:
    arguments = sys.argv[1:]
    if name in arguments:
        return arguments[arguments.index(name) + 1]
    return default


def _key(index: int) -> Key:
    key_id = str(uuid.UUID(int=index + 1, version=4))
    material = os.urandom(32)
    return Key(
        key_id=key_id,
        arn=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
        account=ACCOUNT,
        region=REGION,
        creation_date=_dt.datetime(2026, 1, 1, tzinfo=_dt.UTC),
        description=f"benchmark key {index}",
        key_spec="SYMMETRIC_DEFAULT",
        key_usage="ENCRYPT_DECRYPT",
        origin="EXTERNAL",
        multi_region=False,
        state="Enabled",
        materials=[
            KeyMaterial(
                key_material_id(key_id, material),
                "CURRENT",
                material,
                "KEY_MATERIAL_DOES_NOT_EXPIRE",
                reference=material,
            )
        ],
    )


def _write_state(directory: Path, count: int) -> list[str]:
    keys = [_key(index) for index in range(count)]
    document = {
        "format": 1,
        "token_secret": base64.b64encode(os.urandom(32)).decode(),
        "wrapping_keys": [],
        "keys": [state_documents.encode(key) for key in keys],
    }
    directory.mkdir(mode=0o700)
    (directory / persistence.LEGACY_FILE_NAME).write_text(json.dumps(document))
    return [key.key_id for key in keys]


class _Server:
    def __init__(self, code: Path, state_dir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["PYTHONPATH"] = str(code)
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kmsimport_mock",
                "serve",
                "--port=0",
                f"--state-dir={state_dir}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        self.start_seconds = time.perf_counter() - started
        if not self.url.startswith("http://"):
            raise SystemExit(f"the server did not start (exit {self.process.wait()})")

    def client(self) -> Any:
        return boto3.session.Session().client(
            "kms",
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key="benchmark-secret",
            config=Config(retries={"max_attempts": 1}, read_timeout=600),
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=600)


def _writes(kms: Any, key_ids: list[str], count: int) -> list[float]:
    times = []
    for index in range(count):
        key_id = key_ids[(index * 7919) % len(key_ids)]
        started = time.perf_counter()
        if index % 3 == 0:
            kms.disable_key(KeyId=key_id)
        elif index % 3 == 1:
            kms.enable_key(KeyId=key_id)
        else:
            kms.create_key(Description="one more")
        times.append(time.perf_counter() - started)
    return times


# Run with the measured checkout first on sys.path; prints one JSON line.
_INNER = """
import base64, datetime, json, os, statistics, sys, tempfile, time, uuid
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from kmsimport_mock.backend import operations
from kmsimport_mock.backend.model import Key, KeyMaterial, key_material_id
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.backend.types import Caller
from kmsimport_mock.crypto.wrapping_key_pool import WrappingKeyPool
from kmsimport_mock.transport import persistence

account, region, count, writes = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
caller = Caller(account=account, region=region)
seed = KmsBackend(pool=WrappingKeyPool())
for index in range(count):
    key_id = str(uuid.UUID(int=index + 1, version=4))
    material = os.urandom(32)
    seed.add_key(Key(
        key_id=key_id, arn=f"arn:aws:kms:{region}:{account}:key/{key_id}", account=account,
        region=region, creation_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        description=f"benchmark key {index}", key_spec="SYMMETRIC_DEFAULT",
        key_usage="ENCRYPT_DECRYPT", origin="EXTERNAL", multi_region=False, state="Enabled",
        materials=[KeyMaterial(key_material_id(key_id, material), "CURRENT", material,
                               "KEY_MATERIAL_DOES_NOT_EXPIRE", reference=material)],
    ))
key_ids = [key.key_id for key in seed.all_keys()]
with tempfile.TemporaryDirectory() as scratch:
    state_dir = Path(scratch, "state")
    if hasattr(persistence, "open_state"):
        state_dir.mkdir()
        seed_store = persistence.open_state(state_dir, seed)  # written as one transaction
        seed_store.close()
        backend = KmsBackend(pool=WrappingKeyPool())
        store = persistence.open_state(state_dir, backend)

        def call(operation, params):
            store.run(
                backend, lambda: operations.call(backend, caller, operation, params),
                lambda result: True,
            )
    else:  # format 1: the whole file after every call
        backend = seed
        state_dir.mkdir()

        def call(operation, params):
            operations.call(backend, caller, operation, params)
            persistence.save(backend, state_dir)

    times = []
    for index in range(writes):
        key_id = key_ids[(index * 7919) % len(key_ids)]
        operation, params = [
            ("DisableKey", {"KeyId": key_id}),
            ("EnableKey", {"KeyId": key_id}),
            ("CreateKey", {"Description": "one more"}),
        ][index % 3]
        started = time.perf_counter()
        call(operation, params)
        times.append(time.perf_counter() - started)
print(json.dumps({"write": statistics.median(times)}))
"""


def measure_in_process(code: Path, count: int, writes: int) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _INNER, str(code), ACCOUNT, REGION, str(count), str(writes)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(result.stdout.splitlines()[-1])["write"])


def measure_http(code: Path, count: int, writes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kmsimport_mock-bench-") as scratch:
        state_dir = Path(scratch, "state")
        key_ids = _write_state(state_dir, count)
        server = _Server(code, state_dir)
        first_start = server.start_seconds
        kms = server.client()
        kms.describe_key(KeyId=key_ids[0])  # the first call loads botocore's model
        times = _writes(kms, key_ids, writes)
        server.stop()
        restarted = _Server(code, state_dir)
        restart = restarted.start_seconds
        restarted.stop()
    return {"start": first_start, "restart": restart, "write": statistics.median(times)}


def main() -> int:
    code = Path(_option("--code", str(HERE))).resolve()
    default_sizes = "100,1000,10000" if quick() else "100,1000,10000,50000"
    sizes = [int(size) for size in _option("--keys", default_sizes).split(",")]
    results: dict[int, float] = {}
    for count in sizes:
        writes = int(_option("--writes", str(30 if quick() or count > 10_000 else 60)))
        results[count] = measure_in_process(code, count, writes)
        line = f"{count:>7} keys: write + save {ms(results[count])} (median of {writes})"
        if "--http" in sys.argv[1:]:
            http = measure_http(code, count, writes)
            line += (
                f"; over HTTP {ms(http['write'])}, first start {http['start']:.2f} s,"
                f" restart {http['restart']:.2f} s"
            )
        print(line, flush=True)
    goals = []
    if code == HERE and 100 in results and 10_000 in results:
        ratio = results[10_000] / results[100]
        goals.append(
            Goal(
                "write at 10,000 keys / write at 100 keys",
                f"{ratio:.2f}× ({ms(results[10_000])} / {ms(results[100])})",
                "≤ 2×",
                ratio <= 2,
            )
        )
    return report(f"state dir writes ({code})", goals)


if __name__ == "__main__":
    sys.exit(main())
