"""Sharing a case or a rating sheet with another practitioner as an encrypted record file, and importing one.

The flow the app and the CLI share:
- export: `export_case` / `export_sheet` write one `.ntrec` file (SQLCipher 4, its own passphrase; see
  neglect_tool.storage.exchange.format), named by case reference or a random id, never by a person's
  name. `new_export_passphrase()` offers several random words to read out over the phone.
- import: `read_record` validates the file completely (nothing touches the store), `preview_import` is the
  dry run (what would be new, identical, updated, in conflict; possible duplicates to decide on), and
  `apply_import` applies it in one transaction, audited in the receiving store.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..forms.loader import get_form
from ..storage.exchange import (
    RECORD_SUFFIX,
    STANDARD_KDF_ITER,
    Decision,
    DecisionsNeeded,
    ExportRefused,
    FormText,
    LoadedRecord,
    Manifest,
    MergePlan,
    PossibleDuplicate,
    RecordContent,
    RecordTarget,
    apply_merge,
    gather_case,
    gather_sheet,
    open_record,
    plan_merge,
    write_record,
)
from ..storage.exchange.gather import note_export
from ..storage.keys import generate_passphrase
from ..storage.store import Store
from .file_names import check_export_name

__all__ = [
    "Decision",
    "ExportResult",
    "LoadedRecord",
    "MergePlan",
    "PossibleDuplicate",
    "apply_import",
    "export_case",
    "export_sheet",
    "exporter_label",
    "new_export_passphrase",
    "preview_import",
    "read_record",
    "record_file_name",
]

EXPORT_PASSPHRASE_WORDS = 8  # ~55 bits from the 120-word list, behind PBKDF2 with 256,000 iterations


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    manifest: Manifest
    bytes: int
    counts: dict[str, int]


def new_export_passphrase() -> str:
    """Random words joined by hyphens: offered for every export, shown once, never stored."""
    return generate_passphrase(EXPORT_PASSPHRASE_WORDS)


def record_file_name(case_ref: str | None = None, *, sheet: bool = False) -> str:
    """A file name that names nobody: the case reference (made safe for any file system) or a random id."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", case_ref or "").strip(".-")[:64]
    if sheet:
        return f"{safe + '-' if safe else ''}sheet-{secrets.token_hex(4)}{RECORD_SUFFIX}"
    return f"{safe or 'record-' + secrets.token_hex(4)}{RECORD_SUFFIX}"


def _destination(dest: Path | None, name: str) -> Path:
    if dest is None:
        return Path.cwd() / name
    dest = Path(dest).expanduser()
    return dest / name if dest.is_dir() else dest


def form_texts(keys: Iterable[tuple[str, int]]) -> tuple[FormText, ...]:
    """The TOML text of every form used, exactly as installed, to travel inside the record."""
    texts = []
    for form_id, version in keys:
        try:
            form = get_form(form_id, version)
            toml = Path(form.source_path).read_bytes().decode("utf-8").removeprefix("\ufeff")
        except (KeyError, OSError, UnicodeDecodeError) as exc:
            raise ExportRefused(f"Form {form_id} version {version} is not installed here, so it cannot travel with "
                                "the record.") from exc
        texts.append(FormText(form_id, version, toml))
    return tuple(texts)


def _write(store: Store, content: RecordContent, target: RecordTarget) -> ExportResult:
    content = dataclasses.replace(content, forms=form_texts(content.form_keys()))
    written = write_record(content, target, exported_by=store.owner_id, app_version=__version__)
    note_export(store, content, written.manifest)
    return ExportResult(written.path, written.manifest, written.bytes, content.counts())


def export_case(store: Store, case_ref: str, passphrase: str, dest: Path | None = None, *, overwrite: bool = False,
                kdf_iter: int = STANDARD_KDF_ITER) -> ExportResult:
    """The whole case (family, children, professionals, rounds, every sheet version, consensus, plan, audit)."""
    family = store.families.get_by_ref(case_ref)
    default = record_file_name(family.case_ref)
    destination = _destination(dest, default)
    check_export_name(store, family.id, destination, default)
    # The key derivation starts now, on its own thread, and runs while the case is gathered.
    with RecordTarget(destination, passphrase, overwrite=overwrite, kdf_iter=kdf_iter) as target:
        return _write(store, gather_case(store, family.id), target)


def export_sheet(store: Store, sheet_id: uuid.UUID, passphrase: str, dest: Path | None = None, *,
                 overwrite: bool = False, kdf_iter: int = STANDARD_KDF_ITER) -> ExportResult:
    """One rating sheet (with the versions it amends) and what the receiver needs to place it."""
    content = gather_sheet(store, sheet_id)
    default = record_file_name(content.case_ref, sheet=True)
    destination = _destination(dest, default)
    check_export_name(store, content.families[0].id, destination, default)
    with RecordTarget(destination, passphrase, overwrite=overwrite, kdf_iter=kdf_iter) as target:
        return _write(store, content, target)


def read_record(path: Path, passphrase: str, *, kdf_iter: int = STANDARD_KDF_ITER) -> LoadedRecord:
    """Validate an incoming record completely; the store is not touched. Raises a RecordError subclass."""
    return open_record(Path(path), passphrase, kdf_iter=kdf_iter)


def preview_import(store: Store, record: LoadedRecord,
                   decisions: dict[tuple[uuid.UUID, uuid.UUID], Decision] | None = None) -> MergePlan:
    """The dry run: counts and details of what an import would do. Changes nothing."""
    return plan_merge(store, record, decisions)


def apply_import(store: Store, record: LoadedRecord,
                 decisions: dict[tuple[uuid.UUID, uuid.UUID], Decision] | None = None) -> MergePlan:
    """Apply the import in one transaction. Raises DecisionsNeeded while a possible duplicate is undecided."""
    return apply_merge(store, record, decisions)


def exporter_label(record: LoadedRecord) -> str:
    who = next((p for p in record.content.professionals if p.id == record.manifest.exported_by), None)
    return f"{who.name} ({who.role}, {who.agency.label})" if who else "an unknown professional"


def decide_all(plan: MergePlan, decision: Decision) -> dict[tuple[uuid.UUID, uuid.UUID], Decision]:
    """The same decision for every possible duplicate. Linking needs one candidate per incoming entity."""
    if decision is Decision.LINK:
        per_incoming: dict[uuid.UUID, int] = {}
        for pair in plan.duplicates:
            per_incoming[pair.incoming_id] = per_incoming.get(pair.incoming_id, 0) + 1
        if any(n > 1 for n in per_incoming.values()):
            raise DecisionsNeeded("An incoming case or child looks like more than one here: decide pair by pair "
                                  "(run the import in a terminal to be asked).")
    return {pair.key: decision for pair in plan.duplicates}
