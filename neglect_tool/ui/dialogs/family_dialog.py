"""Open a case on a family, or edit the family's record."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ...domain import Family
from ._base import NotAccepted, RecordDialog
from ._form_errors import blank_fields, collect_errors

CONSENT_CHOICES: tuple[tuple[str, bool | None], ...] = (("Not recorded", None), ("Yes", True), ("No", False))
_REQUIRED = {"case_ref": "Enter the case reference.", "family_name": "Enter the family name."}
_PLACEHOLDERS: Mapping[str, object] = {"case_ref": "x", "family_name": "x", "address_note": "", "notes": ""}


class FamilyDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, family: Family | None = None, suggested_ref: str = "") -> None:
        super().__init__(parent, "Edit family" if family else "New family")
        self._family = family
        self._result: Family | None = None

        self.case_ref = QLineEdit(family.case_ref if family else suggested_ref)
        self.family_name = QLineEdit(family.family_name if family else "")
        self.address_note = QLineEdit(family.address_note if family else "")
        self.address_note.setPlaceholderText("e.g. temporary accommodation since May")
        self.consent = QComboBox()
        for text, value in CONSENT_CHOICES:
            self.consent.addItem(text, value)
        self.consent.setCurrentIndex(next(i for i, (_, v) in enumerate(CONSENT_CHOICES)
                                          if v is (family.consent_sought if family else None)))
        self.notes = QPlainTextEdit(family.notes if family else "")
        self.notes.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)

        self.add_field("Case &reference", self.case_ref, field="case_ref")
        self.add_field("&Family name", self.family_name, field="family_name")
        self.add_field("&Address note", self.address_note, field="address_note")
        self.add_field("Consent &sought?", self.consent, accessible_name="Consent sought",
                       help_text="Whether the family's consent was sought for sharing information (UK GDPR).")
        self.add_field("&Notes", self.notes, field="notes")
        self.finish_layout()

    def _values(self) -> dict[str, object]:
        return {
            "case_ref": self.case_ref.text(),
            "family_name": self.family_name.text(),
            "address_note": self.address_note.text(),
            "consent_sought": self.consent.currentData(),
            "notes": self.notes.toPlainText(),
        }

    def _validate(self) -> bool:
        values = self._values()
        family = self._family

        def build(overrides: Mapping[str, object]) -> Family:
            changes = {**values, **overrides}
            return family.evolve(**changes) if family else Family(**changes)  # type: ignore[arg-type]

        self._result, errors = collect_errors(build, _PLACEHOLDERS, blank_fields(values, _REQUIRED))
        self.messages.show_errors(errors)
        return self._result is not None

    def result_family(self) -> Family:
        if self._result is None:
            raise NotAccepted("the family dialog was not accepted")
        return self._result
