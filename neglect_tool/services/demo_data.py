"""Synthetic demo cases: made-up families scored by made-up professionals, for first run and tests.

Every name here is invented. The generator is deterministic (seeded) and works for any form: each
section of each child has a "true" level of concern per round that follows the case's trajectory
(improving, drifting, deteriorating), and each rater sees it through their agency's view: agencies know
some sections well and others barely (more Not known), and each rater has a mild bias of their own. That
gives realistic agreement with real disagreements and information gaps to discuss.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    EvidenceSource,
    Family,
    Plan,
    PlanAction,
    PlanTarget,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
)
from ..forms.model import FormDefinition, MissingKind, Section
from ..scoring.applicability import applicable_for_child

DEMO_PASSPHRASE = "demo-only-synthetic-data"
DEMO_SEED = 20261125


class Trajectory(StrEnum):
    IMPROVING = "improving"
    DRIFTING = "drifting"
    DETERIORATING = "deteriorating"


@dataclass(frozen=True, slots=True)
class DemoRound:
    round: AssessmentRound
    sheets: tuple[RatingSheet, ...]
    consensus: Consensus | None
    plan: Plan | None


@dataclass(frozen=True, slots=True)
class DemoChild:
    child: Child
    rounds: tuple[DemoRound, ...]


@dataclass(frozen=True, slots=True)
class DemoCase:
    family: Family
    trajectory: Trajectory
    professionals: tuple[Professional, ...]
    children: tuple[DemoChild, ...]


@dataclass(frozen=True, slots=True)
class DemoData:
    owner: Professional
    professionals: tuple[Professional, ...]
    cases: tuple[DemoCase, ...]


OWNER = ("Morgan Ellery", "Social worker", Agency.SOCIAL_CARE, "Northbridge Children's Services")
_PROFESSIONALS = (
    ("Priya Halloway", "Health visitor", Agency.HEALTH, "Northbridge Community Health"),
    ("Dr Tomasz Brenner", "GP", Agency.HEALTH, "Riverside Surgery"),
    ("Grace Okonjo", "Class teacher", Agency.EDUCATION, "Larkfield Primary School"),
    ("Sam Whitcombe", "Designated safeguarding lead", Agency.EDUCATION, "Larkfield Primary School"),
    ("Ruth Penhaligon", "Nursery key worker", Agency.EARLY_YEARS, "Little Acorns Nursery"),
    ("PC Dan Farrow", "Police officer", Agency.POLICE, "Northbridge Police"),
    ("Aisha Karim", "Housing officer", Agency.HOUSING, "Northbridge Homes"),
    ("Leo Marchetti", "Family support worker", Agency.VOLUNTARY, "Open Door Family Project"),
    ("Hannah Quist", "School nurse", Agency.HEALTH, "Northbridge Community Health"),
)

# How well each agency can see each kind of section: the chance an answer is a real rating rather than
# Not known. Section ids are matched by keyword so the generator works for any form.
_VISIBILITY: dict[Agency, dict[str, float]] = {
    Agency.SOCIAL_CARE: {"*": 0.92},
    Agency.HEALTH: {"health": 0.97, "feed": 0.95, "develop": 0.95, "hygiene": 0.9, "home": 0.8, "*": 0.7},
    Agency.EDUCATION: {"develop": 0.95, "learn": 0.97, "hygiene": 0.95, "emotion": 0.95, "home": 0.25,
                       "feed": 0.7, "*": 0.6},
    Agency.EARLY_YEARS: {"develop": 0.97, "hygiene": 0.95, "emotion": 0.9, "feed": 0.85, "home": 0.3,
                         "*": 0.65},
    Agency.POLICE: {"safety": 0.9, "supervis": 0.9, "carer": 0.9, "home": 0.7, "*": 0.35},
    Agency.HOUSING: {"home": 0.97, "safety": 0.75, "*": 0.35},
    Agency.VOLUNTARY: {"*": 0.85},
}

_NOTES_CONCERN = (
    "Seen on an unannounced visit; the same concern was raised at the last core group.",
    "Mother said this has been hard since the move; no change seen since the last review.",
    "Child told me about it without prompting during a one-to-one session.",
    "Two appointments this term where the child was not brought; reasons not given.",
    "Noted on three of the last four visits.",
)
_NOTES_OK = (
    "Consistently good over the last month of visits.",
    "Carer talked through the routine and it matched what I saw.",
    "Records show this has been in place since the spring.",
)
_NOTES_GAP = (
    "Not something I have been able to see; the school would know more.",
    "No recent contact on this; health records should say.",
)


@dataclass
class _CaseSpec:
    case_ref: str
    family_name: str
    trajectory: Trajectory
    children: tuple[tuple[str, str, int, frozenset[str], bool], ...]  # given, sex, age months, conds, delay
    professionals: tuple[int, ...]  # indexes into _PROFESSIONALS
    rounds: int
    base_concern: float  # 0 (care good) .. 1 (serious concern) at the first round
    address_note: str = ""
    sections_of_concern: tuple[str, ...] = field(default=())


_CASES = (
    _CaseSpec(
        "NB-2026-0147", "Ashdown", Trajectory.IMPROVING,
        (("Lily", "Female", 8, frozenset(), False), ("Noah", "Male", 50, frozenset(), False),
         ("Evie", "Female", 110, frozenset({"chronic_condition"}), False)),
        (0, 1, 2, 4, 7), 3, 0.62, "Private rented flat; damp reported in the children's bedroom.",
        ("home", "hygiene", "feed", "health"),
    ),
    _CaseSpec(
        "NB-2026-0212", "Brightwater", Trajectory.DRIFTING,
        (("Kai", "Male", 30, frozenset(), True), ("Maya", "Female", 130, frozenset(), False)),
        (0, 4, 3, 5, 6, 8), 4, 0.55, "Moved twice in the last year; currently in temporary accommodation.",
        ("supervis", "safety", "emotion", "home"),
    ),
    _CaseSpec(
        "NB-2026-0388", "Calloway", Trajectory.DETERIORATING,
        (("Jayden", "Male", 170, frozenset(), False), ("Rosie", "Female", 62, frozenset(), False)),
        (0, 8, 3, 2, 5), 3, 0.3, "",
        ("health", "emotion", "warmth", "feed"),
    ),
)

_CARER_NAMES = {"Ashdown": "Kerry Ashdown (mother)", "Brightwater": "Jordan Brightwater (father)",
                "Calloway": "Dee Calloway (mother)"}
_PURPOSES = (RoundPurpose.INITIAL_CONFERENCE, RoundPurpose.REVIEW_CONFERENCE, RoundPurpose.REVIEW_CONFERENCE,
             RoundPurpose.REVIEW_CONFERENCE)


def _visibility(agency: Agency, section: Section) -> float:
    table = _VISIBILITY.get(agency, {"*": 0.7})
    for keyword, chance in table.items():
        if keyword != "*" and keyword in section.id:
            return chance
    return table.get("*", 0.7)


def _concern_level(spec: _CaseSpec, section: Section, round_no: int) -> float:
    """The true level of concern (0..1) in a section at a round, following the case's trajectory."""
    focus = any(key in section.id for key in spec.sections_of_concern)
    base = spec.base_concern if focus else spec.base_concern * 0.35
    if spec.trajectory is Trajectory.IMPROVING:
        level = base * (1 - 0.3 * round_no)
    elif spec.trajectory is Trajectory.DETERIORATING:
        level = base + (0.22 * round_no if focus else 0.06 * round_no)
    else:  # drifting: no change while the plan runs
        level = base
    return min(max(level, 0.02), 0.95)


