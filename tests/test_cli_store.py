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
    out = capsys.readouterr().out
    assert "hash chain intact" in out and "Newest entry's hash: " in out
    assert len(out.split("Newest entry's hash: ")[1].split()[0]) == 64  # SHA-256, to keep outside the store
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


def test_store_check_calls_a_page_boundary_cut_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "demo.ntdb"
    assert run_cli(["--store", str(store), "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", "demo-only-synthetic-data")
    for suffix in ("-wal", "-shm"):
        assert not store.with_name(store.name + suffix).exists()  # the store was closed cleanly
    data = store.read_bytes()
    for pages in (1, 5, 100):
        store.write_bytes(data[: len(data) - 4096 * pages])
        assert run_cli(["--store", str(store), "store", "check"]) == 1
        out, err = capsys.readouterr()
        assert out.startswith("DAMAGED"), (pages, out, err)
        assert "does not unlock" not in out + err  # damage, not the passphrase


def test_a_passphrase_file_on_the_command_line_wins_over_the_environment(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """As --help says: the file asked for explicitly, then $NEGLECT_TOOL_PASSPHRASE, then a prompt."""
    from neglect_tool.cli.passphrase import store_passphrase

    secret = tmp_path / "pass.txt"
    secret.write_text("the words in the file\n")
    monkeypatch.setenv("NEGLECT_TOOL_PASSPHRASE", "the words in the environment")
    assert store_passphrase(str(secret)) == "the words in the file"
    assert store_passphrase(None) == "the words in the environment"
