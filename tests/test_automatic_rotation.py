"""Automatic rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, and the
rotation itself, made when the mock's clock passes NextRotationDate (freezegun and
time-machine alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError, ParamValidationError
from freezegun import freeze_time
from kms_testing import create_external_key, error_of, import_material, material_for

from kmsimport_mock import KmsImportMock

START = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
YEAR = dt.timedelta(days=365)


@pytest.fixture(params=["freezegun", "time-machine"])
def clock(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A controllable clock, started at START, with a ``move_to(datetime)`` method."""
    if request.param == "freezegun":
        with freeze_time(START) as frozen:
            yield frozen
    else:
        with time_machine.travel(START, tick=False) as traveller:
            yield traveller


def _status(kms: Any, key_id: str) -> dict[str, Any]:
    answer = kms.get_key_rotation_status(KeyId=key_id)
    answer.pop("ResponseMetadata")
    return dict(answer)


def _arn(kms: Any, key_id: str) -> str:
    arn: str = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    return arn


def _current(kms: Any, key_id: str) -> str:
    current: str = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    return current


def _rotations(kms: Any, key_id: str) -> list[Any]:
    rotations: list[Any] = kms.list_key_rotations(KeyId=key_id)["Rotations"]
    return rotations


def _key(kms: Any, **kwargs: Any) -> str:
    key_id: str = kms.create_key(**kwargs)["KeyMetadata"]["KeyId"]
    return key_id


# --- status ---------------------------------------------------------------------------------


def test_new_key_does_not_rotate(kms: Any) -> None:
    key_id = _key(kms)
    assert _status(kms, key_id) == {"KeyId": _arn(kms, key_id), "KeyRotationEnabled": False}


def test_enabled_rotation_comes_a_year_after_the_enable_date(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    assert _status(kms, key_id) == {
        "KeyId": _arn(kms, key_id),
        "KeyRotationEnabled": True,
        "RotationPeriodInDays": 365,
        "NextRotationDate": START + YEAR,
    }


def test_rotation_period_sets_the_next_rotation_date(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    status = _status(kms, key_id)
    assert (status["RotationPeriodInDays"], status["NextRotationDate"]) == (
        90,
        START + dt.timedelta(days=90),
    )


def test_new_period_for_a_rotating_key_counts_from_the_same_start(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    clock.move_to(START + dt.timedelta(days=10))
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=100)
    assert _status(kms, key_id)["NextRotationDate"] == START + dt.timedelta(days=100)


def test_disabled_rotation_shows_no_period_or_date(kms: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    kms.disable_key_rotation(KeyId=key_id)
    assert _status(kms, key_id) == {"KeyId": _arn(kms, key_id), "KeyRotationEnabled": False}


def test_rotation_enabled_again_counts_from_the_new_enable_date(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    kms.disable_key_rotation(KeyId=key_id)
    clock.move_to(START + dt.timedelta(days=30))
    kms.enable_key_rotation(KeyId=key_id)
    assert _status(kms, key_id)["NextRotationDate"] == START + dt.timedelta(days=30) + YEAR


def test_rotation_period_below_90_days_is_refused(kms: Any) -> None:
    with pytest.raises(ParamValidationError):
        kms.enable_key_rotation(KeyId=_key(kms), RotationPeriodInDays=89)


def test_key_pending_deletion_shows_rotation_disabled_until_deletion_is_cancelled(
    kms: Any,
) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert _status(kms, key_id)["KeyRotationEnabled"] is False
    kms.cancel_key_deletion(KeyId=key_id)
    assert _status(kms, key_id)["KeyRotationEnabled"] is True


def test_disabled_key_keeps_its_rotation_status(kms: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id)
    kms.disable_key(KeyId=key_id)
    assert _status(kms, key_id)["KeyRotationEnabled"] is True


@pytest.mark.parametrize(
    ("key_spec", "usage"), [("RSA_2048", "SIGN_VERIFY"), ("HMAC_256", "GENERATE_VERIFY_MAC")]
)
def test_asymmetric_and_hmac_keys_never_rotate_automatically(
    kms: Any, key_spec: str, usage: str
) -> None:
    key_id = _key(kms, KeySpec=key_spec, KeyUsage=usage)
    assert _status(kms, key_id)["KeyRotationEnabled"] is False


# --- the rotation itself --------------------------------------------------------------------


def test_key_rotates_when_the_clock_passes_the_next_rotation_date(
    kms: Any, clock: Any, kms_import: KmsImportMock
) -> None:
    key_id = _key(kms)
    first = _current(kms, key_id)
    first_material = kms_import.key_material(key_id)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=90, seconds=1))
    assert _current(kms, key_id) != first
    assert kms_import.key_material(key_id) != first_material


def test_key_does_not_rotate_before_the_date(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    first = _current(kms, key_id)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=89))
    assert _current(kms, key_id) == first


def test_automatic_rotation_is_listed_with_its_date_and_type(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=100))
    [rotation] = _rotations(kms, key_id)
    assert (rotation["RotationType"], rotation["RotationDate"], rotation["KeyMaterialState"]) == (
        "AUTOMATIC",
        START + dt.timedelta(days=90),
        "CURRENT",
    )


