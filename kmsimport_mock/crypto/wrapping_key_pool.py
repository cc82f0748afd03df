"""RSA wrapping key pairs for GetParametersForImport.

AWS gives out a wrapping key pair per GetParametersForImport call. Generating an RSA-4096
pair costs around half a second (up to 2 s on a loaded machine), so the mock keeps a
process-wide pool per wrapping key spec. A call takes, in this order: a key of the pool's
own that has not been handed out yet (from the key cache, or generated), a key shipped with
the package that has not been handed out yet (:mod:`.seed_wrapping_keys`: a cold process
answers at once, with a different key each call), otherwise the least recently handed out
key.

Once a spec's shipped keys have gone round twice (a long run), one background thread (RSA
key generation releases the GIL) generates up to ``size`` keys of the pool's own, which are
handed out from then on; a short run never spends CPU on key generation.

Realism rules, whatever the state of the pool:

* two consecutive calls for a spec never get the same key: when the only key at hand is the
  one just handed out (a pool without shipped keys), the call waits for the background
  thread's next key;
* any ``size`` consecutive calls get ``size`` different keys once the pool is full, and from
  the first call on while shipped keys remain.

Pool keys are never dropped while the process runs, so every token ever issued can still
find its private key, and memory stays bounded by the pool size.

Optionally, generated keys are kept in a directory (see :mod:`kmsimport_mock.key_cache`;
the pytest plugin uses pytest's cache directory) so that later runs start with a full pool
instead of generating keys again.
"""

from __future__ import annotations

import atexit
import hashlib
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .. import wrapping_key_cache
from ..wrapping_key_cache import KeyCache
from . import seed_wrapping_keys
from .allowed_wrapping import RSA_WRAPPING_KEY_BITS

PUBLIC_EXPONENT = 65537
POOL_SIZE = 24


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


def load_cached_keys(cache: KeyCache, spec: str, limit: int) -> list[WrappingKey]:
    """Up to ``limit`` keys of a spec from a cache; damaged or misnamed files are skipped."""
    keys = []
    for name, der in cache.load(spec, limit):
        key = _read_key(spec, der)
        if key is not None and key.fingerprint.hex() == name:
            keys.append(key)
    return keys


def save_cached_key(cache: KeyCache, key: WrappingKey) -> None:
    der = key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cache.save(key.spec, key.fingerprint.hex(), der)


def _read_key(spec: str, der: bytes) -> WrappingKey | None:
    try:
        # OpenSSL's full RSA check costs as much as generating the key (it tests the primes);
        # the cheap arithmetic checks below catch damaged files, and the file is our own.
        private_key = serialization.load_der_private_key(
            der, None, unsafe_skip_rsa_key_validation=True
        )
    except (ValueError, TypeError):
        return None
    if not isinstance(private_key, rsa.RSAPrivateKey) or not _consistent(spec, private_key):
        return None
    return make_wrapping_key(spec, private_key)


def _consistent(spec: str, key: rsa.RSAPrivateKey) -> bool:
    numbers = key.private_numbers()
    public = numbers.public_numbers
    p, q, d = numbers.p, numbers.q, numbers.d
    return (
        key.key_size == RSA_WRAPPING_KEY_BITS.get(spec)
        and public.e == PUBLIC_EXPONENT
        and p * q == public.n
        and (public.e * d) % math.lcm(p - 1, q - 1) == 1
        and numbers.dmp1 == d % (p - 1)
        and numbers.dmq1 == d % (q - 1)
        and (numbers.iqmp * q) % p == 1
    )


