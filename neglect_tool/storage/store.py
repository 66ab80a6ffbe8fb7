"""The Store: an unlocked encrypted database plus its repositories. The only SQL outside connection.py,
schema.py and migrate.py lives here and in audit.py/rows.py; everything returns domain objects.

Every write runs in one transaction together with its audit entry (who, what, when; never personal data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..domain import (
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    ConsensusStatus,
    DomainError,
    Family,
    Plan,
    Professional,
    RaterKind,
    RatingSheet,
    RoundStatus,
    SheetStatus,
    utc_now,
)
from . import audit
from .audit import AuditEntry, AuditReport
from .connection import CheckReport, Connection, EncryptedDatabase
from .errors import ImmutableRecord, NotFound, StoreCorrupt, StoreError
from .keys import STORE_KDF, KdfParams
from .migrate import migrate
from .rows import (
    CHILD_COLS,
    FAMILY_COLS,
    PRO_COLS,
    ROUND_COLS,
    action_from,
    answer_from,
    child_from,
    child_values,
    consensus_item_from,
    d,
    family_from,
    family_values,
    fold,
    parse,
    pro_from,
    pro_values,
    round_from,
    round_values,
    target_from,
    to_date,
    to_dt,
    ts,
)

STORE_FORMAT = "neglect-tool-store/1"


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list."""

    family_id: uuid.UUID
    case_ref: str
    family_name: str
    child_names: tuple[str, ...]
    latest_round_on: dt.date | None
    latest_round_status: RoundStatus | None
    next_review_on: dt.date | None


@dataclass(frozen=True, slots=True)
class CaseRetention:
    """A case's retention state: active, or closed on a date (no names: the case reference only)."""

    family_id: uuid.UUID
    case_ref: str
    closed: bool
    closed_on: dt.date | None


def _retention_from(r: Any) -> CaseRetention:
    if r[2] not in ("active", "closed"):
        raise ValueError("retention_state")
    return CaseRetention(uuid.UUID(r[0]), r[1], r[2] == "closed", to_date(r[3]))


class _Repo:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _db(self) -> EncryptedDatabase:
        return self._store.db

    def _audit(self, conn: Connection, entity: str, entity_id: uuid.UUID, action: str, **detail: Any) -> None:
        audit.append(conn, self._store.owner_id, entity, entity_id, action, detail)


# --- families and children ----------------------------------------------------------------------------

_SUMMARY_SQL = """
    SELECT f.id, f.case_ref, f.family_name,
           (SELECT group_concat(c.given_names || ' ' || c.family_name, char(31))
              FROM children c WHERE c.family_id = f.id),
           (SELECT r.held_on || char(31) || r.status || char(31) || coalesce(r.next_review_on, '')
              FROM rounds r JOIN children c ON c.id = r.child_id
             WHERE c.family_id = f.id ORDER BY r.held_on DESC LIMIT 1)
      FROM families f
"""


def _summary_from(r: Any) -> CaseSummary:
    def build() -> CaseSummary:
        names = tuple(sorted(r[3].split("\x1f"))) if r[3] else ()
        held = status = review = None
        if r[4]:
            held_text, status_text, review_text = r[4].split("\x1f")
            held, status, review = to_date(held_text), RoundStatus(status_text), to_date(review_text or None)
        return CaseSummary(uuid.UUID(r[0]), r[1], r[2], names, held, status, review)
    return parse(build, "case summary")


def _prefix_range(text: str) -> tuple[str, str]:
    """`col >= lo AND col < hi` matches every value starting with `text`, and uses the column's index."""
    return text, text + "\U0010ffff"


def _every_word_starts_a_name(words: list[str], summary: CaseSummary) -> bool:
    names = fold(" ".join((summary.case_ref, summary.family_name, *summary.child_names))).split()
    return all(any(name.startswith(word) for name in names) for word in words)


