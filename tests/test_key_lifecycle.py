"""EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion and ListKeys around import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time
from kms_testing import create_external_key, import_material, material_for


def _state(kms: Any, key_id: str) -> str:
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])


def test_enable_and_disable_an_imported_key(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.disable_key(KeyId=external_key["KeyId"])
    assert _state(kms, external_key["KeyId"]) == "Disabled"
    assert kms.describe_key(KeyId=external_key["KeyId"])["KeyMetadata"]["Enabled"] is False
    kms.enable_key(KeyId=external_key["KeyId"])
    assert _state(kms, external_key["KeyId"]) == "Enabled"


@pytest.mark.parametrize("operation", ["enable_key", "disable_key"])
def test_pending_import_key_cannot_be_enabled_or_disabled(
    kms: Any, external_key: Any, operation: str
) -> None:
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        getattr(kms, operation)(KeyId=external_key["KeyId"])
    assert raised.value.response["Error"]["Message"] == f"{external_key['Arn']} is pending import."


def test_pending_deletion_key_cannot_be_enabled(kms: Any, external_key: Any) -> None:
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.enable_key(KeyId=external_key["KeyId"])
    assert (
        raised.value.response["Error"]["Message"] == f"{external_key['Arn']} is pending deletion."
    )


def test_schedule_key_deletion_defaults_to_30_days(kms: Any, external_key: Any) -> None:
    with freeze_time("2026-02-01T00:00:00Z"):
        response = kms.schedule_key_deletion(KeyId=external_key["KeyId"])
        meta = kms.describe_key(KeyId=external_key["KeyId"])["KeyMetadata"]
    assert response["KeyId"] == external_key["Arn"]
    assert response["KeyState"] == "PendingDeletion"
    assert response["PendingWindowInDays"] == 30
    assert response["DeletionDate"] == dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    assert meta["DeletionDate"] == response["DeletionDate"]
    # The model shows the waiting period only for PendingReplicaDeletion.
    assert "PendingDeletionWindowInDays" not in meta


@pytest.mark.parametrize("days", [6, 31])
def test_pending_window_outside_7_to_30_days_is_refused(
    kms: Any, external_key: Any, days: int
) -> None:
    with pytest.raises(ClientError) as raised:
        kms.schedule_key_deletion(KeyId=external_key["KeyId"], PendingWindowInDays=days)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert f"Value '{days}' at 'pendingWindowInDays'" in raised.value.response["Error"]["Message"]


def test_scheduling_deletion_twice_is_refused(kms: Any, external_key: Any) -> None:
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    with pytest.raises(kms.exceptions.KMSInvalidStateException):
        kms.schedule_key_deletion(KeyId=external_key["KeyId"])


def test_key_is_gone_once_its_deletion_date_passes(kms: Any, external_key: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False) as t:
        kms.schedule_key_deletion(KeyId=external_key["KeyId"], PendingWindowInDays=7)
        t.shift(dt.timedelta(days=7))
        with pytest.raises(kms.exceptions.NotFoundException):
            kms.describe_key(KeyId=external_key["KeyId"])
        assert kms.list_keys()["Keys"] == []


def test_cancel_deletion_of_an_imported_key_leaves_it_disabled(kms: Any, external_key: Any) -> None:
    import_material(kms, external_key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    assert kms.cancel_key_deletion(KeyId=external_key["KeyId"])["KeyId"] == external_key["Arn"]
    meta = kms.describe_key(KeyId=external_key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Disabled"
    assert "DeletionDate" not in meta


def test_cancel_deletion_of_a_key_without_material_leaves_it_pending_import(
    kms: Any, external_key: Any
) -> None:
    kms.schedule_key_deletion(KeyId=external_key["KeyId"])
    kms.cancel_key_deletion(KeyId=external_key["KeyId"])
    assert _state(kms, external_key["KeyId"]) == "PendingImport"


def test_cancel_deletion_of_a_key_not_pending_deletion_is_refused(
    kms: Any, external_key: Any
) -> None:
    with pytest.raises(kms.exceptions.KMSInvalidStateException):
        kms.cancel_key_deletion(KeyId=external_key["KeyId"])


def test_list_keys_pages_with_limit_and_marker(kms: Any) -> None:
    created = [create_external_key(kms)["KeyId"] for _ in range(5)]
    first = kms.list_keys(Limit=2)
    assert first["Truncated"] is True
    second = kms.list_keys(Limit=2, Marker=first["NextMarker"])
    third = kms.list_keys(Limit=2, Marker=second["NextMarker"])
    assert third["Truncated"] is False
    assert "NextMarker" not in third
    listed = [k["KeyId"] for page in (first, second, third) for k in page["Keys"]]
    assert listed == created


def test_list_keys_shows_key_arns(kms: Any, external_key: Any) -> None:
    assert kms.list_keys()["Keys"] == [
        {"KeyId": external_key["KeyId"], "KeyArn": external_key["Arn"]}
    ]


def test_list_keys_rejects_an_unknown_marker(kms: Any) -> None:
    with pytest.raises(kms.exceptions.InvalidMarkerException):
        kms.list_keys(Marker="not-a-marker")


def test_list_keys_paginator_walks_every_page(kms: Any) -> None:
    created = {create_external_key(kms)["KeyId"] for _ in range(3)}
    pages = kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1})
    assert {k["KeyId"] for page in pages for k in page["Keys"]} == created
