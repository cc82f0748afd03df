"""The README's complete example runs as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_block_after(heading: str) -> str:
    text = README.read_text()
    section = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block after {heading!r}"
    return match.group(1)


def test_complete_byok_example_runs() -> None:
    namespace: dict[str, Any] = {}
    exec(_python_block_after("## A complete BYOK test"), namespace)
    namespace["test_import_symmetric_key_material"]()


def test_with_moto_example_runs() -> None:
    namespace: dict[str, Any] = {}
    exec(_python_block_after("## With moto"), namespace)
    namespace["test_byok_with_moto"]()
