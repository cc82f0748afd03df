"""``mock_kms_import``: how a test turns the mock on and looks inside it."""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from . import activation, interception, moto_bridge
from .accounts import AccessKeyAccounts
from .backend import operations
from .backend.faults import Fault, FaultRegistry
from .backend.types import DEFAULT_ON_DEMAND_ROTATION_LIMIT, DEFAULT_REPLICA_CREATION_DELAY
from .views import KeyMaterialView, KeyView

if TYPE_CHECKING:
    import unittest

    from .backend.model import Key
    from .backend.store import KmsBackend

interception.install()

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# An injected fault as a setting: an error code (the next attempt of any operation), or
# the keyword arguments of inject_fault: {"code": ..., "count": ..., "operation": ...}.
FaultSetting = str | Mapping[str, Any]

# The settings a mock takes as keyword arguments (mock_kms_import(...), KmsImportMock(...)
# and the kms_import pytest marker).
SETTINGS = ("on_demand_rotation_limit", "access_keys", "faults", "replica_creation_delay")


class KmsImportMock:
    """An AWS KMS import mock: a decorator, a context manager, or started and stopped.

    Every start begins with empty state. While active, every botocore/boto3 client's KMS
    calls are answered in-process; an operation the mock does not serve raises
    :class:`~kmsimport_mock.OperationNotMocked` and never reaches AWS.
    """

    def __init__(
        self,
        *,
        on_demand_rotation_limit: int | None = None,
        access_keys: Mapping[str, str] | None = None,
        faults: Iterable[FaultSetting] = (),
        replica_creation_delay: float | _dt.timedelta | None = None,
    ) -> None:
        self._backend: KmsBackend | None = None
        # Configuration of this mock object: kept across stop() and start().
        self._access_keys = AccessKeyAccounts()
        self._faults = FaultRegistry()
        self._replica_creation_delay = DEFAULT_REPLICA_CREATION_DELAY
        self._on_demand_rotation_limit = DEFAULT_ON_DEMAND_ROTATION_LIMIT
        self.configure(
            on_demand_rotation_limit=on_demand_rotation_limit,
            access_keys=access_keys,
            faults=faults,
            replica_creation_delay=replica_creation_delay,
        )

    def configure(
        self,
        *,
        on_demand_rotation_limit: int | None = None,
        access_keys: Mapping[str, str] | None = None,
        faults: Iterable[FaultSetting] = (),
        replica_creation_delay: float | _dt.timedelta | None = None,
    ) -> KmsImportMock:
        """Applies settings, as the keyword arguments of ``mock_kms_import(...)`` and the
        ``kms_import`` pytest marker give them; what is not given stays as it is.

        ``access_keys`` maps access key ids to accounts (as ``map_access_key``), ``faults``
        are injected in order (as ``inject_fault``; each an error code, or a mapping of
        ``code``, ``count`` and ``operation``), and the other two set the properties of the
        same names. Settings are checked when given: a wrong one raises at once.
        """
        if on_demand_rotation_limit is not None:
            self.on_demand_rotation_limit = on_demand_rotation_limit
        if replica_creation_delay is not None:
            self.replica_creation_delay = replica_creation_delay
        for access_key_id, account_id in (access_keys or {}).items():
            self.map_access_key(access_key_id, account_id)
        if isinstance(faults, str | Mapping):
            raise TypeError("faults is a list of faults, e.g. faults=['ThrottlingException']")
        for fault in faults:
            if isinstance(fault, str):
                self.inject_fault(fault)
            elif isinstance(fault, Mapping):
                self.inject_fault(**fault)
            else:
                raise TypeError(
                    f"a fault is an error code or a mapping of inject_fault's arguments, "
                    f"not {fault!r}"
                )
        return self

    # --- activation ---------------------------------------------------------------------

    def start(self) -> KmsImportMock:
        if self._backend is not None:
            raise RuntimeError("this mock_kms_import is already started; stop() it first")
        # The store is imported at the first start, not with the package: it pulls in
        # cryptography and the wrapping-key pool, which `import kmsimport_mock` (and so
        # every pytest start-up, through the plugin) should not pay for.
        from .backend.store import KmsBackend

        self._backend = KmsBackend()
        self._backend.replica_creation_delay = self._replica_creation_delay
        self._backend.on_demand_rotation_limit = self._on_demand_rotation_limit
        activation.activate(self)
        return self

    def stop(self) -> None:
        if self._backend is None:
            raise RuntimeError("this mock_kms_import is not started")
        activation.deactivate(self)
        self._backend = None

    @property
    def active(self) -> bool:
        return self._backend is not None

    @property
    def backend(self) -> KmsBackend:
        if self._backend is None:
            raise RuntimeError("mock_kms_import is not started")
        return self._backend

    def __enter__(self) -> KmsImportMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorates a function or class with this very mock: its configuration (faults,
        access keys, settings) holds in every test, each of which starts with empty state."""
        return _decorate(target, self)

    def serve_requests(self, requests_mock: Any = None) -> Any:
        """Answers KMS requests made with ``requests`` from this mock's state (opt-in).

        See :func:`kmsimport_mock.transport.requests_adapter.serve_requests`; ``requests_mock`` is a
        ``responses.RequestsMock`` (default: the default ``responses`` mock).
        """
        # requests and responses are optional: loaded only by those who use them.
        from .transport.requests_adapter import serve_requests

        return serve_requests(requests_mock, mock=self)

    # --- several accounts -----------------------------------------------------------------

    @property
    def access_keys(self) -> AccessKeyAccounts:
        return self._access_keys

    def map_access_key(self, access_key_id: str, account_id: str) -> None:
        """Requests signed with ``access_key_id`` act as account ``account_id``.

        ``MOTO_ACCOUNT_ID``, when set, still wins, as in moto. Requests with any other
        access key act as ``MOTO_ACCOUNT_ID`` or the default account ``123456789012``.
        """
        self._access_keys.map(access_key_id, account_id)

    def unmap_access_key(self, access_key_id: str) -> None:
        self._access_keys.unmap(access_key_id)

    # --- injected faults ------------------------------------------------------------------

    @property
    def faults(self) -> FaultRegistry:
        return self._faults

    def inject_fault(self, code: str, count: int = 1, operation: str | None = None) -> None:
        """The next ``count`` attempts (of ``operation``, or of any operation) fail with ``code``.

        ``code`` is ``ThrottlingException`` (HTTP 400), ``DependencyTimeoutException`` or
        ``KMSInternalException`` (HTTP 500). Retries by botocore count as attempts.
        """
        if operation is not None and operation not in operations.served():
            raise ValueError(
                f"kmsimport_mock does not serve {operation!r}; served: "
                f"{', '.join(sorted(operations.served()))}"
            )
        self._faults.inject(code, count, operation)

    def pending_faults(self) -> list[Fault]:
        """The injected faults not used up yet, in the order they will be used."""
        return self._faults.pending()

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def retry_sleep(self) -> Callable[[float], None]:
        """What the emulated botocore retry loop sleeps with (default ``time.sleep``)."""
        return self._faults.sleep

    @retry_sleep.setter
    def retry_sleep(self, sleep: Callable[[float], None]) -> None:
        self._faults.sleep = sleep

    # --- behaviour knobs ------------------------------------------------------------------

    @property
    def replica_creation_delay(self) -> _dt.timedelta:
        """How long a replica made by ReplicateKey stays ``Creating``, by the mock's clock.

        AWS takes a few seconds, and so does the mock: 3 seconds by default. Code that waits
        for ``Creating`` to end (polling DescribeKey, or retrying on
        ``KMSInvalidStateException``) works as against AWS; move the clock (freezegun,
        time-machine) past the delay to skip the wait, or set 0 for replicas that are
        ``PendingImport`` (or ``Enabled``) at once. ReplicateKey's answer says ``Creating``
        either way, as AWS's does. Seconds or a timedelta.
        """
        return self._replica_creation_delay

    @replica_creation_delay.setter
    def replica_creation_delay(self, value: float | _dt.timedelta) -> None:
        delay = value if isinstance(value, _dt.timedelta) else _dt.timedelta(seconds=value)
        if delay < _dt.timedelta(0):
            raise ValueError("replica_creation_delay cannot be negative")
        self._replica_creation_delay = delay
        if self._backend is not None:
            self._backend.replica_creation_delay = delay

    @property
    def on_demand_rotation_limit(self) -> int:
        """How many times RotateKeyOnDemand may rotate one key (default 25, as the API
        reference says; AWS's guides also say 10 and 50)."""
        return self._on_demand_rotation_limit

    @on_demand_rotation_limit.setter
    def on_demand_rotation_limit(self, value: int) -> None:
        if value < 0:
            raise ValueError("on_demand_rotation_limit cannot be negative")
        self._on_demand_rotation_limit = value
        if self._backend is not None:
            self._backend.on_demand_rotation_limit = value

    # --- keys with known material ---------------------------------------------------------

    def create_key_with_material(
        self,
        material: bytes,
        *,
        key_spec: str = "SYMMETRIC_DEFAULT",
        key_usage: str | None = None,
        region: str | None = None,
        account: str | None = None,
        key_id: str | None = None,
        valid_to: _dt.datetime | None = None,
        **create_key_params: Any,
    ) -> dict[str, Any]:
        """Creates an EXTERNAL key and imports ``material`` into it; returns its KeyMetadata.

        Runs the documented procedure (CreateKey, GetParametersForImport, wrapping,
        ImportKeyMaterial) through the mock, so every rule of those operations applies: bad
        material raises ``IncorrectKeyMaterialException`` as ImportKeyMaterial would.
        ``material`` is what AWS imports: 32 random bytes (16 in China Regions) for
        SYMMETRIC_DEFAULT, the raw HMAC key, or a DER PKCS#8 private key. ``key_usage``
        defaults to CreateKey's default (required for HMAC keys). ``region`` defaults to
        ``AWS_DEFAULT_REGION`` or ``us-east-1``, ``account`` to ``MOTO_ACCOUNT_ID`` or
        ``123456789012``. A fixed ``key_id`` (a UUID; ``mrk-`` and 32 hex digits with
        ``MultiRegion=True``) gives the key that id, so that ciphertexts made in one test
        run decrypt in the next. The material never expires unless ``valid_to`` is given.
        Other keyword arguments go to CreateKey (``Description``, ``Tags``,
        ``MultiRegion``, ...). The metadata is DescribeKey's, as botocore parses it.
        """
        from .known_material import create_key_with_material

        return create_key_with_material(
            self.backend,
            material,
            key_spec=key_spec,
            key_usage=key_usage,
            region=region,
            account=account,
            key_id=key_id,
            valid_to=valid_to,
            create_key_params=create_key_params,
        )

    # --- inspection -----------------------------------------------------------------------

    def key_material(
        self,
        key_id: str,
        key_material_id: str | None = None,
        *,
        region: str | None = None,
        account: str | None = None,
    ) -> bytes | None:
        """The plaintext key material KMS unwrapped for a key, or None if none is imported.

        Without ``key_material_id``, the current material. Asymmetric material is returned
        exactly as it was imported (PKCS#8).
        """
        with self.backend.lock:
            key = self._key(key_id, region, account)
            if key_material_id is not None:
                material = key.material_by_id(key_material_id)
            else:
                material = key.current_material
            return None if material is None else material.plaintext

    def key_state(
        self, key_id: str, *, region: str | None = None, account: str | None = None
    ) -> str:
        with self.backend.lock:
            return self._key(key_id, region, account).state

    def inspect_key(
        self, key_id: str, *, region: str | None = None, account: str | None = None
    ) -> KeyView:
        with self.backend.lock:
            key = self._key(key_id, region, account)
            return KeyView(
                key_id=key.key_id,
                arn=key.arn,
                account=key.account,
                region=key.region,
                key_spec=key.key_spec,
                key_usage=key.key_usage,
                origin=key.origin,
                key_state=key.state,
                materials=tuple(
                    KeyMaterialView(
                        key_material_id=m.material_id,
                        state=m.state,
                        imported=m.imported,
                        expiration_model=m.expiration_model,
                        valid_to=m.valid_to,
                        description=m.description,
                    )
                    for m in key.materials
                ),
                description=key.description,
                tags={tag["TagKey"]: tag["TagValue"] for tag in key.tags},
                aliases=tuple(alias.name for alias in self.backend.aliases_of(key)),
            )

    def key_ids(self) -> list[str]:
        """The ids of all keys in all accounts and Regions."""
        moto_bridge.forget_dropped_keys(self.backend)
        return [key.key_id for key in self.backend.all_keys()]

    def _key(self, key_id: str, region: str | None, account: str | None) -> Key:
        moto_bridge.forget_dropped_keys(self.backend)
        key = self.backend.find_key(key_id, account, region)
        if key is None:
            raise LookupError(f"the mock has no KMS key {key_id!r}")
        return key


def _decorate(target: T, mock: KmsImportMock) -> T:
    if isinstance(target, type):
        return _decorate_class(target, mock)  # type: ignore[return-value]
    if callable(target):
        return _decorate_function(target, mock)
    raise TypeError(f"mock_kms_import cannot decorate {target!r}")


def _decorate_function(func: F, mock: KmsImportMock) -> F:
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock:
                return await func(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with mock:
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _decorate_class(cls: type[T], mock: KmsImportMock) -> type[T]:
    # A class can only be a TestCase if unittest is imported already.
    test_case = getattr(sys.modules.get("unittest"), "TestCase", None)
    if test_case is not None and issubclass(cls, test_case):
        # The mock starts afresh for each test, before setUp, and stops after tearDown
        # (cleanups run after tearDown).
        test_class: type[unittest.TestCase] = cls  # type: ignore[assignment]
        original_setup = test_class.setUp

        @functools.wraps(original_setup)
        def setUp(self: unittest.TestCase) -> None:
            mock.start()
            self.addCleanup(mock.stop)
            original_setup(self)

        test_class.setUp = setUp  # type: ignore[method-assign]
        return cls
    for name, attribute in list(vars(cls).items()):
        if name.startswith("test") and callable(attribute):
            setattr(cls, name, _decorate_function(attribute, mock))
    return cls


@overload
def mock_kms_import(
    target: None = None,
    *,
    on_demand_rotation_limit: int | None = None,
    access_keys: Mapping[str, str] | None = None,
    faults: Iterable[FaultSetting] = (),
    replica_creation_delay: float | _dt.timedelta | None = None,
) -> KmsImportMock: ...
@overload
def mock_kms_import(target: F) -> F: ...
@overload
def mock_kms_import(target: type[T]) -> type[T]: ...


def mock_kms_import(
    target: Any = None,
    *,
    on_demand_rotation_limit: int | None = None,
    access_keys: Mapping[str, str] | None = None,
    faults: Iterable[FaultSetting] = (),
    replica_creation_delay: float | _dt.timedelta | None = None,
) -> Any:
    """Mock AWS KMS key import for boto3/botocore.

    Use it as ``@mock_kms_import`` or ``@mock_kms_import()`` on a function or test class,
    as ``with mock_kms_import() as kms_import:``, or as ``m = mock_kms_import(); m.start()``.

    The keyword arguments configure the mock, as moto's ``mock_aws(config=...)`` does (see
    ``KmsImportMock.configure``), for example
    ``@mock_kms_import(on_demand_rotation_limit=10, faults=["ThrottlingException"])``.
    """
    mock = KmsImportMock(
        on_demand_rotation_limit=on_demand_rotation_limit,
        access_keys=access_keys,
        faults=faults,
        replica_creation_delay=replica_creation_delay,
    )
    if target is None:
        return mock
    return mock(target)
