"""The pytest plugin's choice of wrapping key cache."""

from __future__ import annotations

import pytest

from kmsimport_mock import wrapping_key_cache

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _outer_choice_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    # Configuring an inner pytest run changes the process-wide choice; put it back after.
    monkeypatch.setattr(wrapping_key_cache, "_configured", wrapping_key_cache._configured)
    monkeypatch.setattr(wrapping_key_cache, "_chosen", wrapping_key_cache._chosen)
    monkeypatch.delenv(wrapping_key_cache.KEY_CACHE_ENV, raising=False)


def test_keys_are_cached_under_pytests_cache_directory(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfigure()
    cache = wrapping_key_cache.default_cache()
    assert cache is not None
    assert cache.directory == config.cache.mkdir("kmsimport_mock") / "wrapping-keys"


def test_option_keeps_keys_off_disk(pytester: pytest.Pytester) -> None:
    pytester.parseconfigure("--kms-import-no-key-cache")
    assert wrapping_key_cache.default_cache() is None


def test_environment_off_keeps_keys_off_disk(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(wrapping_key_cache.KEY_CACHE_ENV, "off")
    pytester.parseconfigure()
    assert wrapping_key_cache.default_cache() is None


def test_environment_directory_wins_over_pytests_cache(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(wrapping_key_cache.KEY_CACHE_ENV, str(pytester.path / "keys"))
    pytester.parseconfigure()
    cache = wrapping_key_cache.default_cache()
    assert cache is not None and cache.directory == pytester.path / "keys"


XDIST_SUITE = """
import boto3
import pytest


@pytest.mark.parametrize("n", range(4))
def test_get_parameters(kms_import, n):
    kms = boto3.client("kms", region_name="eu-west-1")
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    # More calls than the shipped keys answer (each twice), so that every worker
    # generates wrapping keys of its own, which the cache keeps.
    for _ in range(50):
        kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
"""


def test_workers_of_pytest_xdist_share_the_key_cache(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_xdist=XDIST_SUITE)
    first = pytester.runpytest_subprocess("-n", "2")
    first.assert_outcomes(passed=4)
    cache = pytester.path / ".pytest_cache" / "d" / "kmsimport_mock" / "wrapping-keys"
    assert sorted(cache.rglob("*.der")), "no worker kept its wrapping keys"
    second = pytester.runpytest_subprocess("-n", "2")
    second.assert_outcomes(passed=4)
