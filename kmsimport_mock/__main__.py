"""Command line: ``python -m kmsimport_mock demo``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kmsimport_mock")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the documented BYOK flow against the mock")
    demo.add_argument("--region", default="eu-west-1")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run_demo

        run_demo(region=args.region)
    return 0


if __name__ == "__main__":
    sys.exit(main())
