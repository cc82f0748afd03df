"""The Regions KMS has, as botocore's endpoint data lists them.

One place for the question, shared by ReplicateKey (a replica Region must exist in the
caller's partition) and the HTTP transports (a credential scope must name a real Region).
botocore's endpoint data is read once, on the first question, by one thread while any
other asking meanwhile waits for it (the endpoint's worker threads all ask at once).
"""

from __future__ import annotations

import functools
import threading

from botocore.loaders import Loader
from botocore.regions import EndpointResolver

_lock = threading.Lock()


@functools.cache
def _kms_regions_by_partition() -> dict[str, frozenset[str]]:
    resolver = EndpointResolver(Loader().load_data("endpoints"))
    return {
        partition: frozenset(resolver.get_available_endpoints("kms", partition))
        for partition in resolver.get_available_partitions()
    }


def _regions() -> dict[str, frozenset[str]]:
    with _lock:
        return _kms_regions_by_partition()


def kms_regions(partition: str) -> frozenset[str]:
    """The Regions botocore's endpoint data lists for KMS in a partition."""
    return _regions().get(partition, frozenset())


@functools.cache
def all_kms_regions() -> frozenset[str]:
    """The Regions of every partition where botocore's endpoint data lists KMS."""
    return frozenset().union(*_regions().values())


def is_kms_region(region: str) -> bool:
    return region in all_kms_regions()
