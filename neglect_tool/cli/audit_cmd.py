"""`neglect-tool audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

import argparse

from .output import print_json
from .store_cmd import open_session


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = subparsers.add_parser("audit", help="the append-only audit trail")
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check that no audit entry was edited, removed or reordered")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        report = session.store.audit.verify()
    finally:
        session.lock()
    if args.json:
        print_json({"ok": report.ok, "entries": report.entries_checked, "head_hash": report.head_hash,
                    "first_bad_seq": report.first_bad_seq, "problem": report.problem})
    elif report.ok:
        print(f"OK: {report.entries_checked} audit entries, hash chain intact")
        print(f"Newest entry's hash: {report.head_hash}")
        print("(Keep this line somewhere else, e.g. the case file: the chain shows any change to history, but "
              "only a copy kept outside the store shows that its newest entries were cut off.)")
    else:
        print(f"BROKEN at entry {report.first_bad_seq}: {report.problem}")
    return 0 if report.ok else 1
