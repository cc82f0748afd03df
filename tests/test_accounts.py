"""Several accounts in one test: MOTO_ACCOUNT_ID, access key ids mapped to accounts, and
what another account's key ARN gets."""

from __future__ import annotations

import warnings
from typing import Any

import boto3
import pytest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from kms_testing import REGION, create_external_key, import_material

from kmsimport_mock import KmsImportMock
from kmsimport_mock.interception.credentials import access_key_id

ALICE_KEY, ALICE = "AKIAALICE00000000001", "111111111111"
BOB_KEY, BOB = "AKIABOB0000000000002", "222222222222"


def client_for(access_key: str, region: str = REGION) -> Any:
    return boto3.client(
        "kms",
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key="not-a-real-secret",
    )


@pytest.fixture
def alice(kms_import: KmsImportMock) -> Any:
    kms_import.map_access_key(ALICE_KEY, ALICE)
    return client_for(ALICE_KEY)


@pytest.fixture
def bob(kms_import: KmsImportMock) -> Any:
    kms_import.map_access_key(BOB_KEY, BOB)
    return client_for(BOB_KEY)


def test_default_account_is_moto_default(kms: Any) -> None:
    assert create_external_key(kms)["AWSAccountId"] == "123456789012"


def test_moto_account_id_sets_the_account(kms: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    key = create_external_key(kms)
    assert key["AWSAccountId"] == "333333333333"
    assert ":333333333333:key/" in key["Arn"]


def test_moto_account_id_is_read_on_every_request(
    kms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    first = create_external_key(kms)["AWSAccountId"]
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "444444444444")
    second = create_external_key(kms)["AWSAccountId"]
    assert (first, second) == ("333333333333", "444444444444")


def test_mapped_access_key_acts_as_its_account(alice: Any) -> None:
    assert create_external_key(alice)["AWSAccountId"] == ALICE


def test_two_accounts_in_one_test_see_only_their_own_keys(alice: Any, bob: Any) -> None:
    alice_key = create_external_key(alice)["KeyId"]
    bob_key = create_external_key(bob)["KeyId"]
    assert [k["KeyId"] for k in alice.list_keys()["Keys"]] == [alice_key]
    assert [k["KeyId"] for k in bob.list_keys()["Keys"]] == [bob_key]


def test_unmapped_access_key_acts_as_default_account(kms_import: KmsImportMock) -> None:
    kms_import.map_access_key(ALICE_KEY, ALICE)
    stranger = client_for("AKIASTRANGER00000003")
    assert create_external_key(stranger)["AWSAccountId"] == "123456789012"


def test_moto_account_id_wins_over_mapped_access_key(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    assert create_external_key(alice)["AWSAccountId"] == "333333333333"


def test_unmapping_an_access_key_returns_it_to_the_default_account(
    kms_import: KmsImportMock, alice: Any
) -> None:
    kms_import.unmap_access_key(ALICE_KEY)
    assert create_external_key(alice)["AWSAccountId"] == "123456789012"


def test_mapping_is_kept_across_stop_and_start() -> None:
    mock = KmsImportMock()
    mock.map_access_key(ALICE_KEY, ALICE)
    with mock:
        pass
    with mock:
        assert create_external_key(client_for(ALICE_KEY))["AWSAccountId"] == ALICE


def test_mapping_to_a_malformed_account_id_is_refused(kms_import: KmsImportMock) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        kms_import.map_access_key(ALICE_KEY, "alice")


def test_session_credentials_are_read_for_the_access_key_id(kms_import: KmsImportMock) -> None:
    kms_import.map_access_key("ASIASESSION000000004", BOB)
    session = boto3.session.Session(
        aws_access_key_id="ASIASESSION000000004",
        aws_secret_access_key="not-a-real-secret",
        aws_session_token="not-a-real-token",
        region_name=REGION,
    )
    assert create_external_key(session.client("kms"))["AWSAccountId"] == BOB


# --- another account's key ARN ----------------------------------------------------------


def test_import_operations_refuse_another_accounts_key_arn(alice: Any, bob: Any) -> None:
    arn = create_external_key(alice)["Arn"]
    with pytest.raises(ClientError) as caught:
        bob.get_parameters_for_import(
            KeyId=arn, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert caught.value.response["Error"]["Message"] == f"Key '{arn}' does not exist"


def test_import_key_material_refuses_another_accounts_key_arn(alice: Any, bob: Any) -> None:
    key = create_external_key(alice)
    params = alice.get_parameters_for_import(
        KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    with pytest.raises(bob.exceptions.NotFoundException):
        bob.import_key_material(
            KeyId=key["Arn"],
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=b"\x00" * 256,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )


def test_delete_imported_key_material_refuses_another_accounts_key_arn(
    alice: Any, bob: Any
) -> None:
    key = create_external_key(alice)
    import_material(alice, key["KeyId"], bytes(32))
    with pytest.raises(bob.exceptions.NotFoundException):
        bob.delete_imported_key_material(KeyId=key["Arn"])
    assert alice.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_token_of_one_account_is_refused_in_another(alice: Any, bob: Any) -> None:
    alice_key = create_external_key(alice)["KeyId"]
    bob_key = create_external_key(bob)["KeyId"]
    params = alice.get_parameters_for_import(
        KeyId=alice_key, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    with pytest.raises(bob.exceptions.InvalidImportTokenException):
        bob.import_key_material(
            KeyId=bob_key,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=b"\x00" * 256,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )


def test_describe_key_of_another_accounts_key_is_access_denied(alice: Any, bob: Any) -> None:
    arn = create_external_key(alice)["Arn"]
    with pytest.raises(ClientError) as caught:
        bob.describe_key(KeyId=arn)
    assert caught.value.response["Error"] == {
        "Code": "AccessDeniedException",
        "Message": f"User: arn:aws:iam::{BOB}:root is not authorized to perform: "
        f"kms:DescribeKey on resource: {arn} because no resource-based policy allows the "
        "kms:DescribeKey action",
    }


def test_describe_key_of_a_missing_key_in_another_account_is_not_found(
    alice: Any, bob: Any
) -> None:
    arn = create_external_key(alice)["Arn"].replace(ALICE, "999999999999")
    with pytest.raises(bob.exceptions.NotFoundException):
        bob.describe_key(KeyId=arn)


def test_same_key_id_in_another_account_is_not_found(alice: Any, bob: Any) -> None:
    key_id = create_external_key(alice)["KeyId"]
    with pytest.raises(bob.exceptions.NotFoundException):
        bob.describe_key(KeyId=key_id)


def test_inspection_api_names_the_account(kms_import: KmsImportMock, alice: Any) -> None:
    key_id = create_external_key(alice)["KeyId"]
    assert kms_import.inspect_key(key_id).account == ALICE
    with pytest.raises(LookupError):
        kms_import.key_state(key_id, account=BOB)


# --- reading the access key id ----------------------------------------------------------


class _Signer:
    def __init__(self, credentials: Any) -> None:
        self._credentials = credentials


class _AsyncOnlyCredentials:
    """Like aiobotocore's refreshable credentials: no synchronous access_key."""

    def __init__(self) -> None:
        self._access_key = "AKIAASYNC00000000005"

    @property
    def access_key(self) -> str:
        raise NotImplementedError("use get_frozen_credentials instead")


class _CoroutineCredentials:
    def __init__(self) -> None:
        self._access_key = "AKIACORO000000000006"

    @property
    def access_key(self) -> Any:
        async def later() -> str:
            return "never awaited"

        return later()


def test_access_key_id_of_plain_credentials() -> None:
    assert access_key_id(_Signer(Credentials("AKIAPLAIN00000000007", "s"))) == (
        "AKIAPLAIN00000000007"
    )


def test_access_key_id_of_unsigned_request_is_none() -> None:
    assert access_key_id(_Signer(None)) is None


def test_access_key_id_of_async_only_credentials_reads_the_held_key() -> None:
    assert access_key_id(_Signer(_AsyncOnlyCredentials())) == "AKIAASYNC00000000005"


def test_access_key_id_of_coroutine_credentials_leaves_no_unawaited_coroutine() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert access_key_id(_Signer(_CoroutineCredentials())) == "AKIACORO000000000006"


def test_access_key_id_of_refreshable_credentials_due_for_refresh_is_read_as_held() -> None:
    import datetime as dt

    from botocore.credentials import RefreshableCredentials

    refreshes: list[str] = []

    def refresh() -> dict[str, str]:
        refreshes.append("refresh")
        raise AssertionError("the mock refreshed credentials")

    expired = RefreshableCredentials(
        "ASIAHELD000000000008",
        "s",
        "t",
        dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        refresh,
        "test",
    )
    assert access_key_id(_Signer(expired)) == "ASIAHELD000000000008"
    assert refreshes == []


def test_access_key_id_of_deferred_credentials_not_yet_fetched_is_refused() -> None:
    from botocore.credentials import DeferredRefreshableCredentials

    from kmsimport_mock import CredentialsNotResolved

    def fetch() -> dict[str, str]:
        raise AssertionError("the mock fetched credentials")

    deferred = DeferredRefreshableCredentials(fetch, "assume-role")
    with pytest.raises(CredentialsNotResolved) as raised:
        access_key_id(_Signer(deferred))
    assert raised.value.method == "assume-role"
