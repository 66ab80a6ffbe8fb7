"""Where the app keeps its files: one store per practitioner in the user's private data folder."""

from __future__ import annotations

import os
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
    """Create `path` (and parents) readable by the user only (0700 on POSIX)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
