"""Helpers for the hostile-input tests: clients, state snapshots, outcome checks, a world
of keys and tokens to aim at, and strategies that turn botocore's model into fuzz input.

Every strategy here is generic over the operations in the backend's registry: parameters
come from botocore's input shape of each operation, and members that name keys, tokens,
wrapped material, timestamps or enums get targeted strategies on top.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import OperationModel, Shape
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import strategies as st
from kms_testing import (
    REGION,
    create_external_key,
    der_pkcs8,
    material_for,
    rsa_private_key,
    three_prime_rsa_2048_pkcs8,
)

from kmsimport_mock import KmsImportMock, KmsImportMockError, OperationNotMocked
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.backend.types import DEFAULT_ACCOUNT_ID
from kmsimport_mock.crypto.material import HMAC_MATERIAL_LENGTHS
from kmsimport_mock.crypto.wrapping import wrap_key_material
from kmsimport_mock.protocol import kms_service_model

OTHER_REGION = "us-east-1"
CHINA_REGION = "cn-north-1"
OTHER_ACCOUNT = "111122223333"
REGIONS = (REGION, OTHER_REGION, CHINA_REGION)
# Error codes any AWS operation may send without its model listing them: the JSON
# protocol's, and AWS's common errors the mock answers (AccessDeniedException for a key of
# another account, ThrottlingException when injected, NotAuthorizedException for an alias
# name under the reserved alias/aws/).
COMMON_ERRORS = frozenset(
    {
        "ValidationException",
        "SerializationException",
        "AccessDeniedException",
        "ThrottlingException",
        "NotAuthorizedException",
    }
)
CALL_TIME_LIMIT_SECONDS = 20

# --- clients ------------------------------------------------------------------------------


@functools.cache
def client(region: str = REGION, *, validate: bool = True) -> Any:
    """A real KMS client, one per (Region, validation) for the whole run.

    Each has its own boto3 Session: boto3's default session is not safe to create clients
    from in several threads, and a session per client keeps the tests independent of it.
    ``validate=False`` turns off botocore's client-side parameter validation so that
    out-of-range values reach the mock, as they would from another SDK.
    """
    config = Config(parameter_validation=validate, retries={"max_attempts": 1})
    return boto3.session.Session().client("kms", region_name=region, config=config)


def operation_model(name: str) -> OperationModel:
    return kms_service_model().operation_model(name)


# --- state snapshots ----------------------------------------------------------------------


def backend_snapshot(backend: KmsBackend) -> dict[str, Any]:
    """A deep copy of everything the backend keeps: keys of all accounts and Regions (with
    their materials) and its other attributes. Its lock, the process-wide wrapping key pool
    and the token secret (fixed for the mock's life) are not state a call can change.

    A Region the backend has only looked into holds an empty dict; it carries no state, so
    empty Regions are left out.
    """
    with backend.lock:
        rest = {
            name: copy.deepcopy(value)
            for name, value in vars(backend).items()
            if name not in ("lock", "pool", "tokens", "_keys", "_aliases")
        }
        aliases = {
            place: {name: dataclasses.asdict(alias) for name, alias in named.items()}
            for place, named in backend._aliases.items()
            if named
        }
        keys = {
            place: {key_id: dataclasses.asdict(key) for key_id, key in keys.items()}
            for place, keys in backend._keys.items()
            if keys
        }
    return {"keys": keys, "aliases": aliases, **rest}


# --- outcomes -----------------------------------------------------------------------------


class CallTookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int = CALL_TIME_LIMIT_SECONDS) -> Iterator[None]:
    """Turns a hang into a test failure (main thread only, which is where tests run)."""

    def expire(signum: int, frame: Any) -> None:
        raise CallTookTooLong(f"call did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    response: dict[str, Any] | None = None
    error_code: str | None = None
    message: str | None = None
    client_side: bool = False

    @property
    def failed(self) -> bool:
        return self.response is None


def call(kms: Any, operation: str, params: dict[str, Any]) -> Outcome:
    """Calls one operation and checks that it ends as AWS allows.

    Success, botocore's own ParamValidationError, or a ClientError whose code is one the
    operation models or one of COMMON_ERRORS, sent with HTTP 400 (no fault is injected
    here, so no 5xx is due). Anything else — an exception from inside the mock, a 5xx, an
    unmodeled code — propagates or fails here.
    """
    method = getattr(kms, xform_name(operation))
    try:
        with time_limit():
            response = method(**params)
    except ParamValidationError as error:
        return Outcome(error_code="ParamValidationError", message=str(error), client_side=True)
    except NotImplementedError as error:
        # The mock's own fail-closed errors (a KeySpec newer than the mock, SM2 without the
        # china extra) are the answer for what it cannot model; anything else is a bug.
        assert isinstance(error, KmsImportMockError), repr(error)
        assert not isinstance(error, OperationNotMocked), f"{operation} is served"
        return Outcome(error_code=type(error).__name__, message=str(error))
    except ClientError as error:
        code = error.response["Error"]["Code"]
        modeled = {shape.name for shape in operation_model(operation).error_shapes}
        assert code in modeled | COMMON_ERRORS, f"{operation}: unmodeled error code {code!r}"
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == 400, f"{operation}: {code} sent with HTTP {status}"
        if code in modeled:
            assert type(error) is getattr(kms.exceptions, code), f"{code} is not modeled"
        return Outcome(error_code=code, message=error.response["Error"].get("Message", ""))
    assert isinstance(response, dict)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    return Outcome(response=response)


@contextlib.contextmanager
def account(account_id: str) -> Iterator[None]:
    """Makes calls act in another account, the way moto users choose one."""
    saved = os.environ.get("MOTO_ACCOUNT_ID")
    os.environ["MOTO_ACCOUNT_ID"] = account_id
    try:
        yield
    finally:
        if saved is None:
            del os.environ["MOTO_ACCOUNT_ID"]
        else:
            os.environ["MOTO_ACCOUNT_ID"] = saved


# --- key material of every wrong shape -----------------------------------------------------


@functools.cache
def explicit_curve_p256() -> bytes:
    """A P-256 key in PKCS#8 with explicit curve parameters (made by openssl)."""
    pem = subprocess.run(
        ["openssl", "ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey"],
        check=True,
        capture_output=True,
    ).stdout
    return subprocess.run(
        ["openssl", "pkcs8", "-topk8", "-nocrypt", "-outform", "der"],
        input=pem,
        check=True,
        capture_output=True,
    ).stdout


def _encoded(key: Any, encoding: Any, private_format: Any) -> bytes:
    data: bytes = key.private_bytes(encoding, private_format, serialization.NoEncryption())
    return data


@functools.cache
def wrong_materials(key_spec: str) -> dict[str, bytes]:
    """Material a key of ``key_spec`` must refuse, by the name of what is wrong with it."""
    good = material_for(key_spec)
    wrong: dict[str, bytes] = {"empty": b"", "one byte": b"\x00", "random 100": os.urandom(100)}
    if key_spec == "SYMMETRIC_DEFAULT" or key_spec.startswith("HMAC_"):
        for length in (1, 15, 16, 24, 27, 31, 33, 47, 63, 64, 65, 129, 200):
            wrong[f"{length} bytes"] = os.urandom(length)
        wrong["base64 text"] = base64.b64encode(good)
        wrong["hex text"] = good.hex().encode()
        # Only lengths outside what the spec takes are wrong: HMAC keys take a range.
        low, high = HMAC_MATERIAL_LENGTHS.get(key_spec, (len(good), len(good)))
        return {name: value for name, value in wrong.items() if not low <= len(value) <= high}
    key = serialization.load_der_private_key(good, password=None)
    der, pem = serialization.Encoding.DER, serialization.Encoding.PEM
    pkcs8, traditional = (
        serialization.PrivateFormat.PKCS8,
        serialization.PrivateFormat.TraditionalOpenSSL,
    )
    wrong["PEM instead of DER"] = _encoded(key, pem, pkcs8)
    wrong["PKCS#1/SEC1 instead of PKCS#8"] = _encoded(key, der, traditional)
    wrong["truncated"] = good[:-1]
    wrong["trailing byte"] = good + b"\x00"
    wrong["bit flipped in the middle"] = _flip(good, len(good) // 2)
    wrong["public key"] = key.public_key().public_bytes(
        der, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    wrong["encrypted PKCS#8"] = key.private_bytes(
        der, pkcs8, serialization.BestAvailableEncryption(b"password")
    )
    if key_spec.startswith("RSA_"):
        bits = int(key_spec[4:])
        other = 3072 if bits != 3072 else 2048
        wrong["wrong modulus"] = der_pkcs8(rsa_private_key(other))
        wrong["EC key"] = der_pkcs8(ec.generate_private_key(ec.SECP256R1()))
        if bits == 2048:
            wrong["multi-prime RSA"] = three_prime_rsa_2048_pkcs8()
    else:
        curve: ec.EllipticCurve = ec.SECP384R1() if key_spec != "ECC_NIST_P384" else ec.SECP256R1()
        wrong["wrong curve"] = der_pkcs8(ec.generate_private_key(curve))
        wrong["RSA key"] = der_pkcs8(rsa_private_key(2048))
        if key_spec == "ECC_NIST_P256":
            wrong["explicit curve parameters"] = explicit_curve_p256()
    return wrong


def _flip(data: bytes, index: int, bit: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1 :]


# --- byte mutations -----------------------------------------------------------------------


MUTATIONS = ("truncate", "extend", "flip", "empty", "double", "random")


def mutate(base: bytes, kind: str, position: int, bit: int, extra: bytes) -> bytes:
    """``base`` truncated, extended, bit-flipped, emptied, doubled or replaced.

    ``position`` is reduced modulo the length, so that what hypothesis draws does not
    depend on the value being mutated (world values differ from one example to the next).
    """
    if kind == "truncate" and base:
        return base[: position % len(base)]
    if kind == "extend":
        return base + extra
    if kind == "flip" and base:
        return _flip(base, position % len(base), bit)
    if kind == "double":
        return base + base
    if kind == "random":
        return noise(len(base), position)
    return b""


def noise(size: int, seed: int = 0) -> bytes:
    """Reproducible random-looking bytes (hypothesis must be able to replay an example)."""
    return hashlib.shake_256(f"{seed}:{size}".encode()).digest(size) if size else b""


def mutations() -> st.SearchStrategy[tuple[str, int, int, bytes]]:
    return st.tuples(
        st.sampled_from(MUTATIONS),
        st.integers(0, 2**16),
        st.integers(0, 7),
        st.binary(min_size=1, max_size=64),
    )


def bytes_from(pool: list[bytes], max_size: int = 7000) -> st.SearchStrategy[bytes]:
    """Known values as they are, mutated, or random bytes of any size up to ``max_size``."""
    known = st.sampled_from(pool)
    return st.one_of(
        known,
        st.tuples(known, mutations()).map(lambda drawn: mutate(drawn[0], *drawn[1])),
        st.binary(max_size=64),
        st.tuples(st.integers(0, max_size), st.integers(0, 2**16)).map(lambda drawn: noise(*drawn)),
    )


# --- the world the fuzzer aims at ----------------------------------------------------------


@dataclass
class World:
    """Keys in every interesting state, and tokens and wrapped material that point at them."""

    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> KeyMetadata
    tokens: list[bytes] = field(default_factory=list)
    wrapped: list[bytes] = field(default_factory=list)
    material_ids: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # alias name -> key name

    def names_of_keys_in(self, region: str, account: str = DEFAULT_ACCOUNT_ID) -> set[str]:
        """The exact ids, ARNs, alias names and alias ARNs that may name a world key for a
        caller in ``region``."""
        names = {
            name
            for meta in self.keys.values()
            if meta["Arn"].split(":")[3:5] == [region, account]
            for name in (meta["KeyId"], meta["Arn"])
        }
        for alias_name, key_name in self.aliases.items():
            arn = self.keys[key_name]["Arn"]
            if arn.split(":")[3:5] == [region, account]:
                names |= {alias_name, arn.split(":key/")[0] + ":" + alias_name}
        return names

    def alias_refs(self) -> list[str]:
        refs: list[str] = []
        for alias_name, key_name in self.aliases.items():
            alias_arn = self.keys[key_name]["Arn"].split(":key/")[0] + ":" + alias_name
            refs += [alias_name, alias_arn, alias_name.upper(), f"{alias_name}\n", alias_arn + " "]
        return refs

    def key_refs(self) -> list[str]:
        refs: list[str] = []
        for meta in self.keys.values():
            key_id, arn = meta["KeyId"], meta["Arn"]
            refs += [key_id, arn, key_id.upper(), arn.upper(), f" {key_id}", f"{key_id}\n"]
            refs += [f"{arn}\n", f"{arn} ", arn.replace("arn:", "ARN:")]
            refs += [arn.replace(":key/", ":alias/"), arn.replace(meta["AWSAccountId"], "0" * 12)]
            refs += [arn.replace("arn:aws:", "arn:aws-cn:"), arn + "/", key_id[:-1]]
            for region in REGIONS:
                refs.append(arn.replace(f":{REGION}:", f":{region}:"))
        refs += [
            *self.alias_refs(),
            "alias/aws/kms",
            "alias/does-not-exist",
            f"arn:aws:kms:{REGION}:{DEFAULT_ACCOUNT_ID}:key/",
            f"arn:aws:kms:{REGION}:12345678901:key/{'0' * 8}-0000-0000-0000-{'0' * 12}",
            "arn:aws:s3:::bucket",
            "arn:",
            "mrk-" + "0" * 32,
            "mrk-" + "g" * 32,
            "00000000-0000-0000-0000-000000000000",
            "k" * 2048,
            "k" * 2049,
            "",
        ]
        return refs


TOKEN_ALGORITHMS = ("RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1")
# Each token's public key also wraps with the other hash and the other family.
WRAP_ALGORITHMS = (*TOKEN_ALGORITHMS, "RSA_AES_KEY_WRAP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1")


def build_world(mock: KmsImportMock) -> World:
    """Creates keys in every state the import operations care about, through real clients."""
    kms = client()
    world = World()
    never = {"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}

    def external(name: str, key_spec: str = "SYMMETRIC_DEFAULT", **kwargs: Any) -> Any:
        world.keys[name] = create_external_key(kms, key_spec, **kwargs)
        return world.keys[name]["KeyId"]

    def imported(name: str, key_spec: str, algorithm: str, **kwargs: Any) -> str:
        key_id = external(name, key_spec)
        params = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
        )
        blob = wrap_key_material(params["PublicKey"], material_for(key_spec), algorithm)
        response = kms.import_key_material(
            KeyId=key_id,
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=blob,
            **(kwargs or never),
        )
        world.tokens.append(params["ImportToken"])
        world.wrapped.append(blob)
        world.material_ids.append(response["KeyMaterialId"])
        return key_id

    pending = external("symmetric pending import")
    imported("symmetric imported", "SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256")
    imported(
        "symmetric expiring",
        "SYMMETRIC_DEFAULT",
        "RSAES_OAEP_SHA_1",
        ValidTo=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
    )
    imported("hmac imported", "HMAC_256", "RSAES_OAEP_SHA_256")
    imported("ec imported", "ECC_NIST_P256", "RSA_AES_KEY_WRAP_SHA_256")
    external("rsa pending import", "RSA_2048")
    disabled = imported("symmetric disabled", "SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256")
    kms.disable_key(KeyId=disabled)
    deleting = imported("symmetric pending deletion", "SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_256")
    kms.schedule_key_deletion(KeyId=deleting, PendingWindowInDays=7)
    external("multi-Region pending import", MultiRegion=True)
    world.keys["aws_kms"] = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/world", TargetKeyId=world.keys["symmetric imported"]["KeyId"])
    world.aliases["alias/world"] = "symmetric imported"

    for algorithm in TOKEN_ALGORITHMS:
        params = kms.get_parameters_for_import(
            KeyId=pending, WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_2048"
        )
        world.tokens.append(params["ImportToken"])
        for wrap_algorithm in WRAP_ALGORITHMS:
            for material in (material_for("SYMMETRIC_DEFAULT"), os.urandom(16)):
                world.wrapped.append(
                    wrap_key_material(params["PublicKey"], material, wrap_algorithm)
                )

    other_region = client(OTHER_REGION)
    world.keys["other Region"] = create_external_key(other_region)
    world.tokens.append(_token(other_region, world.keys["other Region"]["KeyId"]))
    with account(OTHER_ACCOUNT):
        world.keys["other account"] = create_external_key(kms)
        world.tokens.append(_token(kms, world.keys["other account"]["KeyId"]))
    world.tokens += earlier_mock_tokens()
    world.wrapped.append(b"\x00" * 256)
    return world


@dataclass
class Arena:
    """One started mock with a world built once, reset to that world before each example.

    Building the world takes a few dozen calls; copying its keys back takes far less, and the
    mock (with the secret its tokens are sealed under) stays the same, so the world's tokens
    keep working.
    """

    mock: KmsImportMock
    world: World
    pristine: dict[tuple[str, str], dict[str, Any]]
    pristine_aliases: dict[tuple[str, str], dict[str, Any]]

    def reset(self) -> None:
        backend = self.mock.backend
        with backend.lock:
            backend._keys = copy.deepcopy(self.pristine)
            backend._aliases = copy.deepcopy(self.pristine_aliases)


@contextlib.contextmanager
def arena() -> Iterator[Arena]:
    with KmsImportMock() as mock:
        world = build_world(mock)
        backend = mock.backend
        yield Arena(mock, world, copy.deepcopy(backend._keys), copy.deepcopy(backend._aliases))


def _token(kms: Any, key_id: str) -> bytes:
    token: bytes = kms.get_parameters_for_import(
        KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )["ImportToken"]
    return token


@functools.cache
def _earlier_mock() -> tuple[tuple[str, bytes], ...]:
    with KmsImportMock():
        kms = client()
        key_id = create_external_key(kms)["KeyId"]
        return ((key_id, _token(kms, key_id)),)


def earlier_mock_tokens() -> list[bytes]:
    """Tokens issued by a mock that has since stopped."""
    return [token for _, token in _earlier_mock()]


# --- parameters from botocore's shapes -----------------------------------------------------

FAR_PAST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)


def timestamps() -> st.SearchStrategy[dt.datetime]:
    """Far past, far future, and the edges of what ImportKeyMaterial's ValidTo allows."""
    now = dt.datetime.now(dt.UTC)
    edges = [now + dt.timedelta(days=days, seconds=s) for days in (0, 365) for s in (-1, 60)]
    return st.one_of(
        st.sampled_from([FAR_PAST, FAR_FUTURE, dt.datetime(1970, 1, 1, tzinfo=dt.UTC), *edges]),
        st.datetimes(
            min_value=FAR_PAST.replace(tzinfo=None),
            max_value=FAR_FUTURE.replace(tzinfo=None),
            timezones=st.just(dt.UTC),
        ),
        st.timedeltas(min_value=dt.timedelta(days=-2), max_value=dt.timedelta(days=400)).map(
            lambda delta: dt.datetime.now(dt.UTC) + delta
        ),
    )


def _text(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    low, high = meta.get("min", 0), meta.get("max", 256)
    edges = {max(low - 1, 0), low, min(high, 2100), min(high + 1, 2101)}
    enum = list(getattr(shape, "enum", []) or [])
    options: list[st.SearchStrategy[str]] = [
        st.text(max_size=min(high + 1, 80)),
        st.sampled_from(sorted(edges)).map(lambda n: "a" * n),
    ]
    if enum:
        # Mostly valid values, so that calls get past validation to the key rules.
        valid = st.sampled_from(enum)
        options = [
            valid,
            valid,
            valid,
            valid,
            valid.map(str.lower),
            valid.map(lambda value: value + " "),
            *options,
        ]
    return st.one_of(*options)


def _integers(shape: Shape) -> st.SearchStrategy[int]:
    meta = shape.metadata
    bound = 2**31 - 1 if shape.type_name == "integer" else 2**63 - 1
    edges = [v for v in (meta.get("min"), meta.get("max")) if v is not None]
    edges += [v + d for v in list(edges) for d in (-1, 1)] + [0, -1, -bound - 1, bound]
    return st.one_of(st.sampled_from(edges), st.integers(-bound - 1, bound))


Overrides = dict[str, st.SearchStrategy[Any]]


def from_shape(shape: Shape, overrides: Overrides, depth: int = 0) -> st.SearchStrategy[Any]:
    """A strategy for values of a botocore shape, using ``overrides`` for named members."""
    kind = shape.type_name
    if kind == "structure":
        required: Overrides = {}
        optional: Overrides = {}
        for name, member in shape.members.items():
            if name in overrides:
                strategy = overrides[name]
            else:
                strategy = from_shape(member, overrides, depth + 1)
            (required if name in shape.required_members else optional)[name] = strategy
        values = st.fixed_dictionaries(required, optional=optional)
        if not required:
            return values
        # Now and then a required member is left out.
        return st.tuples(values, st.integers(0, 9), st.sampled_from(sorted(required))).map(
            lambda drawn: (
                drawn[0] if drawn[1] else {k: v for k, v in drawn[0].items() if k != drawn[2]}
            )
        )
    if kind == "list":
        if depth > 3:
            return st.just([])
        return st.lists(from_shape(shape.member, overrides, depth + 1), max_size=3)
    if kind == "map":
        return st.dictionaries(
            st.text(max_size=10), from_shape(shape.value, overrides, depth + 1), max_size=3
        )
    if kind == "string":
        return _text(shape)
    if kind == "blob":
        return st.binary(max_size=shape.metadata.get("max", 64) + 1)
    if kind in ("integer", "long"):
        return _integers(shape)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return timestamps()
    if kind in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False)
    raise AssertionError(f"no strategy for shape type {kind}")


def overrides_for(world: World, key_spec_hint: str | None = None) -> Overrides:
    key_refs = st.one_of(st.sampled_from(world.key_refs()), st.text(max_size=80))
    material_ids = st.one_of(
        st.sampled_from(world.material_ids),
        st.sampled_from(world.material_ids).map(str.upper),
        st.text(alphabet="0123456789abcdef", min_size=63, max_size=65),
    )
    return {
        "KeyId": key_refs,
        "TargetKeyId": key_refs,
        "PrimaryKeyId": key_refs,
        "AliasName": st.one_of(
            st.sampled_from([*world.aliases, "alias/new", "alias/aws/ebs", "alias/", "new"]),
            st.text(max_size=40),
        ),
        "ImportToken": bytes_from(world.tokens),
        "EncryptedKeyMaterial": bytes_from(world.wrapped),
        "KeyMaterialId": material_ids,
        "Marker": st.one_of(
            st.sampled_from([meta["KeyId"] for meta in world.keys.values()]),
            st.text(max_size=40),
        ),
        "ValidTo": timestamps(),
    }


def params_for(operation: str, world: World) -> st.SearchStrategy[dict[str, Any]]:
    shape = operation_model(operation).input_shape
    if shape is None:
        return st.just({})
    strategy: st.SearchStrategy[dict[str, Any]] = from_shape(shape, overrides_for(world))
    return strategy


def run_checked(mock: KmsImportMock, kms: Any, operation: str, params: dict[str, Any]) -> Outcome:
    """One call, checked: it ends as AWS allows, and if it fails, no state has changed."""
    before = backend_snapshot(mock.backend)
    outcome = call(kms, operation, params)
    if outcome.failed:
        assert backend_snapshot(mock.backend) == before, (
            f"{operation} failed with {outcome.error_code} but changed the backend state"
        )
    return outcome
