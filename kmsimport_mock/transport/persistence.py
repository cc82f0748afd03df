"""The local endpoint's state dir (``serve --state-dir DIR``): one writer, every write kept.

What must survive a restart for the mock to behave as if it never stopped:

* every key with its key materials (including the imported plaintext, which the mock needs
  to compare reimports and which the inspection API shows);
* the secret that seals import tokens, so tokens issued before the restart still open;
* the private keys of the wrapping keys handed out, so material wrapped for a token issued
  before the restart still unwraps. Wrapping keys never handed out are not written;
* tables kept per account and Region beside the keys (see :data:`REGIONAL_TABLES`).

It lives in one SQLite database (the standard library's ``sqlite3``) in WAL mode: each
call that changed something is one transaction that writes only the rows of what it
changed, committed before the call is answered, so its cost does not grow with the number
of keys, and a crash (``kill -9``, power loss) keeps every answered write. A
call whose save fails is undone in memory and answered with an error, so retrying it
cannot apply it twice.

Which keys a call changed: the backend tells a :class:`~..backend.store.ChangeWatcher`
every key (and regional table) a call reaches, before the call can change it; the watcher
here keeps each one's document as it was, and after the call writes those whose document
differs (or restores them all if the write fails). The backend knows nothing of SQLite.

One writer per directory: an ``flock`` on ``kmsimport_mock-state.lock`` (holding the
holder's pid), which the OS releases when its process dies however it dies.

A key's document is the generic JSON form of its dataclass, read back against the
dataclass's type hints (:mod:`.state_documents`), so fields added to
:class:`~..backend.model.Key` are kept without any change here. Anything this version
cannot read exactly — a file that is not a state database, rows of the wrong shape, values
the mock does not know (key specs, usages, states), fields from a newer version — stops
the server with one line naming the file and the problem, and leaves the file as it was;
nothing is ever dropped on a later save.

The state holds secrets — test secrets, but secrets — so every file is created with mode
0600 in a directory created with mode 0700.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as _dt
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..backend.import_tokens import TokenSealer
from ..backend.model import Alias, Key
from ..backend.store import ALIAS_TABLE, KmsBackend
from ..crypto.allowed_wrapping import RSA_WRAPPING_KEY_BITS
from ..crypto.wrapping_key_pool import WrappingKey, make_wrapping_key
from .state_documents import decode_key, decode_untyped, encode

log = logging.getLogger("kmsimport_mock.server")

FORMAT = 2
DATABASE_NAME = "kmsimport_mock-state.sqlite3"
LOCK_NAME = "kmsimport_mock-state.lock"
# The single JSON file of format 1, migrated into the database at the first start.
LEGACY_FILE_NAME = "kmsimport_mock-state.json"
MIGRATED_SUFFIX = ".migrated"
# Format 1 replaced its file through "mkstemp(prefix='.<name>.')"; a crash could leave one.
_LEGACY_TEMPORARY_PREFIX = f".{LEGACY_FILE_NAME}."

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE wrapping_keys (
    fingerprint TEXT PRIMARY KEY, spec TEXT NOT NULL, pkcs8 BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE keys (
    account TEXT NOT NULL, region TEXT NOT NULL, key_id TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (account, region, key_id)
) WITHOUT ROWID;
CREATE TABLE regional_tables (
    name TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (name, account, region)
) WITHOUT ROWID;
"""
_TABLES = frozenset({"meta", "secrets", "wrapping_keys", "keys", "regional_tables"})

T = TypeVar("T")


class StateError(Exception):
    """The state dir cannot be used; the message is the one line to show."""


class StateDirError(StateError):
    """The directory itself: cannot be created, written or locked."""


class StateInUse(StateDirError):
    """Another live process holds the directory's lock."""


class UnreadableState(StateError):
    """A state file this version cannot read exactly (left as it is)."""


class SaveFailed(Exception):
    """A call's changes could not be written; they have been undone in memory."""


# --- tables kept per account and Region -----------------------------------------------


