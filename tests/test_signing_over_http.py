"""Sign, GetPublicKey and GenerateMac through the local endpoint (``serve``), as any SDK
would call them: the HSM-migration check works the same way over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import os

from kms_testing import import_material
from signing_testing import imported_signing_key, public_der, verifies_locally
from test_server import Server, server, start_server

__all__ = ["server", "start_server"]  # the fixtures, imported for pytest


def test_signature_over_http_verifies_with_the_imported_public_key(server: Server) -> None:
    kms = server.client()
    key_id, private = imported_signing_key(kms, "RSA_2048")
    signature = kms.sign(KeyId=key_id, Message=b"over http", SigningAlgorithm="RSASSA_PSS_SHA_256")[
        "Signature"
    ]
    assert verifies_locally(public_der(private), "RSASSA_PSS_SHA_256", b"over http", signature)
    assert kms.get_public_key(KeyId=key_id)["PublicKey"] == public_der(private)


def test_mac_over_http_is_the_hmac_of_the_imported_material(server: Server) -> None:
    kms = server.client()
    material = os.urandom(32)
    key_id = kms.create_key(Origin="EXTERNAL", KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")[
        "KeyMetadata"
    ]["KeyId"]
    import_material(kms, key_id, material)
    mac = kms.generate_mac(KeyId=key_id, Message=b"body", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert mac == hmac.new(material, b"body", hashlib.sha256).digest()
