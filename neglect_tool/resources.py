"""The one place that finds the project's data files (forms/ and resources/).

The same lookup works from a source checkout (the folders beside the package), an installed wheel
(copied into the package as ``neglect_tool/_data`` by setup.py) and a frozen build (PyInstaller's
bundle folder). Nothing else in the code base builds paths to data files.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FOLDERS = ("forms", "resources")


class DataFileMissing(FileNotFoundError):
    """A data file that ships with the app could not be found: the installation is incomplete."""


def _candidate_roots() -> list[Path]:
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a frozen build
    if bundle:
        roots.append(Path(bundle) / "neglect_tool" / "_data")
        roots.append(Path(bundle))
    roots.append(_PACKAGE_DIR / "_data")  # installed wheel
    roots.append(_PACKAGE_DIR.parent)  # source checkout or editable install
    return roots


@cache
def data_root(folder: str) -> Path:
    """The directory holding `folder` ("forms" or "resources")."""
    if folder not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {folder!r}; expected one of {DATA_FOLDERS}")
    for root in _candidate_roots():
        candidate = root / folder
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(r / folder) for r in _candidate_roots())
    raise DataFileMissing(f"the {folder}/ data folder is missing (searched {searched}); reinstall the app")


def forms_dir() -> Path:
    return data_root("forms")


def resource_path(*parts: str) -> Path:
    """A file under resources/, e.g. resource_path("icons", "app.svg")."""
    path = data_root("resources").joinpath(*parts)
    if not path.exists():
        raise DataFileMissing(f"resource {'/'.join(parts)} is missing; reinstall the app")
    return path
