"""Where the app keeps its files: one store per practitioner in the user's private data folder."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "neglect-tool"
STORE_ENV = "NEGLECT_TOOL_STORE"
STORE_FILENAME = "store.ntdb"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP_NAME, appauthor=False)


def default_store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--store PATH` wins, then $NEGLECT_TOOL_STORE, then the per-user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / STORE_FILENAME


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only (0700 on POSIX). An existing folder keeps its
    permissions unless it is the app's own data or settings folder: `--store /tmp/x.ntdb` must not lock
    everyone else out of /tmp or a shared folder."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    own = path.resolve() in {data_dir().resolve(), config_dir().resolve()}
    if os.name == "posix" and (not existed or own):
        os.chmod(path, 0o700)
    return path


def fsync_file(path: Path) -> None:
    """Flush a written file's data to the disk before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); Windows cannot open a folder for fsync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# A leftover temp file is one a killed writer never renamed. It is encrypted, but it is clutter and it holds
# data the user may have erased since; one older than this is swept when the next file is written beside it.
STALE_TEMP_SECONDS = 60.0
_TEMP_SIDECARS = ("", "-journal", "-wal", "-shm")


def private_temp_beside(dest: Path) -> Path:
    """A new, empty, private (0600) temp file in `dest`'s folder, named `.NAME.XXXX.tmp` so that the final
    rename stays on one file system. Leftovers of earlier writers of `dest` killed mid-write are removed."""
    folder = dest.parent
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in folder.glob(f".{dest.name}.*.tmp*"):
        if not leftover.name.endswith(tuple(f".tmp{s}" for s in _TEMP_SIDECARS)):
            continue
        with contextlib.suppress(OSError):
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
    import tempfile  # only when writing: keeps it off the start-up path

    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(name)
