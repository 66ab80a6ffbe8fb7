"""The domain model: families, children, professionals, assessment rounds, rating sheets, consensus, plan.

Plain immutable dataclasses with no Qt and no SQL. Every entity has a UUID and created/updated
timestamps (UTC). Constructors validate, so an invalid entity cannot exist; `create(...)` helpers mint
ids and timestamps, `dataclasses.replace` (via `.evolve`) makes changed copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self

from .dates import check_date, utc_now
from .errors import DomainError, SheetLocked
from .nhs import validate_nhs_number

MAX_NAME = 200
MAX_NOTE = 20_000
MAX_SHORT_TEXT = 2_000


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def _text(value: str, field_name: str, *, max_len: int, required: bool = False) -> str:
    if not isinstance(value, str):
        raise DomainError(f"{field_name.replace('_', ' ')} must be text", field=field_name)
    value = value.strip()
    if required and not value:
        raise DomainError(f"{field_name.replace('_', ' ')} is required", field=field_name)
    if len(value) > max_len:
        raise DomainError(
            f"{field_name.replace('_', ' ')} is too long ({len(value)} characters; at most {max_len})",
            field=field_name,
        )
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value) or "\x7f" in value:
        raise DomainError(f"{field_name.replace('_', ' ')} contains control characters", field=field_name)
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    id: uuid.UUID = field(default_factory=new_id)
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)

    def evolve(self, **changes: object) -> Self:
        """A copy with `changes` applied and updated_at moved on; validation runs again."""
        changes.setdefault("updated_at", utc_now())
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


# --- people -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Family(Entity):
    """A household: the unit a case is opened on."""

    case_ref: str
    family_name: str
    address_note: str = ""  # free text, e.g. "temporary accommodation since May"
    consent_sought: bool | None = None  # UK GDPR record: was consent sought (None = not recorded)
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "case_ref", _text(self.case_ref, "case_ref", max_len=64, required=True))
        object.__setattr__(
            self, "family_name", _text(self.family_name, "family_name", max_len=MAX_NAME, required=True)
        )
        object.__setattr__(
            self, "address_note", _text(self.address_note, "address_note", max_len=MAX_SHORT_TEXT)
        )
        object.__setattr__(self, "notes", _text(self.notes, "notes", max_len=MAX_NOTE))


@dataclass(frozen=True, slots=True, kw_only=True)
class Child(Entity):
    family_id: uuid.UUID
    given_names: str
    family_name: str
    date_of_birth: dt.date
    sex_gender: str = ""  # as recorded by the referrer, free text on purpose
    case_number: str = ""  # the local authority's own case number
    nhs_number: str | None = None
    disability_or_delay: bool = False
    # who knows the child's development and was consulted (asked for when the flag is set)
    development_consultee: str = ""
    conditions: frozenset[str] = frozenset()  # form condition ids that hold, e.g. "chronic_condition"

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "given_names", _text(self.given_names, "given_names", max_len=MAX_NAME, required=True)
        )
        object.__setattr__(
            self, "family_name", _text(self.family_name, "family_name", max_len=MAX_NAME, required=True)
        )
        check_date(self.date_of_birth, "date_of_birth", not_after=utc_now().date())
        object.__setattr__(self, "sex_gender", _text(self.sex_gender, "sex_gender", max_len=64))
        object.__setattr__(self, "case_number", _text(self.case_number, "case_number", max_len=64))
        if self.nhs_number is not None and self.nhs_number.strip():
            object.__setattr__(self, "nhs_number", validate_nhs_number(self.nhs_number))
        else:
            object.__setattr__(self, "nhs_number", None)
        object.__setattr__(
            self,
            "development_consultee",
            _text(self.development_consultee, "development_consultee", max_len=MAX_SHORT_TEXT),
        )
        object.__setattr__(self, "conditions", frozenset(self.conditions))

    @property
    def display_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def initials(self) -> str:
        parts = [*self.given_names.split()[:1], *self.family_name.split()[-1:]]
        return "".join(p[0].upper() + "." for p in parts if p)


class Agency(StrEnum):
    SOCIAL_CARE = "social_care"
    HEALTH = "health"
    EDUCATION = "education"
    EARLY_YEARS = "early_years"
    POLICE = "police"
    HOUSING = "housing"
    PROBATION = "probation"
    VOLUNTARY = "voluntary"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _AGENCY_LABELS[self]


_AGENCY_LABELS = {
    Agency.SOCIAL_CARE: "Children's social care",
    Agency.HEALTH: "Health",
    Agency.EDUCATION: "School / education",
    Agency.EARLY_YEARS: "Early years",
    Agency.POLICE: "Police",
    Agency.HOUSING: "Housing",
    Agency.PROBATION: "Probation",
    Agency.VOLUNTARY: "Voluntary sector",
    Agency.OTHER: "Other",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Professional(Entity):
    name: str
    role: str  # "Health visitor", "Class teacher", "Social worker"...
    agency: Agency
    organisation: str = ""  # "Northbridge Community Health Trust"
    contact: str = ""  # phone or secure e-mail, as the professional gave it

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _text(self.name, "name", max_len=MAX_NAME, required=True))
        object.__setattr__(self, "role", _text(self.role, "role", max_len=MAX_NAME, required=True))
        object.__setattr__(self, "agency", Agency(self.agency))
        object.__setattr__(self, "organisation", _text(self.organisation, "organisation", max_len=MAX_NAME))
        object.__setattr__(self, "contact", _text(self.contact, "contact", max_len=MAX_NAME))


# --- rounds and sheets ---------------------------------------------------------------------------------


class RoundPurpose(StrEnum):
    EARLY_HELP_REVIEW = "early_help_review"
    INITIAL_CONFERENCE = "initial_conference"
    REVIEW_CONFERENCE = "review_conference"
    CORE_GROUP = "core_group"
    CHILD_IN_NEED_REVIEW = "child_in_need_review"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class RoundStatus(StrEnum):
    OPEN = "open"
    MEETING_HELD = "meeting_held"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "meeting_held": "Meeting held", "closed": "Closed"}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentRound(Entity):
    child_id: uuid.UUID
    held_on: dt.date  # the assessment date: ages (and so which items apply) are taken on this day
    purpose: RoundPurpose
    status: RoundStatus = RoundStatus.OPEN
    next_review_on: dt.date | None = None
    title: str = ""

    def __post_init__(self) -> None:
        check_date(self.held_on, "held_on")
        object.__setattr__(self, "purpose", RoundPurpose(self.purpose))
        object.__setattr__(self, "status", RoundStatus(self.status))
        if self.next_review_on is not None:
            check_date(self.next_review_on, "next_review_on")
            if self.next_review_on < self.held_on:
                raise DomainError("the next review cannot be before the round's date", field="next_review_on")
        object.__setattr__(self, "title", _text(self.title, "title", max_len=MAX_NAME))


class RaterKind(StrEnum):
    PROFESSIONAL = "professional"
    PARENT_CARER = "parent_carer"


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class EvidenceSource(StrEnum):
    OBSERVED = "observed"
    REPORTED_BY_PARENT = "reported_by_parent"
    REPORTED_BY_CHILD = "reported_by_child"
    RECORDS = "records"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Recency(StrEnum):
    RECENT = "recent"
    HISTORICAL = "historical"


@dataclass(frozen=True, slots=True)
class Answer:
    """One item's answer: the option code (None while unanswered) and the evidence behind it."""

    item_id: str
    option: str | None = None
    note: str = ""
    source: EvidenceSource | None = None
    recency: Recency | None = None
    answered_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_id", _text(self.item_id, "item_id", max_len=64, required=True))
        object.__setattr__(self, "note", _text(self.note, "note", max_len=MAX_NOTE))
        if self.source is not None:
            object.__setattr__(self, "source", EvidenceSource(self.source))
        if self.recency is not None:
            object.__setattr__(self, "recency", Recency(self.recency))

    @property
    def is_empty(self) -> bool:
        return self.option is None and not self.note and self.source is None and self.recency is None


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingSheet(Entity):
    """One rater's independent answers for one round, against one form version."""

    round_id: uuid.UUID
    rater_kind: RaterKind
    professional_id: uuid.UUID | None  # the rater, when a professional
    rater_name: str = ""  # the parent/carer's name (or how they asked to be recorded)
    form_id: str
    form_version: int
    status: SheetStatus = SheetStatus.DRAFT
    answers: dict[str, Answer] = field(default_factory=dict)
    free_text: dict[str, str] = field(default_factory=dict)  # free-text section id -> text
    submitted_at: dt.datetime | None = None
    version: int = 1
    supersedes: uuid.UUID | None = None  # the submitted sheet this one amends
    amendment_reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rater_kind", RaterKind(self.rater_kind))
        object.__setattr__(self, "status", SheetStatus(self.status))
        if self.rater_kind is RaterKind.PROFESSIONAL and self.professional_id is None:
            raise DomainError("a professional's sheet must name the professional", field="professional_id")
        if self.rater_kind is RaterKind.PARENT_CARER and self.professional_id is not None:
            raise DomainError("a parent/carer's sheet is not a professional's", field="professional_id")
        object.__setattr__(self, "rater_name", _text(self.rater_name, "rater_name", max_len=MAX_NAME))
        if self.version < 1:
            raise DomainError("sheet versions start at 1", field="version")
        if (self.supersedes is None) != (self.version == 1):
            raise DomainError(
                "an amendment (version > 1) must point to the sheet it supersedes", field="version"
            )
        reason = _text(self.amendment_reason, "amendment_reason", max_len=MAX_SHORT_TEXT)
        if self.supersedes is not None and not reason:
            raise DomainError("an amendment needs a reason", field="amendment_reason")
        object.__setattr__(self, "amendment_reason", reason)
        for key, text in self.free_text.items():
            _text(text, key, max_len=MAX_NOTE)
        if self.status is SheetStatus.SUBMITTED and self.submitted_at is None:
            raise DomainError("a submitted sheet records when it was submitted", field="submitted_at")

    @property
    def is_locked(self) -> bool:
        return self.status is SheetStatus.SUBMITTED

    def kept_by(self, professional_id: uuid.UUID) -> bool:
        """The professional's own sheet, or a parent's or carer's view (which the store's owner records)."""
        return self.rater_kind is not RaterKind.PROFESSIONAL or self.professional_id == professional_id

    def _require_draft(self) -> None:
        if self.is_locked:
            raise SheetLocked("This sheet has been submitted and is locked; amend it as a new version.")

    def with_answer(self, answer: Answer) -> RatingSheet:
        self._require_draft()
        return self.evolve(answers={**self.answers, answer.item_id: answer})

    def with_free_text(self, section_id: str, text: str) -> RatingSheet:
        self._require_draft()
        checked = _text(text, section_id, max_len=MAX_NOTE)
        return self.evolve(free_text={**self.free_text, section_id: checked})

    def submitted(self, at: dt.datetime | None = None) -> RatingSheet:
        self._require_draft()
        return self.evolve(status=SheetStatus.SUBMITTED, submitted_at=at or utc_now())

    def amendment(self, reason: str) -> RatingSheet:
        """A new draft version of a submitted sheet, carrying its answers, to be edited and submitted."""
        if not self.is_locked:
            raise DomainError("only a submitted sheet can be amended; edit the draft instead")
        now = utc_now()
        return dataclasses.replace(
            self,
            id=new_id(),
            created_at=now,
            updated_at=now,
            status=SheetStatus.DRAFT,
            submitted_at=None,
            version=self.version + 1,
            supersedes=self.id,
            amendment_reason=reason,
        )


