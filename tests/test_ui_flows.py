"""Whole-window flows on the offscreen platform: case screen, scoring, blind scoring, auto-lock, privacy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from neglect_tool.domain import Child, Family, RoundPurpose, SheetStatus
from neglect_tool.services.session import Session
from neglect_tool.services.settings import Settings
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.ui.main_window import WINDOW_TITLE, MainWindow

DEMO_NAMES = ("Calloway", "Jayden", "Rosie", "Ashdown", "Brightwater")


class FastSession(Session):
    @classmethod
    def unlock(cls, path, passphrase, *, kdf=FAST_TEST_KDF):  # type: ignore[no-untyped-def,override]
        return super().unlock(path, passphrase, kdf=FAST_TEST_KDF)

    @classmethod
    def create_demo(cls, path, passphrase="demo-only-synthetic-data", *, kdf=FAST_TEST_KDF, today=None):  # type: ignore[no-untyped-def,override]
        return super().create_demo(path, passphrase, kdf=FAST_TEST_KDF, today=today)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(tmp_path / "store.ntdb", session_factory=FastSession, settings=Settings())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win._unlocked(FastSession.create_demo(tmp_path / "store.ntdb"))
    yield win
    win.close()


def all_text(root: QWidget) -> str:
    """Every string a widget tree could show: labels, edits, lists, tables, models, combos, titles."""
    parts: list[str] = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if isinstance(w, QLabel | QPushButton | QLineEdit):
            parts.append(w.text())
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            parts.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            parts.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QAbstractSpinBox):
            parts.append(w.text())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            parts.extend(_model_text(w.model()))
        parts.append(w.toolTip())
        parts.append(w.accessibleName())
    return "\n".join(parts)


def _model_text(model: QAbstractItemModel) -> list[str]:
    out = []
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for r in range(model.rowCount(root)):
        for c in range(columns):
            value = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                out.append(str(value))
    return out


def _open(window: MainWindow, family_name: str) -> None:
    summary = next(c for c in window.session.cases() if c.family_name == family_name)  # type: ignore[union-attr]
    window.open_case(summary.family_id)
    assert window.stack.currentWidget() is window.case


def test_case_screen_lists_children_rounds_and_who_submitted(window: MainWindow) -> None:
    _open(window, "Calloway")
    case = window.case
    assert case.child_list.count() == 2
    assert case.rounds.rowCount() == 3
    text = "\n".join(case.sheets.item(i).text() for i in range(case.sheets.count()))
    assert "submitted" in text and "draft" in text and "(you)" in text
    assert case.compare_button.isEnabled()
    assert window.windowTitle() == WINDOW_TITLE


def test_scoring_a_new_round_blind_until_submitted(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open(window, "Calloway")
    _new_round_selected(window)
    rnd = window.case.selected_round().round  # type: ignore[union-attr]
    qtbot.mouseClick(window.case.score_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sheet
    sheet = window.sheet
    for _ in range(4):
        qtbot.keyClick(sheet, "1")
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.case
    overview = window.case.selected_round()
    assert overview is not None and overview.round.id == rnd.id and overview.blind
    assert not window.case.compare_button.isEnabled()
    assert "Submit your own sheet" in window.case.compare_status.text()
    assert "Draft (4 answered)" in window.case.rounds.item(0, 4).text()

    qtbot.keyClick(window.case, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # back into the draft
    assert window.stack.currentWidget() is window.sheet and window.sheet.editor is not None
    assert window.sheet.editor.answered_count() == 4
    window.sheet.ask_submit = lambda _editor: "submit"
    window.sheet.request_submit()
    assert window.sheet.editor.sheet.status is SheetStatus.SUBMITTED


def _new_round_selected(window: MainWindow) -> None:
    child = window.case.selected_child()
    assert child is not None and window.case.case is not None
    rnd = window._casework().create_round(child.child.id, held_on=dt.date.today(), purpose=RoundPurpose.CORE_GROUP)
    window.case.show_case(window.case.case.family.id, child_id=child.child.id, round_id=rnd.id)


def test_idle_auto_lock_clears_every_widget(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open(window, "Calloway")
    _new_round_selected(window)
    window.case.score_button.click()
    assert window.sheet.editor is not None and not window.sheet.editor.read_only
    qtbot.keyClick(window.sheet, Qt.Key.Key_N)
    qtbot.keyClicks(window.sheet.evidence.note, "CANARY-4471 seen at the door")
    assert "Calloway" in all_text(window) and "CANARY-4471" in all_text(window)
    window.idle.set_timeout(150)
    window.idle.arm()
    qtbot.waitUntil(lambda: window.session is None, timeout=5_000)
    qtbot.wait(20)
    assert window.stack.currentWidget() is window.unlock
    text = all_text(window)
    for name in (*DEMO_NAMES, "CANARY-4471", "NB-2026"):
        assert name not in text, name
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in window.findChildren(QDialog))


def test_input_keeps_the_app_unlocked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.idle.set_timeout(400)
    window.idle.arm()
    for _ in range(6):
        qtbot.wait(120)
        qtbot.keyClick(window.cases.search_box, "a")
    assert window.session is not None
    qtbot.waitUntil(lambda: window.session is None, timeout=5_000)


def test_privacy_switch_shows_initials_only(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.privacy_action.trigger()
    assert "Calloway" not in "\n".join(_model_text(window.cases.model))
    _open(window, "Calloway")
    shown = all_text(window.case)
    assert "Jayden" not in shown and "J.C." in shown
    window.privacy_action.trigger()
    assert "Jayden" in all_text(window.case)


def test_help_overlay_lists_shortcuts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help.isVisible()
    assert "Ctrl+L" in all_text(window.help) and "Next unanswered item" in all_text(window.help)
    qtbot.keyClick(window.help, Qt.Key.Key_Escape)
    assert not window.help.isVisible()


def test_new_family_and_child_through_the_dialogs(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from neglect_tool.ui.dialogs import child_dialog

    _open(window, "Calloway")
    family = window.case.case.family  # type: ignore[union-attr]
    new_child = Child(family_id=family.id, given_names="Poppy", family_name="Calloway",
                      date_of_birth=dt.date(2025, 3, 1))
    monkeypatch.setattr(child_dialog.ChildDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(child_dialog.ChildDialog, "result_child", lambda self: new_child)
    window.case.add_child_button.click()
    assert window.case.child_list.count() == 3
    assert window.case.selected_child().child.id == new_child.id  # type: ignore[union-attr]
    assert any(e.action == "created" for e in window.session.store.audit.entries_for(new_child.id))  # type: ignore[union-attr]


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    _open(window, "Calloway")
    window.case.score_button.click()
    missing = [w.objectName() or type(w).__name__ for w in window.findChildren(QWidget)
               if isinstance(w, QPushButton | QLineEdit | QPlainTextEdit | QComboBox | QListWidget | QTableWidget)
               and w.isVisibleTo(window) and not (w.accessibleName() or w.text() if isinstance(w, QPushButton)
                                                 else w.accessibleName())]
    assert not missing


def test_family_record_saved_from_the_dialog_is_audited(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from neglect_tool.ui.dialogs import family_dialog

    _open(window, "Calloway")
    family = window.case.case.family  # type: ignore[union-attr]
    changed: Family = family.evolve(address_note="Moved to temporary accommodation")
    monkeypatch.setattr(family_dialog.FamilyDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(family_dialog.FamilyDialog, "result_family", lambda self: changed)
    window.case.edit_family_button.click()
    assert window.session.store.families.get(family.id).address_note == "Moved to temporary accommodation"  # type: ignore[union-attr]


def test_case_list_trend_and_drift_alert(window: MainWindow) -> None:
    from neglect_tool.ui.models.case_table import TREND_COLUMN

    model = window.cases.model
    trends = {model.case_at(r).family_name: model.data(model.index(r, TREND_COLUMN)) for r in range(model.rowCount())}
    assert "drift" in trends["Brightwater"]
    assert "worse" in trends["Calloway"] and "drift" not in trends["Calloway"]
    assert "better" in trends["Ashdown"]
    tip = model.data(model.index(0, TREND_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "Since" in tip
    _open(window, "Brightwater")
    texts = []
    for row in range(window.case.child_list.count()):
        window.case.child_list.setCurrentRow(row)
        texts.append(window.case.trend.text())
    assert any("Drift alert" in t and "plan" in t for t in texts)


def test_close_then_erase_a_case_and_the_retention_reminder(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    store = window.session.store  # type: ignore[union-attr]
    ashdown = next(c for c in window.session.cases() if c.family_name == "Ashdown")  # type: ignore[union-attr]
    store.families.close_case(ashdown.family_id, dt.date.today() - dt.timedelta(days=3 * 366))
    window._back_to_cases()
    assert "Retention: 1 closed case is past the retention period (NB-2026-0147)" in window.cases.status.text()

    _open(window, "Calloway")
    case = window.case
    assert case.close_case_button.text() == "Close case…" and not case.erase_case_button.isVisibleTo(case)
    from PySide6.QtWidgets import QMessageBox

    import neglect_tool.ui.screens.case_detail as case_detail_module

    original = case_detail_module.QMessageBox.question
    case_detail_module.QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes  # type: ignore[assignment]
    try:
        case.close_case_button.click()
    finally:
        case_detail_module.QMessageBox.question = original  # type: ignore[method-assign]
    assert case.close_case_button.text() == "Reopen case" and "Closed" in case.retention.text()
    case.erase_case("NB-WRONG")
    assert "does not match" in case.message.text() or "match" in case.message.text()
    assert any(c.family_name == "Calloway" for c in window.session.cases())  # type: ignore[union-attr]
    case.erase_case("NB-2026-0388")
    assert window.stack.currentWidget() is window.cases
    assert not any(c.family_name == "Calloway" for c in window.session.cases())  # type: ignore[union-attr]


def test_erase_everything_for_a_leaver(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store_path = tmp_path / "store.ntdb"
    win = MainWindow(store_path, session_factory=FastSession, settings=Settings())
    qtbot.addWidget(win)
    win.show()
    win._unlocked(FastSession.create_demo(store_path))
    assert not win.erase_everything("erase everythin")  # a typo erases nothing
    assert store_path.exists() and win.session is not None
    assert win.erase_everything("erase everything")
    assert not store_path.exists() and win.session is None
    assert not list(tmp_path.glob("store.ntdb*"))


def test_change_by_section_between_the_last_two_agreed_rounds(window: MainWindow) -> None:
    _open(window, "Calloway")
    table = window.case.changes
    assert table.rowCount() >= 6
    changes = [table.item(r, 3).text() for r in range(table.rowCount())]
    assert any(c.startswith("✗ Worse") for c in changes)  # the deteriorating demo case, section by section
    assert all(c.split(" ", 1)[0] in {"✓", "✗", "="} or c == "Cannot compare" for c in changes)
    siblings = window.case.siblings
    headings = [siblings.horizontalHeaderItem(c).text() for c in range(siblings.columnCount())]
    assert headings and all("agreed " in h or "no agreed view" in h for h in headings)  # each view's own date
    window.lock()
    assert table.rowCount() == 0
