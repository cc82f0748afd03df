"""ResponseMetadata of answers, as botocore gives it for real responses."""

from __future__ import annotations

import uuid
from typing import Any


def test_request_ids_are_distinct_version_4_uuids(kms: Any) -> None:
    ids = [kms.list_keys()["ResponseMetadata"]["RequestId"] for _ in range(50)]
    parsed = [uuid.UUID(request_id) for request_id in ids]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
    assert [str(u) for u in parsed] == ids
    assert len(set(ids)) == 50


def test_headers_carry_request_id_content_type_and_length(kms: Any) -> None:
    metadata = kms.list_keys()["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 200
    assert metadata["HTTPHeaders"] == {
        "x-amzn-requestid": metadata["RequestId"],
        "content-type": "application/x-amz-json-1.1",
        "content-length": metadata["HTTPHeaders"]["content-length"],
    }
    assert int(metadata["HTTPHeaders"]["content-length"]) > 0
