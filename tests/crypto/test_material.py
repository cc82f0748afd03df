"""Key material checks against KMS KeySpecs (spec §1)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from kms_testing import (
    OID_RSA_ENCRYPTION,
    der,
    der_int,
    der_seq,
    three_prime_rsa_2048_pkcs8,
)

from kmsimport_mock.crypto.material import (
    EC_CURVES,
    HMAC_MATERIAL_LENGTHS,
    KEY_SPECS,
    RSA_MODULUS_BITS,
    IncorrectMaterial,
    check_key_material,
    public_key_der,
    same_key_material,
)

RunOpenssl = Callable[..., bytes]

RSA_SPECS = sorted(RSA_MODULUS_BITS)
EC_SPECS = sorted(EC_CURVES)
ASYMMETRIC_SPECS = RSA_SPECS + EC_SPECS
SECRET_SPECS = ["SYMMETRIC_DEFAULT", *sorted(HMAC_MATERIAL_LENGTHS)]

# Curve names as AWS's OpenSSL commands spell them, and as `openssl ecparam -name` does.
OPENSSL_GENPKEY_CURVES = {
    "ECC_NIST_P256": "P-256",
    "ECC_NIST_P384": "P-384",
    "ECC_NIST_P521": "P-521",
    "ECC_SECG_P256K1": "secp256k1",
}
OPENSSL_ECPARAM_CURVES = {
    "ECC_NIST_P256": "prime256v1",
    "ECC_NIST_P384": "secp384r1",
    "ECC_NIST_P521": "secp521r1",
    "ECC_SECG_P256K1": "secp256k1",
}

OID_EC_PUBLIC_KEY = bytes.fromhex("2a8648ce3d0201")
OID_PRIME256V1 = bytes.fromhex("2a8648ce3d030107")


# --- a tiny DER toolkit, enough to build the odd encodings below --------------------------


def der_read(data: bytes) -> tuple[int, bytes, bytes]:
    """(tag, contents, rest) of the first DER element in ``data``."""
    tag, first = data[0], data[1]
    if first < 0x80:
        start, length = 2, first
    else:
        size = first & 0x7F
        start, length = 2 + size, int.from_bytes(data[2 : 2 + size], "big")
    return tag, data[start : start + length], data[start + length :]


def der_content(element: bytes) -> bytes:
    return der_read(element)[1]


def der_children(element: bytes) -> list[bytes]:
    """The encoded elements inside one constructed element."""
    body = der_content(element)
    children = []
    while body:
        rest = der_read(body)[2]
        children.append(body[: len(body) - len(rest)])
        body = rest
    return children


# --- material builders --------------------------------------------------------------------


def pkcs8(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def traditional(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _compressed_point_pkcs8(key: ec.EllipticCurvePrivateKey, openssl: RunOpenssl) -> bytes:
    compressed = openssl("ec", "-conv_form", "compressed", stdin=_traditional_pem(key))
    return openssl("pkcs8", "-topk8", "-nocrypt", "-outform", "der", stdin=compressed)


def _traditional_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _without_public_key(material: bytes) -> bytes:
    version, algorithm, private_key = der_children(material)
    ec_version, scalar, *_ = der_children(der_content(private_key))
    return der_seq(version, algorithm, der(0x04, der_seq(ec_version, scalar)))


@pytest.fixture(scope="module")
def rsa_material(rsa_keys: dict[int, rsa.RSAPrivateKey]) -> dict[str, bytes]:
    return {spec: pkcs8(rsa_keys[bits]) for spec, bits in RSA_MODULUS_BITS.items()}


@pytest.fixture(scope="module")
def ec_keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    return {spec: ec.generate_private_key(curve()) for spec, curve in EC_CURVES.items()}


@pytest.fixture(scope="module")
def ec_material(ec_keys: dict[str, ec.EllipticCurvePrivateKey]) -> dict[str, bytes]:
    return {spec: pkcs8(key) for spec, key in ec_keys.items()}


@pytest.fixture(scope="module")
def asymmetric_material(
    rsa_material: dict[str, bytes], ec_material: dict[str, bytes]
) -> dict[str, bytes]:
    return {**rsa_material, **ec_material}


@pytest.fixture(scope="module")
def three_prime_material() -> bytes:
    return three_prime_rsa_2048_pkcs8()


# --- SYMMETRIC_DEFAULT ----------------------------------------------------------------------


def test_symmetric_default_accepts_32_bytes() -> None:
    check_key_material("SYMMETRIC_DEFAULT", bytes(range(32)))


@pytest.mark.parametrize("length", [0, 1, 16, 31, 33, 64])
def test_symmetric_default_refuses_other_lengths(length: int) -> None:
    with pytest.raises(IncorrectMaterial, match="exactly 32 bytes"):
        check_key_material("SYMMETRIC_DEFAULT", b"k" * length)


def test_symmetric_default_in_china_accepts_16_byte_sm4_key() -> None:
    check_key_material("SYMMETRIC_DEFAULT", bytes(16), china=True)


@pytest.mark.parametrize("length", [15, 17, 32])
def test_symmetric_default_in_china_refuses_other_lengths(length: int) -> None:
    with pytest.raises(IncorrectMaterial, match="exactly 16 bytes"):
        check_key_material("SYMMETRIC_DEFAULT", bytes(length), china=True)


def test_refusal_message_does_not_quote_the_material() -> None:
    material = bytes.fromhex("deadbeef") * 4
    with pytest.raises(IncorrectMaterial) as caught:
        check_key_material("SYMMETRIC_DEFAULT", material)
    message = str(caught.value).lower()
    assert "deadbeef" not in message
    assert repr(material) not in message


# --- HMAC -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_spec", "length"),
    [(spec, n) for spec, bounds in sorted(HMAC_MATERIAL_LENGTHS.items()) for n in bounds],
)
def test_hmac_accepts_lengths_at_both_ends_of_its_range(key_spec: str, length: int) -> None:
    check_key_material(key_spec, bytes(length))


@pytest.mark.parametrize(
    ("key_spec", "length"),
    [
        (spec, n)
        for spec, (low, high) in sorted(HMAC_MATERIAL_LENGTHS.items())
        for n in (low - 1, high + 1, 0)
    ],
)
def test_hmac_refuses_lengths_just_outside_its_range(key_spec: str, length: int) -> None:
    with pytest.raises(IncorrectMaterial, match=key_spec):
        check_key_material(key_spec, bytes(length))


def test_hmac_range_follows_the_requirements_page() -> None:
    assert HMAC_MATERIAL_LENGTHS == {
        "HMAC_224": (28, 128),
        "HMAC_256": (32, 128),
        "HMAC_384": (48, 128),
        "HMAC_512": (64, 128),
    }


# --- RSA ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_spec", RSA_SPECS)
def test_rsa_accepts_pkcs8_der_of_the_right_size(
    key_spec: str, rsa_material: dict[str, bytes]
) -> None:
    check_key_material(key_spec, rsa_material[key_spec])


def test_rsa_accepts_material_made_with_the_documented_openssl_command(
    openssl: RunOpenssl,
) -> None:
    pem = openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048")
    material = openssl("pkcs8", "-topk8", "-outform", "der", "-nocrypt", stdin=pem)
    check_key_material("RSA_2048", material)


@pytest.mark.parametrize(
    ("key_spec", "material_spec"),
    [("RSA_2048", "RSA_3072"), ("RSA_3072", "RSA_4096"), ("RSA_4096", "RSA_2048")],
)
def test_rsa_refuses_a_key_of_another_modulus_size(
    key_spec: str, material_spec: str, rsa_material: dict[str, bytes]
) -> None:
    with pytest.raises(IncorrectMaterial, match="modulus"):
        check_key_material(key_spec, rsa_material[material_spec])


@pytest.mark.parametrize("key_spec", RSA_SPECS)
def test_rsa_refuses_an_ec_key(key_spec: str, ec_material: dict[str, bytes]) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(key_spec, ec_material["ECC_NIST_P256"])


def test_hand_built_three_prime_key_is_valid_for_openssl(
    three_prime_material: bytes, openssl: RunOpenssl
) -> None:
    # Guards the next test: the refusal must come from the third prime, not a broken key.
    assert b"Key is valid" in openssl(
        "pkey", "-inform", "DER", "-check", "-noout", stdin=three_prime_material
    )
    text = openssl("pkey", "-inform", "DER", "-text", "-noout", stdin=three_prime_material)
    assert b"(2048 bit, 3 primes)" in text


def test_rsa_refuses_a_hand_built_multi_prime_key(three_prime_material: bytes) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material("RSA_2048", three_prime_material)


def test_rsa_refuses_an_openssl_multi_prime_key(openssl: RunOpenssl) -> None:
    pem = openssl(
        "genpkey",
        "-algorithm",
        "rsa",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-pkeyopt",
        "rsa_keygen_primes:3",
    )
    material = openssl("pkcs8", "-topk8", "-outform", "der", "-nocrypt", stdin=pem)
    with pytest.raises(IncorrectMaterial):
        check_key_material("RSA_2048", material)


def test_rsa_refuses_an_rsassa_pss_key(openssl: RunOpenssl) -> None:
    # cryptography would load it as an ordinary RSA key; we require rsaEncryption.
    pem = openssl("genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048")
    material = openssl("pkcs8", "-topk8", "-outform", "der", "-nocrypt", stdin=pem)
    with pytest.raises(IncorrectMaterial, match="rsaEncryption"):
        check_key_material("RSA_2048", material)


def test_rsa_accepts_pkcs8_without_the_null_algorithm_parameters(
    rsa_material: dict[str, bytes],
) -> None:
    version, _, private_key = der_children(rsa_material["RSA_2048"])
    material = der_seq(version, der_seq(der(0x06, OID_RSA_ENCRYPTION)), private_key)
    check_key_material("RSA_2048", material)


@pytest.mark.parametrize("key_spec", RSA_SPECS)
def test_rsa_refuses_pkcs1_traditional_encoding(
    key_spec: str, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    with pytest.raises(IncorrectMaterial, match="PKCS#1"):
        check_key_material(key_spec, traditional(rsa_keys[RSA_MODULUS_BITS[key_spec]]))


# --- EC -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_accepts_pkcs8_der_on_its_curve(key_spec: str, ec_material: dict[str, bytes]) -> None:
    check_key_material(key_spec, ec_material[key_spec])


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_accepts_material_made_with_the_documented_openssl_command(
    key_spec: str, openssl: RunOpenssl
) -> None:
    curve = OPENSSL_GENPKEY_CURVES[key_spec]
    pem = openssl("genpkey", "-algorithm", "ec", "-pkeyopt", f"ec_paramgen_curve:{curve}")
    material = openssl("pkcs8", "-topk8", "-outform", "der", "-nocrypt", stdin=pem)
    check_key_material(key_spec, material)


@pytest.mark.parametrize(
    ("key_spec", "material_spec"),
    [(spec, other) for spec in EC_SPECS for other in EC_SPECS if other != spec],
)
def test_ec_refuses_a_key_on_another_curve(
    key_spec: str, material_spec: str, ec_material: dict[str, bytes]
) -> None:
    with pytest.raises(IncorrectMaterial, match="curve"):
        check_key_material(key_spec, ec_material[material_spec])


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_refuses_an_rsa_key(key_spec: str, rsa_material: dict[str, bytes]) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(key_spec, rsa_material["RSA_2048"])


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_refuses_explicit_curve_parameters(key_spec: str, openssl: RunOpenssl) -> None:
    curve = OPENSSL_ECPARAM_CURVES[key_spec]
    pem = openssl("ecparam", "-name", curve, "-param_enc", "explicit", "-genkey")
    material = openssl("pkcs8", "-topk8", "-nocrypt", "-outform", "der", stdin=pem)
    with pytest.raises(IncorrectMaterial, match="explicit"):
        check_key_material(key_spec, material)


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_accepts_a_compressed_public_point(
    key_spec: str, ec_keys: dict[str, ec.EllipticCurvePrivateKey], openssl: RunOpenssl
) -> None:
    material = _compressed_point_pkcs8(ec_keys[key_spec], openssl)
    check_key_material(key_spec, material)


def test_ec_accepts_pkcs8_without_the_optional_public_key(ec_material: dict[str, bytes]) -> None:
    check_key_material("ECC_NIST_P256", _without_public_key(ec_material["ECC_NIST_P256"]))


def test_ec_refuses_a_public_key_that_does_not_match_the_private_key(
    ec_material: dict[str, bytes],
) -> None:
    version, algorithm, private_key = der_children(ec_material["ECC_NIST_P256"])
    ec_version, scalar, _ = der_children(der_content(private_key))
    stranger = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = stranger.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    inner = der_seq(ec_version, scalar, der(0xA1, der(0x03, b"\x00" + point)))
    with pytest.raises(IncorrectMaterial):
        check_key_material("ECC_NIST_P256", der_seq(version, algorithm, der(0x04, inner)))


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_ec_refuses_sec1_traditional_encoding(
    key_spec: str, ec_keys: dict[str, ec.EllipticCurvePrivateKey]
) -> None:
    with pytest.raises(IncorrectMaterial, match="SEC1"):
        check_key_material(key_spec, traditional(ec_keys[key_spec]))


# --- encodings refused for every asymmetric spec --------------------------------------------


@pytest.mark.parametrize("key_spec", ASYMMETRIC_SPECS)
def test_asymmetric_refuses_pem(key_spec: str, asymmetric_material: dict[str, bytes]) -> None:
    key = serialization.load_der_private_key(asymmetric_material[key_spec], password=None)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(IncorrectMaterial, match="PEM"):
        check_key_material(key_spec, pem)


@pytest.mark.parametrize("key_spec", ["RSA_2048", *EC_SPECS])
def test_asymmetric_refuses_encrypted_pkcs8(
    key_spec: str, asymmetric_material: dict[str, bytes]
) -> None:
    key = serialization.load_der_private_key(asymmetric_material[key_spec], password=None)
    encrypted = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse"),
    )
    with pytest.raises(IncorrectMaterial, match="encrypted"):
        check_key_material(key_spec, encrypted)


@pytest.mark.parametrize("key_spec", ASYMMETRIC_SPECS)
@pytest.mark.parametrize("cut", [1, 2, 40])
def test_asymmetric_refuses_truncated_der(
    key_spec: str, cut: int, asymmetric_material: dict[str, bytes]
) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(key_spec, asymmetric_material[key_spec][:-cut])


@pytest.mark.parametrize("key_spec", ASYMMETRIC_SPECS)
@pytest.mark.parametrize("extra", [b"\x00", b"\x00\x00", b"\x05\x00"])
def test_asymmetric_refuses_trailing_bytes(
    key_spec: str, extra: bytes, asymmetric_material: dict[str, bytes]
) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(key_spec, asymmetric_material[key_spec] + extra)


@pytest.mark.parametrize("key_spec", sorted(KEY_SPECS))
def test_every_key_spec_refuses_empty_material(key_spec: str) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(key_spec, b"")


def _ber_long_length(element: bytes) -> bytes:
    """The element with its length in the long form (valid BER, invalid DER)."""
    tag, body = element[0], der_content(element)
    return bytes([tag, 0x84]) + len(body).to_bytes(4, "big") + body


def _ber_indefinite_length(element: bytes) -> bytes:
    return bytes([element[0], 0x80]) + der_content(element) + b"\x00\x00"


@pytest.mark.parametrize("encode", [_ber_long_length, _ber_indefinite_length])
@pytest.mark.parametrize("key_spec", ["ECC_NIST_P256", "RSA_2048"])
def test_ber_encoded_pkcs8_is_accepted_as_aws_does(
    key_spec: str, encode: Callable[[bytes], bytes], asymmetric_material: dict[str, bytes]
) -> None:
    der = asymmetric_material[key_spec]
    ber = encode(der)
    check_key_material(key_spec, ber)
    assert same_key_material(key_spec, ber, der)


def test_ber_inside_the_private_key_octet_string_is_accepted(
    ec_material: dict[str, bytes],
) -> None:
    version, algorithm, private_key = der_children(ec_material["ECC_NIST_P256"])
    inner = _ber_long_length(der_content(private_key))
    ber = der_seq(version, algorithm, der(0x04, inner))
    check_key_material("ECC_NIST_P256", ber)
    assert same_key_material("ECC_NIST_P256", ber, ec_material["ECC_NIST_P256"])


def test_ber_encoded_traditional_key_is_still_refused(
    rsa_keys: dict[int, rsa.RSAPrivateKey],
) -> None:
    with pytest.raises(IncorrectMaterial, match="PKCS#8"):
        check_key_material("RSA_2048", _ber_long_length(traditional(rsa_keys[2048])))


def test_ber_with_trailing_bytes_is_refused(ec_material: dict[str, bytes]) -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material(
            "ECC_NIST_P256", _ber_long_length(ec_material["ECC_NIST_P256"]) + b"\x00"
        )


# --- SM2 and key specs that cannot be imported ----------------------------------------------


def test_sm2_is_refused_outside_china(ec_material: dict[str, bytes]) -> None:
    with pytest.raises(IncorrectMaterial, match="China"):
        check_key_material("SM2", ec_material["ECC_NIST_P256"])


def test_sm2_in_china_refuses_bytes_that_are_not_pkcs8() -> None:
    with pytest.raises(IncorrectMaterial, match="PKCS#8"):
        check_key_material("SM2", b"\x30\x00", china=True)


@pytest.mark.parametrize("key_spec", ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87"])
def test_ml_dsa_material_is_refused(key_spec: str) -> None:
    with pytest.raises(IncorrectMaterial, match="cannot be imported"):
        check_key_material(key_spec, bytes(32))


def test_ed25519_material_is_refused() -> None:
    material = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(IncorrectMaterial, match="cannot be imported"):
        check_key_material("ECC_NIST_EDWARDS25519", material)


def test_unknown_key_spec_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unknown KeySpec"):
        check_key_material("AES_256", bytes(32))


# --- public_key_der -------------------------------------------------------------------------


@pytest.mark.parametrize("key_spec", ASYMMETRIC_SPECS)
def test_public_key_der_is_the_subject_public_key_info_of_the_material(
    key_spec: str, asymmetric_material: dict[str, bytes]
) -> None:
    key = serialization.load_der_private_key(asymmetric_material[key_spec], password=None)
    expected = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert public_key_der(key_spec, asymmetric_material[key_spec]) == expected


@pytest.mark.parametrize("key_spec", SECRET_SPECS)
def test_public_key_der_is_none_for_secret_key_specs(key_spec: str) -> None:
    assert public_key_der(key_spec, bytes(64)) is None


def test_public_key_der_refuses_unknown_key_spec() -> None:
    with pytest.raises(ValueError, match="unknown KeySpec"):
        public_key_der("AES_256", bytes(32))


@pytest.mark.parametrize("key_spec", ["ECC_NIST_EDWARDS25519", "ML_DSA_44"])
def test_public_key_der_raises_value_error_for_specs_it_cannot_load(key_spec: str) -> None:
    with pytest.raises(ValueError, match=f"cannot load {key_spec}"):
        public_key_der(key_spec, b"\x30\x00")


# --- same_key_material ----------------------------------------------------------------------


@pytest.mark.parametrize("key_spec", ASYMMETRIC_SPECS)
def test_same_key_material_is_true_for_identical_asymmetric_bytes(
    key_spec: str, asymmetric_material: dict[str, bytes]
) -> None:
    material = asymmetric_material[key_spec]
    assert same_key_material(key_spec, material, bytes(material))


@pytest.mark.parametrize("key_spec", ["RSA_2048", *EC_SPECS])
def test_same_key_material_is_false_for_another_key(
    key_spec: str, asymmetric_material: dict[str, bytes]
) -> None:
    if key_spec in RSA_MODULUS_BITS:
        other = pkcs8(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    else:
        other = pkcs8(ec.generate_private_key(EC_CURVES[key_spec]()))
    assert not same_key_material(key_spec, asymmetric_material[key_spec], other)


@pytest.mark.parametrize("key_spec", EC_SPECS)
def test_same_key_material_ignores_point_compression(
    key_spec: str,
    ec_keys: dict[str, ec.EllipticCurvePrivateKey],
    ec_material: dict[str, bytes],
    openssl: RunOpenssl,
) -> None:
    compressed = _compressed_point_pkcs8(ec_keys[key_spec], openssl)
    assert compressed != ec_material[key_spec]
    assert same_key_material(key_spec, ec_material[key_spec], compressed)


def test_same_key_material_ignores_the_optional_ec_public_key(
    ec_material: dict[str, bytes],
) -> None:
    material = ec_material["ECC_NIST_P384"]
    assert same_key_material("ECC_NIST_P384", material, _without_public_key(material))


def test_same_key_material_ignores_pkcs8_attributes(ec_material: dict[str, bytes]) -> None:
    material = ec_material["ECC_NIST_P256"]
    with_attributes = der_seq(*der_children(material), der(0xA0, b""))
    assert same_key_material("ECC_NIST_P256", material, with_attributes)


def test_same_key_material_ignores_how_the_rsa_private_exponent_was_reduced(
    rsa_keys: dict[int, rsa.RSAPrivateKey], rsa_material: dict[str, bytes]
) -> None:
    numbers = rsa_keys[2048].private_numbers()
    p, q = numbers.p, numbers.q
    # Tools reduce d modulo lambda(n) (OpenSSL), modulo phi(n), or not at all: any d that is
    # congruent modulo lambda(n) decrypts alike. Adding lambda(n) always gives a different one.
    other_d = numbers.d + math.lcm(p - 1, q - 1)
    alternative = rsa.RSAPrivateNumbers(
        p, q, other_d, numbers.dmp1, numbers.dmq1, numbers.iqmp, numbers.public_numbers
    ).private_key()
    assert pkcs8(alternative) != rsa_material["RSA_2048"]
    assert same_key_material("RSA_2048", rsa_material["RSA_2048"], pkcs8(alternative))


@pytest.mark.parametrize("key_spec", SECRET_SPECS)
def test_same_key_material_compares_secret_material_bytewise(key_spec: str) -> None:
    material = bytes(range(64))
    assert same_key_material(key_spec, material, bytes(material))
    assert not same_key_material(key_spec, material, material[:-1] + b"\xff")


@pytest.mark.parametrize("key_spec", ["ECC_NIST_EDWARDS25519", "ML_DSA_44"])
def test_same_key_material_raises_value_error_for_specs_it_cannot_load(key_spec: str) -> None:
    with pytest.raises(ValueError, match=f"cannot load {key_spec}"):
        same_key_material(key_spec, b"\x30\x00", b"\x30\x00")


def test_same_key_material_refuses_unknown_key_spec() -> None:
    with pytest.raises(ValueError, match="unknown KeySpec"):
        same_key_material("AES_256", bytes(32), bytes(32))


# --- robustness -----------------------------------------------------------------------------

_NAMED_CURVE_PARAMS = [der(0x06, OID_PRIME256V1), der(0x06, bytes.fromhex("2b81040022"))]


@st.composite
def pkcs8_shaped(draw: st.DrawFn) -> bytes:
    """PrivateKeyInfo shells around random contents, to get past the outer shape check."""
    oid = der(0x06, draw(st.sampled_from([OID_RSA_ENCRYPTION, OID_EC_PUBLIC_KEY])))
    params = draw(st.sampled_from([b"", der(0x05, b""), *_NAMED_CURVE_PARAMS]))
    inner = draw(st.binary(max_size=200))
    if draw(st.booleans()):
        inner = der_seq(der_int(draw(st.integers(0, 2))), inner)
    return der_seq(der_int(0), der_seq(oid, params), der(0x04, inner))


@settings(max_examples=50, deadline=None)
@given(
    key_spec=st.sampled_from(sorted(KEY_SPECS)),
    material=st.binary(max_size=300),
    china=st.booleans(),
)
def test_random_bytes_raise_nothing_but_incorrect_material(
    key_spec: str, material: bytes, china: bool
) -> None:
    with contextlib.suppress(IncorrectMaterial):
        check_key_material(key_spec, material, china=china)


@settings(max_examples=50, deadline=None)
@given(key_spec=st.sampled_from(ASYMMETRIC_SPECS), material=pkcs8_shaped())
def test_random_pkcs8_shaped_bytes_raise_nothing_but_incorrect_material(
    key_spec: str, material: bytes
) -> None:
    with contextlib.suppress(IncorrectMaterial):
        check_key_material(key_spec, material)
