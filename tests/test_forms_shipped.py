"""The forms shipped in forms/ and the published schema: they validate and have the expected shape."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from neglect_tool.forms import (
    AGENCIES,
    FormDefinition,
    Item,
    MissingKind,
    builtin_forms,
    get_form,
    load_form,
    load_form_bytes,
    schema_path,
)
from neglect_tool.resources import forms_dir

CHECKLIST = "childcare-development-checklist"
GRADED = "care-profile-graded"
HOME = "home-conditions"


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


def _subschemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)


# --- the schema -----------------------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_is_closed_and_bounded() -> None:
    for sub in _subschemas(_schema()):
        if sub.get("type") == "object" and "properties" in sub:
            assert sub.get("additionalProperties") is False, sub
        if sub.get("type") == "array":
            assert "maxItems" in sub, sub
        if sub.get("type") == "string":
            assert "maxLength" in sub or "pattern" in sub, sub
    ids = _schema()["$defs"]["id"]
    assert ids["pattern"] == "^[a-z][a-z0-9_-]{0,63}$"


def test_the_agency_vocabulary_matches_the_schema() -> None:
    assert tuple(_schema()["$defs"]["agency"]["enum"]) == AGENCIES


def test_every_shipped_file_validates_against_the_schema_itself() -> None:
    validator = Draft202012Validator(_schema())
    files = sorted(forms_dir().glob("*.toml"))
    assert [f.name for f in files] == [f"{GRADED}.toml", f"{CHECKLIST}.toml", f"{HOME}.toml"]
    for file in files:
        errors = list(validator.iter_errors(tomllib.loads(file.read_text(encoding="utf-8"))))
        assert not errors, (file.name, errors[:3])


# --- all shipped forms ----------------------------------------------------------------------------------


def test_the_three_forms_are_installed() -> None:
    assert set(builtin_forms()) == {(CHECKLIST, 1), (GRADED, 1), (HOME, 1)}


@pytest.mark.parametrize("form_id", [CHECKLIST, GRADED, HOME])
def test_shipped_form_is_coherent(form_id: str) -> None:
    form = get_form(form_id)
    assert form.source_path.endswith(f"{form_id}.toml")
    assert load_form(form.source_path) == form
    assert "visual aid" in form.profile.label.lower()
    assert form.attribution and "neglect_tool" in form.attribution
    ids = [i.id for i in form.items()]
    assert len(ids) == len(set(ids))
    for item in form.items():
        scale = form.scale_for(item)
        assert form.section_of(item.id).items
        assert len(scale.rating_options) >= 2
        assert set(item.agencies) <= set(AGENCIES)
        assert item.age_range is None or item.age_range.describe()
    for scale in form.scales.values():
        assert [o.code for o in scale.rating_options] == [c for c in form.profile.concern_weights
                                                          if c in scale.codes()]
    child_voice = [f for f in form.free_text if f.id == "child_voice"]
    assert child_voice and child_voice[0].title == "The child's voice: what the child says and shows"


def test_builtin_forms_is_cached_but_returns_a_copy() -> None:
    first = builtin_forms()
    first.clear()
    second = builtin_forms()
    assert len(second) == 3
    assert next(iter(second.values())) is next(iter(builtin_forms().values()))


def test_get_form_latest_explicit_and_unknown() -> None:
    assert get_form(CHECKLIST) is get_form(CHECKLIST, 1)
    with pytest.raises(KeyError, match="no form 'no-such-form' is installed"):
        get_form("no-such-form")
    with pytest.raises(KeyError, match=r"has no version 99 \(installed versions: 1\)"):
        get_form(CHECKLIST, 99)


def test_a_shipped_form_loads_from_bytes_with_a_bom() -> None:
    raw = (forms_dir() / f"{HOME}.toml").read_bytes()
    assert load_form_bytes(b"\xef\xbb\xbf" + raw, f"{HOME}.toml").items() == get_form(HOME).items()


# --- the checklist ----------------------------------------------------------------------------------------


def _checklist() -> FormDefinition:
    return get_form(CHECKLIST)


def _within(item: Item, low: int | None, high: int | None) -> bool:
    ages = item.age_range
    return ages is not None and (ages.min_months, ages.max_months) == (low, high)


def test_checklist_counts() -> None:
    form = _checklist()
    assert 8 <= len(form.sections) <= 10
    assert 60 <= len(form.items()) <= 90
    assert all(len(s.items) >= 5 for s in form.sections)
    assert sum(1 for i in form.items() if i.yes_means) >= 8
    assert sum(1 for i in form.items() if i.agencies) >= 0.9 * len(form.items())
    assert sum(1 for i in form.items() if i.guidance or i.prompts) >= 20


def test_checklist_sections() -> None:
    form = _checklist()
    assert [s.id for s in form.sections] == [
        "development", "health", "feeding", "hygiene", "emotional", "warmth", "home", "supervision", "carers",
    ]
    assert [s.id for s in form.sections if s.context_only] == ["carers"]


def test_checklist_scale_and_rules() -> None:
    form = _checklist()
    assert {i.scale_id for i in form.items()} == {"ybn"}
    scale = form.scales["ybn"]
    assert [(o.code, o.label, o.key, o.missing) for o in scale.options] == [
        ("yes", "Yes", "1", None),
        ("borderline", "Borderline", "2", None),
        ("no", "No", "3", None),
        ("not_known", "Not known", "4", MissingKind.NOT_KNOWN),
        ("na", "N/A", "5", MissingKind.NOT_APPLICABLE),
    ]
    assert form.profile.concern_weights == {"yes": 0, "borderline": 1, "no": 2}
    assert form.disagreement.min_steps == 2
    assert [f.id for f in form.free_text] == ["strengths", "child_voice", "carer_view"]
    assert {c.id for c in form.conditions} == {"chronic_condition", "disability_or_delay"}


def test_checklist_age_bands() -> None:
    items = _checklist().items()
    infant = [i for i in items if _within(i, None, 12)]
    assert {"feed_infant_prepared", "feed_infant_responsive", "home_safe_sleep"} <= {i.id for i in infant}
    assert any(_within(i, None, 60) for i in items)  # under 5
    assert sum(1 for i in items if _within(i, 60, 216)) >= 3  # school age
    assert any(i.age_range and (i.age_range.min_months or 0) >= 144 for i in items)  # adolescents
    assert _checklist().item("feed_infant_prepared").text.startswith(
        "Feeds are prepared safely and at the right strength")


def test_checklist_conditions() -> None:
    items = _checklist().items()
    assert sum(1 for i in items if i.condition == "chronic_condition") >= 2
    assert sum(1 for i in items if i.condition == "disability_or_delay") >= 1


def test_checklist_negative_statements_say_what_yes_means() -> None:
    """A statement with a negative in it invites a mis-tick, so it must show what Yes means."""
    for item in _checklist().items():
        if re.search(r"\b(no|not|never)\b", item.text, re.IGNORECASE):
            assert item.yes_means.startswith("Yes = "), item.id
    assert _checklist().item("feed_no_hoarding").yes_means == "Yes = no hoarding or hiding of food seen"


def test_checklist_says_was_not_brought() -> None:
    texts = [t for i in _checklist().items() for t in (i.text, i.guidance, *i.prompts)]
    assert any("was not brought" in t for t in texts)
    assert all("was not brought" in t for t in texts if "did not attend" in t.lower())


# --- the graded profile and the home-conditions record ------------------------------------------------------


def test_graded_care_profile() -> None:
    form = get_form(GRADED)
    assert 12 <= len(form.items()) <= 20
    assert [s.id for s in form.sections] == ["physical", "safety", "emotional_care", "development_esteem"]
    scale = form.scales["grade"]
    assert [o.label for o in scale.rating_options] == ["1", "2", "3", "4", "5"]
    assert all(o.descriptor for o in scale.options)
    assert [o.missing for o in scale.options if o.missing] == [MissingKind.NOT_KNOWN]
    assert form.profile.concern_weights == {"g1": 0, "g2": 1, "g3": 2, "g4": 3, "g5": 4}
    for item in form.items():
        assert item.guidance.startswith("1: ") and " 5: " in item.guidance, item.id


def test_home_conditions_record() -> None:
    form = get_form(HOME)
    assert 15 <= len(form.items()) <= 25
    assert [s.id for s in form.sections] == ["kitchen", "living", "bedrooms", "bathroom", "outside"]
    scale = form.scales["home03"]
    assert [o.code for o in scale.rating_options] == ["c0", "c1", "c2", "c3"]
    missing = {o.missing for o in scale.options if o.missing}
    assert missing == {MissingKind.NOT_KNOWN, MissingKind.NOT_APPLICABLE}
    assert form.profile.concern_weights == {"c0": 0, "c1": 1, "c2": 2, "c3": 3}
