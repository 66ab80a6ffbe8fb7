"""`neglect-tool export record|sheet` and `neglect-tool import` end to end, between two real stores: a demo
store exports, another store imports (dry run first, counts checked, then for real, then again: all
identical). Passphrases only from the environment, files or a generated one shown on stderr."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from neglect_tool.cli import run_cli
from neglect_tool.domain import Child, Family
from neglect_tool.services import session as session_module
from neglect_tool.storage import keys
from neglect_tool.storage.store import Store

from .test_exchange_helpers import fingerprint

STORE_PASS = "correct horse battery staple"
CASE = "NB-2026-0147"


@pytest.fixture(autouse=True)
def _fast_store_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stores use the fast test KDF; the record files keep SQLCipher's real settings."""
    monkeypatch.setattr(keys, "STORE_KDF", keys.FAST_TEST_KDF)
    monkeypatch.setattr(session_module, "STORE_KDF", keys.FAST_TEST_KDF)
    for fn in ("unlock", "create", "create_demo"):
        original = getattr(session_module.Session, fn).__func__
        monkeypatch.setattr(session_module.Session, fn, classmethod(
            lambda cls, *a, _o=original, **k: _o(cls, *a, **{**k, "kdf": keys.FAST_TEST_KDF})))
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", STORE_PASS)
    monkeypatch.delenv("NEGLECT_TOOL_EXPORT_PASSPHRASE", raising=False)
    monkeypatch.delenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, built once for the module (each test works on its own copy)."""
    path = tmp_path_factory.mktemp("demo") / "demo.ntdb"
    session_module.Session.create_demo(path, STORE_PASS, kdf=keys.FAST_TEST_KDF).lock()
    return path


def _sender(demo_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "sender.ntdb"
    shutil.copy(demo_store, copy)
    return copy


def _import_json(store: Path, record: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert run_cli(["--store", str(store), "import", str(record), "--json", *extra]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_export_then_import_between_two_stores(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    sender, receiver = _sender(demo_store, tmp_path), tmp_path / "receiver.ntdb"
    assert run_cli(["--store", str(receiver), "store", "init", "--name", "Rae Receiver", "--role", "GP",
                    "--agency", "health"]) == 0
    capsys.readouterr()

    out = tmp_path / "shared"
    out.mkdir()
    assert run_cli(["--store", str(sender), "export", "record", "--case", CASE, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    record = out / f"{CASE}.ntrec"
    assert record.exists() and str(record) in printed.out and "Ashdown" not in printed.out
    generated = printed.err.strip().splitlines()[-1].strip()  # shown once, on stderr only
    assert len(generated.split("-")) == 8 and generated not in printed.out
    monkeypatch.setenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", generated)

    before = fingerprint(receiver)
    dry = _import_json(receiver, record, capsys, "--dry-run")
    assert fingerprint(receiver) == before  # the dry run changed nothing
    counts = dry["counts"]
    assert isinstance(counts, dict) and dry["applied"] is False and dry["case_ref"] == CASE
    assert counts["family"] == {"new": 1} and counts["child"] == {"new": 3} and counts["round"] == {"new": 9}
    assert counts["sheet"] == {"new": 54} and counts["consensus"] == {"new": 6} and counts["plan"] == {"new": 6}
    assert dry["exported_by"] == "Morgan Ellery (Social worker, Children's social care)"

    done = _import_json(receiver, record, capsys)
    assert done["applied"] is True and done["counts"] == counts
    again = _import_json(receiver, record, capsys)
    assert all(set(tally) == {"identical"} for tally in again["counts"].values())  # type: ignore[union-attr]
    assert run_cli(["--store", str(receiver), "import", str(record)]) == 0
    assert "already here" in capsys.readouterr().out
    assert run_cli(["--store", str(receiver), "audit", "verify"]) == 0
    capsys.readouterr()

    # One sheet, with the passphrase from a file: placed into the case the receiver now has.
    store = Store.open(sender, STORE_PASS, kdf=keys.FAST_TEST_KDF)
    try:
        family = store.families.get_by_ref(CASE)
        rnd = store.rounds.for_child(store.children.for_family(family.id)[0].id)[0]
        sheet_id = store.sheets.for_round(rnd.id)[0].id
    finally:
        store.close()
    secret = tmp_path / "record-pass.txt"
    secret.write_text("pebble-orchid-walnut-heron-quill\n")
    sheet_file = tmp_path / "one.ntrec"
    assert run_cli(["--store", str(sender), "export", "sheet", "--sheet", str(sheet_id), "--out", str(sheet_file),
                    "--export-passphrase-file", str(secret)]) == 0
    assert "pebble" not in capsys.readouterr().err
    monkeypatch.setenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", "pebble-orchid-walnut-heron-quill")
    one = _import_json(receiver, sheet_file, capsys)
    assert one["kind"] == "sheet" and one["counts"]["sheet"] == {"identical": 1}  # type: ignore[index]
    assert run_cli(["--store", str(sender), "export", "sheet", "--sheet", str(sheet_id), "--out", str(sheet_file),
                    "--export-passphrase-file", str(secret)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_possible_duplicates_on_the_command_line(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    sender, receiver = _sender(demo_store, tmp_path), tmp_path / "receiver.ntdb"
    assert run_cli(["--store", str(receiver), "store", "init", "--name", "Rae Receiver", "--role", "GP"]) == 0
    monkeypatch.setenv("NEGLECT_TOOL_EXPORT_PASSPHRASE", "lark-ember-topaz-willow-fig")
    monkeypatch.setenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", "lark-ember-topaz-willow-fig")
    record = tmp_path / "case.ntrec"
    assert run_cli(["--store", str(sender), "export", "record", "--case", CASE, "--out", str(record)]) == 0
    store = Store.open(receiver, STORE_PASS, kdf=keys.FAST_TEST_KDF)  # the case entered here by hand
    sent = Store.open(sender, STORE_PASS, kdf=keys.FAST_TEST_KDF)
    try:
        lily = next(c for c in sent.children.for_family(sent.families.get_by_ref(CASE).id) if c.given_names == "Lily")
        family = store.families.add(Family(case_ref=CASE, family_name="Ashdown"))
        store.children.add(Child(family_id=family.id, given_names="Lily", family_name="Ashdown",
                                 date_of_birth=lily.date_of_birth))
    finally:
        store.close()
        sent.close()
    capsys.readouterr()

    before = fingerprint(receiver)
    assert run_cli(["--store", str(receiver), "import", str(record)]) == 1
    assert "possible duplicate" in capsys.readouterr().err and fingerprint(receiver) == before
    dry = _import_json(receiver, record, capsys, "--dry-run")
    assert {p["reason"] for p in dry["possible_duplicates"]} == {  # type: ignore[union-attr]
        "same case reference", "same name and date of birth"}

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # asked pair by pair in a terminal
    answers = iter(["maybe", "l", "l"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    done = _import_json(receiver, record, capsys)
    assert done["counts"]["family"] == {"linked": 1}  # type: ignore[index]
    assert done["counts"]["child"] == {"linked": 1, "new": 2}  # type: ignore[index]
    assert done["counts"]["sheet"] == {"new": 54}  # type: ignore[index]
    again = _import_json(receiver, record, capsys, "--link")
    assert again["counts"]["sheet"] == {"identical": 54}  # type: ignore[index]


def test_import_errors_are_one_line_and_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    receiver = tmp_path / "receiver.ntdb"
    assert run_cli(["--store", str(receiver), "store", "init", "--name", "Rae Receiver", "--role", "GP"]) == 0
    junk = tmp_path / "junk.ntrec"
    junk.write_bytes(b"\x00" * 8192)
    before = fingerprint(receiver)
    assert run_cli(["--store", str(receiver), "import", str(junk)]) == 1
    assert "NEGLECT_TOOL_IMPORT_PASSPHRASE" in capsys.readouterr().err  # no terminal, no passphrase
    monkeypatch.setenv("NEGLECT_TOOL_IMPORT_PASSPHRASE", "some-words-for-the-record")
    assert run_cli(["--store", str(receiver), "import", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("neglect-tool: That passphrase does not open this record file") and err.count("\n") == 1
    assert run_cli(["--store", str(receiver), "import", str(receiver)]) == 1
    assert "store, not an exported record" in capsys.readouterr().err
    assert fingerprint(receiver) == before
    with pytest.raises(SystemExit):
        run_cli(["import", "--help"])
    assert "--keep-apart" in capsys.readouterr().out


def test_a_record_file_named_after_the_child_is_refused(tmp_path: Path) -> None:
    """A file name shows in folder listings and e-mail where the encryption does not reach."""
    from neglect_tool.domain import DomainError
    from neglect_tool.services import sharing
    from neglect_tool.services.session import Session
    from neglect_tool.storage.keys import FAST_TEST_KDF

    session = Session.create_demo(tmp_path / "demo.ntdb", kdf=FAST_TEST_KDF)
    try:
        case = next(c for c in session.cases() if c.family_name == "Calloway")
        for name in ("Jayden-Calloway.ntrec", "calloway record.ntrec", "notes for JAYDEN.ntrec"):
            with pytest.raises(DomainError, match="file name contains"):
                sharing.export_case(session.store, case.case_ref, "a long record passphrase for the test",
                                    tmp_path / name)
            assert not (tmp_path / name).exists()
        with pytest.raises(DomainError, match="file name contains"):
            session.casework.export_summary(case.case_ref, tmp_path / "Calloway-summary.pdf", password=None,
                                            redact=False)
    finally:
        session.lock()
