"""The AWS CLI v1, run in-process under the mock, through AWS's documented OpenSSL procedure.

Every ``aws`` step runs the real CLI (``awscli.clidriver``) in this process, so it creates its
own botocore session; every ``openssl`` step is the exact command AWS documents (spec §6),
run by bash in a scratch directory.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import awscli
import pytest
from awscli.clidriver import create_clidriver

from kmsimport_mock import KmsImportMock

REGION = "eu-west-1"

# Step 3 of the documented procedure, per wrapping algorithm, as AWS prints it.
# xxd may be missing on a machine; the hex step then uses Python (same output).
HEX_OF_AES_KEY = (
    "$(xxd -p < aes-key.bin | tr -d '\\n')"
    if shutil.which("xxd")
    else '$(python3 -c \'import sys; print(open("aes-key.bin","rb").read().hex())\')'
)
ENCRYPT = {
    "RSAES_OAEP_SHA_256": (
        "openssl pkeyutl -encrypt -in PlaintextKeyMaterial.bin -out EncryptedKeyMaterial.bin "
        "-inkey WrappingPublicKey.bin -keyform DER -pubin -pkeyopt rsa_padding_mode:oaep "
        "-pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256"
    ),
    "RSAES_OAEP_SHA_1": (
        "openssl pkeyutl -encrypt -in PlaintextKeyMaterial.bin -out EncryptedKeyMaterial.bin "
        "-inkey WrappingPublicKey.bin -keyform DER -pubin -pkeyopt rsa_padding_mode:oaep "
        "-pkeyopt rsa_oaep_md:sha1"
    ),
    "RSA_AES_KEY_WRAP_SHA_256": "\n".join(
        [
            "openssl rand -out aes-key.bin 32",
            f'openssl enc -id-aes256-wrap-pad -K "{HEX_OF_AES_KEY}" -iv A65959A6 '
            "-in PlaintextKeyMaterial.bin -out key-material-wrapped.bin",
            "openssl pkeyutl -encrypt -in aes-key.bin -out aes-key-wrapped.bin "
            "-inkey WrappingPublicKey.bin -keyform DER -pubin -pkeyopt rsa_padding_mode:oaep "
            "-pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256",
            "cat aes-key-wrapped.bin key-material-wrapped.bin > EncryptedKeyMaterial.bin",
        ]
    ),
}
# KeySpec, KeyUsage and plaintext material (made with openssl too) per algorithm.
KEYS = {
    "RSAES_OAEP_SHA_256": ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "RSA_2048"),
    "RSAES_OAEP_SHA_1": ("HMAC_256", "GENERATE_VERIFY_MAC", "RSA_3072"),
    "RSA_AES_KEY_WRAP_SHA_256": ("ECC_NIST_P256", "SIGN_VERIFY", "RSA_2048"),
}
MAKE_MATERIAL = {
    "SYMMETRIC_DEFAULT": "openssl rand -out PlaintextKeyMaterial.bin 32",
    "HMAC_256": "openssl rand -out PlaintextKeyMaterial.bin 32",
    "ECC_NIST_P256": (
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
        "| openssl pkcs8 -topk8 -nocrypt -outform DER -out PlaintextKeyMaterial.bin"
    ),
}


@pytest.fixture(autouse=True)
def _cli_data_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # awscli puts its own data folder on AWS_DATA_PATH when imported; conftest removes every
    # AWS_* variable, so put it back.
    monkeypatch.setenv("AWS_DATA_PATH", os.pathsep.join(awscli._awscli_data_path))


def aws(*args: str) -> tuple[int, str, str]:
    """Runs ``aws <args>`` in-process; returns exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = create_clidriver().main([*args, "--region", REGION])
    return status, out.getvalue(), err.getvalue()


def aws_json(*args: str) -> Any:
    status, out, err = aws(*args)
    assert status == 0, err
    return json.loads(out) if out.strip() else None


def sh(script: str, cwd: Path) -> None:
    subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, check=True, timeout=60)


