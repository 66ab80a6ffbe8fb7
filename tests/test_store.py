"""The encrypted store: repositories, immutability in the database, audit chain, erasure, backup, rekey."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
import sqlcipher3

from neglect_tool.domain import (
    Agency,
    Answer,
    AssessmentRound,
    Child,
    Consensus,
    ConsensusItem,
    Family,
    Professional,
    RaterKind,
    RatingSheet,
    RoundPurpose,
    RoundStatus,
    SheetStatus,
)
from neglect_tool.storage.errors import ImmutableRecord, NotFound, StoreError, WrongPassphrase
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE


def _case(store: Store, ref: str = "NB-T-1", name: str = "Quillborough", given: str = "Zephyrine",
          nhs: str = "943 476 5919") -> tuple[Family, Child, AssessmentRound]:
    family = store.families.add(Family(case_ref=ref, family_name=name))
    child = store.children.add(Child(family_id=family.id, given_names=given, family_name=name,
                                     date_of_birth=dt.date(2019, 4, 2), nhs_number=nhs,
                                     case_number=f"{ref}-C1", conditions=frozenset({"chronic_condition"})))
    rnd = store.rounds.add(AssessmentRound(child_id=child.id, held_on=dt.date(2026, 10, 1),
                                           purpose=RoundPurpose.INITIAL_CONFERENCE,
                                           next_review_on=dt.date(2027, 1, 1)))
    return family, child, rnd


def _sheet(store: Store, rnd: AssessmentRound, pro: Professional | None = None) -> RatingSheet:
    pro = pro or store.owner
    return store.sheets.create(RatingSheet(round_id=rnd.id, rater_kind=RaterKind.PROFESSIONAL,
                                           professional_id=pro.id, form_id="childcare-development-checklist",
                                           form_version=1))


def test_round_trip_of_every_entity(fresh_store: Store) -> None:
    family, child, rnd = _case(fresh_store)
    assert fresh_store.families.get(family.id) == family
    assert fresh_store.children.get(child.id) == child
    assert fresh_store.rounds.get(rnd.id) == rnd
    assert fresh_store.owner.name == "Robin Testwell"
    hv = fresh_store.professionals.add(Professional(name="Pat Visitor", role="Health visitor", agency=Agency.HEALTH))
    fresh_store.families.involve(family.id, hv.id)
    assert [p.name for p in fresh_store.families.professionals_for(family.id)] == ["Pat Visitor"]
    updated = fresh_store.rounds.update(rnd.evolve(status=RoundStatus.MEETING_HELD))
    assert fresh_store.rounds.get(rnd.id).status is RoundStatus.MEETING_HELD == updated.status
    consensus = Consensus(round_id=rnd.id, form_id="f", form_version=1).with_item(
        ConsensusItem("a", unresolved=True, escalation_owner="Team manager", escalate_by=dt.date(2026, 11, 1)))
    fresh_store.consensus.save(consensus)
    assert fresh_store.consensus.get_for_round(rnd.id) == consensus
    with pytest.raises(NotFound):
        fresh_store.families.get(uuid.uuid4())


@pytest.mark.parametrize("query", ["quill", "QUILL", "zeph", "NB-T", "NB-T-1-C1", "943 476 5919", "9434765919"])
def test_search_by_every_key(fresh_store: Store, query: str) -> None:
    _case(fresh_store)
    _case(fresh_store, "NB-X-9", "Abernethy", "Ottoline", "401 023 2137")
    hits = fresh_store.families.search(query)
    assert [h.case_ref for h in hits] == ["NB-T-1"]
    assert hits[0].child_names == ("Zephyrine Quillborough",)
    assert hits[0].latest_round_status is RoundStatus.OPEN


def test_search_with_no_match_and_summaries(fresh_store: Store) -> None:
    _case(fresh_store)
    assert fresh_store.families.search("nobody") == []
    assert [s.case_ref for s in fresh_store.families.search("943 476 591")] == ["NB-T-1"]  # as it is typed
    assert fresh_store.families.search("943 476 599") == []
    assert fresh_store.families.search("94") == []  # two digits are too few to mean an NHS number
    assert [s.case_ref for s in fresh_store.families.list_summaries()] == ["NB-T-1"]


def test_sheet_lifecycle_and_amendment(fresh_store: Store) -> None:
    _f, _c, rnd = _case(fresh_store)
    sheet = _sheet(fresh_store, rnd)
    fresh_store.sheets.save_answer(sheet.id, Answer("feed_regular_meals", "no", note="fridge empty on visit",
                                                    source="observed", recency="recent"))
    fresh_store.sheets.save_answer(sheet.id, Answer("feed_regular_meals", "borderline"))
    fresh_store.sheets.save_free_text(sheet.id, "strengths", "Warm greeting at the door")
    submitted = fresh_store.sheets.submit(sheet.id)
    assert submitted.status is SheetStatus.SUBMITTED
    stored = fresh_store.sheets.get(sheet.id)
    assert stored.answers["feed_regular_meals"].option == "borderline"
    assert stored.free_text == {"strengths": "Warm greeting at the door"}
    with pytest.raises(ImmutableRecord):
        fresh_store.sheets.save_answer(sheet.id, Answer("feed_regular_meals", "yes"))
    with pytest.raises(ImmutableRecord):
        fresh_store.sheets.discard_draft(sheet.id)
    amended = fresh_store.sheets.amend(sheet.id, "Scored the wrong visit")
    assert amended.version == 2 and amended.supersedes == sheet.id
    current = fresh_store.sheets.current_for_round(rnd.id)
    assert [s.id for s in current] == [amended.id]
    assert len(fresh_store.sheets.for_round(rnd.id)) == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE sheets SET rater_name = 'x' WHERE status = 'submitted'",
        "DELETE FROM sheets WHERE status = 'submitted'",
        "UPDATE answers SET option = 'yes'",
        "DELETE FROM answers",
        "INSERT INTO answers (sheet_no, item_id, option) SELECT sheet_no, 'new_item', 'no' FROM sheets",
        "UPDATE sheet_texts SET body = 'rewritten'",
        "DELETE FROM sheet_texts",
        "UPDATE audit_log SET action = 'nothing happened'",
        "DELETE FROM audit_log",
        "UPDATE consensus SET status = 'draft'",
        "DELETE FROM consensus_items",
    ],
)
def test_database_triggers_refuse_changes_to_submitted_records(fresh_store: Store, statement: str) -> None:
    _f, _c, rnd = _case(fresh_store)
    sheet = _sheet(fresh_store, rnd)
    fresh_store.sheets.save_answer(sheet.id, Answer("a", "no"))
    fresh_store.sheets.save_free_text(sheet.id, "strengths", "text")
    fresh_store.sheets.submit(sheet.id)
    consensus = Consensus(round_id=rnd.id, form_id="f", form_version=1).with_item(ConsensusItem("a", "no"))
    fresh_store.consensus.save(consensus.finalised())
    conn = fresh_store.db.conn
    with pytest.raises(sqlcipher3.IntegrityError, match=r"immutable|append-only"):
        conn.execute(statement)


def test_audit_chain_verifies_and_detects_tampering(fresh_store: Store) -> None:
    family, _c, rnd = _case(fresh_store)
    _sheet(fresh_store, rnd)
    report = fresh_store.audit.verify()
    assert report.ok and report.entries_checked >= 5
    entries = fresh_store.audit.entries_for(family.id)
    assert entries and entries[0].action == "created" and entries[0].actor_id == str(fresh_store.owner.id)
    # No personal data in the trail
    text = " ".join(str(e.detail) for e in fresh_store.audit.tail(100))
    assert "Quillborough" not in text and "9434765919" not in text
    conn = fresh_store.db.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit_log SET action = 'renamed' WHERE seq = 3")
    bad = fresh_store.audit.verify()
    assert not bad.ok and bad.first_bad_seq == 3 and "changed" in (bad.problem or "")


def test_audit_chain_detects_a_removed_entry(fresh_store: Store) -> None:
    _case(fresh_store)
    conn = fresh_store.db.conn
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    bad = fresh_store.audit.verify()
    assert not bad.ok and bad.first_bad_seq == 2 and "missing" in (bad.problem or "")


def test_delete_case_needs_its_reference_then_erases_everything(fresh_store: Store) -> None:
    family, child, rnd = _case(fresh_store)
    sheet = _sheet(fresh_store, rnd)
    fresh_store.sheets.save_answer(sheet.id, Answer("a", "no", note="CANARY-NOTE-7731"))
    fresh_store.sheets.submit(sheet.id)
    with pytest.raises(StoreError, match="does not match"):
        fresh_store.families.delete_case(family.id, "NB-WRONG")
    assert fresh_store.families.get(family.id) == family
    fresh_store.families.delete_case(family.id, "NB-T-1")
    for getter, ident in ((fresh_store.families.get, family.id), (fresh_store.children.get, child.id),
                          (fresh_store.sheets.get, sheet.id)):
        with pytest.raises(NotFound):
            getter(ident)
    conn = fresh_store.db.conn
    for table in ("families", "children", "rounds", "sheets", "answers", "sheet_texts", "audit_log"):
        dump = repr(conn.execute(f"SELECT * FROM {table}").fetchall())
        assert "Quillborough" not in dump and "CANARY-NOTE-7731" not in dump and "9434765919" not in dump
    assert fresh_store.audit.entries_for(family.id)[0].action == "erased"
    assert fresh_store.audit.verify().ok


def test_backup_opens_with_same_passphrase_and_rekey_changes_it(fresh_store: Store, tmp_path: Path) -> None:
    _case(fresh_store)
    backup = fresh_store.backup(tmp_path / "backups" / "copy.ntdb")
    with Store.open(backup, PASSPHRASE, kdf=FAST_TEST_KDF) as copy:
        assert [s.case_ref for s in copy.families.list_summaries()] == ["NB-T-1"]
    path = fresh_store.path
    fresh_store.rekey("a different long passphrase", kdf=FAST_TEST_KDF)
    assert [s.case_ref for s in fresh_store.families.list_summaries()] == ["NB-T-1"]
    fresh_store.close()
    with pytest.raises(WrongPassphrase):
        Store.open(path, PASSPHRASE, kdf=FAST_TEST_KDF)
    with Store.open(path, "a different long passphrase", kdf=FAST_TEST_KDF) as reopened:
        assert reopened.audit.verify().ok
        assert reopened.check().ok


@pytest.mark.parametrize("passphrase", ["it's \"quoted\" ok", "back\\slash\\and'quote", "ünïcödé pässphrase 🔐",
                                        "x'00ff' -- ; DROP TABLE"])
def test_awkward_passphrases_work(tmp_path: Path, owner: Professional, passphrase: str) -> None:
    path = tmp_path / "s.ntdb"
    Store.create(path, passphrase, owner=owner, kdf=FAST_TEST_KDF).close()
    with Store.open(path, passphrase, kdf=FAST_TEST_KDF) as store:
        assert store.owner == owner
    with pytest.raises(WrongPassphrase):
        Store.open(path, passphrase + " ", kdf=FAST_TEST_KDF)


def test_search_as_a_person_types_it(tmp_path: Path) -> None:
    """Full names, references in any case, and the start of an NHS number all find the case."""
    from neglect_tool.services.session import Session

    session = Session.create_demo(tmp_path / "demo.ntdb", kdf=FAST_TEST_KDF)
    try:
        store = session.store
        case = next(c for c in session.cases() if c.family_name == "Calloway")
        child = store.children.for_family(case.family_id)[0]
        assert child.nhs_number
        typed = [f"{child.given_names} {child.family_name}", f"{child.given_names[:3]} {child.family_name[:4]}",
                 case.case_ref.lower(), case.case_ref[:6].lower(), child.nhs_number[:4],
                 f"{child.nhs_number[:3]} {child.nhs_number[3:6]}", "calloway"]
        for text in typed:
            assert case.family_id in {s.family_id for s in store.families.search(text)}, text
        assert store.families.search(f"{child.given_names} Zzyzx") == []  # every word must match
    finally:
        session.lock()
