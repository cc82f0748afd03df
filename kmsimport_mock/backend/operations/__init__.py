"""The KMS operations the backend serves; importing this package registers them."""

from . import importing, key_lifecycle, multi_region, rotation

__all__ = ["importing", "key_lifecycle", "multi_region", "rotation"]
