"""The record file format (`.ntrec`): a SQLCipher 4 database with its own passphrase.

Encryption: SQLCipher 4's standard passphrase settings, so any SQLCipher 4 client opens a record with the
passphrase alone: PBKDF2-HMAC-SHA512 with 256,000 iterations and a random 16-byte salt (the file's first
16 bytes), AES-256-CBC, HMAC-SHA512 per 4096-byte page, no plaintext header. The store's Argon2id key is
never used for a record.

Content: one table per kind of row, keyed by the entities' UUIDs (never the store's internal numbers),
plus `manifest` (what the file is, who wrote it, a hash of the content) and `manifest_forms` (the TOML
text of every form the sheets use, so a receiver without that form version can still read them).

The schema below is the whole of what an import accepts: every table, column and type is fixed; an
extra table, index, trigger or view makes a file unsafe. Tables are plain (no STRICT, no CHECK) so older
SQLCipher 4 tools such as DB Browser for SQLite open them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

FORMAT_NAME = "neglect-tool-record"
FORMAT_VERSION = 1
RECORD_SUFFIX = ".ntrec"
MAX_RECORD_BYTES = 200 * 1024 * 1024
PAGE_SIZE = 4096
# SQLCipher 4's default passphrase key derivation (cipher_compatibility = 4). Tests pass a lower count,
# exactly as the store's tests use FAST_TEST_KDF: never for real records.
STANDARD_KDF_ITER = 256_000


class RecordKind(StrEnum):
    CASE = "case"  # a family, its children, professionals, rounds, sheets, consensus, plan and audit
    SHEET = "sheet"  # one rating sheet (all its versions) and the identifiers needed to place it


class Kind(StrEnum):
    """What a column may hold; the import checks every value against it in SQL before reading rows."""

    UUID = "uuid"  # a lower-case canonical UUID (36 characters)
    CODE = "code"  # an id or option code from a form: a-z, 0-9, '_' and '-'
    NAME = "name"  # one line of text, no control characters
    NOTE = "note"  # text that may hold newlines and tabs, no other control characters
    TIMESTAMP = "timestamp"  # ISO 8601 with a time zone
    DATE = "date"  # ISO 8601 date
    INT = "int"
    HASH = "hash"  # 64 lower-case hex digits


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = False
    max_len: int = 200  # characters, for text kinds
    lo: int = 0  # for INT
    hi: int = 1

    @property
    def sql_type(self) -> str:
        return "INTEGER" if self.kind is Kind.INT else "TEXT"


def _c(name: str, kind: Kind, *, null: bool = False, max_len: int = 200, lo: int = 0, hi: int = 1) -> Column:
    return Column(name, kind, null, max_len, lo, hi)


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    max_rows: int
    without_rowid: bool = True

    @property
    def column_list(self) -> str:
        return ", ".join(c.name for c in self.columns)

    @property
    def placeholders(self) -> str:
        return ", ".join("?" for _ in self.columns)

    def ddl(self) -> str:
        cols = ", ".join(f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns)
        tail = " WITHOUT ROWID" if self.without_rowid else ""
        return f"CREATE TABLE {self.name} ({cols}, PRIMARY KEY ({', '.join(self.primary_key)})){tail}"


_MAX_NOTE = 20_000
_MAX_SHORT = 2_000
_MAX_TOML = 1024 * 1024
_TS = Kind.TIMESTAMP
_STAMPS = (_c("created_at", _TS), _c("updated_at", _TS))

MANIFEST = Table("manifest", (_c("key", Kind.CODE, max_len=64), _c("value", Kind.NAME, max_len=200)), ("key",), 32)
MANIFEST_FORMS = Table("manifest_forms", (
    _c("form_id", Kind.CODE, max_len=64), _c("form_version", Kind.INT, lo=1, hi=1_000_000),
    _c("sha256", Kind.HASH), _c("toml", Kind.NOTE, max_len=_MAX_TOML),
), ("form_id", "form_version"), 32)
PROFESSIONALS = Table("professionals", (
    _c("id", Kind.UUID), _c("name", Kind.NAME), _c("role", Kind.NAME), _c("agency", Kind.CODE, max_len=64),
    _c("organisation", Kind.NAME), _c("contact", Kind.NAME), *_STAMPS,
), ("id",), 1_000)
FAMILIES = Table("families", (
    _c("id", Kind.UUID), _c("case_ref", Kind.NAME, max_len=64), _c("family_name", Kind.NAME),
    _c("address_note", Kind.NOTE, max_len=_MAX_SHORT), _c("consent_sought", Kind.INT, null=True),
    _c("notes", Kind.NOTE, max_len=_MAX_NOTE), *_STAMPS,
), ("id",), 1)
FAMILY_PROFESSIONALS = Table("family_professionals", (
    _c("family_id", Kind.UUID), _c("professional_id", Kind.UUID),
), ("family_id", "professional_id"), 1_000)
CHILDREN = Table("children", (
    _c("id", Kind.UUID), _c("family_id", Kind.UUID), _c("given_names", Kind.NAME), _c("family_name", Kind.NAME),
    _c("date_of_birth", Kind.DATE), _c("sex_gender", Kind.NAME, max_len=64), _c("case_number", Kind.NAME, max_len=64),
    _c("nhs_number", Kind.NAME, null=True, max_len=10), _c("disability_or_delay", Kind.INT),
    _c("development_consultee", Kind.NOTE, max_len=_MAX_SHORT), _c("conditions", Kind.NAME, max_len=_MAX_SHORT),
    *_STAMPS,
), ("id",), 100)
ROUNDS = Table("rounds", (
    _c("id", Kind.UUID), _c("child_id", Kind.UUID), _c("held_on", Kind.DATE), _c("purpose", Kind.CODE, max_len=64),
    _c("status", Kind.CODE, max_len=64), _c("next_review_on", Kind.DATE, null=True), _c("title", Kind.NAME),
    *_STAMPS,
), ("id",), 2_000)
SHEETS = Table("sheets", (
    _c("id", Kind.UUID), _c("round_id", Kind.UUID), _c("rater_kind", Kind.CODE, max_len=64),
    _c("professional_id", Kind.UUID, null=True), _c("rater_name", Kind.NAME), _c("form_id", Kind.CODE, max_len=64),
    _c("form_version", Kind.INT, lo=1, hi=1_000_000), _c("status", Kind.CODE, max_len=64),
    _c("submitted_at", _TS, null=True), _c("version", Kind.INT, lo=1, hi=100_000),
    _c("supersedes", Kind.UUID, null=True), _c("amendment_reason", Kind.NOTE, max_len=_MAX_SHORT),
    _c("content_hash", Kind.HASH, null=True), *_STAMPS,
), ("id",), 20_000)
ANSWERS = Table("answers", (
    _c("sheet_id", Kind.UUID), _c("item_id", Kind.CODE, max_len=64), _c("option", Kind.CODE, null=True, max_len=64),
    _c("note", Kind.NOTE, max_len=_MAX_NOTE), _c("source", Kind.CODE, null=True, max_len=64),
    _c("recency", Kind.CODE, null=True, max_len=64), _c("answered_at", _TS, null=True),
), ("sheet_id", "item_id"), 2_000_000)
SHEET_TEXTS = Table("sheet_texts", (
    _c("sheet_id", Kind.UUID), _c("section_id", Kind.CODE, max_len=64), _c("body", Kind.NOTE, max_len=_MAX_NOTE),
), ("sheet_id", "section_id"), 200_000)
CONSENSUS = Table("consensus", (
    _c("id", Kind.UUID), _c("round_id", Kind.UUID), _c("form_id", Kind.CODE, max_len=64),
    _c("form_version", Kind.INT, lo=1, hi=1_000_000), _c("status", Kind.CODE, max_len=64),
    _c("finalised_at", _TS, null=True), *_STAMPS,
), ("id",), 2_000)
CONSENSUS_ITEMS = Table("consensus_items", (
    _c("consensus_id", Kind.UUID), _c("item_id", Kind.CODE, max_len=64),
    _c("agreed_option", Kind.CODE, null=True, max_len=64), _c("rationale", Kind.NOTE, max_len=_MAX_NOTE),
    _c("unresolved", Kind.INT), _c("escalation_owner", Kind.NAME), _c("escalate_by", Kind.DATE, null=True),
), ("consensus_id", "item_id"), 500_000)
PLANS = Table("plans", (
    _c("id", Kind.UUID), _c("round_id", Kind.UUID), _c("active", Kind.INT), *_STAMPS,
), ("id",), 2_000)
PLAN_TARGETS = Table("plan_targets", (
    _c("id", Kind.UUID), _c("plan_id", Kind.UUID), _c("item_id", Kind.CODE, max_len=64),
    _c("baseline_option", Kind.CODE, null=True, max_len=64), _c("target_option", Kind.CODE, max_len=64),
    _c("review_on", Kind.DATE), *_STAMPS,
), ("id",), 50_000)
PLAN_ACTIONS = Table("plan_actions", (
    _c("id", Kind.UUID), _c("plan_id", Kind.UUID), _c("description", Kind.NOTE, max_len=_MAX_SHORT),
    _c("owner", Kind.NAME), _c("agency", Kind.CODE, max_len=64), _c("due_on", Kind.DATE),
    _c("done_on", Kind.DATE, null=True), *_STAMPS,
), ("id",), 50_000)
AUDIT = Table("audit", (
    _c("seq", Kind.INT, lo=1, hi=2**62), _c("at", _TS), _c("actor_id", Kind.UUID),
    _c("entity", Kind.CODE, max_len=64), _c("entity_id", Kind.UUID), _c("action", Kind.CODE, max_len=64),
    _c("detail", Kind.NAME, max_len=_MAX_SHORT), _c("prev_hash", Kind.HASH), _c("hash", Kind.HASH),
), ("seq",), 2_000_000, without_rowid=False)

# Parents before children: the order rows are written, checked and hashed in.
TABLES: tuple[Table, ...] = (
    MANIFEST, MANIFEST_FORMS, PROFESSIONALS, FAMILIES, FAMILY_PROFESSIONALS, CHILDREN, ROUNDS, SHEETS, ANSWERS,
    SHEET_TEXTS, CONSENSUS, CONSENSUS_ITEMS, PLANS, PLAN_TARGETS, PLAN_ACTIONS, AUDIT,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


def schema_statements() -> tuple[str, ...]:
    return tuple(t.ddl() for t in TABLES)


# --- the manifest ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a record file is, who wrote it and when, and the hash of its content."""

    format_version: int
    app_version: str
    created_at: dt.datetime
    exported_by: uuid.UUID  # the exporting store's owner (a professional in the file)
    kind: RecordKind
    case_ref: str
    content_hash: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("format", FORMAT_NAME), ("format_version", str(self.format_version)),
            ("app_version", self.app_version), ("created_at", self.created_at.astimezone(dt.UTC).isoformat()),
            ("exported_by", str(self.exported_by)), ("kind", self.kind.value), ("case_ref", self.case_ref),
            ("content_hash", self.content_hash),
        ]


