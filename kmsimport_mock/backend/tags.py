"""Tags of KMS keys: the rules every operation that sets them applies (recorded case 29).

Lengths (tag key 1..128, value 0..256) are the model's constraints, refused with a
ValidationException by the protocol layer before these rules run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import kms_errors

MAX_TAGS_PER_KEY = 50
_RESERVED_PREFIX = "aws:"

Tag = dict[str, str]  # {"TagKey": ..., "TagValue": ...}, as the API writes a tag


def refuse_reserved(tag_keys: Iterable[str]) -> None:
    for tag_key in tag_keys:
        # AWS refuses "aws:" in any case (recorded for "aws:" and "AWS:").
        if tag_key.lower().startswith(_RESERVED_PREFIX):
            raise kms_errors.reserved_tag_key()


def checked_tags(tags: Sequence[Mapping[str, str]]) -> list[Tag]:
    """The tags of a request as a key keeps them, or the TagException AWS answers."""
    tag_keys = [tag["TagKey"] for tag in tags]
    if len(set(tag_keys)) != len(tag_keys):
        raise kms_errors.duplicate_tag_keys()
    if len(tags) > MAX_TAGS_PER_KEY:
        raise kms_errors.too_many_tags()
    refuse_reserved(tag_keys)
    return [{"TagKey": tag["TagKey"], "TagValue": tag["TagValue"]} for tag in tags]


def merged_tags(current: Sequence[Tag], new: Sequence[Mapping[str, str]]) -> list[Tag]:
    """TagResource: ``current`` with ``new`` added, a known tag key getting its new value.

    The limit of 50 counts the key's tags after the change.
    """
    added = checked_tags(new)
    values = {tag["TagKey"]: tag["TagValue"] for tag in current}
    values.update((tag["TagKey"], tag["TagValue"]) for tag in added)
    if len(values) > MAX_TAGS_PER_KEY:
        raise kms_errors.too_many_tags()
    return [{"TagKey": tag_key, "TagValue": value} for tag_key, value in values.items()]
