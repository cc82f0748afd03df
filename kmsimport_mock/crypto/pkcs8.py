"""The one DER reader and writer the crypto modules share: PKCS#8 PrivateKeyInfo shapes.

cryptography loads keys but cannot say *why* material is not what AWS wants (PEM, PKCS#1,
encrypted PKCS#8, explicit curve parameters), and has no SM2; these few functions read the
outer shape so the checks can answer precisely. Only definite lengths: anything needing BER
is first re-encoded (:func:`kmsimport_mock.crypto.material.check_key_material`).
"""

from __future__ import annotations

from typing import Final

from .errors import IncorrectMaterial

TAG_INTEGER: Final = 0x02
TAG_BIT_STRING: Final = 0x03
TAG_OCTET_STRING: Final = 0x04
TAG_OID: Final = 0x06
TAG_SEQUENCE: Final = 0x30
TAG_CONTEXT_0: Final = 0xA0
TAG_CONTEXT_1: Final = 0xA1

# Encoded contents of the AlgorithmIdentifier OIDs AWS's RSA and EC formats use.
OID_RSA_ENCRYPTION: Final = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1
OID_EC_PUBLIC_KEY: Final = bytes.fromhex("2a8648ce3d0201")  # 1.2.840.10045.2.1
OID_SM2: Final = bytes.fromhex("2a811ccf5501822d")  # 1.2.156.10197.1.301

NOT_PKCS8: Final = "key material is not a DER-encoded PKCS#8 PrivateKeyInfo"


class Malformed(Exception):
    """DER that does not parse; callers turn it into their own, precise error."""


def read_element(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start, end) of the contents of the DER element at ``offset``.

    Only definite lengths: cryptography's loader is DER-only, so anything needing BER
    (indefinite lengths) would be refused by it anyway.
    """
    if offset + 2 > len(data):
        raise Malformed
    tag, first = data[offset], data[offset + 1]
    start = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        # 0 is the indefinite form; 4 length bytes already allow 4 GiB.
        if not 1 <= count <= 4 or start + count > len(data):
            raise Malformed
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise Malformed
    return tag, start, end


def pkcs8_algorithm(material: bytes) -> tuple[bytes, int | None]:
    """The algorithm OID and the tag of its parameters (None if absent) of a PKCS#8 key.

    cryptography's ``load_der_private_key`` also accepts PKCS#1 and SEC1 ("traditional")
    keys, and AWS wants PKCS#8 only, so the outer shape is checked here first:
    SEQUENCE { INTEGER version, SEQUENCE { OID, params? }, OCTET STRING key, ... }.
    """
    if material.startswith(b"-----BEGIN"):
        raise IncorrectMaterial("key material is PEM text; KMS expects binary DER PKCS#8")
    try:
        tag, start, end = read_element(material, 0)
        if tag != TAG_SEQUENCE or end != len(material):
            raise IncorrectMaterial(NOT_PKCS8)
        tag, _, version_end = read_element(material, start)
        if tag == TAG_SEQUENCE:
            raise IncorrectMaterial("encrypted PKCS#8 key material is not accepted")
        if tag != TAG_INTEGER:
            raise IncorrectMaterial(NOT_PKCS8)
        tag, algorithm_start, algorithm_end = read_element(material, version_end)
        if tag in (TAG_INTEGER, TAG_OCTET_STRING):
            # An RSAPrivateKey continues with INTEGER n, an ECPrivateKey with OCTET STRING.
            raise IncorrectMaterial(
                "key material is a PKCS#1/SEC1 'traditional' private key; KMS expects PKCS#8"
            )
        if tag != TAG_SEQUENCE:
            raise IncorrectMaterial(NOT_PKCS8)
        tag, oid_start, oid_end = read_element(material, algorithm_start)
        if tag != TAG_OID:
            raise IncorrectMaterial(NOT_PKCS8)
        params_tag = material[oid_end] if oid_end < algorithm_end else None
        tag, _, _ = read_element(material, algorithm_end)
        if tag != TAG_OCTET_STRING:
            raise IncorrectMaterial(NOT_PKCS8)
    except Malformed:
        raise IncorrectMaterial(NOT_PKCS8) from None
    return material[oid_start:oid_end], params_tag


def der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def der_integer(unsigned: bytes) -> bytes:
    value = unsigned.lstrip(b"\x00") or b"\x00"
    if value[0] & 0x80:
        value = b"\x00" + value
    return der(TAG_INTEGER, value)
