"""The side panel of the rating sheet: guidance for the current item and its evidence note."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...domain import Answer, EvidenceSource, Recency
from ...forms.model import Item
from ..richtext import esc

NOTE_SAVE_DELAY_MS = 600  # a note is saved this long after the last key stroke, and on leaving it


class NoteEdit(QPlainTextEdit):
    """Esc leaves the note (it is saved) and gives the keyboard back to the answers."""

    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leave.emit()
            return
        super().keyPressEvent(event)


class EvidencePanel(QWidget):
    """Emits `evidence_changed(item_id, note, source, recency)` when the user changes the evidence."""

    evidence_changed = Signal(str, str, object, object)
    leave = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("evidencePanel")
        self._item_id: str | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.title.setObjectName("evidenceTitle")
        layout.addWidget(self.title)
        self.guidance = QLabel("")
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.guidance)

        form = QFormLayout()
        self.note = NoteEdit()
        self.note.setAccessibleName("Evidence note for this item")
        self.note.setPlaceholderText("What you saw or were told, when, and by whom (N to write, Esc to leave)")
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(110)
        note_label = QLabel("Evidence &note")
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        self.source = QComboBox()
        self.source.setAccessibleName("Source of the evidence")
        self.source.addItem("Not said", None)
        for source in EvidenceSource:
            self.source.addItem(source.label, source)
        source_label = QLabel("&Source")
        source_label.setBuddy(self.source)
        form.addRow(source_label, self.source)
        self.recency = QComboBox()
        self.recency.setAccessibleName("Recent or historical")
        self.recency.addItem("Not said", None)
        self.recency.addItem("Recent", Recency.RECENT)
        self.recency.addItem("Historical", Recency.HISTORICAL)
        recency_label = QLabel("&When")
        recency_label.setBuddy(self.recency)
        form.addRow(recency_label, self.recency)
        layout.addLayout(form)
        layout.addStretch(1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)
        self.note.textChanged.connect(self._edited)
        self.note.leave.connect(self._leave)
        self.source.currentIndexChanged.connect(lambda _i: self._edited(now=True))
        self.recency.currentIndexChanged.connect(lambda _i: self._edited(now=True))

    def show_item(self, number: int, item: Item, answer: Answer, agencies: str, read_only: bool) -> None:
        self.flush()
        self._loading = True
        self._item_id = item.id
        self.title.setText(f"<b>{number}. {esc(item.text)}</b>")
        parts = []
        if item.guidance:
            parts.append(esc(item.guidance))
        if item.prompts:
            parts.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in item.prompts) + "</ul>")
        if agencies:
            parts.append(f"<i>Usually known by: {esc(agencies)}</i>")
        self.guidance.setText("<br>".join(parts))
        self.note.setPlainText(answer.note)
        self.source.setCurrentIndex(max(0, self.source.findData(answer.source)))
        self.recency.setCurrentIndex(max(0, self.recency.findData(answer.recency)))
        for widget in (self.note, self.source, self.recency):
            widget.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self._loading = False

    def _edited(self, now: bool = False) -> None:
        if self._loading or self._item_id is None:
            return
        if now:
            self.flush(force=True)
        else:
            self._save_timer.start()

    def flush(self, force: bool = False) -> None:
        """Save a pending note now (on leaving the note, changing item, locking or closing)."""
        if not (self._save_timer.isActive() or force) or self._item_id is None:
            return
        self._save_timer.stop()
        self.evidence_changed.emit(self._item_id, self.note.toPlainText(), self.source.currentData(),
                                   self.recency.currentData())

    def _leave(self) -> None:
        self.flush()
        self.leave.emit()

    def clear(self) -> None:
        self._save_timer.stop()
        self._item_id = None
        self._loading = True
        self.title.clear()
        self.guidance.clear()
        self.note.clear()
        self._loading = False
