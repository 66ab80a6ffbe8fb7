"""The `neglect-tool` command line: headless subcommands over the same services as the app.

Each command module exposes `register(subparsers)` which adds its parser and sets `func` (taking the
parsed args, returning an exit status). Conventions: global `--store PATH` (or $NEGLECT_TOOL_STORE),
store passphrase from $NEGLECT_TOOL_PASSPHRASE or `--passphrase-file FILE` else a prompt, `--json` on
listings, exit 0 on success and non-zero with a one-line reason on stderr otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from .errors import CliError

# modules under neglect_tool.cli that add subcommands, in the order `--help` lists them
COMMAND_MODULES = (
    "store_cmd", "cases_cmd", "demo_cmd", "audit_cmd", "forms_cmd", "agreement_cmd", "export_cmd",
    "retention_cmd", "erase_all_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neglect-tool",
        description="Offline, encrypted multi-agency child neglect checklist. "
        "With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"neglect-tool {__version__}")
    parser.add_argument("--store", metavar="PATH", help="the store file (default: $NEGLECT_TOOL_STORE, "
                        "else your private data folder)")
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="read the store passphrase from FILE "
                        "(else $NEGLECT_TOOL_PASSPHRASE, else a prompt)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def run_cli(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"neglect-tool: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("neglect-tool: interrupted", file=sys.stderr)
        return 130
