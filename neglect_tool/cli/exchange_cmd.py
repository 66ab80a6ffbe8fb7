"""`neglect-tool export record|sheet` and `neglect-tool import FILE`: encrypted record files between stores.

Passphrases never come from the command line: the export passphrase from $NEGLECT_TOOL_EXPORT_PASSPHRASE or
`--export-passphrase-file FILE`, else a new one of random words is generated and shown once on stderr; the
import passphrase from $NEGLECT_TOOL_IMPORT_PASSPHRASE or `--import-passphrase-file FILE`, else a prompt.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from ..domain import DomainError
from ..services import sharing
from ..services.sharing import Decision, MergePlan, PossibleDuplicate
from ..storage.errors import StoreError
from .errors import CliError
from .output import print_json
from .passphrase import get_secret, read_secret_file
from .store_cmd import open_session

EXPORT_PASSPHRASE_ENV = "NEGLECT_TOOL_EXPORT_PASSPHRASE"
IMPORT_PASSPHRASE_ENV = "NEGLECT_TOOL_IMPORT_PASSPHRASE"

_SETTINGS = ("The file is a SQLCipher 4 database with SQLCipher's standard passphrase settings (PBKDF2-HMAC-SHA512, "
             "256,000 iterations, AES-256, HMAC-SHA512, 4096-byte pages): any SQLCipher 4 tool opens it with the "
             "passphrase.")

_IMPORT_HELP = """\
The file is checked completely before the store is touched (passphrase, structure, values, content hash).
Entities are matched by their ids: new ones are added, identical ones skipped, a submitted sheet that differs
from the one here is a conflict (reported, not applied), an amended version is added alongside the earlier
one, and where both sides changed the same record the more recent change wins (the other is reported).

