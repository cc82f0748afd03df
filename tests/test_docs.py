"""The documentation's examples and commands run as written: README.md and every page of
the site in docs/, and the table of operations there is the one the code gives."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import awscli
import pytest

from kmsimport_mock import KmsImportMock, wrapping_key_cache

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
TEST_FUNCTION = re.compile(r"^(?:async )?def (test_\w+)\(", re.M)

sys.path.insert(0, str(ROOT / "scripts"))
import operations_table  # noqa: E402


def _python_blocks() -> list[Any]:
    blocks = []
    for page in PAGES:
        text = page.read_text()
        for match in PYTHON_BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            name = page.relative_to(ROOT).as_posix()
            blocks.append(pytest.param(match.group(1), id=f"{name}:{line}"))
    return blocks


@pytest.fixture
def _examples_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # conftest removes every AWS_* variable, including the data path awscli sets on import.
    monkeypatch.setenv("AWS_DATA_PATH", os.pathsep.join(awscli._awscli_data_path))
    # An inner pytest run configures the process-wide wrapping key cache; put it back after.
    monkeypatch.setattr(wrapping_key_cache, "_configured", wrapping_key_cache._configured)
    monkeypatch.setattr(wrapping_key_cache, "_chosen", wrapping_key_cache._chosen)


@pytest.mark.usefixtures("_examples_environment")
@pytest.mark.parametrize("code", _python_blocks())
def test_python_example_runs(code: str, pytester: pytest.Pytester) -> None:
    """A block with test functions is a test module: pytest runs it, fixture and markers
    included. Any other block is a snippet, run inside an active mock named kms_import."""
    tests = TEST_FUNCTION.findall(code)
    if tests:
        pytester.makepyfile(test_example=code)
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--strict-markers")
        result.assert_outcomes(passed=len(tests))
    else:
        with KmsImportMock() as kms_import:
            exec(code, {"__name__": "example", "kms_import": kms_import})


def test_every_page_is_in_the_sites_navigation() -> None:
    nav = set(re.findall(r"^  - [^:]+: (\S+\.md)$", (ROOT / "mkdocs.yml").read_text(), re.M))
    assert nav == {page.name for page in DOCS.glob("*.md")}


def test_table_of_operations_is_the_one_the_code_gives() -> None:
    page = (DOCS / "operations.md").read_text()
    # The moto column, and the list of operations, depend on the installed moto and
    # botocore (older ones at CI's lower bounds): the whole page must match under the
    # releases it was made with, and what kmsimport_mock serves alone must match under any.
    if operations_table.versions_line() in page:
        assert page == operations_table.render(), "run python scripts/operations_table.py"
    else:
        listed = dict(re.findall(r"^\| (\w+) \| ([^|]+) \|", page, re.M))
        for name, standalone, _ in operations_table.rows():
            if name in listed:
                assert listed[name].strip() == standalone, name


def _sh_block_after(marker: str) -> str:
    for page in PAGES:
        text = page.read_text()
        if marker in text:
            match = re.search(r"```sh\n(.*?)```", text[text.index(marker) :], re.S)
            assert match, f"no sh block after {marker!r}"
            return match.group(1)
    raise AssertionError(f"no page has {marker!r}")


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
