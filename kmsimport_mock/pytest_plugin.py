"""The ``kms_import`` pytest fixture, shipped through the ``pytest11`` entry point.

Loading the plugin imports the package, which installs the botocore handler before any
test module creates a client.

Configure the fixture's mock with the ``kms_import`` marker, whose keyword arguments are
those of ``mock_kms_import(...)``; a marker closer to the test (function over class over
module) wins for each setting it gives::

    @pytest.mark.kms_import(on_demand_rotation_limit=10, faults=["ThrottlingException"])
    def test_retry(kms_import): ...

It also points the process-wide wrapping key pool at pytest's cache directory
(``.pytest_cache/d/kmsimport_mock/wrapping-keys``), so a later run starts with the RSA
wrapping keys an earlier run generated instead of generating them again. Turn that off with
``--kms-import-no-key-cache`` or ``KMSIMPORT_MOCK_KEY_CACHE=off``; ``pytest --cache-clear``
or ``python -m kmsimport_mock clear-key-cache`` deletes the keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# wrapping_key_cache does not import cryptography: pytest's start-up stays cheap.
from . import wrapping_key_cache
from .mock import SETTINGS, KmsImportMock

CACHE_SUBDIRECTORY = "kmsimport_mock"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("kmsimport_mock").addoption(
        "--kms-import-no-key-cache",
        action="store_true",
        default=False,
        help="do not keep kmsimport_mock's RSA wrapping keys in pytest's cache directory",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "kms_import(on_demand_rotation_limit=..., access_keys=..., faults=..., "
        "replica_creation_delay=...): settings of the kms_import fixture's mock, the keyword "
        "arguments of mock_kms_import(...)",
    )
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


def _marker_settings(node: pytest.Item) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    # iter_markers gives the closest first: apply the farthest first so the closest wins.
    for marker in reversed(list(node.iter_markers("kms_import"))):
        if marker.args:
            raise pytest.UsageError(
                f"{node.nodeid}: the kms_import marker takes keyword arguments only "
                f"({', '.join(SETTINGS)}), not {marker.args!r}"
            )
        unknown = sorted(set(marker.kwargs) - set(SETTINGS))
        if unknown:
            raise pytest.UsageError(
                f"{node.nodeid}: unknown kms_import marker setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(SETTINGS)}"
            )
        settings.update(marker.kwargs)
    return settings


@pytest.fixture
def kms_import(request: pytest.FixtureRequest) -> Iterator[KmsImportMock]:
    """An active KMS import mock with empty state, stopped after the test.

    Configured by the test's ``kms_import`` marker, if it has one.
    """
    with KmsImportMock(**_marker_settings(request.node)) as mock:
        yield mock
