"""Everything a meeting summary shows, gathered from an open store: for the PDF and the comparison screen.

    data = build_summary(store, "NB-2026-0147")                  # latest round with an agreed view
    data = build_summary(store, "NB-2026-0147", round_id=rid, redact=True)

The independent-scoring rule holds here too: while the store's owner has a draft sheet of their own for the
round, the others' answers are not handed out (BlindScoring); opening them is recorded in the audit trail.

Redaction (``redact=True``) replaces the names of the child, the siblings, the family and the carers by
initials everywhere, free text and notes included, and leaves out the date of birth and the NHS number.
Professionals' names stay: they are the authors of the record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..domain import (
    Agency,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusStatus,
    DomainError,
    Family,
    Plan,
    PlanTarget,
    Professional,
    RaterKind,
    RatingSheet,
    SheetStatus,
    age_in_months,
    describe_age,
    format_nhs_number,
    utc_now,
)
from ..export.summary_model import (
    ActionView,
    AgreedItem,
    CarerView,
    ChildIdentity,
    ConsensusState,
    ConsensusView,
    Contributor,
    DocumentInfo,
    GapEntry,
    GapKind,
    RoundInfo,
    SummaryData,
    TargetView,
    TextEntry,
    UnresolvedItem,
)
from ..forms.loader import get_form
from ..forms.model import FormDefinition, MissingKind
from ..scoring.applicability import applicable_for_child
from ..scoring.change import (
    RoundProfile,
    SiblingComparison,
    SiblingEntry,
    changes_over,
    drift_alerts,
    siblings_side_by_side,
    trend,
)
from ..scoring.comparison import Comparison, ComparisonRow, RaterColumn, RowStatus, build_comparison
from ..scoring.profile import SectionProfile, section_profiles
from ..storage.errors import NotFound
from ..storage.store import Store
from .casework import BlindScoring, Casework
from .trends import round_profiles

__all__ = ["BlindScoring", "NothingToSummarise", "SummaryData", "build_summary", "choose_round"]


class NothingToSummarise(DomainError):
    """The case or round has nothing a summary could show (no rounds, or no submitted sheets)."""


# --- redaction ---------------------------------------------------------------------------------------


class Redactor:
    """Replaces the family's personal names with initials in any text (no-op when not redacting)."""

    def __init__(self, names: Iterable[str], *, active: bool) -> None:
        self.active = active
        tokens = {t for name in names for t in re.findall(r"[^\W\d_][\w'’-]*", name) if len(t) >= 2}
        tokens = {t.rstrip("'’") for t in tokens}
        # longest first, so "Mary-Jane" goes before "Mary"
        alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE) if tokens else None

    def text(self, value: str) -> str:
        if not self.active or self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: _initial(m.group(0)), value)

    def name(self, value: str) -> str:
        """ "Kerry Ashdown (mother)" -> "K.A. (mother)": initials run together, anything after kept."""
        if not self.active:
            return value
        head, bracket, rest = value.partition("(")
        words = [w for w in re.split(r"\s+", head.strip()) if w]
        initials = "".join(_initial(w) for w in words)
        return f"{initials} {bracket}{rest}".strip() if bracket else initials


def _initial(word: str) -> str:
    parts = [p for p in re.split(r"-", word) if p]
    return "-".join(p[0].upper() + "." for p in parts)


def _child_label(child: Child, redactor: Redactor) -> str:
    return child.initials if redactor.active else child.display_name


# --- choosing the round ------------------------------------------------------------------------------


