"""Request bodies no SDK would send, straight into the JSON protocol layer (as an HTTP
front end would pass them): wrong JSON types for every member, unknown members, invalid
JSON, invalid UTF-8, huge and non-finite numbers. Every body gets a 200 or a 400 with a
modeled or protocol error code, and a 400 changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hostile_support import (
    COMMON_ERRORS,
    OTHER_ACCOUNT,
    REGIONS,
    Arena,
    backend_snapshot,
    operation_model,
    time_limit,
)
from hypothesis import event, given
from hypothesis import strategies as st

from kmsimport_mock import protocol
from kmsimport_mock.backend.operations import OPERATIONS
from kmsimport_mock.backend.types import DEFAULT_ACCOUNT_ID, Caller

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def _bodies(operation: str, key_ids: list[str]) -> st.SearchStrategy[bytes]:
    shape = operation_model(operation).input_shape
    members = sorted(shape.members) if shape is not None else []
    names = st.sampled_from(members) if members else st.text(max_size=8)
    member_values = st.one_of(JSON_VALUES, st.sampled_from(key_ids), st.just("AAAA"))
    objects = st.dictionaries(st.one_of(names, st.text(max_size=8)), member_values, max_size=6)
    return st.one_of(
        objects.map(lambda value: json.dumps(value).encode()),
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=40),
        st.sampled_from([b"", b"{", b"[]", b"null", b'{"KeyId": "\xff\xfe"}', b"\xef\xbb\xbf{}"]),
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@given(data=st.data())
def test_any_request_body_gets_an_aws_answer_and_a_refusal_changes_nothing(
    operation: str, data: Any, arena: Arena
) -> None:
    model = operation_model(operation)
    allowed = {shape.name for shape in model.error_shapes} | COMMON_ERRORS
    arena.reset()
    mock, world = arena.mock, arena.world
    key_ids = [meta["KeyId"] for meta in world.keys.values()]
    body = data.draw(_bodies(operation, key_ids), label="body")
    caller = Caller(
        account=data.draw(st.sampled_from([DEFAULT_ACCOUNT_ID, OTHER_ACCOUNT])),
        region=data.draw(st.sampled_from(REGIONS)),
    )
    before = backend_snapshot(mock.backend)
    with time_limit():
        answer = protocol.handle(mock.backend, caller, model, body)
    decoded = json.loads(answer.body)
    assert answer.status in (200, 400)
    if answer.status == 400:
        event(f"{operation}: {decoded['__type']}")
        assert decoded["__type"] in allowed
        assert backend_snapshot(mock.backend) == before
    else:
        event(f"{operation}: success")
