"""The README's examples and commands run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import awscli
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _python_block_after(heading: str) -> str:
    text = README.read_text()
    section = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block after {heading!r}"
    return match.group(1)


def _sh_block_after(marker: str) -> str:
    text = README.read_text()
    section = text[text.index(marker) :]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, f"no sh block after {marker!r}"
    return match.group(1)


def _run_example(heading: str, test_name: str) -> None:
    namespace: dict[str, Any] = {}
    exec(_python_block_after(heading), namespace)
    namespace[test_name]()


def test_complete_byok_example_runs() -> None:
    _run_example("## A complete BYOK test", "test_import_symmetric_key_material")


def test_wrapping_helper_example_runs() -> None:
    _run_example("### The wrapping helper", "test_wrapping_helper")


def test_cli_in_process_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # conftest removes every AWS_* variable, including the data path awscli sets on import.
    monkeypatch.setenv("AWS_DATA_PATH", os.pathsep.join(awscli._awscli_data_path))
    _run_example("### The AWS CLI, in-process", "test_cli_in_process")


def test_aiobotocore_example_runs() -> None:
    _run_example("### aiobotocore", "test_aiobotocore")


def test_raw_http_example_runs() -> None:
    _run_example("### Raw HTTP with requests", "test_raw_http")


def test_local_endpoint_script_runs_the_documented_procedure(tmp_path: Path) -> None:
    # The script as a user pastes it: `python` and `aws` from this environment, the package
    # from this checkout, no AWS settings of the machine.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["AWS_CONFIG_FILE"] = str(tmp_path / "no-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "no-credentials")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _sh_block_after("<!-- test:serve -->")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    states = [line for line in result.stdout.splitlines() if line in ("Enabled", "PendingImport")]
    assert states == ["Enabled", "PendingImport"]


def test_with_moto_example_runs() -> None:
    _run_example("## With moto", "test_byok_with_moto")
