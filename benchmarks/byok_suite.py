"""A suite a user recognises: 200 complete BYOK flows, in each way the mock can be used, and
the same flows against LocalStack where it runs.

    python benchmarks/byok_suite.py [--quick] [--localstack URL] [--localstack-flows N]

One flow: CreateKey(Origin=EXTERNAL) → GetParametersForImport (RSA_4096 wrapping key) →
wrap the material locally → ImportKeyMaterial → DescribeKey → Encrypt (symmetric keys),
GenerateMac (HMAC keys) or Sign (RSA keys) if that operation is served (else the flow ends
at DescribeKey, and the report says so). The flows cycle through SYMMETRIC_DEFAULT (wrapped
with RSAES_OAEP_SHA_256), HMAC_256 (RSAES_OAEP_SHA_256) and RSA_2048 signing keys
(RSA_AES_KEY_WRAP_SHA_256); the material is made before the clock starts.

Modes: in-process (``KmsImportMock``), beside moto (``mock_aws`` and the mock), the mock's
HTTP endpoint (``python -m kmsimport_mock serve`` in its own process), and LocalStack
(``--localstack``, default ``http://127.0.0.1:4566`` when something answers there; start it
with ``../shared/tools/localstack.sh``). LocalStack generates an RSA-4096 key in every
GetParametersForImport, so it runs ``--localstack-flows`` flows (default 30).

Goals (issue 14), our endpoint against LocalStack, medians of the same calls in this run:
* at least 3 × faster per cheap call (CreateKey, DescribeKey);
* at least 100 × faster on GetParametersForImport(RSA_4096);
* at least 20 × faster on ImportKeyMaterial under an RSA_4096 wrapping key.
Without LocalStack the figures are printed and no goal is checked.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from _bench import Goal, client, ms, quick, report, start_endpoint
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend import operations
from kmsimport_mock.crypto.wrapping import wrap_key_material

FLOWS = 200
CHEAP_LIMIT = 3.0
GET_PARAMETERS_LIMIT = 100.0
IMPORT_LIMIT = 20.0
# (KeySpec, KeyUsage, wrapping algorithm, the flow's last operation)
KINDS = [
    ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "RSAES_OAEP_SHA_256", "Encrypt"),
    ("HMAC_256", "GENERATE_VERIFY_MAC", "RSAES_OAEP_SHA_256", "GenerateMac"),
    ("RSA_2048", "SIGN_VERIFY", "RSA_AES_KEY_WRAP_SHA_256", "Sign"),
]
Timings = dict[str, list[float]]


def materials() -> dict[str, list[bytes]]:
    rsa_keys = [rsa.generate_private_key(65537, 2048) for _ in range(4)]
    return {
        "SYMMETRIC_DEFAULT": [os.urandom(32) for _ in range(8)],
        "HMAC_256": [os.urandom(32) for _ in range(8)],
        "RSA_2048": [
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            for key in rsa_keys
        ],
    }


def run_flows(kms: Any, flows: int, last_served: Callable[[str], bool]) -> tuple[Timings, float]:
    """Runs the flows; the time of each call by operation, and the whole run's wall time."""
    made = materials()
    timings: Timings = defaultdict(list)

    def timed(operation: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        answer = call(*args, **kwargs)
        timings[operation].append(time.perf_counter() - start)
        return answer

    started = time.perf_counter()
    for index in range(flows):
        spec, usage, algorithm, last = KINDS[index % len(KINDS)]
        material = made[spec][index % len(made[spec])]
        created = timed(
            "CreateKey", kms.create_key, Origin="EXTERNAL", KeySpec=spec, KeyUsage=usage
        )
        key_id = created["KeyMetadata"]["KeyId"]
        parameters = timed(
            "GetParametersForImport(RSA_4096)",
            kms.get_parameters_for_import,
            KeyId=key_id,
            WrappingAlgorithm=algorithm,
            WrappingKeySpec="RSA_4096",
        )
        blob = timed(
            "wrap (local)", wrap_key_material, parameters["PublicKey"], material, algorithm
        )
        timed(
            "ImportKeyMaterial(RSA_4096)",
            kms.import_key_material,
            KeyId=key_id,
            ImportToken=parameters["ImportToken"],
            EncryptedKeyMaterial=blob,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
        timed("DescribeKey", kms.describe_key, KeyId=key_id)
        if not last_served(last):
            continue
        if last == "Encrypt":
            timed("Encrypt", kms.encrypt, KeyId=key_id, Plaintext=b"ceremony")
        elif last == "GenerateMac":
            timed(
                "GenerateMac",
                kms.generate_mac,
                KeyId=key_id,
                Message=b"m",
                MacAlgorithm="HMAC_SHA_256",
            )
        else:
            timed(
                "Sign",
                kms.sign,
                KeyId=key_id,
                Message=b"m",
                SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
            )
    return timings, time.perf_counter() - started


def served_by_backend(operation: str) -> bool:
    return operation in operations.served()


def endpoint_client(url: str) -> Any:
    import boto3

    return boto3.session.Session().client(
        "kms",
        region_name="eu-west-1",
        endpoint_url=url,
        aws_access_key_id="AKIABENCHMARK0000000",
        aws_secret_access_key="benchmark-secret",
    )


@contextlib.contextmanager
def our_endpoint() -> Iterator[str]:
    server, url = start_endpoint(KMSIMPORT_MOCK_KEY_CACHE="off")
    try:
        yield url
    finally:
        server.terminate()
        server.communicate(timeout=10)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError as error:
        # Any HTTP answer (LocalStack answers 404 at the root) means something listens.
        return hasattr(error, "code")


def localstack_url() -> str | None:
    arguments = sys.argv[1:]
    if "--localstack" in arguments:
        return arguments[arguments.index("--localstack") + 1]
    default = "http://127.0.0.1:4566"
    return default if answers(default + "/_localstack/health") else None


def localstack_flows() -> int:
    arguments = sys.argv[1:]
    if "--localstack-flows" in arguments:
        return int(arguments[arguments.index("--localstack-flows") + 1])
    return 9 if quick() else 30


def median(timings: Timings, operation: str) -> float:
    return statistics.median(timings[operation])


def summary(mode: str, flows: int, timings: Timings, wall: float) -> list[str]:
    lines = [f"{mode}: {flows} flows in {wall:.2f} s ({ms(wall / flows)} per flow)"]
    for operation, times in timings.items():
        lines.append(f"    {operation:<36} median {ms(statistics.median(times))}")
    return lines


def main() -> int:
    flows = 60 if quick() else FLOWS
    notes: list[str] = []
    goals: list[Goal] = []

    with KmsImportMock():
        timings, wall = run_flows(client(), flows, served_by_backend)
    notes += summary("in-process", flows, timings, wall)
    not_served = [kind[3] for kind in KINDS if not served_by_backend(kind[3])]
    if not_served:
        notes.append(
            f"    (not served by the backend yet, so not in the flows: {', '.join(not_served)})"
        )

    from moto import mock_aws

    with mock_aws(), KmsImportMock():
        # moto serves Encrypt, GenerateMac and Sign of EXTERNAL keys until the backend does.
        timings, wall = run_flows(client(), flows, lambda _: True)
    notes += summary("beside moto", flows, timings, wall)

    with our_endpoint() as url:
        ours, wall = run_flows(endpoint_client(url), flows, served_by_backend)
        notes += summary("our endpoint", flows, ours, wall)
        peer = localstack_url()
        if peer is not None:
            peer_flows = localstack_flows()
            # Both over HTTP, the same flows; ours again, interleaved in time with LocalStack's.
            ours, _ = run_flows(endpoint_client(url), peer_flows, served_by_backend)
    if peer is None:
        notes.append("LocalStack: not running, the comparison goals are not checked")
        return report("200 BYOK flows", goals, notes)

    theirs, wall = run_flows(endpoint_client(peer), peer_flows, served_by_backend)
    notes += summary(f"LocalStack ({peer})", peer_flows, theirs, wall)
    for operations_compared, limit, name in [
        (("CreateKey", "DescribeKey"), CHEAP_LIMIT, "cheap calls (CreateKey, DescribeKey)"),
        (("GetParametersForImport(RSA_4096)",), GET_PARAMETERS_LIMIT, "GetParametersForImport"),
        (("ImportKeyMaterial(RSA_4096)",), IMPORT_LIMIT, "ImportKeyMaterial(RSA_4096)"),
    ]:
        ratios = [median(theirs, op) / median(ours, op) for op in operations_compared]
        worst = min(ratios)
        shown = ", ".join(
            f"{op} {ms(median(ours, op))} vs {ms(median(theirs, op))}" for op in operations_compared
        )
        goals.append(
            Goal(
                f"our endpoint faster than LocalStack on {name}",
                f"{worst:.1f} × ({shown})",
                f"≥ {limit:.0f} ×",
                worst >= limit,
            )
        )
    return report("200 BYOK flows", goals, notes)


if __name__ == "__main__":
    sys.exit(main())
