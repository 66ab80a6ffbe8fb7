"""Scoring: which items apply at exact birthdays and under conditions; section profiles; information gaps."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from neglect_tool.domain import Child
from neglect_tool.forms.model import (
    AgeRange,
    FormDefinition,
    Item,
    MissingKind,
    Polarity,
    ProfileRule,
    Scale,
    ScaleKind,
    ScaleOption,
    Section,
)
from neglect_tool.scoring.applicability import applicable_for_child, applicable_items
from neglect_tool.scoring.profile import concern_weight, information_gaps, overall_progress, section_profiles

YBN = Scale(
    "ybn",
    ScaleKind.ORDINAL,
    (
        ScaleOption("yes", "Yes", "1"),
        ScaleOption("borderline", "Borderline", "2"),
        ScaleOption("no", "No", "3"),
        ScaleOption("not_known", "Not known", "4", MissingKind.NOT_KNOWN),
        ScaleOption("na", "N/A", "5", MissingKind.NOT_APPLICABLE),
    ),
)
FORM = FormDefinition(
    id="test-form",
    version=1,
    title="Test form",
    attribution="ours",
    scales={"ybn": YBN},
    sections=(
        Section("feeding", "Feeding", (
            Item("infant_feeds", "Feeds are made up safely", "ybn", age_range=AgeRange(0, 12),
                 agencies=("health",)),
            Item("meals", "Regular meals", "ybn", agencies=("education", "health")),
            Item("hoarding", "No sign of hoarding food", "ybn", yes_means="Yes = no hoarding seen"),
        )),
        Section("health", "Health", (
            Item("school_age", "Attends school nurse checks", "ybn", age_range=AgeRange(60, None)),
            Item("meds", "Medication given as prescribed", "ybn", condition="chronic_condition"),
            Item("support", "Extra needs are supported", "ybn", condition="disability_or_delay"),
            Item("reversed", "Injuries are left untreated", "ybn", polarity=Polarity.CONCERN),
        )),
    ),
    profile=ProfileRule({"yes": 0, "borderline": 1, "no": 2}),
)
BORN = dt.date(2020, 3, 15)


def ids(on: dt.date, conditions: frozenset[str] = frozenset()) -> set[str]:
    return set(applicable_items(FORM, date_of_birth=BORN, on=on, conditions=conditions).applicable_ids)


def test_infant_item_switches_off_exactly_at_first_birthday() -> None:
    assert "infant_feeds" in ids(dt.date(2021, 3, 14))
    assert "infant_feeds" not in ids(dt.date(2021, 3, 15))


def test_school_age_item_switches_on_exactly_at_fifth_birthday() -> None:
    assert "school_age" not in ids(dt.date(2025, 3, 14))
    assert "school_age" in ids(dt.date(2025, 3, 15))


def test_conditional_items_need_their_condition() -> None:
    on = dt.date(2022, 1, 1)
    assert {"meds", "support"}.isdisjoint(ids(on))
    assert "meds" in ids(on, frozenset({"chronic_condition"}))


def test_disability_flag_on_the_child_switches_on_its_items() -> None:
    child = Child(family_id=uuid.uuid4(), given_names="Ivo", family_name="Test", date_of_birth=BORN,
                  disability_or_delay=True)
    result = applicable_for_child(FORM, child, dt.date(2020, 11, 20))
    assert "support" in result.applicable_ids
    assert result.age_months == 8
    assert result.hidden_summary().startswith("1 item does not apply at 8 months")


def test_hidden_summary_counts() -> None:
    result = applicable_items(FORM, date_of_birth=BORN, on=dt.date(2020, 11, 20))
    assert len(result.hidden_by_age) == 1 and len(result.hidden_by_condition) == 2
    assert result.hidden_summary() == (
        "1 item does not apply at 8 months; 2 items only apply to circumstances not recorded for this child"
    )


def test_section_profile_counts_gaps_and_concern_index() -> None:
    applicable = ids(dt.date(2020, 11, 20))  # infant: feeding x3, health: reversed only
    answers = {"infant_feeds": "no", "meals": "borderline", "hoarding": "not_known", "reversed": "yes",
               "school_age": "no"}  # school_age does not apply: ignored
    feeding, health = section_profiles(FORM, answers, applicable)
    assert feeding.applicable == 3 and feeding.rated == 2 and feeding.not_known == 1
    assert feeding.counts == {"no": 1, "borderline": 1, "not_known": 1}
    assert feeding.concern_index == pytest.approx(1.5)  # (2 + 1) / 2, Not known excluded
    assert feeding.concern_max == 2
    # "Injuries are left untreated": Yes is the concern, so it weighs like No
    assert health.applicable == 1 and health.concern_index == pytest.approx(2.0)
    assert overall_progress([feeding, health]) == (4, 4)


def test_unanswered_items_and_empty_sections() -> None:
    feeding, _health = section_profiles(FORM, {}, ids(dt.date(2020, 11, 20)))
    assert feeding.unanswered == 3 and not feeding.complete and feeding.concern_index is None


def test_concern_weight_polarity_and_missing() -> None:
    assert concern_weight(FORM, FORM.item("meals"), "no") == 2
    assert concern_weight(FORM, FORM.item("reversed"), "no") == 0
    assert concern_weight(FORM, FORM.item("reversed"), "borderline") == 1
    assert concern_weight(FORM, FORM.item("meals"), "na") is None


def test_information_gaps_name_who_could_answer() -> None:
    gaps = information_gaps(FORM, {"meals": "not_known", "hoarding": "yes"}, ids(dt.date(2020, 11, 20)))
    assert [(g.item_id, g.agencies) for g in gaps] == [("meals", ("education", "health"))]
