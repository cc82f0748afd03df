"""The wrapping key pool and the key cache kept between runs.

RSA_2048 keeps these fast; the pool treats every spec the same way.
"""

from __future__ import annotations

import itertools
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kmsimport_mock import wrapping_key_cache
from kmsimport_mock.__main__ import main
from kmsimport_mock.crypto.seed_wrapping_keys import KEYS_PER_SPEC, SEED_FILE, seed_primes
from kmsimport_mock.crypto.wrapping_key_pool import (
    WrappingKeyPool,
    generate_wrapping_key,
    load_cached_keys,
    save_cached_key,
)
from kmsimport_mock.wrapping_key_cache import KEY_CACHE_ENV, KeyCache

SPEC = "RSA_2048"


@pytest.fixture
def make_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[WrappingKeyPool]]:
    # These pools keep no keys on disk unless a test gives them a cache: the run's own key
    # cache (pytest's, shared by xdist workers) would hand them keys other tests generated.
    monkeypatch.setattr(wrapping_key_cache, "_configured", None)
    monkeypatch.setattr(wrapping_key_cache, "_chosen", True)
    pools: list[WrappingKeyPool] = []

    class ClosedAfterTest(WrappingKeyPool):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            pools.append(self)

    yield ClosedAfterTest
    for pool in pools:
        pool.close()


def _filled(pool: WrappingKeyPool) -> WrappingKeyPool:
    assert pool.wait_until_full(SPEC, timeout=60)
    return pool


def test_cold_pool_never_hands_out_the_same_key_twice_in_a_row(
    make_pool: type[WrappingKeyPool],
) -> None:
    pool = make_pool(size=3)
    fingerprints = [pool.issue(SPEC).fingerprint for _ in range(8)]
    assert all(a != b for a, b in itertools.pairwise(fingerprints))


def test_full_pool_hands_out_size_distinct_keys_in_a_row(
    make_pool: type[WrappingKeyPool],
) -> None:
    pool = _filled(make_pool(size=4))
    assert len({pool.issue(SPEC).fingerprint for _ in range(4)}) == 4


def test_full_pool_keeps_handing_out_distinct_keys_in_rotation(
    make_pool: type[WrappingKeyPool],
) -> None:
    pool = _filled(make_pool(size=3))
    fingerprints = [pool.issue(SPEC).fingerprint for _ in range(9)]
    assert all(len(set(fingerprints[i : i + 3])) == 3 for i in range(7))


def test_issued_key_is_found_by_its_fingerprint(make_pool: type[WrappingKeyPool]) -> None:
    pool = make_pool(size=2)
    key = pool.issue(SPEC)
    assert pool.find(key.fingerprint) is key


def test_pool_of_one_key_is_refused() -> None:
    with pytest.raises(ValueError):
        WrappingKeyPool(size=1)


def test_generated_keys_are_cached_readable_by_the_owner_only(
    make_pool: type[WrappingKeyPool], tmp_path: Path
) -> None:
    cache = KeyCache(tmp_path / "keys")
    _filled(make_pool(size=2, cache=cache))
    files = list((tmp_path / "keys" / SPEC).glob("*.der"))
    assert len(files) == 2
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "keys" / SPEC).stat().st_mode) == 0o700


def test_later_pool_starts_with_cached_keys_without_generating(
    make_pool: type[WrappingKeyPool], tmp_path: Path
) -> None:
    earlier = _filled(make_pool(size=2, cache=KeyCache(tmp_path)))
    known = {earlier.issue(SPEC).fingerprint, earlier.issue(SPEC).fingerprint}
    later = make_pool(size=2, cache=KeyCache(tmp_path))
    issued = {later.issue(SPEC).fingerprint, later.issue(SPEC).fingerprint}
    assert issued == known
    assert later.generated == 0


def test_cached_key_decrypts_what_its_public_key_encrypted(
    make_pool: type[WrappingKeyPool], tmp_path: Path
) -> None:
    from kmsimport_mock.crypto.wrapping import unwrap_key_material, wrap_key_material

    cached = generate_wrapping_key(SPEC)
    save_cached_key(KeyCache(tmp_path), cached)
    loaded = make_pool(size=2, cache=KeyCache(tmp_path)).find(cached.fingerprint)
    assert loaded is None  # nothing is read before a key of the spec is asked for
    pool = make_pool(size=2, cache=KeyCache(tmp_path))
    key = pool.issue(SPEC)
    assert key.fingerprint == cached.fingerprint
    blob = wrap_key_material(key.public_key_der, b"k" * 32, "RSAES_OAEP_SHA_256")
    assert unwrap_key_material(key.private_key, "RSAES_OAEP_SHA_256", blob) == b"k" * 32


def test_cache_file_others_can_read_is_ignored(tmp_path: Path) -> None:
    save_cached_key(KeyCache(tmp_path), generate_wrapping_key(SPEC))
    (only,) = (tmp_path / SPEC).glob("*.der")
    only.chmod(0o640)
    assert KeyCache(tmp_path).load(SPEC, 24) == []


def test_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    save_cached_key(KeyCache(tmp_path), generate_wrapping_key(SPEC))
    (only,) = (tmp_path / SPEC).glob("*.der")
    only.write_bytes(only.read_bytes()[:-40])
    assert load_cached_keys(KeyCache(tmp_path), SPEC, 24) == []


def test_cache_file_named_after_another_key_is_ignored(tmp_path: Path) -> None:
    save_cached_key(KeyCache(tmp_path), generate_wrapping_key(SPEC))
    (only,) = (tmp_path / SPEC).glob("*.der")
    only.rename(only.with_name("00" * 32 + ".der"))
    assert load_cached_keys(KeyCache(tmp_path), SPEC, 24) == []


