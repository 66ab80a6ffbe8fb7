"""Add a child to a family, or edit a child's record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain import Child, age_in_months, describe_age, format_nhs_number
from ...domain.dates import EARLIEST_DATE, LATEST_DATE
from ...domain.nhs import nhs_check_digit, normalise_nhs_number
from ...scoring.applicability import DISABILITY_CONDITION
from ._base import NotAccepted, RecordDialog, text_width
from ._dates import OptionalDateEdit
from ._form_errors import Severity, blank_fields, collect_errors

CONSULTEE_PROMPT = "&Who knows the child's development and was consulted?"
CONSULTEE_WARNING = "Please note who was consulted (you can still save without it)."
NHS_CHECK_DIGIT_MESSAGE = "This is not a valid NHS number (check digit)."
NHS_LENGTH_MESSAGE = "An NHS number has exactly 10 digits."

# The date field accepts a century before the domain's range, so a typo such as 1890 is refused with a
# message rather than silently changed by the widget.
_FIELD_EARLIEST = dt.date(EARLIEST_DATE.year - 100, 1, 2)

_REQUIRED = {"given_names": "Enter the child's given names.", "family_name": "Enter the child's family name."}
_PLACEHOLDERS: Mapping[str, object] = {
    "given_names": "x", "family_name": "x", "date_of_birth": EARLIEST_DATE, "sex_gender": "",
    "case_number": "", "nhs_number": None, "development_consultee": "",
}


def nhs_problem(text: str, *, complete: bool) -> str | None:
    """What is wrong with a (possibly half-typed) NHS number; a short one is only wrong once complete."""
    digits = normalise_nhs_number(text)
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit()):
        return "An NHS number has only digits (spaces are fine)."
    if len(digits) != 10:
        return NHS_LENGTH_MESSAGE if complete or len(digits) > 10 else None
    expected = nhs_check_digit(digits[:9])
    return NHS_CHECK_DIGIT_MESSAGE if expected is None or expected != int(digits[9]) else None


def date_of_birth_problem(born: dt.date | None, today: dt.date) -> str | None:
    if born is None:
        return "Enter the date of birth."
    if born < EARLIEST_DATE:
        return f"The date of birth must be in {EARLIEST_DATE.year} or later."
    if born > today:
        return "The date of birth cannot be in the future."
    return None


class ChildDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, family_id: uuid.UUID, child: Child | None = None,
                 family_name: str = "", conditions: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(parent, "Edit child" if child else "New child")
        self._family_id = family_id
        self._child = child
        self._result: Child | None = None
        held = child.conditions if child else frozenset()
        self._offered = [(cid, label) for cid, label in conditions if cid != DISABILITY_CONDITION]

        self.given_names = QLineEdit(child.given_names if child else "")
        self.family_name = QLineEdit(child.family_name if child else family_name)
        self.date_of_birth = OptionalDateEdit(_FIELD_EARLIEST, LATEST_DATE, child.date_of_birth if child else None)
        self.age = QLabel()
        self.age.setObjectName("ageLabel")
        self.sex_gender = QLineEdit(child.sex_gender if child else "")
        self.sex_gender.setPlaceholderText("as recorded by the referrer")
        self.case_number = QLineEdit(child.case_number if child else "")
        self.case_number.setPlaceholderText("the local authority's case number")
        self.nhs_number = QLineEdit(format_nhs_number(child.nhs_number) if child and child.nhs_number else "")
        self.nhs_number.setPlaceholderText("e.g. 943 476 5919")

        self.add_field("&Given names", self.given_names, field="given_names")
        self.add_field("&Family name", self.family_name, field="family_name")
        self.add_field("Date of &birth", self.date_of_birth, field="date_of_birth", beside=self.age,
                       help_text="Day/month/year. Type the digits or pick from the calendar.")
        self.add_field("&Sex / gender", self.sex_gender, field="sex_gender", accessible_name="Sex or gender")
        self.add_field("Case nu&mber", self.case_number, field="case_number")
        self.add_field("&NHS number", self.nhs_number, field="nhs_number",
                       help_text="Ten digits; checked as you type.")

        self.disability = QCheckBox("&Disability or developmental delay")
        self.disability.setChecked(bool(child and (child.disability_or_delay or DISABILITY_CONDITION in held)))
        self.add_wide(self.disability, accessible_name="The child has a disability or developmental delay")
        self.consultee = QLineEdit(child.development_consultee if child else "")
        self.consultee.setPlaceholderText("e.g. community paediatrician, speech and language therapist")
        self.consultee_box = self._consultee_box()
        self.form.addRow(self.consultee_box)
        self.add_to_focus_order(self.consultee)

        self.condition_boxes: dict[str, QCheckBox] = {}
        if self._offered:
            self.form.addRow(QLabel("Other conditions that apply:"))
            for cid, label in self._offered:
                box = QCheckBox(label.replace("&", "&&"))
                box.setChecked(cid in held)
                self.condition_boxes[cid] = box
                self.add_wide(box, accessible_name=label)
        self.finish_layout()

        self.nhs_number.textEdited.connect(self._check_nhs_live)
        self.nhs_number.editingFinished.connect(self._tidy_nhs)
        self.date_of_birth.dateChanged.connect(self._check_date_live)
        self.disability.toggled.connect(self._update_consultee)
        self.consultee.textChanged.connect(self._update_consultee)
        self._check_date_live()
        self._update_consultee()

    def _consultee_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(text_width(self, 4), 0, 0, 0)
        prompt = QLabel(CONSULTEE_PROMPT)
        prompt.setWordWrap(True)
        prompt.setBuddy(self.consultee)
        self.consultee.setAccessibleName(CONSULTEE_PROMPT.replace("&", ""))
        layout.addWidget(prompt)
        layout.addWidget(self.messages.cell("development_consultee", self.consultee))
        return box

    # --- live checks ---------------------------------------------------------------------------------

    def _check_nhs_live(self) -> None:
        problem = nhs_problem(self.nhs_number.text(), complete=False)
        if problem:
            self.messages.show("nhs_number", problem)
        else:
            self.messages.clear("nhs_number")

    def _tidy_nhs(self) -> None:
        """Show a valid number in the usual 3-3-4 groups once typing is done."""
        text = self.nhs_number.text()
        digits = normalise_nhs_number(text)
        if digits and nhs_problem(text, complete=True) is None and text != format_nhs_number(digits):
            self.nhs_number.setText(format_nhs_number(digits))

    def _check_date_live(self) -> None:
        born = self.date_of_birth.value()
        today = dt.date.today()
        problem = date_of_birth_problem(born, today) if born is not None else None
        if problem:
            self.messages.show("date_of_birth", problem)
        else:
            self.messages.clear("date_of_birth")
        self.age.setText(f"age {describe_age(age_in_months(born, today))} today" if born and not problem else "")

    def _update_consultee(self) -> None:
        ticked = self.disability.isChecked()
        self.consultee_box.setVisible(ticked)
        if ticked and not self.consultee.text().strip():
            self.messages.show("development_consultee", CONSULTEE_WARNING, Severity.WARNING)
        elif self.messages.severity("development_consultee") is Severity.WARNING:
            self.messages.clear("development_consultee")

    # --- result --------------------------------------------------------------------------------------

    def _values(self) -> tuple[dict[str, object], dict[str, str]]:
        known: dict[str, str] = {}
        born = self.date_of_birth.value()
        if problem := date_of_birth_problem(born, dt.date.today()):
            known["date_of_birth"] = problem
        if problem := nhs_problem(self.nhs_number.text(), complete=True):
            known["nhs_number"] = problem
        ticked = {cid for cid, box in self.condition_boxes.items() if box.isChecked()}
        offered = {cid for cid, _ in self._offered} | {DISABILITY_CONDITION}
        kept = (self._child.conditions - offered) if self._child else frozenset()  # other forms' conditions
        flag = self.disability.isChecked()
        values: dict[str, object] = {
            "family_id": self._family_id,
            "given_names": self.given_names.text(),
            "family_name": self.family_name.text(),
            "date_of_birth": born,
            "sex_gender": self.sex_gender.text(),
            "case_number": self.case_number.text(),
            "nhs_number": normalise_nhs_number(self.nhs_number.text()) or None,
            "disability_or_delay": flag,
            "development_consultee": self.consultee.text() if flag else "",
            "conditions": frozenset(kept | ticked),
        }
        return values, {**blank_fields(values, _REQUIRED), **known}

    def _validate(self) -> bool:
        values, known = self._values()
        child = self._child

        def build(overrides: Mapping[str, object]) -> Child:
            changes = {**values, **overrides}
            return child.evolve(**changes) if child else Child(**changes)  # type: ignore[arg-type]

        self._result, errors = collect_errors(build, _PLACEHOLDERS, known)
        self.messages.show_errors(errors)
        return self._result is not None

    def result_child(self) -> Child:
        if self._result is None:
            raise NotAccepted("the child dialog was not accepted")
        return self._result

