"""aiobotocore clients are served by the same mock: its async client emits the same
``before-call`` event, and the handler never touches credentials (coroutines there)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from aiobotocore.session import get_session
from kms_testing import REGION

from kmsimport_mock import KmsImportMock, mock_kms_import, wrap_key_material


def _client() -> Any:
    return get_session().create_client("kms", region_name=REGION)


async def _import(kms: Any, key_id: str, material: bytes) -> Any:
    params = await kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    return await kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrap_key_material(params["PublicKey"], material, "RSAES_OAEP_SHA_256"),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


def test_aiobotocore_client_runs_the_whole_import_flow(kms_import: KmsImportMock) -> None:
    material = os.urandom(32)

    async def flow() -> tuple[str, str, str]:
        async with _client() as kms:
            key_id = (await kms.create_key(Origin="EXTERNAL"))["KeyMetadata"]["KeyId"]
            await _import(kms, key_id, material)
            enabled = (await kms.describe_key(KeyId=key_id))["KeyMetadata"]["KeyState"]
            await kms.delete_imported_key_material(KeyId=key_id)
            pending = (await kms.describe_key(KeyId=key_id))["KeyMetadata"]["KeyState"]
            return key_id, enabled, pending

    key_id, enabled, pending = asyncio.run(flow())
    assert (enabled, pending) == ("Enabled", "PendingImport")
    assert kms_import.key_material(key_id) is None  # deleted


def test_aiobotocore_import_hands_kms_the_material(kms_import: KmsImportMock) -> None:
    material = os.urandom(32)

    async def flow() -> str:
        async with _client() as kms:
            key_id: str = (await kms.create_key(Origin="EXTERNAL"))["KeyMetadata"]["KeyId"]
            await _import(kms, key_id, material)
            return key_id

    assert kms_import.key_material(asyncio.run(flow())) == material


def test_aiobotocore_errors_are_modeled_exceptions(kms_import: KmsImportMock) -> None:
    async def flow() -> None:
        async with _client() as kms:
            key_id = (await kms.create_key(Origin="EXTERNAL"))["KeyMetadata"]["KeyId"]
            with pytest.raises(kms.exceptions.InvalidImportTokenException):
                await kms.import_key_material(
                    KeyId=key_id,
                    ImportToken=b"\x00" * 64,
                    EncryptedKeyMaterial=b"\x00" * 256,
                    ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
                )

    asyncio.run(flow())


def test_decorated_coroutine_function_serves_aiobotocore() -> None:
    @mock_kms_import
    async def create() -> str:
        async with _client() as kms:
            state: str = (await kms.create_key(Origin="EXTERNAL"))["KeyMetadata"]["KeyState"]
            return state

    assert asyncio.run(create()) == "PendingImport"


def test_aiobotocore_unserved_operation_raises_operation_not_mocked(
    kms_import: KmsImportMock,
) -> None:
    from kmsimport_mock import OperationNotMocked

    async def flow() -> None:
        async with _client() as kms:
            await kms.describe_custom_key_stores()

    with pytest.raises(OperationNotMocked):
        asyncio.run(flow())
