"""Key-state rules shared by several operations (the KMS key-state table)."""

from __future__ import annotations

from . import messages
from .keys import Key

DELETION_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})


def refuse_pending_deletion(key: Key) -> None:
    if key.state == "PendingDeletion":
        raise messages.pending_deletion(key.arn)
    if key.state == "PendingReplicaDeletion":
        raise messages.pending_replica_deletion(key.arn)


def refuse_transitional(key: Key) -> None:
    if key.state == "Creating":
        raise messages.creating(key.arn)
    if key.state == "Updating":
        raise messages.updating(key.arn)


def refuse_unless_external(key: Key) -> None:
    """The import operations work only on keys created with Origin=EXTERNAL."""
    if key.origin != "EXTERNAL":
        raise messages.origin_not_valid(key.arn, key.origin)
