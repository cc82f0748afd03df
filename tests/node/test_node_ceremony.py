"""A real non-Python client: the AWS SDK for JavaScript v3 runs a BYOK ceremony
(``ceremony.mjs``) against the local endpoint.

The SDK is installed from the npm registry into ``tests/node/node_modules`` (``npm ci``,
at the version ``package-lock.json`` pins) the first time, and again whenever the pinned
version changes. The test is skipped only where ``node`` is not installed.

The whole ceremony runs, every step of it (``node ceremony.mjs --list`` names them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import kmsimport_mock
from kmsimport_mock.backend import operations

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
NPM = shutil.which("npm")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the JavaScript SDK ceremony needs Node.js 18+"
)


def _pinned_version() -> str:
    lock = json.loads((HERE / "package-lock.json").read_text())
    version: str = lock["packages"]["node_modules/@aws-sdk/client-kms"]["version"]
    return version


def _install_sdk() -> None:
    installed = HERE / "node_modules" / "@aws-sdk" / "client-kms" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == _pinned_version():
        return
    assert NPM is not None, "node is installed but npm is not: install npm to fetch the SDK"
    result = subprocess.run(
        [NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"


def _node(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    # No credential look-up, no instance metadata: the script gives fake keys itself.
    environment.update({"AWS_EC2_METADATA_DISABLED": "true", "NODE_NO_WARNINGS": "1"})
    environment.update(env or {})
    return subprocess.run(
        [NODE, str(HERE / "ceremony.mjs"), *args],
        cwd=HERE,
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


@pytest.fixture(scope="module")
def steps() -> dict[str, Any]:
    _install_sdk()
    listed = _node("--list")
    assert listed.returncode == 0, listed.stderr
    found: dict[str, Any] = json.loads(listed.stdout)
    return found


def test_javascript_sdk_runs_the_whole_byok_ceremony_against_the_endpoint(
    steps: dict[str, Any],
) -> None:
    with kmsimport_mock.serving() as endpoint_url:
        result = _node(env={"KMS_ENDPOINT": endpoint_url, "CEREMONY_STEPS": "all"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"ok {name}" for name in steps]


def test_every_operation_the_ceremony_calls_is_served(steps: dict[str, Any]) -> None:
    called = {operation for step in steps.values() for operation in step["operations"]}
    assert called - operations.served() == set()
