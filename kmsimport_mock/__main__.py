"""Command line: ``python -m kmsimport_mock demo``, ``serve`` and ``clear-key-cache``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
kmsimport_mock: an offline, strict mock of AWS KMS key-material import (BYOK).
In tests, use it in-process (mock_kms_import, or the kms_import pytest fixture);
this command runs the demo, serves a local KMS endpoint for any SDK, or clears the
wrapping-key cache."""

EPILOG = """\
examples:
  python -m kmsimport_mock demo
  python -m kmsimport_mock demo --region cn-north-1
  python -m kmsimport_mock serve --port 4599
  python -m kmsimport_mock <command> --help"""


def _kms_region(value: str) -> str:
    """A Region botocore's endpoint data has KMS in (any partition)."""
    import botocore.session

    session = botocore.session.get_session()
    regions = {
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("kms", partition)
    }
    if value not in regions:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a Region with KMS in botocore's endpoint data; "
            f"one of: {', '.join(sorted(regions))}"
        )
    return value


def main(argv: list[str] | None = None) -> int:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="python -m kmsimport_mock",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kmsimport_mock {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="<command>")
    demo = commands.add_parser(
        "demo",
        help="run the documented BYOK flow against the mock",
        description="Run the documented BYOK flow (create, wrap, import, delete, reimport) "
        "for four key specs against the mock, offline, and show every step.",
    )
    demo.add_argument(
        "--region",
        default="eu-west-1",
        type=_kms_region,
        metavar="REGION",
        help="a Region botocore knows for KMS; cn-north-1 and cn-northwest-1 show "
        "the China Regions (SM4, SM2) (default: %(default)s)",
    )
    clear = commands.add_parser(
        "clear-key-cache", help="delete the RSA wrapping keys kept between test runs"
    )
    clear.add_argument(
        "directory",
        nargs="?",
        help="the key cache directory (default: $KMSIMPORT_MOCK_KEY_CACHE, else "
        "pytest's .pytest_cache/d/kmsimport_mock/wrapping-keys here)",
    )
    serve = commands.add_parser(
        "serve",
        help="serve the mock as a local KMS HTTP endpoint",
        description="Serve the mock as a local KMS endpoint (JSON 1.1 over HTTP) for any SDK "
        "or tool: point them at the URL it prints.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; keep loopback, the endpoint has no authentication "
        "(default: %(default)s)",
    )
    serve.add_argument(
        "--port", type=int, default=4599, help="0 picks a free port (default: %(default)s)"
    )
    serve.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="keep state here across restarts (one server per directory; see docs/state-dir.md)",
    )
    serve.add_argument(
        "--seed",
        type=Path,
        default=None,
        metavar="FILE",
        help="create these keys (JSON, or YAML with PyYAML) at start, with fixed ids",
    )
    serve.add_argument(
        "--max-connections",
        type=_positive,
        default=100,
        help="connections open at once; more wait in the listen queue (default 100)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_positive,
        default=30,
        metavar="SECONDS",
        help="close keep-alive connections idle this long (default 30)",
    )
    serve.add_argument(
        "--map-access-key",
        action="append",
        default=[],
        metavar="ACCESS_KEY_ID=ACCOUNT_ID",
        help="requests signed with this access key act as this account (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        print(
            "\nerror: name a command; start with `python -m kmsimport_mock demo`",
            file=sys.stderr,
        )
        return 2
    if args.command == "demo":
        from .demo import run_demo

        run_demo(region=args.region)
        return 0
    if args.command == "clear-key-cache":
        return _clear_key_cache(args.directory)
    access_keys: dict[str, str] = {}
    for mapping in args.map_access_key:
        access_key_id, _, account_id = mapping.partition("=")
        if not (access_key_id and account_id.isdigit() and len(account_id) == 12):
            parser.error(f"--map-access-key wants ACCESS_KEY_ID=12-digit account, not {mapping!r}")
        access_keys[access_key_id] = account_id
    from .transport.server import serve as run_server

    return run_server(
        args.host,
        args.port,
        args.state_dir,
        access_keys,
        seed=args.seed,
        max_connections=args.max_connections,
        idle_timeout=args.idle_timeout,
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not at least 1")
    return value


def _clear_key_cache(directory: str | None) -> int:
    from .wrapping_key_cache import KeyCache, key_cache_from_environment

    path = Path(directory) if directory else key_cache_from_environment()
    if path is None:
        path = Path(".pytest_cache", "d", "kmsimport_mock", "wrapping-keys")
    removed = KeyCache(path).clear()
    print(f"removed {removed} wrapping key(s) from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
