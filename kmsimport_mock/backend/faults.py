"""Injected faults: make the next calls fail the way AWS KMS can fail.

A test asks for a fault with :meth:`~kmsimport_mock.KmsImportMock.inject_fault`; each
attempt a client makes (retries included) that the fault matches uses up one of its
``count``. The faults are answered before the backend sees the call, so they change no
state, exactly like a request AWS refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import kms_errors
from .kms_errors import KmsError

FAULTS: dict[str, Callable[[], KmsError]] = {
    "ThrottlingException": kms_errors.throttling,
    "DependencyTimeoutException": kms_errors.dependency_timeout,
    "KMSInternalException": kms_errors.kms_internal,
}


@dataclass
class Fault:
    code: str
    remaining: int
    operation: str | None  # None: any served operation


class FaultRegistry:
    """The faults still to be answered, first injected first used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        # What the retry emulation sleeps with; tests replace it to keep the suite fast.
        self.sleep: Callable[[float], None] = time.sleep

    def inject(self, code: str, count: int = 1, operation: str | None = None) -> None:
        if code not in FAULTS:
            raise ValueError(f"cannot inject {code!r}; choose one of {', '.join(sorted(FAULTS))}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"count must be a positive integer, got {count!r}")
        with self._lock:
            self._faults.append(Fault(code, count, operation))

    def take(self, operation: str) -> KmsError | None:
        """The error to answer this attempt of ``operation`` with, or None."""
        if not self._faults:  # the common case: no lock, no work
            return None
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.operation is None or fault.operation == operation:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        del self._faults[index]
                    return FAULTS[fault.code]()
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return [Fault(f.code, f.remaining, f.operation) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
