"""The command line, ``python -m kmsimport_mock``: help, version, the demo in each partition."""

from __future__ import annotations

import io

import pytest

import kmsimport_mock
from kmsimport_mock.__main__ import main
from kmsimport_mock.demo import run_demo


def test_bare_command_prints_the_help_and_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m kmsimport_mock")
    assert "serve" in err and "demo" in err
    assert err.rstrip().endswith("start with `python -m kmsimport_mock demo`")


def test_help_describes_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "offline, strict mock of AWS KMS key-material import" in capsys.readouterr().out


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"kmsimport_mock {kmsimport_mock.__version__}\n"


def test_serve_help_shows_the_default_host_and_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 127.0.0.1)" in out
    assert "(default: 4599)" in out


def test_demo_region_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--region REGION a Region botocore knows for KMS" in out


def test_demo_refuses_a_region_botocore_does_not_know_for_kms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--region", "eu-west-9"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "'eu-west-9' is not a Region with KMS in botocore's endpoint data" in err
    assert "cn-north-1" in err


@pytest.mark.parametrize("region", ["eu-west-1", "cn-north-1", "us-gov-west-1"])
def test_demo_runs_every_step_in_each_partition(region: str) -> None:
    out = io.StringIO()
    run_demo(out, region=region)
    text = out.getvalue()
    assert text.count("exactly the material sent") == 4
    assert text.count("a tampered token is refused    InvalidImportTokenException") == 4
    assert text.rstrip().endswith(f"in {region}.")


def test_demo_in_china_imports_16_byte_sm4_and_sm2_material() -> None:
    out = io.StringIO()
    run_demo(out, region="cn-northwest-1")
    text = out.getvalue()
    assert "3. wrap the key material          16 bytes" in text
    assert "SM2 (SIGN_VERIFY) wrapped with SM2PKE / SM2" in text
