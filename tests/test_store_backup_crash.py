"""Kill during backup: SIGKILL a process that is writing Store.backup(dest) at random moments. After every
kill the final name holds either nothing or a complete backup that opens and passes both integrity checks
(never a partial file), and the source store is intact. 40 kills by default; set
NEGLECT_TOOL_BACKUP_KILLS for a longer run."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
)
from neglect_tool.forms import get_form
from neglect_tool.storage.connection import EncryptedDatabase, open_keyed, read_salt, run_integrity_checks
from neglect_tool.storage.errors import StoreError
from neglect_tool.storage.keys import FAST_TEST_KDF, derive_raw_key
from neglect_tool.storage.schema import LATEST_VERSION
from neglect_tool.storage.store import Store

KILLS = int(os.environ.get("NEGLECT_TOOL_BACKUP_KILLS", "40"))
PASSPHRASE = "crash test passphrase"
FAMILIES = 4
SHEETS_PER_CHILD = 5


def _filled_store(path: Path) -> None:
    """A store big enough that one backup takes tens of milliseconds, so kills land inside it."""
    owner = Professional(name="Robin Testwell", role="Social worker", agency=Agency.SOCIAL_CARE)
    items = [item.id for item in get_form("childcare-development-checklist").items()]
    with Store.create(path, PASSPHRASE, owner=owner, kdf=FAST_TEST_KDF) as store:
        for f in range(FAMILIES):
            family = store.families.add(Family(case_ref=f"BK-{f}", family_name=f"Backupton{f}"))
            child = store.children.add(Child(family_id=family.id, given_names="Kit", family_name=family.family_name,
                                             date_of_birth=dt.date(2020, 1, 1)))
            rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=dt.date(2026, 1, 1),
                                                   purpose=RoundPurpose.INITIAL_CONFERENCE))
            for _ in range(SHEETS_PER_CHILD):
                answers = {item: Answer(item, "yes", note="Seen on a home visit." if n % 5 == 0 else "")
                           for n, item in enumerate(items)}
                sheet = store.sheets.create(RatingSheet(
                    round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=owner.id,
                    form_id="childcare-development-checklist", form_version=1, answers=answers))
                store.sheets.submit(sheet.id)


def _content(store: Store) -> tuple[int, int]:
    """(cases, submitted sheets): what a backup and the source must both still hold."""
    cases = store.families.list_summaries()
    sheets = 0
    for case in cases:
        for child in store.children.for_family(case.family_id):
            for rnd in store.rounds.for_child(child.id):
                sheets += len(store.sheets.for_round(rnd.id))
    return len(cases), sheets


def _check_backup(dest: Path) -> tuple[int, int]:
    """Open the backup read-only (so checking it changes nothing) and run both integrity checks."""
    raw_key = derive_raw_key(PASSPHRASE, read_salt(dest), FAST_TEST_KDF)
    db = EncryptedDatabase(dest, open_keyed(dest, raw_key, read_only=True), raw_key)
    try:
        cipher, integrity = run_integrity_checks(db.conn)
        assert not cipher and not integrity, (cipher, integrity)
        assert db.user_version == LATEST_VERSION
        store = Store(db)
        assert store.audit.verify().ok
        return _content(store)
    finally:
        db.close()


def _check_source(path: Path) -> tuple[tuple[int, int], int]:
    with Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
        report = store.check()
        assert report.ok, report
        audit = store.audit.verify()
        assert audit.ok, audit
        return _content(store), audit.entries_checked


def test_sigkill_during_backup_never_leaves_a_partial_backup(tmp_path: Path) -> None:
    source = tmp_path / "source.ntdb"
    _filled_store(source)
    expected = (FAMILIES, FAMILIES * SHEETS_PER_CHILD)
    dest = tmp_path / "backups" / "latest.ntdb"
    rng = random.Random(20261125)
    env = {**os.environ, "CRASH_PASSPHRASE": PASSPHRASE}
    writer = Path(__file__).with_name("backup_writer.py")
    outcomes: Counter[str] = Counter()
    completed = 0
    audit_entries = 0
    for kill in range(KILLS):
        if rng.random() < 0.5 and dest.exists():
            dest.unlink()  # half the time there is no earlier backup under the final name
        proc = subprocess.Popen([sys.executable, str(writer), str(source), str(dest)], stdout=subprocess.PIPE,
                                env=env, text=True, cwd=Path(__file__).parent.parent)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.random() * 0.25)  # one backup of this store takes roughly 30-100 ms
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        completed += sum(1 for line in out.split() if line.isdigit())

        leftovers = list(dest.parent.glob(f".{dest.name}.*")) if dest.parent.exists() else []
        outcomes["killed mid-export (temp file left)" if leftovers else "killed outside the export"] += 1
        for leftover in leftovers:  # encrypted partial copies under a hidden temp name, never the final name
            leftover.unlink()
        if dest.exists():
            assert _check_backup(dest) == expected, f"kill {kill}: the backup lost data"
            outcomes["complete backup present"] += 1
        else:
            outcomes["no backup present"] += 1
        content, entries = _check_source(source)
        assert content == expected, f"kill {kill}: the source store lost data"
        assert entries >= audit_entries, f"kill {kill}: audit entries vanished"
        audit_entries = entries
    print(f"{KILLS} kills, {completed} backups completed: {dict(outcomes)}")
    assert completed > 0, "no backup ever completed: the kills came too early to test anything"
    assert outcomes["complete backup present"] > 0 and outcomes["no backup present"] > 0, outcomes
    assert outcomes["killed mid-export (temp file left)"] > 0, outcomes


def test_the_backup_check_catches_a_partial_file(tmp_path: Path) -> None:
    """The checks above are not vacuous: a backup cut short (even on a page boundary) is refused."""
    source = tmp_path / "source.ntdb"
    _filled_store(source)
    dest = tmp_path / "full.ntdb"
    with Store.open(source, PASSPHRASE, kdf=FAST_TEST_KDF) as store:
        store.backup(dest)
    assert _check_backup(dest) == (FAMILIES, FAMILIES * SHEETS_PER_CHILD)
    data = dest.read_bytes()
    for cut in (len(data) // 2 // 4096 * 4096, len(data) - 4096):
        partial = tmp_path / f"partial-{cut}.ntdb"
        partial.write_bytes(data[:cut])
        with pytest.raises((AssertionError, StoreError)):
            _check_backup(partial)
