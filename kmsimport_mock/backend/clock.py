"""The one clock the mock reads.

Everything time-dependent (token lifetimes, ValidTo, deletion windows) goes through
:func:`utcnow`, which looks ``datetime`` up at call time so that ``freezegun`` and
``time-machine`` can move it.
"""

from __future__ import annotations

import datetime as _dt


def utcnow() -> _dt.datetime:
    """The current time as an aware UTC datetime."""
    return _dt.datetime.now(_dt.UTC)


def as_utc(value: _dt.datetime) -> _dt.datetime:
    """An aware UTC datetime; naive values are taken to be UTC, as botocore sends them."""
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.UTC)
    return value.astimezone(_dt.UTC)