def test_previous_material_becomes_non_current(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    first = _current(kms, key_id)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=91))
    listed = kms.list_key_rotations(KeyId=key_id, IncludeKeyMaterial="ALL_KEY_MATERIAL")
    states = {r["KeyMaterialId"]: r["KeyMaterialState"] for r in listed["Rotations"]}
    assert states[first] == "NON_CURRENT"


def test_next_rotation_date_moves_on_by_the_period(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=91))
    assert _status(kms, key_id)["NextRotationDate"] == START + dt.timedelta(days=180)


def test_every_missed_rotation_date_gets_its_rotation(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=100)
    clock.move_to(START + dt.timedelta(days=350))
    dates = [r["RotationDate"] for r in _rotations(kms, key_id)]
    assert dates == [START + dt.timedelta(days=d) for d in (100, 200, 300)]


def test_disabled_key_does_not_rotate_until_enabled_again(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    first = _current(kms, key_id)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    kms.disable_key(KeyId=key_id)
    clock.move_to(START + dt.timedelta(days=95))
    assert _current(kms, key_id) == first
    kms.enable_key(KeyId=key_id)
    assert _current(kms, key_id) != first


def test_disabled_rotation_stops_the_rotations(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    first = _current(kms, key_id)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    kms.disable_key_rotation(KeyId=key_id)
    clock.move_to(START + dt.timedelta(days=400))
    assert _current(kms, key_id) == first


def test_on_demand_rotation_leaves_the_automatic_schedule_alone(kms: Any, clock: Any) -> None:
    key_id = _key(kms)
    kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=10))
    kms.rotate_key_on_demand(KeyId=key_id)
    assert _status(kms, key_id)["NextRotationDate"] == START + dt.timedelta(days=90)


# --- multi-Region keys ------------------------------------------------------------------------


def test_replica_shows_the_rotation_set_on_its_primary(
    make_client: Any, clock: Any, kms_import: KmsImportMock
) -> None:
    kms_import.replica_creation_delay = 0  # the replica is ready at once
    primary_client = make_client()
    primary = _key(primary_client, MultiRegion=True)
    primary_client.replicate_key(KeyId=primary, ReplicaRegion="us-east-1")
    primary_client.enable_key_rotation(KeyId=primary, RotationPeriodInDays=90)
    status = _status(make_client("us-east-1"), primary)
    assert (status["KeyRotationEnabled"], status["NextRotationDate"]) == (
        True,
        START + dt.timedelta(days=90),
    )


