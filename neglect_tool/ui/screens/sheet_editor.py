"""The rating sheet: answer every item by keyboard alone (one key per item) or by touch, saved as you go.

All rules (what applies, saving, undo, submitting) are in services.sheet_editor.SheetEditor; this screen
shows its state and turns key presses into calls on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import Agency
from ...services.sheet_editor import SheetEditor
from ..richtext import esc
from ..theme import is_dark
from ..widgets.evidence_panel import NOTE_SAVE_DELAY_MS, EvidencePanel
from ..widgets.item_row import ItemRow

ROW_STYLE = """
#itemRow { border: 1px solid palette(mid); border-radius: 6px; }
#itemRow[current="true"] { border: 3px solid palette(highlight); }
QPushButton:checked { font-weight: bold; border: 2px solid palette(text); }
"""
# Checked answers are filled (Okabe-Ito hues, light or dark), and always carry their symbol and label too.
_ANSWER_FILLS = {
    False: {"yes": "#c9e9f6", "borderline": "#fbe3b3", "no": "#f6c9b5", "not_known": "#e4e4e4", "na": "#eeeeee"},
    True: {"yes": "#0d4f6b", "borderline": "#6b4b00", "no": "#7a2e0e", "not_known": "#444a50", "na": "#3a3d41"},
}


def _row_style() -> str:
    fills = _ANSWER_FILLS[is_dark()]
    return ROW_STYLE + "".join(
        f'QPushButton[answer="{code}"]:checked {{ background: {colour}; }}\n' for code, colour in fills.items())


def _agency_label(code: str) -> str:
    try:
        return Agency(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


class SubmitChoice:
    SUBMIT = "submit"
    GO_TO_UNANSWERED = "go"
    CANCEL = "cancel"


class SheetEditorScreen(QWidget):
    """Shows one SheetEditor. `closed` is emitted when the user goes back to the case."""

    closed = Signal()
    submitted = Signal(object)  # the submitted RatingSheet
    amend_requested = Signal(object)  # the sheet id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sheetEditorScreen")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(_row_style())
        self.editor: SheetEditor | None = None
        self.rows: list[ItemRow] = []
        self.current = 0
        self.ask_submit: Callable[[SheetEditor], str] = _ask_submit  # replaced in tests

        layout = QVBoxLayout(self)
        self.title = QLabel("")
        self.title.setObjectName("sheetTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.sections = QListWidget()
        self.sections.setAccessibleName("Sections and their progress")
        self.sections.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sections.setWordWrap(True)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.itemClicked.connect(self._section_clicked)
        left_layout.addWidget(self.sections, 1)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Items answered")
        self.progress.setFormat("%v of %m answered")
        left_layout.addWidget(self.progress)
        self.next_unanswered_button = QPushButton("Next &unanswered (U)")
        self.next_unanswered_button.setAccessibleName("Go to the next unanswered item")
        self.next_unanswered_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.next_unanswered_button.clicked.connect(self.go_to_next_unanswered)
        left_layout.addWidget(self.next_unanswered_button)
        splitter.addWidget(left)

        self.item_scroll = QScrollArea()
        self.item_scroll.setWidgetResizable(True)
        self.item_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.item_scroll.setAccessibleName("Checklist items")
        splitter.addWidget(self.item_scroll)

        self.side = QTabWidget()
        self.side.setAccessibleName("Evidence and free text")
        self.evidence = EvidencePanel()
        self.evidence.evidence_changed.connect(self._evidence_changed)
        self.evidence.leave.connect(self.setFocus)
        self.side.addTab(self.evidence, "Evidence")
        self.free_text_edits: dict[str, QPlainTextEdit] = {}
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 6)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([250, 620, 380])
        layout.addWidget(splitter, 1)

        bar = QHBoxLayout()
        self.back_button = QPushButton("← Back to the case")
        self.back_button.setAccessibleName("Back to the case")
        self.back_button.clicked.connect(self.close_sheet)
        bar.addWidget(self.back_button)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the last answer")
        self.undo_button.clicked.connect(self.undo)
        bar.addWidget(self.undo_button)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setAccessibleName("Redo")
        self.redo_button.clicked.connect(self.redo)
        bar.addWidget(self.redo_button)
        bar.addStretch(1)
        self.saved_label = QLabel("")
        bar.addWidget(self.saved_label)
        self.submit_button = QPushButton("Submit sheet…")
        self.submit_button.setAccessibleName("Submit the sheet")
        self.submit_button.clicked.connect(self.request_submit)
        bar.addWidget(self.submit_button)
        self.amend_button = QPushButton("Amend…")
        self.amend_button.setAccessibleName("Amend this submitted sheet as a new version")
        self.amend_button.clicked.connect(lambda: self.editor and self.amend_requested.emit(self.editor.sheet.id))
        bar.addWidget(self.amend_button)
        layout.addLayout(bar)

        for keys, slot in (("Ctrl+Z", self.undo), ("Ctrl+Shift+Z", self.redo), ("Ctrl+Y", self.redo),
                           ("Ctrl+Return", self.request_submit), ("Ctrl+Enter", self.request_submit)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        self._free_text_timer = QTimer(self)
        self._free_text_timer.setSingleShot(True)
        self._free_text_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._free_text_timer.timeout.connect(self.flush)

    # --- showing a sheet -----------------------------------------------------------------------------

    def show_sheet(self, editor: SheetEditor, heading: str) -> None:
        self.clear()
        self.editor = editor
        self.title.setText(f"<h2>{esc(heading)}</h2>")
        container = QWidget()
        column = QVBoxLayout(container)
        column.setSpacing(6)
        number = 0
        for section, items in editor.sections:
            header = QLabel(f"<h3>{esc(section.title)}</h3>")
            header.setObjectName("sectionHeader")
            header.setWordWrap(True)
            column.addWidget(header)
            for item in items:
                number += 1
                row = ItemRow(number, item, editor.scale(item))
                row.picked.connect(self._picked)
                row.focused.connect(lambda item_id: self.go_to(editor.index_of(item_id)))
                column.addWidget(row)
                self.rows.append(row)
        column.addStretch(1)
        self.item_scroll.setWidget(container)
        parts = editor.free_text_sections
        if parts:
            # one tab with every written part under its full title: a tab per part ran out of room
            # ("Parent's or ca...") beside the evidence tab
            page = QWidget()
            page_layout = QVBoxLayout(page)
            for part in parts:
                edit = QPlainTextEdit()
                label = QLabel(part.title)
                label.setTextFormat(Qt.TextFormat.PlainText)  # form text is shown as written, never as markup
                title_font = label.font()
                title_font.setBold(True)
                label.setFont(title_font)
                label.setWordWrap(True)
                label.setBuddy(edit)
                edit.setAccessibleName(part.title)
                edit.setPlaceholderText(part.guidance)
                edit.setToolTip(part.guidance)
                edit.setPlainText(editor.sheet.free_text.get(part.id, ""))
                edit.setReadOnly(editor.read_only)
                edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 5)
                edit.textChanged.connect(self._free_text_timer.start)
                self.free_text_edits[part.id] = edit
                page_layout.addWidget(label)
                page_layout.addWidget(edit, 1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.side.addTab(scroll, written_parts_title([part.id for part in parts], parts[0].title))
        for row in self.rows:
            answer = editor.answer(row.item.id)
            row.show_answer(answer.option, bool(answer.note))
            row.set_read_only(editor.read_only)
        first = editor.next_unanswered()
        self.go_to(first if first is not None and not editor.read_only else 0)
        self._refresh_status()
        self.setFocus()

    def clear(self) -> None:
        """Forget the sheet shown (on lock or leaving): no answers or notes stay in the widget tree."""
        self.flush()
        self._free_text_timer.stop()
        self.editor = None
        self.rows = []
        old = self.item_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        while self.side.count() > 1:
            widget = self.side.widget(1)
            self.side.removeTab(1)
            if widget is not None:
                widget.deleteLater()
        self.free_text_edits = {}
        self.evidence.clear()
        self.sections.clear()
        self.title.clear()
        self.status.clear()
        self.saved_label.clear()

    # --- keyboard ------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editor = self.editor
        if editor is None or not self.rows:
            super().keyPressEvent(event)
            return
        key, text = event.key(), event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        item = self.rows[self.current].item
        option = editor.option_for_key(item, text) if text and modifiers == Qt.KeyboardModifier.NoModifier else None
        if option is not None:
            if not editor.read_only:
                self._answer(item.id, option.code, advance=True)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_J):
            self.go_to(self.current + 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_K):
            self.go_to(self.current - 1)
        elif key == Qt.Key.Key_PageDown:
            self._jump_section(+1)
        elif key == Qt.Key.Key_PageUp:
            self._jump_section(-1)
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.rows) - 1)
        elif key == Qt.Key.Key_U:
            self.go_to_next_unanswered()
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == Qt.KeyboardModifier.NoModifier:
            self.side.setCurrentWidget(self.evidence)
            self.evidence.note.setFocus()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not editor.read_only:
            self._answer(item.id, None, advance=False)
        elif key == Qt.Key.Key_Escape:
            self.close_sheet()
        else:
            super().keyPressEvent(event)

    # --- moving --------------------------------------------------------------------------------------

    def go_to(self, index: int) -> None:
        if not self.rows or self.editor is None:
            return
        index = max(0, min(index, len(self.rows) - 1))
        self.rows[self.current].set_current(False)
        self.current = index
        row = self.rows[index]
        row.set_current(True)
        self.item_scroll.ensureWidgetVisible(row, 0, 60)
        self.evidence.show_item(index + 1, row.item, self.editor.answer(row.item.id),
                                ", ".join(_agency_label(a) for a in row.item.agencies), self.editor.read_only)
        self._select_section_of(index)

    def go_to_next_unanswered(self) -> None:
        if self.editor is None:
            return
        index = self.editor.next_unanswered(self.current)
        if index is None:
            self.saved_label.setText("Every item is answered.")
        else:
            self.go_to(index)

    def _jump_section(self, step: int) -> None:
        starts = self._section_starts()
        section = self._section_index(self.current)
        target = max(0, min(section + step, len(starts) - 1))
        self.go_to(starts[target])

    def _section_starts(self) -> list[int]:
        starts, n = [], 0
        for _section, items in self.editor.sections if self.editor else ():
            starts.append(n)
            n += len(items)
        return starts

    def _section_index(self, item_index: int) -> int:
        starts = self._section_starts()
        return max(i for i, start in enumerate(starts) if start <= item_index)

    def _section_clicked(self, list_item: QListWidgetItem) -> None:
        self.go_to(self._section_starts()[self.sections.row(list_item)])
        self.setFocus()

    def _select_section_of(self, index: int) -> None:
        if self.sections.count():
            self.sections.setCurrentRow(self._section_index(index))

    # --- changing ------------------------------------------------------------------------------------

    def _picked(self, item_id: str, code: str) -> None:
        if self.editor is None or self.editor.read_only:
            return
        current = self.editor.answer(item_id).option
        self.go_to(self.editor.index_of(item_id))
        self._answer(item_id, None if current == code else code, advance=current != code)
        self.setFocus()

    def _answer(self, item_id: str, code: str | None, *, advance: bool) -> None:
        assert self.editor is not None
        answer = self.editor.set_option(item_id, code)
        index = self.editor.index_of(item_id)
        self.rows[index].show_answer(answer.option, bool(answer.note))
        self._refresh_status()
        if advance and index + 1 < len(self.rows):
            self.go_to(index + 1)

    def _evidence_changed(self, item_id: str, note: str, source: object, recency: object) -> None:
        if self.editor is None or self.editor.read_only:
            return
        answer = self.editor.set_evidence(item_id, note=note, source=source, recency=recency)  # type: ignore[arg-type]
        self.rows[self.editor.index_of(item_id)].show_answer(answer.option, bool(answer.note))
        self._refresh_status()

    def flush(self) -> None:
        """Save anything typed but not yet saved (notes and free text)."""
        self.evidence.flush()
        if self.editor is None or self.editor.read_only:
            return
        self._free_text_timer.stop()
        for section_id, edit in self.free_text_edits.items():
            self.editor.set_free_text(section_id, edit.toPlainText())

    def undo(self) -> None:
        self._step(self.editor.undo if self.editor else None)

    def redo(self) -> None:
        self._step(self.editor.redo if self.editor else None)

    def _step(self, action: Callable[[], str | None] | None) -> None:
        if action is None or self.editor is None:
            return
        self.evidence.flush()
        item_id = action()
        if item_id is not None:
            index = self.editor.index_of(item_id)
            answer = self.editor.answer(item_id)
            self.rows[index].show_answer(answer.option, bool(answer.note))
            self.go_to(index)
        self._refresh_status()

    def request_submit(self) -> None:
        editor = self.editor
        if editor is None or editor.read_only:
            return
        self.flush()
        choice = self.ask_submit(editor)
        if choice == SubmitChoice.GO_TO_UNANSWERED:
            self.go_to_next_unanswered()
        elif choice == SubmitChoice.SUBMIT:
            sheet = editor.submit()
            for row in self.rows:
                row.set_read_only(True)
            self.evidence.show_item(self.current + 1, self.rows[self.current].item,
                                    editor.answer(self.rows[self.current].item.id), "", True)
            for edit in self.free_text_edits.values():
                edit.setReadOnly(True)
            self._refresh_status()
            self.submitted.emit(sheet)

    def close_sheet(self) -> None:
        self.flush()
        self.clear()
        self.closed.emit()

    # --- status --------------------------------------------------------------------------------------

    def _refresh_status(self) -> None:
        editor = self.editor
        if editor is None:
            return
        progress = editor.progress()
        self.sections.clear()
        for p in progress:
            mark = "✓" if p.complete else f"{p.answered}/{p.total}"
            # non-breaking spaces: a wrapped title keeps its count on the same line as its last word
            entry = QListWidgetItem(f"{p.section.title}\u00a0·\u00a0{mark}")
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, f"{p.section.title}: {p.answered} of {p.total} answered")
            self.sections.addItem(entry)
        self._select_section_of(self.current)
        total = len(editor.items)
        self.progress.setRange(0, total)
        self.progress.setValue(editor.answered_count())
        hidden = editor.applicability.hidden_summary()
        sheet = editor.sheet
        if editor.read_only:
            when = sheet.submitted_at.strftime("%d %b %Y %H:%M") if sheet.submitted_at else ""
            state = f"Submitted {when} and locked (version {sheet.version}). Amend to change it."
        else:
            state = "Draft: every answer is saved as you give it."
            if sheet.version > 1:
                state += f" Amendment (version {sheet.version}): {sheet.amendment_reason}"
        self.status.setText(" ".join(part for part in (state, hidden + "." if hidden else "") if part))
        self.undo_button.setEnabled(editor.can_undo)
        self.redo_button.setEnabled(editor.can_redo)
        self.submit_button.setVisible(not editor.read_only)
        self.amend_button.setVisible(editor.can_amend)
        self.next_unanswered_button.setEnabled(editor.answered_count() < total)
        self.saved_label.setText("Saved" if not editor.read_only else "")


STRENGTHS_AND_VIEWS = frozenset({"strengths", "child_voice", "carer_view"})


def written_parts_title(part_ids: Sequence[str], first_title: str) -> str:
    """The tab's name: what the shipped forms' written parts are, a single part's own short title, or a
    neutral name for a form with other parts."""
    if len(part_ids) == 1:
        short = first_title.split(":")[0].strip()
        return short[4:].capitalize() if short.lower().startswith("the ") else short
    return "Strengths and views" if set(part_ids) <= STRENGTHS_AND_VIEWS else "Written parts"


def _ask_submit(editor: SheetEditor) -> str:
    unanswered = editor.unanswered()
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Submit the sheet")
    if unanswered:
        listed = "".join(f"<li>{esc(item.text)}</li>" for item in unanswered[:5])
        more = f"<li>…and {len(unanswered) - 5} more</li>" if len(unanswered) > 5 else ""
        box.setText(f"<b>{len(unanswered)} item{'s are' if len(unanswered) != 1 else ' is'} unanswered:</b>"
                    f"<ul>{listed}{more}</ul>")
    else:
        box.setText("<b>Every item is answered.</b>")
    box.setInformativeText("Once submitted, the sheet is locked: a change afterwards is a new version with a "
                           "reason. The other professionals' answers become visible to you.")
    submit = box.addButton("Submit and lock", QMessageBox.ButtonRole.AcceptRole)
    go = box.addButton("Go to unanswered", QMessageBox.ButtonRole.ActionRole) if unanswered else None
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is submit:
        return SubmitChoice.SUBMIT
    if go is not None and clicked is go:
        return SubmitChoice.GO_TO_UNANSWERED
    return SubmitChoice.CANCEL
