"""Wrapping keys shipped with the package, so a cold process hands out keys at once.

Without them, a process with no key cache (every CI run that does not keep
``.pytest_cache``) would wait for an RSA key generation at its first
GetParametersForImport (0.2–0.9 s for RSA_4096) and then see the same two keys while a
background thread generates more. The package therefore ships ``KEYS_PER_SPEC`` ready keys
per RSA wrapping key spec, each a real RSA key OpenSSL generated with its own two primes
(``scripts/make_seed_wrapping_keys.py`` made them and checked that no prime repeats).

Why shipping private keys is safe here: a wrapping key of the mock protects only the test
key material a test wraps for the mock, in a process on the tester's machine; nothing real
is ever wrapped under it, and real AWS never sees it. Anyone can read these keys, exactly as
anyone can read the mock's source; that is no weaker than the mock itself, which unwraps
whatever it is given. (Long runs move on to keys of their own, see
:mod:`.wrapping_key_pool`.)

The file keeps only the primes, as hexadecimal integers in zlib-compressed JSON: no PEM
block, no DER key, nothing of the shape secret scanners look for. It is read the first time
a key of a spec is asked for, and a key's private numbers are computed when it is handed
out, so neither ``import kmsimport_mock`` nor the first call pays for the others.
"""

from __future__ import annotations

import functools
import json
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from .allowed_wrapping import RSA_WRAPPING_KEY_BITS

SEED_FILE = Path(__file__).with_name("seed_wrapping_keys.zlib")
FORMAT = 1
KEYS_PER_SPEC = 24
PUBLIC_EXPONENT = 65537

Primes = tuple[int, int]


@functools.cache
def _document() -> dict[str, object]:
    try:
        loaded = json.loads(zlib.decompress(SEED_FILE.read_bytes()))
    except (OSError, ValueError, zlib.error):
        return {}  # a damaged installation only loses the head start
    return loaded if isinstance(loaded, dict) and loaded.get("format") == FORMAT else {}


def seed_primes(spec: str) -> list[Primes]:
    """The primes of the shipped keys of a spec (empty if the file is missing or damaged)."""
    bits = RSA_WRAPPING_KEY_BITS.get(spec)
    entries = _document().get(spec)
    if bits is None or not isinstance(entries, list):
        return []
    found: list[Primes] = []
    for entry in entries:
        try:
            p, q = (int(value, 16) for value in entry)
        except (TypeError, ValueError):
            continue
        if p != q and (p * q).bit_length() == bits:
            found.append((p, q))
    return found


def private_key_from_primes(p: int, q: int) -> rsa.RSAPrivateKey:
    """The RSA private key with primes ``p``, ``q`` and exponent 65537."""
    d = pow(PUBLIC_EXPONENT, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(PUBLIC_EXPONENT, p * q),
    )
    # OpenSSL's full check tests the primes again, which costs as much as generating them;
    # the primes come from the package's own file, made by OpenSSL.
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)
