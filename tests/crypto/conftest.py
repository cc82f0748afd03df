"""Shared fixtures for the crypto-layer tests.

RSA key generation dominates the run time (RSA-4096 alone can take most of a second), so each
size is generated lazily and at most once per test module.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

OPENSSL = "/usr/bin/openssl"

RunOpenssl = Callable[..., bytes]


def _generate(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@pytest.fixture(scope="module")
def rsa_key_2048() -> rsa.RSAPrivateKey:
    return _generate(2048)


@pytest.fixture(scope="module")
def rsa_key_3072() -> rsa.RSAPrivateKey:
    return _generate(3072)


@pytest.fixture(scope="module")
def rsa_key_4096() -> rsa.RSAPrivateKey:
    return _generate(4096)


@pytest.fixture(scope="module")
def rsa_keys(
    rsa_key_2048: rsa.RSAPrivateKey,
    rsa_key_3072: rsa.RSAPrivateKey,
    rsa_key_4096: rsa.RSAPrivateKey,
) -> dict[int, rsa.RSAPrivateKey]:
    return {2048: rsa_key_2048, 3072: rsa_key_3072, 4096: rsa_key_4096}


@pytest.fixture(scope="session")
def openssl() -> RunOpenssl:
    """Run the openssl CLI with the given arguments and return its stdout.

    A failing command fails the test with openssl's own error output, which is the most useful
    thing to see when a cross-check breaks.
    """

    def run(*args: str, stdin: bytes = b"") -> bytes:
        result = subprocess.run(
            [OPENSSL, *args], input=stdin, capture_output=True, check=False, timeout=60
        )
        if result.returncode != 0:
            pytest.fail(
                f"openssl {' '.join(args)} exited {result.returncode}: "
                f"{result.stderr.decode(errors='replace')}"
            )
        return result.stdout

    return run
