"""Collecting what an export carries from an unlocked store, through the store's own repositories.

A case: the family, its children, the professionals involved (and any other rater or the exporter), every
round of every child, every version of every sheet, each round's consensus and plan, and the audit
entries about all of these. A sheet: that sheet with every version it amends, its round, the rater, and
only the identifying details of the child and family needed to place it (no notes, no address).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from ...domain import Child, Family, Professional, RatingSheet
from .. import audit
from ..audit import AuditEntry
from ..store import Store
from .content import RecordContent
from .format import Manifest, RecordKind


def _audit_for(store: Store, ids: Iterable[uuid.UUID]) -> tuple[AuditEntry, ...]:
    entries: dict[int, AuditEntry] = {}
    for entity_id in ids:
        for entry in store.audit.entries_for(entity_id):
            entries[entry.seq] = entry
    return tuple(entries[seq] for seq in sorted(entries))


def _professionals(store: Store, known: Iterable[Professional], extra_ids: Iterable[uuid.UUID]) -> tuple[
        Professional, ...]:
    found = {p.id: p for p in known}
    for pid in extra_ids:
        if pid not in found:
            found[pid] = store.professionals.get(pid)
    return tuple(sorted(found.values(), key=lambda p: str(p.id)))


def gather_case(store: Store, family_id: uuid.UUID) -> RecordContent:
    family = store.families.get(family_id)
    involved = store.families.professionals_for(family_id)
    children = store.children.for_family(family_id)
    rounds = [r for child in children for r in store.rounds.for_child(child.id)]
    sheets = [s for r in rounds for s in store.sheets.for_round(r.id)]
    consensus = [c for r in rounds if (c := store.consensus.get_for_round(r.id)) is not None]
    plans = [p for r in rounds if (p := store.plans.get_for_round(r.id)) is not None]
    raters = [s.professional_id for s in sheets if s.professional_id is not None]
    professionals = _professionals(store, involved, [*raters, store.owner_id])
    ids = [family.id, *(c.id for c in children), *(p.id for p in professionals), *(r.id for r in rounds),
           *(s.id for s in sheets), *(c.id for c in consensus), *(p.id for p in plans)]
    return RecordContent(
        kind=RecordKind.CASE, case_ref=family.case_ref, families=(family,), children=tuple(children),
        professionals=professionals, involvements=tuple((family.id, p.id) for p in involved),
        rounds=tuple(rounds), sheets=tuple(sheets), consensus=tuple(consensus), plans=tuple(plans),
        audit=_audit_for(store, ids),
    )


def _version_chain(store: Store, sheet: RatingSheet) -> list[RatingSheet]:
    chain = [sheet]
    while chain[-1].supersedes is not None and len(chain) < 10_000:
        chain.append(store.sheets.get(chain[-1].supersedes))
    return chain[::-1]


def gather_sheet(store: Store, sheet_id: uuid.UUID) -> RecordContent:
    chain = _version_chain(store, store.sheets.get(sheet_id))
    rnd = store.rounds.get(chain[-1].round_id)
    child = store.children.get(rnd.child_id)
    family = store.families.get(child.family_id)
    # Only what the receiver needs to find (or create) the child and case this sheet belongs to.
    family_context = Family(id=family.id, case_ref=family.case_ref, family_name=family.family_name,
                            created_at=family.created_at, updated_at=family.updated_at)
    child_context = Child(id=child.id, family_id=child.family_id, given_names=child.given_names,
                          family_name=child.family_name, date_of_birth=child.date_of_birth,
                          case_number=child.case_number, nhs_number=child.nhs_number,
                          created_at=child.created_at, updated_at=child.updated_at)
    raters = [s.professional_id for s in chain if s.professional_id is not None]
    professionals = _professionals(store, (), [*raters, store.owner_id])
    return RecordContent(
        kind=RecordKind.SHEET, case_ref=family.case_ref, families=(family_context,), children=(child_context,),
        professionals=professionals, rounds=(rnd,), sheets=tuple(chain),
        audit=_audit_for(store, [s.id for s in chain]),
    )


def note_export(store: Store, content: RecordContent, manifest: Manifest) -> None:
    """Audit the export in the exporting store: what left, as ids and counts only."""
    with store.db.write() as conn:
        for family in content.families:
            audit.append(conn, store.owner_id, "family", family.id, "record_exported",
                         {"record": manifest.content_hash[:16], "kind": manifest.kind.value,
                          "sheets": len(content.sheets)})
