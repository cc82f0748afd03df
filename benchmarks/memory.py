"""Memory: 100,000 GetParametersForImport calls must not grow the process by more than
20 MB (import tokens carry their own sealed state; nothing is kept per token).

    python benchmarks/memory.py [--quick]

The same number of calls answered by botocore.stub.Stubber runs first as the baseline,
so growth that botocore itself shows is visible next to the mock's. Growth is resident
memory (VmRSS) after minus before, measured after a warm-up.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from _bench import Goal, client, quick, report
from botocore.stub import Stubber

from kmsimport_mock import KmsImportMock

LIMIT_MB = 20.0
SPEC = "RSA_2048"  # the pool is the same for every spec; RSA_2048 fills quickest


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def grow(call: Any, count: int) -> float:
    for _ in range(1000):
        call()
    gc.collect()
    before = rss_mb()
    for _ in range(count):
        call()
    gc.collect()
    return rss_mb() - before


def main() -> int:
    count = 20_000 if quick() else 100_000
    stubbed = client()
    stubber = Stubber(stubbed)
    stubber.activate()
    kms = client()
    with KmsImportMock() as mock:
        key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
        request = {
            "KeyId": key_id,
            "WrappingAlgorithm": "RSAES_OAEP_SHA_256",
            "WrappingKeySpec": SPEC,
        }
        mock.backend.pool.wait_until_full(SPEC)
        answer = kms.get_parameters_for_import(**request)
        canned = {k: v for k, v in answer.items() if k != "ResponseMetadata"}

        def stub_call() -> None:
            stubber.add_response("get_parameters_for_import", canned, request)
            stubbed.get_parameters_for_import(**request)

        stub_growth = grow(stub_call, count)
        mock_growth = grow(lambda: kms.get_parameters_for_import(**request), count)
    goals = [
        Goal(
            f"growth over {count:,} GetParametersForImport calls",
            f"{mock_growth:.1f} MB (Stubber, same calls: {stub_growth:.1f} MB)",
            f"≤ {LIMIT_MB:.0f} MB",
            mock_growth <= LIMIT_MB,
        )
    ]
    return report("Memory", goals)


if __name__ == "__main__":
    sys.exit(main())
