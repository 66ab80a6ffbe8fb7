"""Retention of closed cases: which local copies are due for erasure, and erasing one for real.

This app is a working tool, not the system of record. A case is active until it is closed (the store keeps
the closing date); once it has been closed for longer than the retention period in the settings (24 months
by default), it is due: file the summary in the official record, then erase the local copy here.

Erasure goes through the store's `delete_case`: every row of the case is deleted in one transaction with
`secure_delete` on (freed space is zeroed), then the file is rewritten by VACUUM and the WAL truncated, so
nothing of the case is left even to someone holding the passphrase. The audit trail records the erasure
with ids and counts only. Copies made earlier (migration backups beside the store, backups written with
`store backup`, exported records and PDFs) are not touched: `ErasedCase.older_backups` lists the ones the
app knows about, so the user can deal with them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..domain import DomainError
from ..storage.store import CaseRetention, Store

RETENTION_MESSAGE = "File the summary in the official record, then erase the local copy."


class RetentionState(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"active": "Active", "closed": "Closed"}[self.value]


class ConfirmationMismatch(DomainError):
    """The case reference typed to confirm an erasure is not the case's reference."""


class CaseStillActive(DomainError):
    """Only a closed case is erased through the retention flow."""


@dataclass(frozen=True, slots=True)
class CaseRetentionView:
    """One case's retention state, for listings: names nobody (the case reference only)."""

    family_id: uuid.UUID
    case_ref: str
    state: RetentionState
    closed_on: dt.date | None
    keep_until: dt.date | None  # the last day of the retention period; due from the day after
    due: bool

    @property
    def message(self) -> str:
        if self.state is RetentionState.ACTIVE or self.keep_until is None or self.closed_on is None:
            return "Active case."
        if self.due:
            return (f"Closed on {self.closed_on.isoformat()}; the retention period ended on "
                    f"{self.keep_until.isoformat()}. {RETENTION_MESSAGE}")
        return f"Closed on {self.closed_on.isoformat()}; keep until {self.keep_until.isoformat()}."


@dataclass(frozen=True, slots=True)
class ErasedCase:
    case_ref: str
    family_id: uuid.UUID
    older_backups: tuple[Path, ...]  # copies made before the erasure that may still hold the case


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved on by whole calendar months; the 31st becomes the month's last day where needed."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _view(state: CaseRetention, months: int, today: dt.date) -> CaseRetentionView:
    if not state.closed or state.closed_on is None:
        return CaseRetentionView(state.family_id, state.case_ref, RetentionState.ACTIVE, None, None, False)
    keep_until = add_months(state.closed_on, months)
    return CaseRetentionView(state.family_id, state.case_ref, RetentionState.CLOSED, state.closed_on, keep_until,
                             today > keep_until)


def _check_months(months: int) -> None:
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise DomainError("The retention period must be a whole number of months, at least 1.",
                          field="closed_case_retention_months")


def retention_overview(store: Store, settings_months: int, today: dt.date) -> list[CaseRetentionView]:
    """Every case with its retention state, by case reference."""
    _check_months(settings_months)
    return [_view(s, settings_months, today) for s in store.families.retention_states()]


def retention_due(store: Store, settings_months: int, today: dt.date) -> list[CaseRetentionView]:
    """Closed cases whose closing date is more than `settings_months` months before `today`, oldest first."""
    due = [v for v in retention_overview(store, settings_months, today) if v.due]
    return sorted(due, key=lambda v: (v.closed_on or today, v.case_ref))


def close_case(store: Store, case_ref: str, on: dt.date) -> CaseRetentionView:
    """Mark a case closed on `on` (its retention period starts then)."""
    family = store.families.get_by_ref(case_ref)
    store.families.close_case(family.id, on)
    return CaseRetentionView(family.id, family.case_ref, RetentionState.CLOSED, on, None, False)


def reopen_case(store: Store, case_ref: str) -> None:
    family = store.families.get_by_ref(case_ref)
    store.families.reopen_case(family.id)


def migration_backups(store_path: Path) -> tuple[Path, ...]:
    """The encrypted copies the store's migrations leave beside it (`<store>.v<N>-<time>.bak`)."""
    return tuple(sorted(store_path.parent.glob(f"{store_path.name}.v*.bak")))


def erase_case(store: Store, case_ref: str, typed_ref: str, *, require_closed: bool = True) -> ErasedCase:
    """Erase a case and everything under it for real, once the user has typed its reference back.

    Refuses (and changes nothing) when the typed reference differs, or, with `require_closed`, when the
    case is still active.
    """
    family = store.families.get_by_ref(case_ref)
    if typed_ref.strip() != family.case_ref:
        raise ConfirmationMismatch("The case reference typed does not match; nothing was erased.",
                                   field="confirm_ref")
    if require_closed:
        state = next((s for s in store.families.retention_states() if s.family_id == family.id), None)
        if state is None or not state.closed:
            raise CaseStillActive(f"Case {family.case_ref} is still active: close it first, then erase it.")
    store.families.delete_case(family.id, typed_ref)
    return ErasedCase(family.case_ref, family.id, migration_backups(store.path))
