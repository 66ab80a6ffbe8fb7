"""The Export and Import menu actions: encrypted record files to and from another practitioner's copy.

Slow work (key derivation, validation, the merge) runs off the UI thread through Operations; the rules are in
services.sharing and services.casework. The record's passphrase is shown once for the user to pass on by
another channel (phone); it is never put on the clipboard or written anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from ..services.casework import Casework, Decisions
from ..services.errors import user_message
from .operations import Operations

if TYPE_CHECKING:
    from ..services.sharing import ExportResult
    from ..storage.exchange import LoadedRecord, MergePlan


class SharingActions:
    def __init__(self, parent: QWidget, casework: Callable[[], Casework], operations: Operations,
                 on_imported: Callable[[], None]) -> None:
        self._parent = parent
        self._casework = casework
        self._operations = operations
        self._on_imported = on_imported
        self.last_message = ""

    def _say(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        self.last_message = text
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.open()

    # --- export --------------------------------------------------------------------------------------

    def export_case(self, case_ref: str, *, dest: Path | None = None, passphrase: str | None = None) -> None:
        from ..services.sharing import record_file_name

        work = self._casework()
        self._export_record("Save the encrypted record", "Written to", record_file_name(case_ref), dest, passphrase,
                            lambda phrase, target: work.export_case_record(case_ref, phrase, target))

    def export_sheet(self, sheet_id: uuid.UUID, case_ref: str, *, dest: Path | None = None,
                     passphrase: str | None = None) -> None:
        """Just your own submitted sheet (a health visitor sends hers to the social worker's copy)."""
        from ..services.sharing import record_file_name

        work = self._casework()
        self._export_record("Save your sheet as an encrypted record", "Your sheet was written to",
                            record_file_name(case_ref, sheet=True), dest, passphrase,
                            lambda phrase, target: work.export_sheet_record(sheet_id, phrase, target))

    def _export_record(self, save_title: str, written: str, default_name: str, dest: Path | None,
                       passphrase: str | None, export: Callable[[str, Path], ExportResult]) -> None:
        """Ask for the file's own passphrase (random words offered) and where to save, then export off the
        UI thread."""
        from ..services.sharing import new_export_passphrase

        if passphrase is None:
            passphrase, ok = QInputDialog.getText(
                self._parent, "Passphrase for the record file",
                "The file gets its own passphrase (not your store's). Tell it to the receiver by phone, never "
                "in the same e-mail as the file. You may keep these words or type your own:",
                QLineEdit.EchoMode.Normal, new_export_passphrase())
            if not ok or not passphrase.strip():
                return
        if dest is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self._parent, save_title, str(Path.home() / default_name),
                "Encrypted record (*.ntrec)")
            if not chosen:
                return
            dest = Path(chosen)
        phrase, target = passphrase.strip(), dest
        self._operations.run(
            lambda: export(phrase, target),
            lambda result: self._say("Record exported",
                                     f"{written} {result.path.name} ({result.bytes // 1024} KiB, encrypted). "
                                     "Send the passphrase separately."),
            lambda exc: self._say("Export failed", user_message(exc), QMessageBox.Icon.Warning),
        )

    # --- printable summary -------------------------------------------------------------------------

    def export_summary(self, case_ref: str, *, round_id: object = None, dest: Path | None = None,
                       password: str | None = None, redact: bool | None = None) -> None:
        """The meeting summary as an A4 PDF; password-protected unless the user chooses otherwise."""
        if redact is None:
            answer = QMessageBox.question(
                self._parent, "Printable summary",
                "Show the child and family by initials only, without date of birth or NHS number?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            redact = answer == QMessageBox.StandardButton.Yes
        if password is None:
            password, ok = QInputDialog.getText(
                self._parent, "Protect the PDF",
                "A password for the PDF (at least 8 characters; AES-256). Leave it empty to save an unprotected "
                "PDF, which anyone who finds the file can read:", QLineEdit.EchoMode.Password)
            if not ok:
                return
        if dest is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self._parent, "Save the printable summary", str(Path.home() / f"{case_ref}-summary.pdf"),
                "PDF (*.pdf)")
            if not chosen:
                return
            dest = Path(chosen)
        work = self._casework()
        target, secret, initials = dest, password or None, bool(redact)
        self._operations.run(
            lambda: work.export_summary(case_ref, target, round_id=round_id,  # type: ignore[arg-type]
                                        password=secret, redact=initials, overwrite=True),
            lambda _result: self._say("Summary written",
                                      f"Written to {target.name}" + (" (password protected)." if secret else
                                                                     " (not protected: keep it safe).")),
            lambda exc: self._say("Summary not written", user_message(exc), QMessageBox.Icon.Warning),
        )

    # --- import --------------------------------------------------------------------------------------

    def import_record(self, *, path: Path | None = None, passphrase: str | None = None,
                      confirm: Callable[[MergePlan], Decisions | None] | None = None) -> None:
        """Validate, show the dry run, then apply once the user confirms. `confirm` is replaced in tests."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self._parent, "Import an encrypted record", str(Path.home()),
                                                          "Encrypted record (*.ntrec);;All files (*)")
            if not chosen:
                return
            path = Path(chosen)
        if passphrase is None:
            passphrase, ok = QInputDialog.getText(self._parent, "Record passphrase",
                                                  "The passphrase the sender gave you for this file:",
                                                  QLineEdit.EchoMode.Password)
            if not ok:
                return
        from ..services.sharing import read_record

        work = self._casework()
        record_path, phrase = path, passphrase

        def validate_and_plan() -> object:
            record = read_record(record_path, phrase)
            return record, work.preview_import(record)

        def planned(result: object) -> None:
            assert isinstance(result, tuple)
            record: LoadedRecord = result[0]
            plan: MergePlan = result[1]
            ask = confirm or self._confirm
            decisions = ask(plan)  # every possible duplicate decided pair by pair, or None to cancel
            if decisions is None:
                self.last_message = "Import cancelled; nothing was changed."
                return
            self._operations.run(lambda: work.apply_import(record, decisions), self._imported,
                                 lambda exc: self._say("Import failed", user_message(exc), QMessageBox.Icon.Warning))

        self._operations.run(validate_and_plan, planned,
                             lambda exc: self._say("Import refused", user_message(exc), QMessageBox.Icon.Warning))

    def _imported(self, plan: object) -> None:
        self._on_imported()
        summary = getattr(plan, "summary", lambda: "")()
        self._say("Record imported", f"Imported. {summary}")

    def _confirm(self, plan: MergePlan) -> Decisions | None:
        from .dialogs.import_review import review_import

        return review_import(plan, self._parent)