# --- consensus and plan --------------------------------------------------------------------------------


class ConsensusStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ConsensusItem:
    """The meeting's view of one item; every professional's original answer is kept on their sheet."""

    item_id: str
    agreed_option: str | None = None
    rationale: str = ""
    unresolved: bool = False
    escalation_owner: str = ""
    escalate_by: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rationale", _text(self.rationale, "rationale", max_len=MAX_NOTE))
        object.__setattr__(
            self, "escalation_owner", _text(self.escalation_owner, "escalation_owner", max_len=MAX_NAME)
        )
        if self.unresolved:
            if self.agreed_option is not None:
                raise DomainError("an unresolved item has no agreed answer", field="agreed_option")
            if not self.escalation_owner or self.escalate_by is None:
                raise DomainError(
                    "an unresolved disagreement needs who escalates it and by when", field="escalation_owner"
                )
        if self.escalate_by is not None:
            check_date(self.escalate_by, "escalate_by")


@dataclass(frozen=True, slots=True, kw_only=True)
class Consensus(Entity):
    round_id: uuid.UUID
    form_id: str
    form_version: int
    items: dict[str, ConsensusItem] = field(default_factory=dict)
    status: ConsensusStatus = ConsensusStatus.DRAFT
    finalised_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ConsensusStatus(self.status))
        if self.status is ConsensusStatus.FINAL and self.finalised_at is None:
            raise DomainError("a final consensus records when it was finalised", field="finalised_at")

    def with_item(self, item: ConsensusItem) -> Consensus:
        if self.status is ConsensusStatus.FINAL:
            raise SheetLocked("The consensus is final; it can no longer change.")
        return self.evolve(items={**self.items, item.item_id: item})

    def finalised(self, at: dt.datetime | None = None) -> Consensus:
        return self.evolve(status=ConsensusStatus.FINAL, finalised_at=at or utc_now())


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanTarget(Entity):
    """A checklist item the plan sets out to change: where it is now and where it should get to."""

    item_id: str
    baseline_option: str | None
    target_option: str
    review_on: dt.date

    def __post_init__(self) -> None:
        check_date(self.review_on, "review_on")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanAction(Entity):
    description: str
    owner: str
    agency: Agency
    due_on: dt.date
    done_on: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "description", _text(self.description, "description", max_len=MAX_SHORT_TEXT, required=True)
        )
        object.__setattr__(self, "owner", _text(self.owner, "owner", max_len=MAX_NAME, required=True))
        object.__setattr__(self, "agency", Agency(self.agency))
        check_date(self.due_on, "due_on")
        if self.done_on is not None:
            check_date(self.done_on, "done_on")


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan(Entity):
    """The child's plan agreed at a round: targeted items and actions."""

    round_id: uuid.UUID
    targets: tuple[PlanTarget, ...] = ()
    actions: tuple[PlanAction, ...] = ()
    active: bool = True
