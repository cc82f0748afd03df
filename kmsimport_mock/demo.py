"""``python -m kmsimport_mock demo``: the documented BYOK flow, step by step, offline."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

import botocore.session
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .crypto.wrapping import wrap_key_material
from .mock import KmsImportMock


def _pkcs8(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _sm2_private_key() -> bytes:
    from .crypto import sm2

    return sm2.generate_sm2_private_key()


# (KeySpec, KeyUsage, wrapping algorithm, wrapping key spec, how to make the material)
Scenario = tuple[str, str, str, str, Callable[[], bytes]]

SCENARIOS: list[Scenario] = [
    (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        lambda: os.urandom(32),
    ),
    ("HMAC_256", "GENERATE_VERIFY_MAC", "RSAES_OAEP_SHA_1", "RSA_3072", lambda: os.urandom(32)),
    (
        "ECC_NIST_P256",
        "SIGN_VERIFY",
        "RSA_AES_KEY_WRAP_SHA_256",
        "RSA_2048",
        lambda: _pkcs8(ec.generate_private_key(ec.SECP256R1())),
    ),
    (
        "RSA_2048",
        "ENCRYPT_DECRYPT",
        "RSA_AES_KEY_WRAP_SHA_1",
        "RSA_3072",
        lambda: _pkcs8(rsa.generate_private_key(65537, 2048)),
    ),
]

# China Regions: symmetric keys are SM4 (16 bytes), RSA_AES_KEY_WRAP_* is not offered, and
# SM2 material is wrapped with SM2PKE (which needs the `china` extra).
CHINA_SCENARIOS: list[Scenario] = [
    (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        lambda: os.urandom(16),
    ),
    ("HMAC_256", "GENERATE_VERIFY_MAC", "RSAES_OAEP_SHA_1", "RSA_3072", lambda: os.urandom(32)),
    (
        "ECC_NIST_P256",
        "SIGN_VERIFY",
        "RSAES_OAEP_SHA_256",
        "RSA_2048",
        lambda: _pkcs8(ec.generate_private_key(ec.SECP256R1())),
    ),
    ("SM2", "SIGN_VERIFY", "SM2PKE", "SM2", _sm2_private_key),
]


def scenarios_for(region: str) -> list[Scenario]:
    """The key specs and wrappings the demo shows in ``region``."""
    return CHINA_SCENARIOS if region.startswith("cn-") else SCENARIOS


def _wrap(public_key: bytes, material: bytes, algorithm: str) -> bytes:
    if algorithm == "SM2PKE":
        from .crypto import sm2

        return sm2.sm2pke_encrypt(public_key, material)
    return wrap_key_material(public_key, material, algorithm)


def run_demo(out: TextIO = sys.stdout, region: str = "eu-west-1") -> None:
    def say(step: str, detail: str = "") -> None:
        print(f"  {step:<34}{detail}", file=out)

    with KmsImportMock() as mock:
        kms: Any = botocore.session.get_session().create_client("kms", region_name=region)
        for key_spec, usage, algorithm, wrapping_spec, make_material in scenarios_for(region):
            print(f"\n{key_spec} ({usage}) wrapped with {algorithm} / {wrapping_spec}", file=out)
            if algorithm == "SM2PKE" and not _china_extra_installed():
                say("skipped", "SM2 needs pip install 'kmsimport_mock[china]'")
                continue
            meta = kms.create_key(Origin="EXTERNAL", KeySpec=key_spec, KeyUsage=usage)[
                "KeyMetadata"
            ]
            key_id = meta["KeyId"]
            say("1. CreateKey(Origin=EXTERNAL)", f"{key_id} is {meta['KeyState']}")
            params = kms.get_parameters_for_import(
                KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_spec
            )
            valid_to = params["ParametersValidTo"].isoformat(timespec="seconds")
            say(
                "2. GetParametersForImport",
                f"{len(params['PublicKey'])}-byte public key, token valid to {valid_to}",
            )
            material = make_material()
            blob = _wrap(params["PublicKey"], material, algorithm)
            say("3. wrap the key material", f"{len(material)} bytes -> {len(blob)} bytes")
            expires = _dt.datetime.now(_dt.UTC) + _dt.timedelta(days=30)
            imported = kms.import_key_material(
                KeyId=key_id,
                ImportToken=params["ImportToken"],
                EncryptedKeyMaterial=blob,
                ExpirationModel="KEY_MATERIAL_EXPIRES",
                ValidTo=expires,
            )
            say("4. ImportKeyMaterial", f"KeyMaterialId {imported['KeyMaterialId'][:16]}...")
            meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
            say(
                "5. DescribeKey",
                f"{meta['KeyState']}, {meta['ExpirationModel']}, "
                f"ValidTo {meta['ValidTo'].isoformat(timespec='seconds')}",
            )
            unwrapped = mock.key_material(key_id)
            say(
                "   the mock unwrapped",
                "exactly the material sent" if unwrapped == material else "DIFFERENT material",
            )
            if unwrapped != material:
                raise SystemExit("demo failed: the unwrapped material differs")
            kms.delete_imported_key_material(KeyId=key_id)
            state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
            say("6. DeleteImportedKeyMaterial", f"key is {state}")
            params = kms.get_parameters_for_import(
                KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_spec
            )
            kms.import_key_material(
                KeyId=key_id,
                ImportToken=params["ImportToken"],
                EncryptedKeyMaterial=_wrap(params["PublicKey"], material, algorithm),
                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
            )
            state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
            say("7. reimport the same material", f"key is {state} again, never expires")
            try:
                kms.import_key_material(
                    KeyId=key_id,
                    ImportToken=params["ImportToken"] + b"!",
                    EncryptedKeyMaterial=b"\x00" * 32,
                    ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
                )
            except kms.exceptions.InvalidImportTokenException as error:
                say("8. a tampered token is refused", error.response["Error"]["Code"])
    print(f"\nAll steps ran offline against kmsimport_mock, in {region}.", file=out)


def _china_extra_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("gmalg") is not None
