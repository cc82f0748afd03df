"""The local endpoint against the in-process mock, and against LocalStack where it runs.

    python benchmarks/endpoint.py [--quick] [--checkout DIR] [--localstack URL]

Goals (issue 13):
* DescribeKey over the endpoint (``python -m kmsimport_mock serve`` in its own process, one
  boto3 client on a keep-alive connection) takes at most 20 × the same call answered
  in-process by the mock, measured in the same run;
* where LocalStack answers at ``--localstack`` (default ``http://127.0.0.1:4566``; start
  it with the shared ``localstack.sh``), each of CreateKey, DescribeKey, ListKeys,
  GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial, DisableKey and
  EnableKey is at least 3 × faster over the endpoint than over LocalStack, side by side.
  Without LocalStack that comparison is reported as not run, and is no goal.

``--checkout DIR`` serves the endpoint from another checkout of the project (an older
commit, say) to compare before and after. Times are wall-clock medians: the endpoint works
in another process, which the calling thread's CPU time would not see.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _bench import REGION, ROOT, Goal, interleaved, ms, quick, report, start_endpoint, us
from botocore.config import Config

from kmsimport_mock import KmsImportMock, activation
from kmsimport_mock.crypto.wrapping import wrap_key_material

ENDPOINT_LIMIT = 20.0
LOCALSTACK_FACTOR = 3.0
WRAPPING = {"WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"}


def main() -> int:
    rounds, per_round = (10, 20) if quick() else (30, 40)
    checkout = Path(_option("--checkout") or ROOT)
    localstack = _option("--localstack") or "http://127.0.0.1:4566"
    goals: list[Goal] = []
    notes: list[str] = [f"endpoint served from {checkout}"]
    process, url = start_endpoint(checkout)
    try:
        endpoint = _client(url)
        in_process = _client(None)
        remote_id = _key(endpoint)
        mock = KmsImportMock().start()
        local_id = _key(in_process)
        try:
            medians, ratios = interleaved(
                {
                    "in-process": _while_active(
                        mock, True, lambda: in_process.describe_key(KeyId=local_id)
                    ),
                    "endpoint": _while_active(
                        mock, False, lambda: endpoint.describe_key(KeyId=remote_id)
                    ),
                },
                rounds,
                per_round,
                clock=time.perf_counter,
            )
        finally:
            mock.stop()
        goals.append(
            Goal(
                "DescribeKey endpoint / in-process",
                f"{ratios['endpoint']:.1f} × (endpoint {ms(medians['endpoint'])}, "
                f"in-process {us(medians['in-process'])})",
                f"≤ {ENDPOINT_LIMIT:.0f} ×",
                ratios["endpoint"] <= ENDPOINT_LIMIT,
            )
        )
        notes.append(f"DescribeKey over raw HTTP (http.client): {ms(_raw_describe(url, rounds))}")
        if _answers(localstack):
            peer = _client(localstack)
            sides = {"endpoint": endpoint, "LocalStack": peer}
            notes.append(
                f"DescribeKey over raw HTTP on LocalStack: {ms(_raw_describe(localstack, rounds))}"
            )
            for operation, timed in _operations().items():
                times = _side_by_side(sides, timed, max(rounds // 3, 5), max(per_round // 4, 5))
                factor = times["LocalStack"] / times["endpoint"]
                goals.append(
                    Goal(
                        f"{operation} LocalStack / endpoint",
                        f"{factor:.1f} × (endpoint {ms(times['endpoint'])}, "
                        f"LocalStack {ms(times['LocalStack'])})",
                        f"≥ {LOCALSTACK_FACTOR:.0f} ×",
                        factor >= LOCALSTACK_FACTOR,
                    )
                )
        else:
            notes.append(f"LocalStack does not answer at {localstack}: comparison not run")
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    return report("The local endpoint: latency per call", goals, notes)


# Each operation: a preparation (untimed, on the side's client) returning the arguments of
# one call each, and the call itself.
Prepare = Callable[[Any, int], list[dict[str, Any]]]


def _operations() -> dict[str, tuple[Prepare, str]]:
    return {
        "CreateKey": (lambda kms, n: [{"Origin": "EXTERNAL"}] * n, "create_key"),
        "DescribeKey": (lambda kms, n: [{"KeyId": _key(kms)}] * n, "describe_key"),
        "ListKeys": (lambda kms, n: [{"Limit": 10}] * n, "list_keys"),
        "GetParametersForImport": (
            lambda kms, n: [{"KeyId": _key(kms), **WRAPPING}] * n,
            "get_parameters_for_import",
        ),
        "ImportKeyMaterial": (_imports, "import_key_material"),
        "DeleteImportedKeyMaterial": (_imported_keys, "delete_imported_key_material"),
        "DisableKey": (_imported_keys, "disable_key"),
        "EnableKey": (_imported_keys, "enable_key"),
    }


def _side_by_side(
    sides: dict[str, Any], timed: tuple[Prepare, str], rounds: int, calls: int
) -> dict[str, float]:
    prepare, method = timed
    per_round: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, kms in sides.items():
            arguments = prepare(kms, calls)
            call = getattr(kms, method)
            started = time.perf_counter()
            for kwargs in arguments:
                call(**kwargs)
            per_round[name].append((time.perf_counter() - started) / calls)
    return {name: statistics.median(times) for name, times in per_round.items()}


def _key(kms: Any) -> str:
    key_id: str = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    return key_id


def _imports(kms: Any, n: int) -> list[dict[str, Any]]:
    calls = []
    for _ in range(n):
        key_id = _key(kms)
        parameters = kms.get_parameters_for_import(KeyId=key_id, **WRAPPING)
        blob = wrap_key_material(parameters["PublicKey"], os.urandom(32), "RSAES_OAEP_SHA_256")
        calls.append(
            {
                "KeyId": key_id,
                "ImportToken": parameters["ImportToken"],
                "EncryptedKeyMaterial": blob,
                "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
            }
        )
    return calls


def _imported_keys(kms: Any, n: int) -> list[dict[str, Any]]:
    calls = _imports(kms, n)
    for kwargs in calls:
        kms.import_key_material(**kwargs)
    return [{"KeyId": kwargs["KeyId"]} for kwargs in calls]


# --- plumbing -----------------------------------------------------------------------------


def _while_active(mock: KmsImportMock, active: bool, call: Callable[[], object]) -> Any:
    """``call``, made with the mock answering (in-process) or not (over the endpoint).

    An active mock answers every boto3 KMS client, endpoint_url or not, so it is switched
    on and off (keeping its keys) at the first call of each round.
    """

    def switched() -> None:
        if (activation.current() is mock) != active:
            (activation.activate if active else activation.deactivate)(mock)
        call()

    return switched


def _raw_describe(url: str, rounds: int) -> float:
    """Median DescribeKey round trip with http.client on one keep-alive connection: the
    server's own share of a call, without the SDK's signing, serializing and parsing."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIABENCHMARK0000000/20260101/"
        f"{REGION}/kms/aws4_request, SignedHeaders=host, Signature=0",
    }

    def post(operation: str, body: dict[str, Any]) -> Any:
        connection.request(
            "POST", "/", json.dumps(body), {**headers, "X-Amz-Target": f"TrentService.{operation}"}
        )
        return json.loads(connection.getresponse().read())

    key_id = post("CreateKey", {"Origin": "EXTERNAL"})["KeyMetadata"]["KeyId"]
    times = []
    for _ in range(rounds * 10):
        started = time.perf_counter()
        post("DescribeKey", {"KeyId": key_id})
        times.append(time.perf_counter() - started)
    connection.close()
    return statistics.median(times)


def _client(endpoint_url: str | None) -> Any:
    import boto3

    return boto3.session.Session().client(
        "kms",
        region_name=REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIABENCHMARK0000000",
        aws_secret_access_key="benchmark-secret",
        config=Config(retries={"max_attempts": 1}),
    )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_localstack/health", timeout=2) as response:
            services = json.loads(response.read()).get("services", {})
    except (OSError, ValueError):
        return False
    return services.get("kms") in ("available", "running")


def _option(name: str) -> str | None:
    arguments = sys.argv[1:]
    if name in arguments:
        index = arguments.index(name)
        if index + 1 < len(arguments):
            return arguments[index + 1]
    return None


if __name__ == "__main__":
    sys.exit(main())