def _pick_rating(rng: random.Random, level: float, codes: list[str]) -> str:
    """An ordinal rating around the true level: index 0 is the best option."""
    position = level * (len(codes) - 1) + rng.gauss(0, 0.45)
    return codes[min(max(round(position), 0), len(codes) - 1)]


def build_demo(form: FormDefinition, *, today: dt.date | None = None, seed: int = DEMO_SEED) -> DemoData:
    """The demo cases as domain objects (nothing stored). Dates are laid out backwards from `today`."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    owner = Professional(name=OWNER[0], role=OWNER[1], agency=OWNER[2], organisation=OWNER[3],
                         contact="morgan.ellery@northbridge.example")
    others = tuple(
        Professional(name=n, role=r, agency=a, organisation=o, contact=f"{n.split()[-1].lower()}@example.org")
        for n, r, a, o in _PROFESSIONALS
    )
    cases = []
    for case_no, spec in enumerate(_CASES):
        family = Family(case_ref=spec.case_ref, family_name=spec.family_name, address_note=spec.address_note,
                        consent_sought=True)
        team = (owner, *(others[i - 1] for i in spec.professionals if i > 0))
        children = []
        for child_no, (given, sex, months_at_latest, conditions, delay) in enumerate(spec.children):
            born = today - dt.timedelta(days=round(months_at_latest * 30.44) + 14 * (case_no + child_no))
            child = Child(
                family_id=family.id, given_names=given, family_name=spec.family_name, date_of_birth=born,
                sex_gender=sex, case_number=f"{spec.case_ref}-{child_no + 1}",
                nhs_number=_demo_nhs_number(rng), disability_or_delay=delay,
                development_consultee="Community paediatrician (Dr A. Venn)" if delay else "",
                conditions=conditions,
            )
            rounds = [
                _build_round(rng, form, spec, child, team, round_no, today)
                for round_no in range(spec.rounds)
            ]
            children.append(DemoChild(child, tuple(rounds)))
        cases.append(DemoCase(family, spec.trajectory, team, tuple(children)))
    return DemoData(owner, others, tuple(cases))


def _demo_nhs_number(rng: random.Random) -> str:
    """A valid-looking NHS number in the 999 range, which is never issued to real people."""
    from ..domain.nhs import nhs_check_digit

    while True:
        first = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first)
        if check is not None:
            return first + str(check)


def _build_round(
    rng: random.Random,
    form: FormDefinition,
    spec: _CaseSpec,
    child: Child,
    team: tuple[Professional, ...],
    round_no: int,
    today: dt.date,
) -> DemoRound:
    latest = round_no == spec.rounds - 1
    held_on = today - dt.timedelta(days=91 * (spec.rounds - 1 - round_no) + (5 if latest else 0))
    held_on = max(held_on, child.date_of_birth)
    status = RoundStatus.OPEN if latest else RoundStatus.CLOSED
    rnd = AssessmentRound(
        child_id=child.id, held_on=held_on, purpose=_PURPOSES[min(round_no, len(_PURPOSES) - 1)],
        status=status, next_review_on=held_on + dt.timedelta(days=91),
        title=f"{_PURPOSES[min(round_no, 3)].label} {round_no + 1}",
    )
    applicable = applicable_for_child(form, child, held_on)
    ids = applicable.applicable_ids
    submitted_at = dt.datetime.combine(held_on - dt.timedelta(days=2), dt.time(16, 30), tzinfo=dt.UTC)
    sheets = []
    raters: list[tuple[Professional | None, str]] = [(p, "") for p in team]
    raters.append((None, _CARER_NAMES.get(spec.family_name, "Parent/carer")))
    for rater_no, (professional, carer_name) in enumerate(raters):
        bias = rng.gauss(0, 0.08) - (0.2 if professional is None else 0.0)  # carers tend to see less concern
        # In the latest (open) round one professional is still scoring: their sheet is a draft.
        draft = latest and rater_no == len(raters) - 2
        answers: dict[str, Answer] = {}
        for section in form.sections:
            level = _concern_level(spec, section, round_no)
            seen = 0.9 if professional is None else _visibility(professional.agency, section)
            for item in section.items:
                if item.id not in ids or (draft and rng.random() < 0.45):
                    continue
                answers[item.id] = _answer(rng, form, item.id, level + bias, seen, held_on)
        sheet = RatingSheet(
            round_id=rnd.id,
            rater_kind=RaterKind.PROFESSIONAL if professional else RaterKind.PARENT_CARER,
            professional_id=professional.id if professional else None,
            rater_name="" if professional else carer_name,
            form_id=form.id, form_version=form.version, answers=answers,
            free_text=_free_text(form, spec, professional is None),
            status=SheetStatus.DRAFT if draft else SheetStatus.SUBMITTED,
            submitted_at=None if draft else submitted_at + dt.timedelta(minutes=7 * rater_no),
        )
        sheets.append(sheet)
    consensus = None if latest else _consensus(rng, form, rnd, sheets, ids)
    plan = _plan(rng, form, rnd, spec, team, consensus) if consensus else None
    return DemoRound(rnd, tuple(sheets), consensus, plan)


def _answer(rng: random.Random, form: FormDefinition, item_id: str, level: float, seen: float,
            held_on: dt.date) -> Answer:
    item = form.item(item_id)
    scale = form.scale_for(item)
    ratings = [o.code for o in scale.rating_options]
    not_known = next((o.code for o in scale.options if o.missing is MissingKind.NOT_KNOWN), None)
    if not_known is not None and rng.random() > seen:
        return Answer(item_id, not_known, note=rng.choice(_NOTES_GAP) if rng.random() < 0.3 else "")
    code = _pick_rating(rng, min(max(level, 0.0), 1.0), ratings)
    concern = ratings.index(code) > 0
    note = ""
    if concern and rng.random() < 0.6:
        note = rng.choice(_NOTES_CONCERN)
    elif rng.random() < 0.08:
        note = rng.choice(_NOTES_OK)
    return Answer(
        item_id, code, note=note,
        source=rng.choice(list(EvidenceSource)) if note else None,
        recency=(Recency.RECENT if rng.random() < 0.85 else Recency.HISTORICAL) if note else None,
    )


def _free_text(form: FormDefinition, spec: _CaseSpec, carer: bool) -> dict[str, str]:
    texts = {
        "strengths": "Children are warmly greeted after school; the eldest is proud of her reading.",
        "child_voice": "Said the flat is 'cold at night' and that they like staying at nan's at weekends.",
        "carer_view": "Feels things have been better since the new tenancy officer got involved.",
    }
    if carer:
        texts["carer_view"] = "I know the house has been a mess; I am trying and I want help with the damp."
    known = {f.id for f in form.free_text}
    return {k: v for k, v in texts.items() if k in known}


def _consensus(rng: random.Random, form: FormDefinition, rnd: AssessmentRound,
               sheets: list[RatingSheet], ids: frozenset[str]) -> Consensus:
    professional_sheets = [s for s in sheets if s.rater_kind is RaterKind.PROFESSIONAL]
    items: dict[str, ConsensusItem] = {}
    unresolved_left = 1
    for item in form.items():
        if item.id not in ids:
            continue
        ratings = [o.code for o in form.scale_for(item).rating_options]
        given = [s.answers[item.id].option for s in professional_sheets if item.id in s.answers]
        rated = sorted(ratings.index(c) for c in given if c in ratings)
        if not rated:
            continue
        if rated[-1] - rated[0] >= 2 and unresolved_left:
            unresolved_left -= 1
            items[item.id] = ConsensusItem(
                item.id, None, "Views differ; health and school to share records before the next core group.",
                unresolved=True, escalation_owner=OWNER[0], escalate_by=rnd.held_on + dt.timedelta(days=21),
            )
            continue
        agreed = ratings[rated[len(rated) // 2]]  # the meeting's view, starting from the middle view
        rationale = ""
        if rated[-1] != rated[0]:
            rationale = "Discussed at the meeting; most recent first-hand observation given most weight."
        items[item.id] = ConsensusItem(item.id, agreed, rationale)
    finalised = dt.datetime.combine(rnd.held_on, dt.time(12, 0), tzinfo=dt.UTC)
    return Consensus(round_id=rnd.id, form_id=form.id, form_version=form.version, items=items).finalised(
        finalised
    )


def _plan(rng: random.Random, form: FormDefinition, rnd: AssessmentRound, spec: _CaseSpec,
          team: tuple[Professional, ...], consensus: Consensus) -> Plan:
    worst = [
        (item_id, ci.agreed_option) for item_id, ci in consensus.items.items()
        if ci.agreed_option is not None
        and form.scale_for(form.item(item_id)).rating_options[-1].code == ci.agreed_option
    ]
    rng.shuffle(worst)
    review = rnd.next_review_on or rnd.held_on + dt.timedelta(days=91)
    targets = tuple(
        PlanTarget(item_id=item_id, baseline_option=option,
                   target_option=form.scale_for(form.item(item_id)).rating_options[0].code, review_on=review)
        for item_id, option in worst[:4]
    )
    actions = (
        PlanAction(description="Weekly home visits focused on routines and meals", owner=team[0].name,
                   agency=team[0].agency, due_on=rnd.held_on + dt.timedelta(days=28)),
        PlanAction(description="Refer to the damp and repairs team; confirm a date for works",
                   owner="Aisha Karim", agency=Agency.HOUSING, due_on=rnd.held_on + dt.timedelta(days=14)),
        PlanAction(description="Book and attend the missed health appointments (child was not brought)",
                   owner=team[1].name if len(team) > 1 else team[0].name,
                   agency=team[1].agency if len(team) > 1 else team[0].agency,
                   due_on=rnd.held_on + dt.timedelta(days=35)),
    )
    return Plan(round_id=rnd.id, targets=targets, actions=actions, active=True)
