"""Shared pieces for the record exchange tests (no tests here): a small synthetic case written into a real
store, store fingerprints (file + WAL bytes), and a way to alter a record file the way an attacker could.
Every name is invented."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from pathlib import Path

import sqlcipher3

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    Family,
    Plan,
    PlanAction,
    PlanTarget,
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    SheetStatus,
)
from neglect_tool.forms.loader import get_form
from neglect_tool.storage.store import Store

FORM_ID = "childcare-development-checklist"
FAST_ITER = 2  # PBKDF2 iterations for test records only (real records use SQLCipher's 256,000)
RECORD_PASSPHRASE = "otter-lantern-quartz-meadow"
CASE_REF = "TS-2026-0001"


@dataclasses.dataclass(frozen=True)
class SmallCase:
    family: Family
    child: Child
    colleague: Professional
    round: AssessmentRound
    sheets: tuple[RatingSheet, ...]  # two submitted, one draft (the colleague's)
    consensus: Consensus
    plan: Plan


def _answers(offset: int, n: int = 12) -> dict[str, Answer]:
    form = get_form(FORM_ID)
    ids = [i.id for i in form.items() if i.age_range is None and i.condition is None][:n]
    options = ("yes", "borderline", "no", "not_known")
    return {item: Answer(item, options[(k + offset) % 4], note="Seen on a visit." if k % 3 == 0 else "",
                         source="observed" if k % 3 == 0 else None) for k, item in enumerate(ids)}


def build_small_case(store: Store, case_ref: str = CASE_REF, nhs: str | None = "9990000018") -> SmallCase:
    form = get_form(FORM_ID)
    colleague = store.professionals.add(Professional(name="Ivy Testcombe", role="Health visitor",
                                                     agency=Agency.HEALTH, organisation="Testshire Health"))
    family = store.families.add(Family(case_ref=case_ref, family_name="Quillfeather", address_note="Flat 2",
                                       notes="Synthetic test family.", consent_sought=True))
    store.families.involve(family.id, store.owner_id)
    store.families.involve(family.id, colleague.id)
    child = store.children.add(Child(family_id=family.id, given_names="Tamsin", family_name="Quillfeather",
                                     date_of_birth=dt.date(2019, 5, 4), nhs_number=nhs, case_number=f"{case_ref}-1"))
    rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=dt.date(2026, 3, 2),
                                           purpose=RoundPurpose.INITIAL_CONFERENCE, title="Initial"))
    at = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    own = RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=store.owner_id,
                      form_id=form.id, form_version=form.version, answers=_answers(0),
                      free_text={"strengths": "Warm greeting at the door."}, status=SheetStatus.SUBMITTED,
                      submitted_at=at)
    carer = RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PARENT_CARER, professional_id=None,
                        rater_name="Parent (test)", form_id=form.id, form_version=form.version,
                        answers=_answers(1), status=SheetStatus.SUBMITTED, submitted_at=at)
    draft = RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=colleague.id,
                        form_id=form.id, form_version=form.version, answers=_answers(2, 5))
    sheets = tuple(store.sheets.create(s) for s in (own, carer, draft))
    first = next(iter(own.answers))
    consensus = store.consensus.save(Consensus(
        round_id=rnd.id, form_id=form.id, form_version=form.version,
        items={first: ConsensusItem(first, "borderline", "Agreed at the meeting.")}).finalised(at))
    plan = store.plans.save(Plan(
        round_id=rnd.id,
        targets=(PlanTarget(item_id=first, baseline_option="borderline", target_option="yes",
                            review_on=dt.date(2026, 6, 1)),),
        actions=(PlanAction(description="Weekly visit", owner="Ivy Testcombe", agency=Agency.HEALTH,
                            due_on=dt.date(2026, 4, 1)),)))
    return SmallCase(family, child, colleague, rnd, sheets, consensus, plan)


def fingerprint(store_path: Path) -> str:
    """sha256 over the store file and its WAL (the -shm index is scratch space, not data)."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        part = store_path.with_name(store_path.name + suffix)
        digest.update(part.read_bytes() if part.exists() else b"<none>")
    return digest.hexdigest()


def audit_count(store: Store) -> int:
    return len(store.audit.tail(1_000_000))


def tamper(record: Path, *statements: str, passphrase: str = RECORD_PASSPHRASE, iterations: int = FAST_ITER) -> None:
    """Change a record file with its passphrase, as someone holding it could (a validly keyed hostile file)."""
    conn = sqlcipher3.connect(str(record), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.set_key(passphrase.encode())
        conn.execute(f"PRAGMA kdf_iter = {iterations:d}")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def new_id() -> str:
    return str(uuid.uuid4())


def exported_small_case(folder: Path, sender_name: str) -> Path:
    """A sender store holding the small case, exported once to `folder`/good.ntrec (the store is closed)."""
    from neglect_tool.domain import Agency, Professional
    from neglect_tool.services import sharing
    from neglect_tool.storage.keys import FAST_TEST_KDF

    from .conftest import PASSPHRASE

    sender = Store.create(folder / "a.ntdb", PASSPHRASE, kdf=FAST_TEST_KDF,
                          owner=Professional(name=sender_name, role="GP", agency=Agency.HEALTH))
    try:
        build_small_case(sender)
        return sharing.export_case(sender, CASE_REF, RECORD_PASSPHRASE, folder / "good.ntrec",
                                   kdf_iter=FAST_ITER).path
    finally:
        sender.close()