class FamilyRepository(_Repo):
    def add(self, family: Family) -> Family:
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM families WHERE case_ref = ?", (family.case_ref,)).fetchone():
                raise StoreError(f"A case with reference {family.case_ref} already exists.")
            conn.execute(
                "INSERT INTO families (id, case_ref, family_name, family_name_fold, address_note, consent_sought,"
                " notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                family_values(family),
            )
            self._audit(conn, "family", family.id, "created")
        return family

    def update(self, family: Family) -> Family:
        family = family.evolve()
        v = family_values(family)
        with self._db.write() as conn:
            changed = conn.execute(
                "UPDATE families SET case_ref = ?, family_name = ?, family_name_fold = ?, address_note = ?,"
                " consent_sought = ?, notes = ?, updated_at = ? WHERE id = ?",
                (*v[1:7], v[8], v[0]),
            ).rowcount
            if not changed:
                raise NotFound("That case is not in this store.")
            self._audit(conn, "family", family.id, "updated")
        return family

    def get(self, family_id: uuid.UUID) -> Family:
        row = self._db.guarded(lambda c: c.execute(
            f"SELECT {FAMILY_COLS} FROM families WHERE id = ?", (str(family_id),)).fetchone())
        if row is None:
            raise NotFound("That case is not in this store.")
        return family_from(row)

    def get_by_ref(self, case_ref: str) -> Family:
        row = self._db.guarded(lambda c: c.execute(
            f"SELECT {FAMILY_COLS} FROM families WHERE case_ref = ?", (case_ref.strip(),)).fetchone())
        if row is None:
            raise NotFound(f"There is no case {case_ref} in this store.")
        return family_from(row)

    def list_summaries(self) -> list[CaseSummary]:
        rows = self._db.guarded(lambda c: c.execute(_SUMMARY_SQL + " ORDER BY f.case_ref").fetchall())
        return [_summary_from(r) for r in rows]

    def search(self, text: str, limit: int = 50) -> list[CaseSummary]:
        """Case reference or child case number (as typed or in capitals), family name, any child's given or
        family name (each word a prefix, so "jay call" finds Jayden Calloway), or the start of an NHS number
        (3 digits or more, spaces ignored). Case-insensitive; the lookups use indexes only."""
        query = fold(text)
        if not query:
            rows = self._db.guarded(lambda c: c.execute(_SUMMARY_SQL + " ORDER BY f.case_ref LIMIT ?",
                                                        (limit,)).fetchall())
            return [_summary_from(r) for r in rows]
        digits = "".join(ch for ch in text if ch.isdigit())
        number = len(digits) >= 3 and len(digits) == len("".join(text.split()))  # digits and spaces only
        nhs_lo, nhs_hi = _prefix_range(digits) if number else ("", "")
        words = [digits] if number else query.split()
        lo, hi = _prefix_range(words[0])
        ref_lo, ref_hi = _prefix_range(text.strip())
        caps_lo, caps_hi = _prefix_range(text.strip().upper())
        # Pick the page of matching cases first and only then build their summaries: a short prefix can
        # match hundreds of cases, and summarising all of them before the LIMIT made 2-letter searches
        # of a 10,000-child store take 40-80 ms. `IN (... UNION ALL ...)` dedups in one ephemeral index
        # instead of a temp b-tree per UNION arm (see benchmarks/store_scale.py). A reference or case number
        # prefix ("NB-2") matches almost every case, so those arms stop at the first page in index order.
        params: list[object] = [lo, hi, ref_lo, ref_hi, nhs_lo, limit, caps_lo, caps_hi, nhs_hi]
        # Every further word (up to three) must also start a family or child name: one more indexed IN each.
        more = []
        for word in words[1:4]:
            w_lo, w_hi = _prefix_range(word)
            a, b = len(params) + 1, len(params) + 2
            params += [w_lo, w_hi]
            more.append(f"""AND p.id IN (
                    SELECT id FROM families WHERE family_name_fold >= ?{a} AND family_name_fold < ?{b}
                    UNION ALL SELECT family_id FROM children WHERE given_fold >= ?{a} AND given_fold < ?{b}
                    UNION ALL SELECT family_id FROM children WHERE family_fold >= ?{a} AND family_fold < ?{b})""")
        sql = f"""
            {_SUMMARY_SQL} WHERE f.id IN (
                SELECT p.id FROM families p WHERE p.id IN (
                    SELECT id FROM families WHERE family_name_fold >= ?1 AND family_name_fold < ?2
                    UNION ALL SELECT * FROM (SELECT id FROM families WHERE case_ref >= ?3 AND case_ref < ?4
                                             ORDER BY case_ref LIMIT ?6)
                    UNION ALL SELECT * FROM (SELECT id FROM families WHERE case_ref >= ?7 AND case_ref < ?8
                                             ORDER BY case_ref LIMIT ?6)
                    UNION ALL SELECT family_id FROM children WHERE given_fold >= ?1 AND given_fold < ?2
                    UNION ALL SELECT family_id FROM children WHERE family_fold >= ?1 AND family_fold < ?2
                    UNION ALL SELECT * FROM (SELECT family_id FROM children WHERE case_number >= ?3
                                             AND case_number < ?4 ORDER BY case_number LIMIT ?6)
                    UNION ALL SELECT * FROM (SELECT family_id FROM children WHERE case_number >= ?7
                                             AND case_number < ?8 ORDER BY case_number LIMIT ?6)
                    UNION ALL SELECT family_id FROM children WHERE ?5 != '' AND nhs_number >= ?5
                                                               AND nhs_number < ?9)
                {" ".join(more)}
                ORDER BY p.case_ref LIMIT ?6)
            ORDER BY f.case_ref
        """
        rows = self._db.guarded(lambda c: c.execute(sql, params).fetchall())
        found = [_summary_from(r) for r in rows]
        if len(words) > 1:  # names of several words ("Mary Ann"): each typed word starts one of them
            found = [s for s in found if _every_word_starts_a_name(words, s)]
        return found

    def involve(self, family_id: uuid.UUID, professional_id: uuid.UUID) -> None:
        with self._db.write() as conn:
            inserted = conn.execute(
                "INSERT OR IGNORE INTO family_professionals (family_id, professional_id) VALUES (?, ?)",
                (str(family_id), str(professional_id)),
            ).rowcount
            if inserted:
                self._audit(conn, "family", family_id, "professional_involved", professional_id=str(professional_id))

    def professionals_for(self, family_id: uuid.UUID) -> list[Professional]:
        rows = self._db.guarded(lambda c: c.execute(
            f"SELECT {', '.join('p.' + col.strip() for col in PRO_COLS.split(','))} FROM professionals p"
            " JOIN family_professionals fp ON fp.professional_id = p.id WHERE fp.family_id = ? ORDER BY p.name",
            (str(family_id),)).fetchall())
        return [pro_from(r) for r in rows]

    def close_case(self, family_id: uuid.UUID, on: dt.date) -> None:
        with self._db.write() as conn:
            if not conn.execute("UPDATE families SET retention_state = 'closed', closed_on = ?, updated_at = ?"
                                " WHERE id = ?", (on.isoformat(), ts(utc_now()), str(family_id))).rowcount:
                raise NotFound("That case is not in this store.")
            self._audit(conn, "family", family_id, "closed", closed_on=on.isoformat())

    def reopen_case(self, family_id: uuid.UUID) -> None:
        with self._db.write() as conn:
            if not conn.execute("UPDATE families SET retention_state = 'active', closed_on = NULL, updated_at = ?"
                                " WHERE id = ?", (ts(utc_now()), str(family_id))).rowcount:
                raise NotFound("That case is not in this store.")
            self._audit(conn, "family", family_id, "reopened")

    def retention_states(self) -> list[CaseRetention]:
        """Every case's retention state (active or closed, with the closing date), by case reference."""
        rows = self._db.guarded(lambda c: c.execute(
            "SELECT id, case_ref, retention_state, closed_on FROM families ORDER BY case_ref").fetchall())
        return [parse(partial(_retention_from, r), "retention state") for r in rows]

    def delete_case(self, family_id: uuid.UUID, confirm_ref: str) -> None:
        """Erase a case and everything under it for real: the caller must type the case reference back.
        secure_delete zeroes the freed pages; VACUUM then rewrites the file without them."""
        family = self.get(family_id)
        if confirm_ref.strip() != family.case_ref:
            raise StoreError("The case reference typed does not match; nothing was deleted.")
        with self._db.write() as conn:
            counts = {
                "children": conn.execute("SELECT count(*) FROM children WHERE family_id = ?",
                                         (str(family_id),)).fetchone()[0],
                "sheets": conn.execute(
                    "SELECT count(*) FROM sheets s JOIN rounds r ON r.id = s.round_id"
                    " JOIN children c ON c.id = r.child_id WHERE c.family_id = ?", (str(family_id),)).fetchone()[0],
            }
            token = uuid.uuid4().hex
            conn.execute("INSERT INTO erasure_permit (token) VALUES (?)", (token,))
            conn.execute("DELETE FROM families WHERE id = ?", (str(family_id),))
            conn.execute("DELETE FROM erasure_permit WHERE token = ?", (token,))
            self._audit(conn, "family", family_id, "erased", **counts)
        self._db.vacuum()


