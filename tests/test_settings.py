"""The mock's settings, given once: mock_kms_import(...) keyword arguments and the kms_import
pytest marker (read by the fixture), one implementation behind both."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore.config import Config
from kms_testing import REGION

from kmsimport_mock import KmsImportMock, mock_kms_import

pytest_plugins = ["pytester"]


def test_keyword_arguments_set_every_setting() -> None:
    mock = mock_kms_import(
        on_demand_rotation_limit=10,
        access_keys={"AKIAALICE00000000001": "111111111111"},
        faults=["KMSInternalException", {"code": "ThrottlingException", "count": 2}],
        replica_creation_delay=5,
    )
    assert mock.on_demand_rotation_limit == 10
    assert mock.access_keys.get("AKIAALICE00000000001") == "111111111111"
    assert [(f.code, f.remaining, f.operation) for f in mock.pending_faults()] == [
        ("KMSInternalException", 1, None),
        ("ThrottlingException", 2, None),
    ]
    assert mock.replica_creation_delay == dt.timedelta(seconds=5)


def test_settings_left_out_keep_their_defaults() -> None:
    mock = mock_kms_import()
    assert mock.on_demand_rotation_limit == 25
    assert mock.replica_creation_delay == dt.timedelta(seconds=3)
    assert mock.pending_faults() == []


def test_keyword_arguments_configure_a_decorated_test() -> None:
    @mock_kms_import(access_keys={"AKIAALICE00000000001": "111111111111"})
    def create_key_as_alice() -> str:
        alice = boto3.client(
            "kms",
            region_name=REGION,
            aws_access_key_id="AKIAALICE00000000001",
            aws_secret_access_key="any",
        )
        return str(alice.create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"])

    assert create_key_as_alice().startswith(f"arn:aws:kms:{REGION}:111111111111:key/")


def test_injected_fault_setting_fails_the_next_call() -> None:
    with mock_kms_import(faults=[{"code": "KMSInternalException", "operation": "CreateKey"}]):
        no_retries = Config(retries={"mode": "standard", "total_max_attempts": 1})
        kms = boto3.client("kms", region_name=REGION, config=no_retries)
        with pytest.raises(kms.exceptions.KMSInternalException):
            kms.create_key(Origin="EXTERNAL")
        assert kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyState"] == "PendingImport"


def test_a_wrong_setting_is_refused_when_given() -> None:
    with pytest.raises(ValueError, match="on_demand_rotation_limit cannot be negative"):
        mock_kms_import(on_demand_rotation_limit=-1)
    with pytest.raises(ValueError, match="account_id must be 12 digits"):
        KmsImportMock(access_keys={"AKIAALICE00000000001": "alice"})
    with pytest.raises(ValueError, match="kmsimport_mock does not serve 'Frobnicate'"):
        mock_kms_import(faults=[{"code": "ThrottlingException", "operation": "Frobnicate"}])
    with pytest.raises(TypeError, match="faults is a list of faults"):
        mock_kms_import(faults="ThrottlingException")


MARKED_TESTS = """
import boto3
import pytest

pytestmark = pytest.mark.kms_import(on_demand_rotation_limit=3, replica_creation_delay=7)


def test_module_marker(kms_import):
    assert kms_import.on_demand_rotation_limit == 3
    assert kms_import.replica_creation_delay.total_seconds() == 7


@pytest.mark.kms_import(on_demand_rotation_limit=10, faults=["ThrottlingException"])
def test_closest_marker_wins_per_setting(kms_import):
    assert kms_import.on_demand_rotation_limit == 10
    assert kms_import.replica_creation_delay.total_seconds() == 7
    assert [f.code for f in kms_import.pending_faults()] == ["ThrottlingException"]


@pytest.mark.kms_import(access_keys={"AKIABOB0000000000002": "222222222222"})
class TestClassMarker:
    def test_access_keys(self, kms_import):
        bob = boto3.client(
            "kms",
            region_name="eu-west-1",
            aws_access_key_id="AKIABOB0000000000002",
            aws_secret_access_key="any",
        )
        arn = bob.create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"]
        assert ":222222222222:key/" in arn
        assert kms_import.on_demand_rotation_limit == 3


def test_every_test_gets_its_own_faults(kms_import):
    assert kms_import.pending_faults() == []
"""


def test_marker_configures_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_marked=MARKED_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=4)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.kms_import(on_demand_rotation_limit=*"])


def test_marker_with_an_unknown_setting_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_wrong="""
        import pytest

        @pytest.mark.kms_import(rotation_limit=3)
        def test_it(kms_import):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*unknown kms_import marker setting(s) rotation_limit; known: on_demand_rotation_limit*"]
    )


def test_marker_with_positional_arguments_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_wrong="""
        import pytest

        @pytest.mark.kms_import(10)
        def test_it(kms_import):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the kms_import marker takes keyword arguments only*"])
