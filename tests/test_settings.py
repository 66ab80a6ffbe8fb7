"""Settings: typed defaults, a file that can never crash the app, atomic private writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_tool.services.settings import (
    InvalidSetting,
    Settings,
    Theme,
    load_settings,
    save_settings,
    settings_from_json,
    settings_path,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
KEYS = ("idle_lock_minutes", "initials_only_by_default", "theme", "closed_case_retention_months")


def test_defaults() -> None:
    s = Settings()
    assert (s.idle_lock_minutes, s.initials_only_by_default, s.theme, s.closed_case_retention_months) == (
        5, False, Theme.SYSTEM, 24)


@pytest.mark.parametrize(("field", "value"), [
    ("idle_lock_minutes", 0), ("idle_lock_minutes", 121), ("idle_lock_minutes", True), ("idle_lock_minutes", 5.0),
    ("closed_case_retention_months", 0), ("closed_case_retention_months", 241),
    ("initials_only_by_default", 1), ("theme", "purple"), ("theme", None),
])
def test_invalid_values_are_refused_with_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidSetting) as err:
        Settings(**{field: value})  # type: ignore[arg-type]
    assert err.value.field == field


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nothing-here.json") == Settings()


def test_round_trip_in_the_private_config_folder() -> None:
    wanted = Settings(idle_lock_minutes=17, initials_only_by_default=True, theme=Theme.DARK,
                      closed_case_retention_months=36)
    save_settings(wanted)
    path = settings_path()
    assert path.name == "settings.json" and path.parent.name == "neglect-tool"
    assert str(path).startswith(os.environ["XDG_CONFIG_HOME"])  # conftest's private folder, not the real one
    assert load_settings() == wanted
    assert json.loads(path.read_text())["theme"] == "dark"
    if os.name == "posix":
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left behind


def test_unknown_keys_ignored_and_bad_values_fall_back_per_key(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "idle_lock_minutes": 500, "initials_only_by_default": True, "theme": "light",
        "closed_case_retention_months": "twelve", "child_name": "should never be read", "x": [1, 2],
    }))
    assert load_settings(path) == Settings(initials_only_by_default=True, theme=Theme.LIGHT)


@pytest.mark.parametrize("content", [
    b"", b"{", b"null", b"[1, 2]", b"\xff\xfe\x00garbage", b"[" * 100_000 + b"]" * 100_000,
    b'{"idle_lock_minutes": 1' + b"0" * 5000 + b"}", b"{}" + b" " * 70_000,
])
def test_corrupt_files_give_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert load_settings(path) == Settings()


def test_a_folder_in_place_of_the_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").mkdir()
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_save_replaces_atomically_and_keeps_the_old_file_on_failure(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cfg" / "settings.json"
    save_settings(Settings(idle_lock_minutes=9), path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_settings(Settings(idle_lock_minutes=10), path)
    monkeypatch.undo()
    assert load_settings(path) == Settings(idle_lock_minutes=9)
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), json_values, max_size=6))
def test_any_json_object_gives_valid_settings(data: dict[str, object]) -> None:
    result = settings_from_json(data)
    assert isinstance(result, Settings)
    for key in KEYS:
        value = data.get(key)
        try:
            Settings(**{key: value})  # type: ignore[arg-type]
            valid = key in data
        except InvalidSetting:
            valid = False
        expected = value if valid else getattr(Settings(), key)
        assert getattr(result, key) == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_file_content_gives_valid_settings(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert isinstance(load_settings(path), Settings)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.builds(Settings, idle_lock_minutes=st.integers(1, 120), initials_only_by_default=st.booleans(),
                 theme=st.sampled_from(Theme), closed_case_retention_months=st.integers(1, 240)))
def test_every_valid_settings_round_trips(tmp_path: Path, wanted: Settings) -> None:
    path = tmp_path / "settings.json"
    save_settings(wanted, path)
    assert load_settings(path) == wanted
