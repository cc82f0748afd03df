"""KMS key and alias ARNs: the one place they are written and read."""

from __future__ import annotations

import re
from typing import NamedTuple

# Used with fullmatch: "$" alone also matches before a trailing newline, which would let
# "<key ARN>\n" name the key.
_KEY_ARN = re.compile(r"arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key/(.+)")
_ALIAS_ARN = re.compile(r"arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(alias/.+)")


class KeyArn(NamedTuple):
    partition: str
    region: str
    account: str
    key_id: str


class AliasArn(NamedTuple):
    partition: str
    region: str
    account: str
    alias_name: str  # with its "alias/" prefix


def key_arn(partition: str, region: str, account: str, key_id: str) -> str:
    return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"


def alias_arn(partition: str, region: str, account: str, alias_name: str) -> str:
    return f"arn:{partition}:kms:{region}:{account}:{alias_name}"


def parse_key_arn(value: str) -> KeyArn | None:
    """The parts of a KMS key ARN, or None if ``value`` is not one."""
    match = _KEY_ARN.fullmatch(value)
    return None if match is None else KeyArn(*match.groups())


def parse_alias_arn(value: str) -> AliasArn | None:
    """The parts of a KMS alias ARN, or None if ``value`` is not one."""
    match = _ALIAS_ARN.fullmatch(value)
    return None if match is None else AliasArn(*match.groups())


def key_id_of(key_ref: str) -> str:
    """The key id a key id or key ARN names (anything else is returned as it is)."""
    parsed = parse_key_arn(key_ref)
    return key_ref if parsed is None else parsed.key_id


def region_of(arn: str) -> str:
    """The Region of a well-formed ARN."""
    return arn.split(":", 4)[3]
