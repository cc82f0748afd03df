"""``serve --seed FILE``: keys with fixed ids created when the endpoint starts.

A containerised test environment starts with known keys, as if a setup script had run
against it: each key is made by CreateKey (with its id fixed), and its material, when the
file gives it, goes in through GetParametersForImport, a real wrap with the public key
handed out (:func:`~kmsimport_mock.crypto.wrapping.wrap_key_material`) and
ImportKeyMaterial. Every request body passes the protocol layer's checks against
botocore's model and every rule of the backend, so a seed file cannot make a key the API
could not make. The format is in ``docs/local-endpoint.md``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import importlib
import json
import re
from pathlib import Path
from typing import Any

from .. import protocol
from ..accounts import AccessKeyAccounts, account_for_access_key
from ..backend.kms_errors import KmsError
from ..backend.operations import key_lifecycle
from ..backend.store import KmsBackend
from ..backend.types import Caller
from ..crypto.wrapping import wrap_key_material

# Fields of a seed entry that are not CreateKey's.
_SEED_FIELDS = frozenset({"KeyId", "Region", "Account", "Material", "ExpirationModel", "ValidTo"})
_ACCOUNT = re.compile(r"\d{12}")
# What a seed's material is wrapped with: AES key wrap for RSA and EC private keys (which
# AWS allows for both, and which carries any length), RSA-OAEP for the rest (secret keys
# and SM2, which AWS allows only with OAEP).
_WRAPPING_KEY_SPEC = "RSA_2048"


class SeedError(Exception):
    """A seed file that cannot be read or whose keys cannot be made; the message is one
    line naming the file."""


def seed_backend(
    backend: KmsBackend, path: Path, accounts: AccessKeyAccounts | None = None
) -> list[str]:
    """Creates the seed file's keys in ``backend``; returns their ARNs.

    A key whose id its account and Region already have (loaded from ``--state-dir``) is
    left as it is, so a restart with the same seed file and state dir changes nothing.
    """
    entries = _entries(path)
    created: list[str] = []
    seen: set[tuple[object, ...]] = set()
    for number, entry in enumerate(entries, start=1):
        try:
            where = (entry.get("Account"), entry.get("Region"), entry.get("KeyId"))
            if where in seen:
                raise ValueError("the same KeyId, Region and Account as an earlier key")
            seen.add(where)
            arn = _seed_key(backend, entry, accounts)
        except (KmsError, ValueError, TypeError) as error:
            key_id = entry.get("KeyId", "?")
            raise SeedError(f"{path}: key {number} ({key_id}): {_one_line(error)}") from None
        if arn is not None:
            created.append(arn)
    return created


def _entries(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(f"{path}: cannot read the seed file: {_one_line(error)}") from None
    document = _parse(path, text)
    if not isinstance(document, dict) or not isinstance(document.get("Keys"), list):
        raise SeedError(f'{path}: a seed file is an object with a "Keys" list')
    unknown = sorted(set(document) - {"Keys", "Region", "Account"})
    if unknown:
        raise SeedError(f"{path}: unknown top-level field(s) {', '.join(unknown)}")
    entries: list[dict[str, Any]] = []
    for number, entry in enumerate(document["Keys"], start=1):
        if not isinstance(entry, dict):
            raise SeedError(f"{path}: key {number} is not an object")
        merged = {name: document[name] for name in ("Region", "Account") if name in document}
        merged.update(entry)
        entries.append(merged)
    return entries


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            yaml: Any = importlib.import_module("yaml")
        except ImportError:
            raise SeedError(
                f"{path}: YAML seed files need PyYAML (pip install pyyaml); or write it as JSON"
            ) from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise SeedError(f"{path}: not valid YAML: {_one_line(error)}") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise SeedError(f"{path}: not valid JSON: {_one_line(error)}") from None


def _seed_key(
    backend: KmsBackend, entry: dict[str, Any], accounts: AccessKeyAccounts | None
) -> str | None:
    create_members = set(
        protocol.kms_service_model().operation_model("CreateKey").input_shape.members
    )
    unknown = sorted(set(entry) - _SEED_FIELDS - create_members)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    key_id = entry.get("KeyId")
    if not isinstance(key_id, str):
        raise ValueError("KeyId (a key id) is required")
    region = entry.get("Region")
    if not isinstance(region, str) or not region:
        raise ValueError("Region is required (in the key or at the top of the file)")
    account = entry.get("Account") or account_for_access_key(None, accounts)
    if isinstance(account, int) and not isinstance(account, bool):
        account = str(account)  # YAML reads an unquoted account id as a number
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise ValueError(f"Account must be 12 digits (quoted in YAML), not {account!r}")
    caller = Caller(account=account, region=region)
    with backend.lock:
        if key_id in backend.store(caller):
            return None
    material = _material(entry.get("Material"))
    create = {name: value for name, value in entry.items() if name in create_members}
    if material is not None:
        create.setdefault("Origin", "EXTERNAL")
    # default=str: YAML reads an unquoted date (in a Description, say) as a date.
    params = protocol.decode_request(_model("CreateKey"), json.dumps(create, default=str))
    created = key_lifecycle.create_key_with_id(backend, caller, params, key_id)
    metadata = created["KeyMetadata"]
    if material is not None:
        _import(backend, caller, metadata, material, entry)
    elif "ExpirationModel" in entry or "ValidTo" in entry:
        raise ValueError("ExpirationModel and ValidTo go with Material")
    arn: str = metadata["Arn"]
    return arn


def _import(
    backend: KmsBackend,
    caller: Caller,
    metadata: dict[str, Any],
    material: bytes,
    entry: dict[str, Any],
) -> None:
    key_spec = metadata["KeySpec"]
    algorithm = (
        "RSA_AES_KEY_WRAP_SHA_256"
        if key_spec.startswith(("RSA_", "ECC_"))
        else "RSAES_OAEP_SHA_256"
    )
    parameters = protocol.call(
        backend,
        caller,
        _model("GetParametersForImport"),
        json.dumps(
            {
                "KeyId": metadata["KeyId"],
                "WrappingAlgorithm": algorithm,
                "WrappingKeySpec": _WRAPPING_KEY_SPEC,
            }
        ),
    )
    wrapped = wrap_key_material(parameters["PublicKey"], material, algorithm)
    request: dict[str, Any] = {
        "KeyId": metadata["KeyId"],
        "ImportToken": _b64(parameters["ImportToken"]),
        "EncryptedKeyMaterial": _b64(wrapped),
        "ExpirationModel": entry.get("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE"),
    }
    if "ValidTo" in entry:
        request["ValidTo"] = _epoch(entry["ValidTo"])
    protocol.call(backend, caller, _model("ImportKeyMaterial"), json.dumps(request))


def _material(value: Any) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError('Material is {"base64": "..."}, {"hex": "..."} or {"pem": "..."}')
    ((encoding, text),) = value.items()
    if not isinstance(text, str):
        raise ValueError(f"Material {encoding} must be a string (quoted in YAML)")
    try:
        if encoding == "base64":
            return base64.b64decode(text, validate=True)
        if encoding == "hex":
            return bytes.fromhex(text)
        if encoding == "pem":
            return _pem_pkcs8(text)
    except (binascii.Error, ValueError):
        raise ValueError(f"Material is not valid {encoding}") from None
    raise ValueError(f"Material encoding {encoding!r} is not base64, hex or pem")


def _pem_pkcs8(text: str) -> bytes:
    lines = [line.strip() for line in text.strip().splitlines()]
    if (
        not lines
        or lines[0] != "-----BEGIN PRIVATE KEY-----"
        or lines[-1] != ("-----END PRIVATE KEY-----")
    ):
        raise ValueError("PEM material must be one unencrypted PKCS#8 PRIVATE KEY block")
    return base64.b64decode("".join(lines[1:-1]), validate=True)


def _epoch(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, _dt.datetime):  # YAML reads unquoted timestamps itself
        moment = value
    elif isinstance(value, str):
        try:
            moment = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"ValidTo {value!r} is not an ISO 8601 time") from None
    else:
        raise ValueError("ValidTo is an ISO 8601 time or epoch seconds")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.timestamp()


def _model(name: str) -> Any:
    return protocol.kms_service_model().operation_model(name)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _one_line(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, KmsError):
        text = f"{error.code}: {error.message}" if error.message else error.code
    return " ".join(text.split())[:500]
