"""kmsimport_mock: an offline, strict mock of AWS KMS key-material import for boto3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ChinaExtraNotInstalled,
    CredentialsNotResolved,
    Ed25519phExtraNotInstalled,
    KeySpecNotMocked,
    KmsImportMockError,
    MlDsaNotAvailable,
    OperationNotMocked,
    ParameterNotMocked,
)
from .mock import KmsImportMock, mock_kms_import
from .views import KeyMaterialView, KeyView

if TYPE_CHECKING:
    from .crypto.wrapping import wrap_key_material
    from .transport.requests_adapter import serve_requests

__all__ = [
    "ChinaExtraNotInstalled",
    "CredentialsNotResolved",
    "Ed25519phExtraNotInstalled",
    "KeyMaterialView",
    "KeySpecNotMocked",
    "KeyView",
    "KmsImportMock",
    "KmsImportMockError",
    "MlDsaNotAvailable",
    "OperationNotMocked",
    "ParameterNotMocked",
    "mock_kms_import",
    "serve_requests",
    "wrap_key_material",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Loaded on first use: both pull in cryptography (serve_requests the whole backend), which
    # `import kmsimport_mock` — and so every pytest start-up, through the plugin — should not
    # pay for.
    if name == "wrap_key_material":
        from .crypto.wrapping import wrap_key_material

        return wrap_key_material
    if name == "serve_requests":
        from .transport.requests_adapter import serve_requests

        return serve_requests
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
