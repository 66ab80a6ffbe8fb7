"""Reading the receiving store on a connection that is already inside a transaction.

The merge plans and applies inside one transaction, where the repositories (which open their own) cannot
be used; these reads return the same domain objects.
"""
# ruff: noqa: S608 - column lists and table names are module constants; every value is bound with ?

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from ...domain import (
    AssessmentRound,
    Child,
    Consensus,
    ConsensusStatus,
    Family,
    Plan,
    Professional,
    RaterKind,
    RatingSheet,
    SheetStatus,
)
from ..connection import Connection
from ..rows import (
    CHILD_COLS,
    FAMILY_COLS,
    PRO_COLS,
    ROUND_COLS,
    action_from,
    answer_from,
    child_from,
    consensus_item_from,
    family_from,
    fold,
    parse,
    pro_from,
    round_from,
    target_from,
    to_dt,
)


def _one(conn: Connection, sql: str, key: str) -> Any:
    return conn.execute(sql, (key,)).fetchone()


def family(conn: Connection, family_id: uuid.UUID) -> Family | None:
    row = _one(conn, f"SELECT {FAMILY_COLS} FROM families WHERE id = ?", str(family_id))
    return family_from(row) if row else None


def family_by_ref(conn: Connection, case_ref: str) -> Family | None:
    row = _one(conn, f"SELECT {FAMILY_COLS} FROM families WHERE case_ref = ?", case_ref)
    return family_from(row) if row else None


def child(conn: Connection, child_id: uuid.UUID) -> Child | None:
    row = _one(conn, f"SELECT {CHILD_COLS} FROM children WHERE id = ?", str(child_id))
    return child_from(row) if row else None


def children_like(conn: Connection, c: Child) -> list[tuple[Child, str]]:
    """Children in the store who may be `c` under another id: same NHS number, or same name and birth date."""
    found: dict[uuid.UUID, tuple[Child, str]] = {}
    if c.nhs_number:
        for row in conn.execute(f"SELECT {CHILD_COLS} FROM children WHERE nhs_number = ?", (c.nhs_number,)):
            match = child_from(row)
            found[match.id] = (match, "same NHS number")
    for row in conn.execute(
        f"SELECT {CHILD_COLS} FROM children WHERE given_fold = ? AND family_fold = ? AND date_of_birth = ?",
        (fold(c.given_names), fold(c.family_name), c.date_of_birth.isoformat()),
    ):
        match = child_from(row)
        found.setdefault(match.id, (match, "same name and date of birth"))
    return [found[k] for k in sorted(found, key=str)]


def professional(conn: Connection, professional_id: uuid.UUID) -> Professional | None:
    row = _one(conn, f"SELECT {PRO_COLS} FROM professionals WHERE id = ?", str(professional_id))
    return pro_from(row) if row else None


def assessment_round(conn: Connection, round_id: uuid.UUID) -> AssessmentRound | None:
    row = _one(conn, f"SELECT {ROUND_COLS} FROM rounds WHERE id = ?", str(round_id))
    return round_from(row) if row else None


def involved(conn: Connection, family_id: uuid.UUID, professional_id: uuid.UUID) -> bool:
    return conn.execute("SELECT 1 FROM family_professionals WHERE family_id = ? AND professional_id = ?",
                        (str(family_id), str(professional_id))).fetchone() is not None


_SHEET_COLS = ("sheet_no, id, round_id, rater_kind, professional_id, rater_name, form_id, form_version, status,"
               " submitted_at, version, supersedes, amendment_reason, created_at, updated_at")


