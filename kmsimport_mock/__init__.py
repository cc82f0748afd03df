"""kmsimport_mock: an offline, strict mock of AWS KMS key-material import for boto3."""

from __future__ import annotations

from .errors import ChinaExtraNotInstalled, OperationNotMocked
from .mock import KeyMaterialView, KeyView, KmsImportMock, mock_kms_import

__all__ = [
    "ChinaExtraNotInstalled",
    "KeyMaterialView",
    "KeyView",
    "KmsImportMock",
    "OperationNotMocked",
    "mock_kms_import",
]
__version__ = "0.1.0"