class ChildRepository(_Repo):
    def add(self, child: Child) -> Child:
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO children (id, family_id, given_names, family_name, given_fold, family_fold,"
                " date_of_birth, sex_gender, case_number, nhs_number, disability_or_delay, development_consultee,"
                " conditions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                child_values(child),
            )
            self._audit(conn, "child", child.id, "created", family_id=str(child.family_id))
        return child

    def update(self, child: Child) -> Child:
        child = child.evolve()
        v = child_values(child)
        with self._db.write() as conn:
            if not conn.execute(
                "UPDATE children SET given_names = ?, family_name = ?, given_fold = ?, family_fold = ?,"
                " date_of_birth = ?, sex_gender = ?, case_number = ?, nhs_number = ?, disability_or_delay = ?,"
                " development_consultee = ?, conditions = ?, updated_at = ? WHERE id = ?",
                (*v[2:13], v[14], v[0]),
            ).rowcount:
                raise NotFound("That child is not in this store.")
            self._audit(conn, "child", child.id, "updated")
        return child

    def get(self, child_id: uuid.UUID) -> Child:
        row = self._db.guarded(lambda c: c.execute(
            f"SELECT {CHILD_COLS} FROM children WHERE id = ?", (str(child_id),)).fetchone())
        if row is None:
            raise NotFound("That child is not in this store.")
        return child_from(row)

    def for_family(self, family_id: uuid.UUID) -> list[Child]:
        rows = self._db.guarded(lambda c: c.execute(
            f"SELECT {CHILD_COLS} FROM children WHERE family_id = ? ORDER BY date_of_birth",
            (str(family_id),)).fetchall())
        return [child_from(r) for r in rows]


