"""Finding the key a cryptographic operation uses (Encrypt, Sign, GenerateMac, ...)."""

from __future__ import annotations

from .. import kms_errors
from ..kms_errors import KmsError
from ..model import Key
from ..store import KmsBackend
from ..types import Caller


def resolve_for_use(backend: KmsBackend, caller: Caller, key_ref: str, operation: str) -> Key:
    """The key a cryptographic operation names, as AWS finds it for these operations.

    Another account's key is refused: AWS allows these operations across accounts where
    the key policy does, and the default key policy (the mock enforces no other) trusts only
    the key's own account. These operations model no InvalidArnException, so a malformed key
    ARN is a key that is not found.
    """
    foreign = backend.key_of_other_account(caller, key_ref)
    if foreign is not None:
        # AWS allows these operations across accounts where the key policy does; the
        # default key policy (the mock keeps no other) trusts only the key's own account.
        raise kms_errors.cross_account_access_denied(
            caller.account, caller.partition, operation, foreign.arn
        )
    try:
        return backend.resolve(caller, key_ref)
    except KmsError as error:
        if error.code == "InvalidArnException":
            raise kms_errors.malformed_arn_not_found(key_ref) from None
        raise
