"""Bad input changes nothing; migrations upgrade old stores and refuse newer ones; no plaintext on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
)
from neglect_tool.storage.connection import EncryptedDatabase
from neglect_tool.storage.errors import NotAStore, StoreCorrupt, StoreError, StoreTooNew, WrongPassphrase
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.migrate import migrate
from neglect_tool.storage.schema import LATEST_VERSION, V1_CORE
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE

CANARIES = ("Zephyrine", "Quillborough", "9434765919", "CANARY-NOTE-7731")


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _filled_store(path: Path, owner: Professional) -> None:
    with Store.create(path, PASSPHRASE, owner=owner, kdf=FAST_TEST_KDF) as store:
        family = store.families.add(Family(case_ref="NB-S-1", family_name="Quillborough"))
        child = store.children.add(Child(family_id=family.id, given_names="Zephyrine", family_name="Quillborough",
                                         date_of_birth=dt.date(2018, 1, 1), nhs_number="9434765919"))
        rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=dt.date(2026, 1, 5),
                                               purpose="core_group"))
        sheet = store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL,
                                                professional_id=owner.id, form_id="f", form_version=1))
        for n in range(40):
            store.sheets.save_answer(sheet.id, Answer(f"item{n}", "no", note=f"CANARY-NOTE-7731 seen {n}"))


@pytest.fixture
def store_file(tmp_path: Path, owner: Professional) -> Path:
    path = tmp_path / "box" / "s.ntdb"
    _filled_store(path, owner)
    return path


def _bad_files(store_file: Path) -> dict[str, tuple[Path, type[StoreError]]]:
    box = store_file.parent
    data = store_file.read_bytes()
    cases: dict[str, tuple[bytes | None, type[StoreError]]] = {
        "empty": (b"", NotAStore),
        "pdf": (b"%PDF-1.7\n" + bytes(5000), NotAStore),
        "random bytes": (bytes(range(256)) * 33, StoreCorrupt),
        "truncated mid-page": (data[: len(data) - 1000], StoreCorrupt),
        "salt flipped": (bytes([data[0] ^ 0x01]) + data[1:], WrongPassphrase),
        "page 1 flipped": (data[:100] + bytes([data[100] ^ 0x80]) + data[101:], WrongPassphrase),
    }
    out: dict[str, tuple[Path, type[StoreError]]] = {}
    for name, (content, error) in cases.items():
        path = box / f"{name.replace(' ', '_')}.ntdb"
        path.write_bytes(content or b"")
        out[name] = (path, error)
    plain = box / "plain.ntdb"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    out["plain sqlite"] = (plain, NotAStore)
    out["directory"] = (box / "adir", NotAStore)
    (box / "adir").mkdir()
    out["missing"] = (box / "missing.ntdb", NotAStore)
    return out


def test_bad_files_give_typed_errors_and_change_nothing(store_file: Path) -> None:
    cases = _bad_files(store_file)
    before = _snapshot(store_file.parent)
    for name, (path, error) in cases.items():
        with pytest.raises(error) as info:
            Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)
        assert str(info.value), name
    for wrong in ("wrong passphrase", ""):
        with pytest.raises(WrongPassphrase):
            Store.open(store_file, wrong, kdf=FAST_TEST_KDF)
    assert _snapshot(store_file.parent) == before
    assert not (store_file.parent / "missing.ntdb").exists()


@pytest.mark.parametrize("pages", [1, 2, 5])
def test_truncated_on_a_page_boundary_is_caught_as_damage(store_file: Path, pages: int) -> None:
    """A file cut on a page boundary has only whole, authentic pages left: the check must still find it,
    and it must be called damage, never a wrong passphrase (which would send the user hunting for words)."""
    data = store_file.read_bytes()
    assert len(data) % 4096 == 0 and len(data) // 4096 > pages + 1
    store_file.write_bytes(data[: len(data) - 4096 * pages])
    found: list[str] = []
    try:
        with Store.open(store_file, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
            report = store.check()
            found += [*report.cipher_problems, *report.integrity_problems]
    except StoreCorrupt as exc:
        found.append(str(exc))
    assert found, "the truncation went unnoticed"
    with pytest.raises(WrongPassphrase):  # a wrong passphrase is still told apart from damage
        Store.open(store_file, "not the passphrase at all", kdf=FAST_TEST_KDF)


def test_a_later_page_bit_flip_is_caught_by_check(store_file: Path) -> None:
    data = bytearray(store_file.read_bytes())
    data[4096 * 3 + 500] ^= 0x10
    store_file.write_bytes(bytes(data))
    try:
        with Store.open(store_file, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
            assert not store.check().ok
    except StoreError:
        pass  # caught even earlier, while opening: also a typed error


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 255)), min_size=1, max_size=4),
       st.sampled_from(["flip", "truncate", "extend"]))
def test_mutated_store_never_raises_anything_untyped(tmp_path_factory: pytest.TempPathFactory,
                                                     pristine: Path, flips: list[tuple[int, int]], how: str) -> None:
    data = bytearray(pristine.read_bytes())
    if how == "flip":
        for pos, mask in flips:
            data[pos % len(data)] ^= mask
    elif how == "truncate":
        del data[flips[0][0] % len(data):]
    else:
        data += bytes(flips[0][1] for _ in range(flips[0][0] % 9000))
    path = tmp_path_factory.mktemp("mut") / "m.ntdb"
    path.write_bytes(bytes(data))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        with Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
            store.check()
            for summary in store.families.list_summaries():
                store.families.get(summary.family_id)
    except StoreError:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "p.ntdb"
    _filled_store(path, Professional(name="Robin Testwell", role="Social worker", agency="social_care"))
    return path


def test_upgrade_from_version_1_keeps_data_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "old.ntdb"
    db = EncryptedDatabase.create(path, PASSPHRASE, kdf=FAST_TEST_KDF)
    migrate(db, (V1_CORE,))
    with db.write() as conn:
        conn.execute("INSERT INTO families (id, case_ref, family_name, family_name_fold, created_at, updated_at)"
                     " VALUES ('00000000-0000-4000-8000-000000000001', 'NB-OLD', 'Oldham', 'oldham',"
                     " '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')")
    db.close()
    db = EncryptedDatabase.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)
    assert db.user_version == 1
    assert migrate(db) == [2]
    assert db.user_version == LATEST_VERSION
    row = db.conn.execute("SELECT case_ref, retention_state FROM families").fetchone()
    assert tuple(row) == ("NB-OLD", "active")
    db.close()
    backups = list(tmp_path.glob("old.ntdb.v1-*.bak"))
    assert len(backups) == 1
    old = EncryptedDatabase.open(backups[0], PASSPHRASE, kdf=FAST_TEST_KDF)
    assert old.user_version == 1
    old.close()
    db = EncryptedDatabase.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)
    assert migrate(db) == []  # up to date: no second backup
    db.close()
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_store_from_a_newer_version_is_refused_untouched(store_file: Path) -> None:
    db = EncryptedDatabase.open(store_file, PASSPHRASE, kdf=FAST_TEST_KDF)
    db.conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    db.close()
    before = _snapshot(store_file.parent)
    with pytest.raises(StoreTooNew, match="newer version"):
        Store.open(store_file, PASSPHRASE, kdf=FAST_TEST_KDF)
    assert _snapshot(store_file.parent) == before


def test_no_plaintext_in_store_wal_backups_or_folder(tmp_path: Path, owner: Professional) -> None:
    path = tmp_path / "data" / "s.ntdb"
    _filled_store(path, owner)
    with Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
        store.backup(tmp_path / "data" / "backup.ntdb")
        files_while_open = [p for p in (tmp_path / "data").iterdir() if p.is_file()]
        assert any(p.name.endswith("-wal") for p in files_while_open)
        _assert_no_canaries(files_while_open)
        store.rekey("another long passphrase", kdf=FAST_TEST_KDF)
    _assert_no_canaries([p for p in tmp_path.rglob("*") if p.is_file()])
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert (path.stat().st_mode & 0o777) == 0o600


def _assert_no_canaries(files: list[Path]) -> None:
    for file in files:
        blob = file.read_bytes()
        for canary in CANARIES:
            for encoded in (canary.encode("utf-8"), canary.encode("utf-16-le"), canary.casefold().encode()):
                assert encoded not in blob, f"{canary!r} found in {file.name}"


def test_copy_of_store_is_independent(store_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.ntdb"
    shutil.copy(store_file, copy)
    with Store.open(copy, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
        assert store.families.search("quill")[0].case_ref == "NB-S-1"


def test_file_sniffing_cannot_refuse_a_real_store_by_chance() -> None:
    # A store starts with 16 random salt bytes; a magic of n bytes refuses one store in 256**n.
    from neglect_tool.storage.connection import FOREIGN_MAGIC

    assert all(len(magic) >= 4 for magic, _ in FOREIGN_MAGIC)


def test_an_existing_shared_folder_keeps_its_permissions(tmp_path: Path) -> None:
    """Only folders the app creates (and its own data folder) are made private: a store placed in an
    existing shared folder must not lock everyone else out of it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    Store.create(shared / "s.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                 owner=Professional(name="Al Testperson", role="GP", agency=Agency.HEALTH)).close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    fresh = tmp_path / "new" / "deeper"
    Store.create(fresh / "s.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                 owner=Professional(name="Al Testperson", role="GP", agency=Agency.HEALTH)).close()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700  # created by the app: private
