"""Shared fixtures: real boto3 clients, key material of every spec, and a sealed-off world.

Every test runs with no AWS credentials or config files and with outbound network
connections refused, so a call that escaped the mock would fail loudly.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import socket
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from kms_testing import REGION, create_external_key

import kmsimport_mock
from kmsimport_mock import KmsImportMock

# pytester's in-process runs (tests/test_docs.py, tests/test_settings.py) put sys.modules back
# as it was before them, dropping the modules imported meanwhile. The operation modules load
# on first use, so a module first used inside such a run would be imported again afterwards,
# with exception classes of its own that the code loaded earlier cannot catch. Every module
# of the package is therefore loaded before any test runs.
for _module in pkgutil.walk_packages(kmsimport_mock.__path__, "kmsimport_mock."):
    importlib.import_module(_module.name)


class NetworkBlocked(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_credentials_no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_") or name == "MOTO_ACCOUNT_ID":
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            return real_connect(self, address)
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        raise NetworkBlocked(f"test tried to connect to {address!r}")

    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (None, "localhost", "::1") or str(host).startswith("127."):
            return real_getaddrinfo(host, *args, **kwargs)
        raise NetworkBlocked(f"test tried to resolve {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture
def kms(kms_import: KmsImportMock) -> Any:
    """A real boto3 KMS client in eu-west-1, served by the active mock."""
    return boto3.client("kms", region_name=REGION)


@pytest.fixture
def make_client(kms_import: KmsImportMock) -> Callable[..., Any]:
    def make(region: str = REGION, **kwargs: Any) -> Any:
        return boto3.client("kms", region_name=region, **kwargs)

    return make


@pytest.fixture
def external_key(kms: Any) -> Iterator[Any]:
    yield create_external_key(kms)
