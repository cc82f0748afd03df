"""The key-state table for the import operations: Enabled, Disabled, PendingDeletion,
PendingReplicaDeletion, PendingImport and Creating (a new replica)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from kms_testing import NEVER_EXPIRES, error_of, import_material

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.wrapping import wrap_key_material

PRIMARY_REGION = "eu-west-1"
REPLICA_REGION = "us-west-2"
OAEP = "RSAES_OAEP_SHA_256"
START = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
STATES = [
    "Enabled",
    "Disabled",
    "PendingDeletion",
    "PendingReplicaDeletion",
    "PendingImport",
    "Creating",
]


@dataclass
class KeyInState:
    client: Any
    key_id: str
    arn: str
    material: bytes
    params: Any  # GetParametersForImport response obtained while that was still allowed

    def import_(self) -> Any:
        return self.client.import_key_material(
            KeyId=self.key_id,
            ImportToken=self.params["ImportToken"],
            EncryptedKeyMaterial=wrap_key_material(self.params["PublicKey"], self.material, OAEP),
            **NEVER_EXPIRES,
        )

    def state(self) -> str:
        return str(self.client.describe_key(KeyId=self.key_id)["KeyMetadata"]["KeyState"])


def _params(client: Any, key_id: str) -> Any:
    return client.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=OAEP, WrappingKeySpec="RSA_2048"
    )


@pytest.fixture
def key_in_state(
    make_client: Callable[..., Any], kms_import: KmsImportMock
) -> Callable[[str], KeyInState]:
    def make(state: str) -> KeyInState:
        kms = make_client(PRIMARY_REGION)
        multi_region = state in ("PendingReplicaDeletion", "Creating")
        meta = kms.create_key(Origin="EXTERNAL", MultiRegion=multi_region)["KeyMetadata"]
        key_id, material = meta["KeyId"], os.urandom(32)
        if state != "PendingImport":
            import_material(kms, key_id, material)
        params = _params(kms, key_id)
        if state == "Disabled":
            kms.disable_key(KeyId=key_id)
        if state == "PendingDeletion":
            kms.schedule_key_deletion(KeyId=key_id)
        if state == "PendingReplicaDeletion":
            kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
            kms.schedule_key_deletion(KeyId=key_id)
        if state == "Creating":
            kms_import.replica_creation_delay = 60
            kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
            replica = make_client(REPLICA_REGION)
            arn = meta["Arn"].replace(PRIMARY_REGION, REPLICA_REGION)
            return KeyInState(replica, key_id, arn, material, params)
        return KeyInState(kms, key_id, meta["Arn"], material, params)

    return make


REFUSED = {
    "PendingDeletion": "is pending deletion.",
    "PendingReplicaDeletion": "is pending replica deletion.",
    "Creating": "is creating.",
}


def test_every_state_can_be_reached(key_in_state: Callable[[str], KeyInState]) -> None:
    assert [key_in_state(state).state() for state in STATES] == STATES


# --- GetParametersForImport -------------------------------------------------------------------


@pytest.mark.parametrize("state", ["Enabled", "Disabled", "PendingImport"])
def test_get_parameters_for_import_works_in(
    key_in_state: Callable[[str], KeyInState], state: str
) -> None:
    key = key_in_state(state)
    assert _params(key.client, key.key_id)["KeyId"] == key.arn


@pytest.mark.parametrize("state", sorted(REFUSED))
def test_get_parameters_for_import_is_refused_in(
    key_in_state: Callable[[str], KeyInState], state: str
) -> None:
    key = key_in_state(state)
    with pytest.raises(ClientError) as excinfo:
        _params(key.client, key.key_id)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{key.arn} {REFUSED[state]}")


# --- ImportKeyMaterial --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "after"),
    [("Enabled", "Enabled"), ("Disabled", "Disabled"), ("PendingImport", "Enabled")],
)
def test_import_key_material_works_in(
    key_in_state: Callable[[str], KeyInState], state: str, after: str
) -> None:
    key = key_in_state(state)
    key.import_()
    assert key.state() == after


@pytest.mark.parametrize("state", sorted(REFUSED))
def test_import_key_material_is_refused_in(
    key_in_state: Callable[[str], KeyInState], state: str
) -> None:
    key = key_in_state(state)
    with pytest.raises(ClientError) as excinfo:
        key.import_()
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{key.arn} {REFUSED[state]}")


# --- DeleteImportedKeyMaterial ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "after"),
    [
        ("Enabled", "PendingImport"),
        ("Disabled", "PendingImport"),
        ("PendingDeletion", "PendingDeletion"),
        ("PendingReplicaDeletion", "PendingReplicaDeletion"),
        ("PendingImport", "PendingImport"),
    ],
)
def test_delete_imported_key_material_works_in(
    key_in_state: Callable[[str], KeyInState], state: str, after: str
) -> None:
    key = key_in_state(state)
    assert key.client.delete_imported_key_material(KeyId=key.key_id)["KeyId"] == key.arn
    assert key.state() == after


def test_delete_imported_key_material_is_refused_while_creating(
    key_in_state: Callable[[str], KeyInState],
) -> None:
    key = key_in_state("Creating")
    with pytest.raises(ClientError) as excinfo:
        key.client.delete_imported_key_material(KeyId=key.key_id)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{key.arn} is creating.")


# --- Creating: a replica's transient state ------------------------------------------------------


def test_replica_is_creating_for_three_seconds_by_default(make_client: Callable[..., Any]) -> None:
    kms = make_client(PRIMARY_REGION)
    replica = make_client(REPLICA_REGION)
    with time_machine.travel(START, tick=False) as traveller:
        key_id = kms.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]["KeyId"]
        import_material(kms, key_id, os.urandom(32))
        kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
        traveller.shift(dt.timedelta(seconds=2.9))
        assert replica.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Creating"
        traveller.shift(dt.timedelta(seconds=0.1))
        assert replica.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_zero_creation_delay_makes_replicas_at_once(
    kms_import: KmsImportMock, make_client: Callable[..., Any]
) -> None:
    kms_import.replica_creation_delay = 0
    kms = make_client(PRIMARY_REGION)
    key_id = kms.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
    meta = make_client(REPLICA_REGION).describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "PendingImport"


def test_default_creation_delay_is_three_seconds() -> None:
    assert KmsImportMock().replica_creation_delay == dt.timedelta(seconds=3)


def test_replicate_key_answers_creating_while_the_delay_runs(
    kms_import: KmsImportMock, make_client: Callable[..., Any]
) -> None:
    kms_import.replica_creation_delay = 60
    kms = make_client(PRIMARY_REGION)
    key_id = kms.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]["KeyId"]
    import_material(kms, key_id, os.urandom(32))
    meta = kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)["ReplicaKeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("Creating", False)


def test_creating_ends_in_pending_import_once_the_delay_has_passed(
    key_in_state: Callable[[str], KeyInState],
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        key = key_in_state("Creating")
        traveller.shift(dt.timedelta(seconds=59))
        assert key.state() == "Creating"
        traveller.shift(dt.timedelta(seconds=1))
        assert key.state() == "PendingImport"


def test_kms_generated_replica_ends_creating_enabled(
    make_client: Callable[..., Any], kms_import: KmsImportMock
) -> None:
    kms_import.replica_creation_delay = dt.timedelta(seconds=5)
    kms = make_client(PRIMARY_REGION)
    with time_machine.travel(START, tick=False) as traveller:
        key_id = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
        kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
        traveller.shift(dt.timedelta(seconds=5))
        meta = make_client(REPLICA_REGION).describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Enabled"


def test_creating_replica_can_be_scheduled_for_deletion(
    key_in_state: Callable[[str], KeyInState],
) -> None:
    key = key_in_state("Creating")
    response = key.client.schedule_key_deletion(KeyId=key.key_id)
    assert response["KeyState"] == "PendingDeletion"


def test_creating_replica_cannot_be_enabled(key_in_state: Callable[[str], KeyInState]) -> None:
    key = key_in_state("Creating")
    with pytest.raises(ClientError) as excinfo:
        key.client.enable_key(KeyId=key.key_id)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{key.arn} is creating.")


def test_creation_delay_set_before_start_applies(make_client: Callable[..., Any]) -> None:
    mock = KmsImportMock()
    mock.replica_creation_delay = 30
    with mock:
        kms = make_client(PRIMARY_REGION)
        key_id = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
        meta = kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
    assert meta["ReplicaKeyMetadata"]["KeyState"] == "Creating"


def test_negative_creation_delay_is_refused(kms_import: KmsImportMock) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        kms_import.replica_creation_delay = -1
