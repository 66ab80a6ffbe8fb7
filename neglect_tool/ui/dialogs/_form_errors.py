"""Inline messages for the record dialogs: a short message under the field that is wrong.

Each field gets a message label below it, hidden while there is nothing to say. A message is shown in
colour *and* starts with a symbol (never colour alone), and the field's accessible description carries the
same text so a screen reader announces it with the field. The domain's `DomainError.field` names the field,
so the rules stay in the domain and the dialogs only decide where a message goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain import DomainError
from ..theme import is_dark

T = TypeVar("T")

GENERAL = "__general__"  # errors that name no field of the dialog


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


# (light theme, dark theme); both meet WCAG AA contrast on the theme's window colour
_COLOURS = {Severity.ERROR: ("#b3261e", "#ffb4ab"), Severity.WARNING: ("#7a4a00", "#ffd08a")}
_SYMBOLS = {Severity.ERROR: "✖", Severity.WARNING: "⚠"}
_PREFIXES = {Severity.ERROR: "Error", Severity.WARNING: "Warning"}


def as_sentence(message: str) -> str:
    """Domain messages are lower-case fragments ("case ref is required"); shown alone they read better
    as sentences."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


@dataclass
class _Slot:
    widget: QWidget
    label: QLabel
    description: str  # the field's own accessible description, restored when the message goes
    severity: Severity | None = None


class FieldMessages:
    """The message slots of one dialog, keyed by the domain's field names."""

    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}
        self.general = self._message_label(GENERAL)

    def cell(self, name: str, widget: QWidget, beside: QWidget | None = None,
             before: QWidget | None = None) -> QWidget:
        """`widget` (between `before` and `beside`, if given) with its hidden message label under it."""
        label = self._message_label(name)
        self._slots[name] = _Slot(widget, label, widget.accessibleDescription())
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if beside is None and before is None:
            layout.addWidget(widget)
        else:
            row = QHBoxLayout()
            if before is not None:
                row.addWidget(before)
            row.addWidget(widget, 0 if beside else 1)
            if beside is not None:
                row.addWidget(beside, 1)
            layout.addLayout(row)
        layout.addWidget(label)
        return box

    @staticmethod
    def _message_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"message_{name}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        label.hide()
        return label

    def show(self, name: str, message: str, severity: Severity = Severity.ERROR) -> None:
        slot = self._slots.get(name)
        label = slot.label if slot else self.general
        light, dark = _COLOURS[severity]
        label.setStyleSheet(f"color: {dark if is_dark() else light};")
        label.setText(f"{_SYMBOLS[severity]} {message}")
        label.setAccessibleName(f"{_PREFIXES[severity]}: {message}")
        label.show()
        if slot is not None:
            slot.severity = severity
            slot.widget.setAccessibleDescription(f"{_PREFIXES[severity]}: {message}")

    def clear(self, name: str) -> None:
        slot = self._slots.get(name)
        label = slot.label if slot else self.general
        label.clear()
        label.hide()
        if slot is not None:
            slot.severity = None
            slot.widget.setAccessibleDescription(slot.description)

    def clear_errors(self) -> None:
        """Forget every error (warnings are owned by the live checks that raised them)."""
        for name, slot in self._slots.items():
            if slot.severity is Severity.ERROR:
                self.clear(name)
        self.clear(GENERAL)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for name, message in errors.items():
            self.show(name if name in self._slots else GENERAL, message)

    def text(self, name: str) -> str:
        """The message shown for a field ("" when none): what a user sees, without the symbol."""
        slot = self._slots.get(name)
        label = slot.label if slot else self.general
        return label.text().partition(" ")[2] if not label.isHidden() else ""

    def severity(self, name: str) -> Severity | None:
        slot = self._slots.get(name)
        return slot.severity if slot else None

    def widget(self, name: str) -> QWidget | None:
        slot = self._slots.get(name)
        return slot.widget if slot else None

    def has_errors(self) -> bool:
        return any(s.severity is Severity.ERROR for s in self._slots.values()) or not self.general.isHidden()

    def first_error_widget(self) -> QWidget | None:
        return next((s.widget for s in self._slots.values() if s.severity is Severity.ERROR), None)


def blank_fields(values: Mapping[str, object], required: Mapping[str, str]) -> dict[str, str]:
    """Messages for required text fields left blank, worded for the dialog (the domain would only say
    "... is required")."""
    return {name: message for name, message in required.items()
            if isinstance(values.get(name), str) and not str(values[name]).strip()}


def collect_errors(build: Callable[[Mapping[str, object]], T], placeholders: Mapping[str, object],
                   known: Mapping[str, str] | None = None) -> tuple[T | None, dict[str, str]]:
    """Build the domain object and gather *every* field error, not just the first.

    The domain stops at the first bad field; each time, that field is given a harmless placeholder and the
    object is built again, so all the wrong fields can be shown at once. `known` holds errors the dialog
    found itself (with friendlier wording); their fields start on placeholders. Returns the object (only
    when there are no errors at all) and the messages by field.
    """
    errors = dict(known or {})
    overrides = {name: placeholders[name] for name in errors if name in placeholders}
    for _ in range(len(placeholders) + 1):
        try:
            built = build(overrides)
        except DomainError as exc:
            name = exc.field if exc.field is not None and exc.field in placeholders else GENERAL
            errors.setdefault(name, as_sentence(str(exc)))
            if name == GENERAL or name in overrides:
                break
            overrides[name] = placeholders[name]
        else:
            return (None if errors else built), errors
    return None, errors