class ProfessionalRepository(_Repo):
    def add(self, professional: Professional) -> Professional:
        with self._db.write() as conn:
            self._insert(conn, professional)
            self._audit(conn, "professional", professional.id, "created")
        return professional

    @staticmethod
    def _insert(conn: Connection, p: Professional) -> None:
        conn.execute(f"INSERT INTO professionals ({PRO_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", pro_values(p))

    def update(self, professional: Professional) -> Professional:
        professional = professional.evolve()
        v = pro_values(professional)
        with self._db.write() as conn:
            if not conn.execute("UPDATE professionals SET name = ?, role = ?, agency = ?, organisation = ?,"
                                " contact = ?, updated_at = ? WHERE id = ?", (*v[1:6], v[7], v[0])).rowcount:
                raise NotFound("That professional is not in this store.")
            self._audit(conn, "professional", professional.id, "updated")
        return professional

    def get(self, professional_id: uuid.UUID) -> Professional:
        row = self._db.guarded(lambda c: c.execute(
            f"SELECT {PRO_COLS} FROM professionals WHERE id = ?", (str(professional_id),)).fetchone())
        if row is None:
            raise NotFound("That professional is not in this store.")
        return pro_from(row)

    def list_all(self) -> list[Professional]:
        rows = self._db.guarded(lambda c: c.execute(f"SELECT {PRO_COLS} FROM professionals ORDER BY name").fetchall())
        return [pro_from(r) for r in rows]


# --- rounds and sheets --------------------------------------------------------------------------------


class RoundRepository(_Repo):
    def add(self, rnd: AssessmentRound) -> AssessmentRound:
        with self._db.write() as conn:
            conn.execute(f"INSERT INTO rounds ({ROUND_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", round_values(rnd))
            self._audit(conn, "round", rnd.id, "created", child_id=str(rnd.child_id), status=rnd.status.value)
        return rnd

    def update(self, rnd: AssessmentRound) -> AssessmentRound:
        rnd = rnd.evolve()
        v = round_values(rnd)
        with self._db.write() as conn:
            if not conn.execute("UPDATE rounds SET held_on = ?, purpose = ?, status = ?, next_review_on = ?,"
                                " title = ?, updated_at = ? WHERE id = ?", (*v[2:7], v[8], v[0])).rowcount:
                raise NotFound("That assessment round is not in this store.")
            self._audit(conn, "round", rnd.id, "updated", status=rnd.status.value)
        return rnd

    def get(self, round_id: uuid.UUID) -> AssessmentRound:
        row = self._db.guarded(lambda c: c.execute(
            f"SELECT {ROUND_COLS} FROM rounds WHERE id = ?", (str(round_id),)).fetchone())
        if row is None:
            raise NotFound("That assessment round is not in this store.")
        return round_from(row)

    def record_answers_viewed(self, round_id: uuid.UUID, *, own_sheet_submitted: bool) -> None:
        """Audit that the owner opened the other raters' answers of a round (blind-scoring evidence)."""
        with self._db.write() as conn:
            self._audit(conn, "round", round_id, "answers_viewed", own_sheet_submitted=own_sheet_submitted)

    def owner_viewed_answers_unscored(self, round_id: uuid.UUID) -> bool:
        """Whether the owner has seen others' answers for this round before submitting a sheet of their own."""
        with self._db.read() as conn:
            return any(e.action == "answers_viewed" and e.actor_id == str(self._store.owner_id)
                       and not e.detail.get("own_sheet_submitted", True)
                       for e in audit.entries(conn, str(round_id)))

    def for_child(self, child_id: uuid.UUID) -> list[AssessmentRound]:
        rows = self._db.guarded(lambda c: c.execute(
            f"SELECT {ROUND_COLS} FROM rounds WHERE child_id = ? ORDER BY held_on", (str(child_id),)).fetchall())
        return [round_from(r) for r in rows]


