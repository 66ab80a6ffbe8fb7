"""One case: the family, its children, the professionals involved, and each child's assessment rounds.

Shows who has submitted a sheet for a round, never what they answered: answers are seen only in the
comparison, under the blind-scoring rule kept by services.casework.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import RoundStatus, SheetStatus, describe_age, utc_now
from ...domain.dates import age_in_months
from ...scoring.change import Direction, RoundChange
from ...services.casework import CaseOverview, Casework, ChildOverview, RoundOverview
from ...services.errors import user_message
from ..privacy import child_label, family_label
from ..richtext import esc

ROUND_COLUMNS = ("Date", "Purpose", "Status", "Sheets", "Your sheet", "Next review")
CHANGE_HEADINGS = ("Section", "Before", "After", "Change")  # the dates of the two rounds replace Before/After


class CaseDetailScreen(QWidget):
    back_requested = Signal()
    sheet_opened = Signal(object, str)  # SheetEditor, heading
    compare_requested = Signal(object)  # round id

    erased = Signal()
    retention_months = 24  # set from the user's settings by the window

    def __init__(self, casework: Callable[[], Casework], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetailScreen")
        self._casework = casework
        self.case: CaseOverview | None = None
        self.initials_only = False

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Cases")
        self.back_button.setAccessibleName("Back to the case list")
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.heading = QLabel("")
        self.heading.setObjectName("caseHeading")
        top.addWidget(self.heading, 1)
        self.retention = QLabel("")
        self.retention.setObjectName("caseRetention")
        self.retention.setAccessibleName("Whether the case is active or closed, and until when it is kept")
        top.addWidget(self.retention)
        self.close_case_button = QPushButton("Close case…")
        self.close_case_button.setAccessibleName("Close the case, or reopen it")
        self.close_case_button.clicked.connect(self.close_or_reopen)
        top.addWidget(self.close_case_button)
        self.erase_case_button = QPushButton("Erase case…")
        self.erase_case_button.setAccessibleName("Erase the closed case from this laptop for good")
        self.erase_case_button.clicked.connect(self.erase_case)
        top.addWidget(self.erase_case_button)
        self.edit_family_button = QPushButton("Edit &family…")
        self.edit_family_button.setAccessibleName("Edit the family record")
        self.edit_family_button.clicked.connect(self.edit_family)
        top.addWidget(self.edit_family_button)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        # children and professionals
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        children_box = QGroupBox("Children")
        children_layout = QVBoxLayout(children_box)
        self.child_list = QListWidget()
        self.child_list.setAccessibleName("Children in the family")
        self.child_list.currentRowChanged.connect(self._child_selected)
        children_layout.addWidget(self.child_list)
        child_buttons = QHBoxLayout()
        self.add_child_button = QPushButton("Add &child…")
        self.add_child_button.setAccessibleName("Add a child")
        self.add_child_button.clicked.connect(self.add_child)
        self.edit_child_button = QPushButton("&Edit child…")
        self.edit_child_button.setAccessibleName("Edit the selected child")
        self.edit_child_button.clicked.connect(self.edit_child)
        child_buttons.addWidget(self.add_child_button)
        child_buttons.addWidget(self.edit_child_button)
        children_layout.addLayout(child_buttons)
        left_layout.addWidget(children_box, 2)
        people_box = QGroupBox("Professionals involved")
        people_layout = QVBoxLayout(people_box)
        self.professionals = QListWidget()
        self.professionals.setAccessibleName("Professionals involved")
        people_layout.addWidget(self.professionals)
        self.add_professional_button = QPushButton("Add &professional…")
        self.add_professional_button.setAccessibleName("Add a professional to the case")
        self.add_professional_button.clicked.connect(self.add_professional)
        people_layout.addWidget(self.add_professional_button)
        left_layout.addWidget(people_box, 1)
        splitter.addWidget(left)

        # rounds of the selected child
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.child_heading = QLabel("")
        self.child_heading.setWordWrap(True)
        right_layout.addWidget(self.child_heading)
        self.trend = QLabel("")
        self.trend.setWordWrap(True)
        self.trend.setObjectName("childTrend")
        self.trend.setAccessibleName("Direction of travel and drift alerts for the selected child")
        right_layout.addWidget(self.trend)
        self.rounds = QTableWidget(0, len(ROUND_COLUMNS))
        self.rounds.setHorizontalHeaderLabels(ROUND_COLUMNS)
        self.rounds.setAccessibleName("Assessment rounds of the selected child")
        self.rounds.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rounds.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rounds.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rounds.verticalHeader().setVisible(False)
        self.rounds.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rounds.horizontalHeader().setStretchLastSection(True)
        self.rounds.itemSelectionChanged.connect(self._round_selected)
        self.rounds.doubleClicked.connect(lambda _index: self.score_round())
        right_layout.addWidget(self.rounds, 2)
        round_buttons = QHBoxLayout()
        self.new_round_button = QPushButton("&New round…")
        self.new_round_button.setAccessibleName("New assessment round for the selected child")
        self.new_round_button.clicked.connect(self.new_round)
        self.edit_round_button = QPushButton("Edit r&ound…")
        self.edit_round_button.setAccessibleName("Edit the selected round")
        self.edit_round_button.clicked.connect(self.edit_round)
        self.score_button = QPushButton("&Score this round")
        self.score_button.setAccessibleName("Open your own rating sheet for the selected round")
        self.score_button.clicked.connect(self.score_round)
        self.carer_button = QPushButton("Parent/carer's &view…")
        self.carer_button.setAccessibleName("Record the parent's or carer's own view on a sheet")
        self.carer_button.clicked.connect(self.carer_sheet)
        self.compare_button = QPushButton("Co&mpare")
        self.compare_button.setAccessibleName("Compare the submitted sheets of the selected round")
        self.compare_button.clicked.connect(self._compare)
        for button in (self.new_round_button, self.edit_round_button, self.score_button, self.carer_button,
                       self.compare_button):
            round_buttons.addWidget(button)
        round_buttons.addStretch(1)
        right_layout.addLayout(round_buttons)
        self.compare_status = QLabel("")
        self.compare_status.setWordWrap(True)
        right_layout.addWidget(self.compare_status)
        lower = QTabWidget()
        lower.setAccessibleName("Sheets of the round, and the children side by side")
        self.sheets = QListWidget()
        self.sheets.setAccessibleName("Sheets of the selected round (who, not what)")
        self.sheets.itemActivated.connect(self._sheet_activated)
        lower.addTab(self.sheets, "Sheets for this round (who, not what)")
        self.siblings = QTableWidget()
        self.siblings.setAccessibleName("Each child's latest agreed concern index by section")
        self.siblings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lower.addTab(self.siblings, "Children side by side")
        self.changes = QTableWidget(0, len(CHANGE_HEADINGS))
        self.changes.setHorizontalHeaderLabels(CHANGE_HEADINGS)
        self.changes.setAccessibleName("Each section's change between the child's last two agreed rounds")
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lower.addTab(self.changes, "Change by section")
        self.lower_tabs = lower
        right_layout.addWidget(lower, 1)
        splitter.addWidget(right)
        splitter.setSizes([320, 760])
        layout.addWidget(splitter, 1)
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages can quote what was typed
        self.message.setWordWrap(True)
        self.message.setObjectName("caseMessage")
        layout.addWidget(self.message)

        for keys, slot in (("Escape", self.back_requested.emit), ("Alt+Left", self.back_requested.emit),
                           ("Ctrl+N", self.new_round), ("Ctrl+S", self.score_round)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # --- showing -------------------------------------------------------------------------------------

    def show_case(self, family_id: uuid.UUID, *, child_id: uuid.UUID | None = None,
                  round_id: uuid.UUID | None = None) -> None:
        self.case = self._casework().case(family_id)
        case = self.case
        self.heading.setText(f"<h2>{esc(family_label(case.family, self.initials_only))}</h2>")
        self._show_retention()
        self.professionals.clear()
        for person in case.professionals:
            entry = QListWidgetItem(f"{person.name} · {person.role} · {person.agency.label}")
            self.professionals.addItem(entry)
        self.child_list.blockSignals(True)
        self.child_list.clear()
        for overview in case.children:
            child = overview.child
            age = describe_age(age_in_months(child.date_of_birth, utc_now().date()))
            flags = " · disability/delay" if child.disability_or_delay else ""
            self.child_list.addItem(f"{child_label(child, self.initials_only)} · {age}{flags}")
        self.child_list.blockSignals(False)
        self._fill_siblings()
        rows = [o.child.id for o in case.children]
        row = rows.index(child_id) if child_id in rows else (0 if rows else -1)
        self.child_list.setCurrentRow(row)
        self._child_selected(row, round_id=round_id)

    def _show_retention(self) -> None:
        if self.case is None:
            return
        view = self._casework().retention(self.case.family.case_ref, self.retention_months)
        closed = view.closed_on is not None
        self.retention.setText(view.message if view.due else view.state.label if not closed
                               else f"Closed {view.closed_on:%d %b %Y}; kept until {view.keep_until:%d %b %Y}")
        self.close_case_button.setText("Reopen case" if closed else "Close case…")
        self.erase_case_button.setVisible(closed)

    def close_or_reopen(self) -> None:
        if self.case is None:
            return
        ref = self.case.family.case_ref
        if self.close_case_button.text().startswith("Reopen"):
            self._run(lambda: self._casework().reopen_case(ref))
        else:
            answer = QMessageBox.question(self, "Close the case",
                                          f"Close case {ref} today? It is kept for {self.retention_months} months, "
                                          "then you are reminded to file the summary and erase the local copy.")
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._run(lambda: self._casework().close_case(ref))
        self._reload()

    def erase_case(self, typed: str | None = None) -> None:
        if self.case is None:
            return
        ref = self.case.family.case_ref
        if typed is None:
            typed, ok = QInputDialog.getText(
                self, "Erase the case for good",
                f"This removes case {ref}, its children, rounds, sheets, consensus and plan from this laptop "
                "for good (the audit trail keeps only that an erasure happened). File the summary in the "
                f"official record first.\n\nType the case reference {ref} to confirm:")
            if not ok:
                return
        if self._run(lambda: self._casework().erase_case(ref, typed)) is not None:
            self.clear()
            self.erased.emit()

    def _fill_changes(self, change: RoundChange | None) -> None:
        """Section by section: improved, no change or worse between the last two agreed rounds (words and
        symbols, never colour alone)."""
        sections = [s for s in change.sections if not s.context_only] if change is not None else []
        self.changes.setRowCount(len(sections))
        if change is not None:
            self.changes.setHorizontalHeaderLabels((
                "Section", f"{change.before.held_on:%d %b %Y}", f"{change.after.held_on:%d %b %Y}", "Change"))
        marks = {Direction.IMPROVED: "✓ ", Direction.WORSE: "✗ ", Direction.UNCHANGED: "= "}
        for r, s in enumerate(sections):
            values = (s.title, "—" if s.before is None else f"{s.before:.2f}",
                      "—" if s.after is None else f"{s.after:.2f}", marks.get(s.direction, "") + s.direction.label)
            for c, value in enumerate(values):
                self.changes.setItem(r, c, QTableWidgetItem(value))
        self.changes.resizeColumnsToContents()

    def _fill_siblings(self) -> None:
        if self.case is None:
            return
        comparison = self._casework().siblings(self.case.family.id,
                                               lambda child: child_label(child, self.initials_only))
        table = self.siblings
        table.clear()
        table.setRowCount(len(comparison.rows))
        table.setColumnCount(len(comparison.columns))
        # each child's agreed view has its own date: siblings are often assessed at different meetings
        table.setHorizontalHeaderLabels([f"{c.label}\n{c.age_text}\nagreed {c.held_on:%d %b %Y}" if c.has_consensus
                                         else f"{c.label}\nno agreed view" for c in comparison.columns])
        table.setVerticalHeaderLabels([r.title for r in comparison.rows])
        for r, row in enumerate(comparison.rows):
            for c, cell in enumerate(row.cells):
                if cell is None or cell.concern_index is None:
                    text = "—" if cell is None else "not rated"
                else:
                    text = f"{cell.concern_index:.2f}"
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.setToolTip("Concern index of the latest agreed view (a visual aid, not a score): "
                         "a child singled out stands out.")

    def set_initials_only(self, on: bool) -> None:
        self.initials_only = on
        if self.case is not None:
            child = self.selected_child()
            rnd = self.selected_round()
            self.show_case(self.case.family.id, child_id=child.child.id if child else None,
                           round_id=rnd.round.id if rnd else None)

    def clear(self) -> None:
        """Forget the case shown (on lock)."""
        self.case = None
        for widget in (self.heading, self.child_heading, self.trend, self.compare_status, self.message,
                       self.retention):
            widget.clear()
        self.child_list.clear()
        self.professionals.clear()
        self.sheets.clear()
        self.siblings.clear()
        self.siblings.setRowCount(0)
        self.changes.setRowCount(0)  # section titles only, but the dates go too
        self.changes.setHorizontalHeaderLabels(CHANGE_HEADINGS)
        self.rounds.setRowCount(0)

    def selected_child(self) -> ChildOverview | None:
        row = self.child_list.currentRow()
        return self.case.children[row] if self.case and 0 <= row < len(self.case.children) else None

    def selected_round(self) -> RoundOverview | None:
        child = self.selected_child()
        rows = self.rounds.selectionModel().selectedRows() if child else []
        if child is None or not rows:
            return None
        index = rows[0].row()
        ordered = list(reversed(child.rounds))  # newest first on screen
        return ordered[index] if index < len(ordered) else None

    def _child_selected(self, row: int, round_id: uuid.UUID | None = None) -> None:
        child = self.selected_child()
        self.rounds.setRowCount(0)
        self.sheets.clear()
        self.edit_child_button.setEnabled(child is not None)
        self.new_round_button.setEnabled(child is not None)
        if child is None:
            self.child_heading.setText("Add a child to start.")
            self._round_selected()
            return
        self.child_heading.setText(f"<h3>Rounds for {esc(child_label(child.child, self.initials_only))}</h3>")
        trend = self._casework().child_trend(child.child.id)
        alert = "<b>⚠ Drift alert.</b> " if trend.alerts else ""
        self.trend.setText(f"{alert}{esc(trend.marker.split(' ', 1)[-1].capitalize())}: {esc(trend.describe())}")
        self._fill_changes(trend.last_change)
        ordered = list(reversed(child.rounds))
        self.rounds.setRowCount(len(ordered))
        for r, overview in enumerate(ordered):
            rnd = overview.round
            own = overview.own_sheet
            own_text = "—" if own is None else ("Submitted" if own.status is SheetStatus.SUBMITTED
                                                  else f"Draft ({own.answered} answered)")
            values = (rnd.held_on.strftime("%d %b %Y"), rnd.purpose.label, rnd.status.label,
                      f"{overview.submitted_professional_sheets} submitted", own_text,
                      rnd.next_review_on.strftime("%d %b %Y") if rnd.next_review_on else "")
            for c, value in enumerate(values):
                self.rounds.setItem(r, c, QTableWidgetItem(value))
        select = next((i for i, o in enumerate(ordered) if o.round.id == round_id), 0 if ordered else -1)
        if select >= 0:
            self.rounds.selectRow(select)
        self._round_selected()

    def _round_selected(self) -> None:
        overview = self.selected_round()
        self.sheets.clear()
        has_round = overview is not None
        for button in (self.edit_round_button, self.score_button, self.carer_button):
            button.setEnabled(has_round)
        self.compare_button.setEnabled(bool(overview and overview.can_compare))
        self.compare_status.setText(overview.compare_status() if overview else "")
        if overview is None:
            return
        closed = overview.round.status is RoundStatus.CLOSED
        self.score_button.setEnabled(not closed or overview.own_sheet is not None)
        for header in overview.sheets:
            state = "submitted" if header.status is SheetStatus.SUBMITTED else "draft"
            version = f" · version {header.version}" if header.version > 1 else ""
            mine = " (you)" if header.is_own else ""
            entry = QListWidgetItem(f"{header.rater_label}{mine} · {header.agency_label} · {state}{version}")
            entry.setData(Qt.ItemDataRole.UserRole, header.sheet_id)
            self.sheets.addItem(entry)

    # --- actions -------------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object]) -> object | None:
        """Run a service call, showing its error on the screen instead of raising."""
        try:
            result = action()
        except Exception as exc:  # user-facing: every error becomes a message, nothing crashes
            self.message.setText(user_message(exc))
            return None
        self.message.clear()
        return result

    def _reload(self) -> None:
        if self.case is None:
            return
        child = self.selected_child()
        rnd = self.selected_round()
        self.show_case(self.case.family.id, child_id=child.child.id if child else None,
                       round_id=rnd.round.id if rnd else None)

    def edit_family(self) -> None:
        from ..dialogs.family_dialog import FamilyDialog

        if self.case is None:
            return
        dialog = FamilyDialog(self, self.case.family)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self._casework().save_family(dialog.result_family()))
            self._reload()

    def add_child(self) -> None:
        self._child_dialog(None)

    def edit_child(self) -> None:
        child = self.selected_child()
        if child is not None:
            self._child_dialog(child)

    def _child_dialog(self, current: ChildOverview | None) -> None:
        from ...forms.loader import get_form
        from ...services.casework import DEFAULT_FORM_ID
        from ..dialogs.child_dialog import ChildDialog

        if self.case is None:
            return
        conditions = [(c.id, c.label) for c in get_form(DEFAULT_FORM_ID).conditions]
        dialog = ChildDialog(self, self.case.family.id, current.child if current else None,
                             family_name=self.case.family.family_name, conditions=conditions)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            saved = self._run(lambda: self._casework().save_child(dialog.result_child()))
            if saved is not None:
                self.show_case(self.case.family.id, child_id=saved.id)  # type: ignore[attr-defined]

    def add_professional(self) -> None:
        from ..dialogs.professional_dialog import ProfessionalDialog

        if self.case is None:
            return
        dialog = ProfessionalDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            family_id = self.case.family.id
            self._run(lambda: self._casework().add_professional(family_id, **dialog.result_fields()))
            self._reload()

    def new_round(self) -> None:
        from ..dialogs.round_dialog import RoundDialog

        child = self.selected_child()
        if child is None:
            return
        dialog = RoundDialog(self, child_label(child.child, self.initials_only), None, child_id=child.child.id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            rnd = dialog.result_round()
            saved = self._run(lambda: self._casework().create_round(
                child.child.id, held_on=rnd.held_on, purpose=rnd.purpose, next_review_on=rnd.next_review_on,
                title=rnd.title))
            if saved is not None and self.case is not None:
                self.show_case(self.case.family.id, child_id=child.child.id, round_id=saved.id)  # type: ignore[attr-defined]

    def edit_round(self) -> None:
        from ..dialogs.round_dialog import RoundDialog

        child, overview = self.selected_child(), self.selected_round()
        if child is None or overview is None:
            return
        dialog = RoundDialog(self, child_label(child.child, self.initials_only), overview.round,
                             child_id=child.child.id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            store_rounds = self._casework()
            self._run(lambda: store_rounds.update_round(dialog.result_round()))
            self._reload()

    def score_round(self) -> None:
        child, overview = self.selected_child(), self.selected_round()
        if child is None or overview is None:
            return
        editor = self._run(lambda: self._casework().start_own_sheet(overview.round.id))
        if editor is not None:
            self.sheet_opened.emit(editor, self._sheet_heading(child, overview, "Your sheet"))

    def carer_sheet(self) -> None:
        child, overview = self.selected_child(), self.selected_round()
        if child is None or overview is None:
            return
        name, ok = QInputDialog.getText(self, "Parent/carer's view",
                                        "How should the parent or carer be recorded (e.g. 'Mother')?")
        if ok and name.strip():
            editor = self._run(lambda: self._casework().start_carer_sheet(overview.round.id, name.strip()))
            if editor is not None:
                self.sheet_opened.emit(editor, self._sheet_heading(child, overview, f"{name.strip()}'s view"))

    def _sheet_activated(self, entry: QListWidgetItem) -> None:
        child, overview = self.selected_child(), self.selected_round()
        sheet_id = entry.data(Qt.ItemDataRole.UserRole)
        if child is None or overview is None or sheet_id is None:
            return
        editor = self._run(lambda: self._casework().open_sheet(sheet_id))
        if editor is not None:
            self.sheet_opened.emit(editor, self._sheet_heading(child, overview, entry.text().split(" · ")[0]))

    def amend(self, sheet_id: uuid.UUID) -> None:
        reason, ok = QInputDialog.getText(self, "Amend a submitted sheet",
                                          "Why is the sheet being amended? (kept with the new version)")
        if not ok:
            return
        if not reason.strip():
            QMessageBox.information(self, "Amend", "An amendment needs a reason; nothing was changed.")
            return
        child, overview = self.selected_child(), self.selected_round()
        editor = self._run(lambda: self._casework().amend_sheet(sheet_id, reason.strip()))
        if editor is not None and child is not None and overview is not None:
            self.sheet_opened.emit(editor, self._sheet_heading(child, overview, "Your sheet (amendment)"))

    def _compare(self) -> None:
        overview = self.selected_round()
        if overview is not None and overview.can_compare:
            self.compare_requested.emit(overview.round.id)

    def _sheet_heading(self, child: ChildOverview, overview: RoundOverview, who: str) -> str:
        rnd = overview.round
        return (f"{who} · {child_label(child.child, self.initials_only)} · "
                f"{rnd.purpose.label}, {rnd.held_on.strftime('%d %b %Y')}")
