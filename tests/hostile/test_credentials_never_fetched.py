"""Credentials never reach the network: the mock reads the access key id botocore already
holds, and never makes botocore fetch or refresh credentials.

For every credential source botocore has, a client is built from temporary config files and
environment variables (nothing real is read), with every name lookup, connection and
botocore HTTP send refused and recorded, and with the credential source itself counted.
Then KMS calls are made with an access key mapped to an account (the mock must find the
client's access key id), without any mapping, and beside moto. Sources that hold a key
(static keys, and refreshable credentials fetched at client creation, here due for refresh)
act in the mapped account without a refresh; deferred sources that have fetched nothing yet
(assume-role, web identity, SSO) raise ``CredentialsNotResolved`` when a mapping needs their
key, and are answered in the default account when none does.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.httpsession
import botocore.utils
import pytest
from kms_testing import REGION, create_external_key

from kmsimport_mock import CredentialsNotResolved, KmsImportMock, mock_kms_import
from kmsimport_mock.backend.types import DEFAULT_ACCOUNT_ID

MAPPED_ACCOUNT = "111111111111"
ROLE_ARN = "arn:aws:iam::222222222222:role/byok"
# Due for refresh: inside botocore's mandatory refresh window (10 minutes), so reading
# ``credentials.access_key`` would call the source again.
SOON = dt.timedelta(minutes=5)


class Outbound(AssertionError):
    pass


@pytest.fixture
def outbound(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every name lookup, connection and botocore HTTP send tried (all refused)."""
    attempts: list[str] = []

    def refuse(what: str) -> Callable[..., Any]:
        def refused(*args: Any, **_: Any) -> Any:
            attempts.append(f"{what}{args[:2]!r}")
            raise Outbound(f"{what} was called: {args[:2]!r}")

        return refused

    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse("botocore send"))
    yield attempts
    assert attempts == [], f"the network was tried: {attempts}"


@dataclass
class Built:
    """A KMS client holding credentials of one source, and how often that source ran."""

    client: Any
    # The access key id the credentials hold (None: nothing fetched yet).
    held_key: str | None
    fetches: Callable[[], int]