def test_cache_file_older_than_the_maximum_age_is_deleted(tmp_path: Path) -> None:
    save_cached_key(KeyCache(tmp_path), generate_wrapping_key(SPEC))
    (only,) = (tmp_path / SPEC).glob("*.der")
    eight_days_ago = only.stat().st_mtime - 8 * 86400
    os.utime(only, (eight_days_ago, eight_days_ago))
    assert KeyCache(tmp_path).load(SPEC, 24) == []
    assert not only.exists()


def test_cache_keeps_only_the_newest_keys(tmp_path: Path) -> None:
    cache = KeyCache(tmp_path)
    for _ in range(3):
        save_cached_key(cache, generate_wrapping_key(SPEC))
    cache.prune(SPEC, 2)
    assert len(list((tmp_path / SPEC).glob("*.der"))) == 2


def test_environment_names_the_cache_directory_outside_pytest(
    make_pool: type[WrappingKeyPool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = generate_wrapping_key(SPEC)
    save_cached_key(KeyCache(tmp_path), cached)
    monkeypatch.setattr(wrapping_key_cache, "_chosen", False)  # as outside pytest
    monkeypatch.setenv(KEY_CACHE_ENV, str(tmp_path))
    assert make_pool(size=2).issue(SPEC).fingerprint == cached.fingerprint


def test_environment_off_keeps_keys_off_disk(
    make_pool: type[WrappingKeyPool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wrapping_key_cache, "_chosen", False)  # as outside pytest
    monkeypatch.setenv(KEY_CACHE_ENV, "off")
    pool = make_pool(size=2)
    pool.issue(SPEC)
    assert pool.cache is None


def test_clear_key_cache_command_deletes_cached_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_cached_key(KeyCache(tmp_path), generate_wrapping_key(SPEC))
    assert main(["clear-key-cache", str(tmp_path)]) == 0
    assert not (tmp_path / SPEC).exists()
    assert "removed 1 wrapping key(s)" in capsys.readouterr().out


# --- keys shipped with the package: a cold process answers at once ---------------------------


@pytest.mark.parametrize("spec", ["RSA_2048", "RSA_3072", "RSA_4096"])
def test_cold_pool_hands_out_shipped_keys_without_generating(
    make_pool: type[WrappingKeyPool], spec: str
) -> None:
    pool = make_pool()
    fingerprints = [pool.issue(spec).fingerprint for _ in range(KEYS_PER_SPEC)]
    assert len(set(fingerprints)) == KEYS_PER_SPEC
    assert pool.generated == 0


def test_short_run_starts_no_key_generation(make_pool: type[WrappingKeyPool]) -> None:
    pool = make_pool()
    for _ in range(40):
        pool.issue(SPEC)
    assert not pool.generating(SPEC)


def test_shipped_key_decrypts_what_its_public_key_encrypted(
    make_pool: type[WrappingKeyPool],
) -> None:
    from kmsimport_mock.crypto.wrapping import unwrap_key_material, wrap_key_material

    key = make_pool().issue("RSA_4096")
    assert key.private_key.key_size == 4096
    blob = wrap_key_material(key.public_key_der, b"k" * 32, "RSAES_OAEP_SHA_256")
    assert unwrap_key_material(key.private_key, "RSAES_OAEP_SHA_256", blob) == b"k" * 32


def test_shipped_keys_share_no_prime() -> None:
    primes = [
        p
        for spec in ("RSA_2048", "RSA_3072", "RSA_4096")
        for pair in seed_primes(spec)
        for p in pair
    ]
    assert len(primes) == 3 * 2 * KEYS_PER_SPEC
    assert len(set(primes)) == len(primes)


def test_shipped_keys_file_holds_no_key_in_a_shape_secret_scanners_flag() -> None:
    text = zlib.decompress(SEED_FILE.read_bytes()).decode("ascii")  # JSON of hex integers
    assert "BEGIN" not in text
    assert "PRIVATE" not in text
    assert b"BEGIN" not in SEED_FILE.read_bytes()


def test_issued_shipped_key_is_found_by_its_fingerprint(make_pool: type[WrappingKeyPool]) -> None:
    pool = make_pool()
    key = pool.issue(SPEC)
    assert pool.find(key.fingerprint) is key


def test_pool_moves_on_to_keys_of_its_own_once_shipped_keys_are_handed_out(
    make_pool: type[WrappingKeyPool],
) -> None:
    pool = make_pool(size=2)
    shipped = {pool.issue(SPEC).fingerprint for _ in range(2 * KEYS_PER_SPEC)}
    assert len(shipped) == KEYS_PER_SPEC
    assert pool.wait_until_full(SPEC, timeout=60)
    assert pool.generated == 2
    assert {pool.issue(SPEC).fingerprint for _ in range(2)}.isdisjoint(shipped)


def test_pool_without_shipped_keys_generates_its_own(make_pool: type[WrappingKeyPool]) -> None:
    pool = make_pool(size=2, shipped_keys=False)
    pool.issue(SPEC)
    assert pool.generated >= 1


def test_cached_keys_are_handed_out_before_shipped_ones(
    make_pool: type[WrappingKeyPool], tmp_path: Path
) -> None:
    cached = generate_wrapping_key(SPEC)
    save_cached_key(KeyCache(tmp_path), cached)
    assert make_pool(size=2, cache=KeyCache(tmp_path)).issue(SPEC).fingerprint == cached.fingerprint
