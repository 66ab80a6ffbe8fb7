"""Export file names never name the family or a child: a file name shows in folder listings, recent-file
lists, e-mail attachments and backups, where the file's encryption does not reach."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from ..domain import DomainError
from ..storage.store import Store


def names_in(file_name: str, names: list[str]) -> list[str]:
    """The names (of two letters or more) that appear as whole words in `file_name`, ignoring case."""
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", file_name)}
    return [n for n in names if len(n) >= 2 and n.casefold() in words]


def family_names(store: Store, family_id: uuid.UUID) -> list[str]:
    family = store.families.get(family_id)
    names = [*family.family_name.split()]
    for child in store.children.for_family(family_id):
        names += child.given_names.split() + child.family_name.split()
    return sorted(set(names))


def check_export_name(store: Store, family_id: uuid.UUID, path: Path, suggestion: str) -> None:
    """Refuse a file name that contains the family's or a child's name (DomainError, nothing written)."""
    if names_in(Path(path).name, family_names(store, family_id)):
        raise DomainError("The file name contains the family's or a child's name; name the file by case "
                          f"reference instead (e.g. {suggestion}).")
