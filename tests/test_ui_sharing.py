"""Export a case from one practitioner's app and import it into another's, through the menu actions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from neglect_tool.domain import Agency
from neglect_tool.services.session import Session
from neglect_tool.services.settings import Settings
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.ui.main_window import MainWindow

from .test_ui_flows import FastSession, window  # noqa: F401 (the window fixture)

PHRASE = "otter lantern copper meadow violet"


def test_export_then_import_into_another_store(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ref = next(c.case_ref for c in window.session.cases() if c.family_name == "Ashdown")  # type: ignore[union-attr]
    dest = tmp_path / "out" / f"{ref}.ntrec"
    dest.parent.mkdir()
    window.sharing.export_case(ref, dest=dest, passphrase=PHRASE)
    qtbot.waitUntil(lambda: dest.exists() and bool(window.sharing.last_message), timeout=30_000)
    assert "encrypted" in window.sharing.last_message and "Ashdown" not in dest.name

    other_path = tmp_path / "other.ntdb"
    Session.create(other_path, "another practitioner's passphrase", owner_name="Sam Receiver",
                   owner_role="Health visitor", owner_agency=Agency.HEALTH, kdf=FAST_TEST_KDF).lock()
    other = MainWindow(other_path, session_factory=FastSession, settings=Settings())
    qtbot.addWidget(other)
    other.show()
    other._unlocked(FastSession.unlock(other_path, "another practitioner's passphrase"))
    assert other.cases.model.rowCount() == 0
    seen: list[str] = []

    def confirm(summary: str, has_duplicates: bool) -> str:
        seen.append(summary)
        return "link"

    other.sharing.import_record(path=dest, passphrase="wrong words entirely here", confirm=confirm)
    qtbot.waitUntil(lambda: bool(other.sharing.last_message), timeout=30_000)
    assert not seen and other.cases.model.rowCount() == 0  # refused, nothing changed

    other.sharing.last_message = ""
    other.sharing.import_record(path=dest, passphrase=PHRASE, confirm=confirm)
    qtbot.waitUntil(lambda: other.sharing.last_message.startswith("Imported"), timeout=30_000)
    assert seen and "new" in seen[0]
    assert [c.family_name for c in other.session.cases()] == ["Ashdown"]  # type: ignore[union-attr]
    assert other.cases.model.rowCount() == 1
    other.close()


def test_printable_summary_from_the_export_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import subprocess

    import pikepdf

    ref = next(c.case_ref for c in window.session.cases() if c.family_name == "Calloway")  # type: ignore[union-attr]
    protected = tmp_path / f"{ref}-summary.pdf"
    window.sharing.last_message = ""
    window.sharing.export_summary(ref, dest=protected, password="correct-pdf-password", redact=False)
    qtbot.waitUntil(lambda: bool(window.sharing.last_message), timeout=60_000)
    assert "password protected" in window.sharing.last_message, window.sharing.last_message
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(protected)
    with pikepdf.open(protected, password="correct-pdf-password") as pdf:
        assert len(pdf.pages) >= 2

    redacted = tmp_path / f"{ref}-redacted.pdf"
    window.sharing.last_message = ""
    window.sharing.export_summary(ref, dest=redacted, password="", redact=True)
    qtbot.waitUntil(lambda: bool(window.sharing.last_message), timeout=60_000)
    text = subprocess.run(["pdftotext", str(redacted), "-"], capture_output=True, text=True, check=True).stdout
    assert "OFFICIAL-SENSITIVE" in text and "J.C." in text
    assert "Jayden" not in text and "Calloway family" not in text
