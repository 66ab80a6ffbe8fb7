"""Exporting a case or a sheet from one real store and importing it into another: the file format, the
dry-run plan, the merge rules (new, identical, conflict, amended version, update, kept local, possible
duplicates), auditing, and the store left unchanged by a dry run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from neglect_tool.domain import Agency, Child, Family, PlanAction, Professional, RatingSheet
from neglect_tool.forms.loader import load_form_text
from neglect_tool.services import sharing
from neglect_tool.storage.connection import connect_file
from neglect_tool.storage.errors import WeakPassphrase
from neglect_tool.storage.exchange import (
    Decision,
    DecisionsNeeded,
    ExportRefused,
    Outcome,
    RecordCorrupt,
    RecordKind,
    RecordTarget,
    gather_case,
    write_record,
)
from neglect_tool.storage.exchange.format import FORMAT_NAME, FORMAT_VERSION, content_digest
from neglect_tool.storage.exchange.writer import key_connection, verify_written_record
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE
from .test_exchange_helpers import (
    CASE_REF,
    FAST_ITER,
    RECORD_PASSPHRASE,
    SmallCase,
    audit_count,
    build_small_case,
    fingerprint,
)


def _store(path: Path, name: str) -> Store:
    return Store.create(path, PASSPHRASE, owner=Professional(name=name, role="Social worker",
                                                             agency=Agency.SOCIAL_CARE), kdf=FAST_TEST_KDF)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store, SmallCase]]:
    a = _store(tmp_path / "a" / "a.ntdb", "Sender Testperson")
    b = _store(tmp_path / "b" / "b.ntdb", "Receiver Testperson")
    try:
        yield a, b, build_small_case(a)
    finally:
        a.close()
        b.close()


def _export(store: Store, dest: Path, **kw: object) -> Path:
    return sharing.export_case(store, CASE_REF, RECORD_PASSPHRASE, dest, kdf_iter=FAST_ITER, **kw).path  # type: ignore[arg-type]


def _read(path: Path) -> sharing.LoadedRecord:
    return sharing.read_record(path, RECORD_PASSPHRASE, kdf_iter=FAST_ITER)


def _by_id(sheets: tuple[RatingSheet, ...]) -> list[RatingSheet]:
    return sorted(sheets, key=lambda s: str(s.id))


def _outcomes(plan: sharing.MergePlan, kind: str) -> dict[str, int]:
    return plan.counts().get(kind, {})


@pytest.mark.parametrize("passphrase", ["Grüße aus Köln — ünïcödé passphrase ☂ 2026", "tab\tand  double  spaces"])
def test_any_passphrase_keys_the_record_on_the_worker_thread(stores: tuple[Store, Store, SmallCase],
                                                              tmp_path: Path, passphrase: str) -> None:
    """The key derivation runs on a worker thread while the case is gathered and staged: the file must still
    open with the passphrase (as UTF-8) in a plain SQLCipher 4 client, refuse a near miss, and each record
    gets its own random salt."""
    a, _b, _case = stores
    out = tmp_path / "out"
    first = sharing.export_case(a, CASE_REF, passphrase, out / "one.ntrec")
    second = sharing.export_case(a, CASE_REF, passphrase, out / "two.ntrec")
    conn = sqlcipher3.connect(str(first.path))
    try:
        conn.set_key(passphrase.encode("utf-8"))  # SQLCipher's own KDF, standard settings
        assert conn.execute("SELECT value FROM manifest WHERE key = 'content_hash'").fetchone()[0] == \
            first.manifest.content_hash
        assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == sum(
            len(s.answers) for s in gather_case(a, a.families.get_by_ref(CASE_REF).id).sheets)
    finally:
        conn.close()
    wrong = sqlcipher3.connect(str(first.path))
    try:
        wrong.set_key(passphrase.encode("utf-8")[:-1])
        with pytest.raises(sqlcipher3.DatabaseError):
            wrong.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        wrong.close()
    assert first.path.read_bytes()[:16] != second.path.read_bytes()[:16]  # a fresh random salt per record
    assert sorted(p.name for p in out.iterdir()) == ["one.ntrec", "two.ntrec"]  # no stage or temp left


def test_verification_refuses_a_file_that_does_not_open_under_the_record_key(tmp_path: Path) -> None:
    path = tmp_path / "other-key.ntrec"
    conn = connect_file(path, create=True)
    try:
        key_connection(conn, "a different passphrase of four words", FAST_ITER)
        conn.execute("CREATE TABLE t (x)")
    finally:
        conn.close()
    conn = connect_file(path, create=False)
    try:
        key_connection(conn, RECORD_PASSPHRASE, FAST_ITER)
        with pytest.raises(RecordCorrupt, match="failed verification"):
            verify_written_record(conn, path)
    finally:
        conn.close()


def test_a_target_given_up_before_writing_leaves_nothing(stores: tuple[Store, Store, SmallCase],
                                                         tmp_path: Path) -> None:
    """The export starts keying its temp file before the case is gathered: if anything fails in between, the
    temp file goes (after the worker thread is done with it) and no record appears."""
    a, _b, _case = stores
    out = tmp_path / "out"
    dest = out / "never.ntrec"
    with pytest.raises(KeyError), RecordTarget(dest, RECORD_PASSPHRASE, kdf_iter=FAST_ITER):
        raise KeyError("the case could not be gathered")
    assert list(out.iterdir()) == []
    with RecordTarget(dest, RECORD_PASSPHRASE, kdf_iter=FAST_ITER) as target, \
            pytest.raises(ExportRefused, match="nothing to export"):
        write_record(dataclasses.replace(gather_case(a, a.families.get_by_ref(CASE_REF).id), families=()),
                     target, exported_by=a.owner_id, app_version="test")
    assert list(out.iterdir()) == []
    with pytest.raises(ExportRefused, match="is a folder"):
        RecordTarget(out, RECORD_PASSPHRASE)
    with pytest.raises(WeakPassphrase):
        RecordTarget(dest, "short")
    assert list(out.iterdir()) == []


def test_record_opens_with_the_plain_passphrase_and_standard_sqlcipher_settings(stores: tuple[Store, Store, SmallCase],
                                                                              tmp_path: Path) -> None:
    a, _b, case = stores
    passphrase = "it's a \"quoted\" pass; phrase -- with 'quotes'"
    (tmp_path / "out").mkdir()
    result = sharing.export_case(a, CASE_REF, passphrase, tmp_path / "out")  # real SQLCipher 4 defaults
    assert result.path.name == f"{CASE_REF}.ntrec" and "Quillfeather" not in result.path.name
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert not result.path.read_bytes().startswith(b"SQLite format 3")
    assert not [p for p in result.path.parent.iterdir() if p != result.path]  # no temp or journal left
    # A plain SQLCipher 4 client: PRAGMA key with the passphrase as an escaped SQL literal, nothing else set.
    conn = sqlcipher3.connect(str(result.path))
    try:
        escaped = passphrase.replace("'", "''")
        conn.execute(f"PRAGMA key = '{escaped}'")
        manifest = dict(conn.execute("SELECT key, value FROM manifest").fetchall())
        settings = {r[0] for r in conn.execute("PRAGMA cipher_settings").fetchall()}
        assert content_digest(conn) == manifest["content_hash"] == result.manifest.content_hash
        toml = conn.execute("SELECT toml FROM manifest_forms").fetchone()[0]
        names = conn.execute("SELECT given_names FROM children").fetchall()
    finally:
        conn.close()
    assert "PRAGMA kdf_iter = 256000;" in settings and "PRAGMA cipher_page_size = 4096;" in settings
    assert manifest["format"] == FORMAT_NAME and manifest["format_version"] == str(FORMAT_VERSION)
    assert manifest["exported_by"] == str(a.owner_id) and manifest["kind"] == "case"
    assert manifest["case_ref"] == CASE_REF and manifest["app_version"]
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert load_form_text(toml).id == case.sheets[0].form_id  # the receiver can read the form without it
    assert names == [("Tamsin",)]
    loaded = sharing.read_record(result.path, passphrase)
    assert loaded.manifest.content_hash == manifest["content_hash"]
    assert next(e.action for e in a.audit.entries_for(case.family.id)) == "record_exported"


def test_case_round_trip_dry_run_apply_and_reimport(stores: tuple[Store, Store, SmallCase], tmp_path: Path) -> None:
    a, b, case = stores
    record = _read(_export(a, tmp_path / "x.ntrec"))
    content = record.content
    assert content.kind is RecordKind.CASE and len(content.sheets) == 3 and content.audit
    assert {e.entity_id for e in content.audit} >= {str(s.id) for s in case.sheets}
    assert _by_id(content.sheets) == _by_id(gather_case(a, case.family.id).sheets)  # answers, free text intact

    before, entries_before = fingerprint(b.path), audit_count(b)
    plan = sharing.preview_import(b, record)
    assert fingerprint(b.path) == before and audit_count(b) == entries_before  # a dry run changes nothing
    assert _outcomes(plan, "sheet") == {"new": 3}
    assert _outcomes(plan, "family") == {"new": 1} and _outcomes(plan, "child") == {"new": 1}
    assert _outcomes(plan, "professional") == {"new": 2}  # the sender and the colleague
    assert plan.summary().startswith("professionals: 2 new; families: 1 new")
    assert not plan.duplicates and not plan.needs_attention

    applied = sharing.apply_import(b, record)
    assert applied.applied and applied.counts() == plan.counts()
    assert _by_id(gather_case(b, case.family.id).sheets) == _by_id(content.sheets)
    assert b.consensus.get_for_round(case.round.id) == a.consensus.get_for_round(case.round.id) is not None
    assert b.plans.get_for_round(case.round.id) == a.plans.get_for_round(case.round.id) is not None
    assert b.audit.verify().ok
    actions = [e.action for e in b.audit.entries_for(case.sheets[0].id)]
    assert actions == ["imported"]
    summary = b.audit.tail(1)[0]
    assert summary.action == "record_imported" and summary.detail["new"] == len(plan.entries)
    details = json.dumps([e.detail for e in b.audit.tail(100)])
    assert "Quillfeather" not in details and "Tamsin" not in details  # ids and counts only

    again = sharing.preview_import(b, record)
    assert again.all_identical
    before = fingerprint(b.path)
    assert sharing.apply_import(b, record).all_identical
    assert fingerprint(b.path) == before  # nothing to do: not even an audit entry


def test_sheet_record_places_into_existing_case_or_creates_minimal_context(stores: tuple[Store, Store, SmallCase],
                                                                           tmp_path: Path) -> None:
    a, b, case = stores
    result = sharing.export_sheet(a, case.sheets[0].id, RECORD_PASSPHRASE, tmp_path, kdf_iter=FAST_ITER)
    assert result.path.name.startswith(f"{CASE_REF}-sheet-") and result.path.suffix == ".ntrec"
    record = _read(result.path)
    assert record.content.kind is RecordKind.SHEET and len(record.content.sheets) == 1
    assert record.content.families[0].notes == "" and record.content.families[0].address_note == ""
    # into a store without the case: the case, child and round are created from the identifying details
    plan = sharing.apply_import(b, record)
    assert _outcomes(plan, "sheet") == {"new": 1} and _outcomes(plan, "child") == {"new": 1}
    assert b.children.get(case.child.id).nhs_number == case.child.nhs_number
    assert b.families.get(case.family.id).notes == ""
    # the whole case afterwards: the context is already there and not compared; the rest is added
    full = sharing.apply_import(b, _read(_export(a, tmp_path / "full.ntrec")))
    assert _outcomes(full, "sheet") == {"identical": 1, "new": 2}
    assert _outcomes(full, "family") == {"update": 1} or _outcomes(full, "family") == {"kept local": 1}


def test_conflicting_submitted_sheet_is_reported_not_applied(stores: tuple[Store, Store, SmallCase],
                                                             tmp_path: Path) -> None:
    a, b, case = stores
    sharing.apply_import(b, _read(_export(a, tmp_path / "x.ntrec")))
    # Another store holds the same sheet id with other answers (as a tampered or diverged copy would).
    content = gather_case(a, case.family.id)
    own = content.sheets[0]
    first = next(iter(own.answers))
    changed = dataclasses.replace(own, answers={**own.answers, first: dataclasses.replace(own.answers[first],
                                                                                           option="no")})
    content = dataclasses.replace(content, sheets=(changed, *content.sheets[1:]),
                                  forms=sharing.form_texts(content.form_keys()))
    other = write_record(content, RecordTarget(tmp_path / "diverged.ntrec", RECORD_PASSPHRASE, kdf_iter=FAST_ITER),
                         exported_by=a.owner_id, app_version="test")
    plan = sharing.apply_import(b, _read(other.path))
    assert _outcomes(plan, "sheet") == {"conflict": 1, "identical": 2}
    conflict = plan.needs_attention[0]
    assert conflict.incoming_id == own.id and "different answers" in conflict.reason
    assert b.sheets.get(own.id).answers[first].option == own.answers[first].option  # the local one stands


def test_amended_version_added_alongside_and_submitted_draft_replaces_local_draft(
        stores: tuple[Store, Store, SmallCase], tmp_path: Path) -> None:
    a, b, case = stores
    sharing.apply_import(b, _read(_export(a, tmp_path / "v1.ntrec")))
    amended = a.sheets.amend(case.sheets[0].id, "Spoke to the school after the meeting")
    a.sheets.submit(amended.id)
    a.sheets.submit(case.sheets[2].id)  # the colleague's draft, now submitted
    plan = sharing.preview_import(b, _read(_export(a, tmp_path / "v2.ntrec")))
    by_id = {e.incoming_id: e for e in plan.entries if e.kind == "sheet"}
    assert by_id[amended.id].outcome is Outcome.NEW and "amended version" in by_id[amended.id].reason
    assert by_id[case.sheets[0].id].outcome is Outcome.IDENTICAL
    assert by_id[case.sheets[2].id].outcome is Outcome.UPDATE
    sharing.apply_import(b, _read(tmp_path / "v2.ntrec"))
    assert {s.version for s in b.sheets.for_round(case.round.id)} == {1, 2}
    assert b.sheets.get(case.sheets[2].id).is_locked
    assert b.sheets.get(amended.id).supersedes == case.sheets[0].id


def test_newer_change_wins_and_older_is_kept_local(stores: tuple[Store, Store, SmallCase], tmp_path: Path) -> None:
    a, b, case = stores
    sharing.apply_import(b, _read(_export(a, tmp_path / "v1.ntrec")))
    a.families.update(a.families.get(case.family.id).evolve(notes="Moved to a new flat."))
    b.children.update(b.children.get(case.child.id).evolve(sex_gender="Female"))  # a later change here
    record = _read(_export(a, tmp_path / "v2.ntrec"))
    plan = sharing.apply_import(b, record)
    assert _outcomes(plan, "family") == {"update": 1} and _outcomes(plan, "child") == {"kept local": 1}
    assert b.families.get(case.family.id).notes == "Moved to a new flat."
    assert b.children.get(case.child.id).sex_gender == "Female"
    assert next(e.action for e in b.audit.entries_for(case.family.id)) == "updated_by_import"


def test_possible_duplicates_need_a_decision_then_link_or_keep_apart(stores: tuple[Store, Store, SmallCase],
                                                                     tmp_path: Path) -> None:
    a, b, case = stores
    # The receiver already has the same family and child under other ids (entered by hand).
    family = b.families.add(Family(case_ref=CASE_REF, family_name="Quillfeather"))
    child = b.children.add(Child(family_id=family.id, given_names="Tamsin", family_name="Quillfeather",
                                 date_of_birth=case.child.date_of_birth, nhs_number=case.child.nhs_number))
    record = _read(_export(a, tmp_path / "x.ntrec"))
    plan = sharing.preview_import(b, record)
    pairs = {(p.kind, p.incoming_id, p.existing_id, p.reason) for p in plan.duplicates}
    assert pairs == {("family", case.family.id, family.id, "same case reference"),
                     ("child", case.child.id, child.id, "same NHS number")}
    assert plan.undecided == plan.duplicates
    before = fingerprint(b.path)
    with pytest.raises(DecisionsNeeded, match="possible duplicate"):
        sharing.apply_import(b, record)
    assert fingerprint(b.path) == before

    apart = sharing.preview_import(b, record, sharing.decide_all(plan, Decision.KEEP_APART))
    assert _outcomes(apart, "family") == {"conflict": 1}  # the case reference is taken: link, or rename one
    assert _outcomes(apart, "sheet") == {"blocked": 3}  # reported, never dropped silently

    linked = sharing.apply_import(b, record, sharing.decide_all(plan, Decision.LINK))
    assert _outcomes(linked, "family") == {"linked": 1} and _outcomes(linked, "child") == {"linked": 1}
    assert _outcomes(linked, "sheet") == {"new": 3}
    assert [r.id for r in b.rounds.for_child(child.id)] == [case.round.id]  # placed under the existing child
    assert b.children.get(child.id).case_number == ""  # the existing details stay as they were
    assert next(e.action for e in b.audit.entries_for(child.id)) == "linked_by_import"
    again = sharing.preview_import(b, record, sharing.decide_all(plan, Decision.LINK))
    assert _outcomes(again, "sheet") == {"identical": 3}


def test_keep_apart_child_is_added_as_a_separate_child(stores: tuple[Store, Store, SmallCase], tmp_path: Path) -> None:
    a, b, case = stores
    other = b.families.add(Family(case_ref="OTHER-1", family_name="Quillfeather"))
    twin = b.children.add(Child(family_id=other.id, given_names="Tamsin", family_name="Quillfeather",
                                date_of_birth=case.child.date_of_birth))
    record = _read(_export(a, tmp_path / "x.ntrec"))
    plan = sharing.preview_import(b, record)
    assert {(p.kind, p.reason) for p in plan.duplicates} == {("child", "same name and date of birth"),
                                                             ("family", "holds a child who looks the same")}
    applied = sharing.apply_import(b, record, sharing.decide_all(plan, Decision.KEEP_APART))
    assert _outcomes(applied, "child") == {"new": 1}
    assert {c.id for c in b.children.for_family(case.family.id)} == {case.child.id}
    assert b.rounds.for_child(twin.id) == []


def test_export_refusals(stores: tuple[Store, Store, SmallCase], tmp_path: Path) -> None:
    a, _b, _case = stores
    dest = _export(a, tmp_path / "x.ntrec")
    original = dest.read_bytes()
    with pytest.raises(ExportRefused, match="already exists"):
        _export(a, dest)
    assert dest.read_bytes() == original
    _export(a, dest, overwrite=True)
    assert dest.read_bytes() != original  # a new salt and timestamp
    from neglect_tool.storage.errors import NotFound, WeakPassphrase
    with pytest.raises(WeakPassphrase):
        sharing.export_case(a, CASE_REF, "short", tmp_path / "weak.ntrec")
    with pytest.raises(WeakPassphrase, match="raw key"):
        sharing.export_case(a, CASE_REF, "x'00112233445566778899aabbccddeeff'", tmp_path / "raw.ntrec")
    with pytest.raises(NotFound):
        sharing.export_case(a, "NO-SUCH-CASE", RECORD_PASSPHRASE, tmp_path / "none.ntrec")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["x.ntrec"]
    words = sharing.new_export_passphrase().split("-")
    assert len(words) == 8 and all(w.isalpha() for w in words)
    assert os.path.basename(sharing.record_file_name("../etc/passwd")) == "etc-passwd.ntrec"


def test_plans_merge_entry_by_entry_and_updates_say_what_they_replace(stores: tuple[Store, Store, SmallCase],
                                                                      tmp_path: Path) -> None:
    """An action added on the receiving laptop survives a newer plan arriving from the sender; a newer
    family record names, in the dry run, every field it replaces."""
    a, b, case = stores
    sharing.apply_import(b, _read(_export(a, tmp_path / "v1.ntrec")))
    here = b.plans.get_for_round(case.round.id)
    assert here is not None
    local_action = PlanAction(description="Nursery place from January", owner="Rhys Testfield",
                              agency=Agency.EARLY_YEARS, due_on=dt.date(2026, 5, 1))
    b.plans.save(dataclasses.replace(here, actions=(*here.actions, local_action)))
    there = a.plans.get_for_round(case.round.id)
    assert there is not None
    sent_action = PlanAction(description="Dental registration", owner="Ivy Testcombe", agency=Agency.HEALTH,
                             due_on=dt.date(2026, 4, 15))
    a.plans.save(dataclasses.replace(there, actions=(*there.actions, sent_action)))
    a.families.update(a.families.get(case.family.id).evolve(notes="Moved to a new flat.", consent_sought=False))

    record = _read(_export(a, tmp_path / "v2.ntrec"))
    preview = sharing.preview_import(b, record)
    plan_entry = next(e for e in preview.updates if e.kind == "plan")
    assert "adds 1 action" in plan_entry.reason and "everything already here is kept" in plan_entry.reason
    family_entry = next(e for e in preview.updates if e.kind == "family")
    assert "notes" in family_entry.reason and "consent sought" in family_entry.reason
    text = preview.describe()
    assert "Replaces: family" in text and "Replaces: plan" in text
    assert preview.sender_audit_entries == len(record.content.audit) > 0
    assert f"sender's audit trail for this record ({preview.sender_audit_entries} entries)" in text

    sharing.apply_import(b, record)
    merged = b.plans.get_for_round(case.round.id)
    assert merged is not None
    assert {x.description for x in merged.actions} == {"Weekly visit", "Nursery place from January",
                                                      "Dental registration"}
    audited = next(e for e in b.audit.entries_for(case.family.id) if e.action == "updated_by_import")
    assert audited.detail["replaced_fields"] == ["consent_sought", "notes"]
