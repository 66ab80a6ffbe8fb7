"""The meeting view driven on the offscreen platform over the demo store: grid, evidence, consensus, plan."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import QApplication

from neglect_tool.domain import RoundPurpose
from neglect_tool.scoring.comparison import RowStatus
from neglect_tool.ui.main_window import MainWindow
from neglect_tool.ui.models.comparison_table import ROW_ROLE, cell_tooltip

from .test_ui_flows import _open, all_text, window  # noqa: F401 (the window fixture)


def _open_latest_comparison(window: MainWindow) -> None:  # noqa: F811
    _open(window, "Calloway")
    window.case.rounds.selectRow(0)  # newest round: 4 professionals submitted, no consensus yet
    assert window.case.compare_button.isEnabled()
    window.case.compare_button.click()
    assert window.stack.currentWidget() is window.comparison, window.case.message.text()


def test_grid_shows_every_rater_with_symbols_and_disagreements_first(window: MainWindow) -> None:  # noqa: F811
    _open_latest_comparison(window)
    comparison = window.comparison.comparison
    assert comparison is not None
    model = window.comparison.model
    assert model.columnCount() == len(comparison.raters) + 2
    assert model.rowCount() == len(comparison.rows) >= 60
    first = model.data(model.index(0, 0), ROW_ROLE)
    assert first.status is RowStatus.DISAGREEMENT
    texts = {model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(1, model.columnCount() - 1)}
    assert {"✓ Yes", "✗ No"} <= texts  # a symbol as well as a colour
    tips = [model.data(model.index(r, c), Qt.ItemDataRole.ToolTipRole)
            for r in range(model.rowCount()) for c in range(1, model.columnCount() - 1)]
    assert any("Observed" in (t or "") or "Reported" in (t or "") for t in tips)  # evidence on hover
    assert "parent/carer's view is not included" in window.comparison.agreement.text()
    assert "Krippendorff" in window.comparison.agreement.text()


def test_filters_and_next_disagreement_by_one_key(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    screen.filter.setCurrentIndex(2)  # information gaps only
    rows = screen.model.rows
    assert rows and all(r.information_gap for r in rows)
    screen.filter.setCurrentIndex(0)
    screen.table.selectRow(0)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_D)
    current = screen.selected_row()
    assert current is not None and current.needs_discussion
    assert screen.table.currentIndex().row() > 0


def test_recording_the_consensus_and_a_plan_action(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    screen.table.selectRow(0)
    row = screen.selected_row()
    assert row is not None and row.status is RowStatus.DISAGREEMENT
    screen.agreed_option.setCurrentIndex(screen.agreed_option.findData("borderline"))
    screen.rationale.setPlainText("Registered with the GP; dental registration lapsed in the move.")
    screen.agree_button.click()
    store = window.session.store  # type: ignore[union-attr]
    rnd_id = screen.round_id
    consensus = store.consensus.get_for_round(rnd_id)
    assert consensus is not None and consensus.items[row.item.id].agreed_option == "borderline"
    assert consensus.items[row.item.id].rationale.startswith("Registered with the GP")
    agreed_col = screen.model.columnCount() - 1
    shown = {screen.model.data(screen.model.index(r, agreed_col)) for r in range(screen.model.rowCount())}
    assert "~ Borderline" in shown

    screen.table.selectRow(1)
    screen.escalation_owner.clear()
    screen.unresolved_button.click()
    assert "who escalates" in screen.message.text()  # refused with the reason, nothing saved

    screen.accept_unanimous()
    assert len(store.consensus.get_for_round(rnd_id).items) > 1

    plan = screen.plan
    plan.action_text.setText("Register with a dentist near the new address")
    plan.action_owner.setText("Morgan Ellery")
    plan.add_action_button.click()
    saved = store.plans.get_for_round(rnd_id)
    assert saved is not None and saved.actions[0].description.startswith("Register with a dentist")
    assert plan.action_table.rowCount() == 1


def test_charts_load_matplotlib_only_when_opened(window: MainWindow) -> None:  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    assert not screen._charts_drawn
    lower_before = screen.vertical.sizes()[1]
    screen.tabs.setCurrentWidget(screen.charts)
    assert screen._charts_drawn
    assert screen.vertical.sizes()[1] > lower_before  # the charts are given room
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    assert len(screen.charts.findChildren(FigureCanvasQTAgg)) == 3  # radar, bars, and the trend across rounds


def test_meeting_mode_turns_on_initials_and_lock_clears_the_view(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    assert "Calloway" in all_text(screen)
    screen.meeting_button.click()
    assert window.privacy_action.isChecked()
    assert not screen.tabs.isVisible()
    text = all_text(screen)
    assert "Calloway" not in text and "J.C." in text  # no child or carer names on the projector
    qtbot.keyClick(screen.table, Qt.Key.Key_Escape)
    assert not screen.meeting_mode and not window.privacy_action.isChecked()
    window.lock()
    assert screen.model.rowCount(QModelIndex()) == 0
    assert "Calloway" not in all_text(window)


def test_meeting_mode_fits_every_answer_and_heading_on_a_projector(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """At 1280 x 720 in large type no answer word is cut ("Borde...") and no heading is clipped: columns fit
    their longest word and headings wrap to the column."""
    _open_latest_comparison(window)
    screen = window.comparison
    screen.meeting_button.click()
    window.showNormal()
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    qtbot.wait(50)  # the splitter and the grid settle
    model, header = screen.model, screen.table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    metrics, header_metrics = screen.table.fontMetrics(), QFontMetrics(bold)
    assert model.columnCount() >= 6  # four professionals, the parent/carer, the agreed view
    seen: set[str] = set()
    for column in range(1, model.columnCount()):
        width = header.sectionSize(column)
        words = {w for r in range(model.rowCount()) for w in str(model.data(model.index(r, column)) or "").split()}
        seen |= words
        assert all(metrics.horizontalAdvance(w) + 6 <= width for w in words), (column, width)
        lines = str(model.headerData(column, Qt.Orientation.Horizontal)).split("\n")
        assert all(header_metrics.horizontalAdvance(line) + 8 <= width for line in lines), (lines, width)
    assert "Borderline" in seen  # the longest answer word
    assert header.sectionSize(0) >= 10 * metrics.horizontalAdvance("M")  # the wording keeps a readable column
    assert "Parent/carer" in screen._headings  # said once, not as name and role
    assert "Parent/\ncarer" in [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_grid_columns_follow_the_splitter(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Dragging the splitter refits the rater columns: wide enough, each answer sits on one line."""
    _open_latest_comparison(window)
    screen = window.comparison
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: window.width() == 1600)
    header, metrics = screen.table.horizontalHeader(), screen.table.fontMetrics()
    screen.upper.setSizes([420, 1160])
    qtbot.waitUntil(lambda: screen.table.width() <= 430)
    narrow = header.sectionSize(1)
    screen.upper.setSizes([1300, 280])
    qtbot.waitUntil(lambda: header.sectionSize(1) > narrow)
    widest = max(metrics.horizontalAdvance(t) for t in screen.model.cell_texts())
    assert all(header.sectionSize(c) >= widest + 6 for c in range(1, screen.model.columnCount()))


