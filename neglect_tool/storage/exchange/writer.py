"""Writing a record file atomically: temp file beside the destination (0600), every row in one
transaction, verified by opening the file a second time (HMAC of every page, structure), fsync, rename over
the final name, fsync of the folder. A crash at any point leaves either nothing or the previous file under
the final name, never a half-written one.

Speed: SQLCipher's key derivation from the passphrase (standard SQLCipher 4 settings, PBKDF2-HMAC-SHA512 with
256,000 iterations) is the one costly step, so `RecordTarget` starts it at once on a worker thread (SQLite
releases the GIL): the thread keys a connection to the temp file with the passphrase and creates the empty
schema, and the first page written makes SQLCipher derive the key. Meanwhile the caller gathers the case and
`write_record` stages every row in a private in-memory database (SQLite's memdb, never on disk). Once the
key is ready the rows are copied across in one `INSERT ... SELECT` per table, a few milliseconds.

The verification opens the file again through a second, independent pager on the same connection (`ATTACH`
without a key clause reuses the key already derived), so it reads every page back from disk without paying
for the key derivation twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from ...domain import SheetStatus, utc_now
from ...paths import fsync_dir, fsync_file, private_temp_beside
from ..connection import BATCH_STATEMENT_CACHE, Connection, connect_file, require_cipher, run_integrity_checks
from ..errors import WeakPassphrase
from ..keys import check_passphrase_strength
from ..store import content_hash
from . import content as rows
from .content import RecordContent
from .errors import ExportRefused, RecordCorrupt
from .format import (
    ANSWERS,
    AUDIT,
    CHILDREN,
    CONSENSUS,
    CONSENSUS_ITEMS,
    FAMILIES,
    FAMILY_PROFESSIONALS,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_FORMS,
    MAX_RECORD_BYTES,
    PLAN_ACTIONS,
    PLAN_TARGETS,
    PLANS,
    PROFESSIONALS,
    ROUNDS,
    SHEET_TEXTS,
    SHEETS,
    STANDARD_KDF_ITER,
    Manifest,
    Table,
    digest_rows,
    schema_statements,
    sort_by_key,
)


@dataclass(frozen=True, slots=True)
class WrittenRecord:
    path: Path
    manifest: Manifest
    bytes: int


def check_record_passphrase(passphrase: str) -> None:
    """The store's strength policy, and nothing SQLCipher would read as a raw key (x'...') instead."""
    check_passphrase_strength(passphrase)
    if passphrase[:2].lower() == "x'":
        raise WeakPassphrase("A record passphrase cannot start with x' (SQLCipher would read it as a raw key).")


def key_connection(conn: Connection, passphrase: str, kdf_iter: int) -> None:
    """Key with the passphrase itself (SQLCipher's own KDF, standard SQLCipher 4 settings). The key API
    takes the bytes as they are: no SQL is built from the passphrase, so any character is safe."""
    require_cipher(conn)
    conn.set_key(passphrase.encode("utf-8"))
    conn.execute("PRAGMA cipher_compatibility = 4")
    if kdf_iter != STANDARD_KDF_ITER:
        conn.execute(f"PRAGMA kdf_iter = {int(kdf_iter):d}")


