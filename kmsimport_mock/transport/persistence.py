"""Saving and loading the local endpoint's state (``serve --state-dir``).

What must survive a restart for the mock to behave as if it never stopped:

* every key with its key materials (including the imported plaintext, which the mock needs
  to compare reimports and which the inspection API shows), tags and key policy;
* every alias, with the account and Region it lives in;
* the secret that seals import tokens, so tokens issued before the restart still open;
* the private keys of the wrapping keys handed out, so material wrapped for a token issued
  before the restart still unwraps. Wrapping keys never handed out are not written.

The file is replaced atomically (temporary file in the same directory, ``fsync``,
``os.replace``, ``fsync`` of the directory), so a crash leaves either the old or the new
state, never half of one. It holds secrets — test secrets, but secrets — so it is created
with mode 0600 in a directory created with mode 0700.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as _dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..backend.import_tokens import TokenSealer
from ..backend.model import Alias, Key, KeyMaterial
from ..backend.store import KmsBackend
from ..backend.types import Caller
from ..crypto.wrapping_key_pool import WrappingKey, make_wrapping_key

FORMAT = 1
FILE_NAME = "kmsimport_mock-state.json"


class StateError(Exception):
    """The state file cannot be read as this version's state."""


def state_file(directory: Path) -> Path:
    return directory / FILE_NAME


def save(backend: KmsBackend, directory: Path) -> None:
    """Writes the backend's state to ``directory`` atomically."""
    with backend.lock:
        document = {
            "format": FORMAT,
            "token_secret": _b64(backend.tokens.secret),
            "wrapping_keys": [_wrapping_key(key) for key in backend.pool.issued_keys()],
            "keys": [_encode(dataclasses.asdict(key)) for key in backend.all_keys()],
            "aliases": [
                _encode(
                    {"account": where.account, "region": where.region, **dataclasses.asdict(alias)}
                )
                for where, alias in backend.all_aliases()
            ],
        }
        data = json.dumps(document, separators=(",", ":")).encode()
        _write_atomically(state_file(directory), data)


def load(backend: KmsBackend, directory: Path) -> bool:
    """Restores saved state into a fresh backend; False when there is none yet."""
    path = state_file(directory)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise StateError(f"{path}: unknown state format {document.get('format')!r}")
        backend.tokens = TokenSealer(base64.b64decode(document["token_secret"]))
        for entry in document["wrapping_keys"]:
            private = serialization.load_der_private_key(
                base64.b64decode(entry["pkcs8"]), password=None
            )
            if not isinstance(private, rsa.RSAPrivateKey):
                raise StateError(f"{path}: a wrapping key is not an RSA key")
            backend.pool.add(make_wrapping_key(entry["spec"], private), issued=True)
        for raw in document["keys"]:
            backend.add_key(_key(_decode(raw)))
        # State saved before aliases were served has none.
        for raw in document.get("aliases", []):
            values = _decode(raw)
            where = Caller(account=values["account"], region=values["region"])
            alias = Alias(**_known_fields(Alias, values))
            # An alias goes with its key: one without its key in the file is not kept.
            if alias.target_key_id in backend.store(where):
                backend.add_alias(where, alias)
    except (KeyError, TypeError, ValueError) as error:
        raise StateError(f"{path} is not a kmsimport_mock state file: {error}") from None
    return True


def prepare_directory(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


# --- encoding ---------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrapping_key(key: WrappingKey) -> dict[str, str]:
    pkcs8 = key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {"spec": key.spec, "pkcs8": _b64(pkcs8)}


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: _encode(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, bytes):
        return {"$bytes": _b64(value)}
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        if set(value) == {"$datetime"}:
            return _dt.datetime.fromisoformat(value["$datetime"])
        return {name: _decode(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _known_fields(cls: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    # Fields a later version added and this one does not know are left out.
    names = {f.name for f in dataclasses.fields(cls)}
    return {name: item for name, item in values.items() if name in names}


def _key(values: dict[str, Any]) -> Key:
    fields = _known_fields(Key, values)
    fields["materials"] = [
        KeyMaterial(**_known_fields(KeyMaterial, m)) for m in fields.get("materials", [])
    ]
    return Key(**fields)


# --- atomic write -----------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> None:
    # mkstemp creates the file with mode 0600 and a name no other writer uses.
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename itself is durable only once the directory entry is on disk.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
