"""kmsimport_mock: an offline, strict mock of AWS KMS key-material import for boto3."""

from __future__ import annotations

from .crypto.wrapping import wrap_key_material
from .errors import ChinaExtraNotInstalled, OperationNotMocked
from .mock import KeyMaterialView, KeyView, KmsImportMock, mock_kms_import
from .raw_http import serve_requests

__all__ = [
    "ChinaExtraNotInstalled",
    "KeyMaterialView",
    "KeyView",
    "KmsImportMock",
    "OperationNotMocked",
    "mock_kms_import",
    "serve_requests",
    "wrap_key_material",
]
__version__ = "0.1.0"
