"""Tags: on CreateKey and ReplicateKey, TagResource, UntagResource and ListResourceTags, with
AWS's recorded rules (recorded case 29): more than 50 tags, reserved aws: prefixes, lengths,
and duplicate tag keys."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kms_testing import create_external_key, error_of

from kmsimport_mock import KmsImportMock


def tags(count: int, prefix: str = "key") -> list[dict[str, str]]:
    return [{"TagKey": f"{prefix}{n}", "TagValue": f"value{n}"} for n in range(count)]


@pytest.fixture
def key(kms: Any) -> Any:
    return kms.create_key(Tags=[{"TagKey": "team", "TagValue": "crypto"}])["KeyMetadata"]


def _tags(kms: Any, key_id: str) -> Any:
    return kms.list_resource_tags(KeyId=key_id)["Tags"]


@pytest.fixture
def unvalidated(make_client: Any) -> Any:
    """A client without botocore's own parameter checks, like another SDK's."""
    return make_client(config=Config(parameter_validation=False))


# --- recorded case 29: CreateKey ----------------------------------------------------------------


def test_recorded_case_29_create_key_with_51_tags_is_refused(
    kms: Any, kms_import: KmsImportMock
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.create_key(Tags=tags(51))
    assert error_of(raised) == ("TagException", "Too many tags")
    assert kms_import.key_ids() == []


def test_recorded_case_29_create_key_with_50_tags_succeeds(kms: Any) -> None:
    key_id = kms.create_key(Tags=tags(50))["KeyMetadata"]["KeyId"]
    assert _tags(kms, key_id) == tags(50)


@pytest.mark.parametrize("tag_key", ["aws:team", "AWS:team", "Aws:team"])
def test_recorded_case_29_create_key_with_a_reserved_aws_prefix_is_refused(
    kms: Any, kms_import: KmsImportMock, tag_key: str
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.create_key(Tags=[{"TagKey": tag_key, "TagValue": "x"}])
    assert error_of(raised) == ("TagException", "Tags beginning with aws: are reserved")
    assert kms_import.key_ids() == []


def test_recorded_case_29_tag_key_of_129_characters_is_a_validation_error(
    kms: Any, kms_import: KmsImportMock
) -> None:
    tag_key = "k" * 129
    with pytest.raises(ClientError) as raised:
        kms.create_key(Tags=[{"TagKey": tag_key, "TagValue": "x"}])
    assert error_of(raised) == (
        "ValidationException",
        f"1 validation error detected: Value '{tag_key}' at 'tags.1.member.tagKey' failed to "
        "satisfy constraint: Member must have length less than or equal to 128",
    )
    assert kms_import.key_ids() == []


def test_recorded_case_29_tag_value_of_257_characters_is_a_validation_error(kms: Any) -> None:
    value = "v" * 257
    with pytest.raises(ClientError) as raised:
        kms.create_key(Tags=[{"TagKey": "a", "TagValue": "x"}, {"TagKey": "b", "TagValue": value}])
    assert error_of(raised) == (
        "ValidationException",
        f"1 validation error detected: Value '{value}' at 'tags.2.member.tagValue' failed to "
        "satisfy constraint: Member must have length less than or equal to 256",
    )


def test_recorded_case_29_tag_key_of_128_and_value_of_256_characters_are_accepted(
    kms: Any,
) -> None:
    tag = {"TagKey": "k" * 128, "TagValue": "v" * 256}
    key_id = kms.create_key(Tags=[tag])["KeyMetadata"]["KeyId"]
    assert _tags(kms, key_id) == [tag]


def test_recorded_case_29_empty_tag_key_is_a_validation_error(unvalidated: Any) -> None:
    with pytest.raises(ClientError) as raised:
        unvalidated.create_key(Tags=[{"TagKey": "", "TagValue": "x"}])
    assert error_of(raised) == (
        "ValidationException",
        "1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1",
    )


def test_recorded_case_29_empty_tag_value_is_accepted(kms: Any) -> None:
    key_id = kms.create_key(Tags=[{"TagKey": "empty", "TagValue": ""}])["KeyMetadata"]["KeyId"]
    assert _tags(kms, key_id) == [{"TagKey": "empty", "TagValue": ""}]


def test_recorded_case_29_duplicate_tag_keys_are_refused(
    kms: Any, kms_import: KmsImportMock
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.create_key(
            Tags=[{"TagKey": "team", "TagValue": "a"}, {"TagKey": "team", "TagValue": "b"}]
        )
    assert error_of(raised) == ("TagException", "Duplicate tag keys")
    assert kms_import.key_ids() == []


def test_tag_keys_differing_in_case_are_different_tags(kms: Any) -> None:
    given = [{"TagKey": "Team", "TagValue": "a"}, {"TagKey": "team", "TagValue": "b"}]
    key_id = kms.create_key(Tags=given)["KeyMetadata"]["KeyId"]
    assert _tags(kms, key_id) == given


def test_tag_key_containing_aws_later_is_not_reserved(kms: Any) -> None:
    key_id = kms.create_key(Tags=[{"TagKey": "team:aws:x", "TagValue": "y"}])["KeyMetadata"]
    assert _tags(kms, key_id["KeyId"]) == [{"TagKey": "team:aws:x", "TagValue": "y"}]


# --- recorded case 29: TagResource --------------------------------------------------------------


def test_tag_resource_adds_tags(kms: Any, key: Any) -> None:
    kms.tag_resource(KeyId=key["Arn"], Tags=[{"TagKey": "env", "TagValue": "test"}])
    assert _tags(kms, key["KeyId"]) == [
        {"TagKey": "team", "TagValue": "crypto"},
        {"TagKey": "env", "TagValue": "test"},
    ]


def test_tag_resource_with_an_existing_tag_key_replaces_its_value(kms: Any, key: Any) -> None:
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "team", "TagValue": "platform"}])
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "platform"}]


def test_recorded_case_29_tag_resource_beyond_50_tags_on_the_key_is_refused(
    kms: Any, key: Any
) -> None:
    kms.tag_resource(KeyId=key["KeyId"], Tags=tags(49))
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "one-more", "TagValue": "x"}])
    assert error_of(raised) == ("TagException", "Too many tags")
    assert len(_tags(kms, key["KeyId"])) == 50


def test_recorded_case_29_tag_resource_counts_replaced_tags_once(kms: Any, key: Any) -> None:
    kms.tag_resource(KeyId=key["KeyId"], Tags=tags(49))
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "team", "TagValue": "new"}, *tags(3)])
    assert len(_tags(kms, key["KeyId"])) == 50


@pytest.mark.parametrize("tag_key", ["aws:cost", "AWS:cost"])
def test_recorded_case_29_tag_resource_with_a_reserved_prefix_is_refused(
    kms: Any, key: Any, tag_key: str
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.tag_resource(
            KeyId=key["KeyId"],
            Tags=[{"TagKey": "fine", "TagValue": "x"}, {"TagKey": tag_key, "TagValue": "x"}],
        )
    assert error_of(raised) == ("TagException", "Tags beginning with aws: are reserved")
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_recorded_case_29_tag_resource_with_duplicate_tag_keys_is_refused(
    kms: Any, key: Any
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.tag_resource(
            KeyId=key["KeyId"],
            Tags=[{"TagKey": "env", "TagValue": "a"}, {"TagKey": "env", "TagValue": "b"}],
        )
    assert error_of(raised) == ("TagException", "Duplicate tag keys")
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_recorded_case_29_tag_resource_with_a_too_long_value_is_a_validation_error(
    kms: Any, key: Any
) -> None:
    with pytest.raises(ClientError) as raised:
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "env", "TagValue": "v" * 257}])
    assert error_of(raised)[0] == "ValidationException"
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_tag_resource_on_a_key_pending_deletion_is_refused(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "env", "TagValue": "x"}])
    assert error_of(raised) == ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")


def test_tag_resource_on_disabled_and_pending_import_keys_succeeds(kms: Any, key: Any) -> None:
    kms.disable_key(KeyId=key["KeyId"])
    pending = create_external_key(kms)
    for key_id in (key["KeyId"], pending["KeyId"]):
        kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "env", "TagValue": "x"}])
        assert {"TagKey": "env", "TagValue": "x"} in _tags(kms, key_id)


def test_tag_resource_of_an_unknown_key_is_refused(kms: Any) -> None:
    key_id = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "env", "TagValue": "x"}])


# --- UntagResource ------------------------------------------------------------------------------


def test_untag_resource_removes_the_given_tag_keys(kms: Any, key: Any) -> None:
    kms.tag_resource(KeyId=key["KeyId"], Tags=tags(3))
    kms.untag_resource(KeyId=key["KeyId"], TagKeys=["team", "key1"])
    assert _tags(kms, key["KeyId"]) == [
        {"TagKey": "key0", "TagValue": "value0"},
        {"TagKey": "key2", "TagValue": "value2"},
    ]


def test_untag_resource_ignores_tag_keys_the_key_does_not_have(kms: Any, key: Any) -> None:
    kms.untag_resource(KeyId=key["KeyId"], TagKeys=["missing"])
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_untag_resource_with_a_reserved_prefix_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.untag_resource(KeyId=key["KeyId"], TagKeys=["team", "aws:cost"])
    assert error_of(raised) == ("TagException", "Tags beginning with aws: are reserved")
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_untag_resource_on_a_key_pending_deletion_is_refused(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    with pytest.raises(kms.exceptions.KMSInvalidStateException) as raised:
        kms.untag_resource(KeyId=key["KeyId"], TagKeys=["team"])
    assert error_of(raised) == ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")


# --- ListResourceTags ---------------------------------------------------------------------------


def test_list_resource_tags_of_an_untagged_key_is_empty(kms: Any) -> None:
    response = kms.list_resource_tags(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    assert (response["Tags"], response["Truncated"]) == ([], False)


def test_list_resource_tags_pages_by_limit_and_marker(kms: Any) -> None:
    key_id = kms.create_key(Tags=tags(5))["KeyMetadata"]["KeyId"]
    first = kms.list_resource_tags(KeyId=key_id, Limit=3)
    assert (first["Tags"], first["Truncated"]) == (tags(3), True)
    second = kms.list_resource_tags(KeyId=key_id, Limit=3, Marker=first["NextMarker"])
    assert (second["Tags"], second["Truncated"]) == (tags(5)[3:], False)
    assert "NextMarker" not in second


def test_list_resource_tags_answers_at_most_50_per_page(kms: Any) -> None:
    key_id = kms.create_key(Tags=tags(50))["KeyMetadata"]["KeyId"]
    response = kms.list_resource_tags(KeyId=key_id, Limit=1000)
    assert (len(response["Tags"]), response["Truncated"]) == (50, False)


def test_list_resource_tags_with_an_unknown_marker_is_refused(kms: Any, key: Any) -> None:
    with pytest.raises(kms.exceptions.InvalidMarkerException) as raised:
        kms.list_resource_tags(KeyId=key["KeyId"], Marker="nothing")
    assert error_of(raised) == ("InvalidMarkerException", "The marker is not valid.")


def test_list_resource_tags_of_a_key_pending_deletion_succeeds(kms: Any, key: Any) -> None:
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_tags_are_kept_per_key(kms: Any, key: Any) -> None:
    other = kms.create_key()["KeyMetadata"]
    kms.tag_resource(KeyId=other["KeyId"], Tags=[{"TagKey": "env", "TagValue": "x"}])
    assert _tags(kms, key["KeyId"]) == [{"TagKey": "team", "TagValue": "crypto"}]


def test_inspect_key_shows_the_keys_tags(kms: Any, key: Any, kms_import: KmsImportMock) -> None:
    assert kms_import.inspect_key(key["KeyId"]).tags == {"team": "crypto"}


# --- ReplicateKey -------------------------------------------------------------------------------


@pytest.fixture
def primary(kms: Any) -> Any:
    return kms.create_key(MultiRegion=True, Tags=[{"TagKey": "site", "TagValue": "primary"}])[
        "KeyMetadata"
    ]


def test_replicate_key_tags_the_replica_not_the_primary(
    kms: Any, primary: Any, make_client: Any
) -> None:
    kms.replicate_key(
        KeyId=primary["KeyId"],
        ReplicaRegion="us-east-1",
        Tags=[{"TagKey": "site", "TagValue": "replica"}],
    )
    replica_region = make_client("us-east-1")
    assert _tags(replica_region, primary["KeyId"]) == [{"TagKey": "site", "TagValue": "replica"}]
    assert _tags(kms, primary["KeyId"]) == [{"TagKey": "site", "TagValue": "primary"}]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (tags(51), "Too many tags"),
        ([{"TagKey": "AWS:x", "TagValue": "y"}], "Tags beginning with aws: are reserved"),
        (
            [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}],
            "Duplicate tag keys",
        ),
    ],
)
def test_recorded_case_29_replicate_key_with_bad_tags_is_refused_and_makes_no_replica(
    kms: Any, primary: Any, kms_import: KmsImportMock, given: Any, message: str
) -> None:
    with pytest.raises(kms.exceptions.TagException) as raised:
        kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="us-east-1", Tags=given)
    assert error_of(raised) == ("TagException", message)
    assert kms_import.key_ids() == [primary["KeyId"]]
    meta = kms.describe_key(KeyId=primary["KeyId"])["KeyMetadata"]
    assert meta["MultiRegionConfiguration"]["ReplicaKeys"] == []
