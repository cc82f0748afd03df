"""Time-driven behaviour with the clocks tests really use: freezegun and time-machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from freezegun import freeze_time
from kms_testing import create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.wrapping import wrap_key_material

START = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _meta(kms: Any, key_id: str) -> Any:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]


@pytest.fixture(params=["freezegun", "time-machine"])
def clock(request: pytest.FixtureRequest) -> Any:
    """A controllable clock, started at START, with a ``move_to(datetime)`` method."""
    if request.param == "freezegun":
        with freeze_time(START) as frozen:
            yield frozen
    else:
        with time_machine.travel(START, tick=False) as traveller:
            yield traveller


def test_material_expires_at_valid_to_and_the_key_is_pending_import(
    kms: Any, external_key: Any, kms_import: KmsImportMock, clock: Any
) -> None:
    valid_to = START + dt.timedelta(days=10)
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ValidTo=valid_to)
    clock.move_to(valid_to - dt.timedelta(seconds=1))
    assert _meta(kms, external_key["KeyId"])["KeyState"] == "Enabled"
    clock.move_to(valid_to)
    meta = _meta(kms, external_key["KeyId"])
    assert meta["KeyState"] == "PendingImport"
    assert meta["Enabled"] is False
    assert "ExpirationModel" not in meta and "ValidTo" not in meta
    assert kms_import.key_material(external_key["KeyId"]) is None


def test_expired_material_can_be_imported_again(
    kms: Any, external_key: Any, kms_import: KmsImportMock, clock: Any
) -> None:
    material = material_for("SYMMETRIC_DEFAULT")
    import_material(kms, external_key["KeyId"], material, ValidTo=START + dt.timedelta(hours=1))
    clock.move_to(START + dt.timedelta(hours=2))
    import_material(kms, external_key["KeyId"], material)
    assert _meta(kms, external_key["KeyId"])["KeyState"] == "Enabled"
    assert kms_import.key_material(external_key["KeyId"]) == material


def test_expiry_of_a_pending_deletion_key_keeps_it_pending_deletion(
    kms: Any, external_key: Any, clock: Any
) -> None:
    import_material(
        kms,
        external_key["KeyId"],
        material_for("SYMMETRIC_DEFAULT"),
        ValidTo=START + dt.timedelta(days=1),
    )
    kms.schedule_key_deletion(KeyId=external_key["KeyId"], PendingWindowInDays=7)
    clock.move_to(START + dt.timedelta(days=2))
    meta = _meta(kms, external_key["KeyId"])
    assert meta["KeyState"] == "PendingDeletion"
    assert "ExpirationModel" not in meta


def test_import_token_expires_after_24_hours(kms: Any, external_key: Any, clock: Any) -> None:
    params = kms.get_parameters_for_import(
        KeyId=external_key["KeyId"],
        WrappingAlgorithm="RSAES_OAEP_SHA_256",
        WrappingKeySpec="RSA_2048",
    )
    assert params["ParametersValidTo"] == START + dt.timedelta(hours=24)
    clock.move_to(START + dt.timedelta(hours=24, seconds=1))
    with pytest.raises(kms.exceptions.ExpiredImportTokenException):
        kms.import_key_material(
            KeyId=external_key["KeyId"],
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrap_key_material(
                params["PublicKey"], material_for("SYMMETRIC_DEFAULT"), "RSAES_OAEP_SHA_256"
            ),
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )


def test_creation_date_comes_from_the_moved_clock(kms: Any, clock: Any) -> None:
    assert create_external_key(kms)["CreationDate"] == START