HOSTILE = "<b>loud</b> <img src='x'> & weight < 2nd centile\nsecond line"


def _shown(markup: str) -> str:
    """What rich text looks like on screen, as plain text."""
    document = QTextDocument()
    document.setHtml(markup)
    return document.toPlainText()


def test_notes_and_names_show_as_written_never_as_markup(window: MainWindow) -> None:  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    row = screen.model.rows[0]
    hostile_cell = dataclasses.replace(row.cells[0], note=HOSTILE)
    hostile_row = dataclasses.replace(row, cells=(hostile_cell, *row.cells[1:]))
    screen._show_row(hostile_row)
    shown = _shown(screen.evidence.text())
    assert "<b>loud</b> <img src='x'> & weight < 2nd centile" in shown  # every character, literally
    assert "second line" in shown
    tip = cell_tooltip("A. Name <script>", hostile_cell)
    assert "A. Name <script>" in _shown(tip) and "weight < 2nd centile" in _shown(tip)


def test_initials_only_holds_on_hover_and_in_the_profiles(window: MainWindow) -> None:  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    model = screen.model
    carer_column = model.columnCount() - 2  # the parent/carer sits just before the agreed view
    assert "Calloway" in str(model.headerData(carer_column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
    window.privacy_action.trigger()  # the View menu's switch, as a user turns it on
    assert screen.initials_only
    tips = [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
            for c in range(model.columnCount())]
    cell_tips = [str(model.data(model.index(r, carer_column), Qt.ItemDataRole.ToolTipRole))
                 for r in range(model.rowCount())]
    profile_headings = [screen.profiles.horizontalHeaderItem(c).text() for c in range(screen.profiles.columnCount())]
    for text in (*tips, *cell_tips, *profile_headings):
        assert "Calloway" not in text
    assert "Parent/carer" in profile_headings


def test_comparison_refused_while_own_sheet_is_a_draft(window: MainWindow) -> None:  # noqa: F811
    _open(window, "Calloway")
    child = window.case.selected_child()
    assert child is not None
    rnd = window._casework().create_round(child.child.id, held_on=dt.date.today(), purpose=RoundPurpose.CORE_GROUP)
    window._casework().start_own_sheet(rnd.id)
    window.case.show_case(window.case.case.family.id, child_id=child.child.id, round_id=rnd.id)  # type: ignore[union-attr]
    assert not window.case.compare_button.isEnabled()
    window.open_comparison(rnd.id)  # even when asked directly, the rule holds
    assert window.stack.currentWidget() is window.case
    assert "Submit your own sheet" in window.case.message.text()





def test_drift_alert_shows_in_the_round(window: MainWindow) -> None:  # noqa: F811
    _open(window, "Brightwater")
    for row in range(window.case.child_list.count()):
        window.case.child_list.setCurrentRow(row)
        if "Drift alert" in window.case.trend.text():
            break
    window.case.rounds.selectRow(0)
    window.case.compare_button.click()
    assert window.stack.currentWidget() is window.comparison
    assert "Drift alert" in window.comparison.drift.text() and "plan" in window.comparison.drift.text()


def test_plan_targets_and_actions_can_be_removed_and_the_plan_ended(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    plan, store = screen.plan, window.session.store  # type: ignore[union-attr]
    rnd_id = screen.round_id
    item_id = plan.target_item.currentData()
    plan.add_target_button.click()  # before the meeting has agreed that item
    saved = store.plans.get_for_round(rnd_id)
    assert saved is not None and saved.targets[0].baseline_option is None
    assert plan.targets.item(0, 1).text() == "not agreed yet"
    screen.meeting.agree(item_id, "borderline", "agreed after the target was set")  # type: ignore[union-attr]
    assert store.plans.get_for_round(rnd_id).targets[0].baseline_option == "borderline"  # starts where agreed

    plan.action_text.setText("Home visit with the school nurse")
    plan.action_owner.setText("Grace Okonjo")
    plan.add_action_button.click()
    plan.action_table.selectRow(0)
    plan.remove_action_button.click()
    plan.show_plan(screen.meeting)  # type: ignore[arg-type]
    plan.targets.selectRow(0)
    plan.remove_target_button.click()
    saved = store.plans.get_for_round(rnd_id)
    assert saved is not None and saved.actions == () and saved.targets == ()
    plan.active.setChecked(False)
    assert not store.plans.get_for_round(rnd_id).active


def test_question_mark_opens_help_in_the_meeting_view_but_not_while_typing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    screen.table.setFocus()
    window._question_mark()
    assert window.help.isVisible()
    assert "Next disagreement" in all_text(window.help) and "Meeting mode" in all_text(window.help)
    window.help.toggle()
    screen.rationale.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.rationale)
    window._question_mark()  # a "?" typed into the rationale stays text
    assert not window.help.isVisible()


def test_profiles_show_the_labelled_index_and_the_counts_it_rests_on(window: MainWindow) -> None:  # noqa: F811
    _open_latest_comparison(window)
    screen = window.comparison
    assert "index" in screen.index_caption.text().lower()
    cells = [screen.profiles.item(r, c).text() for r in range(screen.profiles.rowCount())
             for c in range(screen.profiles.columnCount()) if screen.profiles.item(r, c) is not None]
    assert any(" · " in text and "Yes" in text for text in cells)  # e.g. "1.38 · 3 Yes, 2 Borderline, 1 No"
