"""SM2 (China Regions): wrapping keys, SM2PKE ciphertext in AWS's ASN.1 format, SM2 PKCS#8
material, cross-checked against OpenSSL, which AWS names as producing the accepted format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kmsimport_mock.crypto import sm2
from kmsimport_mock.crypto.material import IncorrectMaterial, check_key_material

ORDER = sm2.SM2_CURVE_ORDER
RunOpenssl = Callable[..., bytes]


def der(tag: int, content: bytes) -> bytes:
    if len(content) < 0x80:
        return bytes([tag, len(content)]) + content
    size = (len(content).bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + len(content).to_bytes(size, "big") + content


def pkcs8(
    private_value: int,
    *,
    version: bytes = b"\x01",
    curve_oid: bytes = bytes.fromhex("2a811ccf5501822d"),
    extra: bytes = b"",
) -> bytes:
    ec_key = der(0x02, version) + der(0x04, private_value.to_bytes(32, "big")) + extra
    algorithm = der(0x30, der(0x06, bytes.fromhex("2a8648ce3d0201")) + der(0x06, curve_oid))
    return der(0x30, der(0x02, b"\x00") + algorithm + der(0x04, der(0x30, ec_key)))


@pytest.fixture(scope="module")
def wrapping_key() -> sm2.Sm2WrappingKey:
    return sm2.generate_wrapping_key()


# --- SM2PKE ------------------------------------------------------------------------------


def test_sm2pke_round_trip(wrapping_key: sm2.Sm2WrappingKey) -> None:
    blob = sm2.sm2pke_encrypt(wrapping_key.public_key_der, b"sixteen byte key")
    assert sm2.sm2pke_decrypt(wrapping_key.private_value, blob) == b"sixteen byte key"


def test_sm2pke_output_is_the_asn1_sm2cipher(wrapping_key: sm2.Sm2WrappingKey) -> None:
    blob = sm2.sm2pke_encrypt(wrapping_key.public_key_der, bytes(16))
    assert blob[0] == 0x30
    assert b"\x04\x20" in blob  # the 32-byte SM3 hash, an OCTET STRING


def test_openssl_sm2_ciphertext_decrypts(
    wrapping_key: sm2.Sm2WrappingKey, openssl: RunOpenssl, tmp_path: Path
) -> None:
    public_key = tmp_path / "wrapping.der"
    public_key.write_bytes(wrapping_key.public_key_der)
    blob = openssl(
        "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", str(public_key),
        stdin=b"0123456789abcdef",
    )  # fmt: skip
    assert sm2.sm2pke_decrypt(wrapping_key.private_value, blob) == b"0123456789abcdef"


def test_openssl_decrypts_our_sm2pke(openssl: RunOpenssl, tmp_path: Path) -> None:
    private_key = tmp_path / "sm2.der"
    private_key.write_bytes(sm2.generate_sm2_private_key())
    public_der = openssl(
        "pkey", "-inform", "DER", "-in", str(private_key), "-pubout", "-outform", "DER"
    )
    blob = sm2.sm2pke_encrypt(public_der, b"material")
    plain = openssl(
        "pkeyutl", "-decrypt", "-keyform", "DER", "-inkey", str(private_key), stdin=blob
    )
    assert plain == b"material"


def test_our_spki_is_what_openssl_writes(openssl: RunOpenssl, tmp_path: Path) -> None:
    material = sm2.generate_sm2_private_key()
    private_key = tmp_path / "sm2.der"
    private_key.write_bytes(material)
    public_der = openssl(
        "pkey", "-inform", "DER", "-in", str(private_key), "-pubout", "-outform", "DER"
    )
    private_value = sm2.sm2_key_identity(material).to_bytes(32, "big")
    assert sm2.sm2_public_key_der(private_value) == public_der


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b[:-1],  # truncated
        lambda b: b + b"\x00",  # trailing byte
        lambda b: b"\x31" + b[1:],  # a SET, not a SEQUENCE
        lambda b: b[:2] + b"\x04" + b[3:],  # x as an OCTET STRING
        lambda b: b"",
    ],
)
def test_malformed_sm2pke_ciphertext_is_an_unwrap_error(
    wrapping_key: sm2.Sm2WrappingKey, mangle: object
) -> None:
    blob = sm2.sm2pke_encrypt(wrapping_key.public_key_der, bytes(16))
    with pytest.raises(sm2.UnwrapError):
        sm2.sm2pke_decrypt(wrapping_key.private_value, mangle(blob))  # type: ignore[operator]


def test_point_off_the_curve_is_an_unwrap_error(wrapping_key: sm2.Sm2WrappingKey) -> None:
    fake = der(
        0x30,
        der(0x02, b"\x01") + der(0x02, b"\x02") + der(0x04, bytes(32)) + der(0x04, bytes(16)),
    )
    with pytest.raises(sm2.UnwrapError):
        sm2.sm2pke_decrypt(wrapping_key.private_value, fake)


def test_negative_coordinate_is_an_unwrap_error(wrapping_key: sm2.Sm2WrappingKey) -> None:
    fake = der(
        0x30,
        der(0x02, b"\x80" + bytes(31))
        + der(0x02, b"\x02")
        + der(0x04, bytes(32))
        + der(0x04, b"x"),
    )
    with pytest.raises(sm2.UnwrapError):
        sm2.sm2pke_decrypt(wrapping_key.private_value, fake)


def test_encrypt_refuses_a_public_key_that_is_not_sm2() -> None:
    with pytest.raises(ValueError, match="SM2 key"):
        sm2.sm2pke_encrypt(b"\x30\x00", b"x")


# --- SM2 key material ------------------------------------------------------------------


def test_openssl_sm2_private_key_is_accepted(openssl: RunOpenssl) -> None:
    pem = openssl("genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:sm2")
    material = openssl("pkcs8", "-topk8", "-outform", "der", "-nocrypt", stdin=pem)
    check_key_material("SM2", material, china=True)


def test_generated_sm2_private_key_is_accepted() -> None:
    check_key_material("SM2", sm2.generate_sm2_private_key(), china=True)


def test_sm2_private_key_without_public_key_is_accepted() -> None:
    check_key_material("SM2", pkcs8(12345), china=True)


@pytest.mark.parametrize("private_value", [0, ORDER - 1, ORDER])
def test_sm2_private_key_out_of_range_is_refused(private_value: int) -> None:
    with pytest.raises(IncorrectMaterial, match="out of range"):
        check_key_material("SM2", pkcs8(private_value), china=True)


def test_sm2_private_key_on_another_named_curve_is_refused() -> None:
    with pytest.raises(IncorrectMaterial, match="curve sm2"):
        check_key_material("SM2", pkcs8(5, curve_oid=bytes.fromhex("2a8648ce3d030107")), china=True)


def test_sm2_private_key_with_wrong_version_is_refused() -> None:
    with pytest.raises(IncorrectMaterial):
        check_key_material("SM2", pkcs8(5, version=b"\x02"), china=True)


def test_sm2_private_key_with_compressed_public_key_is_refused() -> None:
    compressed = der(0xA1, der(0x03, b"\x00\x02" + bytes(32)))
    with pytest.raises(IncorrectMaterial, match="uncompressed"):
        check_key_material("SM2", pkcs8(5, extra=compressed), china=True)


def test_sm2_private_key_with_another_curve_in_its_parameters_is_refused() -> None:
    params = der(0xA0, der(0x06, bytes.fromhex("2a8648ce3d030107")))
    with pytest.raises(IncorrectMaterial, match="curve sm2"):
        check_key_material("SM2", pkcs8(5, extra=params), china=True)


def test_same_sm2_key_in_two_encodings_is_the_same_key_material() -> None:
    assert sm2.same_sm2_private_key(
        pkcs8(77), pkcs8(77, extra=der(0xA0, der(0x06, bytes.fromhex("2a811ccf5501822d"))))
    )
    assert not sm2.same_sm2_private_key(pkcs8(77), pkcs8(78))
