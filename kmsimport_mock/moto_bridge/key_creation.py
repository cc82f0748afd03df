"""moto's CreateKey(Origin=EXTERNAL) without the key generation it would throw away.

moto's ``Key.__init__`` generates a private key for every key it creates (RSA-2048 for
symmetric and HMAC keys, RSA-4096 for RSA_4096 keys: 20–700 ms). An EXTERNAL key gets its
material by import, so that key is never used. While moto serves a CreateKey with
``Origin=EXTERNAL``, moto's ``generate_private_key`` therefore hands out a
:class:`DeferredPrivateKey` instead, which generates moto's key only if something ever
reads it. Everything else of moto's CreateKey (validation, policy, tags, its answer) stays
moto's.

The substitute ``generate_private_key`` is installed once, the first time a CreateKey for
an EXTERNAL key goes to moto; it defers only on the thread that is making that call, and
only during the call, so moto's other keys are generated as moto always does.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

_local = threading.local()
_install_lock = threading.Lock()


class DeferredPrivateKey:
    """Stands in for the private key moto would generate: generates it on first use."""

    def __init__(self, generate: Callable[[str], Any], key_spec: str) -> None:
        self._generate = generate
        self._key_spec = key_spec
        self._generated: Any = None

    def resolve(self) -> Any:
        """moto's own private key object, generated now if it was not yet."""
        if self._generated is None:
            self._generated = self._generate(self._key_spec)
        return self._generated

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            # copy.copy probes dunder methods on an instance whose attributes are not set.
            raise AttributeError(name)
        return getattr(self.resolve(), name)


def resolved(private_key: Any) -> Any:
    """moto's private key object, whether it was deferred or not."""
    return private_key.resolve() if isinstance(private_key, DeferredPrivateKey) else private_key


def before_moto(operation: str, body: bytes | str | None) -> None:
    """A request goes on to moto: defer moto's key generation if it creates an EXTERNAL key."""
    _local.defer = operation == "CreateKey" and _origin_in(body) == "EXTERNAL"
    if _local.defer:
        _install()


def after_moto() -> None:
    """moto has answered (or the next call begins): its key generation is its own again."""
    _local.defer = False


def _install() -> None:
    from moto.kms import models as moto_models

    models: Any = moto_models  # typed loosely: the function is replaced, not only called
    with _install_lock:
        current = models.generate_private_key
        if getattr(current, "_kmsimport_deferring", False):
            return
        models.generate_private_key = _deferring(current)


def _deferring(generate: Callable[[str], Any]) -> Callable[[str], Any]:
    def generate_private_key(key_spec: str) -> Any:
        if getattr(_local, "defer", False):
            return DeferredPrivateKey(generate, key_spec)
        return generate(key_spec)

    generate_private_key._kmsimport_deferring = True  # type: ignore[attr-defined]
    generate_private_key.__wrapped__ = generate  # type: ignore[attr-defined]
    return generate_private_key


def _origin_in(body: bytes | str | None) -> object:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return None
    return document.get("Origin") if isinstance(document, dict) else None
