"""The ``kms_import`` pytest fixture, shipped through the ``pytest11`` entry point.

Loading the plugin imports the package, which installs the botocore handler before any
test module creates a client.

It also points the process-wide wrapping key pool at pytest's cache directory
(``.pytest_cache/d/kmsimport_mock/wrapping-keys``), so a later run starts with the RSA
wrapping keys an earlier run generated instead of generating them again. Turn that off with
``--kms-import-no-key-cache`` or ``KMSIMPORT_MOCK_KEY_CACHE=off``; ``pytest --cache-clear``
or ``python -m kmsimport_mock clear-key-cache`` deletes the keys.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# wrapping_key_cache does not import cryptography: pytest's start-up stays cheap.
from . import wrapping_key_cache
from .mock import KmsImportMock

CACHE_SUBDIRECTORY = "kmsimport_mock"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("kmsimport_mock").addoption(
        "--kms-import-no-key-cache",
        action="store_true",
        default=False,
        help="do not keep kmsimport_mock's RSA wrapping keys in pytest's cache directory",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("kms_import_no_key_cache") or wrapping_key_cache.disabled_by_environment():
        wrapping_key_cache.configure(None)
        return
    directory = wrapping_key_cache.key_cache_from_environment()
    cache = getattr(config, "cache", None)  # None under -p no:cacheprovider
    if directory is None and cache is not None:
        directory = cache.mkdir(CACHE_SUBDIRECTORY) / "wrapping-keys"
    wrapping_key_cache.configure(
        wrapping_key_cache.KeyCache(directory) if directory is not None else None
    )


@pytest.fixture
def kms_import() -> Iterator[KmsImportMock]:
    """An active KMS import mock with empty state, stopped after the test."""
    with KmsImportMock() as mock:
        yield mock
