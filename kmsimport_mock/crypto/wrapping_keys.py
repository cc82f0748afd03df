"""RSA wrapping key pairs for GetParametersForImport.

AWS gives out a wrapping key pair per GetParametersForImport call. Generating an RSA-4096
pair costs around half a second, so the mock keeps a process-wide pool per wrapping key
spec: a call takes a key that has not been handed out yet when there is one, otherwise
the least recently handed out one, while a background thread (RSA key generation releases
the GIL) tops the pool up. Pool keys are never dropped while the process runs, so every
token ever issued can still find its private key, and memory stays bounded by the pool size.
"""

from __future__ import annotations

import atexit
import hashlib
import threading
from collections import deque
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .compat import RSA_WRAPPING_KEY_BITS

PUBLIC_EXPONENT = 65537


@dataclass(frozen=True)
class WrappingKey:
    spec: str
    private_key: rsa.RSAPrivateKey
    public_key_der: bytes  # DER SubjectPublicKeyInfo, as AWS returns it
    fingerprint: bytes  # SHA-256 of public_key_der; what an import token names


def make_wrapping_key(spec: str, private_key: rsa.RSAPrivateKey) -> WrappingKey:
    public_der = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return WrappingKey(spec, private_key, public_der, hashlib.sha256(public_der).digest())


def generate_wrapping_key(spec: str) -> WrappingKey:
    key = rsa.generate_private_key(PUBLIC_EXPONENT, RSA_WRAPPING_KEY_BITS[spec])
    return make_wrapping_key(spec, key)


class WrappingKeyPool:
    """Hands out wrapping keys and finds them again by fingerprint."""

    def __init__(self, size: int = 24) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._by_fingerprint: dict[bytes, WrappingKey] = {}
        self._unissued: dict[str, deque[WrappingKey]] = {}
        self._issued: dict[str, deque[WrappingKey]] = {}
        self._fillers: dict[str, threading.Thread] = {}
        self._closing = threading.Event()

    def issue(self, spec: str) -> WrappingKey:
        """A wrapping key for one GetParametersForImport answer."""
        with self._lock:
            unissued = self._unissued.setdefault(spec, deque())
            issued = self._issued.setdefault(spec, deque())
            if unissued:
                key: WrappingKey | None = unissued.popleft()
            elif issued:
                key = issued.popleft()  # reuse the least recently handed out key
            else:
                key = None
        if key is None:
            # Only the first call for a spec in a process waits for a key to be generated.
            key = self._generate(spec)
        with self._lock:
            issued.append(key)
        self._top_up(spec)
        return key

    def find(self, fingerprint: bytes) -> WrappingKey | None:
        with self._lock:
            return self._by_fingerprint.get(fingerprint)

    def add(self, key: WrappingKey, *, issued: bool = False) -> None:
        """Adds a key generated elsewhere (for example loaded from a cache or saved state).

        ``issued`` keys were handed out before (tokens may name them) and stay among
        :meth:`issued_keys`.
        """
        with self._lock:
            if key.fingerprint in self._by_fingerprint:
                return
            self._by_fingerprint[key.fingerprint] = key
            target = self._issued if issued else self._unissued
            target.setdefault(key.spec, deque()).append(key)

    def issued_keys(self) -> list[WrappingKey]:
        """Every key handed out so far: the ones import tokens can name."""
        with self._lock:
            return [key for keys in self._issued.values() for key in keys]

    def count(self, spec: str) -> int:
        with self._lock:
            return len(self._unissued.get(spec, ())) + len(self._issued.get(spec, ()))

    def _generate(self, spec: str) -> WrappingKey:
        key = generate_wrapping_key(spec)
        with self._lock:
            self._by_fingerprint[key.fingerprint] = key
        return key

    def close(self) -> None:
        """Stops topping up and waits for key generation under way to finish.

        Runs at interpreter exit: a thread killed inside OpenSSL's key generation during
        finalization aborts the whole process.
        """
        self._closing.set()
        with self._lock:
            fillers = list(self._fillers.values())
        for filler in fillers:
            filler.join()

    def _top_up(self, spec: str) -> None:
        with self._lock:
            if self._closing.is_set() or spec in self._fillers:
                return
            if self._count_locked(spec) >= self.size:
                return
            filler = threading.Thread(
                target=self._fill, args=(spec,), name=f"kmsimport_mock-{spec}", daemon=True
            )
            self._fillers[spec] = filler
        filler.start()

    def _fill(self, spec: str) -> None:
        try:
            while not self._closing.is_set():
                with self._lock:
                    if self._count_locked(spec) >= self.size:
                        return
                key = self._generate(spec)
                with self._lock:
                    self._unissued.setdefault(spec, deque()).append(key)
        finally:
            with self._lock:
                del self._fillers[spec]

    def _count_locked(self, spec: str) -> int:
        return len(self._unissued.get(spec, ())) + len(self._issued.get(spec, ()))


# One pool per process: wrapping keys are expensive and carry no per-mock state.
POOL = WrappingKeyPool()
atexit.register(POOL.close)
