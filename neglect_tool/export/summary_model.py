"""What a meeting summary says, as plain immutable data: built by neglect_tool.services.summary from the store,
drawn by neglect_tool.export.summary_pdf and by the app's comparison screen.

It lives here (below services) so the PDF writer can use it without reaching into the store. When the
summary is redacted, every name of the child, siblings and carers in here has already been replaced by
initials, and the date of birth and NHS number are None: consumers need not redact anything themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from ..scoring.change import DriftAlert, RoundChange, SiblingComparison, Trend
from ..scoring.comparison import Comparison

MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    document_id: str  # stable for the round, e.g. "NT-NB-2026-0147-3F2A9C1D"
    version: str  # rises with each saved change to the consensus, e.g. "2"
    fingerprint: str  # short hash of everything the summary rests on: equal fingerprints, equal content
    produced_by: str  # "Morgan Ellery, Social worker, Children's social care"
    produced_on: dt.datetime  # aware, local time
    redacted: bool
    marking: str = MARKING
    title: str = "Multi-agency neglect checklist: meeting summary"


@dataclass(frozen=True, slots=True)
class ChildIdentity:
    name: str  # full name, or initials when redacted
    age_text: str  # at the round's date, e.g. "8 months"
    age_months: int
    date_of_birth: dt.date | None  # None when redacted
    nhs_number: str | None  # formatted "999 123 4567"; None when redacted or not recorded
    sex_gender: str = ""
    case_number: str = ""
    disability_or_delay: bool = False
    development_consultee: str = ""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    round_id: uuid.UUID
    held_on: dt.date
    purpose: str  # label, e.g. "Review conference"
    title: str
    status: str  # label, e.g. "Meeting held"
    next_review_on: dt.date | None


@dataclass(frozen=True, slots=True)
class Contributor:
    name: str
    role: str
    agency: str  # label
    organisation: str
    submitted_on: dt.date | None
    sheet_version: int = 1


@dataclass(frozen=True, slots=True)
class TextEntry:
    """A piece of free text with who wrote it (strengths, the child's voice, the carer's view)."""

    author: str
    text: str


@dataclass(frozen=True, slots=True)
class CarerView:
    name: str  # initials when redacted, with the relationship kept, e.g. "K.A. (mother)"
    submitted_on: dt.date | None
    in_their_words: str  # the carer's own free text ("carer_view"), if any
    differs_on: tuple[str, ...]  # item texts where their answer is far from the professionals' view


class ConsensusState(StrEnum):
    NONE = "none"
    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"none": "No agreed view recorded", "draft": "Draft (not final)", "final": "Final"}[self.value]


@dataclass(frozen=True, slots=True)
class AgreedItem:
    """An item the meeting discussed: where views differed or a rationale was recorded."""

    section: str
    text: str
    answers: str  # the professionals' answers in short, e.g. "Yes 2, Borderline 1, No 2"
    agreed: str  # the agreed option's label
    rationale: str
    disagreement: bool = False  # answers were the form's min_steps or more apart (not just a small difference)


@dataclass(frozen=True, slots=True)
class UnresolvedItem:
    section: str
    text: str
    answers: str
    owner: str  # who escalates it
    escalate_by: dt.date | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ConsensusView:
    state: ConsensusState
    finalised_at: dt.datetime | None
    agreed: tuple[AgreedItem, ...]
    unresolved: tuple[UnresolvedItem, ...]
    n_items_agreed: int = 0

    @property
    def is_final(self) -> bool:
        return self.state is ConsensusState.FINAL


class GapKind(StrEnum):
    NOBODY_KNOWS = "nobody_knows"  # no professional could answer
    SOME_KNOW = "some_know"  # an information difference: share what is known

    @property
    def label(self) -> str:
        return {"nobody_knows": "Nobody knows", "some_know": "Known to some"}[self.value]


@dataclass(frozen=True, slots=True)
class GapEntry:
    section: str
    text: str
    kind: GapKind
    known_by: tuple[str, ...]  # rater headings
    not_known_by: tuple[str, ...]
    could_fill: tuple[str, ...]  # agencies the form says usually know (labels)
    not_involved: tuple[str, ...]  # of those, agencies with nobody on this case yet


@dataclass(frozen=True, slots=True)
class TargetView:
    section: str
    text: str
    baseline: str  # option labels
    target: str
    review_on: dt.date
    now: str = ""  # the agreed answer at this round (for targets set at the previous round)


@dataclass(frozen=True, slots=True)
class ActionView:
    description: str
    owner: str
    agency: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class SummaryData:
    document: DocumentInfo
    case_ref: str
    family: str  # family name, or its initial when redacted
    child: ChildIdentity
    round: RoundInfo
    form_title: str
    form_key: tuple[str, int]
    consent_sought: bool | None
    contributors: tuple[Contributor, ...]
    awaiting: tuple[str, ...]  # raters whose sheets are still drafts (not in the comparison)
    carers: tuple[CarerView, ...]
    comparison: Comparison
    rater_labels: tuple[str, ...]  # short labels of the professional columns, for charts and tables
    consensus: ConsensusView
    gaps: tuple[GapEntry, ...]
    strengths: tuple[TextEntry, ...]
    child_voice: tuple[TextEntry, ...]
    previous_round_on: dt.date | None
    change: RoundChange | None  # this round's agreed view against the previous round's
    trend: Trend | None  # None until a round has an agreed view
    drift: tuple[DriftAlert, ...]
    siblings: SiblingComparison | None  # None for an only child
    plan_active: bool | None  # None: no plan recorded at this round
    targets: tuple[TargetView, ...]
    previous_targets: tuple[TargetView, ...]
    actions: tuple[ActionView, ...]

    @property
    def index_label(self) -> str:
        return self.comparison.index_label
