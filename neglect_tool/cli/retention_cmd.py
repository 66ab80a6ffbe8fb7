"""`neglect-tool retention list|close|reopen|erase`: closed cases due for erasure, and erasing them for real.

`erase` asks for the case reference to be typed back; for automation `--yes-i-have-filed-it REF` must still
equal the case reference. Listings name cases by reference only, never by a person's name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..domain import DomainError
from ..paths import default_store_path
from ..services.retention import (
    RETENTION_MESSAGE,
    CaseRetentionView,
    erase_case,
    retention_due,
    retention_overview,
)
from ..services.retention import close_case as close_service
from ..services.retention import reopen_case as reopen_service
from ..services.settings import load_settings
from ..storage.errors import StoreError
from .errors import CliError
from .output import print_json, print_table
from .store_cmd import open_session

_ERASE_HELP = """\
Erasing is final: every record of the case (children, rounds, rating sheets, consensus, plan) is deleted with
secure delete, and the store file is rewritten so nothing of it is left. The audit trail keeps a line saying
that the case was erased (ids and counts only). Backups made earlier, exported record files and printed or
saved PDFs are copies the store cannot reach: delete them as well.
"""


def register(subparsers: Any) -> None:
    retention = subparsers.add_parser("retention", help="closed cases due for erasure; close, reopen or erase a case")
    sub = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="closed cases kept longer than the retention period in the settings")
    listing.add_argument("--all", action="store_true", help="every case with its retention state")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    close = sub.add_parser("close", help="mark a case closed (its retention period starts on that date)")
    close.add_argument("--case", required=True, metavar="REF")
    close.add_argument("--on", metavar="YYYY-MM-DD", type=_date, help="the closing date (default: today)")
    close.set_defaults(func=run_close)
    reopen = sub.add_parser("reopen", help="mark a closed case active again")
    reopen.add_argument("--case", required=True, metavar="REF")
    reopen.set_defaults(func=run_reopen)
    erase = sub.add_parser("erase", help="erase a closed case from this store for real",
                           epilog=_ERASE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    erase.add_argument("--case", required=True, metavar="REF")
    erase.add_argument("--yes-i-have-filed-it", metavar="REF", dest="confirm_ref",
                       help="confirm without a prompt (for scripts): must be the case reference again")
    erase.set_defaults(func=run_erase)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _row(view: CaseRetentionView) -> dict[str, Any]:
    return {"case_ref": view.case_ref, "state": view.state.value,
            "closed_on": view.closed_on.isoformat() if view.closed_on else None,
            "keep_until": view.keep_until.isoformat() if view.keep_until else None,
            "due": view.due, "message": view.message}


def run_list(args: argparse.Namespace) -> int:
    months = load_settings().closed_case_retention_months
    today = dt.date.today()
    session = open_session(args)
    try:
        views = (retention_overview if args.all else retention_due)(session.store, months, today)
    except (StoreError, DomainError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    if args.json:
        print_json({"retention_months": months, "today": today.isoformat(), "cases": [_row(v) for v in views]})
        return 0
    if not views:
        print(f"No closed case has been kept longer than {months} months." if not args.all else "No cases.")
        return 0
    print_table(("Case", "State", "Closed on", "Keep until", "Due"),
                [(v.case_ref, v.state.label, v.closed_on or "-", v.keep_until or "-", "due" if v.due else "")
                 for v in views])
    if any(v.due for v in views):
        print(f"\nCases marked due: {RETENTION_MESSAGE}")
    return 0


def run_close(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        view = close_service(session.store, args.case, args.on or dt.date.today())
    except (StoreError, DomainError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    print(f"Case {view.case_ref} closed on {view.closed_on}.")
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        reopen_service(session.store, args.case)
    except (StoreError, DomainError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    print(f"Case {args.case.strip()} is active again.")
    return 0


def _typed_confirmation(args: argparse.Namespace) -> str:
    if args.confirm_ref is not None:
        return str(args.confirm_ref)
    if not sys.stdin.isatty():
        raise CliError("erasing needs confirmation: run in a terminal, or pass --yes-i-have-filed-it REF")
    print(f"This erases case {args.case.strip()} from this store for good. {RETENTION_MESSAGE}", file=sys.stderr)
    return input("Type the case reference to confirm: ")


def run_erase(args: argparse.Namespace) -> int:
    typed = _typed_confirmation(args)
    if typed.strip() != args.case.strip():
        raise CliError("the case reference typed does not match; nothing was erased")
    session = open_session(args)
    try:
        erased = erase_case(session.store, args.case, typed)
    except (StoreError, DomainError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    print(f"Case {erased.case_ref} was erased from {default_store_path(args.store)}; the audit trail records "
          "the erasure.")
    if erased.older_backups:
        print("These older encrypted backups may still hold it; delete them if they are no longer needed:")
        for path in erased.older_backups:
            print(f"  {path}")
    print("Exported record files, PDFs and backups you wrote elsewhere are not reached by this: delete them too.")
    return 0
