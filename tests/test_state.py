"""``serve --state-dir``: what is kept, what a write costs, and what is refused.

The endpoint runs in-process here (``make_server`` on loopback, served by a thread), with
real boto3 clients over HTTP, so a test can break the disk under it. The same behaviour
as real subprocesses (two servers, ``kill -9``, a full disk) is in
``tests/hostile/test_state_dir.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import ExponentialBackoff
from kms_testing import REGION, create_external_key, error_of, import_material, material_for

from kmsimport_mock.backend.model import Key
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.crypto.wrapping_key_pool import WrappingKeyPool
from kmsimport_mock.transport import persistence, state_documents
from kmsimport_mock.transport.server import KmsServer, make_server

ACCOUNT = "123456789012"  # what the mock makes of an access key it was not told about


@dataclass
class Endpoint:
    server: KmsServer
    thread: threading.Thread

    def client(self, max_attempts: int = 1) -> Any:
        return boto3.session.Session().client(
            "kms",
            region_name=REGION,
            endpoint_url=self.server.url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="not-a-secret",
            config=Config(retries={"max_attempts": max_attempts, "mode": "standard"}),
        )

    @property
    def store(self) -> persistence.StateStore:
        assert self.server.state is not None
        return self.server.state

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
            self.server.server_close()
            self.server.close_state()


@pytest.fixture
def start_endpoint() -> Iterator[Callable[[Path], Endpoint]]:
    started: list[Endpoint] = []

    def start(state_dir: Path) -> Endpoint:
        server = make_server(state_dir=state_dir)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        endpoint = Endpoint(server, thread)
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint.stop()


def _database(state_dir: Path) -> Path:
    return state_dir / persistence.DATABASE_NAME


def _rows(state_dir: Path, sql: str) -> list[Any]:
    with sqlite3.connect(_database(state_dir)) as connection:
        return connection.execute(sql).fetchall()


def _edit_key_document(state_dir: Path, edit: Callable[[dict[str, Any]], Any]) -> None:
    """Changes the stored document of the one key in a stopped server's state dir."""
    connection = sqlite3.connect(_database(state_dir))
    with connection:
        [(key_id, document)] = connection.execute("SELECT key_id, document FROM keys")
        raw = json.loads(document)
        replaced = edit(raw)  # edits change the document in place, or return a new one
        if isinstance(replaced, list):
            raw = replaced
        connection.execute(
            "UPDATE keys SET document = ? WHERE key_id = ?", (json.dumps(raw), key_id)
        )
    connection.close()


def _fingerprint(state_dir: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(state_dir.iterdir())
        if path.name != persistence.LOCK_NAME
    }


def _by_id(keys: list[Key]) -> dict[str, Key]:
    return {key.arn: key for key in keys}


def _open(state_dir: Path) -> persistence.StateStore:
    return persistence.open_state(state_dir, KmsBackend(pool=WrappingKeyPool()))


# --- what is kept ---------------------------------------------------------------------------


def test_state_dir_keeps_every_kind_of_key_and_the_token_secret_across_a_restart(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    first = start_endpoint(tmp_path)
    # The replica below is ready at once: a Creating period ending between the two
    # snapshots would change its state by the clock, not by the restart.
    first.server.backend.replica_creation_delay = dt.timedelta(0)
    kms = first.client()
    for key_spec in ("SYMMETRIC_DEFAULT", "HMAC_384", "ECC_NIST_P256"):
        key_id = create_external_key(kms, key_spec)["KeyId"]
        algorithm = "RSA_AES_KEY_WRAP_SHA_256" if key_spec.startswith("ECC") else None
        import_material(
            kms, key_id, material_for(key_spec), algorithm=algorithm or "RSAES_OAEP_SHA_256"
        )
    kms.schedule_key_deletion(KeyId=create_external_key(kms)["KeyId"], PendingWindowInDays=7)
    primary = create_external_key(kms, MultiRegion=True)["KeyId"]
    import_material(kms, primary, material_for("SYMMETRIC_DEFAULT"))
    kms.replicate_key(KeyId=primary, ReplicaRegion="us-west-2")
    kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}], Description="generated")
    before, secret = first.server.backend.all_keys(), first.server.backend.tokens.secret
    first.stop()

    second = start_endpoint(tmp_path)
    assert _by_id(second.server.backend.all_keys()) == _by_id(before)
    assert second.server.backend.tokens.secret == secret