_SHEET_COLS = ("sheet_no, id, round_id, rater_kind, professional_id, rater_name, form_id, form_version, status,"
               " submitted_at, version, supersedes, amendment_reason, created_at, updated_at")


def _sheet_from(r: Any, answers: dict[str, Answer], texts: dict[str, str]) -> RatingSheet:
    return RatingSheet(
        id=uuid.UUID(r[1]), round_id=uuid.UUID(r[2]), rater_kind=RaterKind(r[3]),
        professional_id=uuid.UUID(r[4]) if r[4] else None, rater_name=r[5], form_id=r[6],
        form_version=int(r[7]), status=SheetStatus(r[8]), submitted_at=to_dt(r[9]) if r[9] else None,
        version=int(r[10]), supersedes=uuid.UUID(r[11]) if r[11] else None, amendment_reason=r[12],
        created_at=to_dt(r[13]), updated_at=to_dt(r[14]), answers=answers, free_text=texts,
    )


def content_hash(sheet: RatingSheet) -> str:
    """A hash of what a sheet says (answers and free text), to spot conflicting copies on import."""
    body = {
        "answers": {k: [a.option, a.note, a.source, a.recency] for k, a in sorted(sheet.answers.items())},
        "free_text": dict(sorted(sheet.free_text.items())),
        "form": [sheet.form_id, sheet.form_version],
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def insert_sheet(conn: Connection, s: RatingSheet) -> None:
    """Write a whole sheet (any status) inside the caller's transaction: as a draft first so that the answers
    can go in, then submitted, so that the triggers see the real order. Used by the repository and imports."""
    cur = conn.execute(
        "INSERT INTO sheets (id, round_id, rater_kind, professional_id, rater_name, form_id, form_version,"
        " status, submitted_at, version, supersedes, amendment_reason, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', NULL, ?, ?, ?, ?, ?)",
        (str(s.id), str(s.round_id), s.rater_kind.value, str(s.professional_id) if s.professional_id else None,
         s.rater_name, s.form_id, s.form_version, s.version, str(s.supersedes) if s.supersedes else None,
         s.amendment_reason, ts(s.created_at), ts(s.updated_at)),
    )
    sheet_no = cur.lastrowid
    conn.executemany(
        "INSERT INTO answers (sheet_no, item_id, option, note, source, recency, answered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(sheet_no, a.item_id, a.option, a.note, a.source.value if a.source else None,
          a.recency.value if a.recency else None, ts(a.answered_at) if a.answered_at else None)
         for a in s.answers.values()],
    )
    conn.executemany("INSERT INTO sheet_texts (sheet_no, section_id, body) VALUES (?, ?, ?)",
                     [(sheet_no, k, v) for k, v in s.free_text.items()])
    if s.status is SheetStatus.SUBMITTED:
        assert s.submitted_at is not None
        conn.execute("UPDATE sheets SET status = 'submitted', submitted_at = ?, content_hash = ? WHERE sheet_no = ?",
                     (ts(s.submitted_at), content_hash(s), sheet_no))


