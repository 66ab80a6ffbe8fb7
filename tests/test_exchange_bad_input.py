"""Bad record files: each gives its own typed error with a clear message, and the receiving store stays
byte-for-byte the same (store file and WAL hashed before and after every attempt)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from neglect_tool.services import sharing
from neglect_tool.storage.exchange import (
    NotARecord,
    Outcome,
    RecordCorrupt,
    RecordError,
    RecordInvalid,
    RecordTooLarge,
    RecordTooNew,
    UnsafeRecord,
    WrongRecordPassphrase,
    open_record,
)
from neglect_tool.storage.exchange.format import content_digest
from neglect_tool.storage.exchange.reader import _Budget, _open, _Reader
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.schema import MIGRATIONS
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .test_exchange_helpers import (
    CASE_REF,
    FAST_ITER,
    RECORD_PASSPHRASE,
    audit_count,
    build_small_case,
    fingerprint,
    tamper,
)

PAGE = 4096


@pytest.fixture(scope="module")
def sender(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, bytes]]:
    from neglect_tool.domain import Agency, Professional

    folder = tmp_path_factory.mktemp("sender")
    store = Store.create(folder / "a.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                         owner=Professional(name="Sender Testperson", role="GP", agency=Agency.HEALTH))
    build_small_case(store)
    path = sharing.export_case(store, CASE_REF, RECORD_PASSPHRASE, folder / "good.ntrec", kdf_iter=FAST_ITER).path
    try:
        yield store, path.read_bytes()
    finally:
        store.close()


@pytest.fixture
def good(sender: tuple[Store, bytes], tmp_path: Path) -> Path:
    path = tmp_path / "incoming" / "case.ntrec"
    path.parent.mkdir()
    path.write_bytes(sender[1])
    return path


def _refused(store: Store, path: Path, error: type[RecordError], match: str = "",
             passphrase: str = RECORD_PASSPHRASE) -> RecordError:
    before, entries = fingerprint(store.path), audit_count(store)
    with pytest.raises(error, match=match) as caught:
        record = sharing.read_record(path, passphrase, kdf_iter=FAST_ITER)
        sharing.preview_import(store, record)
        sharing.apply_import(store, record)
    assert fingerprint(store.path) == before and audit_count(store) == entries
    assert str(caught.value)  # a message for the user
    return caught.value


def _rehash(record: Path) -> str:
    """The SQL that stores a fresh content hash (so a test reaches the checks behind the hash check)."""
    conn = sqlcipher3.connect(str(record))
    try:
        conn.set_key(RECORD_PASSPHRASE.encode())
        conn.execute(f"PRAGMA kdf_iter = {FAST_ITER:d}")
        digest = content_digest(conn)
    finally:
        conn.close()
    return f"UPDATE manifest SET value = '{digest}' WHERE key = 'content_hash'"


def test_the_valid_record_imports(fresh_store: Store, good: Path) -> None:
    plan = sharing.apply_import(fresh_store, sharing.read_record(good, RECORD_PASSPHRASE, kdf_iter=FAST_ITER))
    assert plan.count("sheet", Outcome.NEW) == 3
    assert fresh_store.families.get_by_ref(CASE_REF).case_ref == CASE_REF


def test_wrong_passphrase(fresh_store: Store, good: Path) -> None:
    _refused(fresh_store, good, WrongRecordPassphrase, "passphrase does not open",
             passphrase="not-the-right-one-at-all")
    _refused(fresh_store, good, WrongRecordPassphrase, "Enter the record", passphrase="")


def test_empty_truncated_and_bit_flipped_files(fresh_store: Store, good: Path) -> None:
    data = good.read_bytes()
    good.write_bytes(b"")
    _refused(fresh_store, good, NotARecord, "empty")
    good.write_bytes(data[: len(data) - 100])
    _refused(fresh_store, good, RecordCorrupt, "truncated")
    good.write_bytes(data[: len(data) - PAGE])  # cut exactly on a page boundary
    _refused(fresh_store, good, RecordCorrupt, "damaged")
    good.write_bytes(data[:PAGE])
    _refused(fresh_store, good, RecordCorrupt, "damaged")
    flipped = bytearray(data)
    flipped[3 * PAGE + 777] ^= 0x10  # a page after the first: its HMAC fails
    good.write_bytes(bytes(flipped))
    _refused(fresh_store, good, RecordCorrupt, "damaged")
    flipped = bytearray(data)
    flipped[100] ^= 0x01  # the first page: indistinguishable from a wrong passphrase, and said so
    good.write_bytes(bytes(flipped))
    _refused(fresh_store, good, WrongRecordPassphrase, "damaged")
    good.write_bytes(data + bytes(PAGE))  # a page of zeros appended
    _refused(fresh_store, good, RecordCorrupt, "damaged")


def test_other_kinds_of_file(fresh_store: Store, good: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.ntrec"
    conn = sqlcipher3.connect(str(plain))
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    _refused(fresh_store, plain, NotARecord, "unencrypted SQLite")
    pdf = tmp_path / "summary.ntrec"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(PAGE * 2))
    _refused(fresh_store, pdf, NotARecord, "PDF")
    _refused(fresh_store, fresh_store.path, NotARecord, "store, not an exported record")
    renamed = tmp_path / "store-copy.ntrec"
    fresh_store.close()
    shutil.copy(Path(str(fresh_store.path)), renamed)
    reopened = Store.open(fresh_store.path, PASSPHRASE, kdf=FAST_TEST_KDF)
    try:
        _refused(reopened, renamed, WrongRecordPassphrase, "not an exported record")
        keyed_store = tmp_path / "keyed-store.ntrec"  # the store's schema under a record passphrase
        tamper(keyed_store, *(s for m in MIGRATIONS for s in m.statements))
        _refused(reopened, keyed_store, NotARecord, "is a neglect_tool store")
        other = tmp_path / "other.ntrec"  # some other SQLCipher database that opens with the passphrase
        tamper(other, "CREATE TABLE notes (body TEXT)")
        _refused(reopened, other, NotARecord, "not a neglect_tool record")
        folder = tmp_path / "folder.ntrec"
        folder.mkdir()
        _refused(reopened, folder, NotARecord, "folder")
        _refused(reopened, tmp_path / "missing.ntrec", NotARecord, "no file")
    finally:
        reopened.close()


def test_future_format_version_and_size_limit(fresh_store: Store, good: Path) -> None:
    tamper(good, "UPDATE manifest SET value = '2' WHERE key = 'format_version'")
    _refused(fresh_store, good, RecordTooNew, "newer version")
    before = fingerprint(fresh_store.path)
    with pytest.raises(RecordTooLarge, match="MiB"):
        open_record(good, RECORD_PASSPHRASE, kdf_iter=FAST_ITER, max_bytes=PAGE)
    assert fingerprint(fresh_store.path) == before


@pytest.mark.parametrize("statement", [
    "CREATE TRIGGER sneaky AFTER INSERT ON answers BEGIN SELECT 1; END",
    "CREATE VIEW forever AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n",
    "CREATE INDEX answers_note ON answers (note)",
    "CREATE TABLE extra (x TEXT)",
    "ALTER TABLE answers ADD COLUMN extra TEXT",
], ids=["trigger", "looping-view", "index", "table", "column"])
def test_hostile_schema_is_refused_before_any_row_is_read(fresh_store: Store, good: Path, statement: str) -> None:
    tamper(good, statement)
    _refused(fresh_store, good, UnsafeRecord, "structure is not what neglect_tool writes")


def test_a_table_replaced_by_a_looping_view(fresh_store: Store, good: Path) -> None:
    tamper(good, "DROP TABLE sheet_texts",
           "CREATE VIEW sheet_texts AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
           " SELECT i AS sheet_id, i AS section_id, i AS body FROM n")
    started = time.monotonic()
    error = _refused(fresh_store, good, UnsafeRecord, "structure")
    assert "view" in str(error) and time.monotonic() - started < 5


def test_query_time_budget_aborts_a_query_that_never_ends(good: Path) -> None:
    budget = _Budget(300)
    conn = _open(good, RECORD_PASSPHRASE, FAST_ITER, budget)
    try:
        started = time.monotonic()
        with pytest.raises(UnsafeRecord, match=r"took longer than 0\.3 s"):
            _Reader(conn, budget, good).query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
        assert time.monotonic() - started < 3
    finally:
        conn.close()


@pytest.mark.parametrize(("statement", "where"), [
    ("UPDATE answers SET note = printf('%.30000c', 'x') WHERE item_id = (SELECT min(item_id) FROM answers)",
     "answers.note"),
    ("UPDATE children SET given_names = 'Tam' || char(0) || 'sin'", "children.given_names"),
    ("UPDATE children SET family_name = 'Quill' || char(27) || '[31mfeather'", "children.family_name"),
    ("UPDATE families SET case_ref = 'TS' || char(10) || '2026'", "families.case_ref"),
    ("UPDATE sheets SET id = '../../../etc/passwd' WHERE version = 1 AND rater_kind = 'parent_carer'",
     "sheets.id"),
    ("UPDATE answers SET item_id = '../x' WHERE item_id = (SELECT min(item_id) FROM answers)", "answers.item_id"),
    ("UPDATE sheets SET version = 'one'", "sheets.version"),
    ("UPDATE sheets SET form_version = 1.5", "sheets.form_version"),
    ("UPDATE answers SET note = x'00ff' WHERE item_id = (SELECT min(item_id) FROM answers)", "answers.note"),
    ("UPDATE rounds SET held_on = '2026-03-02; DROP TABLE x'", "rounds.held_on"),
    ("UPDATE audit SET detail = printf('%.3000c', 'x')", "audit.detail"),
], ids=["huge-note", "nul", "escape", "newline-in-name", "path-id", "path-item", "text-int", "real", "blob",
        "bad-date", "huge-audit"])
def test_hostile_values_are_refused_in_sql(fresh_store: Store, good: Path, statement: str, where: str) -> None:
    tamper(good, statement)
    error = _refused(fresh_store, good, UnsafeRecord, "never writes")
    assert where in str(error)


def test_altered_content_fails_the_content_hash(fresh_store: Store, good: Path) -> None:
    tamper(good, "UPDATE answers SET note = 'Changed later.' WHERE item_id = (SELECT min(item_id) FROM answers)")
    _refused(fresh_store, good, RecordCorrupt, "does not match its hash")


def test_deeper_checks_behind_a_recomputed_hash(fresh_store: Store, good: Path, tmp_path: Path) -> None:
    original = good.read_bytes()
    cases = [
        ("UPDATE answers SET option = 'no' WHERE sheet_id IN (SELECT id FROM sheets WHERE status = 'submitted')",
         RecordCorrupt, "its own hash"),
        ("UPDATE audit SET action = 'erased' WHERE seq = (SELECT min(seq) FROM audit)", RecordCorrupt, "audit entry"),
        ("DELETE FROM children", RecordInvalid, "no child"),
        ("UPDATE answers SET item_id = 'no_such_item' WHERE item_id = (SELECT min(item_id) FROM answers) AND sheet_id"
         " IN (SELECT id FROM sheets WHERE status = 'draft')", RecordInvalid, "does not have"),
        ("UPDATE children SET nhs_number = '1234567890'", RecordInvalid, "NHS number"),
        ("UPDATE manifest_forms SET toml = 'id = 1'", RecordCorrupt, "form definition"),
        ("UPDATE manifest SET value = 'sheet' WHERE key = 'kind'", RecordInvalid, "sheet record holds"),
    ]
    for statement, error, match in cases:
        good.write_bytes(original)
        tamper(good, statement)
        tamper(good, _rehash(good))
        _refused(fresh_store, good, error, match)