MANIFEST_KEYS = frozenset(key for key, _ in Manifest(1, "", dt.datetime.now(dt.UTC), uuid.UUID(int=0),
                                                     RecordKind.CASE, "", "").rows())


# --- the content hash --------------------------------------------------------------------------------


_CHUNK_ROWS = 512


def digest_rows(tables: Mapping[str, Sequence[Sequence[Any]]]) -> str:
    """sha256 over the canonical serialisation of the content: for each table in TABLES order a header line
    (name and columns), then its rows in primary-key order, in chunks of 512 rows, each chunk a compact JSON
    array on its own line. The manifest's own `content_hash` row is left out. `tables` holds each table's rows
    already in primary-key order (as `ORDER BY` the key columns returns them)."""
    digest = hashlib.sha256()
    for table in TABLES:
        digest.update(json.dumps([table.name, [c.name for c in table.columns]]).encode("utf-8") + b"\n")
        rows = tables.get(table.name, ())
        if table is MANIFEST:
            rows = [r for r in rows if r[0] != "content_hash"]
        for start in range(0, len(rows), _CHUNK_ROWS):
            chunk = [list(r) for r in rows[start:start + _CHUNK_ROWS]]
            digest.update(json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    return digest.hexdigest()


def sort_by_key(table: Table, rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """Rows in the order SQLite's `ORDER BY` the primary key returns them (text compares by code point, which
    is the byte order of UTF-8 that SQLite's BINARY collation uses)."""
    index = [i for key in table.primary_key for i, c in enumerate(table.columns) if c.name == key]
    return sorted(rows, key=lambda r: tuple(r[i] for i in index))


def select_sql(table: Table) -> str:
    return f"SELECT {table.column_list} FROM {table.name} ORDER BY {', '.join(table.primary_key)}"  # noqa: S608


def content_digest(conn: Any) -> str:
    """The content hash of the record open on `conn`, read back with SQL."""
    return digest_rows({t.name: conn.execute(select_sql(t)).fetchall() for t in TABLES})
