"""Command line: ``python -m kmsimport_mock demo``."""

from __future__ import annotations

import argparse
import sys


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
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run_demo

        run_demo(region=args.region)
    elif args.command == "clear-key-cache":
        return _clear_key_cache(args.directory)
    return 0


def _clear_key_cache(directory: str | None) -> int:
    from pathlib import Path

    from .key_cache import KeyCache, key_cache_from_environment

    path = Path(directory) if directory else key_cache_from_environment()
    if path is None:
        path = Path(".pytest_cache", "d", "kmsimport_mock", "wrapping-keys")
    removed = KeyCache(path).clear()
    print(f"removed {removed} wrapping key(s) from {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
