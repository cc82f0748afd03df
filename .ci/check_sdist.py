"""Checks the built sdist and wheel hold what they must (run by .ci/run, from a git checkout).

The sdist: every file git tracks under the paths MANIFEST.in grafts (the whole test suite,
the documentation, the benchmarks, the scripts, CI), the licence, the changelog and the
package. The wheel: the licence and every module of the package.

    python .ci/check_sdist.py DIST_DIR
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

SDIST_PATHS = ["kmsimport_mock", "tests", "docs", "benchmarks", "scripts", ".ci"]
SDIST_FILES = ["LICENSE", "README.md", "CHANGELOG.md", "mkdocs.yml", "pyproject.toml"]


def tracked(*paths: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *paths], capture_output=True, text=True, check=True
    ).stdout
    return set(listed.split())


def main(dist: Path) -> int:
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = sorted((tracked(*SDIST_PATHS) | set(SDIST_FILES)) - in_sdist)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    package = {name for name in tracked("kmsimport_mock") if name.endswith((".py", "py.typed"))}
    missing += sorted(f"{wheel.name}: {name}" for name in package - in_wheel)
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel):
        missing.append(f"{wheel.name}: LICENSE")
    if missing:
        print("missing from the distributions:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    print(f"{sdist.name}: {len(in_sdist)} files; {wheel.name}: {len(in_wheel)} files; complete")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
