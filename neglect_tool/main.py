"""The `neglect-tool` entry point: no command starts the desktop app, a command runs headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence

# global options that take a value; everything else starting with "-" is a flag (or a Qt option)
_OPTIONS_WITH_VALUE = ("--store", "--passphrase-file", "--quit-after")


def _wants_gui(argv: Sequence[str]) -> bool:
    """True when argv holds only global options (e.g. `--store PATH`) and no subcommand.

    Decided by scanning argv rather than building the CLI parser, so the app's start never imports the
    command modules.
    """
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help", "--version"):
            return False
        if arg == "--self-test":
            return True
        if arg in _OPTIONS_WITH_VALUE:
            i += 2
            continue
        if not arg.startswith("-"):
            return False  # a subcommand
        i += 1
    return True


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