@pytest.mark.parametrize("algorithm", list(ENCRYPT))
def test_cli_imports_key_material_with_the_documented_openssl_procedure(
    algorithm: str, kms_import: KmsImportMock, tmp_path: Path
) -> None:
    key_spec, usage, wrapping_spec = KEYS[algorithm]
    created = aws_json(
        "kms", "create-key", "--origin", "EXTERNAL", "--key-spec", key_spec, "--key-usage", usage
    )
    key_id = created["KeyMetadata"]["KeyId"]
    assert created["KeyMetadata"]["KeyState"] == "PendingImport"

    # Step 2: download, save the base64 strings, decode them as documented.
    params = aws_json(
        "kms", "get-parameters-for-import", "--key-id", key_id,
        "--wrapping-algorithm", algorithm, "--wrapping-key-spec", wrapping_spec,
    )  # fmt: skip
    (tmp_path / "PublicKey.b64").write_text(params["PublicKey"])
    (tmp_path / "importtoken.b64").write_text(params["ImportToken"])
    sh(
        "openssl enc -d -base64 -A -in PublicKey.b64 -out WrappingPublicKey.bin\n"
        "openssl enc -d -base64 -A -in importtoken.b64 -out ImportToken.bin\n"
        f"{MAKE_MATERIAL[key_spec]}\n"
        f"{ENCRYPT[algorithm]}\n",
        tmp_path,
    )

    # Step 4: import from files, as the CLI reads blobs with fileb://.
    status, _, err = aws(
        "kms", "import-key-material", "--key-id", key_id,
        "--encrypted-key-material", f"fileb://{tmp_path / 'EncryptedKeyMaterial.bin'}",
        "--import-token", f"fileb://{tmp_path / 'ImportToken.bin'}",
        "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE",
    )  # fmt: skip
    assert status == 0, err
    assert kms_import.key_material(key_id) == (tmp_path / "PlaintextKeyMaterial.bin").read_bytes()
    assert aws_json("kms", "describe-key", "--key-id", key_id)["KeyMetadata"]["KeyState"] == (
        "Enabled"
    )

    aws_json("kms", "delete-imported-key-material", "--key-id", key_id)
    assert aws_json("kms", "describe-key", "--key-id", key_id)["KeyMetadata"]["KeyState"] == (
        "PendingImport"
    )


def test_cli_shows_the_aws_error_for_a_garbled_import_token(
    kms_import: KmsImportMock, tmp_path: Path
) -> None:
    key_id = aws_json("kms", "create-key", "--origin", "EXTERNAL")["KeyMetadata"]["KeyId"]
    (tmp_path / "blob.bin").write_bytes(b"\x01" * 256)
    status, _, err = aws(
        "kms", "import-key-material", "--key-id", key_id,
        "--encrypted-key-material", f"fileb://{tmp_path / 'blob.bin'}",
        "--import-token", f"fileb://{tmp_path / 'blob.bin'}",
        "--expiration-model", "KEY_MATERIAL_DOES_NOT_EXPIRE",
    )  # fmt: skip
    assert status == 255
    assert "(InvalidImportTokenException) when calling the ImportKeyMaterial operation" in err


def test_cli_operation_the_mock_does_not_serve_fails_naming_it(
    kms_import: KmsImportMock,
) -> None:
    status, _, err = aws("kms", "describe-custom-key-stores")
    assert status == 255
    assert "does not serve KMS operation 'DescribeCustomKeyStores'" in err


def test_cli_is_served_when_awscli_is_imported_before_the_mock(tmp_path: Path) -> None:
    # awscli 1.46 and later carry their own botocore and make `import botocore` load it
    # when awscli comes first; the mock must then be served through that botocore.
    script = (
        "import contextlib, io, json\n"
        "from awscli.clidriver import create_clidriver\n"
        "from kmsimport_mock import mock_kms_import\n"
        "with mock_kms_import():\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        create_clidriver().main(\n"
        "            ['kms', 'create-key', '--origin', 'EXTERNAL', '--region', 'eu-west-1'])\n"
        "print(json.loads(out.getvalue())['KeyMetadata']['KeyState'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    env["AWS_CONFIG_FILE"] = str(tmp_path / "no-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "no-credentials")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip() == "PendingImport", result.stderr