@dataclass(frozen=True)
class RegionalTable:
    """How to keep one table the backend holds per account and Region (aliases, say).

    ``dump`` gives the table of one account/Region as a JSON value (``bytes`` and aware
    ``datetime`` values allowed), or None when that place holds nothing; ``restore``
    replaces the table of one place with what ``dump`` gave (None: empty it) and raises
    ``ValueError``, ``TypeError`` or ``KeyError`` for a document it cannot take.
    The backend calls ``backend.reaching_table(name, account, region)`` before changing it.
    """

    dump: Callable[[KmsBackend, str, str], Any]
    restore: Callable[[KmsBackend, str, str, Any], None]


# Table name -> how to keep it. A row naming a table missing here (written by a version
# that knows more tables) refuses the state dir rather than losing the table.
REGIONAL_TABLES: dict[str, RegionalTable] = {}


def _restore_aliases(backend: KmsBackend, account: str, region: str, document: Any) -> None:
    if document is None:
        backend.replace_alias_table(account, region, [])
        return
    if not isinstance(document, list):
        raise TypeError("the aliases of a Region must be a list")
    aliases = [Alias(**entry) for entry in document]
    for alias in aliases:
        if not (
            isinstance(alias.name, str)
            and isinstance(alias.target_key_id, str)
            and isinstance(alias.creation_date, _dt.datetime)
            and isinstance(alias.last_updated_date, _dt.datetime)
        ):
            raise TypeError(f"alias {alias.name!r} is not of the shape this version keeps")
    backend.replace_alias_table(account, region, aliases)


REGIONAL_TABLES[ALIAS_TABLE] = RegionalTable(
    dump=lambda backend, account, region: backend.alias_table(account, region) or None,
    restore=_restore_aliases,
)


# --- the store ---------------------------------------------------------------------------


class StateStore:
    """An open, locked state dir: saves what each call changed, undoes what it cannot save."""

    def __init__(self, directory: Path, connection: sqlite3.Connection, lock_fd: int) -> None:
        self.directory = directory
        self.path = directory / DATABASE_NAME
        self._connection = connection
        self._lock_fd = lock_fd
        self._saved_wrapping_keys: set[bytes] = set()
        # Rows written by calls since the start (what a call costs is what it changed).
        self.rows_written = 0
        self._closed = False

    def run(self, backend: KmsBackend, call: Callable[[], T], succeeded: Callable[[T], bool]) -> T:
        """Runs one call and saves what it changed before it is answered.

        The backend's lock is held for the whole call and its save, so no other call sees
        changes that are not saved yet. A call that ``succeeded`` denies changed nothing
        worth saving (the rules make failed calls change nothing; what time did to a key is
        applied again after a restart). If the save fails, or the call raises, every key
        and table it reached is put back as it was and :class:`SaveFailed` (or the call's
        exception) is raised.
        """
        journal = _Journal(backend)
        with backend.watching(journal):
            if self._closed:
                raise SaveFailed(f"{self.path} is closed: the server is stopping")
            try:
                result = call()
            except BaseException:
                journal.roll_back()
                raise
            if not succeeded(result):
                return result
            try:
                self._save(backend, journal)
            except (sqlite3.Error, OSError, TypeError, ValueError) as error:
                journal.roll_back()
                raise SaveFailed(f"cannot save state to {self.path}: {error}") from error
            return result

    def _save(self, backend: KmsBackend, journal: _Journal) -> None:
        keys = [
            (address, after)
            for address, before in journal.keys.items()
            if (after := _key_document(backend.stored_key(*address))) != before
        ]
        tables = [
            (address, after)
            for address, before in journal.tables.items()
            if (after := _table_document(backend, *address)) != before
        ]
        wrapping = [
            key
            for key in backend.pool.issued_keys()
            if key.fingerprint not in self._saved_wrapping_keys
        ]
        if not (keys or tables or wrapping):
            return
        with _transaction(self._connection) as connection:
            for (account, region, key_id), document in keys:
                _write_key_row(connection, account, region, key_id, document)
            for (name, account, region), document in tables:
                _write_table_row(connection, name, account, region, document)
            _write_wrapping_keys(connection, wrapping)
        self._saved_wrapping_keys.update(key.fingerprint for key in wrapping)
        self.rows_written += len(keys) + len(tables) + len(wrapping)

    def close(self) -> None:
        """Closes the database (checkpointing its WAL) and releases the directory's lock.

        Hold the backend's lock to close while no call runs; later calls are refused.
        """
        if self._closed:
            return
        self._closed = True
        try:
            self._connection.close()
        finally:
            os.close(self._lock_fd)


