"""Errors raised by the mock.

:class:`KmsError` is an error that AWS KMS itself would return: the protocol layer turns
it into a JSON 1.1 error body, and botocore turns that into the modeled exception.
:class:`OperationNotMocked` is the mock's own fail-closed error: it is raised straight to
the caller because answering anything else would let a test silently misbehave.
"""

from __future__ import annotations


class KmsError(Exception):
    """An error response as AWS KMS sends it: error code, message and HTTP status."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status


class OperationNotMocked(NotImplementedError):
    """A KMS operation reached the mock that it does not serve.

    The mock fails closed: the call never reaches AWS.
    """

    def __init__(self, operation: str, served: list[str]) -> None:
        super().__init__(
            f"kmsimport_mock does not serve KMS operation {operation!r}; the call was not sent "
            f"to AWS. Operations served: {', '.join(sorted(served))}."
        )
        self.operation = operation
        self.served = sorted(served)
