"""Shared helpers of the benchmark scripts: timing, clients and the goal report.

Benchmarks are scripts, not tests: they print figures and ratios against a baseline run in
the same process (so a loaded machine slows both alike) and exit non-zero if a goal fails.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Measure the checkout the script lives in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3

REGION = "eu-west-1"
ROOT = Path(__file__).resolve().parents[1]


def start_endpoint(checkout: Path = ROOT, **environment: str) -> tuple[subprocess.Popen[str], str]:
    """``python -m kmsimport_mock serve`` of ``checkout`` on a free port, and its URL.

    The server prints its URL as its first line once it listens, so nothing polls for it
    (and no port picked in advance can be taken meanwhile).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PYTHONPATH=str(checkout), **environment)
    process = subprocess.Popen(
        [sys.executable, "-m", "kmsimport_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=checkout,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit(f"the endpoint did not start from {checkout}")
    return process, url


def client() -> Any:
    """A real boto3 KMS client with fake credentials (the mock and Stubber never send)."""
    return boto3.session.Session().client(
        "kms",
        region_name=REGION,
        aws_access_key_id="AKIABENCHMARK0000000",
        aws_secret_access_key="benchmark-secret",
    )


@dataclass
class Goal:
    name: str
    measured: str
    target: str
    met: bool


def report(title: str, goals: list[Goal], notes: list[str] = ()) -> int:  # type: ignore[assignment]
    print(f"\n== {title}")
    for note in notes:
        print(f"   {note}")
    for goal in goals:
        verdict = "MET   " if goal.met else "FAILED"
        print(f" {verdict} {goal.name}: {goal.measured} (goal: {goal.target})")
    return 0 if all(goal.met for goal in goals) else 1


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def interleaved(
    contenders: dict[str, Callable[[], object]],
    rounds: int,
    calls_per_round: int,
    clock: Callable[[], float] = time.thread_time,
) -> tuple[dict[str, float], dict[str, float]]:
    """Per-call median time of each contender, and each one's median ratio to the first.

    The contenders take turns, round after round, so load on the machine hits them alike;
    the ratio is computed per round and its median reported. Time is, by default, the CPU
    time of the calling thread: other processes on a loaded machine do not count,
    background threads (the key pool's filler) neither. A contender that waits for another
    process (an HTTP server) is timed with ``clock=time.perf_counter``, wall-clock time.
    """
    names = list(contenders)
    per_round: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        for name in names:
            call = contenders[name]
            start = clock()
            for _ in range(calls_per_round):
                call()
            per_round[name].append((clock() - start) / calls_per_round)
    baseline = per_round[names[0]]
    medians = {name: statistics.median(times) for name, times in per_round.items()}
    ratios = {
        name: statistics.median(t / b for t, b in zip(times, baseline, strict=True))
        for name, times in per_round.items()
    }
    return medians, ratios


def quick() -> bool:
    return "--quick" in sys.argv[1:]
