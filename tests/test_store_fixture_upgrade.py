"""Upgrading real files of every earlier store version (tests/fixtures/store_vN.ntdb) with today's code.

Each committed fixture is copied, opened with Store.open (which migrates it to the latest schema, taking an
encrypted backup first), and checked: the data survived, the backup opens at the old version and passes
both integrity checks, the audit chain verifies, and the committed file itself never changes.
See tests/fixtures/README.md for how the fixtures were made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from pathlib import Path

import pytest

from neglect_tool.domain import Answer, EvidenceSource, RaterKind, Recency, RoundStatus, SheetStatus
from neglect_tool.storage.connection import EncryptedDatabase
from neglect_tool.storage.errors import ImmutableRecord
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.schema import LATEST_VERSION
from neglect_tool.storage.store import Store

FIXTURES = Path(__file__).with_name("fixtures")
FIXTURE_PASSPHRASE = "fixture-store-synthetic-only"
# A committed fixture is frozen: a new hash here means someone regenerated it (see the README).
FIXTURE_SHA256 = {
    "store_v1.ntdb": "1e6be4d1ae916666542f2d287cf6cae1394ccd7cd810bd25b6e003fff2bd879b",
}
FIXTURE_AUDIT_ENTRIES = 10

OWNER_ID = uuid.UUID("00000000-0000-4000-8000-00000000f001")
PROFESSIONAL_ID = uuid.UUID("00000000-0000-4000-8000-00000000f002")
FAMILY_ID = uuid.UUID("00000000-0000-4000-8000-00000000f010")
CHILD_ID = uuid.UUID("00000000-0000-4000-8000-00000000f020")
ROUND_ID = uuid.UUID("00000000-0000-4000-8000-00000000f030")
SUBMITTED_SHEET_ID = uuid.UUID("00000000-0000-4000-8000-00000000f040")
DRAFT_SHEET_ID = uuid.UUID("00000000-0000-4000-8000-00000000f041")
CREATED = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fixture_version(path: Path) -> int:
    return int(path.stem.removeprefix("store_v"))


def _fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("store_v*.ntdb"), key=_fixture_version)


def test_there_is_a_fixture_of_every_earlier_version() -> None:
    versions = {_fixture_version(p) for p in _fixtures()}
    missing = set(range(1, LATEST_VERSION)) - versions
    assert not missing, f"add a fixture of each released schema version: missing {sorted(missing)} " \
                        "(python scripts/make_store_v1_fixture.py --version N)"
    assert {p.name for p in _fixtures()} == set(FIXTURE_SHA256), "record the hash of every fixture"


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.name)
def test_committed_fixture_is_unchanged(fixture: Path) -> None:
    assert _sha256(fixture) == FIXTURE_SHA256[fixture.name]
    assert not fixture.with_name(fixture.name + "-wal").exists()  # never opened in place


def _check_content(store: Store) -> None:
    family = store.families.get(FAMILY_ID)
    assert (family.case_ref, family.family_name, family.consent_sought) == ("FX-2025-0001", "Fixturewell", True)
    assert family.created_at == CREATED
    assert [s.family_id for s in store.families.search("fixturew")] == [FAMILY_ID]
    [child] = store.children.for_family(FAMILY_ID)
    assert (child.id, child.display_name, child.nhs_number) == (CHILD_ID, "Quilla Fixturewell", "9990000018")
    assert [p.id for p in store.families.professionals_for(FAMILY_ID)] == [PROFESSIONAL_ID]
    assert store.owner.id == OWNER_ID
    [rnd] = store.rounds.for_child(CHILD_ID)
    assert (rnd.id, rnd.status, rnd.next_review_on) == (ROUND_ID, RoundStatus.OPEN, dt.date(2025, 6, 9))
    sheets = {s.id: s for s in store.sheets.for_round(ROUND_ID)}
    assert set(sheets) == {SUBMITTED_SHEET_ID, DRAFT_SHEET_ID}
    submitted = sheets[SUBMITTED_SHEET_ID]
    assert submitted.status is SheetStatus.SUBMITTED
    assert submitted.submitted_at == dt.datetime(2025, 3, 8, 16, 0, tzinfo=dt.UTC)
    assert (submitted.rater_kind, submitted.professional_id) == (RaterKind.PROFESSIONAL, PROFESSIONAL_ID)
    assert submitted.answers == {
        "dev_milestones": Answer("dev_milestones", "yes", answered_at=CREATED),
        "dev_play": Answer("dev_play", "borderline", note="Few toys seen on the visit.",
                           source=EvidenceSource.OBSERVED, recency=Recency.RECENT, answered_at=CREATED),
        "dev_talk": Answer("dev_talk", "not_known", note="Nursery would know more.", answered_at=CREATED),
    }
    assert submitted.free_text == {"strengths": "Warm greeting at the door."}
    draft = sheets[DRAFT_SHEET_ID]
    assert draft.status is SheetStatus.DRAFT
    assert {k: a.option for k, a in draft.answers.items()} == {"dev_milestones": "borderline"}


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.name)
def test_fixture_upgrades_to_latest_with_a_backup_first(fixture: Path, tmp_path: Path) -> None:
    old_version = _fixture_version(fixture)
    path = tmp_path / "upgraded.ntdb"
    shutil.copyfile(fixture, path)

    with Store.open(path, FIXTURE_PASSPHRASE, kdf=FAST_TEST_KDF) as store:
        assert store.db.user_version == LATEST_VERSION
        _check_content(store)
        report = store.audit.verify()
        assert report.ok, report
        assert report.entries_checked == FIXTURE_AUDIT_ENTRIES  # the upgrade itself wrote nothing to the trail
        assert store.check().ok
        # the upgraded store works: a later migration's feature, new writes, old locks still hold
        store.families.close_case(FAMILY_ID, dt.date(2026, 1, 31))
        store.sheets.submit(DRAFT_SHEET_ID)
        with pytest.raises(ImmutableRecord):
            store.sheets.save_answer(SUBMITTED_SHEET_ID, Answer("dev_milestones", "no"))
        assert store.audit.verify().ok

    [backup] = tmp_path.glob(f"upgraded.ntdb.v{old_version}-*.bak")
    old = EncryptedDatabase.open(backup, FIXTURE_PASSPHRASE, kdf=FAST_TEST_KDF)
    try:
        assert old.user_version == old_version
        check = old.check()
        assert check.ok, check
        assert Store(old).audit.verify().entries_checked == FIXTURE_AUDIT_ENTRIES
        _check_content(Store(old))
    finally:
        old.close()

    with Store.open(path, FIXTURE_PASSPHRASE, kdf=FAST_TEST_KDF) as store:  # up to date: no second backup
        assert store.db.user_version == LATEST_VERSION
    assert len(list(tmp_path.glob("*.bak"))) == 1
    assert _sha256(fixture) == FIXTURE_SHA256[fixture.name]
