"""GetParametersForImport with RSA_4096 wrapping keys: the key pool against a fresh key
per call (what LocalStack, moto's pull request, floci and local-kms do).

    python benchmarks/get_parameters_for_import.py [--quick]

Goals (issue 6):
* median at most 2 ms once the pool is warm, and at least 20 distinct public keys in 40
  consecutive calls;
* the first call in a fresh process waits for at most one key generation, and is faster
  still when keys from an earlier run may be reused (the key cache);
* consecutive calls never get the same wrapping key (checked over every call made here).

The cold pool and the cached start run in fresh pools of this process, with a temporary
cache directory; the user's own caches are not touched. These pools have no shipped keys
(``shipped_keys=False``), so that the pool's own generation and cache are what is measured;
``cold_start.py`` measures a fresh process with the shipped keys, as users get it.
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import Goal, client, ms, quick, report

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.crypto.wrapping_key_pool import WrappingKeyPool, generate_wrapping_key
from kmsimport_mock.wrapping_key_cache import KeyCache

SPEC = "RSA_4096"
MEDIAN_LIMIT = 2e-3
DISTINCT_WANTED = 20
CONSECUTIVE = 40


class FreshKeyPerCall(WrappingKeyPool):
    """The peers' way: a new RSA key pair generated inside every call."""

    def issue(self, spec: str) -> Any:
        key = generate_wrapping_key(spec)
        self.add(key)
        return key


def _mock_with(pool: WrappingKeyPool) -> KmsImportMock:
    mock = KmsImportMock().start()
    mock._backend = KmsBackend(pool=pool)  # same activation, this pool
    return mock


def _timed_calls(kms: Any, key_id: str, count: int) -> tuple[list[float], list[bytes]]:
    times, keys = [], []
    for _ in range(count):
        start = time.perf_counter()
        answer = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec=SPEC
        )
        times.append(time.perf_counter() - start)
        keys.append(hashlib.sha256(answer["PublicKey"]).digest())
    return times, keys


def main() -> int:
    kms = client()
    goals: list[Goal] = []
    notes: list[str] = []
    every_sequence: list[list[bytes]] = []
    baseline_calls = 3 if quick() else 8

    with tempfile.TemporaryDirectory() as directory:
        # 1. A fresh key per call: the baseline.
        baseline_pool = FreshKeyPerCall()
        mock = _mock_with(baseline_pool)
        key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
        baseline_times, _ = _timed_calls(kms, key_id, baseline_calls)
        mock.stop()
        baseline = statistics.median(baseline_times)
        notes.append(
            f"fresh RSA-4096 key per call: median {ms(baseline)}, "
            f"min {ms(min(baseline_times))}, max {ms(max(baseline_times))} "
            f"over {baseline_calls} calls"
        )

        # 2. A cold pool (fresh process, no cache): first calls, then warm.
        pool = WrappingKeyPool(cache=KeyCache(Path(directory)), shipped_keys=False)
        mock = _mock_with(pool)
        key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
        first_times, first_keys = _timed_calls(kms, key_id, 1)
        generated_by_first = pool.generated
        cold_times, cold_keys = _timed_calls(kms, key_id, CONSECUTIVE - 1)
        every_sequence.append(first_keys + cold_keys)
        notes.append(
            f"cold pool: first call {ms(first_times[0])} ({generated_by_first} key generated "
            f"before it returned), the next {CONSECUTIVE - 1} calls median "
            f"{ms(statistics.median(cold_times))}, "
            f"{len(set(first_keys + cold_keys))} distinct keys in those {CONSECUTIVE}"
        )
        fill_start = time.perf_counter()
        pool.wait_until_full(SPEC)
        notes.append(
            f"pool filled to {pool.size} keys in the background "
            f"{time.perf_counter() - fill_start:.1f} s later"
        )
        warm_times, warm_keys = _timed_calls(kms, key_id, 1000 if not quick() else 300)
        every_sequence.append(warm_keys)
        mock.stop()
        pool.close()
        warm = statistics.median(warm_times)
        goals.append(
            Goal(
                "warm median",
                f"{ms(warm)} ({baseline / warm:.0f} × faster than a fresh key per call)",
                f"≤ {ms(MEDIAN_LIMIT)}",
                warm <= MEDIAN_LIMIT,
            )
        )
        fewest = min(
            len(set(warm_keys[i : i + CONSECUTIVE]))
            for i in range(len(warm_keys) - CONSECUTIVE + 1)
        )
        goals.append(
            Goal(
                f"distinct public keys in any {CONSECUTIVE} consecutive warm calls",
                f"at least {fewest}",
                f"≥ {DISTINCT_WANTED}",
                fewest >= DISTINCT_WANTED,
            )
        )
        goals.append(
            Goal(
                "first call of a cold pool",
                f"{generated_by_first} key generation, {ms(first_times[0])} "
                f"({first_times[0] / baseline:.2f} × a fresh-key call)",
                "≤ 1 key generation",
                generated_by_first <= 1,
            )
        )

        # 3. A later run: a fresh pool that may reuse the keys the cold pool cached.
        cached_pool = WrappingKeyPool(cache=KeyCache(Path(directory)), shipped_keys=False)
        mock = _mock_with(cached_pool)
        key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
        cached_times, cached_keys = _timed_calls(kms, key_id, CONSECUTIVE)
        every_sequence.append(cached_keys)
        mock.stop()
        cached_pool.close()
        goals.append(
            Goal(
                "first call with cached keys",
                f"{ms(cached_times[0])}, {cached_pool.generated} keys generated, "
                f"{len(set(cached_keys))} distinct keys in the first {CONSECUTIVE} calls",
                "faster than the cold first call, no generation",
                cached_times[0] < first_times[0] and cached_pool.generated == 0,
            )
        )

    repeats = sum(
        1 for sequence in every_sequence for a, b in itertools.pairwise(sequence) if a == b
    )
    calls = sum(len(sequence) for sequence in every_sequence)
    goals.append(
        Goal(
            "same wrapping key twice in a row",
            f"{repeats} times in {calls} calls",
            "never",
            repeats == 0,
        )
    )
    return report("GetParametersForImport, RSA_4096 wrapping keys", goals, notes)


if __name__ == "__main__":
    sys.exit(main())
