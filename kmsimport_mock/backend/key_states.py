"""Key-state rules shared by several operations (the KMS key-state table)."""

from __future__ import annotations

from . import kms_errors
from .model import Key

DELETION_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})


def refuse_pending_deletion(key: Key) -> None:
    if key.state == "PendingDeletion":
        raise kms_errors.pending_deletion(key.arn)
    if key.state == "PendingReplicaDeletion":
        raise kms_errors.pending_replica_deletion(key.arn)


def refuse_transitional(key: Key) -> None:
    if key.state == "Creating":
        raise kms_errors.creating(key.arn)
    if key.state == "Updating":
        raise kms_errors.updating(key.arn)


def refuse_unless_external(key: Key) -> None:
    """The import operations work only on keys created with Origin=EXTERNAL."""
    if key.origin != "EXTERNAL":
        raise kms_errors.origin_not_valid(key.arn, key.origin)


def refuse_unless_enabled(key: Key) -> None:
    """The cryptographic operations (Encrypt, Sign, GenerateMac, ...) need an Enabled key.

    The key-state table answers DisabledException for a Disabled key and
    KMSInvalidStateException, naming the state, for every other one.
    """
    if key.state == "Enabled":
        return
    if key.state == "Disabled":
        raise kms_errors.disabled(key.arn)
    if key.state == "PendingImport":
        raise kms_errors.pending_import(key.arn)
    refuse_pending_deletion(key)
    refuse_transitional(key)
    raise kms_errors.unavailable(key.arn, key.state)