class _Journal:
    """The documents of what one call reached, as they were before the call changed them."""

    def __init__(self, backend: KmsBackend) -> None:
        self._backend = backend
        self.keys: dict[tuple[str, str, str], str | None] = {}
        self.tables: dict[tuple[str, str, str], str | None] = {}

    def key_reached(self, account: str, region: str, key_id: str) -> None:
        address = (account, region, key_id)
        if address not in self.keys:
            self.keys[address] = _key_document(self._backend.stored_key(*address))

    def table_reached(self, table: str, account: str, region: str) -> None:
        address = (table, account, region)
        if address not in self.tables:
            self.tables[address] = _table_document(self._backend, *address)

    def roll_back(self) -> None:
        backend = self._backend
        for (account, region, key_id), before in self.keys.items():
            current = backend.stored_key(account, region, key_id)
            if current is not None:
                backend.remove_key(current)
            if before is not None:
                backend.add_key(decode_key(json.loads(before)))
        for (name, account, region), document in self.tables.items():
            value = None if document is None else decode_untyped(json.loads(document))
            REGIONAL_TABLES[name].restore(backend, account, region, value)


def _key_document(key: Key | None) -> str | None:
    return None if key is None else _dumps(encode(key))


def _table_document(backend: KmsBackend, name: str, account: str, region: str) -> str | None:
    value = REGIONAL_TABLES[name].dump(backend, account, region)
    return None if value is None else _dumps(encode(value))


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


# --- opening a state dir ----------------------------------------------------------------


def open_state(directory: Path, backend: KmsBackend) -> StateStore:
    """Locks ``directory``, loads its state into a fresh ``backend`` and checks it can write.

    Raises :class:`StateError` (one line, naming the file and the problem) when the
    directory cannot be used; a file this version cannot read is left untouched.
    """
    _prepare_directory(directory)
    lock_fd = _lock(directory)
    connection: sqlite3.Connection | None = None
    try:
        _remove_stale_temporary_files(directory)
        database = directory / DATABASE_NAME
        legacy = directory / LEGACY_FILE_NAME
        if _is_empty_file(database) and not Path(f"{database}-wal").exists():
            # A start that crashed between creating the file and writing its schema.
            database.unlink()
        if not database.exists():
            migrated = _load_legacy(backend, legacy) if legacy.exists() else ""
            connection = _create_database(database, backend, migrated)
            if migrated:
                _finish_migration(legacy)
                log.info("state migrated from %s to %s", legacy, database)
        else:
            connection = _connect(database)
            loaded = _load_database(connection, database, backend)
            if legacy.exists():
                # Only the very file migrated (a crash came between the commit and the
                # rename) is renamed now; any other would be lost unread.
                if not loaded.migrated or _digest(legacy) != loaded.migrated:
                    raise UnreadableState(
                        f"{legacy}: an older state file beside {database}; "
                        "keep one of them (move the other away)"
                    )
                _finish_migration(legacy)
            _check_writable(connection, database, backend, loaded.key_addresses)
        store = StateStore(directory, connection, lock_fd)
        store._saved_wrapping_keys = {key.fingerprint for key in backend.pool.issued_keys()}
        return store
    except (OSError, sqlite3.Error) as error:
        # Whatever the steps above did not name more precisely is still the state dir's.
        if connection is not None:
            connection.close()
        os.close(lock_fd)
        raise StateDirError(f"state dir {directory}: {error}") from None
    except BaseException:
        if connection is not None:
            connection.close()
        os.close(lock_fd)
        raise


