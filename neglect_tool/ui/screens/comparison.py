"""The meeting view: every professional's answers side by side, where they differ and why, and the
meeting's agreed view item by item. Meeting mode is full screen with large type for a 1280x720 projector.

The grid, profiles and agreement figures come from scoring.comparison (built by services.casework); the
consensus and plan are recorded through services.meeting. No statistics are computed here.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...forms.model import FormDefinition
from ...scoring.comparison import (
    Comparison,
    ComparisonRow,
    RaterColumn,
    RowFilter,
    RowOrder,
    filter_rows,
    sort_rows,
)
from ...scoring.profile import SectionProfile, answer_counts
from ...services.casework import Casework
from ...services.errors import user_message
from ...services.meeting import Meeting
from ..models.comparison_table import ROW_ROLE, ComparisonTableModel, cell_text
from ..richtext import esc
from ..theme import is_dark
from .plan_panel import PlanPanel

ORDERS = (("Disagreements first", RowOrder.DISCUSSION_FIRST), ("Form order", RowOrder.FORM))
FILTERS = (("All items", RowFilter.ALL), ("Disagreements only", RowFilter.DISAGREEMENTS),
           ("Information gaps only", RowFilter.INFORMATION_GAPS))
MEETING_FONT_PT = 15


class ComparisonScreen(QWidget):
    back_requested = Signal()
    meeting_mode_changed = Signal(bool)

    def __init__(self, casework: Callable[[], Casework], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparisonScreen")
        self._casework = casework
        self.comparison: Comparison | None = None
        self.meeting: Meeting | None = None
        self.round_id: object = None
        self.heading_text = ""
        self.meeting_mode = False
        self.initials_only = False
        self._headings: list[str] = []  # one per rater column, before wrapping to the column width
        self.drift_text = ""

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Case")
        self.back_button.setAccessibleName("Back to the case")
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        self.order = QComboBox()
        self.order.setAccessibleName("Order of the items")
        for label, _order in ORDERS:
            self.order.addItem(label)
        self.order.currentIndexChanged.connect(lambda _i: self._fill_rows())
        top.addWidget(self.order)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Which items to show")
        self.filter.currentIndexChanged.connect(lambda _i: self._fill_rows())
        top.addWidget(self.filter)
        self.next_button = QPushButton("Next disagreement (D)")
        self.next_button.setAccessibleName("Go to the next disagreement")
        self.next_button.clicked.connect(self.next_disagreement)
        top.addWidget(self.next_button)
        self.meeting_button = QPushButton("Meeting mode (F11)")
        self.meeting_button.setAccessibleName("Meeting mode: full screen, large type, initials only")
        self.meeting_button.setCheckable(True)
        self.meeting_button.toggled.connect(self.set_meeting_mode)
        top.addWidget(self.meeting_button)
        layout.addLayout(top)
        self.counts = QLabel("")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.agreement = QLabel("")
        self.agreement.setWordWrap(True)
        self.agreement.setObjectName("agreementSummary")
        layout.addWidget(self.agreement)
        self.drift = QLabel("")
        self.drift.setWordWrap(True)
        self.drift.setObjectName("driftAlert")
        self.drift.setAccessibleName("Drift alert")
        layout.addWidget(self.drift)

        splitter = self.vertical = QSplitter(Qt.Orientation.Vertical)
        upper = self.upper = QSplitter(Qt.Orientation.Horizontal)
        self.model = ComparisonTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Answers of every professional, item by item")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.viewport().installEventFilter(self)  # the splitter resizes the grid: refit its columns
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        upper.addWidget(self.table)
        upper.addWidget(self._detail_panel())
        upper.setSizes([900, 360])
        splitter.addWidget(upper)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Profiles, agreement, charts and plan")
        self.profiles = QTableWidget()
        self.profiles.setAccessibleName("Section profile of each professional and the meeting")
        self.profiles.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        profiles_page = QWidget()
        profiles_box = QVBoxLayout(profiles_page)
        profiles_box.setContentsMargins(0, 0, 0, 0)
        self.index_caption = QLabel("")
        self.index_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.index_caption.setWordWrap(True)
        profiles_box.addWidget(self.index_caption)
        profiles_box.addWidget(self.profiles, 1)
        self.tabs.addTab(profiles_page, "Profiles")
        self.section_agreement = QTableWidget()
        self.section_agreement.setAccessibleName("Agreement by section")
        self.section_agreement.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabs.addTab(self.section_agreement, "Agreement by section")
        self.charts = QWidget()
        self.charts.setAccessibleName("Charts")
        QVBoxLayout(self.charts)
        self.tabs.addTab(self.charts, "Charts")
        self.plan = PlanPanel()
        plan_scroll = QScrollArea()  # the plan's form must not set the least height of every tab
        plan_scroll.setWidgetResizable(True)
        plan_scroll.setWidget(self.plan)
        self.tabs.addTab(plan_scroll, "Plan")
        self.tabs.currentChanged.connect(self._tab_changed)
        splitter.addWidget(self.tabs)
        splitter.setSizes([600, 200])
        layout.addWidget(splitter, 1)
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages can quote what was typed
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        for keys, slot in (("D", self.next_disagreement), ("F3", self.next_disagreement),
                           ("F11", self.meeting_button.toggle), ("Escape", self._escape)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self._charts_drawn = False

    def _detail_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(6, 0, 0, 0)
        self.item_text = QLabel("Select an item to see everyone's evidence.")
        self.item_text.setWordWrap(True)
        self.item_text.setTextFormat(Qt.TextFormat.RichText)
        self.evidence = QLabel("")
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        self.evidence.setAccessibleName("Each professional's answer, evidence and note for the selected item")
        details = QWidget()
        details_box = QVBoxLayout(details)
        details_box.setContentsMargins(0, 0, 0, 0)
        details_box.addWidget(self.item_text)
        details_box.addWidget(self.evidence)
        details_box.addStretch(1)
        self.details = QScrollArea()  # everyone's notes can run longer than the panel
        self.details.setWidgetResizable(True)
        self.details.setWidget(details)
        self.details.setAccessibleName("The selected item: wording, everyone's answers and notes")
        self.details.setMinimumHeight(self.details.fontMetrics().lineSpacing() * 8)
        box.addWidget(self.details, 1)
        agreed = QGroupBox("The meeting's view")
        form = QFormLayout(agreed)
        self.agreed_option = QComboBox()
        self.agreed_option.setAccessibleName("Agreed answer")
        form.addRow("&Agreed answer", self.agreed_option)
        self.rationale = QPlainTextEdit()
        self.rationale.setAccessibleName("Why the meeting agreed this")
        self.rationale.setPlaceholderText("Why: the evidence the meeting relied on")
        self.rationale.setMaximumHeight(80)
        form.addRow("&Rationale", self.rationale)
        self.agree_button = QPushButton("Record agreed answer")
        self.agree_button.setAccessibleName("Record the agreed answer for this item")
        self.agree_button.clicked.connect(self.record_agreed)
        form.addRow(self.agree_button)
        self.escalation_owner = QLineEdit()
        self.escalation_owner.setAccessibleName("Who escalates the unresolved disagreement")
        form.addRow("Escalated &by", self.escalation_owner)
        self.escalate_by = QDateEdit()
        self.escalate_by.setAccessibleName("Escalate by date")
        self.escalate_by.setCalendarPopup(True)
        self.escalate_by.setDisplayFormat("dd MMM yyyy")
        self.escalate_by.setDate(QDate.currentDate().addDays(14))
        form.addRow("Escalate by &date", self.escalate_by)
        self.unresolved_button = QPushButton("Mark unresolved")
        self.unresolved_button.setAccessibleName("Mark this item unresolved, with who escalates it and by when")
        self.unresolved_button.clicked.connect(self.record_unresolved)
        form.addRow(self.unresolved_button)
        box.addWidget(agreed)
        row = QHBoxLayout()
        self.unanimous_button = QPushButton("Accept unanimous answers")
        self.unanimous_button.setAccessibleName("Record the agreed answer wherever all professionals agree")
        self.unanimous_button.clicked.connect(self.accept_unanimous)
        self.finalise_button = QPushButton("Finalise and close round…")
        self.finalise_button.setAccessibleName("Make the consensus final and close the round")
        self.finalise_button.clicked.connect(self.finalise)
        row.addWidget(self.unanimous_button)
        row.addWidget(self.finalise_button)
        box.addLayout(row)
        return panel

    # --- showing -------------------------------------------------------------------------------------

    def show_round(self, round_id: object, heading: str) -> None:
        """Load the comparison (raises BlindScoring if the owner's own sheet is still a draft)."""
        warm_up_charts()
        work = self._casework()
        self.round_id = round_id
        self.heading_text = heading
        self.comparison = work.comparison(round_id)  # type: ignore[arg-type]
        self.meeting = work.meeting(round_id)  # type: ignore[arg-type]
        trend = work.child_trend(self.meeting.round.child_id)
        self.drift_text = " ".join(alert.message for alert in trend.alerts)
        self._charts_drawn = False
        self._render()

    def _name(self, column: RaterColumn, *, short: bool = False) -> str:
        """A rater's name as shown: a parent's or carer's name is family data, so initials-only hides it."""
        if not column.is_professional and self.initials_only:
            return "Parent/carer"
        return _short_name(column.name) if short else column.name

    def _heading(self, column: RaterColumn) -> str:
        """ "M. Ellery" over "Social worker", for a column heading."""
        return _with_role(self._name(column, short=True), column.role, "{}\n{}")

    def _who(self, column: RaterColumn) -> str:
        """ "Morgan Ellery (Social worker)"; the parent/carer as "Parent/carer" when names are hidden."""
        return _with_role(self._name(column), column.role, "{} ({})")

    def set_initials_only(self, on: bool) -> None:
        self.initials_only = on
        if self.comparison is not None:
            current = self.selected_row()
            self._fill_rows(current.item.id if current else None)
            self._fill_profiles()

    def set_heading(self, heading: str) -> None:
        self.heading_text = heading
        if self.comparison is not None:
            self.heading.setText(f"<h2>Comparison · {esc(heading)}</h2>")

    def _reload(self, keep_item: str | None = None) -> None:
        if self.round_id is None:
            return
        self.comparison = self._casework().comparison(self.round_id)  # type: ignore[arg-type]
        self._charts_drawn = False
        self._render(keep_item)

    def _render(self, keep_item: str | None = None) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        self.heading.setText(f"<h2>Comparison · {esc(self.heading_text)}</h2>")
        counts = comparison.counts()
        people = len(comparison.professionals)
        carers = f" and {len(comparison.carers)} parent/carer view" if comparison.carers else ""
        self.counts.setText(
            f"{people} professionals{carers} · {counts['items']} items · <b>{counts['disagreements']} "
            f"disagreements</b> · {counts['information_differences']} information differences · "
            f"{counts['unresolved']} unresolved · {esc(comparison.hidden_summary)}")
        self.agreement.setText(_agreement_text(comparison))
        self.drift.setText(f"<b>⚠ Drift alert.</b> {esc(self.drift_text)}" if self.drift_text else "")
        self.drift.setVisible(bool(self.drift_text))
        self.filter.blockSignals(True)
        current = self.filter.currentIndex()
        self.filter.clear()
        for label, _f in FILTERS:
            self.filter.addItem(label)
        for section in comparison.form.sections:
            if any(r.section_id == section.id for r in comparison.rows):
                self.filter.addItem(f"Section: {section.title}", section.id)
        self.filter.setCurrentIndex(max(0, current))
        self.filter.blockSignals(False)
        self._fill_rows(keep_item)
        self._fill_profiles()
        self._fill_section_agreement()
        final = bool(self.meeting and self.meeting.is_final)
        for widget in (self.agree_button, self.unresolved_button, self.unanimous_button, self.finalise_button,
                       self.agreed_option, self.rationale, self.escalation_owner, self.escalate_by):
            widget.setEnabled(not final)
        if self.meeting is not None:
            self.plan.show_plan(self.meeting)
        if self.tabs.currentWidget() is self.charts:
            self._draw_charts()

    def _fill_rows(self, keep_item: str | None = None) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        order = ORDERS[max(0, self.order.currentIndex())][1]
        index = self.filter.currentIndex()
        if index < len(FILTERS):
            rows = filter_rows(comparison.rows, FILTERS[max(0, index)][1])
        else:
            section_id = self.filter.itemData(index)
            rows = [r for r in comparison.rows if r.section_id == section_id]
        rows = sort_rows(rows, order)
        self._headings = [self._heading(r) for r in comparison.raters]
        self.model.dark = is_dark()
        self.model.set_comparison(comparison, rows, self._headings, [self._who(r) for r in comparison.raters])
        self._size_columns()
        target = next((n for n, r in enumerate(rows) if r.item.id == keep_item), 0 if rows else -1)
        if target >= 0:
            self.table.selectRow(target)
        else:
            self._show_row(None)

    def _size_columns(self) -> None:
        """Each rater column is as wide as its answers need (in meeting mode, the longest word: a cell may
        wrap over the row's three lines), within what leaves the item's wording a readable share; the
        headings are wrapped to that width rather than cut."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        em = metrics.horizontalAdvance("M")
        columns = self.model.columnCount()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(em * 3)
        if columns:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        texts = self.model.cell_texts()
        pieces = [w for t in texts for w in t.split()] if self.meeting_mode else list(texts)
        bold = QFont(header.font())
        bold.setBold(True)  # a header section is drawn bold while its column is selected (every row selection)
        advance = QFontMetrics(bold).horizontalAdvance
        margins = max(10, em // 2)  # the delegate's or the header's text margins, and the grid line
        heading_words = [w for h in self._headings for w in split_words(h)]
        needed = max([em * 3, *(metrics.horizontalAdvance(p) for p in pieces),
                      *(advance(w) for w in heading_words)]) + margins
        raters = max(1, columns - 1)
        item_share = em * (12 if self.meeting_mode else 22)
        room = (self.table.viewport().width() - item_share) // raters
        rater_width = max(em * 3, min(needed, room)) if room > 0 else em * 3
        if not self.meeting_mode:
            rater_width = max(rater_width, min(em * 9, room))
        for column in range(1, columns):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, rater_width)
        self.model.set_headings(["\n".join(line for part in heading.split("\n")
                                           for line in wrap_words(part, rater_width - margins, advance))
                                 for heading in self._headings])
        # Fixed row heights of three lines (four in meeting mode's narrower wording column): measuring every
        # wrapped row (resizeRowsToContents) cost ~100 ms at 8 x 80 and again on every resize; the full
        # wording of a long item is in the detail panel and the tooltip.
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(metrics.lineSpacing() * (4 if self.meeting_mode else 3) + 10)

    def _split_upper(self) -> None:
        total = sum(self.upper.sizes()) or self.width()
        share = 0.78 if self.meeting_mode else 0.70
        self.upper.setSizes([int(total * share), total - int(total * share)])

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.comparison is not None:
            self._split_upper()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Resize and self.comparison is not None
                and watched is self.table.viewport()):
            self._size_columns()
        return super().eventFilter(watched, event)

    def _row_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_row(self.model.data(current, ROW_ROLE) if current.isValid() else None)

    def selected_row(self) -> ComparisonRow | None:
        index = self.table.currentIndex()
        row = self.model.data(index, ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, ComparisonRow) else None

    def _show_row(self, row: ComparisonRow | None) -> None:
        comparison = self.comparison
        if row is None or comparison is None:
            self.item_text.setText("")
            self.evidence.setText("")
            return
        yes_means = f"<br><i>Yes here means: {esc(row.item.yes_means)}</i>" if row.item.yes_means else ""
        self.item_text.setText(f"<b>{row.position}. {esc(row.item.text)}</b>{yes_means}<br>"
                               f"<i>{esc(row.section_title)} · {esc(row.status.label)}</i>")
        lines = []
        for column, cell in zip(comparison.raters, (*row.cells, *row.carer_cells), strict=True):
            evidence = f" — {esc(cell.evidence)}" if cell.evidence else ""
            note = f"<br>“{esc(cell.note)}”" if cell.note else ""  # the why behind the answer
            lines.append(f"<b>{esc(self._who(column))}</b>: {esc(cell_text(cell))}{evidence}{note}")
        if row.information_difference:
            lines.append("<i>Information difference: " + esc(", ".join(row.not_known_by)) + " did not know.</i>")
        if row.agencies_to_ask:
            lines.append("<i>Usually known by: " + esc(", ".join(row.agencies_to_ask)) + "</i>")
        self.evidence.setText("".join(f"<p style='margin: 0 0 6px 0'>{line}</p>" for line in lines))
        scale = comparison.form.scale_for(row.item)
        self.agreed_option.clear()
        for option in scale.options:
            self.agreed_option.addItem(option.label, option.code)
        existing = row.consensus
        if existing is not None and existing.agreed_option:
            self.agreed_option.setCurrentIndex(self.agreed_option.findData(existing.agreed_option))
        self.rationale.setPlainText(existing.rationale if existing else "")
        self.escalation_owner.setText(existing.escalation_owner if existing else "")

    # --- actions -------------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except Exception as exc:  # every error becomes a message on the screen
            self.message.setText(user_message(exc))
            return False
        self.message.clear()
        return True

    def record_agreed(self) -> None:
        row, meeting = self.selected_row(), self.meeting
        if row is None or meeting is None:
            return
        code = self.agreed_option.currentData()
        if self._run(lambda: meeting.agree(row.item.id, code, self.rationale.toPlainText().strip())):
            self._reload(self._next_after(row))

    def record_unresolved(self) -> None:
        row, meeting = self.selected_row(), self.meeting
        if row is None or meeting is None:
            return
        by = self.escalate_by.date().toPython()
        assert isinstance(by, dt.date)
        if self._run(lambda: meeting.mark_unresolved(row.item.id, escalation_owner=self.escalation_owner.text().strip(),
                                                     escalate_by=by, rationale=self.rationale.toPlainText().strip())):
            self._reload(self._next_after(row))

    def accept_unanimous(self) -> None:
        meeting = self.meeting
        if meeting is not None and self._run(meeting.accept_unanimous):
            self._reload()

    def finalise(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        meeting = self.meeting
        if meeting is None:
            return
        undecided = len(meeting.undecided())
        if undecided:
            self.message.setText(f"{undecided} items still need the meeting's view (agreed, or unresolved with "
                                 "who escalates it and by when).")
            return
        answer = QMessageBox.question(self, "Finalise the consensus",
                                      "Make the consensus final and close the round? It cannot be changed after.")
        if answer == QMessageBox.StandardButton.Yes and self._run(meeting.finalise):
            self._reload()

    def _next_after(self, row: ComparisonRow) -> str | None:
        rows = self.model.rows
        index = next((n for n, r in enumerate(rows) if r.item.id == row.item.id), -1)
        return rows[index + 1].item.id if 0 <= index < len(rows) - 1 else row.item.id

    def next_disagreement(self) -> None:
        rows = self.model.rows
        if not rows:
            return
        start = self.table.currentIndex().row()
        for step in range(1, len(rows) + 1):
            n = (start + step) % len(rows)
            if rows[n].needs_discussion and rows[n].consensus is None:
                self.table.selectRow(n)
                self.table.scrollTo(self.model.index(n, 0))
                return
        self.message.setText("No disagreement is left without the meeting's view.")

    def set_meeting_mode(self, on: bool) -> None:
        """Large type for a projector; the window goes full screen and names become initials."""
        self.meeting_mode = on
        # the projector shows the grid and the item in discussion; profiles, charts and plan stay a click away
        self.tabs.setVisible(not on)
        self.counts.setVisible(not on)
        font = QFont(self.font())
        font.setPointSize(MEETING_FONT_PT if on else QFont().pointSize())
        for widget in (self.table, self.evidence, self.item_text, self.agreement):
            widget.setFont(font)
        header_font = QFont(font)  # a little smaller: names and roles wrap over fewer, narrower lines
        header_font.setPointSize(font.pointSize() - 2 if on else font.pointSize())
        self.table.horizontalHeader().setFont(header_font)
        self._split_upper()
        self._size_columns()
        if self.meeting_button.isChecked() != on:
            self.meeting_button.setChecked(on)
        self.meeting_mode_changed.emit(on)

    def _escape(self) -> None:
        if self.meeting_mode:
            self.meeting_button.setChecked(False)
        else:
            self.back_requested.emit()

    # --- profiles, agreement, charts -----------------------------------------------------------------

    def _fill_profiles(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        columns = [(self._who(c), comparison.profiles.get(c.sheet_id, ())) for c in comparison.raters]
        if comparison.consensus_profile is not None:
            columns.append(("Agreed", comparison.consensus_profile))
        sections = [s for s in comparison.form.sections if not s.context_only]
        self.profiles.clear()
        self.profiles.setRowCount(len(sections))
        self.profiles.setColumnCount(len(columns))
        self.profiles.setHorizontalHeaderLabels([c[0] for c in columns])
        self.profiles.setVerticalHeaderLabels([s.title for s in sections])
        for c, (_heading, profile) in enumerate(columns):
            by_id = {p.section_id: p for p in profile}
            for r, section in enumerate(sections):
                p = by_id.get(section.id)
                self.profiles.setItem(r, c, QTableWidgetItem(_profile_text(p, comparison.form)))
        self.profiles.resizeColumnsToContents()
        self.index_caption.setText(f"Each cell: the {comparison.index_label}, then how many items got each answer.")

    def _fill_section_agreement(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        results = list(comparison.section_agreement.values())
        names = sorted({f.name for r in results for f in r.figures}, key=lambda n: n)
        self.section_agreement.clear()
        self.section_agreement.setRowCount(len(results))
        self.section_agreement.setColumnCount(len(names) + 1)
        self.section_agreement.setHorizontalHeaderLabels([*names, "Based on"])
        self.section_agreement.setVerticalHeaderLabels([r.scope for r in results])
        for r, result in enumerate(results):
            by_name = {f.name: f for f in result.figures}
            for c, name in enumerate(names):
                figure = by_name.get(name)
                text = figure.text if figure else (result.not_defined or "")
                self.section_agreement.setItem(r, c, QTableWidgetItem(text))
            basis = f"{result.n_items_compared} items, {result.n_raters} professionals"
            self.section_agreement.setItem(r, len(names), QTableWidgetItem(basis))
        self.section_agreement.resizeColumnsToContents()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.charts:
            self._make_room_for_charts()
            self._draw_charts()

    def _make_room_for_charts(self) -> None:
        """The grid keeps most of the height; the charts, once asked for, get at least half of it."""
        sizes = self.vertical.sizes()
        total = sum(sizes)
        if len(sizes) == 2 and total and sizes[1] < total * 0.5:
            self.vertical.setSizes([total - total // 2, total // 2])

    def _draw_charts(self) -> None:
        """matplotlib is loaded here, the first time the Charts tab is opened, never at start-up."""
        if self._charts_drawn or self.comparison is None:
            return
        from ...charts.loading import load_matplotlib

        load_matplotlib(QT_CANVAS)  # waits for the warm-up thread if it is still importing
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from ...charts import bars_chart, bars_data, radar_chart, radar_data, trend_chart, trend_data

        layout = self.charts.layout()
        assert layout is not None
        while layout.count():
            taken = layout.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()  # type: ignore[union-attr]
        holder = QWidget()
        row = QHBoxLayout(holder)
        figures = [radar_chart(radar_data(self.comparison)), bars_chart(bars_data(self.comparison))]
        history = self._casework().trend_for_round(self.round_id)  # type: ignore[arg-type]
        if len(history.dates) >= 2:
            figures.append(trend_chart(trend_data(history, self.comparison.index_label)))
        for figure in figures:
            canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]
            canvas.setAccessibleName("Chart")
            width, height = figure.get_size_inches() * figure.dpi
            canvas.setMinimumSize(int(width), int(height))  # charts keep their designed size; the tab scrolls
            row.addWidget(canvas)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setAccessibleName("Charts: concern index by section, answers by section and rater, trend")
        layout.addWidget(scroll)
        self._charts_drawn = True

    def clear(self) -> None:
        """Forget everything shown (on lock)."""
        self.comparison = None
        self.meeting = None
        self.round_id = None
        self.model.clear()
        self.drift_text = ""
        for label in (self.heading, self.counts, self.agreement, self.drift, self.item_text, self.evidence,
                      self.message):
            label.clear()
        self.rationale.clear()
        self.escalation_owner.clear()
        self.agreed_option.clear()
        self.profiles.clear()
        self.profiles.setRowCount(0)
        self.section_agreement.clear()
        self.section_agreement.setRowCount(0)
        self.plan.clear()
        layout = self.charts.layout()
        while layout is not None and layout.count():
            taken = layout.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()  # type: ignore[union-attr]
        self._charts_drawn = False


_warmed = threading.Event()
QT_CANVAS = "matplotlib.backends.backend_qtagg"


def warm_up_charts() -> None:
    """Import matplotlib in the background once the meeting view is on screen, so that opening the Charts
    tab does not stall the meeting (~0.3-0.9 s of imports). Nothing is drawn off the UI thread."""
    if _warmed.is_set():
        return
    _warmed.set()

    def load() -> None:
        from ...charts.loading import load_matplotlib

        load_matplotlib(QT_CANVAS)  # under the charts' import lock: the Charts tab may be opened meanwhile

    threading.Thread(target=load, name="warm-up-charts", daemon=True).start()


def _with_role(name: str, role: str, pattern: str) -> str:
    """The name with its role, unless the name already says it ("Parent/carer", not twice)."""
    return name if role.casefold() in name.casefold() else pattern.format(name, role)


def split_words(text: str) -> list[str]:
    """Words, with a break allowed after a slash ("Parent/" "carer")."""
    return [piece for word in text.split() for piece in re.findall(r"[^/]+/?|/", word)]


def wrap_words(text: str, width: int, advance: Callable[[str], int]) -> list[str]:
    """`text` broken into lines no wider than `width` where the words allow: at spaces, and after a slash
    only when a word does not fit whole (a piece wider than the line keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        pieces = [word] if advance(word) <= width else split_words(word)
        for n, piece in enumerate(pieces):
            joined = f"{lines[-1]}{piece}" if n else f"{lines[-1]} {piece}" if lines else piece
            if lines and advance(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    return lines or [text]


def _short_name(name: str) -> str:
    """ "Dr Tomasz Brenner" -> "T. Brenner": column headings stay narrow; the full name is in the tooltip."""
    parts = [p for p in name.split() if p.rstrip(".").lower() not in {"dr", "mr", "mrs", "ms", "miss", "mx"}]
    return f"{parts[0][0]}. {' '.join(parts[1:])}" if len(parts) > 1 else name


def _profile_text(profile: SectionProfile | None, form: FormDefinition) -> str:
    """ "1.38 · 3 Yes, 2 Borderline, 1 No, 2 Not known": the index and the counts it rests on."""
    if profile is None:
        return ""
    index = "no ratings" if profile.concern_index is None else f"{profile.concern_index:.2f}"
    counts = ", ".join(f"{count} {label}" for label, count in answer_counts(form, profile))
    return f"{index} · {counts}" if counts else index


def _agreement_text(comparison: Comparison) -> str:
    result = comparison.agreement
    if result is None:
        return ""
    if result.not_defined:
        return f"Agreement between professionals: not defined ({result.not_defined})"
    figures = " · ".join(f.text for f in result.figures)
    read = f" Read <b>{esc(result.recommended)}</b> first." if result.recommended else ""
    caution = f"<br><i>{esc(result.caution)}</i>" if result.caution else ""
    return (f"Agreement between professionals ({result.n_items_compared} items, {result.n_raters} professionals;"
            f" the parent/carer's view is not included): {figures}.{read}{caution}")
