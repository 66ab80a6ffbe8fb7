"""Retention: a closed case is due for erasure only after the retention period, and erasing it leaves nothing
of it anywhere: not in any table, not in freed pages or page slack (checked by decrypting every page with the
key), not in the raw file or its WAL, not in the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

from neglect_tool.cli import run_cli
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
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    SheetStatus,
)
from neglect_tool.forms.loader import get_form
from neglect_tool.services.retention import (
    RETENTION_MESSAGE,
    CaseStillActive,
    ConfirmationMismatch,
    add_months,
    close_case,
    erase_case,
    reopen_case,
    retention_due,
    retention_overview,
)
from neglect_tool.storage.connection import read_salt
from neglect_tool.storage.keys import FAST_TEST_KDF, STORE_KDF, derive_raw_key
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .trust_helpers import (
    CANARIES,
    CARER_NAME,
    CHILD_NAME,
    FAMILY_NAME,
    NHS_NUMBER,
    NOTE,
    decrypt_store_pages,
    decrypt_wal_frames,
    every_value,
    hits_in,
    openssl_available,
    text_hits,
)

FORM_ID = "childcare-development-checklist"
REF = "RT-2024-0007"
KEPT_REF = "RT-2025-0100"


def _canary_case(store: Store, case_ref: str = REF) -> uuid.UUID:
    """A case with the canaries everywhere a person's details can go."""
    form = get_form(FORM_ID)
    items = [i.id for i in form.items() if i.age_range is None and i.condition is None][:6]
    colleague = store.professionals.add(Professional(name="Hale Testworth", role="School nurse",
                                                     agency=Agency.HEALTH))
    family = store.families.add(Family(case_ref=case_ref, family_name=FAMILY_NAME, notes=f"{NOTE} at home",
                                       address_note=f"{FAMILY_NAME} flat"))
    store.families.involve(family.id, colleague.id)
    child = store.children.add(Child(family_id=family.id, given_names=CHILD_NAME, family_name=FAMILY_NAME,
                                     date_of_birth=dt.date(2019, 3, 4), nhs_number=NHS_NUMBER,
                                     development_consultee=f"{CHILD_NAME}'s paediatrician"))
    rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=dt.date(2024, 1, 10),
                                           purpose=RoundPurpose.CORE_GROUP, title=f"{CHILD_NAME} core group"))
    at = dt.datetime(2024, 1, 9, 12, tzinfo=dt.UTC)
    answers = {k: Answer(k, "no", note=f"{NOTE} ({CHILD_NAME})") for k in items}
    for prof in (store.owner_id, colleague.id):
        store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=prof,
                                        form_id=form.id, form_version=form.version, answers=answers,
                                        free_text={"child_voice": f"{CHILD_NAME} said she was hungry."},
                                        status=SheetStatus.SUBMITTED, submitted_at=at))
    store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PARENT_CARER, professional_id=None,
                                    rater_name=CARER_NAME,
                                    form_id=form.id, form_version=form.version, answers=answers,
                                    status=SheetStatus.SUBMITTED, submitted_at=at))
    store.consensus.save(Consensus(round_id=rnd.id, form_id=form.id, form_version=form.version, items={
        items[0]: ConsensusItem(items[0], "no", f"{FAMILY_NAME} home seen by all")}).finalised(at))
    store.plans.save(Plan(round_id=rnd.id, actions=(PlanAction(
        description=f"Visit {CHILD_NAME} weekly", owner=CARER_NAME, agency=Agency.HEALTH,
        due_on=dt.date(2024, 2, 1)),)))
    return family.id


def _plain_case(store: Store, case_ref: str = KEPT_REF) -> uuid.UUID:
    family = store.families.add(Family(case_ref=case_ref, family_name="Keepwell"))
    store.children.add(Child(family_id=family.id, given_names="Ada", family_name="Keepwell",
                             date_of_birth=dt.date(2020, 1, 1)))
    return family.id


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert add_months(dt.date(2024, 1, 10), 24) == dt.date(2026, 1, 10)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 12, 15), 1) == dt.date(2025, 1, 15)


def test_a_closed_case_is_due_only_after_the_retention_period(fresh_store: Store) -> None:
    _canary_case(fresh_store)
    _plain_case(fresh_store)
    closed_on = dt.date(2024, 1, 31)
    assert retention_due(fresh_store, 24, dt.date(2030, 1, 1)) == []  # active cases are never due
    close_case(fresh_store, REF, closed_on)
    keep_until = dt.date(2026, 1, 31)
    assert retention_due(fresh_store, 24, keep_until) == []  # exactly the period: not more than it
    [due] = retention_due(fresh_store, 24, keep_until + dt.timedelta(days=1))
    assert (due.case_ref, due.closed_on, due.keep_until, due.due) == (REF, closed_on, keep_until, True)
    assert RETENTION_MESSAGE in due.message and "File the summary in the official record" in due.message
    assert not text_hits(due.message)  # the case reference only, never a name
    assert retention_due(fresh_store, 36, keep_until + dt.timedelta(days=1)) == []  # a longer period
    overview = {v.case_ref: v for v in retention_overview(fresh_store, 24, keep_until)}
    assert overview[KEPT_REF].state.value == "active" and overview[REF].keep_until == keep_until
    reopen_case(fresh_store, REF)
    assert retention_due(fresh_store, 24, dt.date(2030, 1, 1)) == []
    actions = [e.action for e in fresh_store.audit.tail(3)]
    assert actions[:2] == ["reopened", "closed"]


