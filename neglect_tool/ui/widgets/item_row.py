"""One checklist item in the rating sheet: its statement, what "Yes" means, and large answer buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from ...forms.model import Item, Scale
from ..richtext import esc

# Each answer has a symbol as well as a colour, so it reads in greyscale and for colour-blind users.
ANSWER_SYMBOLS = {"yes": "✓", "borderline": "~", "no": "✗", "not_known": "?", "na": "–"}


class ItemRow(QFrame):
    """Emits `picked(item_id, option_code)` when an answer button is pressed, `focused(item_id)` on click."""

    picked = Signal(str, str)
    focused = Signal(str)

    def __init__(self, number: int, item: Item, scale: Scale) -> None:
        super().__init__()
        self.item = item
        self.setObjectName("itemRow")
        self.setProperty("current", False)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Item {number}: {item.text}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.number = QLabel(f"{number}.")
        self.number.setMinimumWidth(28)
        self.number.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.number)
        text = QLabel(item.text)
        text.setWordWrap(True)
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top.addWidget(text, 1)
        self.note_mark = QLabel("")
        self.note_mark.setAccessibleName("Evidence note")
        top.addWidget(self.note_mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        if item.yes_means:
            means = QLabel(f"<i>Yes here means: {esc(item.yes_means)}</i>")
            means.setObjectName("yesMeans")
            means.setWordWrap(True)
            means.setContentsMargins(34, 0, 0, 0)
            layout.addWidget(means)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(34, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so that an answer can be cleared (Delete) and undone
        self.buttons: dict[str, QPushButton] = {}
        bold = QFont(self.font())
        bold.setBold(True)  # a picked answer is shown bold (the sheet's style sheet): it must still fit
        bold_metrics = QFontMetrics(bold)
        for option in scale.options:
            button = QPushButton(f"{option.key}  {ANSWER_SYMBOLS.get(option.code, '')} {option.label}".strip())
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard works on the sheet, not on buttons
            button.setMinimumHeight(34)
            button.setMinimumWidth(max(96, bold_metrics.horizontalAdvance(button.text()) + 12))
            button.setObjectName(f"answer_{option.code}")
            button.setProperty("answer", option.code)
            button.setAccessibleName(f"{option.label} for item {number}")
            button.setToolTip(option.descriptor or option.label)
            button.clicked.connect(lambda _checked=False, code=option.code: self.picked.emit(self.item.id, code))
            self.group.addButton(button)
            self.buttons[option.code] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def show_answer(self, code: str | None, has_note: bool) -> None:
        for option_code, button in self.buttons.items():
            button.setChecked(option_code == code)
        self.note_mark.setText("✎ note" if has_note else "")

    def set_current(self, current: bool) -> None:
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            self.style().unpolish(self)
            self.style().polish(self)

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not read_only or button.isChecked())

    def mousePressEvent(self, event: object) -> None:
        self.focused.emit(self.item.id)
