"""`neglect-tool cases list [--search TEXT] [--json]`."""

from __future__ import annotations

import argparse

from .output import print_json, print_table
from .store_cmd import open_session


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cases = subparsers.add_parser("cases", help="list the cases in the store")
    sub = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="case reference, family, children, latest round")
    listing.add_argument("--search", default="", help="name, case reference, case number or NHS number")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        cases = session.cases(args.search)
    finally:
        session.lock()
    if args.json:
        print_json([
            {"case_ref": c.case_ref, "family_name": c.family_name, "children": list(c.child_names),
             "latest_round_on": c.latest_round_on.isoformat() if c.latest_round_on else None,
             "latest_round_status": c.latest_round_status.value if c.latest_round_status else None,
             "next_review_on": c.next_review_on.isoformat() if c.next_review_on else None}
            for c in cases
        ])
        return 0
    print_table(
        ("Case", "Family", "Children", "Latest round", "Status"),
        [(c.case_ref, c.family_name, ", ".join(c.child_names),
          c.latest_round_on.isoformat() if c.latest_round_on else "-",
          c.latest_round_status.label if c.latest_round_status else "no round yet") for c in cases],
    )
    return 0
