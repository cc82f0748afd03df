"""The ``kms_import`` pytest fixture, shipped through the ``pytest11`` entry point.

Loading the plugin imports the package, which installs the botocore handler before any
test module creates a client.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .mock import KmsImportMock


@pytest.fixture
def kms_import() -> Iterator[KmsImportMock]:
    """An active KMS import mock with empty state, stopped after the test."""
    with KmsImportMock() as mock:
        yield mock