def test_replica_rotates_with_its_primary(make_client: Any, clock: Any) -> None:
    primary_client, replica_client = make_client(), make_client("us-east-1")
    primary = _key(primary_client, MultiRegion=True)
    primary_client.replicate_key(KeyId=primary, ReplicaRegion="us-east-1")
    first = _current(replica_client, primary)
    primary_client.enable_key_rotation(KeyId=primary, RotationPeriodInDays=90)
    clock.move_to(START + dt.timedelta(days=91))
    assert _current(replica_client, primary) != first
    assert _current(replica_client, primary) == _current(primary_client, primary)


def test_rotation_cannot_be_set_on_a_replica(make_client: Any, kms_import: KmsImportMock) -> None:
    kms_import.replica_creation_delay = 0  # the replica is ready at once
    primary_client, replica_client = make_client(), make_client("us-east-1")
    primary = _key(primary_client, MultiRegion=True)
    primary_client.replicate_key(KeyId=primary, ReplicaRegion="us-east-1")
    with pytest.raises(ClientError) as excinfo:
        replica_client.enable_key_rotation(KeyId=primary)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{_arn(replica_client, primary)} is a multi-Region replica key. Set automatic "
        f"rotation on its primary key {_arn(primary_client, primary)}.",
    )


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["enable_key_rotation", "disable_key_rotation"])
def test_imported_key_cannot_rotate_automatically(kms: Any, operation: str) -> None:
    key_id = create_external_key(kms)["KeyId"]
    import_material(kms, key_id, material_for("SYMMETRIC_DEFAULT"))
    with pytest.raises(ClientError) as excinfo:
        getattr(kms, operation)(KeyId=key_id)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{_arn(kms, key_id)} origin is EXTERNAL which is not valid for this operation.",
    )


def test_imported_key_pending_import_has_no_rotation_status(kms: Any) -> None:
    key_id = create_external_key(kms)["KeyId"]
    with pytest.raises(ClientError) as excinfo:
        kms.get_key_rotation_status(KeyId=key_id)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{_arn(kms, key_id)} origin is EXTERNAL which is not valid for this operation.",
    )


@pytest.mark.parametrize(
    ("key_spec", "usage"),
    [
        ("RSA_2048", "SIGN_VERIFY"),
        ("ECC_NIST_P256", "SIGN_VERIFY"),
        ("HMAC_256", "GENERATE_VERIFY_MAC"),
    ],
)
def test_asymmetric_and_hmac_keys_cannot_enable_rotation(
    kms: Any, key_spec: str, usage: str
) -> None:
    key_id = _key(kms, KeySpec=key_spec, KeyUsage=usage)
    with pytest.raises(ClientError) as excinfo:
        kms.enable_key_rotation(KeyId=key_id)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{_arn(kms, key_id)} key spec is {key_spec} which is not valid for this operation.",
    )


def test_disabled_key_cannot_enable_rotation(kms: Any) -> None:
    key_id = _key(kms)
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        kms.enable_key_rotation(KeyId=key_id)
    assert error_of(excinfo) == ("DisabledException", f"{_arn(kms, key_id)} is disabled.")


def test_key_state_is_checked_before_the_key_spec(kms: Any) -> None:
    key_id = _key(kms, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    kms.disable_key(KeyId=key_id)
    with pytest.raises(ClientError) as excinfo:
        kms.enable_key_rotation(KeyId=key_id)
    assert error_of(excinfo)[0] == "DisabledException"


def test_key_pending_deletion_cannot_disable_rotation(kms: Any) -> None:
    key_id = _key(kms)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    with pytest.raises(ClientError) as excinfo:
        kms.disable_key_rotation(KeyId=key_id)
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"{_arn(kms, key_id)} is pending deletion.",
    )


def test_unknown_key_is_not_found(kms: Any) -> None:
    key_id = "0f0e0d0c-0b0a-4908-8706-050403020100"
    with pytest.raises(ClientError) as excinfo:
        kms.enable_key_rotation(KeyId=key_id)
    assert error_of(excinfo) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:eu-west-1:123456789012:key/{key_id}' does not exist",
    )
