"""The examples of docs/aliases-tags-and-policies.md run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "aliases-tags-and-policies.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example-{n}" for n in range(len(BLOCKS))])
def test_docs_example_runs(block: str) -> None:
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test()


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) == 3