class Sources:
    """Builds clients whose credentials come from each of botocore's sources."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        self.monkeypatch = monkeypatch
        self.tmp_path = tmp_path
        self.config = tmp_path / "config"
        self.credentials = tmp_path / "credentials"
        self.config.write_text("")
        self.credentials.write_text("")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(self.config))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(self.credentials))

    def _profile_client(self, profile: str) -> Any:
        return boto3.Session(profile_name=profile).client("kms", region_name=REGION)

    def _calls_of(self, recorded: list[object]) -> Callable[[], int]:
        return lambda: len(recorded)

    def environment(self) -> Built:
        self.monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001")
        self.monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
        client = boto3.Session().client("kms", region_name=REGION)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            self.monkeypatch.delenv(name)
        return Built(client, "AKIAENVIRONMENT00001", lambda: 0)

    def shared_credentials_file(self) -> Built:
        self.credentials.write_text(
            "[alice]\naws_access_key_id = AKIASHAREDFILE000001\naws_secret_access_key = s\n"
        )
        return Built(self._profile_client("alice"), "AKIASHAREDFILE000001", lambda: 0)

    def config_file_keys(self) -> Built:
        self.config.write_text(
            "[profile bob]\naws_access_key_id = AKIACONFIGFILE000001\naws_secret_access_key = s\n"
        )
        return Built(self._profile_client("bob"), "AKIACONFIGFILE000001", lambda: 0)

    def ec2_credentials_file(self) -> Built:
        legacy = self.tmp_path / "ec2-credentials"
        legacy.write_text("AWSAccessKeyId=AKIAEC2CREDENTIALS01\nAWSSecretKey=s\n")
        self.monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(legacy))
        client = boto3.Session().client("kms", region_name=REGION)
        return Built(client, "AKIAEC2CREDENTIALS01", lambda: 0)

    def boto2_config(self) -> Built:
        boto2 = self.tmp_path / "boto.cfg"
        boto2.write_text(
            "[Credentials]\naws_access_key_id = AKIABOTO2CONFIG00001\naws_secret_access_key = s\n"
        )
        self.monkeypatch.setenv("BOTO_CONFIG", str(boto2))
        client = boto3.Session().client("kms", region_name=REGION)
        return Built(client, "AKIABOTO2CONFIG00001", lambda: 0)

    def assume_role_credential_source(self) -> Built:
        self.monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIALONGTERMENVIRON1")
        self.monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
        self.config.write_text(
            f"[profile role]\nrole_arn = {ROLE_ARN}\ncredential_source = Environment\n"
        )
        return Built(self._profile_client("role"), None, lambda: 0)

    def assume_role(self) -> Built:
        self.credentials.write_text(
            "[base]\naws_access_key_id = AKIALONGTERMSOURCE01\naws_secret_access_key = s\n"
        )
        self.config.write_text(f"[profile role]\nrole_arn = {ROLE_ARN}\nsource_profile = base\n")
        return Built(self._profile_client("role"), None, lambda: 0)

    def web_identity_environment(self) -> Built:
        token = self.tmp_path / "web-identity-token"
        token.write_text("not-a-real-token")
        self.monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
        self.monkeypatch.setenv("AWS_ROLE_ARN", ROLE_ARN)
        return Built(boto3.Session().client("kms", region_name=REGION), None, lambda: 0)

    def web_identity_profile(self) -> Built:
        token = self.tmp_path / "web-identity-token"
        token.write_text("not-a-real-token")
        self.config.write_text(
            f"[profile web]\nrole_arn = {ROLE_ARN}\nweb_identity_token_file = {token}\n"
        )
        return Built(self._profile_client("web"), None, lambda: 0)

    def sso(self) -> Built:
        self.config.write_text(
            "[profile sso]\nsso_start_url = https://example.awsapps.com/start\n"
            "sso_region = us-east-1\nsso_account_id = 222222222222\nsso_role_name = byok\n"
        )
        return Built(self._profile_client("sso"), None, lambda: 0)

    def credential_process(self) -> Built:
        runs = self.tmp_path / "process-runs"
        script = self.tmp_path / "credential_process.py"
        expiration = (dt.datetime.now(dt.UTC) + SOON).isoformat()
        script.write_text(
            "import json, pathlib, sys\n"
            "runs = pathlib.Path(sys.argv[1])\n"
            "runs.write_text((runs.read_text() if runs.exists() else '') + 'x')\n"
            "print(json.dumps({'Version': 1, 'AccessKeyId': 'ASIAPROCESS000000001', "
            f"'SecretAccessKey': 's', 'SessionToken': 't', 'Expiration': {expiration!r}}}))\n"
        )
        self.config.write_text(
            f"[profile process]\ncredential_process = {sys.executable} {script} {runs}\n"
        )
        client = self._profile_client("process")
        return Built(
            client,
            "ASIAPROCESS000000001",
            lambda: len(runs.read_text()) if runs.exists() else 0,
        )

    def _metadata(self, access_key: str) -> dict[str, str]:
        return {
            "AccessKeyId": access_key,
            "SecretAccessKey": "s",
            "Token": "t",
            "Expiration": (dt.datetime.now(dt.UTC) + SOON).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def container(self, variable: str, value: str) -> Built:
        fetched: list[object] = []

        def retrieve_full_uri(_: Any, full_url: str, headers: Any = None) -> dict[str, str]:
            fetched.append(full_url)
            return self._metadata("ASIACONTAINER0000001")

        self.monkeypatch.setattr(
            botocore.utils.ContainerMetadataFetcher, "retrieve_full_uri", retrieve_full_uri
        )
        self.monkeypatch.setenv(variable, value)
        client = boto3.Session().client("kms", region_name=REGION)
        return Built(client, "ASIACONTAINER0000001", self._calls_of(fetched))

    def instance_metadata(self) -> Built:
        fetched: list[object] = []

        def retrieve_iam_role_credentials(_: Any) -> dict[str, str]:
            fetched.append("imds")
            metadata = self._metadata("ASIAINSTANCEROLE0001")
            return {
                "role_name": "byok",
                "access_key": metadata["AccessKeyId"],
                "secret_key": metadata["SecretAccessKey"],
                "token": metadata["Token"],
                "expiry_time": metadata["Expiration"],
            }

        self.monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
        self.monkeypatch.setattr(
            botocore.utils.InstanceMetadataFetcher,
            "retrieve_iam_role_credentials",
            retrieve_iam_role_credentials,
        )
        client = boto3.Session().client("kms", region_name=REGION)
        return Built(client, "ASIAINSTANCEROLE0001", self._calls_of(fetched))


SOURCES: dict[str, Callable[[Sources], Built]] = {
    "environment": Sources.environment,
    "shared-credentials-file": Sources.shared_credentials_file,
    "config-file-keys": Sources.config_file_keys,
    "ec2-credentials-file": Sources.ec2_credentials_file,
    "boto2-config": Sources.boto2_config,
    "assume-role-source-profile": Sources.assume_role,
    "assume-role-credential-source": Sources.assume_role_credential_source,
    "web-identity-environment": Sources.web_identity_environment,
    "web-identity-profile": Sources.web_identity_profile,
    "sso": Sources.sso,
    "credential-process": Sources.credential_process,
    "container-full-uri": lambda sources: sources.container(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:7777/credentials"
    ),
    "container-relative-uri": lambda sources: sources.container(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/byok"
    ),
    "instance-metadata": Sources.instance_metadata,
}
DEFERRED = {
    "assume-role-source-profile",
    "assume-role-credential-source",
    "web-identity-environment",
    "web-identity-profile",
    "sso",
}


@pytest.fixture(params=sorted(SOURCES))
def built(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    outbound: list[str],
) -> Built:
    """A client of one credential source, made before any mock starts (as in a test module
    that makes its clients at import), with the network refused from the start."""
    made = SOURCES[request.param](Sources(monkeypatch, tmp_path))
    assert (made.held_key is None) == (request.param in DEFERRED)
    return made


def _account_of(client: Any) -> str:
    arn: str = client.create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"]
    return arn.split(":")[4]


def test_every_credential_source_is_covered(tmp_path: Path, outbound: list[str]) -> None:
    # Every provider of botocore's default chain but the login provider (``login_session``,
    # which needs botocore[crt] and loads refreshable credentials from its token cache, as
    # the container and instance-metadata providers here hold theirs).
    methods = set()
    for name, build in SOURCES.items():
        (tmp_path / name).mkdir()
        with pytest.MonkeyPatch.context() as patch:
            methods.add(
                build(Sources(patch, tmp_path / name)).client._request_signer._credentials.method
            )
    assert methods == {
        "env",
        "shared-credentials-file",
        "config-file",
        "ec2-credentials-file",
        "boto-config",
        "assume-role",
        "assume-role-with-web-identity",
        "sso",
        "custom-process",
        "container-role",
        "iam-role",
    }


def test_mapped_access_key_is_read_without_fetching_credentials(built: Built) -> None:
    fetched_before = built.fetches()
    with mock_kms_import() as kms_import:
        kms_import.map_access_key(built.held_key or "AKIANOTHINGHELD00000", MAPPED_ACCOUNT)
        if built.held_key is None:
            with pytest.raises(CredentialsNotResolved, match="have not fetched one yet"):
                built.client.create_key(Origin="EXTERNAL")
        else:
            assert _account_of(built.client) == MAPPED_ACCOUNT
    assert built.fetches() == fetched_before


def test_without_a_mapping_credentials_are_not_touched(built: Built) -> None:
    fetched_before = built.fetches()
    with mock_kms_import():
        assert _account_of(built.client) == DEFAULT_ACCOUNT_ID
    assert built.fetches() == fetched_before


def test_moto_account_id_needs_no_credentials(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    with mock_kms_import() as kms_import:
        kms_import.map_access_key("AKIANOTHINGHELD00000", MAPPED_ACCOUNT)
        assert _account_of(built.client) == "333333333333"


def test_refusal_names_the_credential_method(sources_for_assume_role: Built) -> None:
    with mock_kms_import() as kms_import:
        kms_import.map_access_key("AKIALONGTERMSOURCE01", MAPPED_ACCOUNT)
        with pytest.raises(CredentialsNotResolved) as raised:
            sources_for_assume_role.client.list_keys()
    assert raised.value.method == "assume-role"
    assert "the call was not sent" in str(raised.value)


@pytest.fixture
def sources_for_assume_role(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, outbound: list[str]
) -> Built:
    return Sources(monkeypatch, tmp_path).assume_role()


def test_credentials_fetched_once_are_read_as_held_and_not_refreshed(
    sources_for_assume_role: Built,
) -> None:
    # Assume-role credentials that have fetched a key (here from a stand-in for STS) and are
    # due for refresh: the mock reads the key they hold; botocore would call STS for a new one.
    credentials = sources_for_assume_role.client._request_signer._credentials
    real_refresh = credentials._refresh_using
    credentials._refresh_using = lambda: {
        "access_key": "ASIAASSUMEDROLE00001",
        "secret_key": "s",
        "token": "t",
        "expiry_time": (dt.datetime.now(dt.UTC) + SOON).isoformat(),
    }
    credentials.get_frozen_credentials()
    credentials._refresh_using = real_refresh
    with mock_kms_import() as kms_import:
        kms_import.map_access_key("ASIAASSUMEDROLE00001", MAPPED_ACCOUNT)
        assert _account_of(sources_for_assume_role.client) == MAPPED_ACCOUNT


def test_refreshable_credentials_due_for_refresh_would_fetch_when_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, outbound: list[str]
) -> None:
    # Why the mock never reads ``credentials.access_key``: botocore refreshes on that read.
    made = Sources(monkeypatch, tmp_path).instance_metadata()
    assert made.fetches() == 1
    assert made.client._request_signer._credentials.access_key == "ASIAINSTANCEROLE0001"
    assert made.fetches() == 2


def test_refusal_is_a_kmsimport_mock_error() -> None:
    from kmsimport_mock import KmsImportMockError

    assert issubclass(CredentialsNotResolved, KmsImportMockError)


# --- beside moto ----------------------------------------------------------------------------


def test_with_moto_an_import_operation_reads_the_held_key_without_fetching(built: Built) -> None:
    from moto import mock_aws

    with mock_aws(), mock_kms_import():
        if built.held_key is None:
            # The import operations are the mock's, whatever moto implements: it needs the
            # account, and the credentials have none to tell.
            key_id = _moto_key_made_with_other_client()
            with pytest.raises(CredentialsNotResolved):
                built.client.get_parameters_for_import(
                    KeyId=key_id,
                    WrappingAlgorithm="RSAES_OAEP_SHA_256",
                    WrappingKeySpec="RSA_2048",
                )
        else:
            key_id = _moto_key_made_with_other_client()
            fetched_before = built.fetches()
            params = built.client.get_parameters_for_import(
                KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
            )
            assert params["KeyId"].split(":")[4] == DEFAULT_ACCOUNT_ID
            assert built.fetches() == fetched_before


def _moto_key_made_with_other_client() -> str:
    other = boto3.client(
        "kms",
        region_name=REGION,
        aws_access_key_id="AKIAOTHERCLIENT00001",
        aws_secret_access_key="s",
    )
    key_id: str = create_external_key(other)["KeyId"]
    return key_id


def test_with_moto_a_deferred_client_is_left_to_moto_for_what_moto_answers(
    sources_for_assume_role: Built,
) -> None:
    # ListKeys is moto's whatever the account: the mock does not need the key id, and moto
    # (with botocore's signing, against moto's STS) answers as it would without the mock.
    from moto import mock_aws

    with mock_aws(), mock_kms_import():
        assert sources_for_assume_role.client.list_keys()["Keys"] == []


def test_with_moto_and_moto_account_id_a_deferred_client_needs_no_credentials(
    sources_for_assume_role: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto import mock_aws

    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    with mock_aws(), mock_kms_import():
        key_id = _moto_key_made_with_other_client()
        params = sources_for_assume_role.client.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert params["KeyId"].split(":")[3:5] == [REGION, "333333333333"]


@pytest.mark.parametrize("moto_account_id", [None, "333333333333"])
def test_with_moto_a_url_moto_does_not_serve_keeps_the_signing_region(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    outbound: list[str],
    moto_account_id: str | None,
) -> None:
    # Not a KMS URL moto knows: the mock answers, in the Region the client signs for, which
    # moto's resolution reads from the Authorization header the mock writes.
    from moto import mock_aws

    Sources(monkeypatch, tmp_path)
    if moto_account_id:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", moto_account_id)
    kms = boto3.Session().client(
        "kms",
        region_name="ap-southeast-2",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="AKIACUSTOMENDPOINT01",
        aws_secret_access_key="s",
    )
    with mock_aws(), mock_kms_import():
        arn = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["Arn"]
    assert arn.split(":")[3:5] == ["ap-southeast-2", moto_account_id or DEFAULT_ACCOUNT_ID]


def test_with_moto_the_access_key_still_picks_moto_s_account(outbound: list[str]) -> None:
    # moto maps the access keys its STS hands out to the role's account; the header the mock
    # writes for moto (instead of signing) carries the key the same way.
    from moto import mock_aws

    with mock_aws(), mock_kms_import():
        creds = boto3.client("sts", region_name=REGION).assume_role(
            RoleArn=ROLE_ARN, RoleSessionName="byok"
        )["Credentials"]
        kms = boto3.client(
            "kms",
            region_name=REGION,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        key_id = create_external_key(kms)["KeyId"]
        params = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert params["KeyId"].split(":")[4] == "222222222222"


def test_mock_object_is_reusable_after_a_refusal(sources_for_assume_role: Built) -> None:
    mock = KmsImportMock()
    mock.map_access_key("AKIALONGTERMSOURCE01", MAPPED_ACCOUNT)
    with mock, pytest.raises(CredentialsNotResolved):
        sources_for_assume_role.client.list_keys()
    with mock:
        kms = boto3.client("kms", region_name=REGION)
        assert kms.list_keys()["Keys"] == []


# --- clients made inside the mock -----------------------------------------------------------


def test_client_made_inside_the_mock_without_keys_gets_the_fake_credentials(
    sources_for_assume_role: Built,
) -> None:
    with mock_kms_import():
        kms = boto3.Session().client("kms", region_name=REGION)
        assert kms._request_signer._credentials.access_key == "AKIAKMSIMPORTMOCK000"


def test_client_made_inside_the_mock_with_a_profile_keeps_that_profile(
    sources_for_assume_role: Built,
) -> None:
    # What the README promises: a profile (or keys) given in code is used as given, and the
    # mock never fetches or sends its credentials.
    with mock_kms_import() as kms_import:
        kms = boto3.Session(profile_name="role").client("kms", region_name=REGION)
        credentials = kms._request_signer._credentials
        assert credentials.method == "assume-role"
        assert _account_of(kms) == DEFAULT_ACCOUNT_ID
        kms_import.map_access_key("AKIALONGTERMSOURCE01", MAPPED_ACCOUNT)
        with pytest.raises(CredentialsNotResolved):
            kms.list_keys()
    assert credentials._access_key is None  # never fetched