class WrappingKeyPool:
    """Hands out wrapping keys and finds them again by fingerprint."""

    def __init__(
        self, size: int = POOL_SIZE, cache: KeyCache | None = None, *, shipped_keys: bool = True
    ) -> None:
        """``shipped_keys=False``: only keys of the pool's own (cached or generated)."""
        if size < 2:
            raise ValueError("a wrapping key pool needs at least two keys per spec")
        self.size = size
        self._cache = cache
        self._cache_chosen = cache is not None
        self._lock = threading.Lock()
        self._new_key = threading.Condition(self._lock)
        self._by_fingerprint: dict[bytes, WrappingKey] = {}
        self._shipped_keys = shipped_keys
        # Keys of the pool's own (cached, generated, added) not handed out yet; shipped keys
        # not handed out yet, as primes (their private numbers are computed on issue).
        self._unissued: dict[str, deque[WrappingKey]] = {}
        self._unissued_shipped: dict[str, deque[seed_wrapping_keys.Primes]] = {}
        self._issued: dict[str, deque[WrappingKey]] = {}
        self._own: dict[str, int] = {}  # keys of the pool's own per spec, issued or not
        self._shipped_count: dict[str, int] = {}  # shipped keys per spec
        self._issues: dict[str, int] = {}  # keys handed out per spec
        self._loaded: set[str] = set()
        self._fillers: dict[str, threading.Thread] = {}
        self._failures: dict[str, Exception] = {}
        self._closing = threading.Event()
        self.generated = 0  # keys generated by this pool, for benchmarks and tests

    @property
    def cache(self) -> KeyCache | None:
        return self._cache

    def issue(self, spec: str) -> WrappingKey:
        """A wrapping key for one GetParametersForImport answer: never the previous one."""
        if spec not in RSA_WRAPPING_KEY_BITS:
            raise ValueError(f"no RSA wrapping keys of spec {spec!r}")
        with self._lock:
            self._load_locked(spec)
            unissued = self._unissued.setdefault(spec, deque())
            shipped = self._unissued_shipped.setdefault(spec, deque())
            issued = self._issued.setdefault(spec, deque())
            # ``issued`` is in the order keys were handed out, so its last key is the one
            # the previous call got and its first is the least recently handed out.
            while not unissued and not shipped and len(issued) < 2:
                if self._closing.is_set():
                    raise RuntimeError("the wrapping key pool is closed")
                failure = self._failures.pop(spec, None)
                if failure is not None:
                    raise failure
                self._start_filler_locked(spec)
                self._new_key.wait()
            if unissued:
                key = unissued.popleft()
            elif shipped:
                key = make_wrapping_key(
                    spec, seed_wrapping_keys.private_key_from_primes(*shipped.popleft())
                )
                self._by_fingerprint[key.fingerprint] = key
            else:
                key = issued.popleft()
            issued.append(key)
            self._issues[spec] = self._issues.get(spec, 0) + 1
            if self._issues[spec] >= 2 * self._shipped_count.get(spec, 0):
                self._start_filler_locked(spec)
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
            self._add_locked(key, issued=issued)

    def issued_keys(self) -> list[WrappingKey]:
        """Every key handed out so far: the ones import tokens can name."""
        with self._lock:
            return [key for keys in self._issued.values() for key in keys]

    def count(self, spec: str) -> int:
        """Keys of the pool's own of a spec (shipped keys do not count)."""
        with self._lock:
            return self._count_locked(spec)

    def generating(self, spec: str) -> bool:
        """Whether a background thread is generating keys of a spec right now."""
        with self._lock:
            return spec in self._fillers

    def wait_until_full(self, spec: str, timeout: float | None = None) -> bool:
        """Blocks until the pool holds ``size`` keys of its own of a spec (benchmarks and
        tests use this; it starts the background generation if need be)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._load_locked(spec)
            while self._count_locked(spec) < self.size:
                self._start_filler_locked(spec)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._new_key.wait(remaining)
            return True

    def close(self) -> None:
        """Stops topping up and waits for key generation under way to finish.

        Runs at interpreter exit: a thread killed inside OpenSSL's key generation during
        finalization aborts the whole process.
        """
        with self._lock:
            self._closing.set()
            self._new_key.notify_all()
            fillers = list(self._fillers.values())
        for filler in fillers:
            filler.join()

    # --- internals --------------------------------------------------------------------

    def _add_locked(self, key: WrappingKey, issued: bool = False) -> bool:
        if key.fingerprint in self._by_fingerprint:
            return False
        self._by_fingerprint[key.fingerprint] = key
        target = self._issued if issued else self._unissued
        target.setdefault(key.spec, deque()).append(key)
        self._own[key.spec] = self._own.get(key.spec, 0) + 1
        self._new_key.notify_all()
        return True

    def _load_locked(self, spec: str) -> None:
        if spec in self._loaded:
            return
        if spec not in self._unissued_shipped and self._shipped_keys:
            primes = seed_wrapping_keys.seed_primes(spec)
            self._unissued_shipped[spec] = deque(primes)
            self._shipped_count[spec] = len(primes)
        self._loaded.add(spec)
        if not self._cache_chosen:
            # What the pytest plugin chose, else what the environment says.
            self._cache = wrapping_key_cache.default_cache()
            self._cache_chosen = True
        if self._cache is None:
            return
        room = self.size - self._count_locked(spec)
        if room > 0:
            for key in load_cached_keys(self._cache, spec, room):
                self._add_locked(key)

    def _start_filler_locked(self, spec: str) -> None:
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
                    cache = self._cache
                key = generate_wrapping_key(spec)
                if cache is not None:
                    save_cached_key(cache, key)
                with self._lock:
                    self.generated += 1
                    self._add_locked(key)
                if cache is not None:
                    cache.prune(spec, self.size)
        except Exception as error:
            with self._lock:
                self._failures[spec] = error
        finally:
            with self._lock:
                del self._fillers[spec]
                # A call waiting for a key must not wait forever if generation failed.
                self._new_key.notify_all()

    def _count_locked(self, spec: str) -> int:
        return self._own.get(spec, 0)


# One pool per process: wrapping keys are expensive and carry no per-mock state.
POOL = WrappingKeyPool()
atexit.register(POOL.close)
