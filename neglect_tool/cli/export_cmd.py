"""`neglect-tool export ...` and `neglect-tool import`: one parser group, filled by the modules that own each kind.

`export record|sheet` and `import` live in exchange_cmd (encrypted records); `export summary` in summary_cmd
(the printable PDF). Each exposes `register_export(export_subparsers)`; exchange_cmd also exposes
`register_import(subparsers)`. A missing module simply leaves its subcommands out.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

_EXPORT_MODULES = ("exchange_cmd", "summary_cmd")


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="export a case as an encrypted record or a printable PDF summary",
        description="Export a case or a rating sheet. Nothing is written in plain text unless you ask for "
        "an unprotected PDF.",
    )
    kinds = export.add_subparsers(dest="export_kind", metavar="KIND")
    export.set_defaults(func=lambda args: _missing_kind(export))
    for name in _EXPORT_MODULES:
        module = _optional(name)
        if module is not None:
            module.register_export(kinds)
            if hasattr(module, "register_import"):
                module.register_import(subparsers)


def _missing_kind(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise
        return None
