"""Wrapping keys kept on disk between runs, so a later run starts with a full key pool.

They are private keys, if only of throwaway wrapping keys a mock hands out, so: one
unencrypted PKCS#8 DER file per key, written atomically with mode 0600 in directories of
mode 0700; files that someone else could read or change are ignored; a file older than
``KEY_CACHE_MAX_AGE`` is deleted rather than reused. Nothing is kept on disk unless the
pytest plugin (under pytest's cache directory) or ``KMSIMPORT_MOCK_KEY_CACHE`` asks for it.

This module does not import cryptography, so the pytest plugin can configure it at
start-up for free.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import stat
import tempfile
import time
from pathlib import Path

KEY_CACHE_MAX_AGE = _dt.timedelta(days=7)
# A directory to keep wrapping keys in between runs, or "off" to never keep them (the
# pytest plugin reads it too).
KEY_CACHE_ENV = "KMSIMPORT_MOCK_KEY_CACHE"
KEY_CACHE_OFF = frozenset({"", "0", "off", "false", "no", "none"})
_KEY_FILE_SUFFIX = ".der"

_configured: KeyCache | None = None
_chosen = False


def configure(cache: KeyCache | None) -> None:
    """Chooses the cache of the process-wide key pool (None: keep nothing on disk)."""
    global _configured, _chosen
    _configured, _chosen = cache, True


def default_cache() -> KeyCache | None:
    """The cache :func:`configure` chose, else the one ``KMSIMPORT_MOCK_KEY_CACHE`` names."""
    if _chosen:
        return _configured
    directory = key_cache_from_environment()
    return KeyCache(directory) if directory is not None else None


def key_cache_from_environment() -> Path | None:
    """The directory named by ``KMSIMPORT_MOCK_KEY_CACHE``, or None (unset or "off")."""
    value = os.environ.get(KEY_CACHE_ENV)
    if value is None or value.strip().lower() in KEY_CACHE_OFF:
        return None
    return Path(value).expanduser()


def disabled_by_environment() -> bool:
    value = os.environ.get(KEY_CACHE_ENV)
    return value is not None and value.strip().lower() in KEY_CACHE_OFF


class KeyCache:
    """Wrapping key pairs kept on disk between runs, one unencrypted PKCS#8 file per key."""

    def __init__(self, directory: Path, max_age: _dt.timedelta = KEY_CACHE_MAX_AGE) -> None:
        self.directory = directory
        self.max_age = max_age

    def load(self, spec: str, limit: int) -> list[tuple[str, bytes]]:
        """(name, DER) of up to ``limit`` key files of a spec, newest first; files that
        someone else could read or change are skipped, files past the maximum age deleted."""
        folder = self.directory / spec
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return []
        oldest = time.time() - self.max_age.total_seconds()
        candidates: list[tuple[float, Path]] = []
        for entry in entries:
            if not entry.name.endswith(_KEY_FILE_SUFFIX):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_mtime < oldest:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                continue
            if _private_to_us(info):
                candidates.append((info.st_mtime, Path(entry.path)))
        candidates.sort(reverse=True)
        found: list[tuple[str, bytes]] = []
        for _, path in candidates[:limit]:
            with contextlib.suppress(OSError):
                found.append((path.name[: -len(_KEY_FILE_SUFFIX)], path.read_bytes()))
        return found

    def save(self, spec: str, name: str, der: bytes) -> None:
        """Writes a key file atomically, readable by the current user only. Failures are
        ignored: the cache only saves time."""
        folder = self.directory / spec
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
            # mkstemp creates the file with mode 0600 before anything is written to it.
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(der)
                os.replace(temporary, folder / (name + _KEY_FILE_SUFFIX))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    def prune(self, spec: str, keep: int) -> None:
        """Deletes all but the newest ``keep`` key files of a spec."""
        folder = self.directory / spec
        try:
            files = sorted(
                folder.glob("*" + _KEY_FILE_SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True
            )
        except OSError:
            return
        for path in files[keep:]:
            with contextlib.suppress(OSError):
                path.unlink()

    def clear(self) -> int:
        """Deletes every cached key file; returns how many there were."""
        removed = 0
        try:
            folders = [path for path in self.directory.iterdir() if path.is_dir()]
        except OSError:
            return 0
        for folder in folders:
            for path in folder.glob("*" + _KEY_FILE_SUFFIX):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
            with contextlib.suppress(OSError):
                folder.rmdir()
        return removed


def _private_to_us(info: os.stat_result) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()
