"""ML-DSA keys (made by KMS; ML-DSA material cannot be imported): signatures that verify with
the public key, over the message or a caller's μ (EXTERNAL_MU).

ML-DSA comes from ``cryptography`` 47 and later. With an older release (the lower bound the
project is also tested at) the mock refuses ML-DSA material with ``MlDsaNotAvailable``; each
test here states what happens in the world it runs in.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import asymmetric, serialization

from kmsimport_mock import MlDsaNotAvailable
from kmsimport_mock.crypto.key_generation import ml_dsa_private_key_class

MESSAGE = b"post-quantum release"


def _offered() -> tuple[bool, bool]:
    """(ML-DSA, μ signing) in the installed cryptography."""
    try:
        private = ml_dsa_private_key_class("ML_DSA_44").generate()
    except (MlDsaNotAvailable, UnsupportedAlgorithm):
        return False, False
    return True, hasattr(private, "sign_mu")


ML_DSA_OFFERED, MU_OFFERED = _offered()


def _ml_dsa_key(kms: Any, key_spec: str = "ML_DSA_65") -> str:
    key_id: str = kms.create_key(KeySpec=key_spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    return key_id


def test_ml_dsa_signature_verifies_with_the_public_key(kms: Any) -> None:
    key_id = _ml_dsa_key(kms)
    if not ML_DSA_OFFERED:
        with pytest.raises(MlDsaNotAvailable):
            kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ML_DSA_SHAKE_256")
        return
    signature = kms.sign(KeyId=key_id, Message=MESSAGE, SigningAlgorithm="ML_DSA_SHAKE_256")[
        "Signature"
    ]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    public.verify(signature, MESSAGE)  # type: ignore[call-arg, union-attr]


def test_ml_dsa_external_mu_signature_verifies_in_kms(kms: Any) -> None:
    key_id = _ml_dsa_key(kms, "ML_DSA_87")
    mu = os.urandom(64)
    params = {"KeyId": key_id, "SigningAlgorithm": "ML_DSA_SHAKE_256", "MessageType": "EXTERNAL_MU"}
    if not MU_OFFERED:
        with pytest.raises(MlDsaNotAvailable):
            kms.sign(Message=mu, **params)
        return
    signature = kms.sign(Message=mu, **params)["Signature"]
    assert kms.verify(Message=mu, Signature=signature, **params)["SignatureValid"] is True


def test_ml_dsa_key_without_ml_dsa_in_cryptography_fails_closed(
    kms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_id = _ml_dsa_key(kms, "ML_DSA_44")
    # As with a cryptography older than 47: the module cannot be imported.
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric.mldsa", None)
    monkeypatch.delattr(asymmetric, "mldsa", raising=False)
    with pytest.raises(MlDsaNotAvailable) as excinfo:
        kms.get_public_key(KeyId=key_id)
    assert excinfo.value.key_spec == "ML_DSA_44"
