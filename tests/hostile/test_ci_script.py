"""CI (.ci/run) fails when any check fails: the linters, the type checker, the tests
(including a test run that collects nothing, pytest's exit code 5) or a benchmark goal."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CI = (ROOT / ".ci" / "run").read_text()


def _commands() -> list[str]:
    return [line.strip() for line in CI.splitlines() if line.strip() and not line.startswith("#")]


def _readme_command(name: str) -> str:
    """The README command .ci/run runs, extracted with .ci/run's own function."""
    start = CI.index("readme_command() {")
    function = CI[start : CI.index("\n}\n", start) + 3]
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
    assert _readme_command("demo") == "python -m pip install . && python -m kmsimport_mock demo"
    assert _readme_command("test") == (
        'python -m pip install ".[test]" && python -m pytest -q -n auto'
    )


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


def test_ci_runs_the_tests_on_every_python_version_the_classifiers_name() -> None:
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    declared = {
        c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r".*Python :: 3\.\d+", c)
    }
    assert declared == {"3.11", "3.12", "3.13"}
    # 3.11 runs the README's commands, 3.12 the lower bounds, 3.13 the suite from the sdist.
    commands = _commands()
    assert 'new_venv 3.11 "$work/venv"' in commands
    assert 'new_venv 3.12 "$work/lower"' in commands
    assert '"$work/lower/bin/python" -m pytest -q -n auto -p no:cacheprovider' in commands
    assert 'new_venv 3.13 "$work/venv-3.13"' in commands
    sdist_run = '(cd "$unpacked" && "$work/venv-3.13/bin/pytest" -q -n auto -p no:cacheprovider)'
    assert sdist_run in commands


def test_ci_removes_what_it_makes_in_tmp_on_any_exit() -> None:
    commands = _commands()
    assert commands[commands.index('work="$(mktemp -d)"') + 1] == "trap 'rm -rf \"$work\"' EXIT"
    assert CI.count("mktemp") == 1
    for line in commands:
        if "new_venv 3" in line or "--outdir" in line or "--site-dir" in line:
            assert '"$work/' in line, line


def test_ci_checks_the_distributions_and_builds_the_documentation_strictly() -> None:
    commands = _commands()
    assert 'python .ci/check_sdist.py "$work/dist"' in commands
    assert 'NO_MKDOCS_2_WARNING=1 mkdocs build --strict --site-dir "$work/site"' in commands
