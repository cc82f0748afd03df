"""Which wrapping algorithm and wrapping key spec AWS allows for which key material (spec §2).

Pure data plus two functions. Region rules stay with the caller: SM2PKE and the SM2 wrapping
key spec exist only in China Regions and are refused before anything here is consulted.
The functions say *why* a combination is refused (a :class:`WrappingRefusal`); the words of
the answer are in :mod:`kmsimport_mock.backend.kms_errors`, with every other error text.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .material import (
    EC_CURVES,
    HMAC_MATERIAL_LENGTHS,
    KEY_SPECS,
    NOT_IMPORTABLE_KEY_SPECS,
    RSA_MODULUS_BITS,
)

__all__ = [
    "AES_KEY_WRAP_ALGORITHMS",
    "CHINA_ONLY_WRAPPING_ALGORITHMS",
    "CHINA_ONLY_WRAPPING_KEY_SPECS",
    "DEPRECATED_WRAPPING_ALGORITHMS",
    "OAEP_ALGORITHMS",
    "RSA_WRAPPING_KEY_BITS",
    "WRAPPING_ALGORITHMS",
    "WRAPPING_KEY_SPECS",
    "WrappingRefusal",
    "china_wrapping_problem",
    "max_oaep_plaintext",
    "wrapping_combination_problem",
]


class WrappingRefusal(enum.Enum):
    """Why a wrapping algorithm and wrapping key spec cannot carry a key spec's material."""

    # RSAES_PKCS1_V1_5, unsupported since 2023-10-10.
    DEPRECATED_ALGORITHM = "deprecated algorithm"
    # The key spec cannot hold imported material at all (ML-DSA, Ed25519).
    NOT_IMPORTABLE = "not importable"
    # An RSA private key cannot fit in a single RSA-OAEP block.
    NEEDS_AES_KEY_WRAP = "needs RSA_AES_KEY_WRAP"
    # The algorithm is not listed for this kind of key material.
    NOT_FOR_MATERIAL = "algorithm not for this material"
    # P-521 material is too large for RSA-OAEP under an RSA_2048 wrapping key.
    TOO_LARGE_FOR_WRAPPING_KEY = "too large for the wrapping key"
    # SM2PKE without the SM2 wrapping key spec, or the other way round.
    SM2_PAIRING = "SM2PKE and SM2 go together"


OAEP_ALGORITHMS: Final = frozenset({"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"})
AES_KEY_WRAP_ALGORITHMS: Final = frozenset({"RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"})
DEPRECATED_WRAPPING_ALGORITHMS: Final = frozenset({"RSAES_PKCS1_V1_5"})
CHINA_ONLY_WRAPPING_ALGORITHMS: Final = frozenset({"SM2PKE"})
# The whole botocore AlgorithmSpec enum.
WRAPPING_ALGORITHMS: Final = (
    OAEP_ALGORITHMS
    | AES_KEY_WRAP_ALGORITHMS
    | DEPRECATED_WRAPPING_ALGORITHMS
    | CHINA_ONLY_WRAPPING_ALGORITHMS
)

RSA_WRAPPING_KEY_BITS: Final[Mapping[str, int]] = MappingProxyType(
    {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
)
CHINA_ONLY_WRAPPING_KEY_SPECS: Final = frozenset({"SM2"})
# The whole botocore WrappingKeySpec enum.
WRAPPING_KEY_SPECS: Final = frozenset(RSA_WRAPPING_KEY_BITS) | CHINA_ONLY_WRAPPING_KEY_SPECS

_SECRET_KEY_SPECS: Final = frozenset({"SYMMETRIC_DEFAULT", *HMAC_MATERIAL_LENGTHS})

# Wrapping algorithms AWS lists per kind of key material. SM2 private keys exist only in
# China Regions, where RSA_AES_KEY_WRAP_* is not offered.
#
# SYMMETRIC_DEFAULT and HMAC are "not listed" for RSA_AES_KEY_WRAP_*: AWS neither offers nor
# forbids the pair in so many words, and where it would be refused is UNCONFIRMED. We refuse
# it, as the documented list is the safer contract for code under test.
_ALLOWED_ALGORITHMS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        **dict.fromkeys(_SECRET_KEY_SPECS, OAEP_ALGORITHMS),
        **dict.fromkeys(RSA_MODULUS_BITS, AES_KEY_WRAP_ALGORITHMS),
        **dict.fromkeys(EC_CURVES, OAEP_ALGORITHMS | AES_KEY_WRAP_ALGORITHMS),
        "SM2": OAEP_ALGORITHMS,
    }
)

# The one pair AWS calls out although the algorithm is otherwise fine for the key spec:
# a P-521 PKCS#8 (about 241 bytes) exceeds what OAEP can carry under RSA_2048 (214 / 190).
_FORBIDDEN_WRAPPING_KEY_SPECS: Final[Mapping[tuple[str, str], frozenset[str]]] = MappingProxyType(
    {
        ("ECC_NIST_P521", "RSAES_OAEP_SHA_1"): frozenset({"RSA_2048"}),
        ("ECC_NIST_P521", "RSAES_OAEP_SHA_256"): frozenset({"RSA_2048"}),
    }
)

