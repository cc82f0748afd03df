"""ImportKeyMaterial, fuzzed with consistent tokens: each example makes a key of a drawn
spec, gets real import parameters for it, wraps drawn key material (right or wrong in every
way AWS refuses) and then spoils none, one or several of key, token, wrapping and expiry.

The answer must be exactly what that spoiling calls for: success when nothing is wrong,
otherwise one of the errors the spoiled parts earn, with the state left untouched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hostile_support import (
    backend_snapshot,
    call,
    client,
    earlier_mock_tokens,
    mutate,
    mutations,
    timestamps,
    wrong_materials,
)
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from kms_testing import create_external_key, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.crypto.allowed_wrapping import wrapping_combination_problem
from kmsimport_mock.crypto.wrapping import wrap_key_material

KEY_SPECS = (
    "SYMMETRIC_DEFAULT",
    "HMAC_224",
    "HMAC_512",
    "RSA_2048",
    "ECC_NIST_P256",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
)
ALGORITHMS = (
    "RSAES_OAEP_SHA_256",
    "RSAES_OAEP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1",
)
# RSA_3072 is left out: its pool would be filled just for this test, at a cost in CPU.
WRAPPING_KEY_SPECS = ("RSA_2048", "RSA_4096")
SPOILERS = (
    "token mutated",
    "token of another key",
    "token of an earlier mock",
    "blob mutated",
    "wrapped with another algorithm",
    "wrapped for another wrapping key",
    "key id of another key",
)
TOKEN_ERRORS = {"InvalidImportTokenException"}
BLOB_ERRORS = {"InvalidCiphertextException"}
# An emptied or oversized blob is refused before it reaches the mock.
SIZE_ERRORS = {"ValidationException", "ParamValidationError"}


def _valid_to_is_valid(valid_to: dt.datetime) -> bool | None:
    """True/False as ImportKeyMaterial should judge it now; None within seconds of an edge."""
    now = dt.datetime.now(dt.UTC)
    margin = dt.timedelta(seconds=5)
    for edge in (now, now + dt.timedelta(days=365)):
        if abs(valid_to - edge) < margin:
            return None
    return now < valid_to <= now + dt.timedelta(days=365)


WRAPPINGS = {
    key_spec: [
        (algorithm, wrapping_key_spec)
        for algorithm in ALGORITHMS
        for wrapping_key_spec in WRAPPING_KEY_SPECS
        if wrapping_combination_problem(key_spec, algorithm, wrapping_key_spec) is None
    ]
    for key_spec in KEY_SPECS
}


@settings(max_examples=settings.default.max_examples * 3)
@given(
    key_spec=st.sampled_from(KEY_SPECS),
    wrapping_choice=st.integers(0, 2**16),
    material_choice=st.integers(0, 2**16),
    material_is_right=st.booleans(),
    spoilers=st.sets(st.sampled_from(SPOILERS), max_size=2),
    mutation=mutations(),
    expiry=st.one_of(
        st.just({"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}),
        timestamps().map(lambda valid_to: {"ValidTo": valid_to}),
        timestamps().map(
            lambda valid_to: {
                "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
                "ValidTo": valid_to,
            }
        ),
        st.timedeltas(dt.timedelta(minutes=1), dt.timedelta(days=364)).map(
            lambda delta: {"ValidTo": dt.datetime.now(dt.UTC) + delta}
        ),
        st.just({}),
    ),
)
def test_import_answers_exactly_what_the_spoiled_parts_call_for(
    key_spec: str,
    wrapping_choice: int,
    material_choice: int,
    material_is_right: bool,
    spoilers: set[str],
    mutation: tuple[str, int, int, bytes],
    expiry: dict[str, Any],
) -> None:
    # The other key's token used on the other key is no spoiling of the token; it only moves
    # the import to a key whose wrapping key did not wrap the blob. Drawn apart, not together.
    assume(not {"token of another key", "key id of another key"} <= spoilers)
    algorithm, wrapping_key_spec = WRAPPINGS[key_spec][wrapping_choice % len(WRAPPINGS[key_spec])]
    kms = client(validate=material_choice % 2 == 0)
    with KmsImportMock() as mock:
        key_id = create_external_key(kms, key_spec)["KeyId"]
        other_key_id = create_external_key(kms, key_spec)["KeyId"]
        params = kms.get_parameters_for_import(
            KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
        )
        other = kms.get_parameters_for_import(
            KeyId=other_key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
        )
        if material_is_right:
            material = material_for(key_spec)
            if material_choice % 3 == 0 and key_spec.startswith(("RSA_", "ECC_")):
                # BER with a long-form outer length: AWS takes BER PKCS#8 too.
                body = material[2 + (material[1] & 0x7F if material[1] & 0x80 else 0) :]
                material = b"\x30\x84" + len(body).to_bytes(4, "big") + body
                event("right material in BER")
        else:
            wrong = wrong_materials(key_spec)
            name = sorted(wrong)[material_choice % len(wrong)]
            event(f"{key_spec}: {name}")
            material = wrong[name]
        public_key, wrap_algorithm = params["PublicKey"], algorithm
        if "wrapped with another algorithm" in spoilers:
            wrap_algorithm = ALGORITHMS[(ALGORITHMS.index(algorithm) + 1) % len(ALGORITHMS)]
        if "wrapped for another wrapping key" in spoilers:
            public_key = other["PublicKey"]
            # The pool may hand the same wrapping key to both calls; then nothing is spoiled.
            assume(public_key != params["PublicKey"])
        try:
            blob = wrap_key_material(public_key, material, wrap_algorithm)
        except ValueError:
            assume(False)  # too large for OAEP, or empty for AES key wrap: cannot be sent
        token = params["ImportToken"]
        expected: set[str] = set()
        if "token mutated" in spoilers:
            token = mutate(token, *mutation)
            expected |= TOKEN_ERRORS | SIZE_ERRORS
        if "token of another key" in spoilers:
            token = other["ImportToken"]
            expected |= TOKEN_ERRORS
        if "token of an earlier mock" in spoilers:
            token = earlier_mock_tokens()[0]
            expected |= TOKEN_ERRORS
        if "blob mutated" in spoilers:
            blob = mutate(blob, *mutation)
            expected |= BLOB_ERRORS | SIZE_ERRORS
        if spoilers & {"wrapped with another algorithm", "wrapped for another wrapping key"}:
            expected |= BLOB_ERRORS
        target = key_id
        if "key id of another key" in spoilers:
            target = other_key_id
            expected |= TOKEN_ERRORS
        if not material_is_right:
            expected.add("IncorrectKeyMaterialException")
        model = expiry.get("ExpirationModel", "KEY_MATERIAL_EXPIRES")
        valid_to = expiry.get("ValidTo")
        if (model == "KEY_MATERIAL_EXPIRES") != (valid_to is not None):
            expected.add("ValidationException")
        elif valid_to is not None:
            valid = _valid_to_is_valid(valid_to)
            if valid is None:
                assume(False)
            if not valid:
                expected.add("ValidationException")
        before = backend_snapshot(mock.backend)
        outcome = call(
            kms,
            "ImportKeyMaterial",
            {"KeyId": target, "ImportToken": token, "EncryptedKeyMaterial": blob, **expiry},
        )
        event(f"outcome: {outcome.error_code or 'success'}")
        if not expected:
            assert not outcome.failed, f"{outcome.error_code}: {outcome.message}"
            assert mock.key_material(key_id) == material
            assert mock.key_state(key_id) == "Enabled"
            return
        assert outcome.failed, f"accepted although {sorted(expected)} was expected"
        assert outcome.error_code in expected, (
            f"{outcome.error_code} ({outcome.message}) not in {sorted(expected)}"
        )
        assert backend_snapshot(mock.backend) == before