def choose_round(store: Store, family: Family, round_id: uuid.UUID | None = None) -> tuple[Child, AssessmentRound]:
    """The round asked for (it must belong to the case), else the latest round with an agreed view (draft
    or final), else the latest round. Ties on the date go to the child listed first (the eldest)."""
    children = store.children.for_family(family.id)
    if round_id is not None:
        try:
            rnd = store.rounds.get(round_id)
        except NotFound:
            raise NothingToSummarise(f"There is no round {round_id} in this store.") from None
        child = next((c for c in children if c.id == rnd.child_id), None)
        if child is None:
            raise NothingToSummarise(f"Round {round_id} does not belong to case {family.case_ref}.")
        return child, rnd
    candidates: list[tuple[bool, dt.date, int, Child, AssessmentRound]] = []
    for order, child in enumerate(children):
        for rnd in store.rounds.for_child(child.id):
            has_consensus = store.consensus.get_for_round(rnd.id) is not None
            candidates.append((has_consensus, rnd.held_on, -order, child, rnd))
    if not candidates:
        raise NothingToSummarise(f"Case {family.case_ref} has no assessment rounds yet.")
    best = max(candidates, key=lambda c: (c[0], c[1], c[2]))
    return best[3], best[4]


# --- building -----------------------------------------------------------------------------------------


def build_summary(
    store: Store,
    case_ref: str,
    round_id: uuid.UUID | None = None,
    *,
    redact: bool = False,
    now: dt.datetime | None = None,
) -> SummaryData:
    """Gather the summary of one round of case `case_ref` (see the module docstring). Raises NotFound for an
    unknown case, NothingToSummarise when there is nothing to show, BlindScoring while the owner's own
    sheet for the round is a draft."""
    family = store.families.get_by_ref(case_ref)
    child, rnd = choose_round(store, family, round_id)
    produced = (now or utc_now()).astimezone()
    today = produced.date()
    sheets = Casework(store).submitted_sheets_for_comparison(rnd.id)  # enforces blind scoring, audits
    all_current = store.sheets.current_for_round(rnd.id)
    consensus = store.consensus.get_for_round(rnd.id)
    form = _form_for(sheets, consensus, rnd)
    siblings = store.children.for_family(family.id)
    team = store.families.professionals_for(family.id)
    people = {p.id: p for p in store.professionals.list_all()}
    carer_names = [s.rater_name for s in all_current if s.rater_kind is RaterKind.PARENT_CARER]
    redactor = Redactor(
        [family.family_name, *(n for c in siblings for n in (c.given_names, c.family_name)),
         *(n.partition("(")[0] for n in carer_names)],
        active=redact,
    )
    shown = [_redacted_sheet(s, redactor) for s in sheets if s.form_id == form.id and s.form_version == form.version]
    shown_consensus = _redacted_consensus(consensus, redactor) if consensus is not None else None
    applicability = applicable_for_child(form, child, rnd.held_on)
    comparison = build_comparison(form, shown, applicability, professionals=people, consensus=shown_consensus)

    plan = store.plans.get_for_round(rnd.id)
    history = _history(store, child, rnd, redactor)
    previous = next((h for h in reversed(history) if h.held_on < rnd.held_on), None)
    current_point = next((h for h in history if h.round_id == rnd.id), None)
    change = None
    if previous is not None and current_point is not None:
        change = changes_over([previous, current_point])[0]
    previous_plan = store.plans.get_for_round(previous.round_id) if previous is not None else None
    involved = {p.agency for p in team}

    return SummaryData(
        document=_document(store, family, rnd, consensus, shown, plan, produced, redact),
        case_ref=family.case_ref,
        family=redactor.name(family.family_name) if redact else family.family_name,
        child=_identity(child, rnd, redactor),
        round=RoundInfo(rnd.id, rnd.held_on, rnd.purpose.label, redactor.text(rnd.title), rnd.status.label,
                        rnd.next_review_on),
        form_title=form.title,
        form_key=form.key,
        consent_sought=family.consent_sought,
        contributors=tuple(_contributor(c) for c in comparison.professionals),
        awaiting=_awaiting(all_current, people, redactor),
        carers=_carers(comparison, shown),
        comparison=comparison,
        rater_labels=tuple(c.name for c in comparison.professionals),
        consensus=_consensus_view(comparison, consensus),
        gaps=_gaps(comparison, involved),
        strengths=_texts(comparison, shown, "strengths"),
        child_voice=_texts(comparison, shown, "child_voice"),
        previous_round_on=previous.held_on if previous is not None else None,
        change=change,
        trend=trend(history) if history else None,
        drift=tuple(drift_alerts(history)),
        siblings=_siblings(store, siblings, rnd, redactor) if len(siblings) > 1 else None,
        plan_active=None if plan is None else plan.active,
        targets=_targets(form, plan, None),
        previous_targets=_targets(form, previous_plan, comparison),
        actions=_actions(plan, today, redactor),
    )


