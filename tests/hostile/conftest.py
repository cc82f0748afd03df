"""Hypothesis profiles for the hostile-input tests.

``ci`` (the default) keeps the whole suite fast and reproducible: few examples, derandomized,
no example database. ``thorough`` tries many more, with fresh randomness on every run:

    HYPOTHESIS_PROFILE=thorough python -m pytest -q tests/hostile

``HYPOTHESIS_MAX_EXAMPLES`` overrides the number of examples of either profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hostile_support import Arena, arena
from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # calls are timed by hostile_support.time_limit instead
    "database": None,
    # The autouse conftest fixture (no network, no credentials) holds across examples.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
_override = os.environ.get("HYPOTHESIS_MAX_EXAMPLES")

settings.register_profile(
    "ci",
    max_examples=int(_override or 60),
    derandomize=True,
    print_blob=True,
    **_COMMON,  # type: ignore[arg-type]
)
settings.register_profile(
    "thorough",
    max_examples=int(_override or 2000),
    derandomize=False,
    **_COMMON,  # type: ignore[arg-type]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(name="arena")
def _arena() -> Iterator[Arena]:
    """A started mock and its world, built once per test; examples call ``arena.reset()``."""
    with arena() as started:
        yield started
