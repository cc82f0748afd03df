"""Command line: ``python -m kmsimport_mock demo``, ``serve`` and ``clear-key-cache``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kmsimport_mock")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the documented BYOK flow against the mock")
    demo.add_argument("--region", default="eu-west-1")
    clear = commands.add_parser(
        "clear-key-cache", help="delete the RSA wrapping keys kept between test runs"
    )
    clear.add_argument(
        "directory",
        nargs="?",
        help="the key cache directory (default: $KMSIMPORT_MOCK_KEY_CACHE, else "
        "pytest's .pytest_cache/d/kmsimport_mock/wrapping-keys here)",
    )
    serve = commands.add_parser("serve", help="serve the mock as a local KMS HTTP endpoint")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    serve.add_argument("--port", type=int, default=4599, help="0 picks a free port")
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
