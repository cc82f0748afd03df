"""The mock's own errors, raised straight to the caller.

Errors AWS KMS itself would answer are not here: they are
:class:`~kmsimport_mock.backend.kms_errors.KmsError`, which the protocol layer turns into a
JSON 1.1 error body and botocore into the modeled exception. These are the mock failing
closed, because answering anything else would let a test silently misbehave.
"""

from __future__ import annotations

from collections.abc import Iterable


class KmsImportMockError(Exception):
    """The mock's own errors: raised straight to the caller, never answered as AWS would.

    Each of them also keeps the base it had before this class existed
    (``NotImplementedError``), so ``except NotImplementedError`` still catches them.
    """


class OperationNotMocked(KmsImportMockError, NotImplementedError):
    """A KMS operation reached the mock that it does not serve.

    The mock fails closed: the call never reaches AWS.
    """

    def __init__(self, operation: str, served: Iterable[str]) -> None:
        super().__init__(
            f"kmsimport_mock does not serve KMS operation {operation!r}; the call was not sent "
            f"to AWS. Operations served: {', '.join(sorted(served))}."
        )
        self.operation = operation
        self.served = sorted(served)


class ParameterNotMocked(KmsImportMockError, NotImplementedError):
    """A request parameter of a served operation that the mock cannot honour as AWS does.

    For example GenerateRandom's ``Recipient``: AWS checks a Nitro Enclaves attestation
    document against AWS's own PKI. The call is refused, and never reaches AWS.
    """

    def __init__(self, operation: str, parameter: str) -> None:
        super().__init__(
            f"kmsimport_mock does not serve the {parameter!r} parameter of KMS operation "
            f"{operation!r}; the call was not sent to AWS."
        )
        self.operation = operation
        self.parameter = parameter


class ChinaExtraNotInstalled(KmsImportMockError, NotImplementedError):
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


class Ed25519phExtraNotInstalled(KmsImportMockError, NotImplementedError):
    """ED25519_PH_SHA_512 (HashEdDSA) reached a mock installed without the ``ed25519ph`` extra.

    ``cryptography`` signs pure Ed25519 only; Ed25519ph comes from the optional
    ``pycryptodome`` package. Raised straight to the caller, like
    :class:`ChinaExtraNotInstalled`.
    """

    def __init__(self) -> None:
        super().__init__(
            "kmsimport_mock needs its optional 'ed25519ph' extra for the ED25519_PH_SHA_512 "
            "signing algorithm: pip install 'kmsimport_mock[ed25519ph]'"
        )


class MlDsaNotAvailable(KmsImportMockError, NotImplementedError):
    """An ML-DSA key was used with a ``cryptography`` that cannot make or use ML-DSA keys.

    ML-DSA arrived in ``cryptography`` 47 (and needs a backend that offers it); with an older
    one the mock serves everything else and refuses ML-DSA keys' material straight to the
    caller, like :class:`ChinaExtraNotInstalled`.
    """

    def __init__(self, key_spec: str) -> None:
        super().__init__(
            f"kmsimport_mock needs a cryptography release with ML-DSA (47 or later) for "
            f"{key_spec} keys: pip install --upgrade cryptography"
        )
        self.key_spec = key_spec


class KeySpecNotMocked(KmsImportMockError, NotImplementedError):
    """A KeySpec that the installed botocore's model has and this version of the mock does not.

    botocore gains key specs as AWS adds them (ML-KEM, for example). The mock cannot know
    their usages and algorithms, so it fails closed, like :class:`OperationNotMocked`,
    instead of answering something AWS would not.
    """

    def __init__(self, key_spec: str) -> None:
        super().__init__(
            f"kmsimport_mock does not know KeySpec {key_spec!r}, which your botocore's KMS "
            "model has; the call was not sent to AWS."
        )
        self.key_spec = key_spec