def _form_for(sheets: Sequence[RatingSheet], consensus: Consensus | None, rnd: AssessmentRound) -> FormDefinition:
    if consensus is not None:
        return get_form(consensus.form_id, consensus.form_version)
    if not sheets:
        raise NothingToSummarise(
            f"The round of {rnd.held_on:%d %b %Y} has no submitted sheets and no agreed view to summarise."
        )
    keys = Counter((s.form_id, s.form_version) for s in sheets)
    form_id, version = keys.most_common(1)[0][0]
    return get_form(form_id, version)


def _redacted_sheet(sheet: RatingSheet, r: Redactor) -> RatingSheet:
    if not r.active:
        return sheet
    answers = {k: dataclasses.replace(a, note=r.text(a.note)) for k, a in sheet.answers.items()}
    texts = {k: r.text(v) for k, v in sheet.free_text.items()}
    return dataclasses.replace(sheet, rater_name=r.name(sheet.rater_name), answers=answers, free_text=texts,
                               amendment_reason=r.text(sheet.amendment_reason))


def _redacted_consensus(consensus: Consensus, r: Redactor) -> Consensus:
    if not r.active:
        return consensus
    items = {k: dataclasses.replace(i, rationale=r.text(i.rationale)) for k, i in consensus.items.items()}
    return dataclasses.replace(consensus, items=items)


def _fingerprint(sheets: Sequence[RatingSheet], consensus: Consensus | None, plan: Plan | None) -> str:
    body = {
        "sheets": sorted([str(s.id), s.version, s.updated_at.isoformat()] for s in sheets),
        "consensus": None if consensus is None else [str(consensus.id), consensus.status.value,
                                                      consensus.updated_at.isoformat()],
        "plan": None if plan is None else [str(plan.id), plan.updated_at.isoformat()],
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:8]


def _document(store: Store, family: Family, rnd: AssessmentRound, consensus: Consensus | None,
              sheets: Sequence[RatingSheet], plan: Plan | None, produced: dt.datetime, redact: bool) -> DocumentInfo:
    saves = 0
    if consensus is not None:
        saves = sum(e.action == "saved" for e in store.audit.entries_for(consensus.id)) or 1
    owner = store.owner
    by = f"{owner.name}, {owner.role}, {owner.agency.label}"
    return DocumentInfo(
        document_id=f"NT-{family.case_ref}-{rnd.id.hex[:8].upper()}",
        version=str(saves),  # 0: no agreed view recorded yet
        fingerprint=_fingerprint(sheets, consensus, plan),
        produced_by=by,
        produced_on=produced,
        redacted=redact,
    )


def _identity(child: Child, rnd: AssessmentRound, r: Redactor) -> ChildIdentity:
    months = age_in_months(child.date_of_birth, rnd.held_on)
    return ChildIdentity(
        name=_child_label(child, r),
        age_text=describe_age(months),
        age_months=months,
        date_of_birth=None if r.active else child.date_of_birth,
        nhs_number=None if r.active or not child.nhs_number else format_nhs_number(child.nhs_number),
        sex_gender=child.sex_gender,
        case_number=child.case_number,
        disability_or_delay=child.disability_or_delay,
        development_consultee=r.text(child.development_consultee),
    )


