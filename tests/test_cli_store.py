"""The store commands end to end on a real encrypted store (passphrases from the environment)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neglect_tool.cli import run_cli
from neglect_tool.services import session as session_module
from neglect_tool.storage import keys


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "STORE_KDF", keys.FAST_TEST_KDF)
    monkeypatch.setattr(session_module, "STORE_KDF", keys.FAST_TEST_KDF)
    for fn in ("unlock", "create", "create_demo"):
        original = getattr(session_module.Session, fn).__func__
        monkeypatch.setattr(session_module.Session, fn, classmethod(
            lambda cls, *a, _o=original, **k: _o(cls, *a, **{**k, "kdf": keys.FAST_TEST_KDF})))


def test_demo_cases_check_backup_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "demo.ntdb"
    assert run_cli(["--store", str(store), "demo"]) == 0
    assert "demo-only-synthetic-data" in capsys.readouterr().out
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", "demo-only-synthetic-data")
    assert run_cli(["--store", str(store), "cases", "list", "--json"]) == 0
    cases = json.loads(capsys.readouterr().out)
    assert [c["case_ref"] for c in cases] == ["NB-2026-0147", "NB-2026-0212", "NB-2026-0388"]
    assert run_cli(["--store", str(store), "cases", "list", "--search", "rosie"]) == 0
    assert "NB-2026-0388" in capsys.readouterr().out
    assert run_cli(["--store", str(store), "store", "check"]) == 0
    assert capsys.readouterr().out.startswith("OK")
    assert run_cli(["--store", str(store), "store", "backup", str(tmp_path / "b.ntdb")]) == 0
    assert run_cli(["--store", str(store), "audit", "verify"]) == 0
    assert "hash chain intact" in capsys.readouterr().out
    monkeypatch.setenv("NEGLECT_TOOL_NEW_PASSPHRASE", "a brand new long passphrase")
    assert run_cli(["--store", str(store), "store", "rekey"]) == 0
    assert run_cli(["--store", str(store), "store", "check"]) == 1  # old passphrase no longer works
    assert "does not unlock" in capsys.readouterr().err


def test_init_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "mine" / "s.ntdb"
    secret = tmp_path / "pass.txt"
    secret.write_text("short\n")
    args = ["--store", str(store), "--passphrase-file", str(secret), "store", "init", "--name", "Al Test",
            "--role", "Health visitor", "--agency", "health"]
    assert run_cli(args) == 1
    assert "too short" in capsys.readouterr().err and not store.exists()
    secret.write_text("four random words here\n")
    assert run_cli(args) == 0
    assert "cannot be recovered" in capsys.readouterr().out
    assert run_cli(args) == 1  # refuses to overwrite
    assert run_cli(["--store", str(tmp_path / "none.ntdb"), "--passphrase-file", str(secret), "cases", "list"]) == 1
    assert "no store" in capsys.readouterr().err.lower()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run_cli(["--store", str(store), "cases", "list"]) == 1
    assert "NEGLECT_TOOL_PASSPHRASE" in capsys.readouterr().err
