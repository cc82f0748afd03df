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
