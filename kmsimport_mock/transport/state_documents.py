"""State documents: dataclasses (a :class:`~..backend.model.Key`) as JSON and back.

A document is the dataclass's constructor fields as a JSON object, with ``bytes`` as
``{"$bytes": base64}`` and aware datetimes as ``{"$datetime": ISO 8601}``. It is read back
against the dataclass's type hints, exactly: a value of the wrong type, a missing required
field or a field the class does not have (a newer version's) is refused with the path to
it, and a key's values are checked against what the mock serves. So fields added to
``Key`` are kept without any change here, and nothing is ever dropped unread.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from ..backend.arns import parse_key_arn
from ..backend.key_specs import KEY_SPECS
from ..backend.model import Key

# Encoders and decoders are built once per type (decoders from the dataclass's type hints)
# and cached: a restart reads every key, so this is the hot path of a start.


def encode(value: Any) -> Any:
    """A dataclass, list, dict or scalar as a JSON value; bytes and datetimes tagged."""
    encoder = _ENCODERS.get(type(value))
    if encoder is None:
        encoder = _encoder_for(type(value))
    return encoder(value)


def _identity(value: Any) -> Any:
    return value


def _encode_sequence(value: Any) -> Any:
    return [encode(item) for item in value]


def _encode_dict(value: dict[Any, Any]) -> Any:
    if not all(type(name) is str for name in value):
        raise TypeError("only dicts with str keys can be stored")
    return {name: encode(item) for name, item in value.items()}


def _encode_bytes(value: bytes) -> Any:
    return {"$bytes": base64.b64encode(value).decode("ascii")}


def _encode_datetime(value: _dt.datetime) -> Any:
    if value.tzinfo is None:
        raise ValueError("naive datetimes cannot be stored")
    return {"$datetime": value.isoformat()}


_ENCODERS: dict[type[Any], Callable[[Any], Any]] = {
    type(None): _identity,
    bool: _identity,
    int: _identity,
    float: _identity,
    str: _identity,
    list: _encode_sequence,
    tuple: _encode_sequence,
    dict: _encode_dict,
    bytes: _encode_bytes,
    _dt.datetime: _encode_datetime,
}


def _encoder_for(cls: type[Any]) -> Callable[[Any], Any]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"a {cls.__name__} cannot be stored")
    # The fields its constructor takes; the others the class makes itself.
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)

    def encode_dataclass(value: Any) -> Any:
        return {name: encode(getattr(value, name)) for name in names}

    _ENCODERS[cls] = encode_dataclass
    return encode_dataclass


class _Unreadable(ValueError):
    """A document that is not what its type says; the path is added on the way out."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem  # " is not ..." or ": ..."
        self.path: list[str] = []

    def at(self, root: str) -> str:
        return root + "".join(reversed(self.path)) + self.problem


def check_storable(cls: type[Any]) -> None:
    """Raises ``TypeError`` if a field of dataclass ``cls`` (or of one inside it) has a type
    the state dir cannot read back (a test calls it for :class:`Key`)."""
    _decoder(cls)


def decode_key(raw: Any) -> Key:
    """A key from its document; ``ValueError`` (saying where) if it is not exactly one."""
    try:
        key = _decoder(Key)(raw)
        _check_key(key)
    except _Unreadable as error:
        raise ValueError(error.at("key")) from None
    assert isinstance(key, Key)
    return key


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decoder(hint: Any) -> Callable[[Any], Any]:
    decoder = _DECODERS.get(hint)
    if decoder is None:
        decoder = _DECODERS[hint] = _make_decoder(hint)
    return decoder


def _make_decoder(hint: Any) -> Callable[[Any], Any]:
    if hint is Any:
        return decode_untyped
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [option for option in arguments if option is not type(None)]
        if len(options) != 1:
            raise TypeError(f"a union of {options} cannot be stored")
        return _optional(_decoder(options[0]), type(None) in arguments)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_decoder(hint)
    if origin is list or (origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis):
        return _sequence_decoder(_decoder(arguments[0]), list if origin is list else tuple)
    if origin is dict and arguments[0] is str:
        return _dict_decoder(_decoder(arguments[1]))
    if origin is typing.Literal:
        return _literal_decoder(frozenset(arguments))
    simple = _SIMPLE_DECODERS.get(hint)
    if simple is None:
        raise TypeError(f"a field of type {hint!r} cannot be stored")
    return simple


def _optional(inner: Callable[[Any], Any], nullable: bool) -> Callable[[Any], Any]:
    if not nullable:
        return inner

    def decode(raw: Any) -> Any:
        return None if raw is None else inner(raw)

    return decode


def _sequence_decoder(item: Callable[[Any], Any], kind: type[Any]) -> Callable[[Any], Any]:
    def decode(raw: Any) -> Any:
        if type(raw) is not list:
            raise _Unreadable(" is not a list")
        values = []
        for index, element in enumerate(raw):
            try:
                values.append(item(element))
            except _Unreadable as error:
                error.path.append(f"[{index}]")
                raise
        return values if kind is list else tuple(values)

    return decode