class SheetRepository(_Repo):
    def create(self, sheet: RatingSheet) -> RatingSheet:
        """Store a new sheet with its answers and free text in one transaction (drafts and, for imports
        and the demo, sheets that arrive already submitted)."""
        with self._db.write() as conn:
            self._insert(conn, sheet)
            self._audit(conn, "sheet", sheet.id, "created", round_id=str(sheet.round_id), version=sheet.version,
                        status=sheet.status.value, answers=len(sheet.answers))
        return sheet

    def _insert(self, conn: Connection, s: RatingSheet) -> None:
        insert_sheet(conn, s)

    def _sheet_no(self, conn: Connection, sheet_id: uuid.UUID, *, draft: bool = False) -> int:
        row = conn.execute("SELECT sheet_no, status FROM sheets WHERE id = ?", (str(sheet_id),)).fetchone()
        if row is None:
            raise NotFound("That rating sheet is not in this store.")
        if draft and row[1] != SheetStatus.DRAFT.value:
            raise ImmutableRecord("This sheet has been submitted and is locked; amend it as a new version.")
        return int(row[0])

    def save_answer(self, sheet_id: uuid.UUID, answer: Answer) -> None:
        """Save one answer as it is given (the editor calls this on every key press)."""
        with self._db.write() as conn:
            sheet_no = self._sheet_no(conn, sheet_id, draft=True)
            if answer.is_empty:
                conn.execute("DELETE FROM answers WHERE sheet_no = ? AND item_id = ?", (sheet_no, answer.item_id))
            else:
                conn.execute(
                    "INSERT INTO answers (sheet_no, item_id, option, note, source, recency, answered_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sheet_no, item_id) DO UPDATE SET"
                    " option = excluded.option, note = excluded.note, source = excluded.source,"
                    " recency = excluded.recency, answered_at = excluded.answered_at",
                    (sheet_no, answer.item_id, answer.option, answer.note,
                     answer.source.value if answer.source else None,
                     answer.recency.value if answer.recency else None, ts(answer.answered_at or utc_now())),
                )
            conn.execute("UPDATE sheets SET updated_at = ? WHERE sheet_no = ?", (ts(utc_now()), sheet_no))
            self._audit(conn, "sheet", sheet_id, "answered", item=answer.item_id, option=answer.option,
                        note=bool(answer.note))

    def save_free_text(self, sheet_id: uuid.UUID, section_id: str, text: str) -> None:
        with self._db.write() as conn:
            sheet_no = self._sheet_no(conn, sheet_id, draft=True)
            conn.execute("INSERT INTO sheet_texts (sheet_no, section_id, body) VALUES (?, ?, ?)"
                         " ON CONFLICT (sheet_no, section_id) DO UPDATE SET body = excluded.body",
                         (sheet_no, section_id, text))
            self._audit(conn, "sheet", sheet_id, "free_text_saved", section=section_id)

    def submit(self, sheet_id: uuid.UUID, at: dt.datetime | None = None) -> RatingSheet:
        sheet = self.get(sheet_id).submitted(at)
        with self._db.write() as conn:
            sheet_no = self._sheet_no(conn, sheet_id, draft=True)
            assert sheet.submitted_at is not None
            conn.execute("UPDATE sheets SET status = 'submitted', submitted_at = ?, content_hash = ?, updated_at = ?"
                         " WHERE sheet_no = ?", (ts(sheet.submitted_at), content_hash(sheet), ts(utc_now()), sheet_no))
            self._audit(conn, "sheet", sheet_id, "submitted", answers=len(sheet.answers))
        return sheet

    def amend(self, sheet_id: uuid.UUID, reason: str) -> RatingSheet:
        """A new draft version of a submitted sheet, with its answers, pointing to the one it supersedes.
        Only the store's owner amends: their own sheet, or a parent's or carer's view they recorded."""
        sheet = self.get(sheet_id)
        if not sheet.kept_by(self._store.owner_id):
            raise DomainError("Only its author can amend a professional's sheet; ask them to send an amended "
                              "version.")
        amended = sheet.amendment(reason)
        with self._db.write() as conn:
            self._insert(conn, amended)
            self._audit(conn, "sheet", amended.id, "amendment_started", supersedes=str(sheet_id),
                        version=amended.version)
        return amended

    def discard_draft(self, sheet_id: uuid.UUID) -> None:
        with self._db.write() as conn:
            sheet_no = self._sheet_no(conn, sheet_id, draft=True)
            conn.execute("DELETE FROM sheets WHERE sheet_no = ?", (sheet_no,))
            self._audit(conn, "sheet", sheet_id, "draft_discarded")

    def get(self, sheet_id: uuid.UUID) -> RatingSheet:
        sheets = self._load("WHERE id = ?", (str(sheet_id),))
        if not sheets:
            raise NotFound("That rating sheet is not in this store.")
        return sheets[0]

    def for_round(self, round_id: uuid.UUID) -> list[RatingSheet]:
        """Every sheet of a round, every version, oldest first."""
        return self._load("WHERE round_id = ? ORDER BY created_at, version", (str(round_id),))

    def current_for_round(self, round_id: uuid.UUID) -> list[RatingSheet]:
        """The latest version of each rater's sheet (superseded versions left out)."""
        sheets = self.for_round(round_id)
        superseded = {s.supersedes for s in sheets if s.supersedes is not None}
        return [s for s in sheets if s.id not in superseded]

    def _load(self, where: str, params: tuple[Any, ...]) -> list[RatingSheet]:
        def read(conn: Connection) -> list[RatingSheet]:
            rows = conn.execute(f"SELECT {_SHEET_COLS} FROM sheets {where}", params).fetchall()
            result = []
            for r in rows:
                answers = {a.item_id: a for a in (answer_from(x) for x in conn.execute(
                    "SELECT item_id, option, note, source, recency, answered_at FROM answers WHERE sheet_no = ?",
                    (r[0],)))}
                texts = dict(conn.execute("SELECT section_id, body FROM sheet_texts WHERE sheet_no = ?", (r[0],)))
                result.append(parse(partial(_sheet_from, r, answers, texts), "rating sheet"))
            return result
        with self._db.read() as conn:
            return read(conn)


