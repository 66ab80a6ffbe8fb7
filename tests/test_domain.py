"""Domain rules: NHS numbers, dates and ages at exact birthdays, entity validation, sheet lifecycle."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neglect_tool.domain import (
    Answer,
    AssessmentRound,
    Child,
    ConsensusItem,
    DomainError,
    Family,
    RaterKind,
    RatingSheet,
    SheetLocked,
    SheetStatus,
    age_in_months,
    describe_age,
    format_nhs_number,
    validate_nhs_number,
)
from neglect_tool.domain.nhs import nhs_check_digit

FAMILY = uuid.uuid4()


# --- NHS numbers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
def test_valid_nhs_numbers_are_normalised(raw: str) -> None:
    assert validate_nhs_number(raw) == raw.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("943 476 5918", "check digit"),  # last digit off by one
        ("9434765910", "check digit"),
        ("123456789", "10 digits"),
        ("12345678901", "10 digits"),
        ("94347659l9", "10 digits"),  # a letter l for a one
        ("", "10 digits"),
        ("٩٤٣٤٧٦٥٩١٩", "10 digits"),  # Arabic-Indic digits are digits to Python, not to the NHS
        ("1000000010", "check digit"),  # remainder gives check 10: never issued
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_reason(raw: str, why: str) -> None:
    with pytest.raises(DomainError, match=why) as info:
        validate_nhs_number(raw)
    assert info.value.field == "nhs_number"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_round_trip(first_nine: str) -> None:
    check = nhs_check_digit(first_nine)
    if check is None:
        for last in "0123456789":
            with pytest.raises(DomainError):
                validate_nhs_number(first_nine + last)
    else:
        assert validate_nhs_number(first_nine + str(check)) == first_nine + str(check)
        wrong = (check + 1) % 10
        with pytest.raises(DomainError):
            validate_nhs_number(first_nine + str(wrong))


def test_format_nhs_number() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"


# --- ages at exact birthdays --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (dt.date(2020, 3, 15), dt.date(2020, 3, 15), 0),
        (dt.date(2020, 3, 15), dt.date(2020, 4, 14), 0),  # the day before the monthly birthday
        (dt.date(2020, 3, 15), dt.date(2020, 4, 15), 1),  # on it
        (dt.date(2020, 3, 15), dt.date(2025, 3, 14), 59),  # the day before the 5th birthday
        (dt.date(2020, 3, 15), dt.date(2025, 3, 15), 60),  # the 5th birthday
        (dt.date(2020, 1, 31), dt.date(2020, 2, 28), 0),
        (dt.date(2020, 1, 31), dt.date(2020, 2, 29), 1),  # leap year: last day of a shorter month
        (dt.date(2021, 1, 31), dt.date(2021, 2, 28), 1),
        (dt.date(2020, 2, 29), dt.date(2021, 2, 28), 12),  # leap-day birthday in a common year
        (dt.date(2020, 2, 29), dt.date(2021, 2, 27), 11),
        (dt.date(2008, 6, 30), dt.date(2026, 6, 30), 216),  # 18th birthday
    ],
)
def test_age_in_completed_months(born: dt.date, on: dt.date, months: int) -> None:
    assert age_in_months(born, on) == months


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(DomainError, match="before the child's date of birth"):
        age_in_months(dt.date(2020, 1, 1), dt.date(2019, 12, 31))


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
       st.integers(min_value=0, max_value=8000))
def test_age_never_decreases_and_steps_by_at_most_one(born: dt.date, days: int) -> None:
    on = born + dt.timedelta(days=days)
    today, tomorrow = age_in_months(born, on), age_in_months(born, on + dt.timedelta(days=1))
    assert today <= tomorrow <= today + 1


def test_describe_age() -> None:
    assert describe_age(1) == "1 month"
    assert describe_age(8) == "8 months"
    assert describe_age(24) == "2 years"
    assert describe_age(27) == "2 years 3 months"


# --- entities -----------------------------------------------------------------------------------------

def _child(**changes: object) -> Child:
    fields: dict[str, object] = dict(family_id=FAMILY, given_names="Tamsin", family_name="Orvell",
                                     date_of_birth=dt.date(2021, 5, 4))
    fields.update(changes)
    return Child(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": dt.date(1899, 12, 31)}, "date_of_birth"),
        ({"date_of_birth": dt.date.today() + dt.timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": dt.date(202, 1, 1)}, "date_of_birth"),
        ({"given_names": "   "}, "given_names"),
        ({"family_name": "x" * 201}, "family_name"),
        ({"given_names": "Tam\x00sin"}, "given_names"),
        ({"nhs_number": "943 476 5918"}, "nhs_number"),
    ],
)
def test_child_validation_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as info:
        _child(**changes)
    assert info.value.field == field


def test_child_display_and_initials() -> None:
    child = _child(given_names="Tamsin Rose", nhs_number=" 943 476 5919 ")
    assert child.display_name == "Tamsin Rose Orvell"
    assert child.initials == "T.O."
    assert child.nhs_number == "9434765919"


def test_family_requires_reference_and_name() -> None:
    with pytest.raises(DomainError, match="case ref"):
        Family(case_ref=" ", family_name="Orvell")


def test_round_review_date_after_round() -> None:
    with pytest.raises(DomainError, match="next review"):
        AssessmentRound(child_id=uuid.uuid4(), held_on=dt.date(2026, 5, 1), purpose="core_group",
                        next_review_on=dt.date(2026, 4, 1))
    with pytest.raises(ValueError):
        AssessmentRound(child_id=uuid.uuid4(), held_on=dt.date(2026, 5, 1), purpose="tea_party")


def _sheet() -> RatingSheet:
    return RatingSheet(round_id=uuid.uuid4(), rater_kind=RaterKind.PROFESSIONAL, professional_id=uuid.uuid4(),
                       form_id="childcare-development-checklist", form_version=1)


def test_sheet_lifecycle_draft_submit_amend() -> None:
    sheet = _sheet().with_answer(Answer("h1", "yes", note="seen at clinic", source="observed"))
    sheet = sheet.with_free_text("strengths", "Warm with the baby")
    submitted = sheet.submitted()
    assert submitted.status is SheetStatus.SUBMITTED and submitted.submitted_at is not None
    with pytest.raises(SheetLocked):
        submitted.with_answer(Answer("h2", "no"))
    with pytest.raises(SheetLocked):
        submitted.submitted()
    amended = submitted.amendment("Recorded the wrong visit date")
    assert amended.version == 2 and amended.supersedes == submitted.id and amended.id != submitted.id
    assert amended.status is SheetStatus.DRAFT and amended.answers == submitted.answers
    with pytest.raises(DomainError, match="needs a reason"):
        submitted.amendment("  ")
    with pytest.raises(DomainError, match="only a submitted sheet"):
        sheet.amendment("why")


def test_sheet_rater_rules() -> None:
    with pytest.raises(DomainError, match="must name the professional"):
        RatingSheet(round_id=uuid.uuid4(), rater_kind=RaterKind.PROFESSIONAL, professional_id=None,
                    form_id="f", form_version=1)
    carer = RatingSheet(round_id=uuid.uuid4(), rater_kind=RaterKind.PARENT_CARER, professional_id=None,
                        rater_name="Mother", form_id="f", form_version=1)
    assert carer.rater_name == "Mother"


def test_unresolved_consensus_item_needs_owner_and_date() -> None:
    with pytest.raises(DomainError, match="who escalates"):
        ConsensusItem("h1", unresolved=True)
    item = ConsensusItem("h1", unresolved=True, escalation_owner="Team manager",
                         escalate_by=dt.date(2026, 12, 1))
    assert item.agreed_option is None
    with pytest.raises(DomainError, match="no agreed answer"):
        ConsensusItem("h1", "yes", unresolved=True, escalation_owner="x", escalate_by=dt.date(2026, 12, 1))


def test_evolve_moves_updated_at_and_revalidates() -> None:
    family = Family(case_ref="NB-1", family_name="Orvell")
    renamed = family.evolve(family_name="Orvell-Price")
    assert renamed.id == family.id and renamed.updated_at >= family.updated_at
    with pytest.raises(DomainError):
        family.evolve(family_name="")
