"""Add a professional involved with the family (the service reuses one already known by name and agency)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ...domain import Agency, Professional
from ._base import NotAccepted, RecordDialog
from ._form_errors import blank_fields, collect_errors

# Common roles, each with the agency it usually belongs to (picked for the user while they have not
# chosen an agency themselves).
COMMON_ROLES: tuple[tuple[str, Agency], ...] = (
    ("Social worker", Agency.SOCIAL_CARE),
    ("Health visitor", Agency.HEALTH),
    ("School nurse", Agency.HEALTH),
    ("Class teacher", Agency.EDUCATION),
    ("Designated safeguarding lead", Agency.EDUCATION),
    ("Early years practitioner", Agency.EARLY_YEARS),
    ("GP", Agency.HEALTH),
    ("Family support worker", Agency.SOCIAL_CARE),
    ("Housing officer", Agency.HOUSING),
    ("Police officer", Agency.POLICE),
)
_REQUIRED = {"name": "Enter the professional's name.", "role": "Choose or type the professional's role."}
_PLACEHOLDERS: Mapping[str, object] = {"name": "x", "role": "x", "agency": Agency.OTHER, "organisation": "",
                                       "contact": ""}


class ProfessionalDialog(RecordDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, "Add a professional")
        self._result: dict[str, Any] | None = None
        self._agency_chosen_by_user = False

        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for role, agency in COMMON_ROLES:
            self.role.addItem(role, agency.value)  # Qt hands enum members back as plain str
        self.role.setCurrentIndex(-1)
        editor = self.role.lineEdit()
        if editor is not None:  # always, the combo being editable; the check is for the type checker
            editor.setPlaceholderText("choose or type a role")
        self.agency = QComboBox()
        for agency in Agency:
            self.agency.addItem(agency.label, agency.value)
        self.agency.setPlaceholderText("choose an agency")
        self.agency.setCurrentIndex(-1)
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("e.g. Northbridge Community Health Trust")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("phone or secure e-mail, as they gave it")

        self.add_field("&Name", self.name, field="name")
        self.add_field("&Role", self.role, field="role")
        self.add_field("&Agency", self.agency, field="agency")
        self.add_field("&Organisation", self.organisation, field="organisation")
        self.add_field("Con&tact", self.contact, field="contact")
        self.finish_layout()

        self.role.currentIndexChanged.connect(self._suggest_agency)
        self.agency.activated.connect(self._agency_chosen)

    def _agency_chosen(self) -> None:
        self._agency_chosen_by_user = True

    def _suggest_agency(self, index: int) -> None:
        if index >= 0 and not self._agency_chosen_by_user:
            self.agency.setCurrentIndex(self.agency.findData(self.role.itemData(index)))

    def _validate(self) -> bool:
        data = self.agency.currentData()
        agency = Agency(data) if data is not None else None
        values: dict[str, object] = {
            "name": self.name.text(),
            "role": self.role.currentText(),
            "agency": agency,
            "organisation": self.organisation.text(),
            "contact": self.contact.text(),
        }
        known = blank_fields(values, _REQUIRED)
        if not isinstance(agency, Agency):
            known["agency"] = "Choose the professional's agency."

        def build(overrides: Mapping[str, object]) -> Professional:
            return Professional(**{**values, **overrides})  # type: ignore[arg-type]

        built, errors = collect_errors(build, _PLACEHOLDERS, known)
        self.messages.show_errors(errors)
        if built is None:
            return False
        self._result = {"name": built.name, "role": built.role, "agency": built.agency,
                        "organisation": built.organisation, "contact": built.contact}
        return True

    def result_fields(self) -> dict[str, Any]:
        """Checked, tidied fields for `Casework.add_professional` (which reuses a professional it knows)."""
        if self._result is None:
            raise NotAccepted("the professional dialog was not accepted")
        return dict(self._result)
