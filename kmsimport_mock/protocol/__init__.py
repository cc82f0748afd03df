"""The AWS JSON 1.1 protocol of KMS, driven by botocore's model (see :mod:`.json11`)."""

from .json11 import (
    CONTENT_TYPE,
    TARGET_PREFIX,
    JsonResponse,
    call,
    decode_request,
    error_response,
    handle,
    kms_service_model,
    success_response,
)

__all__ = [
    "CONTENT_TYPE",
    "TARGET_PREFIX",
    "JsonResponse",
    "call",
    "decode_request",
    "error_response",
    "handle",
    "kms_service_model",
    "success_response",
]
