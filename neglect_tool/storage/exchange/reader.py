"""Opening and validating an incoming record file, before anything touches the store.

The checks, in order, each ending in a typed error with a clear message:
1. the file itself: exists, regular, not empty, at most 200 MB, not a known other kind of file (plain
   SQLite, PDF, ZIP...), a whole number of 4096-byte pages;
2. opened read-only and immutable (no journal, WAL or lock files are created or replayed), with
   trusted_schema OFF, query_only ON and a progress handler that aborts any query past the time budget;
3. the passphrase (SQLCipher reports a wrong key on the first read);
4. the manifest's format name and version (a newer format is refused as such);
5. the schema in sqlite_master must equal the expected one exactly: an extra table, index, trigger or
   view, or a changed column, refuses the file before any row is read;
6. SQLCipher's HMAC of every page and SQLite's structural check;
7. row counts, then every value checked in SQL (type, length, NUL bytes, control characters, UUID and
   code shapes, date and timestamp shapes, integer ranges) before a single row is fetched;
8. rows turned into domain objects (whose constructors apply every domain rule), references between
   them, the embedded forms (parsed with the strict form loader) and the answers against them;
9. the content hash of the manifest, each submitted sheet's own hash and each audit entry's own hash.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3

from ...domain import DomainError, SheetStatus
from ...forms.loader import MAX_FILE_BYTES as MAX_FORM_BYTES
from ...forms.loader import FormError, load_form_text
from ...forms.model import FormDefinition
from .. import connection
from ..audit import _entry_hash
from ..connection import FOREIGN_MAGIC, Connection, run_integrity_checks
from ..rows import to_dt
from ..store import content_hash
from . import content as rows
from .content import FormText, RecordContent
from .errors import NotARecord, RecordCorrupt, RecordInvalid, RecordTooLarge, RecordTooNew, UnsafeRecord
from .errors import WrongRecordPassphrase as WrongPassphrase
from .format import (
    ANSWERS,
    AUDIT,
    CHILDREN,
    CONSENSUS,
    CONSENSUS_ITEMS,
    FAMILIES,
    FAMILY_PROFESSIONALS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_FORMS,
    MANIFEST_KEYS,
    MAX_RECORD_BYTES,
    PAGE_SIZE,
    PLAN_ACTIONS,
    PLAN_TARGETS,
    PLANS,
    PROFESSIONALS,
    ROUNDS,
    SHEET_TEXTS,
    SHEETS,
    STANDARD_KDF_ITER,
    TABLES,
    Column,
    Kind,
    Manifest,
    RecordKind,
    Table,
    digest_rows,
    schema_statements,
    select_sql,
)
from .writer import key_connection

T = TypeVar("T")

_SQLITE_NOTADB = 26
_STORE_TABLES = {"meta", "audit_log", "erasure_permit"}
_UUID_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_CTRL_ANY = "*[" + chr(1) + "-" + chr(31) + chr(127) + "]*"
_CTRL_NOTE = "*[" + chr(1) + "-" + chr(8) + chr(11) + "-" + chr(31) + chr(127) + "]*"
_SAFE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,39}")


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """A record file that passed every check: its manifest, content and the forms it embeds."""

    path: Path
    manifest: Manifest
    content: RecordContent
    forms: dict[tuple[str, int], FormDefinition]


# --- 1. the file -----------------------------------------------------------------------------------------


def sniff_record_file(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> int:
    """Refuse what cannot be a record before any connection is opened. Returns the size."""
    try:
        if not path.exists():
            raise NotARecord(f"There is no file at {path}.")
        if path.is_dir():
            raise NotARecord(f"{path} is a folder, not a record file.")
        if not path.is_file():
            raise NotARecord(f"{path} is not a regular file.")
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise NotARecord(f"{path} cannot be read ({exc.strerror or type(exc).__name__}).") from exc
    if size == 0:
        raise NotARecord(f"{path} is empty (0 bytes): it is not a record file.")
    if size > max_bytes:
        raise RecordTooLarge(f"{path} is {size // 2**20} MiB; records over {max_bytes // 2**20} MiB are not "
                             "imported. Ask for single sheets instead.")
    for magic, what in FOREIGN_MAGIC:
        if head.startswith(magic):
            raise NotARecord(f"{path} is {what}, not an encrypted neglect_tool record.")
    if path.suffix.lower() == ".ntdb":
        raise NotARecord(f"{path} looks like a neglect_tool store, not an exported record: export a record "
                         "from the store that holds the case and import that.")
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise RecordCorrupt(f"{path} is {size} bytes, not a whole number of {PAGE_SIZE}-byte pages: it is "
                            "truncated or not a record. Ask for it to be sent again.")
    return size


# --- 2-3. opening ----------------------------------------------------------------------------------------


class _Budget:
    """A progress handler that aborts any statement once the time budget is spent."""

    def __init__(self, budget_ms: int) -> None:
        self.deadline = time.monotonic() + budget_ms / 1000
        self.budget_ms = budget_ms
        self.expired = False

    def __call__(self) -> int:
        if time.monotonic() > self.deadline:
            self.expired = True
            return 1
        return 0


class _Reader:
    def __init__(self, conn: Connection, budget: _Budget, path: Path) -> None:
        self.conn = conn
        self.budget = budget
        self.path = path
        self.tables: dict[str, list[Any]] = {}

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: BaseException) -> Exception:
        if self.budget.expired:
            return UnsafeRecord(f"Reading the record took longer than {self.budget.budget_ms / 1000:g} s: "
                                "refused (a file that takes this long is not one neglect_tool wrote).")
        return RecordCorrupt("The record file is damaged and could not be read; ask for it to be sent again. "
                             f"[{type(exc).__name__}]")

    @contextlib.contextmanager
    def guarded(self) -> Iterator[None]:
        try:
            yield
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self._failure(exc) from exc


def _open(path: Path, passphrase: str, kdf_iter: int, budget: _Budget) -> Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                              cached_statements=connection.BATCH_STATEMENT_CACHE)
    try:
        with contextlib.suppress(AttributeError):
            conn.enable_load_extension(False)
        for pragma in connection.SESSION_PRAGMAS:  # the store's session settings, read when used
            conn.execute(pragma)
        key_connection(conn, passphrase, kdf_iter)
        for pragma in ("PRAGMA trusted_schema = OFF", "PRAGMA query_only = ON", "PRAGMA cell_size_check = ON",
                       "PRAGMA temp_store = MEMORY", "PRAGMA mmap_size = 0"):
            conn.execute(pragma)
        conn.set_progress_handler(budget, 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            if getattr(exc, "sqlite_errorcode", None) == _SQLITE_NOTADB:
                raise WrongPassphrase() from exc
            raise _Reader(conn, budget, path)._failure(exc) from exc
        return conn
    except BaseException:
        conn.close()
        raise


# --- 4-5. manifest format and schema ---------------------------------------------------------------------


@cache
def expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    conn = sqlcipher3.connect(":memory:")
    try:
        for statement in schema_statements():
            conn.execute(statement)
        return frozenset(tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def _describe(entry: tuple[Any, ...]) -> str:
    kind = entry[0] if entry[0] in ("table", "index", "trigger", "view") else "object"
    name = entry[1] if isinstance(entry[1], str) and _SAFE_NAME.fullmatch(entry[1]) else "(unnamed)"
    return f"{kind} {name}"


def _check_format(reader: _Reader, actual: frozenset[tuple[Any, ...]]) -> None:
    names = {r[1] for r in actual if r[0] == "table"}
    manifest_ddl = next(r for r in expected_schema() if r[1] == MANIFEST.name)
    if manifest_ddl not in actual:
        if names >= _STORE_TABLES:
            raise NotARecord(f"{reader.path.name} is a neglect_tool store, not an exported record: export a "
                             "record from that store and import the record instead.")
        raise NotARecord(f"{reader.path.name} opens with this passphrase but is not a neglect_tool record.")
    found = dict(reader.query(
        "SELECT key, value FROM manifest WHERE key IN ('format', 'format_version') AND typeof(key) = 'text'"
        " AND typeof(value) = 'text' AND length(value) <= 64"))
    if found.get("format") != FORMAT_NAME:
        raise NotARecord(f"{reader.path.name} is not a neglect_tool record (its manifest names another format).")
    version = found.get("format_version", "")
    if not (isinstance(version, str) and version.isascii() and version.isdigit() and len(version) < 10):
        raise RecordInvalid("The record's format version is missing or not a number.")
    if int(version) > FORMAT_VERSION:
        raise RecordTooNew(f"This record was written by a newer version of neglect_tool (record format {version}; "
                           f"this version reads up to {FORMAT_VERSION}). Update the app to import it.")


def _check_schema(reader: _Reader) -> None:
    actual = frozenset(tuple(r) for r in reader.query("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    _check_format(reader, actual)
    expected = expected_schema()
    if actual != expected:
        extra = sorted(_describe(r) for r in actual - expected)
        missing = sorted(_describe(r) for r in expected - actual)
        parts = [f"unexpected {', '.join(extra[:4])}" if extra else "", f"changed or missing {', '.join(missing[:4])}"
                 if missing else ""]
        raise UnsafeRecord("The record's structure is not what neglect_tool writes ("
                           + "; ".join(p for p in parts if p) + "): refused without reading it.")


# --- 7. counts and values, in SQL --------------------------------------------------------------------------


def _condition(col: Column) -> tuple[str, tuple[Any, ...]]:
    x = col.name
    params: tuple[Any, ...]
    if col.kind is Kind.INT:
        cond, params = f"typeof({x}) = 'integer' AND {x} BETWEEN ? AND ?", (col.lo, col.hi)
    else:
        cond = f"typeof({x}) = 'text' AND instr(CAST({x} AS BLOB), x'00') = 0 AND length({x}) <= ?"
        params = (col.max_len,)
        if col.kind is Kind.UUID:
            cond, params = cond + f" AND length({x}) = 36 AND {x} GLOB ?", (*params, _UUID_GLOB)
        elif col.kind is Kind.CODE:
            cond += f" AND length({x}) >= 1 AND NOT {x} GLOB '*[^a-z0-9_-]*'"
        elif col.kind is Kind.HASH:
            cond += f" AND length({x}) = 64 AND NOT {x} GLOB '*[^0-9a-f]*'"
        elif col.kind is Kind.DATE:
            cond += f" AND length({x}) = 10 AND {x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
        elif col.kind is Kind.TIMESTAMP:
            cond += (f" AND length({x}) BETWEEN 19 AND 40 AND {x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'"
                     f" AND NOT {x} GLOB '*[^0-9T:.+Z-]*'")
        elif col.kind is Kind.NOTE:
            cond, params = cond + f" AND NOT {x} GLOB ?", (*params, _CTRL_NOTE)
        else:  # NAME
            cond, params = cond + f" AND NOT {x} GLOB ?", (*params, _CTRL_ANY)
    if col.nullable:
        cond = f"{x} IS NULL OR ({cond})"
    return f"sum(NOT coalesce(({cond}), 0))", params


def _check_values(reader: _Reader) -> None:
    for table in TABLES:
        (count,) = reader.query(f"SELECT count(*) FROM {table.name}")[0]  # noqa: S608 - constant names
        if count > table.max_rows:
            raise UnsafeRecord(f"The record has {count} rows in {table.name}, more than the {table.max_rows} "
                               "an export can hold: refused.")
        if not count:
            continue
        parts = [_condition(c) for c in table.columns]
        sql = f"SELECT {', '.join(p[0] for p in parts)} FROM {table.name}"  # noqa: S608 - constant names
        params = tuple(v for p in parts for v in p[1])
        bad = reader.query(sql, params)[0]
        for col, n in zip(table.columns, bad, strict=True):
            if n:
                raise UnsafeRecord(
                    f"The record holds {n} value(s) in {table.name}.{col.name} that an export never writes "
                    f"(wrong type, too long, NUL or control characters, or a malformed "
                    f"{'identifier' if col.kind in (Kind.UUID, Kind.CODE) else 'value'}): refused."
                )


# --- 8. rows to domain objects ---------------------------------------------------------------------------


def _build(what: str, fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except DomainError as exc:
        raise RecordInvalid(f"A {what} in the record is not valid: {exc}.") from exc
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
        raise RecordInvalid(f"A {what} in the record is not valid ({type(exc).__name__}).") from exc


def _select(reader: _Reader, table: Table) -> list[tuple[Any, ...]]:
    """Every row of `table` in primary-key order (each table is read once and kept for the content hash)."""
    if table.name not in reader.tables:
        reader.tables[table.name] = reader.query(select_sql(table))
    return reader.tables[table.name]


def _manifest(reader: _Reader) -> Manifest:
    values = dict(_select(reader, MANIFEST))
    if set(values) != MANIFEST_KEYS:
        raise RecordInvalid("The record's manifest does not hold exactly the entries an export writes.")

    def build() -> Manifest:
        digest = values["content_hash"]
        if len(digest) != 64:
            raise ValueError("hash")
        return Manifest(int(values["format_version"]), values["app_version"], to_dt(values["created_at"]),
                        uuid.UUID(values["exported_by"]), RecordKind(values["kind"]), values["case_ref"], digest)
    manifest: Manifest = _build("manifest entry", build)
    return manifest


def _group(items: list[tuple[Any, ...]], known: set[str], what: str) -> dict[str, list[tuple[Any, ...]]]:
    grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in items:
        if row[0] not in known:
            raise RecordInvalid(f"The record holds a {what} that belongs to nothing in it.")
        grouped[row[0]].append(row)
    return grouped


def _read_content(reader: _Reader, manifest: Manifest) -> RecordContent:
    professionals = tuple(_build("professional", rows.professional_from, r) for r in _select(reader, PROFESSIONALS))
    families = tuple(_build("family", rows.family_from, r) for r in _select(reader, FAMILIES))
    involvements = tuple((uuid.UUID(r[0]), uuid.UUID(r[1])) for r in _select(reader, FAMILY_PROFESSIONALS))
    children = tuple(_build("child", rows.child_from, r) for r in _select(reader, CHILDREN))
    rounds = tuple(_build("round", rows.round_from, r) for r in _select(reader, ROUNDS))
    sheet_rows = _select(reader, SHEETS)
    sheet_ids = {r[0] for r in sheet_rows}
    answers = _group(_select(reader, ANSWERS), sheet_ids, "answer")
    texts = _group(_select(reader, SHEET_TEXTS), sheet_ids, "free text")
    sheets = []
    for r in sheet_rows:
        sheet_answers = [_build("answer", rows.answer_from, a) for a in answers.get(r[0], ())]
        sheet = _build("rating sheet", rows.sheet_from, r, sheet_answers, {t[1]: t[2] for t in texts.get(r[0], ())})
        if (sheet.status is SheetStatus.SUBMITTED) != (r[12] is not None):
            raise RecordInvalid("A rating sheet in the record has a content hash that does not fit its status.")
        if r[12] is not None and content_hash(sheet) != r[12]:
            raise RecordCorrupt("A submitted rating sheet in the record no longer matches its own hash: the file "
                                "was altered after it was exported.")
        sheets.append(sheet)
    consensus_rows = _select(reader, CONSENSUS)
    items = _group(_select(reader, CONSENSUS_ITEMS), {r[0] for r in consensus_rows}, "consensus item")
    consensus = tuple(_build("consensus", rows.consensus_from, r,
                             [_build("consensus item", rows.consensus_item_from, i) for i in items.get(r[0], ())])
                      for r in consensus_rows)
    plan_rows = _select(reader, PLANS)
    plan_ids = {r[0] for r in plan_rows}
    targets = _group([(r[1], *r) for r in _select(reader, PLAN_TARGETS)], plan_ids, "plan target")
    actions = _group([(r[1], *r) for r in _select(reader, PLAN_ACTIONS)], plan_ids, "plan action")
    plans = tuple(_build("plan", rows.plan_from, r,
                         [_build("plan target", rows.target_from, t[1:]) for t in targets.get(r[0], ())],
                         [_build("plan action", rows.action_from, a[1:]) for a in actions.get(r[0], ())])
                  for r in plan_rows)
    audit_rows = _select(reader, AUDIT)
    for a in audit_rows:
        if _entry_hash(a[7], a[0], a[1], a[2], a[3], a[4], a[5], a[6]) != a[8]:
            raise RecordCorrupt("An audit entry in the record was changed after it was written.")
    audit = tuple(_build("audit entry", rows.audit_from, a) for a in audit_rows)
    forms = tuple(FormText(r[0], int(r[1]), r[3]) for r in _select(reader, MANIFEST_FORMS)
                  if _check_form_hash(r))
    return RecordContent(kind=manifest.kind, case_ref=manifest.case_ref, families=families, children=children,
                         professionals=professionals, involvements=involvements, rounds=rounds,
                         sheets=tuple(sheets), consensus=consensus, plans=plans, audit=audit, forms=forms)


def _check_form_hash(r: tuple[Any, ...]) -> bool:
    if FormText(r[0], int(r[1]), r[3]).sha256 != r[2]:
        raise RecordCorrupt("A form definition embedded in the record does not match its hash.")
    return True


def _unique(values: list[T], what: str) -> set[T]:
    found = set(values)
    if len(found) != len(values):
        raise RecordInvalid(f"The record holds the same {what} twice.")
    return found


def _check_references(c: RecordContent, m: Manifest) -> None:
    def need(ok: bool, what: str) -> None:
        if not ok:
            raise RecordInvalid(f"The record is inconsistent: {what}.")

    need(len(c.families) == 1, "it must hold exactly one case")
    family = c.families[0]
    need(family.case_ref == m.case_ref, "the manifest names another case")
    pros = {p.id for p in c.professionals}
    need(m.exported_by in pros, "the professional who exported it is not in it")
    child_ids = {ch.id for ch in c.children}
    need(all(ch.family_id == family.id for ch in c.children), "a child belongs to another case")
    need(all(f == family.id and p in pros for f, p in c.involvements), "a professional link points nowhere")
    round_ids = {r.id for r in c.rounds}
    need(all(r.child_id in child_ids for r in c.rounds), "a round belongs to no child in it")
    sheet_ids = {s.id for s in c.sheets}
    need(all(s.round_id in round_ids for s in c.sheets), "a sheet belongs to no round in it")
    need(all(s.professional_id is None or s.professional_id in pros for s in c.sheets), "a sheet's rater is missing")
    need(all(s.supersedes is None or s.supersedes in sheet_ids for s in c.sheets),
         "an amended sheet's earlier version is missing")
    need(all(x.round_id in round_ids for x in c.consensus) and all(x.round_id in round_ids for x in c.plans),
         "a consensus or plan belongs to no round")
    _unique([x.round_id for x in c.consensus], "round's consensus")
    _unique([x.round_id for x in c.plans], "round's plan")
    _unique([t.id for p in c.plans for t in p.targets] + [a.id for p in c.plans for a in p.actions], "plan entry")
    if m.kind is RecordKind.SHEET:
        need(len(c.children) == 1 and len(c.rounds) == 1 and bool(c.sheets), "a sheet record holds one sheet")
        need(not c.consensus and not c.plans and not c.involvements, "a sheet record holds only a sheet")


# --- the embedded forms ----------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _parse_form(toml: str, source: str) -> FormDefinition:
    return load_form_text(toml, source)


def _forms(c: RecordContent) -> dict[tuple[str, int], FormDefinition]:
    forms: dict[tuple[str, int], FormDefinition] = {}
    for text in c.forms:
        if len(text.toml.encode("utf-8")) > MAX_FORM_BYTES:
            raise UnsafeRecord("A form definition embedded in the record is too large: refused.")
        try:
            form = _parse_form(text.toml, f"{text.form_id} v{text.form_version} (embedded in the record)")
        except FormError as exc:
            raise RecordInvalid(f"A form definition embedded in the record is not valid: {exc}") from exc
        if form.key != text.key:
            raise RecordInvalid("A form definition embedded in the record is filed under another id or version.")
        forms[form.key] = form
    for key in c.form_keys():
        if key not in forms:
            raise RecordInvalid(f"The record does not embed form {key[0]} version {key[1]}, which its sheets use.")
    for sheet in c.sheets:
        form = forms[(sheet.form_id, sheet.form_version)]
        sections = {f.id for f in form.free_text}
        for answer in sheet.answers.values():
            _check_option(form, answer.item_id, answer.option)
        if any(k not in sections for k in sheet.free_text):
            raise RecordInvalid("A rating sheet in the record has free text for a section its form does not have.")
    for consensus in c.consensus:
        form = forms[(consensus.form_id, consensus.form_version)]
        for item in consensus.items.values():
            _check_option(form, item.item_id, item.agreed_option)
    return forms


def _check_option(form: FormDefinition, item_id: str, option: str | None) -> None:
    try:
        item = form.item(item_id)
    except KeyError:
        raise RecordInvalid(f"The record answers an item that form {form.id} v{form.version} does not have.") from None
    if option is not None and option not in form.scale_for(item).codes():
        raise RecordInvalid(f"The record gives an answer that form {form.id} v{form.version} does not offer.")


# --- the whole check -------------------------------------------------------------------------------------


def default_budget_ms(size: int) -> int:
    """5 s, plus 0.1 s per MiB: ample for any file an export writes, short for a query that never ends."""
    return 5_000 + 100 * (size // 2**20)


def open_record(path: Path, passphrase: str, *, kdf_iter: int = STANDARD_KDF_ITER,
                time_budget_ms: int | None = None, max_bytes: int = MAX_RECORD_BYTES) -> LoadedRecord:
    """Validate the record at `path` completely and return its content. Raises a RecordError subclass."""
    path = Path(path)
    size = sniff_record_file(path, max_bytes)
    if not passphrase:
        raise WrongPassphrase("Enter the record's passphrase (the one the sender gave you).")
    if passphrase[:2].lower() == "x'":
        raise WrongPassphrase()
    budget = _Budget(time_budget_ms if time_budget_ms is not None else default_budget_ms(size))
    conn = _open(path, passphrase, kdf_iter, budget)
    try:
        reader = _Reader(conn, budget, path)
        _check_schema(reader)
        with reader.guarded():
            cipher, integrity = run_integrity_checks(conn)
        if budget.expired:
            raise reader._failure(TimeoutError())
        if cipher or integrity:
            raise RecordCorrupt("The record file is damaged (its pages fail SQLCipher's or SQLite's checks); ask "
                                "for it to be sent again.")
        _check_values(reader)
        manifest = _manifest(reader)
        for table in TABLES:
            _select(reader, table)
        if digest_rows(reader.tables) != manifest.content_hash:
            raise RecordCorrupt("The record's content does not match its hash: it was altered after it was "
                                "exported. Ask for it to be sent again.")
        content = _read_content(reader, manifest)
        _check_references(content, manifest)
        forms = _forms(content)
        return LoadedRecord(path, manifest, content, forms)
    except (UnicodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RecordCorrupt(f"The record file could not be read ({type(exc).__name__}).") from exc
    finally:
        conn.close()
