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
    # Imported here: the key pool pulls in cryptography, which a run that never uses the
    # mock should not pay for at start-up.
    from .crypto import wrapping_keys

    if config.getoption("kms_import_no_key_cache"):
        wrapping_keys.POOL.use_cache(None)
        return
    if wrapping_keys.key_cache_disabled_by_environment():
        wrapping_keys.POOL.use_cache(None)
        return
    directory = wrapping_keys.key_cache_from_environment()
    cache = getattr(config, "cache", None)  # None under -p no:cacheprovider
    if directory is None and cache is not None:
        directory = cache.mkdir(CACHE_SUBDIRECTORY) / "wrapping-keys"
    if directory is not None:
        wrapping_keys.POOL.use_cache(wrapping_keys.KeyCache(directory))


@pytest.fixture
def kms_import() -> Iterator[KmsImportMock]:
    """An active KMS import mock with empty state, stopped after the test."""
    with KmsImportMock() as mock:
        yield mock
