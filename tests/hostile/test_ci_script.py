"""CI (.ci/run) fails when any check fails: the linters, the type checker, the tests
(including a test run that collects nothing, pytest's exit code 5) or a benchmark goal."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CI = (ROOT / ".ci" / "run").read_text()


def _commands() -> list[str]:
    return [line.strip() for line in CI.splitlines() if line.strip() and not line.startswith("#")]


def _readme_command(name: str) -> str:
    """The README command .ci/run runs, extracted with .ci/run's own function."""
    function = CI[CI.index("readme_command() {") : CI.index("\n}\n") + 3]
    result = subprocess.run(
        ["bash", "-c", f"{function}\nreadme_command {name}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_ci_stops_at_the_first_failing_command() -> None:
    assert "set -euo pipefail" in _commands()[:2]


def test_ci_runs_both_linters_and_the_strict_type_checker_on_the_package() -> None:
    commands = _commands()
    for command in ("ruff check .", "ruff format --check .", "mypy --strict kmsimport_mock"):
        assert command in commands


def test_ci_runs_the_readme_commands_so_that_their_failure_fails_ci() -> None:
    assert 'bash -euo pipefail -c "$command"' in _commands()
    assert _readme_command("test") == 'python -m pip install ".[test]" && python -m pytest -q'


def test_ci_checks_the_speed_and_memory_goals_that_hold_by_a_wide_margin() -> None:
    loop = "for script in import_time memory get_parameters_for_import beside_moto; do"
    assert loop in _commands()
    assert 'python "benchmarks/$script.py"' in _commands()


def test_a_test_run_that_collects_nothing_fails_the_ci_command(tmp_path: Path) -> None:
    # pytest exits with 5 when it collects no tests; the README command passes that on and
    # .ci/run, under `set -e`, stops with it.
    (tmp_path / "test_nothing.py").write_text("")
    script = (
        'set -euo pipefail\nbash -euo pipefail -c "python -m pytest -q -p no:cacheprovider '
        f'{tmp_path}"\necho unreachable'
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert result.returncode == 5
    assert "unreachable" not in result.stdout
