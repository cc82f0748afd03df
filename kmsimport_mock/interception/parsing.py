"""botocore's JSON response parser, set up so that parsing an answer costs little.

Every answer the mock gives is parsed by botocore's own ``JSONParser``, exactly as a
real response is. Two things make that parse cheaper without changing a single value of
what it returns:

* Timestamps. botocore's default timestamp parser turns epoch seconds into
  ``datetime.fromtimestamp(value, tzlocal())``: a new ``dateutil`` ``tzlocal`` each time
  and its pure-Python ``fromutc``, about a tenth of a mocked call. :func:`local_timestamp`
  gives the same ``datetime``, field for field and with an equal ``tzlocal``, directly
  where the local zone has no daylight saving time (as on most CI machines, which run in
  UTC), and asks botocore's own function everywhere else.
* The body. The parser's first step is ``json.loads`` of the body. The mock has the
  body's JSON value already (it wrote the body from it), so a :class:`DecodedBody` carries
  that value beside the bytes, and :class:`AnswerParser` walks botocore's shapes over it
  instead of decoding the bytes again.
* The dispatch. For every value it parses, botocore's ``_parse_shape`` looks its handler
  up by name (``getattr(self, f"_handle_{shape.type_name}", ...)``); :class:`AnswerParser`
  looks each type's handler up once and keeps it. The handlers are botocore's own.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from botocore.parsers import JSONParser
from botocore.utils import parse_timestamp
from dateutil.tz import tzlocal

_UTC = datetime.UTC
# The local zone's signature → a tzlocal for it, and its one offset if it has no daylight
# saving time (None if it has).
_zones: dict[tuple[int, int, int, tuple[str, ...]], tuple[tzlocal, datetime.timedelta | None]] = {}


def _local_zone() -> tuple[tzlocal, datetime.timedelta | None]:
    # tzlocal reads exactly these four values when it is made, so one made for the same
    # four is equal to a new one in every respect. They change only with time.tzset()
    # (time-machine's tz travel calls it), so they are read on every call.
    signature = (time.timezone, time.altzone, time.daylight, tuple(time.tzname))
    known = _zones.get(signature)
    if known is None:
        # As tzlocal.__init__ works out whether the zone has daylight saving time.
        standard = datetime.timedelta(seconds=-time.timezone)
        daylight = datetime.timedelta(seconds=-time.altzone) if time.daylight else standard
        known = _zones[signature] = (tzlocal(), standard if daylight == standard else None)
    return known


def local_timestamp(value: Any) -> datetime.datetime:
    """``botocore.utils.parse_timestamp(value)``, the same value, faster for epoch numbers.

    For a zone without daylight saving time, dateutil's ``tzlocal.fromutc`` adds the
    standard offset to the UTC time and sets ``fold=0``; that is what this does. Any other
    zone, input or failure goes to botocore's own function. ``datetime.datetime`` is looked
    up on every call, as botocore does, so freezegun's ``FakeDatetime`` comes out under
    freezegun.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        zone, offset = _local_zone()
        if offset is not None:
            try:
                utc = datetime.datetime.fromtimestamp(value, _UTC)
                return (utc + offset).replace(tzinfo=zone)
            except (OverflowError, OSError, ValueError):
                pass
    result: datetime.datetime = parse_timestamp(value)
    return result


class DecodedBody(bytes):
    """A JSON body's bytes, carrying the JSON value they encode (``json.loads(body)``)."""

    value: Any

    def __new__(cls, body: bytes, value: Any) -> DecodedBody:
        decoded = super().__new__(cls, body)
        decoded.value = value
        return decoded


class AnswerParser(JSONParser):  # type: ignore[misc]
    """botocore's JSON parser, with the fast timestamps and pre-decoded bodies above."""

    def __init__(self) -> None:
        super().__init__(timestamp_parser=local_timestamp)
        self._handlers: dict[str, Any] = {}

    def _parse_shape(self, shape: Any, node: Any) -> Any:
        # botocore's ResponseParser._parse_shape, with the handler found once per type.
        handler: Any = self._handlers.get(shape.type_name)
        if handler is None:
            handler = getattr(self, f"_handle_{shape.type_name}", self._default_handle)
            self._handlers[shape.type_name] = handler
        return handler(shape, node)

    def _parse_body_as_json(self, body_contents: bytes) -> Any:
        if isinstance(body_contents, DecodedBody):
            return body_contents.value
        return super()._parse_body_as_json(body_contents)
