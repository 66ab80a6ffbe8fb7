"""`neglect-tool export summary --case REF [--round ID] --out FILE.pdf [--redact] [--protect|--no-protect]`.

The printable meeting summary (A4 PDF). It is password protected by default (AES-256); the password comes from
$NEGLECT_TOOL_PDF_PASSWORD or a prompt, never from the command line. `--no-protect` writes a plain PDF, with
a warning: it holds special category data about a child.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from ..domain import DomainError
from ..services.file_names import check_export_name
from ..storage.errors import StoreError
from .errors import CliError
from .store_cmd import open_session

PDF_PASSWORD_ENV = "NEGLECT_TOOL_PDF_PASSWORD"


def register_export(kinds: Any) -> None:
    summary = kinds.add_parser(
        "summary", help="the meeting summary of a round as a printable PDF (password protected by default)",
        description="Write the meeting summary of one round as an A4 PDF: identifiers, who contributed, the "
        "parent/carer's view, the profile by section with charts, agreement figures, what the meeting agreed "
        "and what is unresolved, information gaps, strengths, the child's voice, change over time, the plan "
        "and the next review. Every page is marked OFFICIAL-SENSITIVE. The PDF password is read from "
        f"${PDF_PASSWORD_ENV}, else asked for.")
    summary.add_argument("--case", required=True, metavar="REF", help="the case reference, e.g. NB-2026-0147")
    summary.add_argument("--round", metavar="ID", help="the round's id (default: the latest round with an agreed "
                         "view)")
    summary.add_argument("--out", required=True, metavar="FILE.pdf",
                         help="the PDF to write; name it by case reference, never by the child's name")
    summary.add_argument("--redact", action="store_true",
                         help="initials only for the child and family; leave out the date of birth and NHS number")
    summary.add_argument("--protect", action=argparse.BooleanOptionalAction, default=True,
                         help="encrypt the PDF with a password (AES-256; the default). --no-protect writes it "
                         "unencrypted")
    summary.add_argument("--overwrite", action="store_true", help="replace an existing file of that name")
    summary.set_defaults(func=run_summary)


def _round_id(raw: str | None) -> uuid.UUID | None:
    if raw is None:
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise CliError(f"--round must be a round id (a UUID such as 3f2a9c1d-...), not {raw!r}") from None


def _pdf_password() -> str:
    from ..export.pdf_secure import MIN_PASSWORD_CHARS

    password = os.environ.get(PDF_PASSWORD_ENV, "")
    if not password:
        if not sys.stdin.isatty():
            raise CliError(f"no PDF password: set ${PDF_PASSWORD_ENV}, run in a terminal to be asked, or use "
                           "--no-protect")
        password = getpass.getpass("Password for the PDF: ")
        if getpass.getpass("Type it again: ") != password:
            raise CliError("the two passwords differ")
    if len(password) < MIN_PASSWORD_CHARS:
        raise CliError(f"the PDF password must have at least {MIN_PASSWORD_CHARS} characters")
    return password


def _check_out(path: Path, overwrite: bool) -> None:
    if path.suffix.lower() != ".pdf":
        raise CliError(f"--out must name a .pdf file, not {path.name!r}")
    if path.exists() and not overwrite:
        raise CliError(f"{path} already exists; choose another name or add --overwrite")


def run_summary(args: argparse.Namespace) -> int:
    from ..export.pdf_secure import PdfExportError
    from ..export.summary_pdf import export_summary_pdf
    from ..services.summary import build_summary

    out = Path(args.out)
    _check_out(out, args.overwrite)
    round_id = _round_id(args.round)
    password = _pdf_password() if args.protect else None
    session = open_session(args)
    try:
        store = session.store
        family = store.families.get_by_ref(args.case)
        check_export_name(store, family.id, out, f"{family.case_ref}-summary.pdf")
        data = build_summary(store, args.case, round_id, redact=args.redact)
        result = export_summary_pdf(data, out, password=password, overwrite=args.overwrite)
    except (StoreError, DomainError, PdfExportError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        session.lock()
    state = "DRAFT (the agreed view is not final)" if result.draft else "final"
    print(f"Summary {data.document.document_id} version {data.document.version} ({state}): {result.pages} pages, "
          f"{result.bytes // 1024} KiB, written to {result.path}")
    if result.protected:
        print("The PDF is encrypted (AES-256); it opens with the password you gave.")
    else:
        print("Warning: this PDF is NOT encrypted and holds special category data about a child. Keep it on an "
              "encrypted device, file it in the record and delete local copies.", file=sys.stderr)
    return 0
