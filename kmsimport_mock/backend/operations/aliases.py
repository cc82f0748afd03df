"""Aliases: CreateAlias, UpdateAlias, DeleteAlias and ListAliases.

An alias is a name (``alias/...``) for one customer managed key in one account and Region.
Where AWS takes aliases as KeyId (DescribeKey, the cryptographic operations), the backend's
``resolve`` follows them; the operations here name their target by key ID or key ARN only.
"""

from __future__ import annotations

import dataclasses
import re

from .. import kms_errors
from ..clock import utcnow
from ..key_states import refuse_pending_deletion
from ..model import Alias, Key
from ..store import KmsBackend
from ..types import Caller, Params, Response
from .paging import page

PREFIX = "alias/"
RESERVED_PREFIX = "alias/aws/"
# The API reference's characters. The model's pattern also admits ":", and its "$" a
# trailing newline; fullmatch with this one admits neither.
_ALIAS_NAME = re.compile(r"alias/[a-zA-Z0-9/_-]+")
# The quota "Aliases per KMS key".
MAX_ALIASES_PER_KEY = 50
# ListAliases: "between 1 and 100 ... If you do not include a value, it defaults to 50."
DEFAULT_LIST_LIMIT = 50
MAX_LIST_LIMIT = 100


def _check_name(name: str, *, creating: bool = False) -> None:
    if not name.startswith(PREFIX):
        raise kms_errors.alias_prefix_required()
    if name.startswith(RESERVED_PREFIX):
        raise kms_errors.alias_reserved()
    if creating and not _ALIAS_NAME.fullmatch(name):
        raise kms_errors.alias_name_invalid(name)


def _key_type(key: Key) -> tuple[str, str]:
    """What UpdateAlias keeps: symmetric, asymmetric or HMAC, and the key usage."""
    if key.is_symmetric:
        kind = "SYMMETRIC"
    elif key.key_spec.startswith("HMAC_"):
        kind = "HMAC"
    else:
        kind = "ASYMMETRIC"
    return kind, key.key_usage


def _refuse_alias_limit(backend: KmsBackend, key: Key) -> None:
    if len(backend.aliases_of(key)) >= MAX_ALIASES_PER_KEY:
        raise kms_errors.aliases_per_key_limit(key.arn, MAX_ALIASES_PER_KEY)


def create_alias(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    name = params["AliasName"]
    _check_name(name, creating=True)
    with backend.lock:
        if name in backend.current_aliases(caller):
            raise kms_errors.alias_exists(backend.alias_arn_for(caller, name))
        key = backend.resolve(caller, params["TargetKeyId"], aliases=False)
        # Key-state table: CreateAlias fails only for a key pending deletion.
        refuse_pending_deletion(key)
        _refuse_alias_limit(backend, key)
        now = utcnow()
        backend.add_alias(caller, Alias(name, key.key_id, now, now))
        return {}


def update_alias(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    name = params["AliasName"]
    _check_name(name)
    with backend.lock:
        alias = backend.current_aliases(caller).get(name)
        # An alias goes with its key, so its target is always there (a state file edited by
        # hand aside).
        current = None if alias is None else backend.store(caller).get(alias.target_key_id)
        if alias is None or current is None:
            raise kms_errors.alias_not_found(backend.alias_arn_for(caller, name))
        key = backend.resolve(caller, params["TargetKeyId"], aliases=False)
        # Key-state table note [10]: the alias may leave a key pending deletion, but not
        # move to one.
        refuse_pending_deletion(key)
        if _key_type(key) != _key_type(current):
            raise kms_errors.alias_target_type_differs(key.arn, current.arn)
        if key is not current:
            _refuse_alias_limit(backend, key)
        backend.add_alias(
            caller, dataclasses.replace(alias, target_key_id=key.key_id, last_updated_date=utcnow())
        )
        return {}


def delete_alias(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    name = params["AliasName"]
    _check_name(name)
    with backend.lock:
        if name not in backend.current_aliases(caller):
            raise kms_errors.alias_not_found(backend.alias_arn_for(caller, name))
        backend.remove_alias(caller, name)
        return {}


def list_aliases(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        aliases = sorted(backend.current_aliases(caller).values(), key=lambda a: a.name)
        if "KeyId" in params:
            key = backend.resolve(caller, params["KeyId"], aliases=False)
            aliases = [alias for alias in aliases if alias.target_key_id == key.key_id]
        entries = [_entry(backend, caller, alias) for alias in aliases]
    chosen, fields = page(
        entries,
        params,
        lambda entry: entry["AliasName"],
        default_limit=DEFAULT_LIST_LIMIT,
        max_limit=MAX_LIST_LIMIT,
    )
    return {"Aliases": chosen, **fields}


def _entry(backend: KmsBackend, caller: Caller, alias: Alias) -> Response:
    return {
        "AliasName": alias.name,
        "AliasArn": backend.alias_arn_for(caller, alias.name),
        "TargetKeyId": alias.target_key_id,
        "CreationDate": alias.creation_date,
        "LastUpdatedDate": alias.last_updated_date,
    }
