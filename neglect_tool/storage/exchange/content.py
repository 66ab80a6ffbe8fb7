"""What a record carries, as domain objects, and how each becomes a row of the record file and back.

Rows read back are turned into domain objects through their constructors, so every rule of the domain
(lengths, control characters, NHS check digits, dates, enum values) is applied to incoming data too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...domain import (
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    ConsensusStatus,
    Family,
    Plan,
    PlanAction,
    PlanTarget,
    Professional,
    RaterKind,
    RatingSheet,
    SheetStatus,
)
from ..audit import AuditEntry
from ..rows import d, to_date, to_dt, ts
from .format import RecordKind


@dataclass(frozen=True, slots=True)
class FormText:
    """A form definition exactly as its TOML file reads, embedded so the receiver can read the sheets."""

    form_id: str
    form_version: int
    toml: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.form_id, self.form_version)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.toml.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RecordContent:
    kind: RecordKind
    case_ref: str
    families: tuple[Family, ...] = ()
    children: tuple[Child, ...] = ()
    professionals: tuple[Professional, ...] = ()
    involvements: tuple[tuple[uuid.UUID, uuid.UUID], ...] = ()  # (family_id, professional_id)
    rounds: tuple[AssessmentRound, ...] = ()
    sheets: tuple[RatingSheet, ...] = ()
    consensus: tuple[Consensus, ...] = ()
    plans: tuple[Plan, ...] = ()
    audit: tuple[AuditEntry, ...] = ()
    forms: tuple[FormText, ...] = field(default=())

    def form_keys(self) -> tuple[tuple[str, int], ...]:
        keys = {(s.form_id, s.form_version) for s in self.sheets}
        keys |= {(c.form_id, c.form_version) for c in self.consensus}
        return tuple(sorted(keys))

    def entity_ids(self) -> set[uuid.UUID]:
        ids: set[uuid.UUID] = set()
        for group in (self.families, self.children, self.professionals, self.rounds, self.sheets,
                      self.consensus, self.plans):
            ids.update(e.id for e in group)
        return ids

    def counts(self) -> dict[str, int]:
        return {"families": len(self.families), "children": len(self.children),
                "professionals": len(self.professionals), "rounds": len(self.rounds), "sheets": len(self.sheets),
                "answers": sum(len(s.answers) for s in self.sheets), "consensus": len(self.consensus),
                "plans": len(self.plans), "audit_entries": len(self.audit)}


# --- domain -> record rows (column order as in format.py) -------------------------------------------------

Row = tuple[Any, ...]


def _opt(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def professional_row(p: Professional) -> Row:
    return (str(p.id), p.name, p.role, p.agency.value, p.organisation, p.contact, ts(p.created_at), ts(p.updated_at))


def family_row(f: Family) -> Row:
    consent = None if f.consent_sought is None else int(f.consent_sought)
    return (str(f.id), f.case_ref, f.family_name, f.address_note, consent, f.notes, ts(f.created_at),
            ts(f.updated_at))


def child_row(c: Child) -> Row:
    return (str(c.id), str(c.family_id), c.given_names, c.family_name, c.date_of_birth.isoformat(), c.sex_gender,
            c.case_number, c.nhs_number, int(c.disability_or_delay), c.development_consultee,
            json.dumps(sorted(c.conditions)), ts(c.created_at), ts(c.updated_at))


def round_row(r: AssessmentRound) -> Row:
    return (str(r.id), str(r.child_id), r.held_on.isoformat(), r.purpose.value, r.status.value,
            d(r.next_review_on), r.title, ts(r.created_at), ts(r.updated_at))


def sheet_row(s: RatingSheet, content_hash: str | None) -> Row:
    return (str(s.id), str(s.round_id), s.rater_kind.value, _opt(s.professional_id), s.rater_name, s.form_id,
            s.form_version, s.status.value, ts(s.submitted_at) if s.submitted_at else None, s.version,
            _opt(s.supersedes), s.amendment_reason, content_hash, ts(s.created_at), ts(s.updated_at))


def answer_rows(s: RatingSheet) -> list[Row]:
    return [(str(s.id), a.item_id, a.option, a.note, a.source.value if a.source else None,
             a.recency.value if a.recency else None, ts(a.answered_at) if a.answered_at else None)
            for a in s.answers.values()]


def text_rows(s: RatingSheet) -> list[Row]:
    return [(str(s.id), k, v) for k, v in s.free_text.items()]


def consensus_row(c: Consensus) -> Row:
    return (str(c.id), str(c.round_id), c.form_id, c.form_version, c.status.value,
            ts(c.finalised_at) if c.finalised_at else None, ts(c.created_at), ts(c.updated_at))


def consensus_item_rows(c: Consensus) -> list[Row]:
    return [(str(c.id), i.item_id, i.agreed_option, i.rationale, int(i.unresolved), i.escalation_owner,
             d(i.escalate_by)) for i in c.items.values()]


def plan_row(p: Plan) -> Row:
    return (str(p.id), str(p.round_id), int(p.active), ts(p.created_at), ts(p.updated_at))


def target_rows(p: Plan) -> list[Row]:
    return [(str(t.id), str(p.id), t.item_id, t.baseline_option, t.target_option, t.review_on.isoformat(),
             ts(t.created_at), ts(t.updated_at)) for t in p.targets]


def action_rows(p: Plan) -> list[Row]:
    return [(str(a.id), str(p.id), a.description, a.owner, a.agency.value, a.due_on.isoformat(), d(a.done_on),
             ts(a.created_at), ts(a.updated_at)) for a in p.actions]


def audit_detail_text(entry: AuditEntry) -> str:
    """The detail exactly as the audit trail stored it (so each entry's own hash can be checked)."""
    return json.dumps(dict(entry.detail), sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)


def audit_row(e: AuditEntry) -> Row:
    return (e.seq, e.at.isoformat(), e.actor_id, e.entity, e.entity_id, e.action, audit_detail_text(e),
            e.prev_hash, e.hash)


# --- record rows -> domain (callers catch ValueError, TypeError, KeyError, DomainError) -------------------


def _uuid(text: str | None) -> uuid.UUID | None:
    return uuid.UUID(text) if text is not None else None


def professional_from(r: Row) -> Professional:
    return Professional(id=uuid.UUID(r[0]), name=r[1], role=r[2], agency=r[3], organisation=r[4], contact=r[5],
                        created_at=to_dt(r[6]), updated_at=to_dt(r[7]))


def family_from(r: Row) -> Family:
    if r[4] not in (None, 0, 1):
        raise ValueError("consent_sought")
    return Family(id=uuid.UUID(r[0]), case_ref=r[1], family_name=r[2], address_note=r[3],
                  consent_sought=None if r[4] is None else bool(r[4]), notes=r[5], created_at=to_dt(r[6]),
                  updated_at=to_dt(r[7]))


def child_from(r: Row) -> Child:
    conditions = json.loads(r[10])
    if not isinstance(conditions, list) or not all(isinstance(x, str) for x in conditions):
        raise ValueError("conditions")
    if r[8] not in (0, 1):
        raise ValueError("disability_or_delay")
    return Child(id=uuid.UUID(r[0]), family_id=uuid.UUID(r[1]), given_names=r[2], family_name=r[3],
                 date_of_birth=dt.date.fromisoformat(r[4]), sex_gender=r[5], case_number=r[6], nhs_number=r[7],
                 disability_or_delay=bool(r[8]), development_consultee=r[9], conditions=frozenset(conditions),
                 created_at=to_dt(r[11]), updated_at=to_dt(r[12]))


def round_from(r: Row) -> AssessmentRound:
    return AssessmentRound(id=uuid.UUID(r[0]), child_id=uuid.UUID(r[1]), held_on=dt.date.fromisoformat(r[2]),
                           purpose=r[3], status=r[4], next_review_on=to_date(r[5]), title=r[6],
                           created_at=to_dt(r[7]), updated_at=to_dt(r[8]))


def answer_from(r: Row) -> Answer:
    # columns after sheet_id: item_id, option, note, source, recency, answered_at
    return Answer(r[1], r[2], r[3], r[4], r[5], to_dt(r[6]) if r[6] else None)


def sheet_from(r: Row, answers: Iterable[Answer], texts: dict[str, str]) -> RatingSheet:
    return RatingSheet(
        id=uuid.UUID(r[0]), round_id=uuid.UUID(r[1]), rater_kind=RaterKind(r[2]), professional_id=_uuid(r[3]),
        rater_name=r[4], form_id=r[5], form_version=int(r[6]), status=SheetStatus(r[7]),
        submitted_at=to_dt(r[8]) if r[8] else None, version=int(r[9]), supersedes=_uuid(r[10]),
        amendment_reason=r[11], created_at=to_dt(r[13]), updated_at=to_dt(r[14]),
        answers={a.item_id: a for a in answers}, free_text=texts,
    )


def consensus_item_from(r: Row) -> ConsensusItem:
    if r[4] not in (0, 1):
        raise ValueError("unresolved")
    return ConsensusItem(r[1], r[2], r[3], bool(r[4]), r[5], to_date(r[6]))


def consensus_from(r: Row, items: Iterable[ConsensusItem]) -> Consensus:
    return Consensus(id=uuid.UUID(r[0]), round_id=uuid.UUID(r[1]), form_id=r[2], form_version=int(r[3]),
                     status=ConsensusStatus(r[4]), finalised_at=to_dt(r[5]) if r[5] else None,
                     created_at=to_dt(r[6]), updated_at=to_dt(r[7]), items={i.item_id: i for i in items})


def target_from(r: Row) -> PlanTarget:
    return PlanTarget(id=uuid.UUID(r[0]), item_id=r[2], baseline_option=r[3], target_option=r[4],
                      review_on=dt.date.fromisoformat(r[5]), created_at=to_dt(r[6]), updated_at=to_dt(r[7]))


def action_from(r: Row) -> PlanAction:
    return PlanAction(id=uuid.UUID(r[0]), description=r[2], owner=r[3], agency=r[4],
                      due_on=dt.date.fromisoformat(r[5]), done_on=to_date(r[6]), created_at=to_dt(r[7]),
                      updated_at=to_dt(r[8]))


def plan_from(r: Row, targets: Iterable[PlanTarget], actions: Iterable[PlanAction]) -> Plan:
    if r[2] not in (0, 1):
        raise ValueError("active")
    return Plan(id=uuid.UUID(r[0]), round_id=uuid.UUID(r[1]), active=bool(r[2]), targets=tuple(targets),
                actions=tuple(actions), created_at=to_dt(r[3]), updated_at=to_dt(r[4]))


def audit_from(r: Row) -> AuditEntry:
    detail = json.loads(r[6])
    if not isinstance(detail, dict):
        raise ValueError("audit detail")
    return AuditEntry(int(r[0]), to_dt(r[1]), r[2], r[3], r[4], r[5], detail, r[7], r[8])
