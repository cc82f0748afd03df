"""The KMS operations the backend serves; importing this package registers them."""

from . import importing, key_lifecycle

__all__ = ["importing", "key_lifecycle"]