def _is_empty_file(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return False


def _prepare_directory(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise StateDirError(f"state dir {directory}: exists and is not a directory") from None
    except OSError as error:
        raise StateDirError(f"state dir {directory}: cannot create it: {_reason(error)}") from None
    if not directory.is_dir():
        raise StateDirError(f"state dir {directory}: exists and is not a directory")


def _lock(directory: Path) -> int:
    path = directory / LOCK_NAME
    try:
        # Not truncated on open: while another server holds the lock, the pid is its.
        lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise StateDirError(
            f"state dir {directory}: cannot write to it: {_reason(error)}"
        ) from None
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(lock_fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(lock_fd)
        raise StateInUse(
            f"state dir {directory} is in use by another kmsimport_mock server (pid {holder}); "
            "one server per state dir"
        ) from None
    except OSError as error:
        os.close(lock_fd)
        raise StateDirError(
            f"state dir {directory}: cannot lock {path}: {_reason(error)}"
        ) from None
    try:
        os.ftruncate(lock_fd, 0)
        os.pwrite(lock_fd, f"{os.getpid()}\n".encode(), 0)
    except OSError as error:
        os.close(lock_fd)
        raise StateDirError(
            f"state dir {directory}: cannot write to it: {_reason(error)}"
        ) from None
    return lock_fd


def _remove_stale_temporary_files(directory: Path) -> None:
    # Only the temporary copies a crashed save of format 1 left (full copies of the
    # secrets). SQLite's own -wal and -shm files are not stale: the WAL holds committed
    # transactions that SQLite replays on opening.
    try:
        for entry in directory.iterdir():
            if entry.name.startswith(_LEGACY_TEMPORARY_PREFIX) and entry.is_file():
                entry.unlink()
                log.info("removed %s, left by an interrupted save", entry)
    except OSError as error:
        raise StateDirError(f"state dir {directory}: cannot clean it: {_reason(error)}") from None


def _connect(database: Path) -> sqlite3.Connection:
    connection: sqlite3.Connection | None = None
    try:
        # One connection, used by every server thread, always under the backend's lock.
        connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        # FULL: the WAL is fsynced at every commit, so an answered write survives a crash
        # of the machine too, as format 1's fsynced file did (~4 ms a write here). NORMAL
        # would survive a crash of this process only (~0.05 ms).
        connection.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as error:
        if connection is not None:
            connection.close()
        if isinstance(error, sqlite3.OperationalError):
            raise StateDirError(f"{database}: cannot open it: {error}") from None
        raise UnreadableState(f"{database}: not a kmsimport_mock state database: {error}") from None
    return connection


def _create_database(database: Path, backend: KmsBackend, migrated: str) -> sqlite3.Connection:
    """A new database holding everything ``backend`` holds (empty, or a migrated file).

    ``migrated`` is the SHA-256 of the format-1 file it came from, or "".
    """
    try:
        # Made here with 0600: SQLite would use 0644, and gives its -wal and -shm files the
        # mode of the database.
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
    except OSError as error:
        raise StateDirError(
            f"state dir {database.parent}: cannot write to it: {_reason(error)}"
        ) from None
    connection = _connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        with _transaction(connection) as transaction:
            # Not executescript(), which would commit first.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    transaction.execute(statement)
            transaction.execute(
                "INSERT INTO meta VALUES ('format', ?), ('migrated_from', ?)",
                (str(FORMAT), migrated),
            )
            transaction.execute(
                "INSERT INTO secrets VALUES ('token_secret', ?)", (backend.tokens.secret,)
            )
            _write_wrapping_keys(transaction, backend.pool.issued_keys())
            for key in backend.all_keys():
                document = _key_document(key)
                _write_key_row(transaction, key.account, key.region, key.key_id, document)
    except sqlite3.Error as error:
        connection.close()
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        raise StateDirError(f"state dir {database.parent}: cannot write to it: {error}") from None
    return connection


@dataclass
class _Loaded:
    migrated: str  # SHA-256 of the format-1 file migrated into it, or ""
    key_addresses: list[tuple[str, str, str]]


def _load_database(connection: sqlite3.Connection, database: Path, backend: KmsBackend) -> _Loaded:
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not tables:
            raise UnreadableState(f"{database}: empty, not a kmsimport_mock state database")
        if not tables >= _TABLES:
            missing = ", ".join(sorted(_TABLES - tables))
            raise UnreadableState(f"{database}: not a kmsimport_mock state database (no {missing})")
        meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        if meta.get("format") != str(FORMAT):
            raise UnreadableState(
                f"{database}: state format {meta.get('format')!r}, this version reads {FORMAT}"
                " (written by a newer kmsimport_mock?)"
            )
        secrets = dict(connection.execute("SELECT name, value FROM secrets").fetchall())
        secret = secrets.get("token_secret")
        if not isinstance(secret, bytes) or len(secret) != 32 or set(secrets) != {"token_secret"}:
            raise UnreadableState(f"{database}: the token secret is missing or not 32 bytes")
        backend.tokens = TokenSealer(secret)
        rows = connection.execute("SELECT fingerprint, spec, pkcs8 FROM wrapping_keys")
        for fingerprint, spec, pkcs8 in rows:
            wrapping_key = _wrapping_key(database, spec, pkcs8)
            if wrapping_key.fingerprint.hex() != fingerprint:
                raise UnreadableState(f"{database}: wrapping key {fingerprint}: wrong fingerprint")
            backend.pool.add(wrapping_key, issued=True)
        addresses = []
        for account, region, key_id, document in connection.execute(
            "SELECT account, region, key_id, document FROM keys"
        ):
            key = _read_key(database, document, f"key {key_id} of {account}/{region}")
            if (key.account, key.region, key.key_id) != (account, region, key_id):
                raise UnreadableState(
                    f"{database}: key {key_id} of {account}/{region}: its document names "
                    f"key {key.key_id} of {key.account}/{key.region}"
                )
            backend.add_key(key)
            addresses.append((account, region, key_id))
        for name, account, region, document in connection.execute(
            "SELECT name, account, region, document FROM regional_tables"
        ):
            where = f"table {name!r} of {account}/{region}"
            table = REGIONAL_TABLES.get(name)
            if table is None:
                raise UnreadableState(
                    f"{database}: {where}: unknown table (written by a newer kmsimport_mock?)"
                )
            try:
                table.restore(backend, account, region, decode_untyped(json.loads(document)))
            except (KeyError, TypeError, ValueError) as error:
                raise UnreadableState(f"{database}: {where}: {error}") from None
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and "unable to open" in str(error):
            raise StateDirError(f"{database}: cannot read it: {error}") from None
        raise UnreadableState(f"{database}: not a kmsimport_mock state database: {error}") from None
    return _Loaded(str(meta.get("migrated_from", "")), addresses)


def _check_writable(
    connection: sqlite3.Connection,
    database: Path,
    backend: KmsBackend,
    loaded: list[tuple[str, str, str]],
) -> None:
    """A real write at start, so a state dir the server cannot write stops it now.

    It also forgets keys whose deletion date has passed (the lazy deletion a restart
    applies), so deleted keys do not stay in the file forever.
    """
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        with _transaction(connection) as transaction:
            transaction.execute(
                "INSERT OR REPLACE INTO meta VALUES ('opened_by_pid', ?)", (str(os.getpid()),)
            )
            alive = {(k.account, k.region, k.key_id) for k in backend.all_keys()}
            for account, region, key_id in loaded:
                if (account, region, key_id) not in alive:
                    _write_key_row(transaction, account, region, key_id, None)
    except sqlite3.Error as error:
        raise StateDirError(f"{database}: cannot write to it: {error}") from None


# --- the file of format 1 ---------------------------------------------------------------


def _load_legacy(backend: KmsBackend, path: Path) -> str:
    """Reads a format-1 JSON file into ``backend``; returns the file's SHA-256."""
    try:
        data = path.read_bytes()
        document = json.loads(data)
    except OSError as error:
        raise StateDirError(f"{path}: cannot read it: {_reason(error)}") from None
    except ValueError as error:
        raise UnreadableState(f"{path} is not a kmsimport_mock state file: {error}") from None
    if not isinstance(document, dict):
        raise UnreadableState(f"{path} is not a kmsimport_mock state file: not a JSON object")
    if document.get("format") != 1:
        raise UnreadableState(f"{path}: unknown state format {document.get('format')!r}")
    unknown = set(document) - {"format", "token_secret", "wrapping_keys", "keys"}
    if unknown:
        raise UnreadableState(f"{path}: unknown entries {sorted(unknown)}")
    try:
        secret = base64.b64decode(document["token_secret"], validate=True)
        if len(secret) != 32:
            raise ValueError("the token secret is not 32 bytes")
        backend.tokens = TokenSealer(secret)
        for entry in _list(document["wrapping_keys"], "wrapping_keys"):
            if not isinstance(entry, dict) or set(entry) != {"spec", "pkcs8"}:
                raise ValueError("a wrapping key is not {spec, pkcs8}")
            pkcs8 = base64.b64decode(entry["pkcs8"], validate=True)
            backend.pool.add(_wrapping_key(path, entry["spec"], pkcs8), issued=True)
        for index, raw in enumerate(_list(document["keys"], "keys")):
            key = _read_key(path, raw, f"keys[{index}]")
            backend.add_key(key)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise UnreadableState(f"{path} is not a kmsimport_mock state file: {error}") from None
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finish_migration(legacy: Path) -> None:
    target = legacy.with_name(legacy.name + MIGRATED_SUFFIX)
    try:
        os.replace(legacy, target)
    except OSError as error:
        raise StateDirError(f"{legacy}: migrated, but cannot rename it: {_reason(error)}") from None


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} is not a list")
    return value


# --- rows --------------------------------------------------------------------------------


def _write_key_row(
    connection: sqlite3.Connection, account: str, region: str, key_id: str, document: str | None
) -> None:
    if document is None:
        connection.execute(
            "DELETE FROM keys WHERE account = ? AND region = ? AND key_id = ?",
            (account, region, key_id),
        )
    else:
        connection.execute(
            "INSERT OR REPLACE INTO keys VALUES (?, ?, ?, ?)", (account, region, key_id, document)
        )


def _write_table_row(
    connection: sqlite3.Connection, name: str, account: str, region: str, document: str | None
) -> None:
    if document is None:
        connection.execute(
            "DELETE FROM regional_tables WHERE name = ? AND account = ? AND region = ?",
            (name, account, region),
        )
    else:
        connection.execute(
            "INSERT OR REPLACE INTO regional_tables VALUES (?, ?, ?, ?)",
            (name, account, region, document),
        )


def _write_wrapping_keys(connection: sqlite3.Connection, keys: list[WrappingKey]) -> None:
    for key in keys:
        pkcs8 = key.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        connection.execute(
            "INSERT OR REPLACE INTO wrapping_keys VALUES (?, ?, ?)",
            (key.fingerprint.hex(), key.spec, pkcs8),
        )


def _wrapping_key(path: Path, spec: Any, pkcs8: Any) -> WrappingKey:
    if spec not in RSA_WRAPPING_KEY_BITS or not isinstance(pkcs8, bytes):
        raise UnreadableState(f"{path}: a wrapping key of unknown spec {spec!r}")
    try:
        # The state dir wrote these keys itself, and each row's fingerprint is checked
        # against the key read. OpenSSL's RSA consistency check (primality tests, about
        # 0.25 s for RSA-4096) would make a restart with many wrapping keys take minutes.
        private = serialization.load_der_private_key(
            pkcs8, password=None, unsafe_skip_rsa_key_validation=True
        )
    except (TypeError, ValueError):
        raise UnreadableState(f"{path}: a {spec} wrapping key is not a private key") from None
    if (
        not isinstance(private, rsa.RSAPrivateKey)
        or private.key_size != RSA_WRAPPING_KEY_BITS[spec]
    ):
        raise UnreadableState(f"{path}: a {spec} wrapping key is not an RSA key of that size")
    return make_wrapping_key(spec, private)


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        # A failed COMMIT or statement may already have ended the transaction.
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _read_key(path: Path, document: Any, where: str) -> Key:
    try:
        raw = json.loads(document) if isinstance(document, str) else document
        return decode_key(raw)
    except ValueError as error:
        raise UnreadableState(f"{path}: {where}: {error}") from None
