"""Automatic rotation of key material, done lazily when a key is read.

AWS rotates an AWS_KMS symmetric key in the background on its next rotation date; the mock
does the same work when the key is next read (``KmsBackend.refresh``), so frozen and
travelling clocks (freezegun, time-machine) drive it. A multi-Region primary rotates its
replicas with it: they share every key material.
"""

from __future__ import annotations

import datetime as _dt

from ..crypto.key_generation import generate_key_material
from .model import CURRENT, NON_CURRENT, Key, KeyMaterial, key_material_id

AUTOMATIC = "AUTOMATIC"


def rotate_if_due(key: Key, replicas: list[Key], now: _dt.datetime) -> None:
    """Makes every rotation whose date has come, dated as AWS would have made it.

    Only an Enabled key rotates: AWS does not rotate Disabled or PendingDeletion keys, and
    a rotation that fell due meanwhile happens once the key is read Enabled again.
    """
    if not key.rotation_enabled or key.state != "Enabled":
        return
    if key.next_rotation_date is None or key.rotation_period_days is None:
        return
    period = _dt.timedelta(days=key.rotation_period_days)
    while key.next_rotation_date <= now:
        when = key.next_rotation_date
        generated = generate_key_material(key.key_spec)
        material_id = key_material_id(key.key_id, generated)
        for each in (key, *replicas):
            for material in each.materials:
                if material.state == CURRENT:
                    material.state = NON_CURRENT
            each.materials.append(
                KeyMaterial(
                    material_id,
                    CURRENT,
                    generated,
                    rotation_date=when,
                    rotation_type=AUTOMATIC,
                )
            )
        key.next_rotation_date = when + period


__all__ = ["AUTOMATIC", "rotate_if_due"]
