"""The record dialogs, driven like a user would: typing, ticking, pressing OK; errors shown inline."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from neglect_tool.domain import Agency, AssessmentRound, Child, Family, RoundPurpose, RoundStatus
from neglect_tool.services.settings import Settings, Theme
from neglect_tool.ui.dialogs._base import NotAccepted, RecordDialog
from neglect_tool.ui.dialogs._dates import OptionalDateEdit
from neglect_tool.ui.dialogs._form_errors import Severity
from neglect_tool.ui.dialogs.child_dialog import CONSULTEE_WARNING, NHS_CHECK_DIGIT_MESSAGE, ChildDialog
from neglect_tool.ui.dialogs.family_dialog import FamilyDialog
from neglect_tool.ui.dialogs.professional_dialog import ProfessionalDialog
from neglect_tool.ui.dialogs.round_dialog import REVIEW_BEFORE_HELD, RoundDialog
from neglect_tool.ui.dialogs.settings_dialog import SettingsDialog

CONDITIONS = (
    ("chronic_condition", "The child has a long-term health condition (for example asthma, diabetes or epilepsy)"),
    ("disability_or_delay", "The child has a disability or a developmental delay"),
)
VALID_NHS = "9434765919"
FAMILY_ID = uuid.uuid4()
CHILD_ID = uuid.uuid4()


# --- helpers -----------------------------------------------------------------------------------------


@pytest.fixture
def show(qtbot):  # type: ignore[no-untyped-def]
    def _show(dialog: RecordDialog) -> RecordDialog:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()  # so focus moves (and "editing finished") happen as on a desktop
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog
    return _show


def press_ok(qtbot, dialog: RecordDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.clear()
    qtbot.keyClicks(widget, text)


def type_date(qtbot, edit: QDateEdit, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    """Type the date from the day part as people write it, 12/04/2021."""
    edit.setFocus()
    edit.setCurrentSection(QDateEdit.Section.DaySection)
    edit.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(edit, day.strftime("%d/%m/%Y"))


def still_open(dialog: QDialog) -> bool:
    return dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted


def accepted(dialog: QDialog) -> bool:
    return not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


# --- family ------------------------------------------------------------------------------------------


def test_new_family_typed_in(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(FamilyDialog(None, suggested_ref="NB-2026-014"))
    assert dialog.case_ref.text() == "NB-2026-014"
    type_text(qtbot, dialog.family_name, "Testwell")
    type_text(qtbot, dialog.address_note, "Temporary accommodation since May")
    dialog.consent.setFocus()
    qtbot.keyClicks(dialog.consent, "Yes")
    type_text(qtbot, dialog.notes, "Referral from the school nurse.")
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    family = dialog.result_family()
    assert (family.case_ref, family.family_name, family.address_note, family.consent_sought, family.notes) == (
        "NB-2026-014", "Testwell", "Temporary accommodation since May", True, "Referral from the school nurse.")


def test_family_required_fields_and_control_characters_shown_inline(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(FamilyDialog(None))
    dialog.address_note.setText("bell\x07 here")
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("case_ref") == "Enter the case reference."
    assert dialog.messages.text("family_name") == "Enter the family name."
    assert dialog.messages.text("address_note") == "Address note contains control characters."
    assert dialog.case_ref.accessibleDescription() == "Error: Enter the case reference."
    assert dialog.focusWidget() is dialog.case_ref  # the first wrong field takes the focus
    with pytest.raises(NotAccepted):
        dialog.result_family()

    type_text(qtbot, dialog.case_ref, "NB-1")
    type_text(qtbot, dialog.family_name, "Testwell")
    type_text(qtbot, dialog.address_note, "fine now")
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    assert dialog.case_ref.accessibleDescription() == ""  # the mark goes with the message


def test_enter_in_a_field_is_ok_and_escape_is_cancel(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(FamilyDialog(None, suggested_ref="NB-9"))
    qtbot.keyClick(dialog.case_ref, Qt.Key.Key_Return)
    assert still_open(dialog) and dialog.messages.text("family_name") == "Enter the family name."
    type_text(qtbot, dialog.family_name, "Testwell")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert accepted(dialog)
    other = show(FamilyDialog(None))
    qtbot.keyClick(other.case_ref, Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected and not other.isVisible()


def test_family_too_long_reference_uses_the_domain_message(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(FamilyDialog(None))
    type_text(qtbot, dialog.case_ref, "R" * 65)
    type_text(qtbot, dialog.family_name, "Testwell")
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("case_ref") == "Case ref is too long (65 characters; at most 64)."
    assert dialog.messages.text("family_name") == ""


def test_editing_a_family_keeps_its_id(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    family = Family(case_ref="NB-7", family_name="Testwell", consent_sought=False, notes="old")
    dialog = show(FamilyDialog(None, family))
    assert dialog.consent.currentText() == "No"
    type_text(qtbot, dialog.family_name, "Testwell-Ray")
    press_ok(qtbot, dialog)
    edited = dialog.result_family()
    assert (edited.id, edited.created_at, edited.family_name, edited.consent_sought, edited.notes) == (
        family.id, family.created_at, "Testwell-Ray", False, "old")
    assert edited.updated_at >= family.updated_at


# --- child -------------------------------------------------------------------------------------------


def test_new_child_typed_in_with_the_disability_prompt(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell", conditions=CONDITIONS))
    assert dialog.family_name.text() == "Testwell"
    assert dialog.date_of_birth.text() == "Not set"
    assert list(dialog.condition_boxes) == ["chronic_condition"]  # the flag is not offered twice
    type_text(qtbot, dialog.given_names, "Ava Rose")
    type_date(qtbot, dialog.date_of_birth, dt.date(2019, 3, 15))
    assert dialog.age.text().startswith("age ")
    type_text(qtbot, dialog.sex_gender, "Female")
    type_text(qtbot, dialog.case_number, "LA-555")
    type_text(qtbot, dialog.nhs_number, VALID_NHS)
    assert dialog.messages.text("nhs_number") == ""
    dialog.case_number.setFocus()  # leaving the field shows the number grouped 3-3-4
    assert dialog.nhs_number.text() == "943 476 5919"

    assert dialog.consultee_box.isHidden()
    dialog.disability.setFocus()
    qtbot.keyClick(dialog.disability, Qt.Key.Key_Space)
    assert not dialog.consultee_box.isHidden()
    assert dialog.messages.text("development_consultee") == CONSULTEE_WARNING
    type_text(qtbot, dialog.consultee, "Community paediatrician")
    assert dialog.messages.text("development_consultee") == ""
    dialog.condition_boxes["chronic_condition"].setChecked(True)
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    child = dialog.result_child()
    assert (child.family_id, child.given_names, child.family_name, child.date_of_birth, child.sex_gender,
            child.case_number, child.nhs_number, child.disability_or_delay, child.development_consultee,
            child.conditions) == (FAMILY_ID, "Ava Rose", "Testwell", dt.date(2019, 3, 15), "Female", "LA-555",
                                  VALID_NHS, True, "Community paediatrician", frozenset({"chronic_condition"}))


def test_nhs_number_checked_as_you_type(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell"))
    type_text(qtbot, dialog.given_names, "Ava")
    type_date(qtbot, dialog.date_of_birth, dt.date(2020, 1, 31))
    type_text(qtbot, dialog.nhs_number, "943476")
    assert dialog.messages.text("nhs_number") == ""  # half-typed is not wrong yet
    qtbot.keyClicks(dialog.nhs_number, "5918")
    assert dialog.messages.text("nhs_number") == NHS_CHECK_DIGIT_MESSAGE  # before OK is pressed
    assert "not a valid NHS number (check digit)" in dialog.nhs_number.accessibleDescription()
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.nhs_number.text() == "9434765918"  # an invalid number is left as typed

    qtbot.keyClick(dialog.nhs_number, Qt.Key.Key_Backspace)
    assert dialog.messages.text("nhs_number") == ""
    qtbot.keyClicks(dialog.nhs_number, "9")
    assert dialog.messages.text("nhs_number") == ""
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    assert dialog.result_child().nhs_number == VALID_NHS


@pytest.mark.parametrize(("typed", "message"), [
    ("94347659", "An NHS number has exactly 10 digits."),
    ("943 476 59190", "An NHS number has exactly 10 digits."),
    ("943x765919", "An NHS number has only digits (spaces are fine)."),
])
def test_malformed_nhs_numbers(qtbot, show, typed: str, message: str) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell"))
    type_text(qtbot, dialog.given_names, "Ava")
    type_date(qtbot, dialog.date_of_birth, dt.date(2020, 1, 31))
    type_text(qtbot, dialog.nhs_number, typed)
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("nhs_number") == message


@pytest.mark.parametrize(("born", "message"), [
    (None, "Enter the date of birth."),
    (dt.date.today() + dt.timedelta(days=1), "The date of birth cannot be in the future."),
    (dt.date(1899, 12, 31), "The date of birth must be in 1900 or later."),
])
def test_bad_dates_of_birth_refused_inline(qtbot, show, born: dt.date | None, message: str) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell"))
    type_text(qtbot, dialog.given_names, "Ava")
    if born is not None:
        type_date(qtbot, dialog.date_of_birth, born)
        assert dialog.date_of_birth.value() == born
        assert dialog.messages.text("date_of_birth") == message  # shown as soon as it is typed
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("date_of_birth") == message
    assert dialog.date_of_birth.accessibleDescription() == f"Error: {message}"


def test_child_errors_all_shown_at_once(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID))
    dialog.sex_gender.setText("F\x00")
    dialog.case_number.setText("C" * 65)
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    shown = {name: dialog.messages.text(name) for name in
             ("given_names", "family_name", "date_of_birth", "sex_gender", "case_number", "nhs_number")}
    assert shown == {
        "given_names": "Enter the child's given names.",
        "family_name": "Enter the child's family name.",
        "date_of_birth": "Enter the date of birth.",
        "sex_gender": "Sex gender contains control characters.",
        "case_number": "Case number is too long (65 characters; at most 64).",
        "nhs_number": "",
    }


def test_empty_consultee_warns_but_does_not_block(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell"))
    type_text(qtbot, dialog.given_names, "Ava")
    type_date(qtbot, dialog.date_of_birth, dt.date(2021, 2, 28))
    dialog.disability.setChecked(True)
    assert dialog.messages.severity("development_consultee") is Severity.WARNING
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    child = dialog.result_child()
    assert child.disability_or_delay and child.development_consultee == ""


def test_editing_a_child_keeps_its_id_and_other_conditions(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    child = Child(family_id=FAMILY_ID, given_names="Ava", family_name="Testwell", date_of_birth=dt.date(2018, 5, 1),
                  nhs_number=VALID_NHS, disability_or_delay=True, development_consultee="SALT",
                  conditions=frozenset({"chronic_condition", "another_forms_condition"}))
    dialog = show(ChildDialog(None, FAMILY_ID, child, conditions=CONDITIONS))
    assert dialog.nhs_number.text() == "943 476 5919"
    assert dialog.date_of_birth.value() == dt.date(2018, 5, 1)
    assert dialog.condition_boxes["chronic_condition"].isChecked()
    assert not dialog.consultee_box.isHidden() and dialog.consultee.text() == "SALT"
    dialog.disability.setChecked(False)  # the prompt goes, and what it held is not kept out of sight
    dialog.condition_boxes["chronic_condition"].setChecked(False)
    type_text(qtbot, dialog.given_names, "Ava May")
    press_ok(qtbot, dialog)
    edited = dialog.result_child()
    assert (edited.id, edited.created_at, edited.given_names, edited.disability_or_delay,
            edited.development_consultee, edited.conditions, edited.nhs_number) == (
        child.id, child.created_at, "Ava May", False, "", frozenset({"another_forms_condition"}), VALID_NHS)


@pytest.mark.parametrize("typed", ["12/04/2021", "12042021", "12/4/2021", "12.04.2021", "12-4-2021"])
@pytest.mark.parametrize("start", [None, dt.date(2026, 11, 30)])
def test_dates_typed_the_usual_ways(qtbot, typed: str, start: dt.date | None) -> None:  # type: ignore[no-untyped-def]
    edit = OptionalDateEdit(dt.date(1800, 1, 2), dt.date(2200, 12, 31), start)
    qtbot.addWidget(edit)
    edit.show()
    edit.activateWindow()
    qtbot.waitUntil(edit.isActiveWindow)
    edit.setFocus()
    edit.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(edit, typed)
    assert edit.value() == dt.date(2021, 4, 12)


def test_unset_date_of_birth_opens_the_calendar_on_this_month(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID))
    dob = dialog.date_of_birth
    qtbot.mouseClick(dob, Qt.MouseButton.LeftButton, pos=QPoint(dob.width() - 5, dob.height() // 2))  # the arrow
    calendar = dob.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert dob.value() is None  # looking is not choosing
    calendar.window().hide()


# --- professional ------------------------------------------------------------------------------------


def test_new_professional_with_a_common_role(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ProfessionalDialog(None))
    type_text(qtbot, dialog.name, "Jo Example")
    dialog.role.setFocus()
    qtbot.keyClick(dialog.role, Qt.Key.Key_Down)  # first common role: Social worker
    qtbot.keyClick(dialog.role, Qt.Key.Key_Down)  # Health visitor
    assert dialog.role.currentText() == "Health visitor"
    assert dialog.agency.currentText() == Agency.HEALTH.label  # suggested from the role
    type_text(qtbot, dialog.organisation, "Northbridge Community Health Trust")
    type_text(qtbot, dialog.contact, "jo@example.org")
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    assert dialog.result_fields() == {"name": "Jo Example", "role": "Health visitor", "agency": Agency.HEALTH,
                                      "organisation": "Northbridge Community Health Trust",
                                      "contact": "jo@example.org"}
    assert type(dialog.result_fields()["agency"]) is Agency


def test_professional_with_a_typed_role_and_chosen_agency(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ProfessionalDialog(None))
    assert [dialog.role.itemText(i) for i in range(3)] == ["Social worker", "Health visitor", "School nurse"]
    type_text(qtbot, dialog.name, "Sam Sample")
    dialog.agency.setFocus()
    qtbot.keyClicks(dialog.agency, "Vol")
    type_text(qtbot, dialog.role, "Youth worker")
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    fields = dialog.result_fields()
    assert (fields["role"], fields["agency"]) == ("Youth worker", Agency.VOLUNTARY)


def test_professional_missing_everything(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ProfessionalDialog(None))
    dialog.contact.setText("tel\x1b")
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert [dialog.messages.text(n) for n in ("name", "role", "agency", "contact")] == [
        "Enter the professional's name.", "Choose or type the professional's role.",
        "Choose the professional's agency.", "Contact contains control characters."]
    with pytest.raises(NotAccepted):
        dialog.result_fields()


# --- round -------------------------------------------------------------------------------------------


def test_new_round(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(RoundDialog(None, "A. T.", child_id=CHILD_ID))
    assert dialog.held_on.date() == QDate.currentDate()
    assert dialog.status is None  # a new round is open; status is only changed on an existing one
    assert not dialog.next_review_on.isEnabled()
    type_date(qtbot, dialog.held_on, dt.date(2026, 3, 2))
    dialog.purpose.setCurrentIndex(dialog.purpose.findText(RoundPurpose.REVIEW_CONFERENCE.label))
    dialog.has_review.setFocus()
    qtbot.keyClick(dialog.has_review, Qt.Key.Key_Space)
    assert dialog.next_review_on.isEnabled()
    assert dialog.next_review_on.date() == QDate(2026, 5, 25)  # suggested 12 weeks on
    type_date(qtbot, dialog.next_review_on, dt.date(2026, 6, 1))
    type_text(qtbot, dialog.title, "Spring review")
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    rnd = dialog.result_round()
    assert (rnd.child_id, rnd.held_on, rnd.purpose, rnd.next_review_on, rnd.title, rnd.status) == (
        CHILD_ID, dt.date(2026, 3, 2), RoundPurpose.REVIEW_CONFERENCE, dt.date(2026, 6, 1), "Spring review",
        RoundStatus.OPEN)


def test_review_before_held_date_refused_inline(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(RoundDialog(None, "A. T.", child_id=CHILD_ID))
    type_date(qtbot, dialog.held_on, dt.date(2026, 3, 2))
    dialog.has_review.setChecked(True)
    type_date(qtbot, dialog.next_review_on, dt.date(2026, 3, 1))
    assert dialog.messages.text("next_review_on") == REVIEW_BEFORE_HELD  # as soon as it is typed
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("next_review_on") == REVIEW_BEFORE_HELD
    dialog.has_review.setChecked(False)  # no review date at all is fine
    assert dialog.messages.text("next_review_on") == ""
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    assert dialog.result_round().next_review_on is None


def test_round_title_with_control_characters(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(RoundDialog(None, "A. T.", child_id=CHILD_ID))
    dialog.title.setText("bad\x7ftitle")
    press_ok(qtbot, dialog)
    assert still_open(dialog)
    assert dialog.messages.text("title") == "Title contains control characters."


def test_editing_a_round_keeps_its_id_and_can_change_status(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    rnd = AssessmentRound(child_id=CHILD_ID, held_on=dt.date(2026, 1, 5), purpose=RoundPurpose.CORE_GROUP,
                          next_review_on=dt.date(2026, 4, 5), title="Core group")
    dialog = show(RoundDialog(None, "<b>A. T.</b>", rnd, child_id=CHILD_ID))
    heading = dialog.findChild(QLabel, "childLabel")
    assert heading.textFormat() == Qt.TextFormat.PlainText and "<b>" in heading.text()  # shown, not rendered
    assert dialog.has_review.isChecked() and dialog.next_review_on.date() == QDate(2026, 4, 5)
    assert dialog.purpose.currentText() == RoundPurpose.CORE_GROUP.label
    assert dialog.status is not None
    dialog.status.setCurrentIndex(dialog.status.findText(RoundStatus.MEETING_HELD.label))
    press_ok(qtbot, dialog)
    edited = dialog.result_round()
    assert (edited.id, edited.created_at, edited.status, edited.held_on, edited.next_review_on) == (
        rnd.id, rnd.created_at, RoundStatus.MEETING_HELD, rnd.held_on, rnd.next_review_on)


# --- settings ----------------------------------------------------------------------------------------


def test_settings_dialog(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(SettingsDialog(None, Settings(idle_lock_minutes=7, theme=Theme.DARK)))
    assert dialog.idle_minutes.value() == 7 and dialog.theme.currentText() == Theme.DARK.label
    dialog.idle_minutes.setFocus()
    dialog.idle_minutes.selectAll()
    qtbot.keyClicks(dialog.idle_minutes, "15")
    dialog.initials_only.setFocus()
    qtbot.keyClick(dialog.initials_only, Qt.Key.Key_Space)
    dialog.theme.setCurrentIndex(dialog.theme.findText(Theme.LIGHT.label))
    dialog.retention.setFocus()
    dialog.retention.selectAll()
    qtbot.keyClicks(dialog.retention, "999")  # clipped to the spin box's range, never out of bounds
    press_ok(qtbot, dialog)
    assert accepted(dialog)
    assert dialog.result_settings() == Settings(idle_lock_minutes=15, initials_only_by_default=True,
                                                theme=Theme.LIGHT, closed_case_retention_months=99)


def test_cancel_gives_no_result(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(SettingsDialog(None, Settings()))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    with pytest.raises(NotAccepted):
        dialog.result_settings()


# --- every dialog: accessibility, keyboard, looks ------------------------------------------------------


def all_dialogs() -> Iterator[RecordDialog]:
    rnd = AssessmentRound(child_id=CHILD_ID, held_on=dt.date(2026, 1, 5), purpose=RoundPurpose.OTHER)
    yield FamilyDialog(None)
    yield ChildDialog(None, FAMILY_ID, conditions=CONDITIONS)
    yield ProfessionalDialog(None)
    yield RoundDialog(None, "A. T.", rnd, child_id=CHILD_ID)
    yield SettingsDialog(None, Settings())


def controls(dialog: QDialog) -> list[QWidget]:
    """The controls a user tabs to (not the line edits inside combo and spin boxes, not pop-ups)."""
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
    return [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds) and w.window() is dialog
            and not isinstance(w.parent(), QComboBox | QAbstractSpinBox)]


def test_every_control_is_named_and_labelled_with_unique_mnemonics(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    for dialog in all_dialogs():
        show(dialog)
        for control in controls(dialog):
            name = control.accessibleName() or (control.text() if isinstance(control, QAbstractButton) else "")
            assert name.strip(), f"{type(dialog).__name__}: a {type(control).__name__} has no accessible name"
        buddies = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
        labelled = {label.buddy() for label in buddies}
        # the round's review date sits right of its check box, whose row label names both
        described_by_neighbour = {getattr(dialog, "next_review_on", None)}
        for control in controls(dialog):
            if not isinstance(control, QAbstractButton) and control not in described_by_neighbour:
                assert control in labelled, f"{type(dialog).__name__}: {control.accessibleName()} has no label"
        texts = [label.text() for label in buddies] + [b.text() for b in dialog.findChildren(QAbstractButton)]
        keys = [m.group(1).lower() for t in texts for m in [re.search(r"&([^&])", t.replace("&&", ""))] if m]
        assert len(buddies) == sum("&" in label.text() for label in buddies)  # every label has a mnemonic
        assert len(keys) == len(set(keys)), f"{type(dialog).__name__}: mnemonic clash in {keys}"


def test_tab_visits_the_fields_in_reading_order(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ChildDialog(None, FAMILY_ID, family_name="Testwell", conditions=CONDITIONS))
    dialog.disability.setChecked(True)
    dialog.given_names.setFocus()
    visited = []
    for _ in range(11):
        widget = QApplication.focusWidget()
        visited.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = [dialog.given_names, dialog.family_name, dialog.date_of_birth, dialog.sex_gender,
                dialog.case_number, dialog.nhs_number, dialog.disability, dialog.consultee,
                dialog.condition_boxes["chronic_condition"], dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
    assert visited == expected  # and Tab leaves the date field even while it shows "Not set"


def test_dialogs_grab_to_png(qtbot, show, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for dialog in all_dialogs():
        show(dialog)
        dialog.accept()  # the error state: the largest layout
        path = tmp_path / f"{type(dialog).__name__}.png"
        assert dialog.grab().save(str(path))
        image = QImage(str(path))
        assert image.width() >= dialog.width() and image.height() >= dialog.height() > 100


_SCALED_CHECK = r"""
import json, sys
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget
app = QApplication([])
sys.path.insert(0, sys.argv[1])
import tests.test_ui_dialogs as t
problems, ratios = [], set()
for dialog in t.all_dialogs():
    dialog.show()
    dialog.accept()  # show the inline messages
    if isinstance(dialog, t.ChildDialog):
        dialog.disability.setChecked(True)
    app.processEvents()
    ratios.add(dialog.devicePixelRatio())
    for w in dialog.findChildren(QWidget):
        if not w.isVisible() or w.window() is not dialog:
            continue
        if isinstance(w.parent(), QComboBox | QAbstractSpinBox):  # editors placed by the style, 1 px tighter
            continue                                                # than their hint at any scale
        name = f"{type(dialog).__name__}/{type(w).__name__}:{w.accessibleName() or getattr(w, 'text', lambda: '')()}"
        hint = w.minimumSizeHint()
        if hint.isValid() and (w.width() < hint.width() or w.height() < hint.height()):
            problems.append(f"{name} squeezed below its minimum {hint.toTuple()} > {w.size().toTuple()}")
        if w.hasHeightForWidth() and w.height() < w.heightForWidth(w.width()):
            problems.append(f"{name} cut short")
        rect = w.rect().translated(w.mapTo(dialog, w.rect().topLeft()))
        if not dialog.rect().contains(rect):
            problems.append(f"{name} outside the dialog")
print(json.dumps({"problems": problems, "ratios": sorted(ratios)}))
"""


def test_dialogs_fit_at_200_percent_scaling(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", _SCALED_CHECK, str(root)], env=env, capture_output=True,
                         text=True, timeout=120, cwd=tmp_path, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["ratios"] == [2.0]
    assert report["problems"] == []
