"""Answers are what botocore's own parser makes of the body, to the last field.

The mock parses with botocore's ``JSONParser``, given a faster timestamp function and the
body's JSON value beside its bytes. These tests hold it to botocore's default parser: the
same values, the same types, the same time zones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.parsers import create_parser
from botocore.utils import parse_timestamp
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st
from kms_testing import REGION, create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.interception.parsing import AnswerParser, DecodedBody, local_timestamp

# POSIX TZ strings, so the tests do not depend on the machine's tz database.
ZONES = {
    "UTC": "UTC0",
    "no daylight saving, half-hour offset": "IST-5:30",
    "no daylight saving, west of UTC": "HST10",
    "daylight saving, northern": "GMT0BST,M3.5.0/1,M10.5.0",
    "daylight saving, southern, half-hour shift": "LHST-10:30LHDT-11,M10.1.0,M4.1.0",
}

EPOCHS = [
    0,
    1,
    -1,
    1_700_000_000,
    1_700_000_000.5,
    1_796_152_800.223791,
    # Half a microsecond: fromtimestamp rounds half to even.
    1_700_000_000.0000005,
    1_700_000_000.0000015,
    # Around the 2026 clock changes of the daylight-saving zones above.
    1_774_746_000,
    1_774_749_599.999999,
    1_792_890_000,
    1_792_893_600.25,
    -2_208_988_800,
    253_402_300_799,
]


@pytest.fixture(params=list(ZONES), ids=list(ZONES))
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = ZONES[request.param]
    time.tzset()
    try:
        yield request.param
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def _same_datetime(ours: dt.datetime, botocores: dt.datetime) -> None:
    assert type(ours) is type(botocores)
    assert ours.replace(tzinfo=None) == botocores.replace(tzinfo=None)
    assert ours.fold == botocores.fold
    assert ours.tzinfo == botocores.tzinfo
    assert ours.utcoffset() == botocores.utcoffset()
    assert ours.dst() == botocores.dst()
    assert ours.tzname() == botocores.tzname()
    # Not `ours == botocores`: botocore's own results for an ambiguous local time (fold=1)
    # compare unequal to each other, since each carries its own tzlocal (PEP 495).


def _same_outcome(epoch: Any) -> None:
    """local_timestamp gives botocore's datetime, or fails as botocore fails."""
    try:
        botocores = parse_timestamp(epoch)
    except Exception as error:
        with pytest.raises(type(error)):
            local_timestamp(epoch)
    else:
        _same_datetime(local_timestamp(epoch), botocores)


# --- timestamps ---------------------------------------------------------------------------


@pytest.mark.parametrize("epoch", EPOCHS)
def test_epoch_timestamps_are_botocores_in_every_local_zone(local_zone: str, epoch: float) -> None:
    _same_outcome(epoch)


@settings(max_examples=300, deadline=None)
@given(epoch=st.floats(min_value=-2e9, max_value=4e9, allow_nan=False))
def test_any_epoch_in_utc_is_botocores(epoch: float) -> None:
    _same_outcome(epoch)


def test_a_change_of_local_zone_is_seen_at_once(local_zone: str) -> None:
    local_timestamp(1_700_000_000)
    os.environ["TZ"] = "JST-9"
    time.tzset()
    after = local_timestamp(1_700_000_000)
    assert after.utcoffset() == dt.timedelta(hours=9)
    _same_datetime(after, parse_timestamp(1_700_000_000))


def test_text_timestamps_go_to_botocore() -> None:
    for text in ("2026-12-01T10:00:00Z", "Tue, 01 Dec 2026 10:00:00 GMT", "1700000000.5"):
        _same_datetime(local_timestamp(text), parse_timestamp(text))


def test_timestamps_out_of_range_fail_as_botocore_fails() -> None:
    with pytest.raises(RuntimeError, match="Unable to calculate correct timezone offset"):
        parse_timestamp(1e20)
    _same_outcome(1e20)


def test_under_freezegun_timestamps_are_freezeguns_datetimes() -> None:
    with freeze_time("2026-06-01T12:00:00Z"):
        _same_datetime(local_timestamp(1_700_000_000.25), parse_timestamp(1_700_000_000.25))


# --- bodies -------------------------------------------------------------------------------


def test_a_decoded_body_is_its_bytes_and_parses_as_they_do() -> None:
    kms = boto3.session.Session().client("kms", region_name=REGION)
    shape = kms.meta.service_model.operation_model("DescribeKey").output_shape
    body = json.dumps(
        {"KeyMetadata": {"KeyId": "k", "CreationDate": 1_700_000_000.5, "Enabled": True}}
    ).encode()
    decoded = DecodedBody(body, json.loads(body))
    assert decoded == body
    response = {"headers": {}, "status_code": 200, "context": {}}
    parser = AnswerParser()
    assert parser.parse({**response, "body": decoded}, shape) == parser.parse(
        {**response, "body": body}, shape
    )


# --- through a client ---------------------------------------------------------------------


def test_every_answer_is_what_botocores_default_parser_makes_of_its_body(
    kms_import: KmsImportMock,
) -> None:
    kms = boto3.session.Session().client("kms", region_name=REGION)
    seen: list[tuple[Any, Any, Any]] = []

    def record(http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        seen.append((http_response, parsed, model))

    kms.meta.events.register("after-call.kms", record)
    key_id = create_external_key(kms)["KeyId"]
    kms.describe_key(KeyId=key_id)
    kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    import_material(
        kms,
        key_id,
        material_for("SYMMETRIC_DEFAULT"),
        ValidTo=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
    )
    kms.describe_key(KeyId=key_id)
    kms.list_keys()
    kms.create_key()
    assert len(seen) >= 7
    default_parser = create_parser("json")
    for http_response, parsed, model in seen:
        assert http_response.status_code == 200
        expected = default_parser.parse(
            {
                "headers": http_response.headers,
                "status_code": 200,
                "body": http_response.content,
                "context": {"operation_name": model.name},
            },
            model.output_shape,
        )
        expected["ResponseMetadata"]["RetryAttempts"] = 0
        assert parsed == expected
        _same_values(parsed, expected)


def _same_values(ours: Any, expected: Any) -> None:
    """Equal, and of the same types all the way down (datetimes with equal zones)."""
    assert type(ours) is type(expected)
    if isinstance(ours, dict):
        assert list(ours) == list(expected)
        for name in ours:
            _same_values(ours[name], expected[name])
    elif isinstance(ours, list):
        for item, other in zip(ours, expected, strict=True):
            _same_values(item, other)
    elif isinstance(ours, dt.datetime):
        _same_datetime(ours, expected)
    else:
        assert ours == expected
