"""The keyboard-shortcut overlay (F1 or ?): a translucent sheet over the window listing every shortcut."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

# (context, keys, what it does), in the order shown
SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "Ctrl+L", "Lock now (the store closes; your passphrase is needed again)"),
    ("Everywhere", "F1 or ?", "Show or hide this list"),
    ("Everywhere", "Ctrl+Shift+I", "Privacy switch: initials only"),
    ("Everywhere", "Ctrl+,", "Settings"),
    ("Everywhere", "Ctrl+E / Ctrl+I", "Export this case as an encrypted record / import a record"),
    ("Everywhere", "Ctrl+P", "Printable summary of the case (PDF)"),
    ("Cases", "Type", "Search by name, case reference, case number or NHS number"),
    ("Cases", "Enter", "Open the selected case"),
    ("Case", "Esc or Alt+Left", "Back to the case list"),
    ("Case", "Ctrl+N", "New assessment round for the selected child"),
    ("Case", "Ctrl+S", "Score the selected round (your own sheet)"),
    ("Rating sheet", "1 2 3 4 5", "Answer: Yes, Borderline, No, Not known, N/A (moves on by itself)"),
    ("Rating sheet", "Up / Down", "Previous / next item"),
    ("Rating sheet", "Page Up / Page Down", "Previous / next section"),
    ("Rating sheet", "U", "Next unanswered item"),
    ("Rating sheet", "N or Enter", "Write the evidence note for this item (Esc returns to the answers)"),
    ("Rating sheet", "Delete", "Clear this item's answer"),
    ("Rating sheet", "Ctrl+Z / Ctrl+Shift+Z", "Undo / redo (while the sheet is a draft)"),
    ("Rating sheet", "Ctrl+Enter", "Submit the sheet (asks first; then it is locked)"),
    ("Rating sheet", "Esc", "Back to the case"),
    ("Meeting view", "D or F3", "Next disagreement"),
    ("Meeting view", "F11", "Meeting mode: full screen, large type, initials only"),
    ("Meeting view", "Esc", "Leave meeting mode; again, back to the case"),
)


class HelpOverlay(QWidget):
    """Covers its parent; any key or click closes it."""

    def __init__(self, parent: QWidget, shortcuts: Sequence[tuple[str, str, str]] = SHORTCUTS) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAccessibleName("Keyboard shortcuts")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 40, 60, 40)
        panel = QWidget()
        panel.setObjectName("helpPanel")
        panel.setAutoFillBackground(True)
        grid = QGridLayout(panel)
        grid.setContentsMargins(28, 20, 28, 20)
        grid.setHorizontalSpacing(24)
        title = QLabel("<h2>Keyboard shortcuts</h2>")
        grid.addWidget(title, 0, 0, 1, 3)
        row = 1
        last_context = ""
        for context, keys, what in shortcuts:
            if context != last_context:
                heading = QLabel(f"<b>{context}</b>")
                heading.setContentsMargins(0, 8, 0, 0)
                grid.addWidget(heading, row, 0)
                last_context = context
            key_label = QLabel(f"<code>{keys}</code>")
            key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(key_label, row, 1)
            grid.addWidget(QLabel(what), row, 2)
            row += 1
        grid.addWidget(QLabel("<i>Press any key or click to close.</i>"), row, 0, 1, 3)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignCenter)
        parent.installEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
            self.show()
            self.raise_()
            self.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(parent.rect())
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.hide()

    def mousePressEvent(self, event: object) -> None:
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
