"""Erase everything this app keeps on this laptop, for a leaver or a laptop going back to IT.

What goes: the store file with its -wal/-shm/-journal, the encrypted backups migrations leave beside it
(`<store>.v<N>-<time>.bak`), leftovers of an interrupted backup or passphrase change (`.<store>.*`), the
settings and config folder (settings.json and Qt's own settings file, which on Linux is
`~/.config/neglect-tool/neglect-tool.conf` and on macOS `~/Library/Preferences/com.neglect-tool.neglect-tool.plist`),
the app's cache and state folders, and the data folder once it is empty. Files the user names with
`extra_files` (backups written with `store backup`, exported records) go too, but only if they look like
encrypted neglect_tool files. Nothing else is touched.

Files are unlinked, not overwritten first: on an SSD (every current laptop) the drive's wear levelling
writes an "overwrite" somewhere else, so overwriting gives no assurance; the protection is that every file
holding case data is encrypted (SQLCipher, AES-256), so what may remain in freed blocks is ciphertext that
needs the passphrase. Not reached: copies outside these folders (exported records or PDFs sent or saved
elsewhere, backups the user does not name, printouts) and, on Windows, Qt's registry key
HKCU\\Software\\neglect-tool (window position only).
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_cache_path, user_state_path

from ..domain import DomainError
from ..paths import APP_NAME, STORE_FILENAME, config_dir, data_dir, default_store_path
from ..storage.connection import sniff_store_file
from ..storage.errors import NotAStore, StoreError

CONFIRM_PHRASE = "erase everything"
SSD_NOTE = ("Files were deleted, not overwritten: on an SSD an overwrite lands elsewhere on the chip, so it "
            "proves nothing. What may remain in freed space is encrypted and useless without the passphrase.")
NOT_REACHED_NOTE = ("Not reached: exported record files and PDFs saved or sent elsewhere, backups kept in other "
                    "places, and printed copies. Delete or shred those separately.")
WINDOWS_NOTE = ("On Windows, the window position is kept in the registry (HKCU\\Software\\neglect-tool); "
                "it holds no case data.")


class ConfirmationRequired(DomainError):
    """The confirmation phrase was not typed exactly."""


class NotOurFile(DomainError):
    """A file named for erasure does not look like an encrypted neglect_tool file: it is left alone."""


@dataclass(frozen=True, slots=True)
class ErasePlan:
    """What erase_all would remove: individual files, whole folders that belong to the app, and the data
    folder (removed only if it ends up empty)."""

    files: tuple[Path, ...]
    folders: tuple[Path, ...]
    data_folder: Path

    @property
    def empty(self) -> bool:
        return not self.files and not self.folders and not self.data_folder.exists()


@dataclass(frozen=True, slots=True)
class EraseReport:
    removed_files: tuple[Path, ...]
    removed_folders: tuple[Path, ...]
    left: tuple[Path, ...]  # found in the data folder but not the app's to remove
    notes: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        out = [f"removed {p}" for p in (*self.removed_files, *self.removed_folders)]
        out += [f"left in place (not created by this app): {p}" for p in self.left]
        return out + list(self.notes)


def qt_settings_files() -> tuple[Path, ...]:
    """Where Qt keeps the app's QSettings (organisation and application "neglect-tool") as files."""
    if sys.platform == "darwin":
        return (Path.home() / "Library" / "Preferences" / f"com.{APP_NAME}.{APP_NAME}.plist",)
    if os.name == "nt":
        return ()  # the registry (see WINDOWS_NOTE)
    return (config_dir() / f"{APP_NAME}.conf", config_dir() / f"{APP_NAME}.conf.lock")


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def store_files(store: Path) -> list[Path]:
    """The store and every file that belongs to it, beside it in its folder."""
    folder = store.parent
    if not folder.is_dir():
        return []
    name = glob.escape(store.name)
    found = [folder / (store.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    found = [p for p in found if _exists(p)]
    found += sorted(folder.glob(f"{name}.v*.bak*"))  # migration backups (and a -wal/-shm of one)
    found += sorted(folder.glob(f".{name}.*"))  # an interrupted backup, export copy or rekey
    return [p for p in found if not p.is_dir() or p.is_symlink()]


def _check_ours(path: Path, *, damaged_ok: bool = False) -> None:
    """Refuse a file that is not an encrypted neglect_tool file (a plain database, a PDF, a document...).
    With `damaged_ok`, a damaged file named like a store (.ntdb) still counts as ours: it is erased all the
    same."""
    try:
        sniff_store_file(path)
    except StoreError as exc:
        if damaged_ok and not isinstance(exc, NotAStore) and path.suffix == Path(STORE_FILENAME).suffix:
            return
        raise NotOurFile(f"{path} does not look like an encrypted neglect_tool file, so it was not removed. "
                         "Nothing was erased.") from exc


def plan_erase_all(store_path: Path | None = None, extra_files: Sequence[Path] = ()) -> ErasePlan:
    """What erase_all would remove. `store_path` is the store in use (default: --store/$NEGLECT_TOOL_STORE or
    the data folder's); the data folder's own store is always included."""
    own = (data_dir() / STORE_FILENAME).absolute()
    chosen = default_store_path(store_path).absolute()
    if chosen != own and chosen.is_file() and not chosen.is_symlink():
        _check_ours(chosen, damaged_ok=True)  # a store elsewhere (--store): make sure it is one
    files: list[Path] = []
    for store in sorted({own, chosen}):
        files += store_files(store)
    for extra in extra_files:
        extra = Path(extra).expanduser()
        if _exists(extra):
            if not extra.is_symlink():
                _check_ours(extra)
            files.append(extra)
    files += [p for p in qt_settings_files() if _exists(p) and config_dir() not in p.parents]
    folders = [p for p in (config_dir(), user_cache_path(APP_NAME, appauthor=False),
                           user_state_path(APP_NAME, appauthor=False)) if _exists(p)]
    unique_files = tuple(dict.fromkeys(p.absolute() for p in files))
    return ErasePlan(unique_files, tuple(dict.fromkeys(folders)), data_dir())


def _remove_folder(folder: Path) -> None:
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink(missing_ok=True)  # a link to somewhere else: only the link is the app's
    else:
        shutil.rmtree(folder)  # never follows links inside the folder


def erase_all(confirmation: str, plan: ErasePlan | None = None) -> EraseReport:
    """Remove everything in `plan` (default: plan_erase_all()). Needs `confirmation` == CONFIRM_PHRASE."""
    if " ".join(confirmation.split()).casefold() != CONFIRM_PHRASE:
        raise ConfirmationRequired(f'Type "{CONFIRM_PHRASE}" to confirm; nothing was erased.')
    plan = plan or plan_erase_all()
    removed_files = []
    for path in plan.files:
        if _exists(path):
            path.unlink()
            removed_files.append(path)
    removed_folders = []
    for folder in plan.folders:
        if _exists(folder):
            _remove_folder(folder)
            removed_folders.append(folder)
    left: tuple[Path, ...] = ()
    data = plan.data_folder
    if data.is_dir() and not data.is_symlink():
        left = tuple(sorted(data.iterdir()))
        if not left:
            data.rmdir()
            removed_folders.append(data)
    notes = [SSD_NOTE, NOT_REACHED_NOTE] + ([WINDOWS_NOTE] if os.name == "nt" else [])
    return EraseReport(tuple(removed_files), tuple(removed_folders), left, tuple(notes))
