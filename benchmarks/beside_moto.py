"""CreateKey(Origin=EXTERNAL) beside moto, for every KeySpec, against a DescribeKey beside
moto in the same run.

    python benchmarks/beside_moto.py [--quick]

Goal (issue 14): with moto's ``mock_aws`` and the mock both active, CreateKey with
``Origin=EXTERNAL`` takes at most 3 × a DescribeKey, for every KeySpec (moto alone
generates an RSA private key for every key it creates, up to RSA-4096, and the mock defers
that key, which an imported key never uses). Printed beside it: the same CreateKey without
the deferral (moto's own cost), for a few specs.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from _bench import Goal, ms, quick, report
from moto import mock_aws

from kmsimport_mock import KmsImportMock
from kmsimport_mock.moto_bridge import key_creation

LIMIT = 3.0
USAGES = {
    "SYMMETRIC_DEFAULT": "ENCRYPT_DECRYPT",
    "HMAC_224": "GENERATE_VERIFY_MAC",
    "HMAC_256": "GENERATE_VERIFY_MAC",
    "HMAC_384": "GENERATE_VERIFY_MAC",
    "HMAC_512": "GENERATE_VERIFY_MAC",
    "RSA_2048": "ENCRYPT_DECRYPT",
    "RSA_3072": "SIGN_VERIFY",
    "RSA_4096": "SIGN_VERIFY",
    "ECC_NIST_P256": "SIGN_VERIFY",
    "ECC_NIST_P384": "SIGN_VERIFY",
    "ECC_NIST_P521": "SIGN_VERIFY",
    "ECC_SECG_P256K1": "SIGN_VERIFY",
}


def thread_median(call: Any, count: int) -> float:
    """Median CPU time of the calling thread per call (load elsewhere does not count)."""
    times = []
    for _ in range(count):
        start = time.thread_time()
        call()
        times.append(time.thread_time() - start)
    return statistics.median(times)


def main() -> int:
    import boto3

    count = 7 if quick() else 25
    goals: list[Goal] = []
    notes: list[str] = []
    with mock_aws(), KmsImportMock():
        kms = boto3.client("kms", region_name="eu-west-1")
        for spec, usage in USAGES.items():
            key_id = kms.create_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage=usage)["KeyMetadata"][
                "KeyId"
            ]
            describe = thread_median(lambda key_id=key_id: kms.describe_key(KeyId=key_id), count)
            create = thread_median(
                lambda spec=spec, usage=usage: kms.create_key(
                    Origin="EXTERNAL", KeySpec=spec, KeyUsage=usage
                ),
                count,
            )
            ratio = create / describe
            goals.append(
                Goal(
                    f"CreateKey(Origin=EXTERNAL, {spec}) / DescribeKey beside moto",
                    f"{ratio:.2f} × ({ms(create)} / {ms(describe)})",
                    f"≤ {LIMIT:.0f} ×",
                    ratio <= LIMIT,
                )
            )
        # moto's own cost, without the deferral: what every CreateKey cost before.
        deferring = key_creation.before_moto
        key_creation.before_moto = lambda operation, body: None  # type: ignore[assignment]
        try:
            for spec in ("SYMMETRIC_DEFAULT", "RSA_4096"):
                moto_own = thread_median(
                    lambda spec=spec: kms.create_key(
                        Origin="EXTERNAL", KeySpec=spec, KeyUsage=USAGES[spec]
                    ),
                    3 if quick() else 7,
                )
                notes.append(f"without the deferral (moto's key generation): {spec} {ms(moto_own)}")
        finally:
            key_creation.before_moto = deferring  # type: ignore[assignment]
    return report("Beside moto: CreateKey(Origin=EXTERNAL)", goals, notes)


if __name__ == "__main__":
    sys.exit(main())
