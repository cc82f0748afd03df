"""Start-up cost of ``import kmsimport_mock``, and that nothing slow happens at import.

    python benchmarks/import_time.py [--quick]

Goal (issue 6): the import adds at most 50 ms to interpreter start-up. The mock plugs into
botocore, which any code that makes a client imports anyway, so the goal is measured on
top of ``import botocore.session``: ``python -X importtime`` reports what the package's
import adds (its cumulative time), and the wall-clock difference of the two interpreter
runs is shown next to it. The cost in a bare interpreter, botocore included, is printed
for information. Also checked in the fresh interpreter: no KMS model loaded, no key
generated, no thread started, cryptography not imported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench import Goal, quick, report

LIMIT = 0.050
ROOT = Path(__file__).resolve().parents[1]
# The protocol layer is imported with the package (the interceptor calls it), but the KMS
# model it reads is loaded only by the first answer.
CHECK = """
import sys, threading
import kmsimport_mock
from kmsimport_mock.protocol import kms_service_model
heavy = ("kmsimport_mock.backend.store", "kmsimport_mock.backend.operations.importing",
         "cryptography", "kmsimport_mock.crypto.wrapping_key_pool",
         "kmsimport_mock.crypto.seed_wrapping_keys")
loaded = [m for m in heavy if m in sys.modules]
if kms_service_model.cache_info().currsize:
    loaded.append("the KMS model")
print(loaded, threading.active_count())
"""


def run(code: str, *options: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *options, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, result.stdout + result.stderr


def importtime(code: str) -> float:
    """The cumulative microseconds -X importtime gives kmsimport_mock's own line."""
    _, output = run(code, "-X", "importtime")
    for line in output.splitlines():
        if line.rstrip().endswith("| kmsimport_mock"):
            return int(line.split("|")[1]) / 1e6
    raise RuntimeError("kmsimport_mock not in -X importtime output")


def main() -> int:
    runs = 5 if quick() else 15
    both = "import botocore.session; import kmsimport_mock"
    on_botocore = [importtime(both) for _ in range(runs)]
    bare = [importtime("import kmsimport_mock") for _ in range(runs)]
    with_mock, without = [], []
    for _ in range(runs):
        with_mock.append(run(both)[0])
        without.append(run("import botocore.session")[0])
    wall = statistics.median(with_mock) - statistics.median(without)
    cost = statistics.median(on_botocore)
    _, state = run(CHECK)
    clean = state.strip() == "[] 1"
    goals = [
        Goal(
            "import kmsimport_mock after botocore (-X importtime, median)",
            f"{cost * 1e3:.1f} ms (wall clock difference {wall * 1e3:.1f} ms)",
            f"≤ {LIMIT * 1e3:.0f} ms",
            cost <= LIMIT,
        ),
        Goal(
            "nothing slow at import",
            "no backend, cryptography, KMS model, key or thread"
            if clean
            else f"loaded or running: {state.strip()}",
            "none",
            clean,
        ),
    ]
    notes = [
        f"in a bare interpreter, botocore included: {statistics.median(bare) * 1e3:.1f} ms "
        "(-X importtime, median)"
    ]
    return report("Import time", goals, notes)


if __name__ == "__main__":
    sys.exit(main())
