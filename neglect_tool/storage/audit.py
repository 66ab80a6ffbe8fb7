"""The append-only, hash-chained audit trail.

Each entry's hash covers the previous entry's hash and its own fields, so editing, removing or reordering
history breaks the chain at a known place. Triggers in the schema refuse UPDATE and DELETE as well.
Entries hold ids, actions, field names and option codes only: never names, notes or NHS numbers, so that
erasing a case leaves nothing personal in a trail that can never be edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .connection import Connection

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    actor_id: str
    entity: str
    entity_id: str
    action: str
    detail: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    head_hash: str = ""  # the newest entry's hash: kept elsewhere, it shows whether later history was cut


def _entry_hash(prev_hash: str, seq: int, at: str, actor_id: str, entity: str, entity_id: str,
                action: str, detail: str) -> str:
    canonical = json.dumps([seq, at, actor_id, entity, entity_id, action, detail], ensure_ascii=True,
                           separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("ascii")).hexdigest()


def append(conn: Connection, actor_id: uuid.UUID | str, entity: str, entity_id: uuid.UUID | str, action: str,
           detail: Mapping[str, Any] | None = None) -> None:
    """Add one entry; call inside the same transaction as the change it records."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = dt.datetime.now(dt.UTC).isoformat()
    detail_text = json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=True, separators=(",", ":"),
                             default=str)
    digest = _entry_hash(prev, seq, at, str(actor_id), entity, str(entity_id), action, detail_text)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor_id, entity, entity_id, action, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, str(actor_id), entity, str(entity_id), action, detail_text, prev, digest),
    )


def verify(conn: Connection) -> AuditReport:
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for row in conn.execute(
        "SELECT seq, at, actor_id, entity, entity_id, action, detail, prev_hash, hash FROM audit_log ORDER BY seq"
    ):
        seq, at, actor, entity, entity_id, action, detail, prev_hash, digest = row
        if seq != expected_seq:
            return AuditReport(False, checked, expected_seq,
                               f"entry {expected_seq} is missing (next entry is {seq}): history was removed")
        if prev_hash != expected_prev:
            return AuditReport(False, checked, seq, "the link to the previous entry is broken")
        if _entry_hash(prev_hash, seq, at, actor, entity, entity_id, action, detail) != digest:
            return AuditReport(False, checked, seq, "the entry was changed after it was written")
        expected_prev, expected_seq, checked = digest, seq + 1, checked + 1
    return AuditReport(True, checked, head_hash=expected_prev if checked else "")


def entries(conn: Connection, entity_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    sql = "SELECT seq, at, actor_id, entity, entity_id, action, detail, prev_hash, hash FROM audit_log"
    params: list[Any] = []
    if entity_id is not None:
        sql += " WHERE entity_id = ?"
        params.append(entity_id)
    sql += " ORDER BY seq DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        AuditEntry(r[0], dt.datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8])
        for r in conn.execute(sql, params)
    ]
