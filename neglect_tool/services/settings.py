"""The user's preferences: typed, with defaults, kept as JSON in the private config folder.

Preferences only: never child data, never secrets, never window geometry (Qt keeps that apart). Reading
never fails: a missing or corrupt file gives the defaults, and a key with a wrong type or an out-of-range
value falls back to its own default while the others still load. Writing is atomic (temp file in the same
folder, fsync, os.replace), so a crash mid-save leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..paths import config_dir, ensure_private_dir, fsync_dir

SETTINGS_FILENAME = "settings.json"
MAX_FILE_BYTES = 64 * 1024  # a settings file is a few hundred bytes; anything this big is not ours

IDLE_LOCK_MINUTES_RANGE = (1, 120)
RETENTION_MONTHS_RANGE = (1, 240)


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"

    @property
    def label(self) -> str:
        return {"system": "Follow the system", "light": "Light", "dark": "Dark"}[self.value]


class InvalidSetting(ValueError):
    """A setting given a value of the wrong type or outside its range."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Settings:
    idle_lock_minutes: int = 5
    initials_only_by_default: bool = False
    theme: Theme = Theme.SYSTEM
    closed_case_retention_months: int = 24

    def __post_init__(self) -> None:
        _check_int(self.idle_lock_minutes, "idle_lock_minutes", IDLE_LOCK_MINUTES_RANGE)
        _check_int(self.closed_case_retention_months, "closed_case_retention_months", RETENTION_MONTHS_RANGE)
        if not isinstance(self.initials_only_by_default, bool):
            raise InvalidSetting("initials only by default must be true or false", field="initials_only_by_default")
        if not isinstance(self.theme, str) or self.theme not in {t.value for t in Theme}:
            raise InvalidSetting(f"theme must be one of {', '.join(Theme)}", field="theme")
        object.__setattr__(self, "theme", Theme(self.theme))

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _check_int(value: object, name: str, bounds: tuple[int, int]) -> None:
    low, high = bounds
    # bool is an int in Python; `true` in a settings file is not a number of minutes
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSetting(f"{name.replace('_', ' ')} must be a whole number", field=name)
    if not low <= value <= high:
        raise InvalidSetting(f"{name.replace('_', ' ')} must be between {low} and {high}", field=name)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILENAME


def settings_from_json(data: object) -> Settings:
    """Settings from parsed JSON: known keys with valid values are taken, everything else is the default."""
    if not isinstance(data, dict):
        return Settings()
    accepted: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in data:
            continue
        try:
            Settings(**{f.name: data[f.name]})
        except InvalidSetting:
            continue
        accepted[f.name] = data[f.name]
    return Settings(**accepted)


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return Settings()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not UTF-8, not JSON, absurdly nested
        return Settings()
    return settings_from_json(data)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    if path is None:
        path = settings_path()
        ensure_private_dir(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = (json.dumps(settings.to_json(), indent=2, sort_keys=True) + "\n").encode("utf-8")
    import tempfile  # only when saving: keeps it off the start-up path

    fd, tmp_name = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)

