"""Wrapping and unwrapping of key material (spec §2 and the OpenSSL procedure of §6 step 3)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.keywrap import (
    aes_key_unwrap_with_padding,
    aes_key_wrap_with_padding,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# wrap_key_material is the public helper test authors use: import it from where they do.
from kmsimport_mock import wrap_key_material
from kmsimport_mock.crypto.allowed_wrapping import max_oaep_plaintext
from kmsimport_mock.crypto.wrapping import (
    AES_KEY_WRAP_ALGORITHMS,
    OAEP_ALGORITHMS,
    WRAPPING_HASHES,
    UnwrapError,
    unwrap_key_material,
)

RunOpenssl = Callable[..., bytes]

OAEP = sorted(OAEP_ALGORITHMS)
AES_KEY_WRAP = sorted(AES_KEY_WRAP_ALGORITHMS)
ALGORITHMS = OAEP + AES_KEY_WRAP
SIZES = [2048, 3072, 4096]
# The other algorithm of the same family, differing only in the hash.
OTHER_HASH = {
    "RSAES_OAEP_SHA_1": "RSAES_OAEP_SHA_256",
    "RSAES_OAEP_SHA_256": "RSAES_OAEP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_1": "RSA_AES_KEY_WRAP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_256": "RSA_AES_KEY_WRAP_SHA_1",
}
# The same hash in the other family.
OTHER_FAMILY = {
    "RSAES_OAEP_SHA_1": "RSA_AES_KEY_WRAP_SHA_1",
    "RSAES_OAEP_SHA_256": "RSA_AES_KEY_WRAP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1": "RSAES_OAEP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256": "RSAES_OAEP_SHA_256",
}
OPENSSL_MD = {"RSA_AES_KEY_WRAP_SHA_1": "sha1", "RSA_AES_KEY_WRAP_SHA_256": "sha256"}
RFC_5649_IV = "A65959A6"


def spki(key: rsa.RSAPrivateKey) -> bytes:
    """The wrapping public key as GetParametersForImport returns it."""
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def oaep(hash_algorithm: hashes.HashAlgorithm, mgf1_hash: hashes.HashAlgorithm) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(mgf1_hash), algorithm=hash_algorithm, label=None)


def material_for(algorithm: str) -> bytes:
    """Typical material: an AES-256 key for OAEP, a P-521-sized PKCS#8 for AES key wrap."""
    return os.urandom(32 if algorithm in OAEP_ALGORITHMS else 241)


