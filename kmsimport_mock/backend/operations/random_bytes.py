"""GenerateRandom: random bytes from the operating system's CSPRNG."""

from __future__ import annotations

import os

from ...errors import ParameterNotMocked
from .. import kms_errors
from ..store import KmsBackend
from ..types import Caller, Params, Response


def generate_random(backend: KmsBackend, caller: Caller, params: Params) -> Response:
    # The protocol layer has checked the bounds (1 to 1024); the model does not mark the
    # parameter required, and AWS answers its absence itself.
    if "NumberOfBytes" not in params:
        raise kms_errors.number_of_bytes_required()
    if "CustomKeyStoreId" in params:
        # The mock serves no custom key stores, so no CloudHSM key store can be named.
        raise kms_errors.custom_key_store_not_found(params["CustomKeyStoreId"])
    if "Recipient" in params:
        # AWS answers with the bytes enveloped for a Nitro enclave whose attestation
        # document it has verified against AWS's Nitro PKI; the mock cannot do that, so it
        # fails closed rather than answer with something AWS would not.
        raise ParameterNotMocked("GenerateRandom", "Recipient")
    return {"Plaintext": os.urandom(params["NumberOfBytes"])}
