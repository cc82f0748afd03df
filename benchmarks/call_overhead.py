"""Per-call overhead of the mock against botocore's own Stubber, in the same process.

    python benchmarks/call_overhead.py [--quick]

Goals:
* DescribeKey through the mock takes at most 1.25 × the same call answered by
  ``botocore.stub.Stubber`` (issue 14), CreateKey at most 1.15 × (issue 6; queuing the
  canned response, as a Stubber test must, is part of the Stubber call);
* ImportKeyMaterial of a 256-bit key wrapped with RSAES_OAEP_SHA_256 under an RSA_4096
  wrapping key takes at most 1.3 × (one RSA-4096 OAEP decryption + one Stubber call).

Beside the goals it prints a bound: the same call answered by botocore's parser from a body
written in advance (no request decoding, no backend), the least any mock pays that has
botocore's parser read its answers, as the mock does.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from _bench import Goal, client, interleaved, quick, report, us
from botocore.stub import Stubber
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from kmsimport_mock import KmsImportMock, protocol
from kmsimport_mock.crypto.wrapping import wrap_key_material
from kmsimport_mock.interception import handlers

OVERHEAD_LIMITS = {"DescribeKey": 1.25, "CreateKey": 1.15}
IMPORT_LIMIT = 1.3


def main() -> int:
    rounds, per_round = (15, 100) if quick() else (40, 200)
    mocked, stubbed = client(), client()
    stubber = Stubber(stubbed)
    stubber.activate()
    goals: list[Goal] = []
    notes: list[str] = []
    bodies: dict[str, bytes] = {}

    def keep_body(http_response: Any, model: Any, **_: Any) -> None:
        bodies[model.name] = http_response.content

    with KmsImportMock() as mock:
        key = mocked.create_key(Origin="EXTERNAL")["KeyMetadata"]
        key_id = key["KeyId"]
        mocked.meta.events.register("after-call.kms", keep_body)
        described = mocked.describe_key(KeyId=key_id)
        created = mocked.create_key()
        mocked.meta.events.unregister("after-call.kms", keep_body)
        ready = {name: ready_body_client(name, body) for name, body in bodies.items()}
        for name, call, stub_response, stub_params, stub_call, parse_only in [
            (
                "DescribeKey",
                lambda: mocked.describe_key(KeyId=key_id),
                {"KeyMetadata": described["KeyMetadata"]},
                {"KeyId": key_id},
                lambda: stubbed.describe_key(KeyId=key_id),
                lambda: ready["DescribeKey"].describe_key(KeyId=key_id),
            ),
            (
                "CreateKey",
                lambda: mocked.create_key(),
                {"KeyMetadata": created["KeyMetadata"]},
                {},
                lambda: stubbed.create_key(),
                lambda: ready["CreateKey"].create_key(),
            ),
        ]:
            operation = "describe_key" if name == "DescribeKey" else "create_key"

            def stub(
                operation: str = operation,
                response: dict[str, object] = stub_response,
                params: dict[str, object] = stub_params,
                call: object = stub_call,
            ) -> None:
                stubber.add_response(operation, response, params)
                call()  # type: ignore[operator]

            call()
            stub()
            parse_only()
            medians, ratios = interleaved(
                {"stubber": stub, "mock": call, "parse only": parse_only}, rounds, per_round
            )
            notes.append(
                f"{name} answered by botocore's parser from a ready body: "
                f"{ratios['parse only']:.2f} × Stubber ({us(medians['parse only'])})"
            )
            goals.append(
                Goal(
                    f"{name} mock / Stubber",
                    f"{ratios['mock']:.2f} × (mock {us(medians['mock'])}, "
                    f"Stubber {us(medians['stubber'])})",
                    f"≤ {OVERHEAD_LIMITS[name]} ×",
                    ratios["mock"] <= OVERHEAD_LIMITS[name],
                )
            )
        created_keys = len(mock.key_ids())
        notes.append(f"({created_keys} keys created in the mock while measuring CreateKey)")

        # ImportKeyMaterial: reimporting the same material (default EXISTING_KEY_MATERIAL)
        # with one token is what a suite does over and over; each call unwraps once.
        parameters = mocked.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_4096"
        )
        material = os.urandom(32)
        blob = wrap_key_material(parameters["PublicKey"], material, "RSAES_OAEP_SHA_256")
        wrapping_key = mock.backend.pool.find(
            __import__("hashlib").sha256(parameters["PublicKey"]).digest()
        )
        assert wrapping_key is not None
        oaep = padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None)
        request = {
            "KeyId": key_id,
            "ImportToken": parameters["ImportToken"],
            "EncryptedKeyMaterial": blob,
            "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
        }
        answer = mocked.import_key_material(**request)
        stub_answer = {k: v for k, v in answer.items() if k != "ResponseMetadata"}

        def mock_import() -> None:
            mocked.import_key_material(**request)

        def decrypt_and_stub() -> None:
            wrapping_key.private_key.decrypt(blob, oaep)
            stubber.add_response("import_key_material", stub_answer, request)
            stubbed.import_key_material(**request)

        medians, ratios = interleaved(
            {"baseline": decrypt_and_stub, "mock": mock_import}, rounds, max(per_round // 10, 5)
        )
        goals.append(
            Goal(
                "ImportKeyMaterial mock / (RSA-4096 OAEP decrypt + Stubber call)",
                f"{ratios['mock']:.2f} × (mock {us(medians['mock'])}, "
                f"baseline {us(medians['baseline'])})",
                f"≤ {IMPORT_LIMIT} ×",
                ratios["mock"] <= IMPORT_LIMIT,
            )
        )
    return report("Per-call overhead against botocore.stub.Stubber", goals, notes)


def ready_body_client(operation_name: str, body: bytes) -> Any:
    """A client whose calls of ``operation_name`` are answered from ``body``, written in
    advance and parsed by the mock's botocore parser: the mock's answer path without its
    request decoding, backend and encoding."""
    ready = client()
    model = ready.meta.service_model.operation_model(operation_name)
    answer = protocol.JsonResponse(200, body, json.loads(body))

    def answer_from_ready_body(params: dict[str, Any], **_: Any) -> Any:
        return handlers.to_botocore_response(model, answer, params["url"])

    # First, so that the mock's own handler does not answer these calls.
    ready.meta.events.register_first(f"before-call.kms.{operation_name}", answer_from_ready_body)
    return ready


if __name__ == "__main__":
    sys.exit(main())
