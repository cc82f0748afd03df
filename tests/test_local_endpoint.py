"""The local endpoint's own features: ``serving()`` for pytest fixtures, ``POST
/_kmsimport_mock/reset``, ``serve --seed FILE`` and its options. (``tests/test_server.py``
covers the KMS traffic; ``tests/hostile/test_endpoint.py`` hostile clients.)
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from endpoint_testing import endpoint_client, endpoint_in_thread, endpoint_process, environment
from kms_testing import REGION, material_for

import kmsimport_mock
from kmsimport_mock import wrap_key_material

SEEDED_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
SEEDED_MRK = "mrk-1234abcd12ab34cd56ef1234567890ab"
MATERIAL = bytes(range(32))


def _reset(url: str) -> Any:
    request = urllib.request.Request(url + "/_kmsimport_mock/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, json.loads(response.read())


def _reimport(kms: Any, key_id: str, material: bytes) -> None:
    """Imports ``material`` again: AWS accepts only the key's own material."""
    parameters = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    kms.import_key_material(
        KeyId=key_id,
        ImportToken=parameters["ImportToken"],
        EncryptedKeyMaterial=wrap_key_material(
            parameters["PublicKey"], material, "RSAES_OAEP_SHA_256"
        ),
        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
    )


def _seed_file(tmp_path: Path, document: Any, name: str = "seed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if name.endswith(".json") else document)
    return path


# --- serving() ----------------------------------------------------------------------------


@pytest.fixture
def endpoint_url() -> Iterator[str]:
    # As docs/local-endpoint.md shows it.
    with kmsimport_mock.serving() as url:
        yield url


def test_serving_runs_the_endpoint_on_a_free_loopback_port(endpoint_url: str) -> None:
    assert endpoint_url.startswith("http://127.0.0.1:")
    kms = endpoint_client(endpoint_url)
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"


def test_serving_stops_listening_when_the_block_ends() -> None:
    with kmsimport_mock.serving() as url:
        kms = endpoint_client(url)
        kms.list_keys()
    with pytest.raises(EndpointConnectionError):
        endpoint_client(url).list_keys()


def test_serving_is_in_the_public_api() -> None:
    assert "serving" in kmsimport_mock.__all__


def test_two_endpoints_keep_separate_keys() -> None:
    with kmsimport_mock.serving() as first, kmsimport_mock.serving() as second:
        endpoint_client(first).create_key()
        assert endpoint_client(second).list_keys()["Keys"] == []


def test_serving_with_access_keys_maps_them_to_accounts() -> None:
    with kmsimport_mock.serving(access_keys={"AKIAIOSFODNN7EXAMPLE": "444455556666"}) as url:
        meta = endpoint_client(url).create_key()["KeyMetadata"]
    assert meta["AWSAccountId"] == "444455556666"


# --- reset --------------------------------------------------------------------------------


def test_reset_removes_every_key_of_every_account_and_region(endpoint_url: str) -> None:
    endpoint_client(endpoint_url).create_key()
    endpoint_client(endpoint_url, region="us-east-1").create_key(Origin="EXTERNAL")
    assert _reset(endpoint_url) == (200, {"status": "ok"})
    assert endpoint_client(endpoint_url).list_keys()["Keys"] == []
    assert endpoint_client(endpoint_url, region="us-east-1").list_keys()["Keys"] == []


def test_reset_forgets_keys_under_import(endpoint_url: str) -> None:
    kms = endpoint_client(endpoint_url)
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    parameters = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    _reset(endpoint_url)
    with pytest.raises(ClientError) as raised:
        kms.import_key_material(
            KeyId=key_id,
            ImportToken=parameters["ImportToken"],
            EncryptedKeyMaterial=wrap_key_material(
                parameters["PublicKey"], MATERIAL, "RSAES_OAEP_SHA_256"
            ),
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_reset_is_saved_to_the_state_dir(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    with kmsimport_mock.serving(state_dir=state_dir) as url:
        endpoint_client(url).create_key()
        _reset(url)
    with kmsimport_mock.serving(state_dir=state_dir) as url:
        assert endpoint_client(url).list_keys()["Keys"] == []


def test_get_of_the_reset_path_resets_nothing(endpoint_url: str) -> None:
    endpoint_client(endpoint_url).create_key()
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(endpoint_url + "/_kmsimport_mock/reset", timeout=20)
    assert raised.value.code == 404
    assert len(endpoint_client(endpoint_url).list_keys()["Keys"]) == 1


# --- seed files ---------------------------------------------------------------------------


def test_seed_creates_keys_with_fixed_ids_and_imported_material(tmp_path: Path) -> None:
    seed = _seed_file(
        tmp_path,
        {
            "Region": REGION,
            "Keys": [
                {
                    "KeyId": SEEDED_ID,
                    "Description": "payments key",
                    "Material": {"base64": base64.b64encode(MATERIAL).decode()},
                },
                {"KeyId": "22222222-2222-4222-8222-222222222222", "Origin": "EXTERNAL"},
                {"KeyId": "33333333-3333-4333-8333-333333333333"},
            ],
        },
    )
    with kmsimport_mock.serving(seed=seed) as url:
        kms = endpoint_client(url)
        seeded = kms.describe_key(KeyId=SEEDED_ID)["KeyMetadata"]
        pending = kms.describe_key(KeyId="22222222-2222-4222-8222-222222222222")["KeyMetadata"]
        generated = kms.describe_key(KeyId="33333333-3333-4333-8333-333333333333")["KeyMetadata"]
        _reimport(kms, SEEDED_ID, MATERIAL)  # the same material: accepted
        with pytest.raises(ClientError) as raised:
            _reimport(kms, SEEDED_ID, os.urandom(32))
    assert seeded["Arn"] == f"arn:aws:kms:{REGION}:123456789012:key/{SEEDED_ID}"
    assert (seeded["Origin"], seeded["KeyState"]) == ("EXTERNAL", "Enabled")
    assert seeded["Description"] == "payments key"
    assert seeded["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    assert (pending["Origin"], pending["KeyState"]) == ("EXTERNAL", "PendingImport")
    assert (generated["Origin"], generated["KeyState"]) == ("AWS_KMS", "Enabled")
    assert raised.value.response["Error"]["Code"] == "IncorrectKeyMaterialException"


def test_seed_key_material_in_hex_with_an_expiry(tmp_path: Path) -> None:
    valid_to = (dt.datetime.now(dt.UTC) + dt.timedelta(days=100)).replace(microsecond=0)
    seed = _seed_file(
        tmp_path,
        {
            "Keys": [
                {
                    "KeyId": SEEDED_ID,
                    "Region": "us-west-2",
                    "Account": "111122223333",
                    "Material": {"hex": MATERIAL.hex()},
                    "ExpirationModel": "KEY_MATERIAL_EXPIRES",
                    "ValidTo": valid_to.isoformat(),
                }
            ]
        },
    )
    with endpoint_in_thread(seed=seed) as server:
        key = server.backend.find_key(SEEDED_ID, "111122223333", "us-west-2")
        assert key is not None
        meta = server.backend.metadata(key)
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert meta["ValidTo"] == valid_to
    assert key.current_material is not None
    assert key.current_material.plaintext == MATERIAL


@pytest.mark.parametrize(
    ("key_spec", "key_usage"),
    [
        ("RSA_2048", "SIGN_VERIFY"),
        ("ECC_NIST_P256", "SIGN_VERIFY"),
        ("HMAC_256", "GENERATE_VERIFY_MAC"),
    ],
)
def test_seed_imports_asymmetric_and_hmac_material(
    tmp_path: Path, key_spec: str, key_usage: str
) -> None:
    material = material_for(key_spec)
    seed = _seed_file(
        tmp_path,
        {
            "Region": REGION,
            "Keys": [
                {
                    "KeyId": SEEDED_ID,
                    "KeySpec": key_spec,
                    "KeyUsage": key_usage,
                    "Material": {"base64": base64.b64encode(material).decode()},
                }
            ],
        },
    )
    with endpoint_in_thread(seed=seed) as server:
        key = server.backend.find_key(SEEDED_ID, None, REGION)
        assert key is not None
        assert (key.key_spec, key.state) == (key_spec, "Enabled")
        assert key.only_material is not None
        assert key.only_material.plaintext == material


def test_seed_multi_region_key_keeps_its_mrk_id(tmp_path: Path) -> None:
    seed = _seed_file(
        tmp_path, {"Region": REGION, "Keys": [{"KeyId": SEEDED_MRK, "MultiRegion": True}]}
    )
    with kmsimport_mock.serving(seed=seed) as url:
        meta = endpoint_client(url).describe_key(KeyId=SEEDED_MRK)["KeyMetadata"]
    assert meta["MultiRegion"] is True


def test_seed_in_yaml(tmp_path: Path) -> None:
    # PyYAML comes with the test dependencies. An unquoted account id (a number to YAML)
    # and an unquoted date (a date to YAML) are taken as the text they were written as.
    seed = _seed_file(
        tmp_path,
        f"Region: {REGION}\nAccount: 111122223333\nKeys:\n  - KeyId: {SEEDED_ID}\n"
        f'    Description: 2026-01-01\n    Material:\n      hex: "{MATERIAL.hex()}"\n',
        name="seed.yaml",
    )
    with kmsimport_mock.serving(
        seed=seed, access_keys={"AKIAIOSFODNN7EXAMPLE": "111122223333"}
    ) as url:
        meta = endpoint_client(url).describe_key(KeyId=SEEDED_ID)["KeyMetadata"]
    assert (meta["KeyState"], meta["AWSAccountId"]) == ("Enabled", "111122223333")
    assert meta["Description"] == "2026-01-01"


def test_seed_with_a_state_dir_is_applied_once(tmp_path: Path) -> None:
    seed = _seed_file(tmp_path, {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID}]})
    state_dir = tmp_path / "state"
    with kmsimport_mock.serving(seed=seed, state_dir=state_dir) as url:
        endpoint_client(url).disable_key(KeyId=SEEDED_ID)
    with kmsimport_mock.serving(seed=seed, state_dir=state_dir) as url:
        meta = endpoint_client(url).describe_key(KeyId=SEEDED_ID)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled"  # kept from the state dir, not seeded again


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([], 'a seed file is an object with a "Keys" list'),
        ({"Keys": [], "Regions": "x"}, "unknown top-level field(s) Regions"),
        ({"Keys": [{"KeyId": SEEDED_ID}]}, f"key 1 ({SEEDED_ID}): Region is required"),
        (
            {"Region": REGION, "Keys": [{"KeyId": "not-a-uuid"}]},
            "key 1 (not-a-uuid): key id 'not-a-uuid' is not a UUID",
        ),
        (
            {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID}, {"KeyId": SEEDED_ID}]},
            f"key 2 ({SEEDED_ID}): the same KeyId, Region and Account as an earlier key",
        ),
        (
            {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID, "Tagz": []}]},
            "unknown field(s) Tagz",
        ),
        (
            {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID, "KeyUsage": "SOMETHING"}]},
            "ValidationException: 1 validation error detected: Value 'SOMETHING' at 'keyUsage'",
        ),
        (
            {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID, "Material": {"hex": "00" * 31}}]},
            "IncorrectKeyMaterialException",
        ),
        (
            {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID, "Material": {"base64": "@@"}}]},
            "Material is not valid base64",
        ),
    ],
    ids=[
        "not-an-object",
        "unknown-top-level",
        "no-region",
        "bad-id",
        "duplicate",
        "unknown-field",
        "model-validation",
        "wrong-material-length",
        "bad-base64",
    ],
)
def test_seed_file_problem_stops_serve_with_one_line_and_exit_2(
    tmp_path: Path, document: Any, problem: str
) -> None:
    seed = _seed_file(tmp_path, document)
    result = subprocess.run(
        [sys.executable, "-m", "kmsimport_mock", "serve", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert f"{seed}: " in line
    assert problem in line


def test_serve_seed_prints_its_url_and_serves_the_keys(tmp_path: Path) -> None:
    seed = _seed_file(tmp_path, {"Region": REGION, "Keys": [{"KeyId": SEEDED_ID}]})
    with endpoint_process("--seed", str(seed)) as server:
        meta = endpoint_client(server.url).describe_key(KeyId=SEEDED_ID)["KeyMetadata"]
        status, log = server.stop()
    assert meta["KeyId"] == SEEDED_ID
    assert status == 0
    assert f"seeded 1 key(s) from {seed}" in log


@pytest.mark.parametrize("option", ["--max-connections", "--idle-timeout"])
def test_serve_options_want_a_positive_number(option: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kmsimport_mock", "serve", option, "0"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )
    assert result.returncode == 2
    assert "'0' is not at least 1" in result.stderr