def _contributor(column: RaterColumn) -> Contributor:
    return Contributor(column.name, column.role, column.agency_label, column.organisation,
                       column.submitted_at.astimezone().date() if column.submitted_at else None,
                       column.sheet_version)


def _awaiting(current: Sequence[RatingSheet], people: Mapping[uuid.UUID, Professional], r: Redactor) -> tuple[str, ...]:
    names = []
    for sheet in current:
        if sheet.status is SheetStatus.SUBMITTED:
            continue
        if sheet.rater_kind is RaterKind.PARENT_CARER:
            names.append(f"{r.name(sheet.rater_name) or 'Parent/carer'} (parent/carer)")
        else:
            person = people.get(sheet.professional_id) if sheet.professional_id else None
            names.append(f"{person.name} ({person.role})" if person else "Unknown professional")
    return tuple(names)


def _carers(comparison: Comparison, sheets: Sequence[RatingSheet]) -> tuple[CarerView, ...]:
    by_id = {s.id: s for s in sheets}
    views = []
    for j, column in enumerate(comparison.carers):
        differs = tuple(row.item.text for row in comparison.rows
                        if row.carer_differs and row.carer_cells[j].is_rating)
        sheet = by_id[column.sheet_id]
        views.append(CarerView(column.name, column.submitted_at.astimezone().date() if column.submitted_at else None,
                               sheet.free_text.get("carer_view", ""), differs))
    return tuple(views)


def _answers_in_short(form: FormDefinition, row: ComparisonRow) -> str:
    """The professionals' answers counted in scale order, e.g. "Yes 2, No 2, Not known 1"."""
    counts = Counter(c.option for c in row.cells if c.answered)
    return ", ".join(f"{o.label} {counts[o.code]}" for o in form.scale_for(row.item).options if counts.get(o.code))


def _consensus_view(comparison: Comparison, consensus: Consensus | None) -> ConsensusView:
    if consensus is None:
        return ConsensusView(ConsensusState.NONE, None, (), ())
    state = ConsensusState.FINAL if consensus.status is ConsensusStatus.FINAL else ConsensusState.DRAFT
    agreed, unresolved = [], []
    for row in comparison.rows:
        item = row.consensus
        if item is None:
            continue
        if item.unresolved:
            unresolved.append(UnresolvedItem(row.section_title, row.item.text, _answers_in_short(comparison.form, row),
                                             item.escalation_owner, item.escalate_by, item.rationale))
        elif item.rationale or row.status in (RowStatus.DISAGREEMENT, RowStatus.DIFFERENCE):
            agreed.append(AgreedItem(row.section_title, row.item.text, _answers_in_short(comparison.form, row),
                                     row.consensus_label, item.rationale, row.status is RowStatus.DISAGREEMENT))
    n_agreed = sum(1 for i in consensus.items.values() if not i.unresolved and i.agreed_option is not None)
    return ConsensusView(state, consensus.finalised_at, tuple(agreed), tuple(unresolved), n_agreed)


def _gaps(comparison: Comparison, involved: set[Agency]) -> tuple[GapEntry, ...]:
    involved_labels = {a.label for a in involved}
    gaps = []
    for row in comparison.rows:
        agreed = row.consensus.agreed_option if row.consensus is not None else None
        agreed_not_known = agreed is not None and \
            comparison.form.scale_for(row.item).option(agreed).missing is MissingKind.NOT_KNOWN
        if not row.information_gap and not agreed_not_known:
            continue
        kind = GapKind.SOME_KNOW if row.known_by else GapKind.NOBODY_KNOWS
        gaps.append(GapEntry(row.section_title, row.item.text, kind, row.known_by, row.not_known_by,
                             row.agencies_to_ask,
                             tuple(a for a in row.agencies_to_ask if a not in involved_labels)))
    # nobody knows first: those need someone new to ask
    return tuple(sorted(gaps, key=lambda g: g.kind is not GapKind.NOBODY_KNOWS))