_HASH_DIGEST_SIZES: Final[Mapping[str, int]] = MappingProxyType({"sha1": 20, "sha256": 32})


def max_oaep_plaintext(modulus_bits: int, hash_name: str) -> int:
    """Longest message RSAES-OAEP can encrypt (RFC 8017 §7.1.1: k - 2·hLen - 2 bytes).

    ``hash_name`` is SHA-1 or SHA-256, spelled any common way ("sha256", "SHA_256", "SHA-256").
    """
    normalised = hash_name.lower().replace("-", "").replace("_", "")
    if normalised not in _HASH_DIGEST_SIZES:
        raise ValueError(f"unsupported OAEP hash {hash_name!r}; expected SHA-1 or SHA-256")
    if modulus_bits <= 0:
        raise ValueError(f"modulus size must be positive, got {modulus_bits}")
    modulus_bytes = (modulus_bits + 7) // 8
    limit = modulus_bytes - 2 * _HASH_DIGEST_SIZES[normalised] - 2
    if limit < 0:
        raise ValueError(f"a {modulus_bits}-bit modulus is too small for OAEP with {hash_name}")
    return limit


def wrapping_combination_problem(
    key_spec: str, wrapping_algorithm: str, wrapping_key_spec: str
) -> WrappingRefusal | None:
    """None if AWS allows importing ``key_spec`` material this way, else why not.

    Raises ``ValueError`` for names outside the botocore enums and for the China-only
    SM2PKE / SM2 names, which the caller must have dealt with.
    """
    if key_spec not in KEY_SPECS:
        raise ValueError(f"unknown KeySpec {key_spec!r}")
    if wrapping_algorithm not in WRAPPING_ALGORITHMS:
        raise ValueError(f"unknown wrapping algorithm {wrapping_algorithm!r}")
    if wrapping_key_spec not in WRAPPING_KEY_SPECS:
        raise ValueError(f"unknown wrapping key spec {wrapping_key_spec!r}")
    if (
        wrapping_algorithm in CHINA_ONLY_WRAPPING_ALGORITHMS
        or wrapping_key_spec in CHINA_ONLY_WRAPPING_KEY_SPECS
    ):
        raise ValueError("SM2PKE and the SM2 wrapping key spec are for the caller to handle")

    if wrapping_algorithm in DEPRECATED_WRAPPING_ALGORITHMS:
        return WrappingRefusal.DEPRECATED_ALGORITHM
    if key_spec in NOT_IMPORTABLE_KEY_SPECS:
        return WrappingRefusal.NOT_IMPORTABLE

    if wrapping_algorithm not in _ALLOWED_ALGORITHMS[key_spec]:
        if key_spec in RSA_MODULUS_BITS:
            return WrappingRefusal.NEEDS_AES_KEY_WRAP
        # SYMMETRIC_DEFAULT and HMAC with RSA_AES_KEY_WRAP_*, and SM2 with it (not offered
        # in China Regions, where SM2 keys exist).
        return WrappingRefusal.NOT_FOR_MATERIAL
    if wrapping_key_spec in _FORBIDDEN_WRAPPING_KEY_SPECS.get(
        (key_spec, wrapping_algorithm), frozenset()
    ):
        return WrappingRefusal.TOO_LARGE_FOR_WRAPPING_KEY
    return None


# Key material AWS lists for SM2PKE with the SM2 wrapping key spec (China Regions only):
# RSA, ECC and SM2 private keys. Symmetric (SM4) and HMAC material is listed only for the
# RSAES_OAEP_* algorithms, so SM2PKE is refused for it, as RSA_AES_KEY_WRAP_* is.
_SM2PKE_KEY_SPECS: Final = frozenset({*RSA_MODULUS_BITS, *EC_CURVES, "SM2"})


def china_wrapping_problem(
    key_spec: str, wrapping_algorithm: str, wrapping_key_spec: str
) -> WrappingRefusal | None:
    """Like :func:`wrapping_combination_problem`, for requests that name SM2PKE or SM2.

    For China Regions only; the caller refuses these names elsewhere first.
    """
    if key_spec not in KEY_SPECS:
        raise ValueError(f"unknown KeySpec {key_spec!r}")
    sm2_algorithm = wrapping_algorithm in CHINA_ONLY_WRAPPING_ALGORITHMS
    sm2_spec = wrapping_key_spec in CHINA_ONLY_WRAPPING_KEY_SPECS
    if not (sm2_algorithm or sm2_spec):
        raise ValueError("neither SM2PKE nor the SM2 wrapping key spec is named")
    if sm2_algorithm != sm2_spec:
        return WrappingRefusal.SM2_PAIRING
    if key_spec in NOT_IMPORTABLE_KEY_SPECS:
        return WrappingRefusal.NOT_IMPORTABLE
    if key_spec not in _SM2PKE_KEY_SPECS:
        return WrappingRefusal.NOT_FOR_MATERIAL
    return None
