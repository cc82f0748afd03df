"""Multi-Region keys with imported material: ReplicateKey, importing into replicas,
independent states, the primary-then-replicas rotation flow, and deletion."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from kms_testing import error_of, import_material

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.wrapping import wrap_key_material

PRIMARY_REGION = "eu-west-1"
REPLICA_REGION = "us-east-1"
OTHER_REGION = "ap-southeast-2"
ALL = {"IncludeKeyMaterial": "ALL_KEY_MATERIAL"}
NEW = {"ImportType": "NEW_KEY_MATERIAL"}
START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


class MultiRegionKey:
    """A multi-Region EXTERNAL primary with material, and clients for its Regions."""

    def __init__(self, make_client: Callable[..., Any]) -> None:
        self.primary = make_client(PRIMARY_REGION)
        self.replica = make_client(REPLICA_REGION)
        self.other = make_client(OTHER_REGION)
        meta = self.primary.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]
        self.key_id: str = meta["KeyId"]
        self.arn: str = meta["Arn"]
        self.material = os.urandom(32)
        self.material_id: str = import_material(self.primary, self.key_id, self.material)[
            "KeyMaterialId"
        ]

    def replicate(self, region: str = REPLICA_REGION, **kwargs: Any) -> Any:
        return self.primary.replicate_key(KeyId=self.key_id, ReplicaRegion=region, **kwargs)

    def replica_arn(self, region: str = REPLICA_REGION) -> str:
        return self.arn.replace(PRIMARY_REGION, region)

    def describe(self, client: Any) -> Any:
        return client.describe_key(KeyId=self.key_id)["KeyMetadata"]

    def states(self, client: Any) -> dict[str, str]:
        rotations = client.list_key_rotations(KeyId=self.key_id, **ALL)["Rotations"]
        return {r["KeyMaterialId"]: r["KeyMaterialState"] for r in rotations}


@pytest.fixture(autouse=True)
def _replicas_created_at_once(kms_import: KmsImportMock) -> None:
    # These tests are about what follows a replica's creation, so they opt out of the
    # Creating period (3 s by default, as on AWS); test_key_states.py tests that period.
    kms_import.replica_creation_delay = 0


@pytest.fixture
def mrk(make_client: Callable[..., Any]) -> MultiRegionKey:
    return MultiRegionKey(make_client)


@pytest.fixture
def replicated(mrk: MultiRegionKey) -> MultiRegionKey:
    mrk.replicate()
    return mrk


# --- CreateKey and ReplicateKey -------------------------------------------------------------


def test_multi_region_key_id_starts_with_mrk(mrk: MultiRegionKey) -> None:
    assert mrk.key_id.startswith("mrk-") and len(mrk.key_id) == 36


def test_primary_without_replicas_describes_itself_as_primary(mrk: MultiRegionKey) -> None:
    config = mrk.describe(mrk.primary)["MultiRegionConfiguration"]
    assert config == {
        "MultiRegionKeyType": "PRIMARY",
        "PrimaryKey": {"Arn": mrk.arn, "Region": PRIMARY_REGION},
        "ReplicaKeys": [],
    }


def test_replica_has_the_primary_key_id_in_its_own_region(mrk: MultiRegionKey) -> None:
    meta = mrk.replicate()["ReplicaKeyMetadata"]
    assert (meta["KeyId"], meta["Arn"]) == (mrk.key_id, mrk.replica_arn())


def test_replica_shares_spec_usage_and_origin(mrk: MultiRegionKey) -> None:
    meta = mrk.replicate()["ReplicaKeyMetadata"]
    shared = ("KeySpec", "KeyUsage", "Origin", "MultiRegion", "EncryptionAlgorithms")
    primary = mrk.describe(mrk.primary)
    assert {k: meta[k] for k in shared} == {k: primary[k] for k in shared}


def test_replica_of_an_imported_key_is_pending_import_without_material(
    replicated: MultiRegionKey, kms_import: KmsImportMock
) -> None:
    meta = replicated.describe(replicated.replica)
    assert (meta["KeyState"], meta["Enabled"]) == ("PendingImport", False)
    assert "ExpirationModel" not in meta
    assert kms_import.key_material(replicated.key_id, region=REPLICA_REGION) is None


def test_replica_lists_the_primary_material_as_pending_import(
    replicated: MultiRegionKey,
) -> None:
    [entry] = replicated.replica.list_key_rotations(KeyId=replicated.key_id, **ALL)["Rotations"]
    assert (entry["KeyMaterialId"], entry["ImportState"]) == (
        replicated.material_id,
        "PENDING_IMPORT",
    )


def test_replicate_key_returns_the_default_policy(mrk: MultiRegionKey) -> None:
    response = mrk.replicate()
    assert '"Id": "key-default-1"' in response["ReplicaPolicy"]


def test_recorded_case_30_replicate_key_answers_creating_without_material_id_or_tags(
    mrk: MultiRegionKey,
) -> None:
    # recorded-aws.md case 30: the answer shows the replica as just created, even where
    # (as here, with no creation delay) it is already PendingImport.
    response = mrk.replicate()
    meta = response["ReplicaKeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"]) == ("Creating", False)
    assert "CurrentKeyMaterialId" not in meta
    assert "ReplicaTags" not in response


def test_recorded_case_30_describe_key_then_shows_the_replica_current_key_material_id(
    mrk: MultiRegionKey,
) -> None:
    mrk.replicate()
    meta = mrk.describe(mrk.replica)
    assert (meta["KeyState"], meta["CurrentKeyMaterialId"]) == ("PendingImport", mrk.material_id)


def test_replicate_key_keeps_given_description_policy_and_tags(mrk: MultiRegionKey) -> None:
    policy = '{"Version": "2012-10-17", "Statement": []}'
    tags = [{"TagKey": "team", "TagValue": "crypto"}]
    response = mrk.replicate(Description="replica", Policy=policy, Tags=tags)
    assert (response["ReplicaPolicy"], response["ReplicaTags"]) == (policy, tags)
    assert response["ReplicaKeyMetadata"]["Description"] == "replica"


def test_primary_lists_its_replicas(replicated: MultiRegionKey) -> None:
    replicated.replicate(OTHER_REGION)
    config = replicated.describe(replicated.primary)["MultiRegionConfiguration"]
    assert config["ReplicaKeys"] == [
        {"Arn": replicated.replica_arn(), "Region": REPLICA_REGION},
        {"Arn": replicated.replica_arn(OTHER_REGION), "Region": OTHER_REGION},
    ]


def test_replica_describes_itself_as_replica(replicated: MultiRegionKey) -> None:
    config = replicated.describe(replicated.replica)["MultiRegionConfiguration"]
    assert config == {
        "MultiRegionKeyType": "REPLICA",
        "PrimaryKey": {"Arn": replicated.arn, "Region": PRIMARY_REGION},
        "ReplicaKeys": [{"Arn": replicated.replica_arn(), "Region": REPLICA_REGION}],
    }


def test_replicate_is_refused_while_the_primary_is_pending_import(
    make_client: Callable[..., Any],
) -> None:
    kms = make_client(PRIMARY_REGION)
    key = kms.create_key(Origin="EXTERNAL", MultiRegion=True)["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        kms.replicate_key(KeyId=key["KeyId"], ReplicaRegion=REPLICA_REGION)
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_replicate_is_refused_while_the_primary_is_disabled(mrk: MultiRegionKey) -> None:
    mrk.primary.disable_key(KeyId=mrk.key_id)
    with pytest.raises(ClientError) as excinfo:
        mrk.replicate()
    assert error_of(excinfo) == ("DisabledException", f"{mrk.arn} is disabled.")


def test_replicate_is_refused_while_the_primary_is_pending_deletion(mrk: MultiRegionKey) -> None:
    mrk.primary.schedule_key_deletion(KeyId=mrk.key_id)
    with pytest.raises(ClientError) as excinfo:
        mrk.replicate()
    assert error_of(excinfo) == ("KMSInvalidStateException", f"{mrk.arn} is pending deletion.")


def test_single_region_key_cannot_be_replicated(make_client: Callable[..., Any]) -> None:
    kms = make_client(PRIMARY_REGION)
    key = kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        kms.replicate_key(KeyId=key["KeyId"], ReplicaRegion=REPLICA_REGION)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{key['Arn']} is not a multi-region key.",
    )


def test_replica_cannot_be_replicated(replicated: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.replicate_key(KeyId=replicated.key_id, ReplicaRegion=OTHER_REGION)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{replicated.replica_arn()} is not a multi-region primary key.",
    )


def test_recorded_case_31_replica_is_not_a_primary_before_any_region_check(
    replicated: MultiRegionKey,
) -> None:
    # recorded-aws.md case 31: asked from the replica's Region for that same Region.
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.replicate_key(KeyId=replicated.key_id, ReplicaRegion=REPLICA_REGION)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{replicated.replica_arn()} is not a multi-region primary key.",
    )


def test_replica_is_not_a_primary_before_an_unknown_region_check(
    replicated: MultiRegionKey,
) -> None:
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.replicate_key(KeyId=replicated.key_id, ReplicaRegion="xx-nowhere-1")
    assert error_of(excinfo)[0] == "UnsupportedOperationException"


def test_replica_in_the_primary_region_is_refused(mrk: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        mrk.replicate(PRIMARY_REGION)
    assert error_of(excinfo)[0] == "ValidationException"


@pytest.mark.parametrize("region", ["xx-nowhere-1", "cn-north-1"])
def test_replica_in_a_region_without_kms_in_the_partition_is_refused(
    mrk: MultiRegionKey, region: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        mrk.replicate(region)
    assert error_of(excinfo) == (
        "ValidationException",
        f"The replica Region {region} is not supported in partition aws.",
    )


def test_malformed_replica_region_is_a_validation_error(mrk: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        mrk.replicate("EU_WEST_1")
    assert error_of(excinfo)[0] == "ValidationException"


def test_second_replica_in_the_same_region_already_exists(replicated: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        replicated.replicate()
    assert error_of(excinfo) == (
        "AlreadyExistsException",
        f"A replica of {replicated.arn} already exists in Region {REPLICA_REGION}.",
    )


def test_replica_of_a_kms_generated_key_is_enabled_with_the_same_material(
    make_client: Callable[..., Any], kms_import: KmsImportMock
) -> None:
    kms = make_client(PRIMARY_REGION)
    key_id = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    kms.replicate_key(KeyId=key_id, ReplicaRegion=REPLICA_REGION)
    meta = make_client(REPLICA_REGION).describe_key(KeyId=key_id)["KeyMetadata"]
    assert meta["KeyState"] == "Enabled"
    assert kms_import.key_material(key_id, region=REPLICA_REGION) == kms_import.key_material(
        key_id, region=PRIMARY_REGION
    )


# --- importing into replicas ------------------------------------------------------------------


def test_importing_the_primary_material_enables_the_replica(replicated: MultiRegionKey) -> None:
    response = import_material(replicated.replica, replicated.key_id, replicated.material)
    assert response == {
        "KeyId": replicated.replica_arn(),
        "KeyMaterialId": replicated.material_id,
        "ResponseMetadata": response["ResponseMetadata"],
    }
    assert replicated.describe(replicated.replica)["KeyState"] == "Enabled"


def test_replica_material_can_use_other_wrapping_parameters(replicated: MultiRegionKey) -> None:
    import_material(
        replicated.replica,
        replicated.key_id,
        replicated.material,
        algorithm="RSAES_OAEP_SHA_1",
        wrapping_key_spec="RSA_4096",
    )
    assert replicated.describe(replicated.replica)["KeyState"] == "Enabled"


def test_different_material_in_a_replica_is_incorrect(replicated: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(replicated.replica, replicated.key_id, os.urandom(32))
    assert error_of(excinfo)[0] == "IncorrectKeyMaterialException"


def test_primary_token_cannot_import_into_a_replica(replicated: MultiRegionKey) -> None:
    params = replicated.primary.get_parameters_for_import(
        KeyId=replicated.key_id,
        WrappingAlgorithm="RSAES_OAEP_SHA_256",
        WrappingKeySpec="RSA_2048",
    )
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.import_key_material(
            KeyId=replicated.key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=wrap_key_material(
                params["PublicKey"], replicated.material, "RSAES_OAEP_SHA_256"
            ),
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
    assert error_of(excinfo)[0] == "InvalidImportTokenException"


def test_new_key_material_cannot_be_imported_into_a_replica(replicated: MultiRegionKey) -> None:
    with pytest.raises(ClientError) as excinfo:
        import_material(replicated.replica, replicated.key_id, os.urandom(32), **NEW)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"New key material cannot be imported into the multi-region replica key "
        f"{replicated.replica_arn()}. Import it into the primary key {replicated.arn} with "
        "ImportType NEW_KEY_MATERIAL, then into each replica key with ImportType "
        "EXISTING_KEY_MATERIAL.",
    )


def test_replica_expiry_leaves_the_primary_enabled(mrk: MultiRegionKey) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        mrk.replicate()
        valid_to = START + dt.timedelta(days=1)
        import_material(mrk.replica, mrk.key_id, mrk.material, ValidTo=valid_to)
        traveller.shift(dt.timedelta(days=2))
        assert mrk.describe(mrk.replica)["KeyState"] == "PendingImport"
        assert mrk.describe(mrk.primary)["KeyState"] == "Enabled"


def test_expiry_is_set_per_region(replicated: MultiRegionKey) -> None:
    valid_to = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
    import_material(replicated.replica, replicated.key_id, replicated.material, ValidTo=valid_to)
    assert "ValidTo" not in replicated.describe(replicated.primary)
    assert replicated.describe(replicated.replica)["ValidTo"] == valid_to


def test_deleting_replica_material_leaves_the_primary_enabled(replicated: MultiRegionKey) -> None:
    import_material(replicated.replica, replicated.key_id, replicated.material)
    replicated.replica.delete_imported_key_material(KeyId=replicated.key_id)
    assert replicated.describe(replicated.replica)["KeyState"] == "PendingImport"
    assert replicated.describe(replicated.primary)["KeyState"] == "Enabled"


def test_disabling_the_primary_leaves_the_replica_enabled(replicated: MultiRegionKey) -> None:
    import_material(replicated.replica, replicated.key_id, replicated.material)
    replicated.primary.disable_key(KeyId=replicated.key_id)
    assert replicated.describe(replicated.replica)["KeyState"] == "Enabled"


# --- rotation of multi-Region keys ------------------------------------------------------------


def _new_material_in_primary(mrk: MultiRegionKey) -> tuple[bytes, str]:
    new = os.urandom(32)
    return new, import_material(mrk.primary, mrk.key_id, new, **NEW)["KeyMaterialId"]


def test_new_material_in_a_primary_with_replicas_waits_for_the_replicas(
    replicated: MultiRegionKey,
) -> None:
    _, new_id = _new_material_in_primary(replicated)
    assert replicated.states(replicated.primary)[new_id] == (
        "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
    )


def test_replica_lists_new_primary_material_as_pending_import(replicated: MultiRegionKey) -> None:
    _, new_id = _new_material_in_primary(replicated)
    rotations = replicated.replica.list_key_rotations(KeyId=replicated.key_id, **ALL)
    entry = next(r for r in rotations["Rotations"] if r["KeyMaterialId"] == new_id)
    assert (entry["ImportState"], entry["KeyMaterialState"]) == (
        "PENDING_IMPORT",
        "PENDING_MULTI_REGION_IMPORT_AND_ROTATION",
    )


def test_new_material_in_a_primary_without_replicas_is_pending_rotation(
    mrk: MultiRegionKey,
) -> None:
    _, new_id = _new_material_in_primary(mrk)
    assert mrk.states(mrk.primary)[new_id] == "PENDING_ROTATION"


def test_new_material_is_pending_rotation_once_every_replica_has_it(
    replicated: MultiRegionKey,
) -> None:
    replicated.replicate(OTHER_REGION)
    new, new_id = _new_material_in_primary(replicated)
    import_material(replicated.replica, replicated.key_id, new, ImportType="EXISTING_KEY_MATERIAL")
    assert replicated.states(replicated.primary)[new_id] == (
        "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
    )
    import_material(replicated.other, replicated.key_id, new, ImportType="EXISTING_KEY_MATERIAL")
    assert replicated.states(replicated.primary)[new_id] == "PENDING_ROTATION"
    assert replicated.states(replicated.replica)[new_id] == "PENDING_ROTATION"


def test_rotation_before_every_replica_has_the_material_is_refused(
    replicated: MultiRegionKey,
) -> None:
    _new_material_in_primary(replicated)
    with pytest.raises(ClientError) as excinfo:
        replicated.primary.rotate_key_on_demand(KeyId=replicated.key_id)
    assert error_of(excinfo) == (
        "KMSInvalidStateException",
        f"No available key material pending rotation for the key: {replicated.arn}.",
    )


def test_rotation_of_the_primary_rotates_every_replica(replicated: MultiRegionKey) -> None:
    import_material(replicated.replica, replicated.key_id, replicated.material)
    new, new_id = _new_material_in_primary(replicated)
    import_material(replicated.replica, replicated.key_id, new)
    replicated.primary.rotate_key_on_demand(KeyId=replicated.key_id)
    assert replicated.describe(replicated.replica)["CurrentKeyMaterialId"] == new_id
    assert replicated.states(replicated.replica) == {
        replicated.material_id: "NON_CURRENT",
        new_id: "CURRENT",
    }


def test_rotating_a_replica_is_refused(replicated: MultiRegionKey) -> None:
    import_material(replicated.replica, replicated.key_id, replicated.material)
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.rotate_key_on_demand(KeyId=replicated.key_id)
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        f"{replicated.replica_arn()} is a multi-region replica key. Rotate its primary key "
        f"{replicated.arn} instead.",
    )


def test_rotating_a_disabled_replica_answers_its_state_first(replicated: MultiRegionKey) -> None:
    import_material(replicated.replica, replicated.key_id, replicated.material)
    replicated.replica.disable_key(KeyId=replicated.key_id)
    with pytest.raises(ClientError) as excinfo:
        replicated.replica.rotate_key_on_demand(KeyId=replicated.key_id)
    assert error_of(excinfo) == ("DisabledException", f"{replicated.replica_arn()} is disabled.")


def test_replica_made_while_material_is_pending_holds_the_rotation_back(
    mrk: MultiRegionKey,
) -> None:
    _, new_id = _new_material_in_primary(mrk)
    mrk.replicate()
    assert mrk.states(mrk.primary)[new_id] == "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"


def test_replica_of_a_rotated_primary_needs_every_material(mrk: MultiRegionKey) -> None:
    new, _ = _new_material_in_primary(mrk)
    mrk.primary.rotate_key_on_demand(KeyId=mrk.key_id)
    mrk.replicate()
    import_material(mrk.replica, mrk.key_id, new)
    assert mrk.describe(mrk.replica)["KeyState"] == "PendingImport"
    import_material(mrk.replica, mrk.key_id, mrk.material)
    assert mrk.describe(mrk.replica)["KeyState"] == "Enabled"


def test_deleting_pending_material_of_the_primary_deletes_it_from_replicas(
    replicated: MultiRegionKey,
) -> None:
    new, new_id = _new_material_in_primary(replicated)
    import_material(replicated.replica, replicated.key_id, new)
    replicated.primary.delete_imported_key_material(KeyId=replicated.key_id, KeyMaterialId=new_id)
    assert new_id not in replicated.states(replicated.replica)


def test_deleting_pending_material_of_a_replica_leaves_it_in_the_primary(
    replicated: MultiRegionKey,
) -> None:
    new, new_id = _new_material_in_primary(replicated)
    import_material(replicated.replica, replicated.key_id, new)
    replicated.replica.delete_imported_key_material(KeyId=replicated.key_id, KeyMaterialId=new_id)
    rotations = replicated.primary.list_key_rotations(KeyId=replicated.key_id, **ALL)
    entry = next(r for r in rotations["Rotations"] if r["KeyMaterialId"] == new_id)
    assert (entry["ImportState"], entry["KeyMaterialState"]) == (
        "IMPORTED",
        "PENDING_MULTI_REGION_IMPORT_AND_ROTATION",
    )


# --- deletion ---------------------------------------------------------------------------------


def test_scheduling_deletion_of_a_primary_with_replicas_waits_for_them(
    replicated: MultiRegionKey,
) -> None:
    response = replicated.primary.schedule_key_deletion(
        KeyId=replicated.key_id, PendingWindowInDays=7
    )
    assert (response["KeyState"], response["PendingWindowInDays"]) == (
        "PendingReplicaDeletion",
        7,
    )
    assert "DeletionDate" not in response


def test_primary_pending_replica_deletion_shows_its_window_but_no_date(
    replicated: MultiRegionKey,
) -> None:
    replicated.primary.schedule_key_deletion(KeyId=replicated.key_id, PendingWindowInDays=7)
    meta = replicated.describe(replicated.primary)
    assert (meta["KeyState"], meta["PendingDeletionWindowInDays"]) == (
        "PendingReplicaDeletion",
        7,
    )
    assert "DeletionDate" not in meta


def test_primary_becomes_pending_deletion_when_its_last_replica_is_deleted(
    mrk: MultiRegionKey,
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        mrk.replicate()
        mrk.replica.schedule_key_deletion(KeyId=mrk.key_id, PendingWindowInDays=7)
        mrk.primary.schedule_key_deletion(KeyId=mrk.key_id, PendingWindowInDays=10)
        traveller.shift(dt.timedelta(days=8))
        meta = mrk.describe(mrk.primary)
    assert (
        meta["KeyState"],
        meta["DeletionDate"],
        meta["MultiRegionConfiguration"]["ReplicaKeys"],
    ) == (
        "PendingDeletion",
        START + dt.timedelta(days=17),
        [],
    )


def test_primary_is_deleted_after_its_own_window(mrk: MultiRegionKey) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        mrk.replicate()
        mrk.replica.schedule_key_deletion(KeyId=mrk.key_id, PendingWindowInDays=7)
        mrk.primary.schedule_key_deletion(KeyId=mrk.key_id, PendingWindowInDays=10)
        traveller.shift(dt.timedelta(days=18))
        with pytest.raises(ClientError) as excinfo:
            mrk.describe(mrk.primary)
    assert error_of(excinfo)[0] == "NotFoundException"


def test_deleted_replica_region_can_be_replicated_into_again(mrk: MultiRegionKey) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        mrk.replicate()
        mrk.replica.schedule_key_deletion(KeyId=mrk.key_id, PendingWindowInDays=7)
        traveller.shift(dt.timedelta(days=8))
        mrk.replicate()
        assert mrk.describe(mrk.replica)["KeyState"] == "PendingImport"


def test_cancelling_deletion_of_a_primary_pending_replica_deletion(
    replicated: MultiRegionKey,
) -> None:
    replicated.primary.schedule_key_deletion(KeyId=replicated.key_id)
    replicated.primary.cancel_key_deletion(KeyId=replicated.key_id)
    assert replicated.describe(replicated.primary)["KeyState"] == "Disabled"


def test_expired_pending_material_of_the_primary_leaves_the_replicas_too(
    mrk: MultiRegionKey,
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        mrk.replicate()
        new = os.urandom(32)
        valid_to = START + dt.timedelta(days=1)
        new_id = import_material(mrk.primary, mrk.key_id, new, ValidTo=valid_to, **NEW)[
            "KeyMaterialId"
        ]
        traveller.shift(dt.timedelta(days=2))
        assert new_id not in mrk.states(mrk.replica)
        assert mrk.describe(mrk.primary)["KeyState"] == "Enabled"


def test_new_replica_shows_the_primary_current_key_material_id(
    replicated: MultiRegionKey,
) -> None:
    meta = replicated.describe(replicated.replica)
    assert meta["CurrentKeyMaterialId"] == replicated.material_id
