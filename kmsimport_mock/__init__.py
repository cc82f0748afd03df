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
    from .transport.server import serving

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
    "serving",
    "wrap_key_material",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Loaded on first use: all pull in cryptography (serve_requests and serving the whole
    # backend, serving waitress too), which `import kmsimport_mock` — and so every pytest
    # start-up, through the plugin — should not pay for.
    if name == "wrap_key_material":
        from .crypto.wrapping import wrap_key_material

        return wrap_key_material
    if name == "serve_requests":
        from .transport.requests_adapter import serve_requests

        return serve_requests
    if name == "serving":
        from .transport.server import serving

        return serving
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
