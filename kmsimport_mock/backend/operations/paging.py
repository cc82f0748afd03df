"""Limit/Marker paging, the one way every KMS List* operation pages its answer.

KMS answers a page of at most ``Limit`` entries, ``Truncated``, and, when more follow,
``NextMarker``: an opaque value to send back as ``Marker``. The mock's marker is the name of
the first entry of the next page (a key id, a key material id, an alias name, a tag key), so
a marker stays valid while entries before it come and go. A marker that names no entry is
refused with ``InvalidMarkerException``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .. import kms_errors
from ..types import Params, Response

Entry = TypeVar("Entry")


def page(
    entries: Sequence[Entry],
    params: Params,
    marker_of: Callable[[Entry], str],
    *,
    default_limit: int,
    max_limit: int | None = None,
) -> tuple[list[Entry], Response]:
    """The page of ``entries`` the request's Limit and Marker ask for, and its paging fields.

    ``max_limit`` is the largest page the operation's documentation allows where it is
    smaller than the model's bound (ListAliases: 100, ListResourceTags: 50). KMS "might return
    fewer" items than asked for, so a larger Limit gets a page of ``max_limit`` entries
    (CHOSEN: AWS's answer to such a Limit is not recorded).
    """
    limit = params.get("Limit", default_limit)
    if max_limit is not None:
        limit = min(limit, max_limit)
    start = 0
    if "Marker" in params:
        markers = [marker_of(entry) for entry in entries]
        if params["Marker"] not in markers:
            raise kms_errors.invalid_marker()
        start = markers.index(params["Marker"])
    chosen = list(entries[start : start + limit])
    truncated = start + limit < len(entries)
    fields: Response = {"Truncated": truncated}
    if truncated:
        fields["NextMarker"] = marker_of(entries[start + limit])
    return chosen, fields
