"""Every parameter of every served operation, fuzzed from botocore's model.

Each test starts a mock and builds a world of keys in every interesting state with tokens
and wrapped material pointing at them; each example resets the mock to that world and makes
one call with drawn parameters
from a drawn Region, with and without botocore's client-side validation. The call must end
in success or a modeled AWS error (never a traceback from the mock, a 5xx or a hang), and a
failed call must leave the backend's state exactly as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from hostile_support import REGIONS, Arena, client, params_for, run_checked
from hypothesis import event, given
from hypothesis import strategies as st

from kmsimport_mock.backend.operations import OPERATIONS

SERVED = sorted(OPERATIONS)


@pytest.mark.parametrize("operation", SERVED)
@given(data=st.data())
def test_fuzzed_call_ends_in_success_or_modeled_error_and_failure_changes_nothing(
    operation: str, data: Any, arena: Arena
) -> None:
    arena.reset()
    mock, world = arena.mock, arena.world
    region = data.draw(st.sampled_from(REGIONS), label="region")
    validate = data.draw(st.booleans(), label="client-side validation")
    params = data.draw(params_for(operation, world), label="params")
    outcome = run_checked(mock, client(region, validate=validate), operation, params)
    if not outcome.failed and "KeyId" in params:
        # Only a key's exact id or ARN, in the caller's own account and Region, names it.
        assert params["KeyId"] in world.names_of_keys_in(region), params["KeyId"]
    event(f"{operation}: {outcome.error_code or 'success'}")


def test_every_served_operation_is_fuzzed() -> None:
    # The parametrization above reads the registry, so operations added later are fuzzed
    # without touching this file; this pins down that the registry is not empty.
    assert {"CreateKey", "GetParametersForImport", "ImportKeyMaterial"} <= set(SERVED)
