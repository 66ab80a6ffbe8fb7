"""`neglect-tool erase-all`: remove everything the app keeps on this laptop (for a leaver).

Asks for the phrase "erase everything" to be typed; `--confirm "erase everything"` for automation. The store
is not opened (no passphrase is needed: a leaver may not remember it, and the files go anyway).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..domain import DomainError
from ..services.erase_all import CONFIRM_PHRASE, ErasePlan, erase_all, plan_erase_all
from .errors import CliError
from .output import print_json

_HELP = """\
Removes: the store and its -wal/-shm files, the encrypted backups migrations keep beside it, the settings
and config folder (including the window settings), the app's cache folder, and the data folder once empty.
Add --also FILE for backups or exported records kept elsewhere (only encrypted neglect_tool files are
accepted). Files are deleted, not overwritten: on an SSD overwriting gives no assurance, and every file
with case data is encrypted. Exported files, PDFs and printouts elsewhere are not reached.
"""


def register(subparsers: Any) -> None:
    erase = subparsers.add_parser("erase-all", help="remove everything this app keeps on this laptop",
                                  epilog=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    erase.add_argument("--confirm", metavar="PHRASE", help=f'confirm without a prompt: the phrase "{CONFIRM_PHRASE}"')
    erase.add_argument("--also", metavar="FILE", action="append", default=[],
                       help="another encrypted backup or record file of yours to remove (repeatable)")
    erase.add_argument("--dry-run", action="store_true", help="list what would be removed; remove nothing")
    erase.add_argument("--json", action="store_true")
    erase.set_defaults(func=run_erase_all)


def _listing(plan: ErasePlan) -> list[str]:
    lines = [str(p) for p in (*plan.files, *plan.folders)]
    if plan.data_folder.exists():
        lines.append(f"{plan.data_folder} (if it is then empty)")
    return lines


def _confirmation(args: argparse.Namespace, plan: ErasePlan) -> str:
    if args.confirm is not None:
        return str(args.confirm)
    if not sys.stdin.isatty():
        raise CliError(f'erase-all needs confirmation: run in a terminal, or pass --confirm "{CONFIRM_PHRASE}"')
    print("This removes, for good:", file=sys.stderr)
    for line in _listing(plan):
        print(f"  {line}", file=sys.stderr)
    return input(f'Type "{CONFIRM_PHRASE}" to confirm: ')


def run_erase_all(args: argparse.Namespace) -> int:
    try:
        plan = plan_erase_all(Path(args.store) if args.store else None, [Path(p) for p in args.also])
    except DomainError as exc:
        raise CliError(str(exc)) from exc
    if args.dry_run:
        if args.json:
            print_json({"would_remove": _listing(plan)})
        else:
            print("Would remove:" if not plan.empty else "Nothing of this app was found.")
            for line in _listing(plan):
                print(f"  {line}")
        return 0
    if plan.empty:
        print("Nothing of this app was found on this laptop.")
        return 0
    try:
        report = erase_all(_confirmation(args, plan), plan)
    except DomainError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"could not remove everything ({exc.__class__.__name__}: {exc.strerror}); run it again "
                       "after closing the app") from exc
    if args.json:
        print_json({"removed_files": [str(p) for p in report.removed_files],
                    "removed_folders": [str(p) for p in report.removed_folders],
                    "left": [str(p) for p in report.left], "notes": list(report.notes)})
    else:
        for line in report.lines():
            print(line)
    return 0