def _texts(comparison: Comparison, sheets: Sequence[RatingSheet], key: str) -> tuple[TextEntry, ...]:
    by_id = {s.id: s for s in sheets}
    entries = []
    for column in comparison.raters:
        text = by_id[column.sheet_id].free_text.get(key, "").strip()
        if text:
            entries.append(TextEntry(column.heading, text))
    return tuple(entries)


def _consensus_profile(form: FormDefinition, child: Child, rnd: AssessmentRound,
                       consensus: Consensus) -> tuple[SectionProfile, ...]:
    applicable = applicable_for_child(form, child, rnd.held_on).applicable_ids
    agreed = {k: v.agreed_option for k, v in consensus.items.items() if not v.unresolved}
    return tuple(section_profiles(form, agreed, applicable))


def _history(store: Store, child: Child, upto: AssessmentRound, redactor: Redactor) -> list[RoundProfile]:
    """The child's rounds with an agreed view, up to and including `upto`, oldest first."""
    # a round's title is typed by a user and may name the child: redacted like any other text
    return [dataclasses.replace(point, label=redactor.text(point.label))
            for point in round_profiles(store, child, draft_of=upto.id) if point.held_on <= upto.held_on]


def _siblings(store: Store, children: Sequence[Child], rnd: AssessmentRound, r: Redactor) -> SiblingComparison:
    """Each child's agreed view on the round's date, else their latest one before it."""
    entries = []
    for child in children:
        best: tuple[AssessmentRound, Consensus] | None = None
        for candidate in store.rounds.for_child(child.id):
            if candidate.held_on > rnd.held_on:
                continue
            consensus = store.consensus.get_for_round(candidate.id)
            if consensus is not None and (best is None or candidate.held_on >= best[0].held_on):
                best = (candidate, consensus)
        label = _child_label(child, r)
        if best is None:
            on = max(rnd.held_on, child.date_of_birth)
            entries.append(SiblingEntry(label, age_in_months(child.date_of_birth, on), on, None))
            continue
        chosen, consensus = best
        form = get_form(consensus.form_id, consensus.form_version)
        entries.append(SiblingEntry(label, age_in_months(child.date_of_birth, chosen.held_on), chosen.held_on,
                                    _consensus_profile(form, child, chosen, consensus), chosen.id))
    return siblings_side_by_side(entries)


def _option_label(form: FormDefinition, item_id: str, code: str | None) -> str:
    if code is None:
        return "-"
    try:
        return form.scale_for(form.item(item_id)).option(code).label
    except KeyError:
        return code


def _target_view(form: FormDefinition, target: PlanTarget, now: str) -> TargetView:
    try:
        item = form.item(target.item_id)
        section, text = form.section_of(target.item_id).title, item.text
    except KeyError:
        section, text = "", f"(item {target.item_id} is not on this form)"
    return TargetView(section, text, _option_label(form, target.item_id, target.baseline_option),
                      _option_label(form, target.item_id, target.target_option), target.review_on, now)


def _targets(form: FormDefinition, plan: Plan | None, now: Comparison | None) -> tuple[TargetView, ...]:
    if plan is None:
        return ()
    views = []
    for target in plan.targets:
        current = ""
        if now is not None:
            try:
                current = now.row(target.item_id).consensus_label or "not agreed"
            except KeyError:
                current = "no longer applies"
        views.append(_target_view(form, target, current))
    return tuple(views)


def _actions(plan: Plan | None, today: dt.date, r: Redactor) -> tuple[ActionView, ...]:
    if plan is None:
        return ()
    return tuple(
        ActionView(r.text(a.description), r.text(a.owner), a.agency.label, a.due_on, a.done_on,
                   a.done_on is None and a.due_on < today)
        for a in plan.actions
    )
