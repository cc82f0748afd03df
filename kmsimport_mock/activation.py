"""Which mock is active right now.

Mocks can be nested or overlap (start A, start B, stop A, stop B). The most recently
started one that is still active answers; stopping any mock removes just that one.
While at least one mock is active, fake AWS credentials are set in the environment so
that no client made meanwhile can pick up real ones; the originals come back when the last
mock stops.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .accounts import AccessKeyAccounts
    from .backend.faults import FaultRegistry
    from .backend.store import KmsBackend

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAKMSIMPORTMOCK000",
    "AWS_SECRET_ACCESS_KEY": "kmsimport-mock-fake-secret-access-key",
    "AWS_SESSION_TOKEN": "kmsimport-mock-fake-session-token",
    "AWS_SECURITY_TOKEN": "kmsimport-mock-fake-session-token",
}


class Activatable(Protocol):
    """What an active mock offers the transports that answer from it."""

    @property
    def backend(self) -> KmsBackend: ...

    @property
    def access_keys(self) -> AccessKeyAccounts: ...

    @property
    def faults(self) -> FaultRegistry: ...


_lock = threading.Lock()
_active: list[Activatable] = []
_saved_environment: dict[str, str | None] = {}


def activate(mock: Activatable) -> None:
    with _lock:
        if not _active:
            _saved_environment.clear()
            for name, value in FAKE_CREDENTIALS.items():
                _saved_environment[name] = os.environ.get(name)
                os.environ[name] = value
        _active.append(mock)


def deactivate(mock: Activatable) -> None:
    with _lock:
        for index in range(len(_active) - 1, -1, -1):
            if _active[index] is mock:
                del _active[index]
                break
        else:
            return
        if not _active:
            for name, value in _saved_environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            _saved_environment.clear()


def current() -> Activatable | None:
    # Reading the last element of a list is atomic in CPython; no lock on the hot path.
    try:
        return _active[-1]
    except IndexError:
        return None
