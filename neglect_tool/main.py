"""The `neglect-tool` entry point: no command starts the desktop app, a command runs headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _wants_gui(argv: Sequence[str]) -> bool:
    """True when argv holds only global options (e.g. `--store PATH`) and no subcommand."""
    from .cli import build_parser

    parser = build_parser()
    known, _rest = parser.parse_known_args(list(argv))
    return known.command is None and not any(a in ("-h", "--help", "--version") for a in argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        return gui_main(args)
    from .cli import run_cli

    return run_cli(args)


def gui_main(argv: Sequence[str] | None = None) -> int:
    # Qt is imported only here, so headless commands never pay for it (or need a display).
    from .ui.app import run_app

    return run_app(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
