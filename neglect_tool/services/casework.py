"""Everyday casework over an unlocked store: families, children, professionals, rounds and sheets.

The rule of independent scoring lives here, not in a widget: while the store's owner has a sheet of their
own for a round that is not yet submitted, nobody else's answers for that round are handed out (who has
submitted may be shown, what they answered may not). Comparison opens once two or more professional
sheets are submitted. An owner who chooses to see the answers without scoring (a conference chair) is
recorded in the audit trail, and cannot then start an "independent" sheet for that round.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain import (
    Agency,
    AssessmentRound,
    Child,
    ConsensusStatus,
    DomainError,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
)
from ..forms.loader import get_form
from ..forms.model import FormDefinition
from ..scoring.change import SiblingComparison, Trend
from ..scoring.comparison import Comparison
from ..storage.errors import NotFound
from ..storage.exchange import Decision, LoadedRecord, MergePlan
from ..storage.store import Store
from . import sharing
from .meeting import Meeting
from .retention import CaseRetentionView, ErasedCase
from .sharing import ExportResult
from .sheet_editor import SheetEditor
from .trends import ChildTrend

DEFAULT_FORM_ID = "childcare-development-checklist"
Decisions = dict[tuple[uuid.UUID, uuid.UUID], Decision]
MIN_SHEETS_TO_COMPARE = 2


class BlindScoring(DomainError):
    """Others' answers asked for while the owner's own sheet for the round is still in draft."""


@dataclass(frozen=True, slots=True)
class SheetHeader:
    """What may be shown about a sheet to anyone: who, what kind, whether submitted; never answers."""

    sheet_id: uuid.UUID
    rater_label: str
    agency_label: str
    rater_kind: RaterKind
    status: SheetStatus
    version: int
    submitted_at: dt.datetime | None
    is_own: bool
    answered: int


@dataclass(frozen=True, slots=True)
class RoundOverview:
    round: AssessmentRound
    sheets: tuple[SheetHeader, ...]

    @property
    def own_sheet(self) -> SheetHeader | None:
        return next((s for s in self.sheets if s.is_own), None)

    @property
    def submitted_professional_sheets(self) -> int:
        return sum(s.status is SheetStatus.SUBMITTED and s.rater_kind is RaterKind.PROFESSIONAL
                   for s in self.sheets)

    @property
    def blind(self) -> bool:
        """True while the owner's own sheet is a draft: others' answers stay hidden."""
        own = self.own_sheet
        return own is not None and own.status is SheetStatus.DRAFT

    @property
    def can_compare(self) -> bool:
        return not self.blind and self.submitted_professional_sheets >= MIN_SHEETS_TO_COMPARE

    def compare_status(self) -> str:
        n = self.submitted_professional_sheets
        if self.blind:
            return "Submit your own sheet to see the others' answers."
        if n < MIN_SHEETS_TO_COMPARE:
            return f"Comparison opens when at least {MIN_SHEETS_TO_COMPARE} professionals have submitted ({n} so far)."
        return f"{n} professional sheets submitted: ready to compare."


@dataclass(frozen=True, slots=True)
class ChildOverview:
    child: Child
    rounds: tuple[RoundOverview, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class CaseOverview:
    family: Family
    children: tuple[ChildOverview, ...]
    professionals: tuple[Professional, ...]


class Casework:
    """Use cases of the case screens; one per unlocked session."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def owner(self) -> Professional:
        return self._store.owner

    # --- reading -------------------------------------------------------------------------------------

    def case(self, family_id: uuid.UUID) -> CaseOverview:
        store = self._store
        family = store.families.get(family_id)
        children = tuple(
            ChildOverview(child, tuple(self.round_overview(r) for r in store.rounds.for_child(child.id)))
            for child in store.children.for_family(family_id)
        )
        return CaseOverview(family, children, tuple(store.families.professionals_for(family_id)))

    def round_overview(self, rnd: AssessmentRound) -> RoundOverview:
        people = {p.id: p for p in self._store.professionals.list_all()}
        headers = []
        for sheet in self._store.sheets.current_for_round(rnd.id):
            prof = people.get(sheet.professional_id) if sheet.professional_id else None
            if prof is not None:
                label, agency = f"{prof.name} ({prof.role})", prof.agency.label
            else:
                label, agency = (sheet.rater_name or "Parent/carer") + " (parent/carer)", "Family"
            headers.append(SheetHeader(
                sheet.id, label, agency, sheet.rater_kind, sheet.status, sheet.version, sheet.submitted_at,
                sheet.professional_id == self.owner.id, sum(a.option is not None for a in sheet.answers.values()),
            ))
        return RoundOverview(rnd, tuple(headers))

    def submitted_sheets_for_comparison(self, round_id: uuid.UUID) -> list[RatingSheet]:
        """Every current submitted sheet of the round, only once independent scoring allows it."""
        overview = self.round_overview(self._store.rounds.get(round_id))
        if overview.blind:
            raise BlindScoring("Submit your own sheet for this round first: others' answers stay hidden "
                               "until you have given your own, independent view.")
        self._store.rounds.record_answers_viewed(round_id, own_sheet_submitted=overview.own_sheet is not None)
        return [s for s in self._store.sheets.current_for_round(round_id) if s.status is SheetStatus.SUBMITTED]

    def comparison(self, round_id: uuid.UUID) -> Comparison:
        """The round's submitted sheets side by side (under the blind-scoring rule), with the consensus so far."""
        from ..scoring.applicability import applicable_for_child
        from ..scoring.comparison import build_comparison

        sheets = self.submitted_sheets_for_comparison(round_id)
        rnd = self._store.rounds.get(round_id)
        child = self._store.children.get(rnd.child_id)
        form = get_form(sheets[0].form_id, sheets[0].form_version)
        people = {p.id: p for p in self._store.professionals.list_all()}
        return build_comparison(form, sheets, applicable_for_child(form, child, rnd.held_on), professionals=people,
                                consensus=self._store.consensus.get_for_round(round_id))

    def meeting(self, round_id: uuid.UUID) -> Meeting:
        """The consensus and plan of a round, opened under the blind-scoring rule."""
        return Meeting(self._store, round_id, self.submitted_sheets_for_comparison(round_id))

    def child_trend(self, child_id: uuid.UUID) -> ChildTrend:
        from .trends import child_trend

        return child_trend(self._store, self._store.children.get(child_id))

    def siblings(self, family_id: uuid.UUID, label: Callable[[Child], str]) -> SiblingComparison:
        from .trends import siblings

        return siblings(self._store, family_id, label)

    def trend_for_round(self, round_id: uuid.UUID) -> Trend:
        from .trends import trend_up_to

        rnd = self._store.rounds.get(round_id)
        return trend_up_to(self._store, self._store.children.get(rnd.child_id), rnd.held_on)

    def export_summary(self, case_ref: str, out: Path, *, round_id: uuid.UUID | None = None,
                       password: str | None, redact: bool, overwrite: bool = False) -> object:
        """The printable meeting summary as a PDF (protected when a password is given)."""
        from ..export.summary_pdf import export_summary_pdf
        from .file_names import check_export_name
        from .summary import build_summary

        family = self._store.families.get_by_ref(case_ref)
        check_export_name(self._store, family.id, out, f"{family.case_ref}-summary.pdf")
        data = build_summary(self._store, case_ref, round_id, redact=redact)
        return export_summary_pdf(data, out, password=password, overwrite=overwrite)

    # --- retention ------------------------------------------------------------------------------------

    def retention(self, case_ref: str, months: int) -> CaseRetentionView:
        from .retention import retention_overview

        return next(v for v in retention_overview(self._store, months, dt.date.today()) if v.case_ref == case_ref)

    def retention_due(self, months: int) -> list[CaseRetentionView]:
        from .retention import retention_due

        return retention_due(self._store, months, dt.date.today())

    def close_case(self, case_ref: str) -> CaseRetentionView:
        from .retention import close_case

        return close_case(self._store, case_ref, dt.date.today())

    def reopen_case(self, case_ref: str) -> None:
        from .retention import reopen_case

        reopen_case(self._store, case_ref)

    def erase_case(self, case_ref: str, typed_ref: str) -> ErasedCase:
        from .retention import erase_case

        return erase_case(self._store, case_ref, typed_ref)

    # --- sharing (encrypted record files) -----------------------------------------------------------

    def export_case_record(self, case_ref: str, passphrase: str, dest: Path) -> ExportResult:
        return sharing.export_case(self._store, case_ref, passphrase, dest)

    def own_submitted_sheet(self, round_id: uuid.UUID) -> uuid.UUID | None:
        """The owner's current submitted sheet for a round: what "send just my sheet" sends."""
        own = self.round_overview(self._store.rounds.get(round_id)).own_sheet
        return own.sheet_id if own is not None and own.status is SheetStatus.SUBMITTED else None

    def export_sheet_record(self, sheet_id: uuid.UUID, passphrase: str, dest: Path) -> ExportResult:
        return sharing.export_sheet(self._store, sheet_id, passphrase, dest)

    def preview_import(self, record: LoadedRecord, decisions: Decisions | None = None) -> MergePlan:
        return sharing.preview_import(self._store, record, decisions)

    def apply_import(self, record: LoadedRecord, decisions: Decisions | None = None) -> MergePlan:
        return sharing.apply_import(self._store, record, decisions)

    def form_for(self, sheet: RatingSheet) -> FormDefinition:
        return get_form(sheet.form_id, sheet.form_version)

    # --- families, children, professionals -----------------------------------------------------------

    def save_family(self, family: Family) -> Family:
        try:
            self._store.families.get(family.id)
        except NotFound:
            family = self._store.families.add(family)
            self._store.families.involve(family.id, self.owner.id)
            return family
        return self._store.families.update(family)

    def save_child(self, child: Child) -> Child:
        try:
            self._store.children.get(child.id)
        except NotFound:
            return self._store.children.add(child)
        return self._store.children.update(child)

    def add_professional(self, family_id: uuid.UUID, *, name: str, role: str, agency: Agency,
                         organisation: str = "", contact: str = "") -> Professional:
        known = next((p for p in self._store.professionals.list_all()
                      if (p.name.casefold(), p.agency) == (name.strip().casefold(), Agency(agency))), None)
        professional = known or self._store.professionals.add(
            Professional(name=name, role=role, agency=agency, organisation=organisation, contact=contact))
        if professional.id not in {p.id for p in self._store.families.professionals_for(family_id)}:
            self._store.families.involve(family_id, professional.id)
        return professional

    # --- rounds and sheets ---------------------------------------------------------------------------

    def create_round(self, child_id: uuid.UUID, *, held_on: dt.date, purpose: RoundPurpose,
                     next_review_on: dt.date | None = None, title: str = "") -> AssessmentRound:
        self._store.children.get(child_id)
        return self._store.rounds.add(AssessmentRound(
            child_id=child_id, held_on=held_on, purpose=purpose, next_review_on=next_review_on, title=title))

    def update_round(self, rnd: AssessmentRound) -> AssessmentRound:
        self._check_can_close(rnd)
        return self._store.rounds.update(rnd)

    def set_round_status(self, round_id: uuid.UUID, status: RoundStatus) -> AssessmentRound:
        return self.update_round(self._store.rounds.get(round_id).evolve(status=RoundStatus(status)))

    def _check_can_close(self, rnd: AssessmentRound) -> None:
        """A round closes with its consensus final (the consensus is final when the round is closed): a
        meeting's view still in draft is finalised from the meeting view, which closes the round."""
        if rnd.status is not RoundStatus.CLOSED or self._store.rounds.get(rnd.id).status is RoundStatus.CLOSED:
            return
        consensus = self._store.consensus.get_for_round(rnd.id)
        if consensus is not None and consensus.status is not ConsensusStatus.FINAL:
            raise DomainError("The meeting's view for this round is still a draft: finalise it in the comparison "
                              "(Finalise and close round), which closes the round.")

    def start_own_sheet(self, round_id: uuid.UUID, form_id: str = DEFAULT_FORM_ID) -> SheetEditor:
        """The owner's sheet for a round: their draft if there is one, else a new one."""
        rnd = self._store.rounds.get(round_id)
        own = self.round_overview(rnd).own_sheet
        if own is not None:
            return self.open_sheet(own.sheet_id)
        if rnd.status is RoundStatus.CLOSED:
            raise DomainError("This round is closed; open a new round to score again.")
        if self._store.rounds.owner_viewed_answers_unscored(round_id):
            raise BlindScoring("You have already seen the other professionals' answers for this round, so a sheet "
                               "from you would not be independent.")
        form = get_form(form_id)
        sheet = self._store.sheets.create(RatingSheet(
            round_id=round_id, rater_kind=RaterKind.PROFESSIONAL, professional_id=self.owner.id,
            form_id=form.id, form_version=form.version))
        return self._editor(sheet)

    def start_carer_sheet(self, round_id: uuid.UUID, rater_name: str, form_id: str = DEFAULT_FORM_ID) -> SheetEditor:
        """A sheet recording the parent's or carer's own view, filled in with them."""
        form = get_form(form_id)
        sheet = self._store.sheets.create(RatingSheet(
            round_id=round_id, rater_kind=RaterKind.PARENT_CARER, professional_id=None, rater_name=rater_name,
            form_id=form.id, form_version=form.version))
        return self._editor(sheet)

    def open_sheet(self, sheet_id: uuid.UUID) -> SheetEditor:
        """Open a sheet the owner may see: their own (draft or submitted) or the carer's sheet they keep.

        Another professional's sheet is only shown through the comparison, under the blind-scoring rule.
        """
        sheet = self._store.sheets.get(sheet_id)
        if not sheet.kept_by(self.owner.id):
            if sheet.status is not SheetStatus.SUBMITTED:
                raise BlindScoring("A colleague's draft is theirs until they submit it.")
            overview = self.round_overview(self._store.rounds.get(sheet.round_id))
            if not overview.can_compare:
                raise BlindScoring("Another professional's answers are shown only in the comparison, "
                                   "once you have submitted your own sheet.")
            # the same evidence as opening the comparison: after this, a sheet from you is not independent
            self._store.rounds.record_answers_viewed(sheet.round_id,
                                                     own_sheet_submitted=overview.own_sheet is not None)
        return self._editor(sheet)

    def amend_sheet(self, sheet_id: uuid.UUID, reason: str) -> SheetEditor:
        """A new version of your own submitted sheet (or of a carer's view you recorded), while the round is
        open. Another professional's sheet is theirs to amend."""
        sheet = self._store.sheets.get(sheet_id)
        if self._store.rounds.get(sheet.round_id).status is RoundStatus.CLOSED:
            raise DomainError("This round is closed; its sheets can no longer be amended.")
        return self._editor(self._store.sheets.amend(sheet_id, reason))

    def _editor(self, sheet: RatingSheet) -> SheetEditor:
        rnd = self._store.rounds.get(sheet.round_id)
        child = self._store.children.get(rnd.child_id)
        return SheetEditor(self._store, sheet, get_form(sheet.form_id, sheet.form_version), child, rnd)
