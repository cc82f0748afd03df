"""The examples of docs/cryptographic-operations.md run as written."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kmsimport_mock import KmsImportMock

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cryptographic-operations.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def test_every_example_test_of_the_page_passes(kms_import: KmsImportMock) -> None:
    ran = []
    for block in _python_blocks():
        namespace: dict[str, Any] = {}
        if "def test_" not in block:
            continue
        exec(block, namespace)
        for name, function in namespace.items():
            if name.startswith("test_"):
                function(kms_import)
                ran.append(name)
    assert ran == [
        "test_ceremony_check",
        "test_fixture_ciphertext_still_decrypts",
        "test_hsm_migration_check",
    ]


def test_the_flow_by_hand_imports_the_material(kms: Any, kms_import: KmsImportMock) -> None:
    (by_hand,) = [block for block in _python_blocks() if "import_key_material" in block]
    material = os.urandom(32)
    namespace: dict[str, Any] = {"kms": kms, "material": material}
    exec(by_hand, namespace)
    assert kms_import.key_material(namespace["key_id"]) == material
