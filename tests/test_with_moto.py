"""kmsimport_mock beside moto's mock_aws: moto serves KMS, we serve the import.

Every test runs with both mocks active, in both nesting orders, through real boto3 clients.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import time_machine
from botocore import xform_name
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from kms_testing import REGION, create_external_key, import_material, material_for
from moto import mock_aws

from kmsimport_mock import KmsImportMock, OperationNotMocked, mock_kms_import

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["moto-outside", "moto-inside"])
def both(request: pytest.FixtureRequest) -> Iterator[KmsImportMock]:
    """Both mocks active, nested either way round; yields the kmsimport mock."""
    if request.param == "moto-outside":
        with mock_aws(), mock_kms_import() as kms_import:
            yield kms_import
    else:
        with mock_kms_import() as kms_import, mock_aws():
            yield kms_import


@pytest.fixture
def kms(both: KmsImportMock) -> Any:
    return boto3.client("kms", region_name=REGION)


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _imported_key(kms: Any, key_spec: str = "SYMMETRIC_DEFAULT") -> tuple[dict[str, Any], bytes]:
    key = create_external_key(kms, key_spec)
    material = material_for(key_spec)
    import_material(kms, key["KeyId"], material)
    return key, material


# --- packaging ----------------------------------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_importing_kmsimport_mock_does_not_import_moto() -> None:
    result = _run(
        """
        import sys
        import kmsimport_mock
        assert not any(m == "moto" or m.startswith("moto.") for m in sys.modules), "moto"
        """
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("first", ["moto", "kmsimport_mock"])
def test_bridge_works_whichever_package_is_imported_first(first: str) -> None:
    second = "kmsimport_mock" if first == "moto" else "moto"
    result = _run(
        f"""
        import {first}, {second}
        import boto3
        from moto import mock_aws
        from kmsimport_mock import mock_kms_import
        from kms_testing import import_material
        with mock_aws(), mock_kms_import():
            kms = boto3.client("kms", region_name="eu-west-1")
            key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
            import_material(kms, key_id, bytes(32))
            blob = kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
            assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
        """
    )
    assert result.returncode == 0, result.stderr


# --- CreateKey (moto) ---------------------------------------------------------------------


def test_create_external_key_answers_pending_import_without_material(kms: Any) -> None:
    meta = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert (meta["KeyState"], meta["Enabled"], meta["Origin"]) == (
        "PendingImport",
        False,
        "EXTERNAL",
    )
    assert "CurrentKeyMaterialId" not in meta


def test_create_external_key_is_pending_import_in_moto(kms: Any, both: KmsImportMock) -> None:
    key_id = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingImport"
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [key_id]  # moto's ListKeys
    assert both.key_material(key_id) is None


@pytest.fixture
def rsa_generations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The key sizes of every RSA key generated while the test runs (moto's included)."""
    sizes: list[int] = []
    generate = rsa.generate_private_key

    def counting(public_exponent: int, key_size: int, *args: Any, **kwargs: Any) -> Any:
        sizes.append(key_size)
        return generate(public_exponent, key_size, *args, **kwargs)

    monkeypatch.setattr(rsa, "generate_private_key", counting)
    return sizes


@pytest.mark.parametrize("key_spec", ["SYMMETRIC_DEFAULT", "HMAC_512", "RSA_4096"])
def test_create_external_key_generates_no_key_moto_would_throw_away(
    kms: Any, rsa_generations: list[int], key_spec: str
) -> None:
    create_external_key(kms, key_spec)
    assert rsa_generations == []


def test_create_aws_kms_key_still_gets_motos_own_key(kms: Any, rsa_generations: list[int]) -> None:
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signature = kms.sign(
        KeyId=key_id, Message=b"msg", SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256"
    )["Signature"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(signature, b"msg", padding.PKCS1v15(), hashes.SHA256())
    assert rsa_generations == [2048]


def test_external_key_is_in_motos_key_list_aliases_and_tags(kms: Any) -> None:
    key = create_external_key(kms, "RSA_4096", Tags=[{"TagKey": "team", "TagValue": "byok"}])
    kms.create_alias(AliasName="alias/byok", TargetKeyId=key["KeyId"])
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [key["KeyId"]]
    assert kms.list_resource_tags(KeyId=key["KeyId"])["Tags"] == [
        {"TagKey": "team", "TagValue": "byok"}
    ]
    aliases = kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/byok"]
    meta = kms.describe_key(KeyId="alias/byok")["KeyMetadata"]
    assert (meta["KeyId"], meta["KeySpec"], meta["KeyState"]) == (
        key["KeyId"],
        "RSA_4096",
        "PendingImport",
    )


def test_moto_still_serves_aws_kms_keys(kms: Any) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"data")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"data"


