"""Allowed combinations of key material, wrapping algorithm and wrapping key spec (spec §2)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kmsimport_mock.crypto.allowed_wrapping import (
    WrappingRefusal,
    max_oaep_plaintext,
    wrapping_combination_problem,
)
from kmsimport_mock.crypto.material import EC_CURVES, KEY_SPECS

OAEP = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
AES_KEY_WRAP = ["RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"]
RSA_WRAPPING_KEYS = ["RSA_2048", "RSA_3072", "RSA_4096"]
SECRET_SPECS = ["SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"]
RSA_SPECS = ["RSA_2048", "RSA_3072", "RSA_4096"]
SMALL_EC_SPECS = ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_SECG_P256K1"]
NOT_IMPORTABLE = ["ECC_NIST_EDWARDS25519", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87"]
HASH_OF = {
    "RSAES_OAEP_SHA_1": "sha1",
    "RSAES_OAEP_SHA_256": "sha256",
}
BITS_OF = {"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}


def cases(
    key_specs: list[str], algorithms: list[str], wrapping_key_specs: list[str]
) -> list[tuple[str, str, str]]:
    return [(k, a, w) for k in key_specs for a in algorithms for w in wrapping_key_specs]


# --- the matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"), cases(SECRET_SPECS, OAEP, RSA_WRAPPING_KEYS)
)
def test_secret_material_may_use_oaep_with_any_wrapping_key(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    assert wrapping_combination_problem(key_spec, algorithm, wrapping_key) is None


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"), cases(SECRET_SPECS, AES_KEY_WRAP, RSA_WRAPPING_KEYS)
)
def test_secret_material_is_refused_rsa_aes_key_wrap_as_aws_does_not_list_it(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    problem = wrapping_combination_problem(key_spec, algorithm, wrapping_key)
    assert problem is WrappingRefusal.NOT_FOR_MATERIAL


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"), cases(RSA_SPECS, AES_KEY_WRAP, RSA_WRAPPING_KEYS)
)
def test_rsa_material_may_use_rsa_aes_key_wrap(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    assert wrapping_combination_problem(key_spec, algorithm, wrapping_key) is None


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"), cases(RSA_SPECS, OAEP, RSA_WRAPPING_KEYS)
)
def test_rsa_material_is_refused_direct_oaep(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    problem = wrapping_combination_problem(key_spec, algorithm, wrapping_key)
    assert problem is WrappingRefusal.NEEDS_AES_KEY_WRAP


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"),
    cases(SMALL_EC_SPECS, OAEP + AES_KEY_WRAP, RSA_WRAPPING_KEYS),
)
def test_small_ec_material_may_use_every_rsa_wrapping(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    assert wrapping_combination_problem(key_spec, algorithm, wrapping_key) is None


@pytest.mark.parametrize("algorithm", OAEP)
def test_p521_material_is_refused_oaep_with_an_rsa_2048_wrapping_key(algorithm: str) -> None:
    problem = wrapping_combination_problem("ECC_NIST_P521", algorithm, "RSA_2048")
    assert problem is WrappingRefusal.TOO_LARGE_FOR_WRAPPING_KEY


@pytest.mark.parametrize(
    ("algorithm", "wrapping_key"),
    [(a, w) for a in OAEP for w in ("RSA_3072", "RSA_4096")]
    + [(a, w) for a in AES_KEY_WRAP for w in RSA_WRAPPING_KEYS],
)
def test_p521_material_may_use_any_other_rsa_wrapping(algorithm: str, wrapping_key: str) -> None:
    assert wrapping_combination_problem("ECC_NIST_P521", algorithm, wrapping_key) is None


@pytest.mark.parametrize(
    ("algorithm", "wrapping_key"), [(a, w) for a in OAEP for w in RSA_WRAPPING_KEYS]
)
def test_sm2_material_may_use_oaep(algorithm: str, wrapping_key: str) -> None:
    assert wrapping_combination_problem("SM2", algorithm, wrapping_key) is None


@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_sm2_material_is_refused_rsa_aes_key_wrap_which_china_does_not_offer(
    algorithm: str,
) -> None:
    problem = wrapping_combination_problem("SM2", algorithm, "RSA_4096")
    assert problem is WrappingRefusal.NOT_FOR_MATERIAL


@pytest.mark.parametrize("key_spec", sorted(KEY_SPECS))
def test_rsaes_pkcs1_v1_5_is_refused_for_every_key_spec(key_spec: str) -> None:
    problem = wrapping_combination_problem(key_spec, "RSAES_PKCS1_V1_5", "RSA_2048")
    assert problem is WrappingRefusal.DEPRECATED_ALGORITHM


@pytest.mark.parametrize(
    ("key_spec", "algorithm"), [(k, a) for k in NOT_IMPORTABLE for a in OAEP + AES_KEY_WRAP]
)
def test_key_specs_without_import_are_refused(key_spec: str, algorithm: str) -> None:
    problem = wrapping_combination_problem(key_spec, algorithm, "RSA_4096")
    assert problem is WrappingRefusal.NOT_IMPORTABLE


def test_every_non_china_combination_gets_a_verdict() -> None:
    for key_spec, algorithm, wrapping_key in cases(
        sorted(KEY_SPECS), [*OAEP, *AES_KEY_WRAP, "RSAES_PKCS1_V1_5"], RSA_WRAPPING_KEYS
    ):
        problem = wrapping_combination_problem(key_spec, algorithm, wrapping_key)
        assert problem is None or isinstance(problem, WrappingRefusal)


# --- what the caller must handle ------------------------------------------------------------


@pytest.mark.parametrize(
    ("algorithm", "wrapping_key"),
    [("SM2PKE", "RSA_2048"), ("RSAES_OAEP_SHA_256", "SM2"), ("SM2PKE", "SM2")],
)
def test_china_only_wrapping_names_are_left_to_the_caller(
    algorithm: str, wrapping_key: str
) -> None:
    with pytest.raises(ValueError, match="SM2"):
        wrapping_combination_problem("ECC_NIST_P256", algorithm, wrapping_key)


@pytest.mark.parametrize(
    ("key_spec", "algorithm", "wrapping_key"),
    [
        ("AES_256", "RSAES_OAEP_SHA_256", "RSA_2048"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_512", "RSA_2048"),
        ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256", "RSA_1024"),
        ("symmetric_default", "RSAES_OAEP_SHA_256", "RSA_2048"),
    ],
)
def test_names_outside_the_enums_raise_value_error(
    key_spec: str, algorithm: str, wrapping_key: str
) -> None:
    with pytest.raises(ValueError, match="unknown"):
        wrapping_combination_problem(key_spec, algorithm, wrapping_key)


# --- OAEP capacity --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modulus_bits", "hash_name", "expected"),
    [
        (2048, "sha1", 214),
        (2048, "sha256", 190),
        (3072, "sha1", 342),
        (3072, "sha256", 318),
        (4096, "sha1", 470),
        (4096, "sha256", 446),
    ],
)
def test_max_oaep_plaintext_matches_the_spec_table(
    modulus_bits: int, hash_name: str, expected: int
) -> None:
    assert max_oaep_plaintext(modulus_bits, hash_name) == expected


@pytest.mark.parametrize("hash_name", ["sha256", "SHA256", "SHA_256", "SHA-256"])
def test_max_oaep_plaintext_accepts_common_hash_spellings(hash_name: str) -> None:
    assert max_oaep_plaintext(2048, hash_name) == 190


def test_max_oaep_plaintext_counts_a_partial_byte_of_modulus() -> None:
    assert max_oaep_plaintext(2047, "sha1") == max_oaep_plaintext(2048, "sha1")


@pytest.mark.parametrize("hash_name", ["sha512", "md5", ""])
def test_max_oaep_plaintext_refuses_other_hashes(hash_name: str) -> None:
    with pytest.raises(ValueError, match="OAEP hash"):
        max_oaep_plaintext(2048, hash_name)


@pytest.mark.parametrize("modulus_bits", [0, -8, 512])
def test_max_oaep_plaintext_refuses_moduli_that_cannot_do_oaep(modulus_bits: int) -> None:
    # 512 bits is 64 bytes, less than the 2·32 + 2 that OAEP-SHA-256 needs.
    with pytest.raises(ValueError):
        max_oaep_plaintext(modulus_bits, "sha256")


# --- the matrix agrees with the arithmetic behind it ----------------------------------------


def _pkcs8(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="module")
def largest_typical_material(rsa_key_2048: rsa.RSAPrivateKey) -> dict[str, int]:
    """Length of typical material per key spec (the longest allowed, for HMAC)."""
    sizes = {"SYMMETRIC_DEFAULT": 32, **dict.fromkeys(SECRET_SPECS[1:], 128)}
    # The smallest RSA private key is the one that would fit best.
    sizes["RSA_2048"] = sizes["RSA_3072"] = sizes["RSA_4096"] = len(_pkcs8(rsa_key_2048))
    for spec, curve in EC_CURVES.items():
        sizes[spec] = len(_pkcs8(ec.generate_private_key(curve())))
    return sizes


@pytest.mark.parametrize(
    ("algorithm", "wrapping_key"), [(a, w) for a in OAEP for w in RSA_WRAPPING_KEYS]
)
def test_oaep_verdicts_follow_from_what_oaep_can_carry(
    algorithm: str, wrapping_key: str, largest_typical_material: dict[str, int]
) -> None:
    capacity = max_oaep_plaintext(BITS_OF[wrapping_key], HASH_OF[algorithm])
    for key_spec, length in largest_typical_material.items():
        allowed = wrapping_combination_problem(key_spec, algorithm, wrapping_key) is None
        assert allowed == (length <= capacity), (key_spec, length, capacity)
