"""Bringing a store's schema up to date, one numbered migration per transaction, backup first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .connection import EncryptedDatabase
from .errors import StoreTooNew
from .schema import LATEST_VERSION, MIGRATIONS, Migration


def backup_path_for(db_path: Path, from_version: int) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return db_path.with_name(f"{db_path.name}.v{from_version}-{stamp}.bak")


def pending(current: int, migrations: tuple[Migration, ...] = MIGRATIONS) -> tuple[Migration, ...]:
    return tuple(m for m in migrations if m.version > current)


def check_not_newer(current: int, latest: int = LATEST_VERSION) -> None:
    if current > latest:
        raise StoreTooNew(
            f"This store was written by a newer version of neglect_tool (schema {current}; this version "
            f"understands up to {latest}). Update the app; the store has not been changed."
        )


def migrate(db: EncryptedDatabase, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply every pending migration. A store that has data gets an encrypted backup first.

    Returns the versions applied. Each step runs in its own transaction with user_version set inside
    it, so a crash leaves the store at the last completed step.
    """
    current = db.user_version
    latest = migrations[-1].version if migrations else 0
    check_not_newer(current, latest)
    steps = pending(current, migrations)
    if not steps:
        return []
    if current > 0:
        db.backup_to(backup_path_for(db.path, current))
    applied: list[int] = []
    for step in steps:
        with db.write() as conn:
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(step.version):d}")
        applied.append(step.version)
    return applied