# --- consensus and plan -------------------------------------------------------------------------------


class ConsensusRepository(_Repo):
    def get_for_round(self, round_id: uuid.UUID) -> Consensus | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT id, form_id, form_version, status, finalised_at, created_at, updated_at"
                               " FROM consensus WHERE round_id = ?", (str(round_id),)).fetchone()
            if row is None:
                return None
            items = {i.item_id: i for i in (consensus_item_from(x) for x in conn.execute(
                "SELECT item_id, agreed_option, rationale, unresolved, escalation_owner, escalate_by"
                " FROM consensus_items WHERE consensus_id = ?", (row[0],)))}
        return parse(lambda: Consensus(
            id=uuid.UUID(row[0]), round_id=round_id, form_id=row[1], form_version=int(row[2]),
            status=ConsensusStatus(row[3]), finalised_at=to_dt(row[4]) if row[4] else None,
            created_at=to_dt(row[5]), updated_at=to_dt(row[6]), items=items,
        ), "consensus")

    def save(self, consensus: Consensus) -> Consensus:
        """Create or update the round's consensus (draft), with all its items; final ones are refused."""
        with self._db.write() as conn:
            existing = conn.execute("SELECT status FROM consensus WHERE id = ?", (str(consensus.id),)).fetchone()
            if existing and existing[0] == ConsensusStatus.FINAL.value:
                raise ImmutableRecord("The consensus is final; it can no longer change.")
            if existing is None:
                conn.execute("INSERT INTO consensus (id, round_id, form_id, form_version, status, finalised_at,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', NULL, ?, ?)",
                             (str(consensus.id), str(consensus.round_id), consensus.form_id, consensus.form_version,
                              ts(consensus.created_at), ts(consensus.updated_at)))
            conn.execute("DELETE FROM consensus_items WHERE consensus_id = ?", (str(consensus.id),))
            self._insert_items(conn, consensus.id, consensus.items.values())
            if consensus.status is ConsensusStatus.FINAL:
                assert consensus.finalised_at is not None
                conn.execute("UPDATE consensus SET status = 'final', finalised_at = ?, updated_at = ? WHERE id = ?",
                             (ts(consensus.finalised_at), ts(utc_now()), str(consensus.id)))
            self._audit(conn, "consensus", consensus.id, "saved", status=consensus.status.value,
                        items=len(consensus.items),
                        unresolved=sum(1 for i in consensus.items.values() if i.unresolved))
        return consensus

    @staticmethod
    def _insert_items(conn: Connection, consensus_id: uuid.UUID, items: Iterable[ConsensusItem]) -> None:
        conn.executemany(
            "INSERT INTO consensus_items (consensus_id, item_id, agreed_option, rationale, unresolved,"
            " escalation_owner, escalate_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(str(consensus_id), i.item_id, i.agreed_option, i.rationale, int(i.unresolved), i.escalation_owner,
              d(i.escalate_by)) for i in items],
        )


