"""Open an assessment round for a child (a meeting, a review), or edit one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from ...domain import AssessmentRound, RoundPurpose, RoundStatus
from ...domain.dates import EARLIEST_DATE, LATEST_DATE
from ._base import NotAccepted, RecordDialog, plain_label
from ._dates import date_edit, to_date
from ._form_errors import collect_errors

DEFAULT_REVIEW_AFTER = dt.timedelta(weeks=12)  # a typical interval between reviews, only a starting point
REVIEW_BEFORE_HELD = "The next review cannot be before the date the round is held."
_PLACEHOLDERS: Mapping[str, object] = {"held_on": EARLIEST_DATE, "next_review_on": None, "title": ""}


class RoundDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, child_label: str, rnd: AssessmentRound | None = None, *,
                 child_id: uuid.UUID) -> None:
        super().__init__(parent, "Edit assessment round" if rnd else "New assessment round")
        self._round = rnd
        self._child_id = child_id
        self._result: AssessmentRound | None = None
        held = rnd.held_on if rnd else dt.date.today()

        heading = plain_label(f"Child: {child_label}")  # as the case screen shows it (initials when private)
        heading.setObjectName("childLabel")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.form.addRow(heading)
        self.held_on = date_edit(EARLIEST_DATE, LATEST_DATE, held)
        self.purpose = QComboBox()
        for purpose in RoundPurpose:
            self.purpose.addItem(purpose.label, purpose.value)  # Qt hands enums back as str
        if rnd:
            self.purpose.setCurrentIndex(self.purpose.findData(rnd.purpose.value))
        self.has_review = QCheckBox("planned for")
        self.has_review.setAccessibleName("Set a next review date")
        self.next_review_on = date_edit(EARLIEST_DATE, LATEST_DATE, (rnd.next_review_on if rnd else None)
                                        or held + DEFAULT_REVIEW_AFTER)
        self.next_review_on.setAccessibleName("Next review date")
        self.has_review.setChecked(bool(rnd and rnd.next_review_on))
        self.status: QComboBox | None = None
        self.title = QLineEdit(rnd.title if rnd else "")
        self.title.setPlaceholderText("optional, e.g. Review conference (spring)")

        self.add_field("&Date held", self.held_on, field="held_on",
                       help_text="The assessment date: the child's age on this day decides which items apply.")
        self.add_field("&Purpose", self.purpose, field="purpose")
        review_label = QLabel("Next re&view")
        review_label.setBuddy(self.has_review)
        self.form.addRow(review_label, self.messages.cell("next_review_on", self.next_review_on,
                                                          before=self.has_review))
        self.add_to_focus_order(self.has_review)
        self.add_to_focus_order(self.next_review_on)
        if rnd:
            self.status = QComboBox()
            for status in RoundStatus:
                self.status.addItem(status.label, status.value)
            self.status.setCurrentIndex(self.status.findData(rnd.status.value))
            self.add_field("&Status", self.status, field="status")
        self.add_field("&Title", self.title, field="title")
        self.finish_layout()

        self.has_review.toggled.connect(self._review_toggled)
        self.held_on.dateChanged.connect(self._held_changed)
        self.next_review_on.dateChanged.connect(self._check_review_live)
        self._review_toggled(self.has_review.isChecked())

    def _held_changed(self) -> None:
        if not self.has_review.isChecked():  # the suggested review date follows until the user sets one
            self.next_review_on.setDate(self.held_on.date().addDays(DEFAULT_REVIEW_AFTER.days))
        self._check_review_live()

    def _review_toggled(self, on: bool) -> None:
        self.next_review_on.setEnabled(on)
        self._check_review_live()

    def _check_review_live(self) -> None:
        if self.has_review.isChecked() and self.next_review_on.date() < self.held_on.date():
            self.messages.show("next_review_on", REVIEW_BEFORE_HELD)
        else:
            self.messages.clear("next_review_on")

    def _validate(self) -> bool:
        values: dict[str, object] = {
            "held_on": to_date(self.held_on.date()),
            "purpose": RoundPurpose(self.purpose.currentData()),
            "next_review_on": to_date(self.next_review_on.date()) if self.has_review.isChecked() else None,
            "title": self.title.text(),
        }
        if self.status is not None:
            values["status"] = RoundStatus(self.status.currentData())
        known = {}
        if values["next_review_on"] is not None and self.next_review_on.date() < self.held_on.date():
            known["next_review_on"] = REVIEW_BEFORE_HELD
        rnd = self._round

        def build(overrides: Mapping[str, object]) -> AssessmentRound:
            changes = {**values, **overrides}
            return rnd.evolve(**changes) if rnd else AssessmentRound(child_id=self._child_id, **changes)  # type: ignore[arg-type]

        self._result, errors = collect_errors(build, _PLACEHOLDERS, known)
        self.messages.show_errors(errors)
        return self._result is not None

    def result_round(self) -> AssessmentRound:
        if self._result is None:
            raise NotAccepted("the round dialog was not accepted")
        return self._result

