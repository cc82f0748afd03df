"""What KMS allows for each KeySpec: key usages, the algorithm lists DescribeKey shows,
and which Regions offer it. Pure data, from the botocore model and the KMS guide."""

from __future__ import annotations

from dataclasses import dataclass, field

SYMMETRIC = "SYMMETRIC_DEFAULT"

_RSA_ENCRYPTION = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
_RSA_SIGNING = (
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
)


@dataclass(frozen=True)
class Algorithms:
    """The algorithm lists DescribeKey shows for one KeySpec and KeyUsage."""

    encryption: tuple[str, ...] = ()
    signing: tuple[str, ...] = ()
    mac: tuple[str, ...] = ()
    key_agreement: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeySpecInfo:
    name: str
    family: str  # SYMMETRIC, HMAC, RSA, ECC, SM2, ED25519 or ML_DSA
    usages: dict[str, Algorithms] = field(default_factory=dict)
    # Only symmetric encryption keys have a default usage: CreateKey needs KeyUsage for
    # every other spec (the API reference; recorded for HMAC keys).
    default_usage: str | None = None
    china_only: bool = False
    # Whether key material can be imported into a key of this spec (Origin=EXTERNAL).
    importable: bool = True


def _hmac(bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"HMAC_{bits}",
        "HMAC",
        {"GENERATE_VERIFY_MAC": Algorithms(mac=(f"HMAC_SHA_{bits}",))},
    )


def _rsa(bits: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"RSA_{bits}",
        "RSA",
        {
            "ENCRYPT_DECRYPT": Algorithms(encryption=_RSA_ENCRYPTION),
            "SIGN_VERIFY": Algorithms(signing=_RSA_SIGNING),
        },
    )


def _ecc(name: str, digest: str, key_agreement: bool = True) -> KeySpecInfo:
    usages = {"SIGN_VERIFY": Algorithms(signing=(f"ECDSA_{digest}",))}
    if key_agreement:
        usages["KEY_AGREEMENT"] = Algorithms(key_agreement=("ECDH",))
    return KeySpecInfo(name, "ECC", usages)


def _ml_dsa(level: int) -> KeySpecInfo:
    return KeySpecInfo(
        f"ML_DSA_{level}",
        "ML_DSA",
        {"SIGN_VERIFY": Algorithms(signing=("ML_DSA_SHAKE_256",))},
        importable=False,
    )


KEY_SPECS: dict[str, KeySpecInfo] = {
    info.name: info
    for info in (
        KeySpecInfo(
            SYMMETRIC,
            "SYMMETRIC",
            {"ENCRYPT_DECRYPT": Algorithms(encryption=(SYMMETRIC,))},
            default_usage="ENCRYPT_DECRYPT",
        ),
        _hmac(224),
        _hmac(256),
        _hmac(384),
        _hmac(512),
        _rsa(2048),
        _rsa(3072),
        _rsa(4096),
        _ecc("ECC_NIST_P256", "SHA_256"),
        _ecc("ECC_NIST_P384", "SHA_384"),
        _ecc("ECC_NIST_P521", "SHA_512"),
        _ecc("ECC_SECG_P256K1", "SHA_256", key_agreement=False),
        KeySpecInfo(
            "ECC_NIST_EDWARDS25519",
            "ED25519",
            {"SIGN_VERIFY": Algorithms(signing=("ED25519_SHA_512", "ED25519_PH_SHA_512"))},
            # UNCONFIRMED whether AWS imports Ed25519 material; no import page says so.
            importable=False,
        ),
        KeySpecInfo(
            "SM2",
            "SM2",
            {
                "ENCRYPT_DECRYPT": Algorithms(encryption=("SM2PKE",)),
                "SIGN_VERIFY": Algorithms(signing=("SM2DSA",)),
                "KEY_AGREEMENT": Algorithms(key_agreement=("ECDH",)),
            },
            china_only=True,
        ),
        _ml_dsa(44),
        _ml_dsa(65),
        _ml_dsa(87),
    )
}

# CustomerMasterKeySpec (deprecated) is shown only for the specs its enum knows.
LEGACY_CUSTOMER_MASTER_KEY_SPECS = frozenset(
    name for name, info in KEY_SPECS.items() if info.family not in ("ML_DSA", "ED25519")
)


def is_china_region(region: str) -> bool:
    return region.startswith("cn-")


def partition_for_region(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"