class PlanRepository(_Repo):
    def get_for_round(self, round_id: uuid.UUID) -> Plan | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT id, active, created_at, updated_at FROM plans WHERE round_id = ?",
                               (str(round_id),)).fetchone()
            if row is None:
                return None
            targets = tuple(target_from(r) for r in conn.execute(
                "SELECT id, item_id, baseline_option, target_option, review_on, created_at, updated_at"
                " FROM plan_targets WHERE plan_id = ? ORDER BY review_on, item_id", (row[0],)))
            actions = tuple(action_from(r) for r in conn.execute(
                "SELECT id, description, owner, agency, due_on, done_on, created_at, updated_at"
                " FROM plan_actions WHERE plan_id = ? ORDER BY due_on, description", (row[0],)))
        return parse(lambda: Plan(id=uuid.UUID(row[0]), round_id=round_id, active=bool(row[1]), targets=targets,
                                  actions=actions, created_at=to_dt(row[2]), updated_at=to_dt(row[3])), "plan")

    def save(self, plan: Plan) -> Plan:
        with self._db.write() as conn:
            conn.execute("INSERT INTO plans (id, round_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                         " ON CONFLICT (id) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at",
                         (str(plan.id), str(plan.round_id), int(plan.active), ts(plan.created_at), ts(utc_now())))
            conn.execute("DELETE FROM plan_targets WHERE plan_id = ?", (str(plan.id),))
            conn.execute("DELETE FROM plan_actions WHERE plan_id = ?", (str(plan.id),))
            conn.executemany(
                "INSERT INTO plan_targets (id, plan_id, item_id, baseline_option, target_option, review_on,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(str(t.id), str(plan.id), t.item_id, t.baseline_option, t.target_option, t.review_on.isoformat(),
                  ts(t.created_at), ts(t.updated_at)) for t in plan.targets])
            conn.executemany(
                "INSERT INTO plan_actions (id, plan_id, description, owner, agency, due_on, done_on, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(str(a.id), str(plan.id), a.description, a.owner, a.agency.value, a.due_on.isoformat(),
                  d(a.done_on), ts(a.created_at), ts(a.updated_at)) for a in plan.actions])
            self._audit(conn, "plan", plan.id, "saved", targets=len(plan.targets), actions=len(plan.actions),
                        active=plan.active)
        return plan


class AuditRepository(_Repo):
    def verify(self) -> AuditReport:
        with self._db.read() as conn:
            return audit.verify(conn)

    def entries_for(self, entity_id: uuid.UUID) -> list[AuditEntry]:
        with self._db.read() as conn:
            return audit.entries(conn, str(entity_id))

    def tail(self, n: int = 50) -> list[AuditEntry]:
        with self._db.read() as conn:
            return audit.entries(conn, limit=n)


# --- the facade ---------------------------------------------------------------------------------------


class Store:
    def __init__(self, db: EncryptedDatabase) -> None:
        self.db = db
        owner = db.guarded(lambda c: c.execute(
            "SELECT value FROM meta WHERE key = 'owner_professional_id'").fetchone())
        if owner is None:
            raise StoreCorrupt("This store has no owner record; it was not created by neglect_tool.")
        self.owner_id = uuid.UUID(owner[0])
        self.families = FamilyRepository(self)
        self.children = ChildRepository(self)
        self.professionals = ProfessionalRepository(self)
        self.rounds = RoundRepository(self)
        self.sheets = SheetRepository(self)
        self.consensus = ConsensusRepository(self)
        self.plans = PlanRepository(self)
        self.audit = AuditRepository(self)
        self.owner = self.professionals.get(self.owner_id)

    @classmethod
    def create(cls, path: Path, passphrase: str, *, owner: Professional, kdf: KdfParams = STORE_KDF) -> Store:
        db = EncryptedDatabase.create(Path(path), passphrase, kdf=kdf)
        try:
            migrate(db)
            with db.write() as conn:
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("format", STORE_FORMAT), ("store_id", str(uuid.uuid4())), ("created_at", ts(utc_now())),
                    ("owner_professional_id", str(owner.id)),
                ])
                ProfessionalRepository._insert(conn, owner)
                audit.append(conn, owner.id, "store", owner.id, "created")
            return cls(db)
        except BaseException:
            db.close()
            raise

    @classmethod
    def open(cls, path: Path, passphrase: str, *, kdf: KdfParams = STORE_KDF) -> Store:
        db = EncryptedDatabase.open(Path(path), passphrase, kdf=kdf)
        try:
            migrate(db)
            return cls(db)
        except BaseException:
            db.close()
            raise

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def is_open(self) -> bool:
        return self.db.is_open

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self) -> CheckReport:
        return self.db.check()

    def backup(self, dest: Path) -> Path:
        written = self.db.backup_to(Path(dest))
        with self.db.write() as conn:
            audit.append(conn, self.owner_id, "store", self.owner_id, "backup_written")
        return written

    def rekey(self, new_passphrase: str, *, kdf: KdfParams = STORE_KDF) -> None:
        self.db.rekey(new_passphrase, kdf=kdf)
        with self.db.write() as conn:
            audit.append(conn, self.owner_id, "store", self.owner_id, "passphrase_changed")
