"""Erase everything on this laptop: in temporary XDG folders, everything the app wrote goes (store, WAL/SHM,
migration backups, leftovers, settings, Qt's settings file, cache, the data folder) and nothing outside the
app's folders is touched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neglect_tool.cli import run_cli
from neglect_tool.domain import Agency, Family, Professional
from neglect_tool.paths import config_dir, data_dir, default_store_path
from neglect_tool.services.erase_all import (
    CONFIRM_PHRASE,
    ConfirmationRequired,
    NotOurFile,
    erase_all,
    plan_erase_all,
)
from neglect_tool.services.settings import Settings, save_settings
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.migrate import backup_path_for
from neglect_tool.storage.store import Store

from .conftest import PASSPHRASE


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with every XDG folder inside it, other apps' files, and the app's files."""
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    # other people's files, beside and around the app's folders
    for other in (".local/share/other-app/notes.db", ".config/other-app/settings.ini", ".cache/other-app/x",
                  ".config/neglect-tool-other/keep.txt", "Documents/report.pdf", ".local/share/store.ntdb"):
        (home / other).parent.mkdir(parents=True, exist_ok=True)
        (home / other).write_bytes(b"not the app's " + other.encode())
    # the app's files
    store_path = default_store_path()
    with Store.create(store_path, PASSPHRASE, owner=Professional(name="Leaver Testwell", role="Health visitor",
                                                                 agency=Agency.HEALTH), kdf=FAST_TEST_KDF) as store:
        store.families.add(Family(case_ref="EA-1", family_name="Erasewell"))
        store.db.backup_to(backup_path_for(store_path, 1))  # where a migration leaves its backup
    for leftover in ("-wal", "-shm"):  # as a crash would leave them
        store_path.with_name(store_path.name + leftover).write_bytes(os.urandom(4096))
    store_path.with_name(f".{store_path.name}.rekey").write_bytes(os.urandom(8192))
    save_settings(Settings(idle_lock_minutes=7))
    _write_qt_settings(home)
    cache = home / ".cache" / "neglect-tool"
    cache.mkdir()
    (cache / "thumb.bin").write_bytes(b"cache")
    return home


def _write_qt_settings(home: Path) -> None:
    """Let Qt itself write the app's QSettings (as the window does), in a fresh process with these folders."""
    code = ("from PySide6.QtCore import QCoreApplication, QSettings\n"
            "app = QCoreApplication([])\n"
            "app.setOrganizationName('neglect-tool'); app.setApplicationName('neglect-tool')\n"
            "s = QSettings(); s.setValue('window/geometry', b'abc'); s.sync()\n"
            "print(s.fileName())\n")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                         capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert Path(out).is_file() and Path(out).parent == config_dir(), out


def _snapshot(home: Path, exclude: tuple[Path, ...]) -> dict[str, str]:
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in home.rglob("*") if p.is_file() and not any(x == p or x in p.parents for x in exclude)}


def _app_folders() -> tuple[Path, ...]:
    return (data_dir(), config_dir(), Path(os.environ["XDG_CACHE_HOME"]) / "neglect-tool")


def test_erase_all_removes_everything_of_the_app_and_nothing_else(laptop: Path) -> None:
    others = _snapshot(laptop, _app_folders())
    assert len(others) == 6
    plan = plan_erase_all()
    names = sorted(p.name for p in plan.files)
    assert names[:4] == [".store.ntdb.rekey", "store.ntdb", "store.ntdb-shm", "store.ntdb-wal"]
    assert len(names) == 5 and names[4].startswith("store.ntdb.v1-") and names[4].endswith(".bak")
    assert set(plan.folders) == {config_dir(), laptop / ".cache" / "neglect-tool"}

    report = erase_all(CONFIRM_PHRASE, plan)
    assert set(report.removed_files) == set(plan.files)
    assert data_dir() in report.removed_folders and report.left == ()
    for folder in _app_folders():
        assert not folder.exists(), folder
    assert _snapshot(laptop, ()) == others  # every other file is still there, byte for byte
    assert any("SSD" in note for note in report.notes)
    assert any("Not reached" in note for note in report.notes)


def test_wrong_phrase_erases_nothing(laptop: Path) -> None:
    before = _snapshot(laptop, ())
    for typed in ("", "erase", "yes", "erase everything please"):
        with pytest.raises(ConfirmationRequired, match="nothing was erased"):
            erase_all(typed)
    assert _snapshot(laptop, ()) == before


def test_a_named_extra_file_must_be_ours_and_unknown_files_are_left(laptop: Path) -> None:
    extra_backup = laptop / "Documents" / "my-backup.ntdb"
    [migration_backup] = data_dir().glob("store.ntdb.v1-*.bak")
    migration_backup.replace(extra_backup)
    stranger = data_dir() / "holiday.jpg"
    stranger.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    with pytest.raises(NotOurFile, match="not removed"):
        plan_erase_all(extra_files=[laptop / "Documents" / "report.pdf"])
    (laptop / "Documents" / "real.pdf").write_bytes(b"%PDF-1.7\n" + bytes(8183))
    for not_a_store in ("report.pdf", "real.pdf"):  # --store pointing at something else is refused too
        with pytest.raises(NotOurFile):
            plan_erase_all(store_path=laptop / "Documents" / not_a_store)
    report = erase_all("  Erase  Everything ", plan_erase_all(extra_files=[extra_backup]))
    assert extra_backup in report.removed_files and not extra_backup.exists()
    assert report.left == (stranger,) and stranger.exists()
    assert (laptop / "Documents" / "report.pdf").exists()


def test_erase_all_on_the_command_line(laptop: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["erase-all", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "store.ntdb" in listed and str(config_dir()) in listed
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run_cli(["erase-all"]) == 1  # no terminal and no --confirm: refused
    assert "--confirm" in capsys.readouterr().err
    assert run_cli(["erase-all", "--confirm", "yes"]) == 1
    assert default_store_path().exists()
    assert run_cli(["erase-all", "--confirm", CONFIRM_PHRASE]) == 0
    out = capsys.readouterr().out
    assert "removed" in out and "SSD" in out
    assert not data_dir().exists() and not config_dir().exists()
    assert run_cli(["erase-all", "--confirm", CONFIRM_PHRASE]) == 0
    assert "Nothing of this app" in capsys.readouterr().out