class RecordTarget:
    """Where a new record goes: the destination checked, a private temp file beside it, and a connection to
    that file being keyed with the passphrase on a worker thread. Use it as a context manager: on leaving,
    whatever was not renamed into place is removed."""

    def __init__(self, dest: Path, passphrase: str, *, overwrite: bool = False,
                 kdf_iter: int = STANDARD_KDF_ITER) -> None:
        check_record_passphrase(passphrase)
        self.dest = Path(dest).resolve()
        if self.dest.is_dir():
            raise ExportRefused(f"{self.dest} is a folder; give a file name for the record.")
        if self.dest.exists() and not overwrite:
            raise ExportRefused(f"{self.dest} already exists; choose another name (or allow overwriting).")
        self.folder = self.dest.parent
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.tmp = private_temp_beside(self.dest)  # 0600 at once
        except OSError as exc:
            raise ExportRefused(f"Cannot write in {self.folder} ({exc.strerror or type(exc).__name__}).") from exc
        self._conn: Connection | None = None
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        try:
            self._conn = connect_file(self.tmp, create=False)  # no statement cache: see BATCH_STATEMENT_CACHE
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
            self.discard()
            raise ExportRefused(f"The record could not be written ({type(exc).__name__}); nothing was exported.") \
                from exc
        self._thread = threading.Thread(target=self._prepare, args=(self._conn, passphrase, kdf_iter),
                                        name="record-key", daemon=True)
        self._thread.start()

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()  # never touch or close a connection another thread is using

    def _prepare(self, conn: Connection, passphrase: str, kdf_iter: int) -> None:
        try:
            key_connection(conn, passphrase, kdf_iter)
            # The temp file is private and unnamed until it is verified and fsynced: it needs no journal on
            # disk and no fsync of its own mid-write (a crash leaves only a temp file, never a half record).
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("BEGIN IMMEDIATE")
            for statement in schema_statements():
                conn.execute(statement)
            conn.execute("COMMIT")  # the first page written: SQLCipher derives the key here
        except BaseException as exc:  # handed to the thread that waits, never lost
            self._failure = exc

    def connection(self) -> Connection:
        """The keyed connection with the empty schema, once the key derivation has finished."""
        self._join()
        if self._failure is not None:
            failure = self._failure
            if isinstance(failure, sqlcipher3.DatabaseError | sqlite3.DatabaseError | OSError):
                raise ExportRefused(f"The record could not be written ({type(failure).__name__}); nothing was "
                                    "exported.") from failure
            raise failure
        if self._conn is None:
            raise ExportRefused("The record was already written or discarded.")
        return self._conn

    def close_connection(self) -> None:
        self._join()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def discard(self) -> None:
        """Close the connection and remove the temp file and any journal it left (no-op once renamed)."""
        self.close_connection()
        for leftover in (self.tmp, self.tmp.with_name(self.tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

    def __enter__(self) -> RecordTarget:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()


def _content_rows(content: RecordContent) -> dict[Table, list[tuple[Any, ...]]]:
    return {
        MANIFEST_FORMS: [(f.form_id, f.form_version, f.sha256, f.toml) for f in content.forms],
        PROFESSIONALS: [rows.professional_row(p) for p in content.professionals],
        FAMILIES: [rows.family_row(f) for f in content.families],
        FAMILY_PROFESSIONALS: [(str(f), str(p)) for f, p in content.involvements],
        CHILDREN: [rows.child_row(c) for c in content.children],
        ROUNDS: [rows.round_row(r) for r in content.rounds],
        SHEETS: [rows.sheet_row(s, content_hash(s) if s.status is SheetStatus.SUBMITTED else None)
                 for s in content.sheets],
        ANSWERS: [a for s in content.sheets for a in rows.answer_rows(s)],
        SHEET_TEXTS: [t for s in content.sheets for t in rows.text_rows(s)],
        CONSENSUS: [rows.consensus_row(c) for c in content.consensus],
        CONSENSUS_ITEMS: [i for c in content.consensus for i in rows.consensus_item_rows(c)],
        PLANS: [rows.plan_row(p) for p in content.plans],
        PLAN_TARGETS: [t for p in content.plans for t in rows.target_rows(p)],
        PLAN_ACTIONS: [a for p in content.plans for a in rows.action_rows(p)],
        AUDIT: [rows.audit_row(e) for e in content.audit],
    }


def _insert(conn: Connection, table: Table, values: Sequence[Sequence[Any]]) -> None:
    if values:
        conn.executemany(f"INSERT INTO {table.name} ({table.column_list}) VALUES ({table.placeholders})",  # noqa: S608
                         values)


def verify_written_record(conn: Connection, tmp: Path) -> None:
    """Open the written file again (a second pager reading from disk) and check every page's HMAC and the
    database structure under the record's key."""
    try:
        conn.execute("ATTACH DATABASE ? AS verify", (f"{tmp.resolve().as_uri()}?mode=ro",))
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
        raise RecordCorrupt(f"The record failed verification after writing: it does not open ({type(exc).__name__})."
                            ) from exc
    try:
        cipher, integrity = run_integrity_checks_on(conn, "verify")
        if cipher or integrity:
            raise RecordCorrupt("The record failed verification after writing: " + "; ".join((*cipher, *integrity)))
    finally:
        conn.execute("DETACH DATABASE verify")


def run_integrity_checks_on(conn: Connection, schema: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if schema == "main":
        return run_integrity_checks(conn)
    if schema != "verify":
        raise ValueError("unknown schema name")
    try:
        cipher = tuple(str(r[0]) for r in conn.execute("PRAGMA verify.cipher_integrity_check").fetchall())
        rows_ = tuple(str(r[0]) for r in conn.execute("PRAGMA verify.integrity_check").fetchall())
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
        return (f"check failed: {type(exc).__name__}",), ()
    return cipher, tuple(r for r in rows_ if r != "ok")


def _stage(tables: Mapping[Table, Sequence[Sequence[Any]]]) -> tuple[Connection, str]:
    """Every row in a private in-memory database (memdb: visible to this process's connections only, never
    written to disk), ready to be copied into the record in one statement per table."""
    name = f"file:/neglect-record-{secrets.token_hex(16)}?vfs=memdb"
    stage = sqlcipher3.connect(name, uri=True, isolation_level=None, check_same_thread=False,
                               cached_statements=BATCH_STATEMENT_CACHE)
    try:
        stage.execute("BEGIN")
        for statement in schema_statements():
            stage.execute(statement)
        for table, values in tables.items():
            _insert(stage, table, values)  # in key order: B-tree appends, no page splits mid-tree
        stage.execute("COMMIT")
    except BaseException:
        stage.close()
        raise
    return stage, name


def write_record(content: RecordContent, target: RecordTarget, *, exported_by: uuid.UUID, app_version: str,
                 now: dt.datetime | None = None) -> WrittenRecord:
    """Write `content` into `target` and rename it into place. The target is discarded on any failure."""
    with target:
        if not content.families:
            raise ExportRefused("There is nothing to export.")
        try:
            tables = _content_rows(content)
            draft = Manifest(FORMAT_VERSION, app_version, now or utc_now(), exported_by, content.kind,
                             content.case_ref, "")
            tables[MANIFEST] = [row for row in draft.rows() if row[0] != "content_hash"]
            ordered = {t: sort_by_key(t, v) for t, v in tables.items()}
            digest = digest_rows({t.name: v for t, v in ordered.items()})
            manifest = dataclasses.replace(draft, content_hash=digest)
            ordered[MANIFEST] = [*ordered[MANIFEST], ("content_hash", digest)]
            stage, stage_name = _stage(ordered)
            try:
                conn = target.connection()  # waits for the key derivation
                conn.execute("ATTACH DATABASE ? AS stage KEY ''", (stage_name,))  # plaintext, memory only
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    for table in ordered:
                        # Both schemas come from schema_statements(), so SQLite's transfer optimisation copies
                        # the B-tree records as they are (it needs exactly this form: no column lists).
                        conn.execute(f"INSERT INTO main.{table.name} SELECT * FROM stage.{table.name}")  # noqa: S608
                    conn.execute("COMMIT")
                finally:
                    conn.execute("DETACH DATABASE stage")
            finally:
                stage.close()  # the memdb database is freed with its last connection
            verify_written_record(conn, target.tmp)
            target.close_connection()
            if os.name == "posix":
                os.chmod(target.tmp, 0o600)
            fsync_file(target.tmp)
            size = target.tmp.stat().st_size
            if size > MAX_RECORD_BYTES:
                raise ExportRefused(f"The record would be {size // 2**20} MiB, over the {MAX_RECORD_BYTES // 2**20} "
                                    "MiB an import accepts; export single sheets instead.")
            os.replace(target.tmp, target.dest)
            fsync_dir(target.folder)
            return WrittenRecord(target.dest, manifest, size)
        except (sqlcipher3.DatabaseError, sqlite3.DatabaseError, OSError) as exc:
            raise ExportRefused(f"The record could not be written ({type(exc).__name__}); nothing was exported."
                                ) from exc
