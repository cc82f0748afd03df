"""GetParametersForImport in a fresh process without any key cache: the first call of each
RSA wrapping key spec, the keys the first 40 calls see, and the CPU spent beside them.

    python benchmarks/cold_start.py [--quick]

Goals (issue 14), each measured in a fresh interpreter (``KMSIMPORT_MOCK_KEY_CACHE=off``,
bytecode compiled beforehand, as in an installed package):
* the first GetParametersForImport of each RSA spec takes at most 5 ms;
* the first 40 calls of each spec see at least 20 distinct public keys;
* no key generation and no background CPU are needed for that.

Baseline, in the same run: the same first call with a pool that has no shipped keys (what
the mock did before, and what every peer does: one key generation).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _bench import Goal, ms, report

ROOT = Path(__file__).resolve().parents[1]
FIRST_CALL_LIMIT = 5e-3
DISTINCT_WANTED = 20
CALLS = 40
SPECS = ("RSA_2048", "RSA_3072", "RSA_4096")

CHILD = """
import json, sys, time, hashlib
sys.path.insert(0, {root!r})
import boto3
from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.crypto.wrapping_key_pool import POOL, WrappingKeyPool

shipped = {shipped!r}
kms = boto3.session.Session().client(
    "kms", region_name="eu-west-1", aws_access_key_id="AKIACOLDSTART0000000",
    aws_secret_access_key="x",
)
mock = KmsImportMock().start()
pool = POOL if shipped else WrappingKeyPool(shipped_keys=False)
if not shipped:
    mock._backend = KmsBackend(pool=pool)
key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
kms.describe_key(KeyId=key_id)  # the client's first call is not the one measured
cpu_start, main_start = time.process_time(), time.thread_time()
result = {{}}
for spec in {specs!r}:
    times, keys = [], []
    for _ in range({calls}):
        start = time.perf_counter()
        answer = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec=spec
        )
        times.append(time.perf_counter() - start)
        keys.append(hashlib.sha256(answer["PublicKey"]).hexdigest())
    result[spec] = {{"first": times[0], "distinct": len(set(keys)), "times": times}}
result["background_cpu"] = (time.process_time() - cpu_start) - (time.thread_time() - main_start)
result["generated"] = pool.generated
result["generating"] = any(pool.generating(spec) for spec in {specs!r})
print(json.dumps(result))
import os; os._exit(0)  # a key generation under way (the baseline) need not finish
"""


def run_child(shipped: bool, specs: tuple[str, ...], calls: int, pycache: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(KMSIMPORT_MOCK_KEY_CACHE="off", PYTHONPYCACHEPREFIX=pycache)
    code = CHILD.format(root=str(ROOT), shipped=shipped, specs=specs, calls=calls)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    goals: list[Goal] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as pycache:
        run_child(True, SPECS, 2, pycache)  # compiles the bytecode, as an installation would
        baseline = run_child(False, ("RSA_4096",), 1, pycache)
        runs = [run_child(True, SPECS, CALLS, pycache) for _ in range(3)]
    baseline_first = baseline["RSA_4096"]["first"]  # type: ignore[index]
    notes.append(
        f"baseline, a pool without shipped keys: first RSA_4096 call {ms(baseline_first)} "
        "(one key generation)"
    )
    for spec in SPECS:
        firsts = sorted(run[spec]["first"] for run in runs)  # type: ignore[index]
        first = firsts[len(firsts) // 2]
        distinct = min(run[spec]["distinct"] for run in runs)  # type: ignore[index]
        rest = sorted(t for run in runs for t in run[spec]["times"][1:])  # type: ignore[index]
        notes.append(
            f"{spec}: first call {ms(first)} (median of {len(runs)} fresh processes), "
            f"the next {CALLS - 1} median {ms(rest[len(rest) // 2])}"
        )
        goals.append(
            Goal(
                f"first GetParametersForImport({spec}) in a fresh process",
                f"{ms(first)} ({baseline_first / first:.0f} × faster than the baseline)"
                if spec == "RSA_4096"
                else ms(first),
                f"≤ {ms(FIRST_CALL_LIMIT)}",
                first <= FIRST_CALL_LIMIT,
            )
        )
        goals.append(
            Goal(
                f"distinct public keys in the first {CALLS} calls ({spec})",
                f"at least {distinct}",
                f"≥ {DISTINCT_WANTED}",
                distinct >= DISTINCT_WANTED,
            )
        )
    generated = max(run["generated"] for run in runs)  # type: ignore[type-var]
    background = max(run["background_cpu"] for run in runs)  # type: ignore[type-var]
    generating = any(run["generating"] for run in runs)
    goals.append(
        Goal(
            "key generation and background CPU for those calls",
            f"{generated} keys generated, generation under way: {generating}, "
            f"background CPU {ms(background)}",  # type: ignore[arg-type]
            "none",
            generated == 0 and not generating and background < 0.01,  # type: ignore[operator]
        )
    )
    return report("Cold start: GetParametersForImport without any key cache", goals, notes)


if __name__ == "__main__":
    sys.exit(main())