Possible duplicates (a case or child here under another id with the same NHS number, the same name and date
of birth, or the same case reference) need a decision: --link treats each as the same case or child (the
incoming one is mapped onto the one here, whose details are kept); --keep-apart keeps them separate. With
neither, you are asked pair by pair in a terminal; without a terminal the import stops and changes nothing.
Everything imported is recorded in the store's audit trail. Use --dry-run first to see what would happen.
"""


def register_export(kinds: Any) -> None:
    record = kinds.add_parser(
        "record", help="a whole case as an encrypted record file (.ntrec) for another practitioner",
        description="Export a case (family, children, professionals, rounds, every sheet version, consensus, "
        "plan and their audit entries) to one encrypted file with its own passphrase. " + _SETTINGS)
    record.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. NB-2026-0147")
    _export_options(record)
    record.set_defaults(func=run_export_record)
    sheet = kinds.add_parser(
        "sheet", help="one rating sheet as an encrypted record file (.ntrec)",
        description="Export one rating sheet (with the versions it amends) and the identifiers the receiver "
        "needs to place it: the round, and the child's and case's identifying details. " + _SETTINGS)
    sheet.add_argument("--sheet", required=True, metavar="ID", help="the sheet's id")
    _export_options(sheet)
    sheet.set_defaults(func=run_export_sheet)


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE", help="the file (or folder) to write; default: the case "
                        "reference (or a random id for a sheet) + .ntrec in the current folder")
    parser.add_argument("--export-passphrase-file", metavar="FILE",
                        help=f"read the record's passphrase from FILE (else ${EXPORT_PASSPHRASE_ENV}, else a new "
                        "one of random words is generated and shown once)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing file of that name")


def register_import(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import", help="import an encrypted record file (.ntrec) into the store",
        description="Import a case or sheet from an encrypted record file.", epilog=_IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported; change nothing")
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--link", action="store_true", help="treat every possible duplicate as the same case/child")
    choice.add_argument("--keep-apart", action="store_true", help="keep every possible duplicate separate")
    imp.add_argument("--import-passphrase-file", metavar="FILE",
                     help=f"read the record's passphrase from FILE (else ${IMPORT_PASSPHRASE_ENV}, else a prompt)")
    imp.add_argument("--json", action="store_true", help="print the plan as JSON")
    imp.set_defaults(func=run_import)


# --- export ----------------------------------------------------------------------------------------------


def _export_passphrase(args: argparse.Namespace) -> tuple[str, bool]:
    """(passphrase, generated?): the file named on the command line, then the env var, then new words."""
    if args.export_passphrase_file:
        return read_secret_file(args.export_passphrase_file), False
    from_env = os.environ.get(EXPORT_PASSPHRASE_ENV)
    if from_env:
        return from_env, False
    return sharing.new_export_passphrase(), True


def _run_export(args: argparse.Namespace, export: Any) -> int:
    passphrase, generated = _export_passphrase(args)
    session = open_session(args)
    try:
        result = export(session.store, passphrase, Path(args.out) if args.out else None, overwrite=args.overwrite)
    except (StoreError, DomainError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    counts = result.counts
    print(f"Encrypted record written to {result.path} ({result.bytes // 1024} KiB): {counts['children']} "
          f"child(ren), {counts['rounds']} round(s), {counts['sheets']} sheet(s), {counts['answers']} answers.")
    print(f"Content hash: {result.manifest.content_hash}")
    if generated:
        print(f"Record passphrase (shown once; give it to the receiver separately, e.g. by phone):\n  {passphrase}",
              file=sys.stderr)
    return 0


def run_export_record(args: argparse.Namespace) -> int:
    return _run_export(args, lambda store, pw, dest, **kw: sharing.export_case(store, args.case, pw, dest, **kw))


def run_export_sheet(args: argparse.Namespace) -> int:
    try:
        sheet_id = uuid.UUID(args.sheet)
    except ValueError as exc:
        raise CliError("--sheet takes a sheet id (a UUID)") from exc
    return _run_export(args, lambda store, pw, dest, **kw: sharing.export_sheet(store, sheet_id, pw, dest, **kw))


# --- import ----------------------------------------------------------------------------------------------


def _ask(pair: PossibleDuplicate) -> Decision:
    what = "case" if pair.kind == "family" else "child"
    # Questions go to stderr so that stdout stays clean for --json.
    print(f"\nPossible duplicate {what} ({pair.reason}):\n  incoming:  {pair.incoming_label}\n"
          f"  here:      {pair.existing_label}", file=sys.stderr)
    while True:
        print(f"Link them as the same {what} (l), or keep them apart (k)? ", end="", file=sys.stderr, flush=True)
        answer = input().strip().lower()
        if answer in ("l", "link"):
            return Decision.LINK
        if answer in ("k", "keep", "keep apart"):
            return Decision.KEEP_APART


def _decisions(args: argparse.Namespace, plan: MergePlan) -> dict[tuple[uuid.UUID, uuid.UUID], Decision]:
    if not plan.duplicates:
        return {}
    if args.link or args.keep_apart:
        return sharing.decide_all(plan, Decision.LINK if args.link else Decision.KEEP_APART)
    if args.dry_run:
        return {}
    if not sys.stdin.isatty():
        raise CliError(f"{len(plan.duplicates)} possible duplicate(s) need a decision: run again with --link or "
                       "--keep-apart (see --dry-run for the list), or in a terminal to be asked. Nothing was changed.")
    return {pair.key: _ask(pair) for pair in plan.duplicates}


def _plan_json(plan: MergePlan, record: sharing.LoadedRecord) -> dict[str, Any]:
    return {
        "applied": plan.applied, "kind": record.manifest.kind.value, "case_ref": record.manifest.case_ref,
        "exported_by": sharing.exporter_label(record), "created_at": record.manifest.created_at.isoformat(),
        "content_hash": record.manifest.content_hash, "counts": plan.counts(),
        "attention": [{"kind": e.kind, "id": str(e.incoming_id), "outcome": e.outcome.value, "what": e.label,
                       "reason": e.reason} for e in plan.needs_attention],
        "updates": [{"kind": e.kind, "id": str(e.incoming_id), "what": e.label, "reason": e.reason}
                    for e in plan.updates],
        "possible_duplicates": [{"kind": p.kind, "incoming_id": str(p.incoming_id), "existing_id": str(p.existing_id),
                                 "reason": p.reason, "incoming": p.incoming_label, "existing": p.existing_label}
                                for p in plan.duplicates],
        "warnings": list(plan.warnings),
        "sender_audit_entries": plan.sender_audit_entries,
    }


def _print_plan(plan: MergePlan, record: sharing.LoadedRecord) -> None:
    m = record.manifest
    print(f"Record of {m.kind.value} {m.case_ref}, exported by {sharing.exporter_label(record)} on "
          f"{m.created_at.date().isoformat()} (app {m.app_version}).")
    for line in plan.summary_lines():
        print(f"  {line}")
    for entry in plan.updates:
        print(f"  REPLACES: {entry.kind} {entry.label}: {entry.reason}")
    for entry in plan.needs_attention:
        print(f"  NOT APPLIED ({entry.outcome.value}): {entry.kind} {entry.label}: {entry.reason}")
    for pair in plan.duplicates:
        print(f"  possible duplicate {pair.kind}: {pair.incoming_label} / here: {pair.existing_label} ({pair.reason})")
    for warning in plan.warnings:
        print(f"  note: {warning}")
    if plan.sender_audit_entries:
        print(f"  note: the sender's audit trail ({plan.sender_audit_entries} entries) was checked and stays in the "
              "record file; this store's audit trail records the import and each change")


def run_import(args: argparse.Namespace) -> int:
    passphrase = get_secret(env_var=IMPORT_PASSPHRASE_ENV, file_arg=args.import_passphrase_file,
                            prompt="Record passphrase (from the sender): ")
    session = open_session(args)
    try:
        record = sharing.read_record(Path(args.file), passphrase)
        plan = sharing.preview_import(session.store, record)
        decisions = _decisions(args, plan)
        if decisions:
            plan = sharing.preview_import(session.store, record, decisions)
        if not args.dry_run:
            plan = sharing.apply_import(session.store, record, decisions)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    if args.json:
        print_json(_plan_json(plan, record))
        return 0
    _print_plan(plan, record)
    if args.dry_run:
        print("Dry run: nothing was changed.")
    elif plan.all_identical:
        print("Everything in the record is already here: nothing to import.")
    else:
        print("Imported; every change is recorded in the audit trail.")
    return 0
