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


class CredentialsNotResolved(KmsImportMockError):
    """The mock needs a client's access key id, and the client has not fetched any yet.

    botocore fetches some credentials only when a request is signed: an assume-role or
    web-identity profile calls STS, an SSO profile the SSO portal; refreshable credentials
    call their source again when they expire. The mock never does that (it would send a
    request, possibly signed with real long-term keys, to AWS), so it refuses the call
    instead of guessing an account. See docs/accounts-and-credentials.md.
    """

    def __init__(self, method: str | None) -> None:
        source = f" (botocore's credential method {method!r})" if method else ""
        super().__init__(
            "kmsimport_mock needs this client's access key id to tell which account the "
            f"request acts as, and the client's credentials{source} have not fetched one "
            "yet. Fetching them could call AWS or run a process, so the mock did not, and the "
            "call was not sent. Give the client explicit keys (aws_access_key_id=..., "
            "aws_secret_access_key=...), or set MOTO_ACCOUNT_ID to name the account."
        )
        self.method = method


class ParameterNotMocked(KmsImportMockError, NotImplementedError):
    """A request parameter of a served operation that the mock cannot honour.

    ``Recipient`` (a Nitro Enclaves or NitroTPM attestation document) is one: KMS checks the
    document's signature chain up to AWS's Nitro root certificate, which no test can
    produce, and answers with ciphertext for the enclave instead of plaintext. Rather than
    ignore the parameter (and hand out plaintext that AWS would never return), the mock
    refuses the call, like :class:`OperationNotMocked`.
    """

    def __init__(self, operation: str, parameter: str, reason: str = "") -> None:
        why = f": {reason}" if reason else "."
        super().__init__(
            f"kmsimport_mock does not serve the {parameter} parameter of KMS operation "
            f"{operation!r}{why} The call was not sent to AWS."
        )
        self.operation = operation
        self.parameter = parameter