def test_every_field_of_a_key_has_a_type_the_state_dir_can_read_back() -> None:
    # A field added to Key with a type the documents cannot hold fails here, not at a save.
    state_documents.check_storable(Key)


def test_import_token_issued_before_a_restart_still_imports_after_it(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    first = start_endpoint(tmp_path)
    key_id = create_external_key(first.client())["KeyId"]
    params = first.client().get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    first.stop()

    kms = start_endpoint(tmp_path).client()
    from kmsimport_mock import wrap_key_material

    kms.import_key_material(
        KeyId=key_id,
        ImportToken=params["ImportToken"],
        EncryptedKeyMaterial=wrap_key_material(
            params["PublicKey"], os.urandom(32), "RSAES_OAEP_SHA_256"
        ),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_a_write_writes_only_the_keys_it_changed(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_ids = [kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(20)]
    written = endpoint.store.rows_written
    kms.disable_key(KeyId=key_ids[7])
    assert endpoint.store.rows_written == written + 1


def test_a_read_or_a_refused_call_writes_nothing(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    written = endpoint.store.rows_written
    kms.describe_key(KeyId=key_id)
    kms.list_keys()
    with pytest.raises(ClientError, match="KMSInvalidStateException"):
        kms.cancel_key_deletion(KeyId=key_id)
    kms.enable_key(KeyId=key_id)  # already enabled: nothing changes
    assert endpoint.store.rows_written == written


def test_key_deleted_while_the_server_was_stopped_leaves_the_file_at_the_next_start(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    endpoint.stop()
    _edit_key_document(
        tmp_path, lambda raw: raw.update(deletion_date={"$datetime": "2000-01-01T00:00:00+00:00"})
    )

    start_endpoint(tmp_path).stop()
    assert _rows(tmp_path, "SELECT key_id FROM keys") == []


def test_state_files_are_private_to_their_owner(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    endpoint = start_endpoint(state_dir)
    endpoint.client().create_key(Origin="EXTERNAL")
    names = {path.name: oct(path.stat().st_mode & 0o777) for path in state_dir.iterdir()}
    assert names == {
        persistence.DATABASE_NAME: "0o600",
        persistence.DATABASE_NAME + "-wal": "0o600",
        persistence.DATABASE_NAME + "-shm": "0o600",
        persistence.LOCK_NAME: "0o600",
    }
    assert oct(state_dir.stat().st_mode & 0o777) == "0o700"


# --- a failed save changes nothing ------------------------------------------------------------


def _break_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(persistence, "_write_key_row", fail)


def test_create_key_whose_save_fails_is_refused_and_not_created_by_retries(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client(max_attempts=5)
    # botocore's own retries, without their back-off waits.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    _break_the_disk(monkeypatch)
    with pytest.raises(ClientError) as raised:
        kms.create_key()
    assert error_of(raised) == (
        "KMSInternalException",
        "kmsimport_mock could not save its state dir; the call was not applied; see the server log",
    )
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] > 0
    assert kms.list_keys()["Keys"] == []


def test_change_whose_save_fails_leaves_the_key_as_it_was_in_memory_and_on_disk(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with monkeypatch.context() as patched:
        _break_the_disk(patched)
        with pytest.raises(ClientError, match="KMSInternalException"):
            kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    kms.disable_key(KeyId=key_id)  # the disk is back: the next change is kept
    endpoint.stop()
    restarted = start_endpoint(tmp_path).client()
    assert restarted.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"


def test_import_whose_save_fails_leaves_the_key_pending_import(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kms = start_endpoint(tmp_path).client()
    key_id = create_external_key(kms)["KeyId"]
    _break_the_disk(monkeypatch)
    with pytest.raises(ClientError, match="KMSInternalException"):
        import_material(kms, key_id, os.urandom(32))
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_call_that_fails_inside_the_mock_is_undone(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with monkeypatch.context() as patched:
        # A bug after CreateKey stored its key: the 500 must not leave the key behind.
        patched.setattr(endpoint.server.backend, "metadata", _raise_bug)
        with pytest.raises(ClientError, match="KMSInternalException"):
            kms.create_key()
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [key_id]


def _raise_bug(*args: Any) -> None:
    raise RuntimeError("a bug")


def test_write_after_the_state_dir_is_closed_is_refused_and_applies_nothing(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    # A stopping server: its keep-alive connections can still bring requests.
    endpoint.server.close_state()
    with pytest.raises(ClientError, match="KMSInternalException"):
        kms.create_key()
    assert [k.key_id for k in endpoint.server.backend.all_keys()] == [key_id]


# --- one writer -------------------------------------------------------------------------------


def test_second_opener_of_a_state_dir_is_refused_naming_the_holder(tmp_path: Path) -> None:
    first = _open(tmp_path)
    try:
        with pytest.raises(persistence.StateInUse) as refused:
            _open(tmp_path)
        assert str(refused.value) == (
            f"state dir {tmp_path} is in use by another kmsimport_mock server "
            f"(pid {os.getpid()}); one server per state dir"
        )
    finally:
        first.close()
    _open(tmp_path).close()  # released with its holder


# --- what is refused, leaving the file as it was -----------------------------------------------


def _stopped_state_dir_with_one_key(start: Callable[[Path], Endpoint], state_dir: Path) -> None:
    endpoint = start(state_dir)
    create_external_key(endpoint.client())
    endpoint.stop()


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda raw: raw.update(rotation_schedule=90), "unknown field 'rotation_schedule'"),
        (lambda raw: raw["materials"].append(5), "key.materials[0] is not an object"),
        (lambda raw: raw.update(key_spec="SYMMETRIC_FUTURE"), "unknown KeySpec"),
        (
            lambda raw: raw.update(key_usage="SIGN_VERIFY"),
            "KeyUsage 'SIGN_VERIFY' is not a usage of",
        ),
        (lambda raw: raw.update(state="Hibernating"), "unknown key state 'Hibernating'"),
        (lambda raw: raw.update(creation_date="yesterday"), "key.creation_date is not a datet"),
        (lambda raw: raw.pop("arn") and None, "field 'arn' is missing"),
        (lambda raw: [raw], "key is not an object"),
    ],
    ids=["newer-field", "material-shape", "key-spec", "usage", "state", "date", "missing", "list"],
)
def test_key_this_version_cannot_read_exactly_is_refused_and_the_file_left_as_it_was(
    start_endpoint: Callable[[Path], Endpoint],
    tmp_path: Path,
    edit: Callable[[Any], Any],
    problem: str,
) -> None:
    _stopped_state_dir_with_one_key(start_endpoint, tmp_path)
    _edit_key_document(tmp_path, edit)
    before = _fingerprint(tmp_path)
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    message = str(refused.value)
    assert message.startswith(f"{_database(tmp_path)}: key ")
    assert problem in message
    assert "\n" not in message
    assert _fingerprint(tmp_path) == before


def test_database_of_a_newer_format_is_refused(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    _stopped_state_dir_with_one_key(start_endpoint, tmp_path)
    with sqlite3.connect(_database(tmp_path)) as connection:
        connection.execute("UPDATE meta SET value = '3' WHERE name = 'format'")
    connection.close()
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    assert str(refused.value) == (
        f"{_database(tmp_path)}: state format '3', this version reads 2 "
        "(written by a newer kmsimport_mock?)"
    )


def test_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    _database(tmp_path).write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    assert str(refused.value).startswith(
        f"{_database(tmp_path)}: not a kmsimport_mock state database: "
    )
    assert _database(tmp_path).read_bytes() == b"this is not SQLite" * 100


def test_table_from_a_newer_version_is_refused(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    _stopped_state_dir_with_one_key(start_endpoint, tmp_path)
    with sqlite3.connect(_database(tmp_path)) as connection:
        connection.execute(
            "INSERT INTO regional_tables VALUES ('grants', ?, ?, '{}')", (ACCOUNT, REGION)
        )
    connection.close()
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    assert str(refused.value) == (
        f"{_database(tmp_path)}: table 'grants' of {ACCOUNT}/{REGION}: unknown table "
        "(written by a newer kmsimport_mock?)"
    )


def test_path_that_is_a_file_is_refused_as_a_state_dir(tmp_path: Path) -> None:
    path = tmp_path / "state"
    path.write_text("")
    with pytest.raises(persistence.StateDirError) as refused:
        _open(path)
    assert str(refused.value) == f"state dir {path}: exists and is not a directory"


# --- the JSON file of earlier versions ----------------------------------------------------------


def _legacy_file(state_dir: Path, keys: list[Key], secret: bytes) -> Path:
    import base64

    path = state_dir / persistence.LEGACY_FILE_NAME
    document = {
        "format": 1,
        "token_secret": base64.b64encode(secret).decode(),
        "wrapping_keys": [],
        "keys": [state_documents.encode(key) for key in keys],
    }
    path.write_text(json.dumps(document))
    return path


def test_json_state_file_of_earlier_versions_is_migrated_at_the_first_start(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    source = start_endpoint(tmp_path / "source")
    create_external_key(source.client())
    source.client().create_key()
    keys, secret = source.server.backend.all_keys(), source.server.backend.tokens.secret
    legacy = _legacy_file(tmp_path, keys, secret)
    stale = tmp_path / f".{persistence.LEGACY_FILE_NAME}.k2j4x9"
    stale.write_text("a copy of the secrets a crashed save left")

    migrated = start_endpoint(tmp_path)
    assert _by_id(migrated.server.backend.all_keys()) == _by_id(keys)
    assert migrated.server.backend.tokens.secret == secret
    assert not legacy.exists() and not stale.exists()
    assert (tmp_path / (persistence.LEGACY_FILE_NAME + ".migrated")).exists()
    migrated.stop()
    assert _by_id(start_endpoint(tmp_path).server.backend.all_keys()) == _by_id(keys)


def test_migration_interrupted_before_the_rename_is_finished_at_the_next_start(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    source = start_endpoint(tmp_path / "source")
    source.client().create_key()
    keys, secret = source.server.backend.all_keys(), source.server.backend.tokens.secret
    legacy = _legacy_file(tmp_path, keys, secret)
    content = legacy.read_bytes()
    start_endpoint(tmp_path).stop()
    migrated = tmp_path / (persistence.LEGACY_FILE_NAME + ".migrated")
    migrated.rename(legacy)  # as if the server had died between commit and rename

    assert _by_id(start_endpoint(tmp_path).server.backend.all_keys()) == _by_id(keys)
    assert not legacy.exists() and migrated.read_bytes() == content


def test_json_state_file_beside_a_database_it_was_not_migrated_into_is_refused(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    _stopped_state_dir_with_one_key(start_endpoint, tmp_path)
    legacy = _legacy_file(tmp_path, [], os.urandom(32))
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    assert str(refused.value) == (
        f"{legacy}: an older state file beside {_database(tmp_path)}; "
        "keep one of them (move the other away)"
    )
    assert legacy.exists()


def test_json_state_file_of_the_wrong_shape_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    legacy = tmp_path / persistence.LEGACY_FILE_NAME
    legacy.write_text('{"format": 1, "token_secret": "AAAA", "wrapping_keys": {}, "keys": []}')
    with pytest.raises(persistence.UnreadableState) as refused:
        _open(tmp_path)
    assert str(refused.value).startswith(f"{legacy} is not a kmsimport_mock state file: ")
    assert legacy.read_text().startswith('{"format": 1')
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        persistence.LEGACY_FILE_NAME,
        persistence.LOCK_NAME,
    ]


# --- tables kept per account and Region (how aliases plug in) ---------------------------------


@pytest.fixture
def notes_table(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], dict[str, str]]:
    """A toy table kept per account and Region, registered as aliases would be."""
    notes: dict[tuple[str, str], dict[str, str]] = {}

    def dump(backend: KmsBackend, account: str, region: str) -> Any:
        return dict(notes[(account, region)]) if notes.get((account, region)) else None

    def restore(backend: KmsBackend, account: str, region: str, document: Any) -> None:
        notes[(account, region)] = {str(k): str(v) for k, v in (document or {}).items()}

    monkeypatch.setitem(
        persistence.REGIONAL_TABLES, "notes", persistence.RegionalTable(dump, restore)
    )
    return notes


def _write_note(
    store: persistence.StateStore,
    backend: KmsBackend,
    notes: dict[tuple[str, str], dict[str, str]],
    text: str,
) -> None:
    def call() -> None:
        backend.reaching_table("notes", ACCOUNT, REGION)
        notes.setdefault((ACCOUNT, REGION), {})["note"] = text

    store.run(backend, call, lambda result: True)


def test_regional_table_is_kept_and_restored_when_its_save_fails(
    tmp_path: Path,
    notes_table: dict[tuple[str, str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = KmsBackend(pool=WrappingKeyPool())
    store = persistence.open_state(tmp_path, backend)
    _write_note(store, backend, notes_table, "kept")
    with monkeypatch.context() as patched:
        patched.setattr(persistence, "_write_table_row", _raise_disk_error)
        with pytest.raises(persistence.SaveFailed):
            _write_note(store, backend, notes_table, "lost")
    assert notes_table[(ACCOUNT, REGION)] == {"note": "kept"}
    store.close()

    notes_table.clear()
    _open(tmp_path).close()
    assert notes_table[(ACCOUNT, REGION)] == {"note": "kept"}


def _raise_disk_error(*args: Any) -> None:
    raise sqlite3.OperationalError("disk I/O error")


def test_state_dir_keeps_aliases_tags_policies_and_descriptions_across_a_restart(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    first = start_endpoint(tmp_path)
    kms = first.client()
    key_id = kms.create_key(Description="kept", Tags=[{"TagKey": "a", "TagValue": "b"}])[
        "KeyMetadata"
    ]["KeyId"]
    other_key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.put_key_policy(KeyId=key_id, Policy='{"Statement": []}', PolicyName="default")
    kms.create_alias(AliasName="alias/kept", TargetKeyId=key_id)
    kms.create_alias(AliasName="alias/moved", TargetKeyId=key_id)
    kms.update_alias(AliasName="alias/moved", TargetKeyId=other_key)
    kms.create_alias(AliasName="alias/deleted", TargetKeyId=key_id)
    kms.delete_alias(AliasName="alias/deleted")
    aliases = kms.list_aliases()["Aliases"]
    first.stop()

    kms = start_endpoint(tmp_path).client()
    assert kms.list_aliases()["Aliases"] == aliases
    assert kms.describe_key(KeyId="alias/kept")["KeyMetadata"]["Description"] == "kept"
    assert kms.describe_key(KeyId="alias/moved")["KeyMetadata"]["KeyId"] == other_key
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "a", "TagValue": "b"}]
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == '{"Statement": []}'


def test_alias_change_whose_save_fails_is_undone(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = start_endpoint(tmp_path)
    kms = endpoint.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/kept", TargetKeyId=key_id)
    with monkeypatch.context() as patched:
        patched.setattr(persistence, "_write_table_row", _raise_disk_error)
        with pytest.raises(ClientError) as excinfo:
            kms.delete_alias(AliasName="alias/kept")
    assert error_of(excinfo)[0] == "KMSInternalException"
    assert [a["AliasName"] for a in kms.list_aliases()["Aliases"]] == ["alias/kept"]


def test_rotation_made_by_a_read_is_kept_across_a_restart(
    start_endpoint: Callable[[Path], Endpoint], tmp_path: Path
) -> None:
    # Automatic rotation happens when a key is read after its date: the new material must
    # be saved, or the next start would make other material for the same rotation.
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False) as clock:
        first = start_endpoint(tmp_path)
        kms = first.client()
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
        clock.shift(dt.timedelta(days=91))
        current = kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
        ciphertext = kms.encrypt(KeyId=key_id, Plaintext=b"after the rotation")["CiphertextBlob"]
        first.stop()

        kms = start_endpoint(tmp_path).client()
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"] == current
        assert kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"] == b"after the rotation"
