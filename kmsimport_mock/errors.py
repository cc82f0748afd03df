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


class ChinaExtraNotInstalled(NotImplementedError):
    """An SM2 request (China Regions) reached a mock installed without the ``china`` extra.

    SM2 wrapping keys, SM2PKE and SM2 key material need the SM2 curve, which comes from the
    optional ``gmalg`` package. Like :class:`OperationNotMocked`, this is raised straight to
    the caller instead of an answer AWS would never give.
    """

    def __init__(self) -> None:
        super().__init__(
            "kmsimport_mock needs its optional 'china' extra for SM2 (the SM2 wrapping key "
            "spec, SM2PKE and SM2 key material): pip install 'kmsimport_mock[china]'"
        )