def test_erasure_refuses_a_wrong_reference_or_an_active_case_and_changes_nothing(fresh_store: Store) -> None:
    family_id = _canary_case(fresh_store)
    with pytest.raises(CaseStillActive, match="still active"):
        erase_case(fresh_store, REF, REF)
    close_case(fresh_store, REF, dt.date(2024, 1, 31))
    before = len(fresh_store.audit.tail(10_000))
    for typed in ("", "RT-2024-0008", KEPT_REF, FAMILY_NAME):
        with pytest.raises(ConfirmationMismatch, match="nothing was erased"):
            erase_case(fresh_store, REF, typed)
    assert fresh_store.families.get(family_id).family_name == FAMILY_NAME
    assert len(fresh_store.audit.tail(10_000)) == before


def test_erased_case_leaves_no_trace_even_to_someone_with_the_key(fresh_store: Store) -> None:
    family_id = _canary_case(fresh_store)
    kept_id = _plain_case(fresh_store)
    close_case(fresh_store, REF, dt.date(2024, 1, 31))
    path = fresh_store.path
    raw_key = derive_raw_key(PASSPHRASE, read_salt(path), FAST_TEST_KDF)
    wal = path.with_name(path.name + "-wal")
    # the scanners do find the canaries while the case is there (else a clean result would prove nothing)
    assert set(text_hits(every_value(fresh_store.db.conn))) == set(CANARIES)
    if openssl_available():
        seen = hits_in(decrypt_store_pages(path, raw_key) + decrypt_wal_frames(wal, raw_key))
        assert set(seen) == set(CANARIES)

    erased = erase_case(fresh_store, REF, f" {REF} ")
    assert erased.case_ref == REF and erased.family_id == family_id

    conn = fresh_store.db.conn
    assert text_hits(every_value(conn)) == []
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0  # VACUUM left no freed pages behind
    assert fresh_store.families.get(kept_id).family_name == "Keepwell"  # only that case went
    [entry] = [e for e in fresh_store.audit.entries_for(family_id) if e.action == "erased"]
    assert set(entry.detail) == {"children", "sheets"} and entry.detail["sheets"] == 3
    assert text_hits(json.dumps([(e.entity, e.action, e.detail) for e in fresh_store.audit.tail(10_000)])) == []
    assert fresh_store.audit.verify().ok

    plain_copy = path.parent / "plain-copy.db"  # a plaintext copy made with the key, inside tmp only
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain_copy),))
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    assert plain_copy.read_bytes().startswith(b"SQLite format 3\x00")
    assert hits_in(plain_copy.read_bytes()) == []
    plain_copy.unlink()

    for file in (path, wal):  # raw bytes while open
        assert hits_in(file.read_bytes() if file.exists() else b"") == []
    if openssl_available():
        assert hits_in(decrypt_store_pages(path, raw_key) + decrypt_wal_frames(wal, raw_key)) == []
    fresh_store.close()
    assert hits_in(path.read_bytes()) == []
    if not openssl_available():
        pytest.skip("openssl is not installed: the page-by-page decryption was not run")
    assert hits_in(decrypt_store_pages(path, raw_key) + decrypt_wal_frames(wal, raw_key)) == []


# --- the command line ----------------------------------------------------------------------------------


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with the production KDF (the CLI opens with it), one closed case long past its period."""
    path = tmp_path / "cli" / "store.ntdb"
    owner = Professional(name="Robin Testwell", role="Social worker", agency=Agency.SOCIAL_CARE)
    with Store.create(path, PASSPHRASE, owner=owner, kdf=STORE_KDF) as store:
        _canary_case(store)
        _plain_case(store)
        close_case(store, REF, dt.date(2020, 5, 1))
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", PASSPHRASE)
    return path


def test_retention_list_and_erase_on_the_command_line(cli_store: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["--store", str(cli_store), "retention", "list", "--json"]) == 0
    listing = json.loads(capfd.readouterr().out)
    assert listing["retention_months"] == 24
    assert [(c["case_ref"], c["due"]) for c in listing["cases"]] == [(REF, True)]
    assert RETENTION_MESSAGE in listing["cases"][0]["message"]

    # a confirmation that is not the reference, or none without a terminal: refused before the store opens
    assert run_cli(["--store", str(cli_store), "retention", "erase", "--case", REF,
                    "--yes-i-have-filed-it", "yes"]) == 1
    assert "does not match" in capfd.readouterr().err
    assert run_cli(["--store", str(cli_store), "retention", "erase", "--case", KEPT_REF,
                    "--yes-i-have-filed-it", KEPT_REF]) == 1
    assert "still active" in capfd.readouterr().err
    assert run_cli(["--store", str(cli_store), "retention", "erase", "--case", REF]) == 1
    assert "--yes-i-have-filed-it" in capfd.readouterr().err

    assert run_cli(["--store", str(cli_store), "retention", "erase", "--case", REF,
                    "--yes-i-have-filed-it", REF]) == 0
    captured = capfd.readouterr()
    assert f"Case {REF} was erased" in captured.out
    assert text_hits(captured.out + captured.err) == []
    assert run_cli(["--store", str(cli_store), "retention", "list", "--all", "--json"]) == 0
    assert [c["case_ref"] for c in json.loads(capfd.readouterr().out)["cases"]] == [KEPT_REF]
    assert hits_in(cli_store.read_bytes()) == []
