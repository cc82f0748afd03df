"""``--state-dir`` persistence: what is saved, and that a failed save never damages the file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from kms_testing import create_external_key, import_material, material_for

from kmsimport_mock import KmsImportMock
from kmsimport_mock.backend.store import KmsBackend
from kmsimport_mock.transport import persistence


def test_saved_state_loads_into_an_equal_backend(
    kms: Any, kms_import: KmsImportMock, tmp_path: Path
) -> None:
    for key_spec in ("SYMMETRIC_DEFAULT", "HMAC_384", "ECC_NIST_P256"):
        key_id = create_external_key(kms, key_spec)["KeyId"]
        algorithm = "RSA_AES_KEY_WRAP_SHA_256" if key_spec.startswith("ECC") else None
        import_material(
            kms, key_id, material_for(key_spec), algorithm=algorithm or "RSAES_OAEP_SHA_256"
        )
    kms.schedule_key_deletion(KeyId=create_external_key(kms)["KeyId"], PendingWindowInDays=7)
    primary = create_external_key(kms, MultiRegion=True)["KeyId"]
    import_material(kms, primary, material_for("SYMMETRIC_DEFAULT"))
    kms.replicate_key(KeyId=primary, ReplicaRegion="us-west-2")
    persistence.save(kms_import.backend, tmp_path)

    restored = KmsBackend()
    assert persistence.load(restored, tmp_path)
    assert restored.all_keys() == kms_import.backend.all_keys()
    assert restored.tokens.secret == kms_import.backend.tokens.secret


def test_saved_state_keeps_aliases_tags_policies_and_descriptions(
    kms: Any, kms_import: KmsImportMock, make_client: Any, tmp_path: Path
) -> None:
    key_id = kms.create_key(Description="kept", Tags=[{"TagKey": "a", "TagValue": "b"}])[
        "KeyMetadata"
    ]["KeyId"]
    kms.put_key_policy(KeyId=key_id, Policy='{"Statement": []}')
    kms.create_alias(AliasName="alias/kept", TargetKeyId=key_id)
    other_region = make_client("us-east-1")
    other_region.create_alias(
        AliasName="alias/kept", TargetKeyId=other_region.create_key()["KeyMetadata"]["KeyId"]
    )
    persistence.save(kms_import.backend, tmp_path)

    restored = KmsBackend()
    assert persistence.load(restored, tmp_path)
    assert restored.all_aliases() == kms_import.backend.all_aliases()
    (key,) = [k for k in restored.all_keys() if k.key_id == key_id]
    assert (key.description, key.tags, key.policy) == (
        "kept",
        [{"TagKey": "a", "TagValue": "b"}],
        '{"Statement": []}',
    )


def test_state_saved_without_aliases_loads(
    kms: Any, kms_import: KmsImportMock, tmp_path: Path
) -> None:
    kms.create_key()
    persistence.save(kms_import.backend, tmp_path)
    path = persistence.state_file(tmp_path)
    document = json.loads(path.read_bytes())
    del document["aliases"]
    path.write_text(json.dumps(document))
    restored = KmsBackend()
    assert persistence.load(restored, tmp_path)
    assert restored.all_aliases() == []


def test_load_reports_no_state_in_an_empty_directory(tmp_path: Path) -> None:
    assert persistence.load(KmsBackend(), tmp_path) is False


def test_failed_save_leaves_the_previous_file_whole(
    kms: Any, kms_import: KmsImportMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_external_key(kms)
    persistence.save(kms_import.backend, tmp_path)
    before = persistence.state_file(tmp_path).read_bytes()
    create_external_key(kms)

    def crash(*args: Any) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        persistence.save(kms_import.backend, tmp_path)
    assert persistence.state_file(tmp_path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [persistence.FILE_NAME]
