"""Writing a record file atomically: temp file beside the destination (0600), every row in one
transaction, verified by opening the file a second time (HMAC of every page, structure, content hash),
fsync, rename over the final name, fsync of the folder. A crash at any point leaves either nothing or the
previous file under the final name, never a half-written one.

The key: SQLCipher derives it from the passphrase with its standard settings (one PBKDF2 run per export).
The verification opens the file again through a second, independent pager on the same connection
(`ATTACH` without a key clause reuses the key already derived), so it reads every page back from disk
without paying for the key derivation twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from ...domain import SheetStatus, utc_now
from ...paths import fsync_dir, fsync_file, private_temp_beside
from ..connection import Connection, connect_file, require_cipher, run_integrity_checks
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


def _verify(conn: Connection, tmp: Path) -> None:
    """Open the written file again (a second pager reading from disk) and check every page's HMAC and the
    database structure."""
    conn.execute("ATTACH DATABASE ? AS verify", (f"{tmp.resolve().as_uri()}?mode=ro",))
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


def write_record(content: RecordContent, dest: Path, passphrase: str, *, exported_by: uuid.UUID,
                 app_version: str, overwrite: bool = False, kdf_iter: int = STANDARD_KDF_ITER,
                 now: dt.datetime | None = None) -> WrittenRecord:
    check_record_passphrase(passphrase)
    dest = Path(dest).resolve()
    if dest.is_dir():
        raise ExportRefused(f"{dest} is a folder; give a file name for the record.")
    if dest.exists() and not overwrite:
        raise ExportRefused(f"{dest} already exists; choose another name (or allow overwriting).")
    if not content.families:
        raise ExportRefused("There is nothing to export.")
    folder = dest.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = private_temp_beside(dest)  # 0600 at once
    except OSError as exc:
        raise ExportRefused(f"Cannot write in {folder} ({exc.strerror or type(exc).__name__}).") from exc
    conn: Connection | None = None
    try:
        conn = connect_file(tmp, create=False)
        key_connection(conn, passphrase, kdf_iter)
        # The temp file is private and unnamed until it is verified and fsynced: it needs no journal on disk
        # and no fsync of its own mid-write (a crash leaves only a temp file, never a half record).
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN IMMEDIATE")
        for statement in schema_statements():
            conn.execute(statement)
        tables = _content_rows(content)
        draft = Manifest(FORMAT_VERSION, app_version, now or utc_now(), exported_by, content.kind,
                         content.case_ref, "")
        tables[MANIFEST] = [row for row in draft.rows() if row[0] != "content_hash"]
        ordered = {t: sort_by_key(t, v) for t, v in tables.items()}
        for table, values in ordered.items():
            _insert(conn, table, values)  # in key order: B-tree appends, no page splits mid-tree
        digest = digest_rows({t.name: v for t, v in ordered.items()})
        manifest = dataclasses.replace(draft, content_hash=digest)
        _insert(conn, MANIFEST, [("content_hash", digest)])
        conn.execute("COMMIT")
        _verify(conn, tmp)
        conn.close()
        conn = None
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        fsync_file(tmp)
        size = tmp.stat().st_size
        if size > MAX_RECORD_BYTES:
            raise ExportRefused(f"The record would be {size // 2**20} MiB, over the {MAX_RECORD_BYTES // 2**20} MiB "
                                "an import accepts; export single sheets instead.")
        os.replace(tmp, dest)
        fsync_dir(folder)
        return WrittenRecord(dest, manifest, size)
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError, OSError) as exc:
        raise ExportRefused(f"The record could not be written ({type(exc).__name__}); nothing was exported.") from exc
    finally:
        if conn is not None:
            conn.close()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
