"""The Regions KMS has, as botocore's endpoint data lists them.

One place for the question, shared by ReplicateKey (a replica Region must exist in the
caller's partition) and the HTTP transports (a credential scope must name a real Region).
botocore's endpoint data is loaded on the first question and kept.
"""

from __future__ import annotations

import functools

import botocore.session


@functools.cache
def kms_regions(partition: str) -> frozenset[str]:
    """The Regions botocore's endpoint data lists for KMS in a partition."""
    session = botocore.session.get_session()
    return frozenset(session.get_available_regions("kms", partition_name=partition))


@functools.cache
def all_kms_regions() -> frozenset[str]:
    """The Regions of every partition where botocore's endpoint data lists KMS."""
    session = botocore.session.get_session()
    regions: set[str] = set()
    for partition in session.get_available_partitions():
        regions |= kms_regions(partition)
    return frozenset(regions)


def is_kms_region(region: str) -> bool:
    return region in all_kms_regions()
