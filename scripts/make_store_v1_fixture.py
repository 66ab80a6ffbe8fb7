"""Build the committed fixture of an old store format: tests/fixtures/store_v1.ntdb (schema version 1).

    python scripts/make_store_v1_fixture.py [--version N] [--out PATH]

The store is made the way the app makes one (Store.create, then the ordinary repositories, so the meta
rows, the owner and the hash-chained audit trail are real), with one difference: the migration list is
cut at version N (default 1), so the file stops at that schema version, as a store written by that
release would. Later migrations only add to the schema, so today's repositories write exactly the rows
the older release wrote. The content is a little synthetic casework with fixed ids and dates.

The fixture is keyed with FAST_TEST_KDF so that tests open it quickly. The KDF parameters are not stored
in the file (only the 16-byte salt is, as the file's first bytes): whoever opens it must pass
kdf=FAST_TEST_KDF. The passphrase is FIXTURE_PASSPHRASE below (also in tests/fixtures/README.md).

A committed fixture must never change: tests check its SHA-256. Regenerating it gives a different file
(new salt, new audit timestamps); only do that on purpose, and update the hash in
tests/test_store_fixture_upgrade.py and the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import uuid
from functools import partial
from pathlib import Path
from unittest import mock

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    EvidenceSource,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    RoundPurpose,
    RoundStatus,
)
from neglect_tool.storage import store as store_module
from neglect_tool.storage.connection import EncryptedDatabase
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.migrate import migrate
from neglect_tool.storage.schema import MIGRATIONS
from neglect_tool.storage.store import Store

FIXTURE_PASSPHRASE = "fixture-store-synthetic-only"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "store_v1.ntdb"

# Fixed ids and dates, so tests can check exactly what survived an upgrade.
OWNER_ID = uuid.UUID("00000000-0000-4000-8000-00000000f001")
PROFESSIONAL_ID = uuid.UUID("00000000-0000-4000-8000-00000000f002")
FAMILY_ID = uuid.UUID("00000000-0000-4000-8000-00000000f010")
CHILD_ID = uuid.UUID("00000000-0000-4000-8000-00000000f020")
ROUND_ID = uuid.UUID("00000000-0000-4000-8000-00000000f030")
SUBMITTED_SHEET_ID = uuid.UUID("00000000-0000-4000-8000-00000000f040")
DRAFT_SHEET_ID = uuid.UUID("00000000-0000-4000-8000-00000000f041")
CASE_REF = "FX-2025-0001"
CREATED = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)


def _content(store: Store) -> None:
    colleague = Professional(id=PROFESSIONAL_ID, name="Avery Fixture", role="Health visitor", agency=Agency.HEALTH,
                             organisation="Synthetic Community Health", created_at=CREATED, updated_at=CREATED)
    store.professionals.add(colleague)
    family = Family(id=FAMILY_ID, case_ref=CASE_REF, family_name="Fixturewell", address_note="Synthetic address note",
                    consent_sought=True, created_at=CREATED, updated_at=CREATED)
    store.families.add(family)
    store.families.involve(FAMILY_ID, PROFESSIONAL_ID)
    store.children.add(Child(id=CHILD_ID, family_id=FAMILY_ID, given_names="Quilla", family_name="Fixturewell",
                             date_of_birth=dt.date(2021, 5, 17), sex_gender="Female", case_number="FX-1",
                             nhs_number="9990000018", created_at=CREATED, updated_at=CREATED))
    store.rounds.add(AssessmentRound(id=ROUND_ID, child_id=CHILD_ID, held_on=dt.date(2025, 3, 10),
                                     purpose=RoundPurpose.INITIAL_CONFERENCE, status=RoundStatus.OPEN,
                                     next_review_on=dt.date(2025, 6, 9), title="Initial conference",
                                     created_at=CREATED, updated_at=CREATED))
    answers = {
        "dev_milestones": Answer("dev_milestones", "yes", answered_at=CREATED),
        "dev_play": Answer("dev_play", "borderline", note="Few toys seen on the visit.",
                           source=EvidenceSource.OBSERVED, recency=Recency.RECENT, answered_at=CREATED),
        "dev_talk": Answer("dev_talk", "not_known", note="Nursery would know more.", answered_at=CREATED),
    }
    submitted = RatingSheet(id=SUBMITTED_SHEET_ID, round_id=ROUND_ID, rater_kind=RaterKind.PROFESSIONAL,
                            professional_id=PROFESSIONAL_ID, form_id="childcare-development-checklist",
                            form_version=1, answers=answers, free_text={"strengths": "Warm greeting at the door."},
                            created_at=CREATED, updated_at=CREATED)
    store.sheets.create(submitted)
    store.sheets.submit(SUBMITTED_SHEET_ID, at=dt.datetime(2025, 3, 8, 16, 0, tzinfo=dt.UTC))
    draft = RatingSheet(id=DRAFT_SHEET_ID, round_id=ROUND_ID, rater_kind=RaterKind.PROFESSIONAL,
                        professional_id=OWNER_ID, form_id="childcare-development-checklist", form_version=1,
                        created_at=CREATED, updated_at=CREATED)
    store.sheets.create(draft)
    store.sheets.save_answer(DRAFT_SHEET_ID, Answer("dev_milestones", "borderline", answered_at=CREATED))


def build(out: Path, version: int) -> str:
    """Write the fixture at schema `version`; returns its SHA-256."""
    cut = tuple(m for m in MIGRATIONS if m.version <= version)
    if not cut or cut[-1].version != version:
        raise SystemExit(f"There is no schema version {version} (known: {[m.version for m in MIGRATIONS]}).")
    if out.exists():
        raise SystemExit(f"{out} already exists; a committed fixture must not change. Delete it first on purpose.")
    owner = Professional(id=OWNER_ID, name="Robin Fixture", role="Social worker", agency=Agency.SOCIAL_CARE,
                         created_at=CREATED, updated_at=CREATED)
    with mock.patch.object(store_module, "migrate", partial(migrate, migrations=cut)):
        store = Store.create(out, FIXTURE_PASSPHRASE, owner=owner, kdf=FAST_TEST_KDF)
    try:
        _content(store)
        if store.db.user_version != version:
            raise SystemExit(f"expected schema version {version}, the file says {store.db.user_version}")
        if not store.check().ok or not store.audit.verify().ok:
            raise SystemExit("the new fixture failed its own checks")
    finally:
        store.close()
    for stale in ("-wal", "-shm"):
        if out.with_name(out.name + stale).exists():
            raise SystemExit(f"{out.name}{stale} was left behind; the fixture must be a single file")
    check = EncryptedDatabase.open(out, FIXTURE_PASSPHRASE, kdf=FAST_TEST_KDF)
    try:
        assert check.user_version == version
    finally:
        check.close()
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", type=int, default=1, help="schema version to stop at (default 1)")
    parser.add_argument("--out", type=Path, default=None, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_OUT.with_name(f"store_v{args.version}.ntdb")
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = build(out, args.version)
    print(f"Wrote {out} (schema version {args.version}, {out.stat().st_size:,} bytes)\nSHA-256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