@pytest.fixture(scope="module")
def wrapping_key(rsa_key_2048: rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    return rsa_key_2048


@pytest.fixture(scope="module")
def stranger_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def rsa_2048_pkcs8(stranger_key: rsa.RSAPrivateKey) -> bytes:
    return stranger_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", OAEP)
@pytest.mark.parametrize("length", ["one byte", "AES-256 key", "OAEP capacity"])
def test_oaep_round_trips_material_up_to_its_capacity(
    bits: int, algorithm: str, length: str, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    key = rsa_keys[bits]
    capacity = max_oaep_plaintext(bits, WRAPPING_HASHES[algorithm].name)
    material = os.urandom({"one byte": 1, "AES-256 key": 32, "OAEP capacity": capacity}[length])
    blob = wrap_key_material(spki(key), material, algorithm)
    assert unwrap_key_material(key, algorithm, blob) == material


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
@pytest.mark.parametrize("length", [1, 8, 32, 45, 2374])
def test_rsa_aes_key_wrap_round_trips_material_of_any_length(
    bits: int, algorithm: str, length: int, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    key = rsa_keys[bits]
    material = os.urandom(length)
    blob = wrap_key_material(spki(key), material, algorithm)
    assert unwrap_key_material(key, algorithm, blob) == material


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_wrap_accepts_a_loaded_public_key(algorithm: str, wrapping_key: rsa.RSAPrivateKey) -> None:
    material = material_for(algorithm)
    blob = wrap_key_material(wrapping_key.public_key(), material, algorithm)
    assert unwrap_key_material(wrapping_key, algorithm, blob) == material


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_rsa_aes_key_wrap_blob_is_rsa_part_then_rfc5649_part(
    bits: int, algorithm: str, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    material = os.urandom(45)
    blob = wrap_key_material(spki(rsa_keys[bits]), material, algorithm)
    hash_algorithm = WRAPPING_HASHES[algorithm]
    aes_key = rsa_keys[bits].decrypt(blob[: bits // 8], oaep(hash_algorithm, hash_algorithm))
    assert len(aes_key) == 32
    # RFC 5649 pads to whole 8-byte blocks and adds one 8-byte integrity block.
    assert len(blob) == bits // 8 + 48 + 8
    assert aes_key_unwrap_with_padding(aes_key, blob[bits // 8 :]) == material


@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_rsa_aes_key_wrap_uses_a_fresh_aes_key_per_call(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    hash_algorithm = WRAPPING_HASHES[algorithm]
    aes_keys = {
        wrapping_key.decrypt(
            wrap_key_material(spki(wrapping_key), b"same material", algorithm)[:256],
            oaep(hash_algorithm, hash_algorithm),
        )
        for _ in range(2)
    }
    assert len(aes_keys) == 2


# --- what wrap_key_material refuses ---------------------------------------------------------


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", OAEP)
def test_oaep_wrap_refuses_material_beyond_its_capacity(
    bits: int, algorithm: str, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    capacity = max_oaep_plaintext(bits, WRAPPING_HASHES[algorithm].name)
    with pytest.raises(ValueError, match=f"at most {capacity} bytes"):
        wrap_key_material(spki(rsa_keys[bits]), bytes(capacity + 1), algorithm)


@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_rsa_aes_key_wrap_refuses_empty_material(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(ValueError, match="at least one byte"):
        wrap_key_material(spki(wrapping_key), b"", algorithm)


@pytest.mark.parametrize(
    "algorithm", ["RSAES_PKCS1_V1_5", "SM2PKE", "RSAES_OAEP_SHA_512", "rsaes_oaep_sha_256", ""]
)
def test_wrap_refuses_algorithms_it_does_not_implement(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(ValueError, match="unsupported wrapping algorithm"):
        wrap_key_material(spki(wrapping_key), bytes(32), algorithm)


def test_wrap_refuses_a_non_rsa_public_key() -> None:
    ec_spki = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ValueError, match="must be an RSA key"):
        wrap_key_material(ec_spki, bytes(32), "RSAES_OAEP_SHA_256")


@pytest.mark.parametrize("public_key", [b"", b"\x30\x00", b"-----BEGIN PUBLIC KEY-----"])
def test_wrap_refuses_bytes_that_are_not_a_der_public_key(public_key: bytes) -> None:
    with pytest.raises(ValueError, match="not a DER SubjectPublicKeyInfo"):
        wrap_key_material(public_key, bytes(32), "RSAES_OAEP_SHA_256")


def test_wrap_refuses_a_private_key_object(wrapping_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(TypeError, match="RSAPublicKey"):
        wrap_key_material(wrapping_key, bytes(32), "RSAES_OAEP_SHA_256")  # type: ignore[arg-type]


# --- what unwrap_key_material refuses -------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["RSAES_PKCS1_V1_5", "SM2PKE", "nonsense"])
def test_unwrap_refuses_algorithms_it_does_not_implement_with_value_error(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(ValueError, match="unsupported wrapping algorithm"):
        unwrap_key_material(wrapping_key, algorithm, bytes(256))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_refuses_a_blob_wrapped_with_the_other_hash(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    blob = wrap_key_material(spki(wrapping_key), material_for(algorithm), OTHER_HASH[algorithm])
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob)


@pytest.mark.parametrize(
    ("algorithm", "hash_algorithm", "mgf1_hash"),
    [
        # The re:Post classic: asking for SHA-256 but leaving MGF1 (or the whole OAEP) on SHA-1.
        ("RSAES_OAEP_SHA_256", hashes.SHA256(), hashes.SHA1()),
        ("RSAES_OAEP_SHA_256", hashes.SHA1(), hashes.SHA256()),
        ("RSAES_OAEP_SHA_1", hashes.SHA1(), hashes.SHA256()),
        ("RSAES_OAEP_SHA_1", hashes.SHA256(), hashes.SHA1()),
    ],
)
def test_unwrap_refuses_oaep_whose_mgf1_hash_differs_from_its_hash(
    algorithm: str,
    hash_algorithm: hashes.HashAlgorithm,
    mgf1_hash: hashes.HashAlgorithm,
    wrapping_key: rsa.RSAPrivateKey,
) -> None:
    blob = wrapping_key.public_key().encrypt(bytes(32), oaep(hash_algorithm, mgf1_hash))
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_refuses_a_blob_for_another_wrapping_key(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey, stranger_key: rsa.RSAPrivateKey
) -> None:
    blob = wrap_key_material(spki(stranger_key), material_for(algorithm), algorithm)
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_refuses_a_blob_for_a_wrapping_key_of_another_size(
    algorithm: str, rsa_keys: dict[int, rsa.RSAPrivateKey]
) -> None:
    blob = wrap_key_material(spki(rsa_keys[2048]), material_for(algorithm), algorithm)
    with pytest.raises(UnwrapError):
        unwrap_key_material(rsa_keys[3072], algorithm, blob)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_refuses_a_blob_of_the_other_algorithm_family(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    # An OAEP blob of 32 bytes of material even carries a valid AES-256 key in its RSA part;
    # only the missing RFC 5649 part gives it away.
    blob = wrap_key_material(spki(wrapping_key), bytes(32), OTHER_FAMILY[algorithm])
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("cut", [1, 8, 16, 255, 256])
def test_unwrap_refuses_a_truncated_blob(
    algorithm: str, cut: int, wrapping_key: rsa.RSAPrivateKey
) -> None:
    blob = wrap_key_material(spki(wrapping_key), material_for(algorithm), algorithm)
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob[:-cut])


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize(
    "extra", [b"\x00", bytes(8), bytes(range(16))], ids=["one byte", "eight zeros", "sixteen bytes"]
)
def test_unwrap_refuses_an_extended_blob(
    algorithm: str, extra: bytes, wrapping_key: rsa.RSAPrivateKey
) -> None:
    blob = wrap_key_material(spki(wrapping_key), material_for(algorithm), algorithm)
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob + extra)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("position", ["first", "middle of RSA part", "last of RSA part", "last"])
def test_unwrap_refuses_a_blob_with_one_flipped_bit(
    algorithm: str, position: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    blob = bytearray(wrap_key_material(spki(wrapping_key), material_for(algorithm), algorithm))
    index = {"first": 0, "middle of RSA part": 128, "last of RSA part": 255, "last": -1}[position]
    blob[index] ^= 0x01
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, bytes(blob))


@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_unwrap_refuses_a_flipped_bit_in_the_rfc5649_part(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey
) -> None:
    blob = bytearray(wrap_key_material(spki(wrapping_key), bytes(241), algorithm))
    blob[256] ^= 0x80
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, bytes(blob))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_refuses_an_empty_blob(algorithm: str, wrapping_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, b"")


@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
@pytest.mark.parametrize("aes_key_size", [16, 24])
def test_rsa_aes_key_wrap_refuses_aes_keys_other_than_256_bits(
    algorithm: str, aes_key_size: int, wrapping_key: rsa.RSAPrivateKey
) -> None:
    hash_algorithm = WRAPPING_HASHES[algorithm]
    aes_key = os.urandom(aes_key_size)
    blob = wrapping_key.public_key().encrypt(
        aes_key, oaep(hash_algorithm, hash_algorithm)
    ) + aes_key_wrap_with_padding(aes_key, os.urandom(45))
    with pytest.raises(UnwrapError, match="256-bit"):
        unwrap_key_material(wrapping_key, algorithm, blob)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_unwrap_error_does_not_carry_the_cryptography_exception(
    algorithm: str, wrapping_key: rsa.RSAPrivateKey, stranger_key: rsa.RSAPrivateKey
) -> None:
    blob = wrap_key_material(spki(stranger_key), material_for(algorithm), algorithm)
    with pytest.raises(UnwrapError) as caught:
        unwrap_key_material(wrapping_key, algorithm, blob)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


# --- cross-checks with the OpenSSL commands AWS documents -----------------------------------


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("bits", SIZES)
def test_unwrap_accepts_openssl_rsaes_oaep_sha_256_made_as_documented(
    bits: int, rsa_keys: dict[int, rsa.RSAPrivateKey], openssl: RunOpenssl, tmp_path: Path
) -> None:
    material = os.urandom(32)
    openssl(
        "pkeyutl", "-encrypt",
        "-in", _write(tmp_path / "PlaintextKeyMaterial.bin", material),
        "-out", str(tmp_path / "EncryptedKeyMaterial.bin"),
        "-inkey", _write(tmp_path / "WrappingPublicKey.bin", spki(rsa_keys[bits])),
        "-keyform", "DER", "-pubin",
        "-pkeyopt", "rsa_padding_mode:oaep",
        "-pkeyopt", "rsa_oaep_md:sha256",
        "-pkeyopt", "rsa_mgf1_md:sha256",
    )  # fmt: skip
    blob = (tmp_path / "EncryptedKeyMaterial.bin").read_bytes()
    assert unwrap_key_material(rsa_keys[bits], "RSAES_OAEP_SHA_256", blob) == material


@pytest.mark.parametrize("bits", SIZES)
def test_unwrap_accepts_openssl_rsaes_oaep_sha_1_made_as_documented(
    bits: int, rsa_keys: dict[int, rsa.RSAPrivateKey], openssl: RunOpenssl, tmp_path: Path
) -> None:
    material = os.urandom(32)
    # As documented: rsa_oaep_md:sha1 and no rsa_mgf1_md, leaving MGF1 on OpenSSL's default.
    openssl(
        "pkeyutl", "-encrypt",
        "-in", _write(tmp_path / "PlaintextKeyMaterial.bin", material),
        "-out", str(tmp_path / "EncryptedKeyMaterial.bin"),
        "-inkey", _write(tmp_path / "WrappingPublicKey.bin", spki(rsa_keys[bits])),
        "-keyform", "DER", "-pubin",
        "-pkeyopt", "rsa_padding_mode:oaep",
        "-pkeyopt", "rsa_oaep_md:sha1",
    )  # fmt: skip
    blob = (tmp_path / "EncryptedKeyMaterial.bin").read_bytes()
    assert unwrap_key_material(rsa_keys[bits], "RSAES_OAEP_SHA_1", blob) == material


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_unwrap_accepts_openssl_rsa_aes_key_wrap_made_as_documented(
    bits: int,
    algorithm: str,
    rsa_keys: dict[int, rsa.RSAPrivateKey],
    rsa_2048_pkcs8: bytes,
    openssl: RunOpenssl,
    tmp_path: Path,
) -> None:
    md = OPENSSL_MD[algorithm]
    plaintext = _write(tmp_path / "PlaintextKeyMaterial.bin", rsa_2048_pkcs8)
    public_key = _write(tmp_path / "WrappingPublicKey.bin", spki(rsa_keys[bits]))
    aes_key_file = tmp_path / "aes-key.bin"
    # Step 1: openssl rand -out aes-key.bin 32
    openssl("rand", "-out", str(aes_key_file), "32")
    # Step 2; the documented $(xxd -p < aes-key.bin | tr -d '\n') is the key in hex.
    openssl(
        "enc", "-id-aes256-wrap-pad",
        "-K", aes_key_file.read_bytes().hex(),
        "-iv", RFC_5649_IV,
        "-in", plaintext,
        "-out", str(tmp_path / "key-material-wrapped.bin"),
    )  # fmt: skip
    # Step 3
    openssl(
        "pkeyutl", "-encrypt",
        "-in", str(aes_key_file),
        "-out", str(tmp_path / "aes-key-wrapped.bin"),
        "-inkey", public_key,
        "-keyform", "DER", "-pubin",
        "-pkeyopt", "rsa_padding_mode:oaep",
        "-pkeyopt", f"rsa_oaep_md:{md}",
        "-pkeyopt", f"rsa_mgf1_md:{md}",
    )  # fmt: skip
    # Step 4: cat aes-key-wrapped.bin key-material-wrapped.bin > EncryptedKeyMaterial.bin
    blob = (tmp_path / "aes-key-wrapped.bin").read_bytes() + (
        tmp_path / "key-material-wrapped.bin"
    ).read_bytes()
    assert unwrap_key_material(rsa_keys[bits], algorithm, blob) == rsa_2048_pkcs8


def _private_key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", OAEP)
def test_openssl_decrypts_our_oaep_wrap(
    bits: int,
    algorithm: str,
    rsa_keys: dict[int, rsa.RSAPrivateKey],
    openssl: RunOpenssl,
    tmp_path: Path,
) -> None:
    material = os.urandom(32)
    md = WRAPPING_HASHES[algorithm].name
    blob = wrap_key_material(spki(rsa_keys[bits]), material, algorithm)
    decrypted = openssl(
        "pkeyutl", "-decrypt",
        "-in", _write(tmp_path / "EncryptedKeyMaterial.bin", blob),
        "-inkey", _write(tmp_path / "private.pem", _private_key_pem(rsa_keys[bits])),
        "-pkeyopt", "rsa_padding_mode:oaep",
        "-pkeyopt", f"rsa_oaep_md:{md}",
        "-pkeyopt", f"rsa_mgf1_md:{md}",
    )  # fmt: skip
    assert decrypted == material


@pytest.mark.parametrize("bits", SIZES)
@pytest.mark.parametrize("algorithm", AES_KEY_WRAP)
def test_openssl_unwraps_our_rsa_aes_key_wrap(
    bits: int,
    algorithm: str,
    rsa_keys: dict[int, rsa.RSAPrivateKey],
    rsa_2048_pkcs8: bytes,
    openssl: RunOpenssl,
    tmp_path: Path,
) -> None:
    md = OPENSSL_MD[algorithm]
    blob = wrap_key_material(spki(rsa_keys[bits]), rsa_2048_pkcs8, algorithm)
    aes_key = openssl(
        "pkeyutl", "-decrypt",
        "-in", _write(tmp_path / "aes-key-wrapped.bin", blob[: bits // 8]),
        "-inkey", _write(tmp_path / "private.pem", _private_key_pem(rsa_keys[bits])),
        "-pkeyopt", "rsa_padding_mode:oaep",
        "-pkeyopt", f"rsa_oaep_md:{md}",
        "-pkeyopt", f"rsa_mgf1_md:{md}",
    )  # fmt: skip
    material = openssl(
        "enc", "-d", "-id-aes256-wrap-pad",
        "-K", aes_key.hex(),
        "-iv", RFC_5649_IV,
        "-in", _write(tmp_path / "key-material-wrapped.bin", blob[bits // 8 :]),
    )  # fmt: skip
    assert material == rsa_2048_pkcs8


# --- robustness -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def encrypted_aes_keys(wrapping_key: rsa.RSAPrivateKey) -> dict[str, bytes]:
    """A valid RSA part per RSA_AES_KEY_WRAP algorithm, to fuzz the RFC 5649 part behind it."""
    return {
        algorithm: wrapping_key.public_key().encrypt(
            os.urandom(32), oaep(WRAPPING_HASHES[algorithm], WRAPPING_HASHES[algorithm])
        )
        for algorithm in AES_KEY_WRAP
    }


@settings(max_examples=50, deadline=None)
@given(
    algorithm=st.sampled_from(ALGORITHMS),
    blob=st.one_of(
        st.binary(max_size=600),
        st.binary(min_size=256, max_size=256),
        st.binary(min_size=256 + 16, max_size=256 + 64),
    ),
)
def test_random_blobs_raise_nothing_but_unwrap_error(
    algorithm: str, blob: bytes, wrapping_key: rsa.RSAPrivateKey
) -> None:
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, blob)


@settings(max_examples=50, deadline=None)
@given(algorithm=st.sampled_from(AES_KEY_WRAP), tail=st.binary(max_size=80))
def test_random_rfc5649_parts_raise_nothing_but_unwrap_error(
    algorithm: str,
    tail: bytes,
    wrapping_key: rsa.RSAPrivateKey,
    encrypted_aes_keys: dict[str, bytes],
) -> None:
    with pytest.raises(UnwrapError):
        unwrap_key_material(wrapping_key, algorithm, encrypted_aes_keys[algorithm] + tail)
