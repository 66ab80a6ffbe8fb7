"""`neglect-tool store init|check|backup|rekey`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..domain import Agency
from ..paths import default_store_path
from ..services.session import Session
from ..storage.errors import StoreCorrupt, StoreError
from .errors import CliError
from .output import print_json
from .passphrase import get_secret, store_passphrase

NO_RECOVERY = (
    "Remember: a forgotten passphrase cannot be recovered by anyone. Without it the store cannot be opened."
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    store = subparsers.add_parser("store", help="create, check, back up or rekey the encrypted store")
    sub = store.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create a new, empty encrypted store at --store")
    init.add_argument("--name", required=True, help="your name (recorded with every change you make)")
    init.add_argument("--role", required=True, help="your role, e.g. 'Social worker'")
    init.add_argument("--agency", choices=[a.value for a in Agency], default=Agency.SOCIAL_CARE.value)
    init.set_defaults(func=run_init)
    check = sub.add_parser("check", help="full integrity check (cipher HMACs and database structure)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=run_check)
    backup = sub.add_parser("backup", help="write an encrypted backup (same passphrase) to PATH")
    backup.add_argument("path", metavar="PATH")
    backup.set_defaults(func=run_backup)
    rekey = sub.add_parser("rekey", help="change the store's passphrase")
    rekey.add_argument("--new-passphrase-file", metavar="FILE",
                       help="read the new passphrase from FILE (else $NEGLECT_TOOL_NEW_PASSPHRASE, else a prompt)")
    rekey.set_defaults(func=run_rekey)


def _unlock(args: argparse.Namespace) -> Session:
    return Session.unlock(default_store_path(args.store), store_passphrase(args.passphrase_file))


def open_session(args: argparse.Namespace) -> Session:
    try:
        return _unlock(args)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def run_init(args: argparse.Namespace) -> int:
    path = default_store_path(args.store)
    if path.exists():
        raise CliError(f"{path} already exists; refusing to overwrite it")
    passphrase = store_passphrase(args.passphrase_file, confirm=True)
    try:
        session = Session.create(path, passphrase, owner_name=args.name, owner_role=args.role,
                                 owner_agency=Agency(args.agency))
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    session.lock()
    print(f"Created an encrypted store at {path}")
    print(NO_RECOVERY)
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        session = _unlock(args)
    except StoreCorrupt as exc:  # damage found while opening is the check's answer, not a failure to run it
        if args.json:
            print_json({"ok": False, "cipher_problems": [], "integrity_problems": [str(exc)]})
        else:
            print(f"DAMAGED: {exc}")
        return 1
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    try:
        report = session.store.check()
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    if args.json:
        print_json({"ok": report.ok, "cipher_problems": list(report.cipher_problems),
                    "integrity_problems": list(report.integrity_problems), "pages": report.page_count,
                    "bytes": report.file_bytes})
    else:
        print(f"{'OK' if report.ok else 'DAMAGED'}: {report.page_count} pages, {report.file_bytes} bytes")
        for problem in (*report.cipher_problems, *report.integrity_problems):
            print(f"  {problem}")
    return 0 if report.ok else 1


def run_backup(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        dest = session.store.backup(Path(args.path))
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    print(f"Encrypted backup written to {dest} (it opens with the same passphrase)")
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        new = get_secret(env_var="NEGLECT_TOOL_NEW_PASSPHRASE", file_arg=args.new_passphrase_file,
                         prompt="New passphrase: ", confirm=True)
        session.store.rekey(new)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    print("Passphrase changed; the store was reopened with the new passphrase to prove it.")
    print(NO_RECOVERY)
    return 0