# --- the import operations (ours) on moto's keys --------------------------------------------


def test_import_enables_motos_key(kms: Any, both: KmsImportMock) -> None:
    key, material = _imported_key(kms)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    assert both.key_material(key["KeyId"]) == material


def test_get_parameters_for_import_answers_motos_key_arn(kms: Any) -> None:
    key = create_external_key(kms)
    params = kms.get_parameters_for_import(
        KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    assert params["KeyId"] == key["Arn"]


def test_import_into_motos_aws_kms_key_is_refused_by_origin(kms: Any) -> None:
    meta = kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        kms.get_parameters_for_import(
            KeyId=meta["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert _error(excinfo) == (
        "UnsupportedOperationException",
        f"{meta['Arn']} origin is AWS_KMS which is not valid for this operation.",
    )


def test_import_without_valid_to_is_refused_as_standalone(kms: Any) -> None:
    key = create_external_key(kms)
    with pytest.raises(ClientError) as excinfo:
        import_material(
            kms,
            key["KeyId"],
            material_for("SYMMETRIC_DEFAULT"),
            ExpirationModel="KEY_MATERIAL_EXPIRES",
        )
    assert _error(excinfo) == (
        "ValidationException",
        "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
    )


def test_import_with_a_token_of_another_key_is_refused(kms: Any) -> None:
    first = create_external_key(kms)
    second = create_external_key(kms)
    params = kms.get_parameters_for_import(
        KeyId=first["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
    )
    from kmsimport_mock.crypto.wrapping import wrap_key_material

    blob = wrap_key_material(params["PublicKey"], bytes(32), "RSAES_OAEP_SHA_256")
    with pytest.raises(ClientError) as excinfo:
        kms.import_key_material(
            KeyId=second["KeyId"],
            ImportToken=params["ImportToken"],
            EncryptedKeyMaterial=blob,
            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
        )
    assert excinfo.value.response["Error"]["Code"] == "InvalidImportTokenException"


def test_import_into_a_key_moto_does_not_have_is_not_found(kms: Any) -> None:
    missing = "11111111-2222-3333-4444-555555555555"
    with pytest.raises(ClientError) as excinfo:
        kms.get_parameters_for_import(
            KeyId=missing, WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert _error(excinfo) == (
        "NotFoundException",
        f"Key 'arn:aws:kms:{REGION}:123456789012:key/{missing}' does not exist",
    )


def test_delete_imported_key_material_puts_motos_key_back_to_pending_import(kms: Any) -> None:
    key, _ = _imported_key(kms)
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"


def test_enable_key_of_pending_import_key_is_refused(kms: Any) -> None:
    key = create_external_key(kms)
    with pytest.raises(ClientError) as excinfo:
        kms.enable_key(KeyId=key["KeyId"])
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_schedule_key_deletion_of_external_key_follows_our_rules(kms: Any) -> None:
    key, _ = _imported_key(kms)
    answer = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert (answer["KeyId"], answer["KeyState"]) == (key["Arn"], "PendingDeletion")
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert (meta["KeyState"], meta["DeletionDate"]) == ("PendingDeletion", answer["DeletionDate"])


# --- moto's crypto uses the imported material -------------------------------------------


def test_encrypt_and_decrypt_round_trip_after_import(kms: Any) -> None:
    key, _ = _imported_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"


def test_ciphertext_decrypts_again_after_the_same_material_is_reimported(kms: Any) -> None:
    key, material = _imported_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    import_material(kms, key["KeyId"], material)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"


def test_generate_mac_is_the_hmac_of_the_imported_material(kms: Any) -> None:
    key, material = _imported_key(kms, "HMAC_256")
    mac = kms.generate_mac(KeyId=key["KeyId"], Message=b"msg", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert mac == hmac.new(material, b"msg", hashlib.sha256).digest()


def test_sign_verifies_with_the_imported_public_key(kms: Any) -> None:
    key, material = _imported_key(kms, "ECC_NIST_P256")
    signature = kms.sign(KeyId=key["KeyId"], Message=b"msg", SigningAlgorithm="ECDSA_SHA_256")[
        "Signature"
    ]
    private = serialization.load_der_private_key(material, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    private.public_key().verify(signature, b"msg", ec.ECDSA(hashes.SHA256()))


def test_get_public_key_returns_the_imported_public_key(kms: Any) -> None:
    key, material = _imported_key(kms, "ECC_NIST_P256")
    private = serialization.load_der_private_key(material, password=None)
    expected = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert kms.get_public_key(KeyId=key["KeyId"])["PublicKey"] == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda kms, key_id: kms.encrypt(KeyId=key_id, Plaintext=b"x"),
        lambda kms, key_id: kms.generate_data_key(KeyId=key_id, KeySpec="AES_256"),
    ],
    ids=["Encrypt", "GenerateDataKey"],
)
def test_crypto_before_import_is_pending_import(kms: Any, call: Any) -> None:
    key = create_external_key(kms)
    with pytest.raises(ClientError) as excinfo:
        call(kms, key["KeyId"])
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_sign_before_import_is_pending_import(kms: Any) -> None:
    key = create_external_key(kms, "ECC_NIST_P256")
    with pytest.raises(ClientError) as excinfo:
        kms.sign(KeyId=key["KeyId"], Message=b"msg", SigningAlgorithm="ECDSA_SHA_256")
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_generate_mac_before_import_is_pending_import(kms: Any) -> None:
    key = create_external_key(kms, "HMAC_256")
    with pytest.raises(ClientError) as excinfo:
        kms.generate_mac(KeyId=key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_decrypt_after_material_deletion_is_pending_import(kms: Any) -> None:
    key, _ = _imported_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.decrypt(CiphertextBlob=blob)
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


def test_encrypt_after_material_expiry_is_pending_import(kms: Any) -> None:
    key = create_external_key(kms)
    valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    import_material(kms, key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ValidTo=valid_to)
    with time_machine.travel(valid_to + dt.timedelta(seconds=1)):
        with pytest.raises(ClientError) as excinfo:
            kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
        state = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]
    assert _error(excinfo) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")
    assert state == "PendingImport"


def test_encrypt_with_disabled_external_key_is_refused(kms: Any) -> None:
    key, _ = _imported_key(kms)
    kms.disable_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as excinfo:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert _error(excinfo) == ("DisabledException", f"{key['Arn']} is disabled.")


# --- DescribeKey (moto) shows what standalone mode shows ----------------------------------


def test_describe_key_shows_expiration_and_current_material(kms: Any, both: KmsImportMock) -> None:
    key = create_external_key(kms)
    valid_to = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(microsecond=0)
    answer = import_material(kms, key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ValidTo=valid_to)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert meta["ValidTo"] == valid_to
    assert meta["CurrentKeyMaterialId"] == answer["KeyMaterialId"]


def test_describe_key_keeps_current_material_id_after_deletion(kms: Any) -> None:
    key = create_external_key(kms)
    answer = import_material(kms, key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["CurrentKeyMaterialId"] == answer["KeyMaterialId"]
    assert "ExpirationModel" not in meta


def test_describe_key_matches_standalone_mode() -> None:
    valid_to = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(microsecond=0)
    shown = {}
    for with_moto in (False, True):
        with mock_kms_import():
            if with_moto:
                moto = mock_aws()
                moto.start()
            kms = boto3.client("kms", region_name=REGION)
            key = create_external_key(kms)
            import_material(kms, key["KeyId"], bytes(32), ValidTo=valid_to)
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if with_moto:
                moto.stop()
        fields = ("KeyState", "Enabled", "Origin", "ExpirationModel", "ValidTo", "KeyUsage")
        shown[with_moto] = {name: meta.get(name) for name in fields}
    assert shown[True] == shown[False]


# --- accounts, Regions, reset, clients moto does not serve ---------------------------------


def test_moto_account_id_is_respected(both: KmsImportMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    kms = boto3.client("kms", region_name=REGION)
    key, material = _imported_key(kms)
    assert key["Arn"].split(":")[4] == "111122223333"
    assert both.inspect_key(key["KeyId"]).account == "111122223333"
    assert both.key_material(key["KeyId"], account="111122223333") == material


def test_assumed_role_credentials_act_in_the_roles_account(both: KmsImportMock) -> None:
    sts = boto3.client("sts", region_name=REGION)
    creds = sts.assume_role(
        RoleArn="arn:aws:iam::444455556666:role/byok", RoleSessionName="ceremony"
    )["Credentials"]
    kms = boto3.client(
        "kms",
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    key, _ = _imported_key(kms)
    assert key["Arn"].split(":")[4] == "444455556666"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_key_of_another_region_is_not_found(both: KmsImportMock) -> None:
    key = create_external_key(boto3.client("kms", region_name=REGION))
    other = boto3.client("kms", region_name="us-east-1")
    with pytest.raises(ClientError) as excinfo:
        other.get_parameters_for_import(
            KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert excinfo.value.response["Error"]["Code"] == "NotFoundException"


def test_moto_reset_clears_our_state_of_its_keys() -> None:
    with mock_kms_import() as kms_import:
        moto = mock_aws()
        moto.start()
        try:
            kms = boto3.client("kms", region_name=REGION)
            key, _ = _imported_key(kms)
            assert kms_import.key_ids() == [key["KeyId"]]
            moto.reset()
            assert kms_import.key_ids() == []
        finally:
            moto.stop()


def test_stopping_moto_leaves_our_standalone_backend_serving() -> None:
    with mock_kms_import() as kms_import:
        with mock_aws():
            kms = boto3.client("kms", region_name=REGION)
            create_external_key(kms)
        assert kms_import.key_ids() == []
        key = create_external_key(boto3.client("kms", region_name=REGION))
        assert kms_import.key_ids() == [key["KeyId"]]


def test_client_moto_does_not_serve_is_served_standalone(both: KmsImportMock) -> None:
    kms = boto3.client("kms", region_name=REGION, endpoint_url="https://kms.internal.example")
    key, material = _imported_key(kms)
    assert both.key_material(key["KeyId"]) == material
    with pytest.raises(OperationNotMocked):  # our backend, not moto, and not the network
        kms.connect_custom_key_store(CustomKeyStoreId="cks-1234567890abcdef0")


def test_moto_without_kmsimport_mock_is_left_alone() -> None:
    with mock_aws():
        kms = boto3.client("kms", region_name=REGION)
        meta = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
        assert meta["KeyState"] == "Enabled"  # moto's own behaviour


def test_kms_passed_through_by_moto_is_served_standalone() -> None:
    passthrough: Any = {"core": {"passthrough": {"services": ["kms"]}}}
    with mock_aws(config=passthrough), mock_kms_import() as kms_import:
        kms = boto3.client("kms", region_name=REGION)
        key, material = _imported_key(kms)
        assert kms_import.key_material(key["KeyId"]) == material
        with pytest.raises(OperationNotMocked):
            kms.connect_custom_key_store(CustomKeyStoreId="cks-1234567890abcdef0")


def test_rsa_sign_verifies_with_the_imported_public_key(kms: Any) -> None:
    key = create_external_key(kms, "RSA_3072")
    material = material_for("RSA_3072")
    import_material(
        kms,
        key["KeyId"],
        material,
        algorithm="RSA_AES_KEY_WRAP_SHA_256",
        wrapping_key_spec="RSA_4096",
    )
    signature = kms.sign(
        KeyId=key["KeyId"], Message=b"msg", SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256"
    )["Signature"]
    private = serialization.load_der_private_key(material, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    private.public_key().verify(signature, b"msg", padding.PKCS1v15(), hashes.SHA256())
    assert kms.verify(
        KeyId=key["KeyId"],
        Message=b"msg",
        Signature=signature,
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
    )["SignatureValid"]


def test_sign_with_imported_rsa_key_generates_no_key_in_moto(
    kms: Any, rsa_generations: list[int]
) -> None:
    key = create_external_key(kms, "RSA_3072")
    material = material_for("RSA_3072")
    import_material(
        kms,
        key["KeyId"],
        material,
        algorithm="RSA_AES_KEY_WRAP_SHA_256",
        wrapping_key_spec="RSA_4096",
    )
    rsa_generations.clear()  # the test's own material
    signature = kms.sign(KeyId=key["KeyId"], Message=b"msg", SigningAlgorithm="RSASSA_PSS_SHA_384")[
        "Signature"
    ]
    private = serialization.load_der_private_key(material, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    private.public_key().verify(
        signature,
        b"msg",
        padding.PSS(padding.MGF1(hashes.SHA384()), padding.PSS.AUTO),
        hashes.SHA384(),
    )
    assert rsa_generations == []


def test_verify_mac_accepts_the_hmac_of_the_imported_material(kms: Any) -> None:
    key, material = _imported_key(kms, "HMAC_384")
    mac = hmac.new(material, b"msg", hashlib.sha384).digest()
    answer = kms.verify_mac(
        KeyId=key["KeyId"], Message=b"msg", MacAlgorithm="HMAC_SHA_384", Mac=mac
    )
    assert answer["MacValid"]


# --- operations moto has but without EXTERNAL keys' rules -----------------------------------


def test_rotation_to_new_imported_material_is_used_by_moto(kms: Any, both: KmsImportMock) -> None:
    key, _ = _imported_key(kms)
    second = material_for("SYMMETRIC_DEFAULT")
    new = import_material(kms, key["KeyId"], second, ImportType="NEW_KEY_MATERIAL")
    kms.rotate_key_on_demand(KeyId=key["KeyId"])
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["CurrentKeyMaterialId"] == new["KeyMaterialId"]
    assert both.key_material(key["KeyId"]) == second
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"after")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"after"


def test_rotate_external_key_without_pending_material_is_refused(kms: Any) -> None:
    key, _ = _imported_key(kms)
    with pytest.raises(ClientError) as excinfo:
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert excinfo.value.response["Error"]["Code"] == "KMSInvalidStateException"


def test_list_key_rotations_of_external_key_shows_imported_materials(kms: Any) -> None:
    key, _ = _imported_key(kms)
    answer = import_material(
        kms, key["KeyId"], material_for("SYMMETRIC_DEFAULT"), ImportType="NEW_KEY_MATERIAL"
    )
    rotations = kms.list_key_rotations(KeyId=key["KeyId"], IncludeKeyMaterial="ALL_KEY_MATERIAL")
    entries = {r["KeyMaterialId"]: r for r in rotations["Rotations"]}
    assert entries[answer["KeyMaterialId"]]["KeyMaterialState"] == "PENDING_ROTATION"
    assert entries[answer["KeyMaterialId"]]["ImportState"] == "IMPORTED"


def test_replica_of_external_key_made_by_moto_awaits_its_own_import(kms: Any) -> None:
    key = create_external_key(kms, MultiRegion=True)
    import_material(kms, key["KeyId"], material_for("SYMMETRIC_DEFAULT"))
    replica = kms.replicate_key(KeyId=key["KeyId"], ReplicaRegion="us-west-2")
    assert replica["ReplicaKeyMetadata"]["KeyState"] == "PendingImport"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_injected_fault_hits_an_import_operation_served_beside_moto(
    kms: Any, both: KmsImportMock
) -> None:
    key = create_external_key(kms)
    both.inject_fault("KMSInternalException", count=20, operation="GetParametersForImport")
    with pytest.raises(ClientError) as excinfo:
        kms.get_parameters_for_import(
            KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048"
        )
    assert excinfo.value.response["Error"]["Code"] == "KMSInternalException"


# --- the cryptographic operations on EXTERNAL keys: our backend's, in place of moto ---------
#
# The backend's cryptographic operations are tested on their own; here a stand-in handler
# that answers with a recognisable error shows who served each request beside moto.

OURS = ("UnsupportedOperationException", "answered by kmsimport_mock's backend")
CRYPTO_CALLS: dict[str, dict[str, Any]] = {
    "encrypt": {"Plaintext": b"x"},
    "decrypt": {"CiphertextBlob": b"c" * 80},
    "generate_data_key": {"NumberOfBytes": 32},
    "generate_data_key_without_plaintext": {"NumberOfBytes": 32},
    "generate_data_key_pair": {"KeyPairSpec": "RSA_2048"},
    "generate_data_key_pair_without_plaintext": {"KeyPairSpec": "RSA_2048"},
    "sign": {"Message": b"m", "SigningAlgorithm": "RSASSA_PSS_SHA_256"},
    "verify": {"Message": b"m", "Signature": b"s", "SigningAlgorithm": "RSASSA_PSS_SHA_256"},
    "get_public_key": {},
    "generate_mac": {"Message": b"m", "MacAlgorithm": "HMAC_SHA_256"},
    "verify_mac": {"Message": b"m", "Mac": b"m" * 32, "MacAlgorithm": "HMAC_SHA_256"},
    "enable_key_rotation": {},
    "disable_key_rotation": {},
    "get_key_rotation_status": {},
}


@pytest.fixture
def backend_requests(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Serves every routed operation with a stand-in; lists the requests it got."""
    from kmsimport_mock.backend import operations
    from kmsimport_mock.backend.kms_errors import KmsError
    from kmsimport_mock.moto_bridge import EXTERNAL_KEY_OPERATIONS

    seen: list[tuple[str, dict[str, Any]]] = []
    crypto = {name for name in EXTERNAL_KEY_OPERATIONS if xform_name(name) in CRYPTO_CALLS}

    def stand_in(name: str) -> Any:
        def handler(backend: Any, caller: Any, params: dict[str, Any]) -> dict[str, Any]:
            seen.append((name, params))
            raise KmsError(*OURS, 400)

        return handler

    for name in crypto | {"ReEncrypt"}:
        monkeypatch.setitem(operations._handlers, name, stand_in(name))
    return seen


def _answered_by_us(call: Any, **params: Any) -> bool:
    try:
        call(**params)
    except ClientError as error:
        return _error_of(error) == OURS
    return False


def _error_of(error: ClientError) -> tuple[str, str]:
    return error.response["Error"]["Code"], error.response["Error"]["Message"]


@pytest.mark.parametrize("operation", sorted(CRYPTO_CALLS))
def test_cryptographic_operation_on_external_key_is_served_in_place_of_moto(
    kms: Any, backend_requests: list[Any], operation: str
) -> None:
    key = create_external_key(kms)
    assert _answered_by_us(getattr(kms, operation), KeyId=key["KeyId"], **CRYPTO_CALLS[operation])


def test_enable_key_rotation_of_external_key_is_not_left_to_moto(
    kms: Any, backend_requests: list[Any]
) -> None:
    # AWS refuses automatic rotation of imported keys (recorded case 34); moto grants it.
    key, _ = _imported_key(kms)
    assert _answered_by_us(kms.enable_key_rotation, KeyId=key["KeyId"])


def test_cryptographic_operations_on_motos_own_keys_stay_motos(
    kms: Any, backend_requests: list[Any]
) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"data")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"data"
    assert kms.decrypt(CiphertextBlob=blob, KeyId=key_id)["Plaintext"] == b"data"
    kms.enable_key_rotation(KeyId=key_id)
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
    assert backend_requests == []


def test_decrypt_without_key_id_of_a_ciphertext_moto_did_not_make_is_ours(
    kms: Any, backend_requests: list[Any]
) -> None:
    kms.create_key()  # moto has a key of its own, which the ciphertext does not name
    assert _answered_by_us(kms.decrypt, CiphertextBlob=os.urandom(120))


def test_decrypt_without_key_id_of_a_ciphertext_naming_an_external_key_is_ours(
    kms: Any, backend_requests: list[Any]
) -> None:
    key = create_external_key(kms)
    blob = key["KeyId"].encode() + os.urandom(12 + 16 + 10)  # moto's layout, an EXTERNAL key
    assert _answered_by_us(kms.decrypt, CiphertextBlob=blob)


def test_re_encrypt_to_an_external_key_is_ours(kms: Any, backend_requests: list[Any]) -> None:
    key = create_external_key(kms)
    assert _answered_by_us(
        kms.re_encrypt, CiphertextBlob=os.urandom(80), DestinationKeyId=key["KeyId"]
    )


@pytest.mark.parametrize("alias", ["alias/byok", "arn:aws:kms:eu-west-1:123456789012:alias/byok"])
def test_alias_of_external_key_reaches_our_backend_as_the_key_arn(
    kms: Any, backend_requests: list[tuple[str, dict[str, Any]]], alias: str
) -> None:
    key = create_external_key(kms)
    kms.create_alias(AliasName="alias/byok", TargetKeyId=key["KeyId"])
    assert _answered_by_us(kms.encrypt, KeyId=alias, Plaintext=b"x")
    assert [(name, params["KeyId"]) for name, params in backend_requests] == [
        ("Encrypt", key["Arn"])
    ]


def test_bridged_keys_lend_moto_no_imported_material(kms: Any) -> None:
    # Every cryptographic operation on an EXTERNAL key is our backend's, so moto's own
    # Key keeps its own key_material and private_key: nothing of moto reads what was imported.
    from moto.kms.models import kms_backends

    key, _ = _imported_key(kms)
    moto_key = kms_backends[key["AWSAccountId"]][REGION].keys[key["KeyId"]]
    assert type(moto_key).__name__.startswith("Bridged")
    assert "key_material" not in vars(type(moto_key))
    assert "private_key" not in vars(type(moto_key))
