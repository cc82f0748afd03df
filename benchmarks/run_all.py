"""Runs every benchmark, each in its own interpreter, and fails if any goal fails.

python benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "import_time.py",
    "call_overhead.py",
    "get_parameters_for_import.py",
    "memory.py",
    "state_dir.py",
    "endpoint.py",
    "cold_start.py",
    "beside_moto.py",
    "byok_suite.py",
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        result = subprocess.run([sys.executable, str(HERE / script), *sys.argv[1:]])
        if result.returncode != 0:
            failed.append(script)
    print("\nall goals met" if not failed else f"\ngoals failed in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
