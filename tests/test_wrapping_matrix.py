"""Every key spec × wrapping algorithm × wrapping key spec: imported when AWS allows it,
refused at GetParametersForImport when it does not (spec §2)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from kms_testing import create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock

KEY_SPECS = [
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_256",
    "HMAC_384",
    "HMAC_512",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
]
ALGORITHMS = [
    "RSAES_OAEP_SHA_256",
    "RSAES_OAEP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1",
]
WRAPPING_KEY_SPECS = ["RSA_2048", "RSA_3072", "RSA_4096"]


def aws_allows(key_spec: str, algorithm: str, wrapping_key_spec: str) -> bool:
    """The compatibility matrix of the KMS guide, written out independently of the mock."""
    aes_key_wrap = algorithm.startswith("RSA_AES_KEY_WRAP")
    if key_spec == "SYMMETRIC_DEFAULT" or key_spec.startswith("HMAC_"):
        return not aes_key_wrap
    if key_spec.startswith("RSA_"):
        return aes_key_wrap
    if key_spec == "ECC_NIST_P521" and not aes_key_wrap:
        return wrapping_key_spec != "RSA_2048"
    return True


COMBINATIONS = list(itertools.product(KEY_SPECS, ALGORITHMS, WRAPPING_KEY_SPECS))
ALLOWED = [c for c in COMBINATIONS if aws_allows(*c)]
REFUSED = [c for c in COMBINATIONS if not aws_allows(*c)]


def test_the_matrix_has_both_kinds() -> None:
    assert len(ALLOWED) == 94
    assert len(REFUSED) == 50


@pytest.mark.parametrize(("key_spec", "algorithm", "wrapping_key_spec"), ALLOWED)
def test_allowed_combination_imports_exactly_the_material(
    kms: Any, kms_import: KmsImportMock, key_spec: str, algorithm: str, wrapping_key_spec: str
) -> None:
    key = create_external_key(kms, key_spec)
    material = material_for(key_spec)
    import_material(
        kms, key["KeyId"], material, algorithm=algorithm, wrapping_key_spec=wrapping_key_spec
    )
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms_import.key_material(key["KeyId"]) == material


@pytest.mark.parametrize(("key_spec", "algorithm", "wrapping_key_spec"), REFUSED)
def test_refused_combination_fails_at_get_parameters_for_import(
    kms: Any, key_spec: str, algorithm: str, wrapping_key_spec: str
) -> None:
    key = create_external_key(kms, key_spec)
    with pytest.raises(kms.exceptions.UnsupportedOperationException):
        kms.get_parameters_for_import(
            KeyId=key["KeyId"], WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
        )
