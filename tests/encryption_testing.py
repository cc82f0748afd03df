"""Helpers for the tests of the encryption family: keys with known material, and OAEP."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from kms_testing import REGION, material_for

from kmsimport_mock import KmsImportMock

OAEP_HASHES = {"RSAES_OAEP_SHA_1": hashes.SHA1, "RSAES_OAEP_SHA_256": hashes.SHA256}
CHINA_REGION = "cn-north-1"


def oaep(algorithm: str) -> padding.OAEP:
    """The padding KMS's RSAES_OAEP_* names: MGF1 on the same hash, no label."""
    hash_type = OAEP_HASHES[algorithm]
    return padding.OAEP(mgf=padding.MGF1(hash_type()), algorithm=hash_type(), label=None)


def imported_key(
    kms_import: KmsImportMock,
    key_spec: str = "SYMMETRIC_DEFAULT",
    *,
    key_usage: str | None = None,
    material: bytes | None = None,
    region: str = REGION,
    **create_key_params: Any,
) -> tuple[dict[str, Any], bytes]:
    """An Enabled EXTERNAL key holding known material: (KeyMetadata, material)."""
    if material is None:
        material = os.urandom(16) if region.startswith("cn-") else material_for(key_spec)
    if key_usage is None and key_spec != "SYMMETRIC_DEFAULT":
        key_usage = "ENCRYPT_DECRYPT"
    meta = kms_import.create_key_with_material(
        material, key_spec=key_spec, key_usage=key_usage, region=region, **create_key_params
    )
    return meta, material


def private_key(material: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_der_private_key(material, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def unvalidated_client(region: str = REGION) -> Any:
    """A client that sends what botocore would refuse, as another SDK might."""
    return boto3.client("kms", region_name=region, config=Config(parameter_validation=False))
