"""Tags of existing keys: TagResource, UntagResource and ListResourceTags.

CreateKey and ReplicateKey take tags too; all of them apply the rules of
:mod:`kmsimport_mock.backend.tags`.
"""

from __future__ import annotations

from ..key_states import refuse_pending_deletion
from ..store import KmsBackend
from ..tags import MAX_TAGS_PER_KEY, checked_tags, merged_tags, refuse_reserved
from ..types import Caller, Params, Response
from .paging import page


def tag_resource(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    checked_tags(params["Tags"])
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        # Key-state table: TagResource and UntagResource fail only for a key pending deletion.
        refuse_pending_deletion(key)
        key.tags = merged_tags(key.tags, params["Tags"])
        return {}


def untag_resource(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    refuse_reserved(params["TagKeys"])
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        refuse_pending_deletion(key)
        # A tag key the key does not have is no error (API reference).
        removed = set(params["TagKeys"])
        key.tags = [tag for tag in key.tags if tag["TagKey"] not in removed]
        return {}


def list_resource_tags(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    with backend.lock:
        key = backend.resolve(caller, params["KeyId"], aliases=False)
        tags = [dict(tag) for tag in key.tags]
    # "between 1 and 50, inclusive. If you do not include a value, it defaults to 50."
    chosen, fields = page(
        tags,
        params,
        lambda tag: tag["TagKey"],
        default_limit=MAX_TAGS_PER_KEY,
        max_limit=MAX_TAGS_PER_KEY,
    )
    return {"Tags": chosen, **fields}
