"""Export a case from one practitioner's app and import it into another's, through the menu actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from neglect_tool.storage.exchange import MergePlan

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

    def confirm(plan: MergePlan) -> dict[object, object]:
        seen.append(plan.describe())
        assert not plan.duplicates  # an empty store: nothing to link
        return {}

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


def test_possible_duplicates_are_decided_pair_by_pair_in_the_app(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Each look-alike pair gets its own choice, nothing preselected; Import waits until every pair has one."""
    from neglect_tool.domain import Child, Family
    from neglect_tool.services import sharing
    from neglect_tool.storage.exchange import Decision
    from neglect_tool.storage.store import Store
    from neglect_tool.ui.dialogs.import_review import CHOOSE, ImportReviewDialog

    from .conftest import PASSPHRASE
    from .test_exchange_helpers import CASE_REF, FAST_ITER, RECORD_PASSPHRASE, build_small_case

    def store(name: str) -> Store:
        from neglect_tool.domain import Professional

        return Store.create(tmp_path / name / "s.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                            owner=Professional(name=f"{name} Testperson", role="GP", agency=Agency.HEALTH))

    a, b = store("a"), store("b")
    try:
        case = build_small_case(a)
        family = b.families.add(Family(case_ref=CASE_REF, family_name="Quillfeather"))
        b.children.add(Child(family_id=family.id, given_names="Tamsin", family_name="Quillfeather",
                             date_of_birth=case.child.date_of_birth, nhs_number=case.child.nhs_number))
        path = sharing.export_case(a, CASE_REF, RECORD_PASSPHRASE, tmp_path / "x.ntrec", kdf_iter=FAST_ITER).path
        plan = sharing.preview_import(b, sharing.read_record(path, RECORD_PASSPHRASE, kdf_iter=FAST_ITER))
        dialog = ImportReviewDialog(plan)
        qtbot.addWidget(dialog)
        assert len(dialog.choices) == 2
        assert all(c.currentText() == CHOOSE for c in dialog.choices.values())
        assert not dialog.import_button.isEnabled()
        family_pair, child_pair = (p.key for p in plan.duplicates)
        dialog.choices[family_pair].setCurrentIndex(1)  # link the case
        assert not dialog.import_button.isEnabled()
        dialog.choices[child_pair].setCurrentIndex(2)  # keep the child apart
        assert dialog.import_button.isEnabled()
        assert dialog.decisions() == {family_pair: Decision.LINK, child_pair: Decision.KEEP_APART}
    finally:
        a.close()
        b.close()


def test_my_own_sheet_is_sent_alone_from_the_export_menu(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from neglect_tool.services import sharing

    summary = next(c for c in window.session.cases() if c.family_name == "Calloway")  # type: ignore[union-attr]
    window.open_case(summary.family_id)
    window.case.rounds.selectRow(0)
    overview = window.case.selected_round()
    assert overview is not None
    sheet_id = window._casework().own_submitted_sheet(overview.round.id)
    assert sheet_id is not None  # the demo's owner has submitted on the latest round
    dest = tmp_path / "out" / "sheet.ntrec"
    dest.parent.mkdir()
    window.sharing.last_message = ""
    window.sharing.export_sheet(sheet_id, summary.case_ref, dest=dest, passphrase=PHRASE)
    qtbot.waitUntil(lambda: bool(window.sharing.last_message), timeout=30_000)
    assert dest.exists(), window.sharing.last_message
    record = sharing.read_record(dest, PHRASE)
    assert record.manifest.kind.value == "sheet"
    assert [s.id for s in record.content.sheets][-1] == sheet_id
