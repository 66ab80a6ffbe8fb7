"""scoring.comparison: rows of applicable items, professionals apart from the carer, the form's disagreement
rule, information differences, sorting and filtering, profiles and agreement figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from neglect_tool.domain import (
    Agency,
    Answer,
    Consensus,
    ConsensusItem,
    EvidenceSource,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    SheetStatus,
)
from neglect_tool.forms.model import (
    AgeRange,
    DisagreementRule,
    FormDefinition,
    Item,
    MissingKind,
    ProfileRule,
    Scale,
    ScaleKind,
    ScaleOption,
    Section,
)
from neglect_tool.scoring.applicability import applicable_items
from neglect_tool.scoring.comparison import (
    ComparisonError,
    RowFilter,
    RowOrder,
    RowStatus,
    build_comparison,
    filter_rows,
    group_by_section,
    sort_rows,
)

YBN = Scale("ybn", ScaleKind.ORDINAL, (
    ScaleOption("yes", "Yes", "1"), ScaleOption("borderline", "Borderline", "2"), ScaleOption("no", "No", "3"),
    ScaleOption("not_known", "Not known", "4", MissingKind.NOT_KNOWN),
    ScaleOption("na", "N/A", "5", MissingKind.NOT_APPLICABLE),
))
FORM = FormDefinition(
    id="cmp-form", version=1, title="Comparison test form", attribution="ours", scales={"ybn": YBN},
    sections=(
        Section("feeding", "Feeding", (
            Item("meals", "Regular meals", "ybn", agencies=("education", "health")),
            Item("infant", "Feeds made up safely", "ybn", age_range=AgeRange(0, 12)),  # not at 5 years
            Item("hungry", "Not hungry at school", "ybn", agencies=("education",)),
        )),
        Section("home", "Home", (
            Item("warm", "Home is warm", "ybn", agencies=("housing",)),
            Item("safe", "Home is safe", "ybn"),
        )),
    ),
    profile=ProfileRule({"yes": 0, "borderline": 1, "no": 2}),
    disagreement=DisagreementRule(min_steps=2, flag_information_difference=True),
)
BORN = dt.date(2020, 1, 10)
HELD = dt.date(2025, 3, 1)
APPLIES = applicable_items(FORM, date_of_birth=BORN, on=HELD)
ROUND = uuid.uuid4()
NURSE = Professional(name="Asha Nurse", role="Health visitor", agency=Agency.HEALTH)
TEACHER = Professional(name="Ben Teacher", role="Class teacher", agency=Agency.EDUCATION)
WORKER = Professional(name="Cleo Worker", role="Social worker", agency=Agency.SOCIAL_CARE)
PEOPLE = {p.id: p for p in (NURSE, TEACHER, WORKER)}
SUBMITTED = dt.datetime(2025, 2, 27, 10, 0, tzinfo=dt.UTC)


def sheet(who: Professional | None, answers: dict[str, str], *, form: FormDefinition = FORM,
          **notes: str) -> RatingSheet:
    built = {k: Answer(k, v, note=notes.get(k, ""), source=EvidenceSource.OBSERVED if k in notes else None,
                       recency=Recency.RECENT if k in notes else None) for k, v in answers.items()}
    return RatingSheet(
        round_id=ROUND, rater_kind=RaterKind.PROFESSIONAL if who else RaterKind.PARENT_CARER,
        professional_id=who.id if who else None, rater_name="" if who else "Pat Carer (mother)",
        form_id=form.id, form_version=form.version, answers=built, status=SheetStatus.SUBMITTED,
        submitted_at=SUBMITTED,
    )


NURSE_SHEET = sheet(NURSE, {"meals": "yes", "hungry": "not_known", "warm": "borderline", "safe": "yes"},
                    meals="Saw lunch being made on a home visit.")
TEACHER_SHEET = sheet(TEACHER, {"meals": "no", "hungry": "no", "warm": "not_known", "safe": "yes"})
WORKER_SHEET = sheet(WORKER, {"meals": "borderline", "hungry": "no", "warm": "no", "safe": "yes"})
CARER_SHEET = sheet(None, {"meals": "yes", "hungry": "yes", "warm": "yes", "safe": "no"})
ALL = [NURSE_SHEET, TEACHER_SHEET, CARER_SHEET, WORKER_SHEET]


def test_rows_are_the_applicable_items_with_professionals_first_and_the_carer_apart() -> None:
    c = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE)
    assert [r.item_id for r in c.rows] == ["meals", "hungry", "warm", "safe"]  # "infant" does not apply at 5
    assert [col.name for col in c.professionals] == ["Asha Nurse", "Ben Teacher", "Cleo Worker"]
    assert [col.name for col in c.carers] == ["Pat Carer (mother)"] and c.carers[0].agency is None
    assert [col.name for col in c.raters][-1] == "Pat Carer (mother)"
    meals = c.row("meals")
    assert [cell.label for cell in meals.cells] == ["Yes", "No", "Borderline"]
    assert meals.cells[0].note == "Saw lunch being made on a home visit."
    assert meals.cells[0].evidence == "Observed, recent"
    assert meals.carer_cells[0].option == "yes"
    assert "1 item does not apply" in c.hidden_summary
    with pytest.raises(KeyError):
        c.row("infant")


def test_disagreement_follows_the_forms_rule_and_not_known_is_an_information_difference() -> None:
    c = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE)
    meals, hungry, warm, safe = (c.row(i) for i in ("meals", "hungry", "warm", "safe"))
    assert meals.status is RowStatus.DISAGREEMENT and meals.spread == 2  # Yes beside No
    assert hungry.status is RowStatus.AGREED and hungry.information_difference
    assert hungry.known_by == ("Ben Teacher (Class teacher)", "Cleo Worker (Social worker)")
    assert hungry.not_known_by == ("Asha Nurse (Health visitor)",)
    assert hungry.agencies_to_ask == ("School / education",)
    assert warm.status is RowStatus.DIFFERENCE and warm.spread == 1  # Borderline beside No
    assert safe.status is RowStatus.AGREED and not safe.information_difference
    # the carer's "No" on an item every professional rated "Yes" is flagged, but changes no professional figure
    assert safe.carer_differs and hungry.carer_differs and not meals.carer_differs
    wider = dataclasses.replace(FORM, disagreement=DisagreementRule(min_steps=1, flag_information_difference=False))
    c1 = build_comparison(wider, [dataclasses.replace(s, form_id=wider.id) for s in ALL], APPLIES,
                          professionals=PEOPLE)
    assert c1.row("warm").status is RowStatus.DISAGREEMENT and not c1.row("hungry").information_difference


def test_the_carer_never_enters_professional_figures() -> None:
    with_carer = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE)
    without = build_comparison(FORM, [s for s in ALL if s is not CARER_SHEET], APPLIES, professionals=PEOPLE)
    assert [r.status for r in with_carer.rows] == [r.status for r in without.rows]
    assert with_carer.agreement == without.agreement
    assert with_carer.agreement is not None and with_carer.agreement.n_raters == 3


def test_sorting_and_filtering_helpers() -> None:
    c = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE)
    first = sort_rows(c.rows, RowOrder.DISCUSSION_FIRST)
    assert [r.item_id for r in first] == ["meals", "warm", "hungry", "safe"]  # wider spread first
    assert [r.item_id for r in sort_rows(reversed(c.rows))] == ["meals", "hungry", "warm", "safe"]
    assert [r.item_id for r in filter_rows(c.rows, RowFilter.DISAGREEMENTS)] == ["meals"]
    assert [r.item_id for r in filter_rows(c.rows, RowFilter.INFORMATION_GAPS)] == ["hungry", "warm"]
    assert [r.item_id for r in filter_rows(c.rows, RowFilter.NEEDS_DISCUSSION)] == ["meals", "hungry", "warm"]
    assert [r.item_id for r in filter_rows(c.rows, RowFilter.CARER_DIFFERS)] == ["hungry", "safe"]
    assert [r.item_id for r in filter_rows(c.rows, section_ids={"home"})] == ["warm", "safe"]
    sections = group_by_section(first, FORM)
    assert [(s.section_id, [r.item_id for r in s.rows]) for s in sections] == [
        ("feeding", ["meals", "hungry"]), ("home", ["warm", "safe"])]
    assert c.counts() == {"items": 4, "disagreements": 1, "differences": 1, "agreed": 2,
                          "information_differences": 2, "information_gaps": 2, "carer_differs": 2, "unresolved": 0}


def test_profiles_per_rater_and_for_the_consensus() -> None:
    consensus = Consensus(round_id=ROUND, form_id=FORM.id, form_version=1, items={
        "meals": ConsensusItem("meals", None, "Views differ", unresolved=True, escalation_owner="Cleo Worker",
                               escalate_by=dt.date(2025, 3, 20)),
        "hungry": ConsensusItem("hungry", "no"), "warm": ConsensusItem("warm", "borderline", "Radiator fixed"),
        "safe": ConsensusItem("safe", "yes"),
    })
    c = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE, consensus=consensus)
    nurse = {p.section_id: p for p in c.profiles[NURSE_SHEET.id]}
    assert nurse["feeding"].counts == {"yes": 1, "not_known": 1} and nurse["feeding"].concern_index == 0.0
    assert c.consensus_profile is not None
    agreed = {p.section_id: p for p in c.consensus_profile}
    assert agreed["feeding"].unanswered == 1  # the unresolved item has no agreed answer
    assert agreed["feeding"].concern_index == 2.0 and agreed["home"].concern_index == 0.5
    assert c.row("meals").unresolved and c.row("meals").consensus_label == "Unresolved"
    assert c.row("warm").consensus_label == "Borderline"
    assert [r.item_id for r in filter_rows(c.rows, RowFilter.UNRESOLVED)] == ["meals"]
    assert "visual aid" in c.index_label


def test_agreement_figures_per_round_and_section_with_undefined_reasons() -> None:
    c = build_comparison(FORM, ALL, APPLIES, professionals=PEOPLE)
    assert c.agreement is not None
    names = [f.name for f in c.agreement.figures]
    assert names == ["Percent agreement", "Krippendorff's alpha (ordinal)", "Gwet's AC2 (quadratic weights)"]
    assert c.agreement.n_items == 4 and c.agreement.n_items_compared == 4 and c.agreement.n_raters == 3
    percent = c.agreement.figures[0]
    assert percent.value == pytest.approx((0 + 1 + 0 + 1) / 4) and percent.text == "50%"
    home = c.section_agreement["home"]
    assert home.scope == "Home" and home.n_items == 2
    # every professional answered "Yes" on one item and one pair on the other: alpha is undefined, with a reason
    same = [sheet(p, {"meals": "yes", "hungry": "yes", "warm": "yes", "safe": "yes"}) for p in (NURSE, TEACHER)]
    flat = build_comparison(FORM, same, APPLIES, professionals=PEOPLE)
    assert flat.agreement is not None
    alpha = flat.agreement.figures[1]
    assert alpha.value is None and alpha.not_defined and "yes" in alpha.not_defined
    assert alpha.text.startswith("not defined: ")
    assert flat.agreement.caution is not None
    nobody = build_comparison(FORM, [CARER_SHEET], APPLIES, professionals=PEOPLE)
    assert nobody.agreement is not None and nobody.agreement.not_defined == "there are no professional sheets"
    assert build_comparison(FORM, ALL, APPLIES, agreement=False).agreement is None


def test_bad_input_is_refused_with_a_clear_message() -> None:
    draft = dataclasses.replace(NURSE_SHEET, status=SheetStatus.DRAFT, submitted_at=None)
    with pytest.raises(ComparisonError, match="draft"):
        build_comparison(FORM, [draft], APPLIES)
    other = dataclasses.replace(NURSE_SHEET, form_version=2)
    with pytest.raises(ComparisonError, match="v2"):
        build_comparison(FORM, [other], APPLIES)
    with pytest.raises(ComparisonError, match="twice"):
        build_comparison(FORM, [NURSE_SHEET, NURSE_SHEET], APPLIES)
    odd = dataclasses.replace(NURSE_SHEET, answers={"meals": Answer("meals", "maybe")})
    with pytest.raises(ComparisonError, match="'maybe'"):
        build_comparison(FORM, [odd], APPLIES)
    unknown = build_comparison(FORM, [NURSE_SHEET], APPLIES)  # no professionals given: still shown
    assert unknown.professionals[0].name == "Unknown professional"
