"""Heavy use from many threads: complete import flows at once on shared and per-thread
clients and keys; mixed operations hammering one key; mocks started and stopped between
bursts. No lost update, no exception, and a final state that DescribeKey and the inspection
API agree on.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.exceptions import ClientError
from hostile_support import client, operation_model
from kms_testing import REGION, create_external_key, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.wrapping import wrap_key_material

THREADS = 16
FLOWS_PER_THREAD = 6
OWN_KEY_SPECS = ("SYMMETRIC_DEFAULT", "HMAC_256", "ECC_NIST_P256")
ALGORITHM = {
    "SYMMETRIC_DEFAULT": "RSAES_OAEP_SHA_256",
    "HMAC_256": "RSAES_OAEP_SHA_1",
    "ECC_NIST_P256": "RSA_AES_KEY_WRAP_SHA_256",
}
NEVER = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}


def _own_client() -> Any:
    # boto3's default session is not thread-safe for creating clients: one Session each.
    return boto3.session.Session().client("kms", region_name=REGION)


def _import(kms: Any, key_id: str, key_spec: str, material: bytes) -> str:
    algorithm = ALGORITHM[key_spec]
    params = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
    )
    blob = wrap_key_material(params["PublicKey"], material, algorithm)
    response = kms.import_key_material(
        KeyId=key_id, ImportToken=params["ImportToken"], EncryptedKeyMaterial=blob, **NEVER
    )
    material_id: str = response["KeyMaterialId"]
    return material_id


def _run_threads(work: Callable[[int], Any]) -> list[Any]:
    start = threading.Barrier(THREADS)

    def run(index: int) -> Any:
        start.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(run, index) for index in range(THREADS)]
        # result() re-raises whatever a thread raised.
        return [future.result(timeout=120) for future in futures]


def test_sixteen_threads_of_complete_import_flows_lose_no_update() -> None:
    shared_client = client()
    with KmsImportMock() as mock:
        shared_material = {spec: material_for(spec) for spec in ("SYMMETRIC_DEFAULT", "HMAC_256")}
        shared_keys = {
            spec: create_external_key(shared_client, spec)["KeyId"] for spec in shared_material
        }

        def flows(index: int) -> list[tuple[str, str, bytes, str]]:
            kms = shared_client if index % 2 else _own_client()
            done = []
            for flow in range(FLOWS_PER_THREAD):
                # Every thread also imports the same material into the shared keys.
                for spec, key_id in shared_keys.items():
                    _import(kms, key_id, spec, shared_material[spec])
                key_spec = OWN_KEY_SPECS[(index + flow) % len(OWN_KEY_SPECS)]
                key_id = create_external_key(kms, key_spec)["KeyId"]
                material = material_for(key_spec)
                material_id = _import(kms, key_id, key_spec, material)
                # Delete the material and bring the same material back: a complete cycle.
                kms.delete_imported_key_material(KeyId=key_id)
                assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == (
                    "PendingImport"
                )
                assert _import(kms, key_id, key_spec, material) == material_id
                kms.disable_key(KeyId=key_id)
                kms.enable_key(KeyId=key_id)
                done.append((key_id, key_spec, material, material_id))
            return done

        results = [flow for thread in _run_threads(flows) for flow in thread]

        assert len(results) == THREADS * FLOWS_PER_THREAD
        listed = shared_client.list_keys(Limit=1000)["Keys"]
        assert len(listed) == len(results) + len(shared_keys)
        assert sorted(mock.key_ids()) == sorted(k["KeyId"] for k in listed)
        for key_id, key_spec, material, material_id in results:
            meta = shared_client.describe_key(KeyId=key_id)["KeyMetadata"]
            assert meta["KeyState"] == "Enabled"
            assert mock.key_material(key_id) == material
            view = mock.inspect_key(key_id)
            assert [m.key_material_id for m in view.materials] == [material_id]
            if key_spec == "SYMMETRIC_DEFAULT":
                assert meta["CurrentKeyMaterialId"] == material_id
        for spec, key_id in shared_keys.items():
            assert mock.key_state(key_id) == "Enabled"
            assert mock.key_material(key_id) == shared_material[spec]
            # All 16 × 6 imports of the same material left exactly one material.
            assert len(mock.inspect_key(key_id).materials) == 1


MODELED = {
    operation: {shape.name for shape in operation_model(operation).error_shapes}
    for operation in (
        "DescribeKey",
        "EnableKey",
        "DisableKey",
        "GetParametersForImport",
        "ImportKeyMaterial",
        "DeleteImportedKeyMaterial",
        "ScheduleKeyDeletion",
        "CancelKeyDeletion",
    )
}


def test_mixed_operations_on_one_key_from_sixteen_threads_keep_its_state_consistent() -> None:
    shared_client = client()
    with KmsImportMock() as mock:
        key_id = create_external_key(shared_client)["KeyId"]
        material = material_for("SYMMETRIC_DEFAULT")

        def hammer(index: int) -> dict[str, int]:
            kms = shared_client if index % 2 else _own_client()
            rng = random.Random(index)
            outcomes: dict[str, int] = {}
            actions: dict[str, Callable[[], Any]] = {
                "DescribeKey": lambda: kms.describe_key(KeyId=key_id),
                "EnableKey": lambda: kms.enable_key(KeyId=key_id),
                "DisableKey": lambda: kms.disable_key(KeyId=key_id),
                "ImportKeyMaterial": lambda: _import(kms, key_id, "SYMMETRIC_DEFAULT", material),
                "DeleteImportedKeyMaterial": lambda: kms.delete_imported_key_material(KeyId=key_id),
                "ScheduleKeyDeletion": lambda: kms.schedule_key_deletion(
                    KeyId=key_id, PendingWindowInDays=7
                ),
                "CancelKeyDeletion": lambda: kms.cancel_key_deletion(KeyId=key_id),
            }
            names = sorted(actions)
            for _ in range(40):
                name = rng.choice(names)
                try:
                    actions[name]()
                    outcome = "success"
                except ClientError as error:
                    outcome = error.response["Error"]["Code"]
                    allowed = MODELED[name] | MODELED["GetParametersForImport"]
                    assert outcome in allowed | {"ValidationException"}, (name, outcome)
                outcomes[f"{name}: {outcome}"] = outcomes.get(f"{name}: {outcome}", 0) + 1
            return outcomes

        results = _run_threads(hammer)
        assert sum(sum(r.values()) for r in results) == THREADS * 40
        meta = shared_client.describe_key(KeyId=key_id)["KeyMetadata"]
        view = mock.inspect_key(key_id)
        assert meta["KeyState"] == view.key_state
        imported = mock.key_material(key_id) is not None
        # The key-state rules hold whatever order the calls ran in.
        if view.key_state in ("Enabled", "Disabled"):
            assert imported
        if view.key_state == "PendingImport":
            assert not imported
        if view.key_state == "PendingDeletion":
            assert "DeletionDate" in meta
        assert len(view.materials) <= 1
        if imported:
            assert mock.key_material(key_id) == material


def test_starting_and_stopping_mocks_while_other_threads_are_idle_is_safe() -> None:
    workers = 8
    rounds = 3
    go = threading.Barrier(workers + 1)
    done = threading.Barrier(workers + 1)
    created: list[list[str]] = [[] for _ in range(rounds)]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        kms = shared if index % 2 else _own_client()
        for round_number in range(rounds):
            go.wait(timeout=60)
            try:
                key_id = create_external_key(kms)["KeyId"]
                _import(kms, key_id, "SYMMETRIC_DEFAULT", material_for("SYMMETRIC_DEFAULT"))
                with lock:
                    created[round_number].append(key_id)
            except BaseException as error:  # reported by the main thread below
                errors.append(error)
            done.wait(timeout=60)

    shared = client()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for round_number in range(rounds):
        # The workers wait at the barrier while this thread starts a fresh mock.
        with KmsImportMock() as mock:
            go.wait(timeout=60)
            done.wait(timeout=60)
            # Each mock holds exactly the keys made while it was active, all imported.
            assert sorted(mock.key_ids()) == sorted(created[round_number])
            assert all(mock.key_state(k) == "Enabled" for k in created[round_number])
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [len(keys) for keys in created] == [workers] * rounds