def _dict_decoder(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(raw: Any) -> Any:
        if type(raw) is not dict:
            raise _Unreadable(" is not an object")
        values = {}
        for name, element in raw.items():
            try:
                values[name] = item(element)
            except _Unreadable as error:
                error.path.append(f".{name}")
                raise
        return values

    return decode


def _literal_decoder(allowed: frozenset[Any]) -> Callable[[Any], Any]:
    def decode(raw: Any) -> Any:
        if raw not in allowed:
            raise _Unreadable(f": unknown value {raw!r}")
        return raw

    return decode


def _dataclass_decoder(cls: type[Any]) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    fields = [
        (
            f.name,
            _decoder(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.init
    ]
    names = frozenset(name for name, _, _ in fields)

    def decode(raw: Any) -> Any:
        if type(raw) is not dict:
            raise _Unreadable(" is not an object")
        if not raw.keys() <= names:
            # A newer version's field: refused, so that no later save can drop it.
            unknown = sorted(raw.keys() - names)[0]
            raise _Unreadable(f": unknown field {unknown!r} (written by a newer kmsimport_mock?)")
        values = {}
        for name, decoder, required in fields:
            if name in raw:
                try:
                    values[name] = decoder(raw[name])
                except _Unreadable as error:
                    error.path.append(f".{name}")
                    raise
            elif required:
                raise _Unreadable(f": field {name!r} is missing")
        return cls(**values)

    return decode


def _decode_str(raw: Any) -> Any:
    if type(raw) is not str:
        raise _Unreadable(" is not a string")
    return raw


def _decode_int(raw: Any) -> Any:
    if type(raw) is not int:
        raise _Unreadable(" is not an integer")
    return raw


def _decode_float(raw: Any) -> Any:
    if type(raw) is not int and type(raw) is not float:
        raise _Unreadable(" is not a number")
    return float(raw)


def _decode_bool(raw: Any) -> Any:
    if type(raw) is not bool:
        raise _Unreadable(" is not true or false")
    return raw


def _decode_bytes(raw: Any) -> Any:
    if type(raw) is not dict or raw.keys() != {"$bytes"} or type(raw["$bytes"]) is not str:
        raise _Unreadable(" is not bytes")
    try:
        return base64.b64decode(raw["$bytes"], validate=True)
    except binascii.Error:
        raise _Unreadable(" is not base64") from None


def _decode_datetime(raw: Any) -> Any:
    if type(raw) is not dict or raw.keys() != {"$datetime"} or type(raw["$datetime"]) is not str:
        raise _Unreadable(" is not a datetime")
    try:
        moment = _dt.datetime.fromisoformat(raw["$datetime"])
    except ValueError:
        raise _Unreadable(" is not an ISO 8601 datetime") from None
    if moment.tzinfo is None:
        raise _Unreadable(" has no time zone")
    return moment


_SIMPLE_DECODERS: dict[Any, Callable[[Any], Any]] = {
    str: _decode_str,
    int: _decode_int,
    float: _decode_float,
    bool: _decode_bool,
    bytes: _decode_bytes,
    _dt.datetime: _decode_datetime,
}


def decode_untyped(raw: Any) -> Any:
    if isinstance(raw, dict):
        if raw.keys() == {"$bytes"}:
            return base64.b64decode(raw["$bytes"], validate=True)
        if raw.keys() == {"$datetime"}:
            return _dt.datetime.fromisoformat(raw["$datetime"])
        return {name: decode_untyped(item) for name, item in raw.items()}
    if isinstance(raw, list):
        return [decode_untyped(item) for item in raw]
    return raw


@cache
def _enum(shape: str) -> frozenset[str]:
    from .. import protocol

    return frozenset(protocol.kms_service_model().shape_for(shape).enum)


def _check_key(key: Key) -> None:
    """Values this version serves; anything else would load and then answer 500."""
    if key.key_spec not in KEY_SPECS:
        raise _Unreadable(f": unknown KeySpec {key.key_spec!r}")
    if key.key_usage not in KEY_SPECS[key.key_spec].usages:
        raise _Unreadable(f": KeyUsage {key.key_usage!r} is not a usage of {key.key_spec}")
    if key.state not in _enum("KeyState"):
        raise _Unreadable(f": unknown key state {key.state!r}")
    if key.origin not in _enum("OriginType"):
        raise _Unreadable(f": unknown Origin {key.origin!r}")
    arn = parse_key_arn(key.arn)
    if arn is None or arn[1:] != (key.region, key.account, key.key_id):
        raise _Unreadable(f": ARN {key.arn!r} does not name this key")
    for material in key.materials:
        if material.state not in _enum("KeyMaterialState"):
            raise _Unreadable(f": unknown key material state {material.state!r}")
        if material.expiration_model not in (None, *_enum("ExpirationModelType")):
            raise _Unreadable(f": unknown ExpirationModel {material.expiration_model!r}")
        if material.rotation_type not in (None, *_enum("RotationType")):
            raise _Unreadable(f": unknown RotationType {material.rotation_type!r}")
