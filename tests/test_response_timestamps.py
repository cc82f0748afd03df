"""Timestamps in answers are what botocore's own parser makes of the JSON body, whatever
the machine's time zone (the interceptor converts them without parsing the body)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from botocore.parsers import create_parser

from kmsimport_mock import interceptor

# Instants around the 2026 daylight-saving changes in Europe and the USA, the epoch, and
# a time before the zones' current rules.
EPOCHS = [0.0, 1774746000.0, 1774749600.5, 1792890000.0, 1792893600.25, 1293840000.123456]


@pytest.fixture(params=["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("epoch", EPOCHS)
def test_timestamp_equals_botocores_parse_in_every_zone(zone: str, epoch: float) -> None:
    expected = create_parser("json")._timestamp_parser(epoch)
    state = (time.timezone, time.altzone, time.daylight, time.tzname)
    parsed = interceptor._parsed_timestamp(epoch, state)
    # Wall time, fold, offset and zone: two aware datetimes with different tzinfo objects
    # never compare equal in a repeated hour (PEP 495), not even two of botocore's own.
    assert (parsed.replace(tzinfo=None), parsed.fold, parsed.utcoffset(), parsed.tzinfo) == (
        expected.replace(tzinfo=None),
        expected.fold,
        expected.utcoffset(),
        expected.tzinfo,
    )
