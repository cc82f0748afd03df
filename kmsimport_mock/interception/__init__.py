"""botocore events in, botocore responses out.

:mod:`.handlers` answers ``before-call.kms`` from the active mock and fixes up moto's
answers at ``after-call.kms``; :mod:`.credentials` finds the account of a request;
:mod:`.retries` replays botocore's retry loop over injected faults; :mod:`.parsing` keeps
botocore's own parse of every answer cheap.
"""

from __future__ import annotations

import botocore.handlers

from .handlers import AFTER_EVENT, EVENT, on_after_call, on_before_call


def install() -> None:
    """Adds the handlers to botocore's built-in handlers, so every session made from now on
    carries them (idempotent)."""
    for entry in ((EVENT, on_before_call), (AFTER_EVENT, on_after_call)):
        if entry not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append(entry)


__all__ = ["install"]