def _sheet_from(r: Any, conn: Connection) -> RatingSheet:
    answers = {a.item_id: a for a in (answer_from(x) for x in conn.execute(
        "SELECT item_id, option, note, source, recency, answered_at FROM answers WHERE sheet_no = ?", (r[0],)))}
    texts = dict(conn.execute("SELECT section_id, body FROM sheet_texts WHERE sheet_no = ?", (r[0],)).fetchall())
    return RatingSheet(
        id=uuid.UUID(r[1]), round_id=uuid.UUID(r[2]), rater_kind=RaterKind(r[3]),
        professional_id=uuid.UUID(r[4]) if r[4] else None, rater_name=r[5], form_id=r[6],
        form_version=int(r[7]), status=SheetStatus(r[8]), submitted_at=to_dt(r[9]) if r[9] else None,
        version=int(r[10]), supersedes=uuid.UUID(r[11]) if r[11] else None, amendment_reason=r[12],
        created_at=to_dt(r[13]), updated_at=to_dt(r[14]), answers=answers, free_text=texts,
    )


def sheet(conn: Connection, sheet_id: uuid.UUID) -> RatingSheet | None:
    row = _one(conn, f"SELECT {_SHEET_COLS} FROM sheets WHERE id = ?", str(sheet_id))
    return parse(partial(_sheet_from, row, conn), "rating sheet") if row else None


def _consensus(conn: Connection, where: str, key: str) -> Consensus | None:
    row = _one(conn, "SELECT id, round_id, form_id, form_version, status, finalised_at, created_at, updated_at"
                     f" FROM consensus WHERE {where} = ?", key)
    if row is None:
        return None
    items = {i.item_id: i for i in (consensus_item_from(x) for x in conn.execute(
        "SELECT item_id, agreed_option, rationale, unresolved, escalation_owner, escalate_by"
        " FROM consensus_items WHERE consensus_id = ?", (row[0],)))}
    return parse(lambda: Consensus(
        id=uuid.UUID(row[0]), round_id=uuid.UUID(row[1]), form_id=row[2], form_version=int(row[3]),
        status=ConsensusStatus(row[4]), finalised_at=to_dt(row[5]) if row[5] else None,
        created_at=to_dt(row[6]), updated_at=to_dt(row[7]), items=items), "consensus")


def consensus(conn: Connection, consensus_id: uuid.UUID) -> Consensus | None:
    return _consensus(conn, "id", str(consensus_id))


def consensus_for_round(conn: Connection, round_id: uuid.UUID) -> Consensus | None:
    return _consensus(conn, "round_id", str(round_id))


def _plan(conn: Connection, where: str, key: str) -> Plan | None:
    row = _one(conn, f"SELECT id, round_id, active, created_at, updated_at FROM plans WHERE {where} = ?", key)
    if row is None:
        return None
    targets = tuple(target_from(r) for r in conn.execute(
        "SELECT id, item_id, baseline_option, target_option, review_on, created_at, updated_at"
        " FROM plan_targets WHERE plan_id = ?", (row[0],)))
    actions = tuple(action_from(r) for r in conn.execute(
        "SELECT id, description, owner, agency, due_on, done_on, created_at, updated_at"
        " FROM plan_actions WHERE plan_id = ?", (row[0],)))
    return parse(lambda: Plan(id=uuid.UUID(row[0]), round_id=uuid.UUID(row[1]), active=bool(row[2]),
                              targets=targets, actions=actions, created_at=to_dt(row[3]), updated_at=to_dt(row[4])),
                 "plan")


def plan(conn: Connection, plan_id: uuid.UUID) -> Plan | None:
    return _plan(conn, "id", str(plan_id))


def plan_for_round(conn: Connection, round_id: uuid.UUID) -> Plan | None:
    return _plan(conn, "round_id", str(round_id))


def plan_entry_owner(conn: Connection, entry_id: uuid.UUID) -> uuid.UUID | None:
    """The plan that holds a target or action with this id, if any."""
    for table in ("plan_targets", "plan_actions"):
        row = conn.execute(f"SELECT plan_id FROM {table} WHERE id = ?", (str(entry_id),)).fetchone()
        if row:
            return uuid.UUID(row[0])
    return None
