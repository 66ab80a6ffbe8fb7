"""Converting between domain objects and table rows. Values read back from disk are parsed defensively:
anything malformed becomes StoreCorrupt, never a random exception deep in the UI."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from ..domain import (
    Answer,
    AssessmentRound,
    Child,
    ConsensusItem,
    DomainError,
    Family,
    PlanAction,
    PlanTarget,
    Professional,
)
from .errors import StoreCorrupt

T = TypeVar("T")


def parse(build: Callable[[], T], what: str) -> T:
    try:
        return build()
    except (ValueError, TypeError, KeyError, DomainError, json.JSONDecodeError) as exc:
        raise StoreCorrupt(f"A stored {what} could not be read ({type(exc).__name__}); "
                           "run `neglect-tool store check`.") from exc


def ts(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_dt(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("naive timestamp")
    return value


def to_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text is not None else None


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


FAMILY_COLS = "id, case_ref, family_name, address_note, consent_sought, notes, created_at, updated_at"


def family_values(f: Family) -> tuple[Any, ...]:
    consent = None if f.consent_sought is None else int(f.consent_sought)
    return (str(f.id), f.case_ref, f.family_name, fold(f.family_name), f.address_note, consent, f.notes,
            ts(f.created_at), ts(f.updated_at))


def family_from(r: Any) -> Family:
    return parse(lambda: Family(
        id=uuid.UUID(r[0]), case_ref=r[1], family_name=r[2], address_note=r[3],
        consent_sought=None if r[4] is None else bool(r[4]), notes=r[5],
        created_at=to_dt(r[6]), updated_at=to_dt(r[7]),
    ), "family")


CHILD_COLS = ("id, family_id, given_names, family_name, date_of_birth, sex_gender, case_number, nhs_number, "
              "disability_or_delay, development_consultee, conditions, created_at, updated_at")


def child_values(c: Child) -> tuple[Any, ...]:
    return (str(c.id), str(c.family_id), c.given_names, c.family_name, fold(c.given_names),
            fold(c.family_name), c.date_of_birth.isoformat(), c.sex_gender, c.case_number, c.nhs_number,
            int(c.disability_or_delay), c.development_consultee, json.dumps(sorted(c.conditions)),
            ts(c.created_at), ts(c.updated_at))


def child_from(r: Any) -> Child:
    def build() -> Child:
        conditions = json.loads(r[10])
        if not isinstance(conditions, list) or not all(isinstance(x, str) for x in conditions):
            raise ValueError("conditions")
        return Child(id=uuid.UUID(r[0]), family_id=uuid.UUID(r[1]), given_names=r[2], family_name=r[3],
                     date_of_birth=dt.date.fromisoformat(r[4]), sex_gender=r[5], case_number=r[6],
                     nhs_number=r[7], disability_or_delay=bool(r[8]), development_consultee=r[9],
                     conditions=frozenset(conditions), created_at=to_dt(r[11]), updated_at=to_dt(r[12]))
    return parse(build, "child record")


PRO_COLS = "id, name, role, agency, organisation, contact, created_at, updated_at"


def pro_values(p: Professional) -> tuple[Any, ...]:
    return (str(p.id), p.name, p.role, p.agency.value, p.organisation, p.contact, ts(p.created_at),
            ts(p.updated_at))


def pro_from(r: Any) -> Professional:
    return parse(lambda: Professional(id=uuid.UUID(r[0]), name=r[1], role=r[2], agency=r[3], organisation=r[4],
                                      contact=r[5], created_at=to_dt(r[6]), updated_at=to_dt(r[7])),
                 "professional")


ROUND_COLS = "id, child_id, held_on, purpose, status, next_review_on, title, created_at, updated_at"


def round_values(r: AssessmentRound) -> tuple[Any, ...]:
    return (str(r.id), str(r.child_id), r.held_on.isoformat(), r.purpose.value, r.status.value,
            d(r.next_review_on), r.title, ts(r.created_at), ts(r.updated_at))


def round_from(r: Any) -> AssessmentRound:
    return parse(lambda: AssessmentRound(
        id=uuid.UUID(r[0]), child_id=uuid.UUID(r[1]), held_on=dt.date.fromisoformat(r[2]), purpose=r[3],
        status=r[4], next_review_on=to_date(r[5]), title=r[6], created_at=to_dt(r[7]), updated_at=to_dt(r[8]),
    ), "assessment round")


def answer_from(r: Any) -> Answer:
    # columns: item_id, option, note, source, recency, answered_at
    return parse(lambda: Answer(r[0], r[1], r[2], r[3], r[4], to_dt(r[5]) if r[5] else None), "answer")


def consensus_item_from(r: Any) -> ConsensusItem:
    # columns: item_id, agreed_option, rationale, unresolved, escalation_owner, escalate_by
    return parse(lambda: ConsensusItem(r[0], r[1], r[2], bool(r[3]), r[4], to_date(r[5])), "consensus item")


def target_from(r: Any) -> PlanTarget:
    # columns: id, item_id, baseline_option, target_option, review_on, created_at, updated_at
    return parse(lambda: PlanTarget(id=uuid.UUID(r[0]), item_id=r[1], baseline_option=r[2], target_option=r[3],
                                    review_on=dt.date.fromisoformat(r[4]), created_at=to_dt(r[5]),
                                    updated_at=to_dt(r[6])), "plan target")


def action_from(r: Any) -> PlanAction:
    # columns: id, description, owner, agency, due_on, done_on, created_at, updated_at
    return parse(lambda: PlanAction(id=uuid.UUID(r[0]), description=r[1], owner=r[2], agency=r[3],
                                    due_on=dt.date.fromisoformat(r[4]), done_on=to_date(r[5]),
                                    created_at=to_dt(r[6]), updated_at=to_dt(r[7])), "plan action")
