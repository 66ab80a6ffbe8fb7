"""What every record dialog shares: a form of labelled fields with inline messages, OK and Cancel.

OK stays enabled; pressing it validates, and while anything is wrong the dialog stays open with the
messages under the fields and the focus on the first wrong one. Nothing is saved here: the caller reads
the result object after `exec()` returns Accepted and hands it to the service.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from ._form_errors import FieldMessages

MIN_WIDTH_CHARS = 72  # wide enough for the longest placeholder hints, in characters so it scales with the font


class NotAccepted(RuntimeError):
    """A dialog's result was asked for before the dialog was accepted."""


def text_width(widget: QWidget, characters: int) -> int:
    """A width in characters of the widget's font, so sizes follow the font and the screen scaling."""
    return widget.fontMetrics().averageCharWidth() * characters


def plain_label(text: str) -> QLabel:
    """A label for text that may come from a record: shown as typed, never interpreted as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class RecordDialog(QDialog):
    """Base of the record dialogs; subclasses add fields in reading order and implement `_validate`."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)  # never a child's or family's name: titles show in task bars
        self.setModal(True)
        self.messages = FieldMessages()
        self._focus_order: list[QWidget] = []
        self._outer = QVBoxLayout(self)
        self._outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows as messages appear
        self._outer.addStrut(text_width(self, MIN_WIDTH_CHARS))  # a minimum width that follows the font
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._outer.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        """Add the general message and the buttons, and make Tab follow the order fields were added."""
        self._outer.addStretch(1)
        self._outer.addWidget(self.messages.general)
        self._outer.addWidget(self.buttons)
        chain = [*self._focus_order, *self.buttons.buttons()]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        if self._focus_order:
            self._focus_order[0].setFocus()

    def add_field(self, label_text: str, widget: QWidget, *, field: str | None = None,
                  accessible_name: str | None = None, help_text: str = "", beside: QWidget | None = None) -> QLabel:
        """A labelled row; the label's & mnemonic moves the focus to `widget`."""
        label = QLabel(label_text)
        label.setBuddy(widget)
        widget.setAccessibleName(accessible_name or label_text.replace("&", ""))
        if help_text:
            widget.setToolTip(help_text)
            widget.setAccessibleDescription(help_text)
        if field:
            self.form.addRow(label, self.messages.cell(field, widget, beside))
        else:
            self.form.addRow(label, widget)
        self._focus_order.append(widget)
        return label

    def add_wide(self, widget: QWidget, *, field: str | None = None, accessible_name: str | None = None) -> None:
        """A row across both columns (a check box, a heading)."""
        if accessible_name:
            widget.setAccessibleName(accessible_name)
        self.form.addRow(self.messages.cell(field, widget) if field else widget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            self._focus_order.append(widget)

    def add_to_focus_order(self, widget: QWidget) -> None:
        self._focus_order.append(widget)

    def accept(self) -> None:
        self.messages.clear_errors()
        if self._validate():
            super().accept()
            return
        first = self.messages.first_error_widget()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _validate(self) -> bool:
        """Build the result; on failure show the messages and return False."""
        raise NotImplementedError
