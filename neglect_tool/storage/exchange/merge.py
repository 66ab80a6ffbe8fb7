"""Merging a validated record into the store: a dry-run plan first, then the same plan applied in ONE
store transaction, audited. Nothing is ever dropped silently: every incoming entity gets an outcome.

Rules (entities match by UUID):
- not in the store: NEW, added; unless what it belongs to cannot be placed: BLOCKED, reported;
- the same in every field: IDENTICAL, nothing to do;
- a rating sheet already here and submitted, arriving with other content: CONFLICT, reported, not applied
  (each professional's submitted sheet is their record; a change comes as an amended version);
- an amended version (a new sheet that supersedes one) is NEW and added alongside the earlier version;
- a local draft sheet meets the submitted sheet: UPDATE (the submitted one replaces the draft);
- a final consensus meets a different one: CONFLICT; a local draft consensus meets a final one: UPDATE;
- families, children, professionals, rounds and two drafts that differ: the more recently updated one
  wins: UPDATE when it is the incoming one (the dry run names every field it would replace, and so does the
  audit entry), KEPT_LOCAL (reported, not applied) otherwise;
- plans that differ are merged entry by entry: targets and actions only one side has are kept, one in both
  takes its more recently updated version; nothing recorded here is removed by an import;
- a family or child not here by UUID that looks like one that is (same NHS number, same name and date of
  birth, same case reference) is a POSSIBLE DUPLICATE: the user decides, per pair, LINK (the incoming
  UUID is mapped onto the existing entity, whose details stay as they are) or KEEP_APART.
A sheet record carries only identifying details of its child and case: when those are already here they
are not compared.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ...domain import (
    AssessmentRound,
    Child,
    Consensus,
    ConsensusStatus,
    Family,
    Plan,
    Professional,
    RatingSheet,
    SheetStatus,
    format_nhs_number,
)
from ...domain.model import Entity
from ...forms.loader import get_form
from .. import audit
from ..connection import Connection
from ..rows import child_values, d, family_values, pro_values, round_values, ts
from ..store import Store, content_hash, insert_sheet
from . import local
from .content import RecordContent
from .errors import DecisionsNeeded
from .format import Manifest, RecordKind
from .reader import LoadedRecord


class Outcome(StrEnum):
    NEW = "new"
    IDENTICAL = "identical"
    UPDATE = "update"
    KEPT_LOCAL = "kept local"
    CONFLICT = "conflict"
    LINKED = "linked"
    BLOCKED = "blocked"


APPLIED = frozenset({Outcome.NEW, Outcome.UPDATE, Outcome.LINKED})
KINDS = ("professional", "family", "involvement", "child", "round", "sheet", "consensus", "plan")
_PLURAL = {"professional": "professionals", "family": "families", "involvement": "professional links",
           "child": "children", "round": "rounds", "sheet": "sheets", "consensus": "consensus records",
           "plan": "plans"}


class Decision(StrEnum):
    LINK = "link"
    KEEP_APART = "keep_apart"


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    kind: str  # "family" or "child"
    incoming_id: uuid.UUID
    existing_id: uuid.UUID
    reason: str
    incoming_label: str
    existing_label: str

    @property
    def key(self) -> tuple[uuid.UUID, uuid.UUID]:
        return (self.incoming_id, self.existing_id)


@dataclass(frozen=True, slots=True)
class PlanEntry:
    kind: str
    incoming_id: uuid.UUID
    local_id: uuid.UUID
    outcome: Outcome
    label: str
    reason: str = ""

    @property
    def applied(self) -> bool:
        return self.outcome in APPLIED


@dataclass(frozen=True, slots=True)
class MergePlan:
    manifest: Manifest
    entries: tuple[PlanEntry, ...]
    duplicates: tuple[PossibleDuplicate, ...]
    undecided: tuple[PossibleDuplicate, ...]
    warnings: tuple[str, ...]
    applied: bool = False
    sender_audit_entries: int = 0  # verified by the reader; kept in the file, counted here (see describe)

    def count(self, kind: str, outcome: Outcome) -> int:
        return sum(1 for e in self.entries if e.kind == kind and e.outcome is outcome)

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            tally = Counter(e.outcome.value for e in self.entries if e.kind == kind)
            if tally:
                result[kind] = dict(tally)
        return result

    def summary_lines(self) -> list[str]:
        lines = []
        for kind, tally in self.counts().items():
            parts = [f"{tally[o.value]} {o.value}" for o in Outcome if o.value in tally]
            lines.append(f"{_PLURAL[kind]}: {', '.join(parts)}")
        return lines

    def summary(self) -> str:
        return "; ".join(self.summary_lines())

    @property
    def needs_attention(self) -> tuple[PlanEntry, ...]:
        """Entries that will not be applied and differ from what is here: shown to the user one by one."""
        return tuple(e for e in self.entries
                     if e.outcome in (Outcome.CONFLICT, Outcome.BLOCKED, Outcome.KEPT_LOCAL))

    @property
    def updates(self) -> tuple[PlanEntry, ...]:
        """Entries that would replace or merge into what is here: each named with what it changes."""
        return tuple(e for e in self.entries if e.outcome is Outcome.UPDATE)

    def describe(self) -> str:
        """The dry run in words, for a person deciding whether to import: counts, then every update with
        what it replaces, everything not applied and why, and the possible duplicates."""
        lines = list(self.summary_lines())
        lines += [f"Replaces: {e.kind} {e.label}: {e.reason}" for e in self.updates]
        lines += [f"Not applied ({e.outcome.value}): {e.kind} {e.label}: {e.reason}" for e in self.needs_attention]
        lines += [f"Possible duplicate {p.kind}: {p.incoming_label} / here: {p.existing_label} ({p.reason})"
                  for p in self.duplicates]
        lines += [f"Note: {w}" for w in self.warnings]
        if self.sender_audit_entries:
            lines.append(f"Note: the sender's audit trail for this record ({self.sender_audit_entries} entries) was "
                         "checked and stays in the record file; this store's own audit trail records the import, "
                         "each change, and how many of the sender's entries concern each one.")
        return "\n".join(lines)

    @property
    def all_identical(self) -> bool:
        return all(e.outcome is Outcome.IDENTICAL for e in self.entries)


Decisions = Mapping[tuple[uuid.UUID, uuid.UUID], Decision]


# --- labels (shown to the user on their own screen; never written to the audit trail) ---------------------


def _family_label(f: Family) -> str:
    return f"case {f.case_ref} ({f.family_name})"


def _child_label(c: Child) -> str:
    nhs = f", NHS {format_nhs_number(c.nhs_number)}" if c.nhs_number else ""
    return f"{c.display_name}, born {c.date_of_birth.isoformat()}{nhs}"


def _sheet_label(s: RatingSheet, names: Mapping[uuid.UUID, str]) -> str:
    rater = names.get(s.professional_id, "a professional") if s.professional_id else (s.rater_name or "parent/carer")
    return f"sheet v{s.version} by {rater} ({s.status.value})"


# --- possible duplicates ---------------------------------------------------------------------------------


def find_duplicates(conn: Connection, content: RecordContent) -> tuple[PossibleDuplicate, ...]:
    found: list[PossibleDuplicate] = []
    incoming_children = {c.id for c in content.children}
    family_hints: dict[uuid.UUID, dict[uuid.UUID, str]] = {}
    for c in content.children:
        if local.child(conn, c.id) is not None:
            continue
        for match, reason in local.children_like(conn, c):
            if match.id in incoming_children:
                continue
            found.append(PossibleDuplicate("child", c.id, match.id, reason, _child_label(c), _child_label(match)))
            family_hints.setdefault(c.family_id, {}).setdefault(match.family_id, "holds a child who looks the same")
    for f in content.families:
        if local.family(conn, f.id) is not None:
            continue
        candidates = dict(family_hints.get(f.id, {}))
        same_ref = local.family_by_ref(conn, f.case_ref)
        if same_ref is not None:
            candidates[same_ref.id] = "same case reference"
        for existing_id in sorted(candidates, key=str):
            existing = local.family(conn, existing_id)
            if existing is not None:
                found.append(PossibleDuplicate("family", f.id, existing_id, candidates[existing_id],
                                               _family_label(f), _family_label(existing)))
    return tuple(sorted(found, key=lambda p: (p.kind != "family", str(p.incoming_id), str(p.existing_id))))


def _links(duplicates: tuple[PossibleDuplicate, ...], decisions: Decisions) -> dict[uuid.UUID, uuid.UUID]:
    known = {p.key for p in duplicates}
    links: dict[uuid.UUID, uuid.UUID] = {}
    targets: set[uuid.UUID] = set()
    for (incoming, existing), decision in decisions.items():
        if (incoming, existing) not in known or decision is not Decision.LINK:
            continue
        if incoming in links or existing in targets:
            raise DecisionsNeeded("Each incoming case or child can be linked to one existing one only, and each "
                                  "existing one to one incoming: choose again.")
        links[incoming] = existing
        targets.add(existing)
    return links


def _remap(content: RecordContent, links: Mapping[uuid.UUID, uuid.UUID]) -> RecordContent:
    """The content with linked family and child ids replaced by the existing ones wherever they are used."""
    def m(value: uuid.UUID) -> uuid.UUID:
        return links.get(value, value)
    return dataclasses.replace(
        content,
        children=tuple(dataclasses.replace(c, family_id=m(c.family_id)) for c in content.children),
        involvements=tuple((m(f), p) for f, p in content.involvements),
        rounds=tuple(dataclasses.replace(r, child_id=m(r.child_id)) for r in content.rounds),
    )


# --- the plan --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Step:
    entry: PlanEntry
    incoming: Any = None  # the (remapped) domain object, or a (family_id, professional_id) pair
    local: Any = None


def _newer(incoming: Entity, here: Entity) -> Outcome:
    return Outcome.UPDATE if incoming.updated_at > here.updated_at else Outcome.KEPT_LOCAL


_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


def changed_fields(here: Any, incoming: Any) -> list[str]:
    """The names of the fields an update would replace, in the entity's own order."""
    if not (dataclasses.is_dataclass(here) and dataclasses.is_dataclass(incoming)):
        return []
    return [f.name for f in dataclasses.fields(here)
            if f.name not in _BOOKKEEPING and getattr(here, f.name) != getattr(incoming, f.name, None)]


def merge_plans(here: Plan, incoming: Plan) -> Plan:
    """Both plans' targets and actions: one only one side has is kept; one in both takes its more recently
    updated version. The plan's own state (active) follows the more recently updated plan."""
    def union(mine: tuple[Any, ...], theirs: tuple[Any, ...]) -> tuple[Any, ...]:
        merged = {e.id: e for e in mine}
        for e in theirs:
            if e.id not in merged or e.updated_at > merged[e.id].updated_at:
                merged[e.id] = e
        return tuple(sorted(merged.values(), key=lambda e: (e.created_at, str(e.id))))
    newer = incoming if incoming.updated_at > here.updated_at else here
    return dataclasses.replace(newer, targets=union(here.targets, incoming.targets),
                               actions=union(here.actions, incoming.actions),
                               updated_at=max(here.updated_at, incoming.updated_at))


def _same_plan(a: Plan, b: Plan) -> bool:
    def norm(p: Plan) -> Plan:
        return dataclasses.replace(p, targets=tuple(sorted(p.targets, key=lambda t: str(t.id))),
                                   actions=tuple(sorted(p.actions, key=lambda x: str(x.id))))
    return norm(a) == norm(b)


def _plan_change(here: Plan, merged: Plan) -> str:
    def tally(mine: tuple[Any, ...], result: tuple[Any, ...], noun: str) -> list[str]:
        old = {e.id: e for e in mine}
        added = sum(1 for e in result if e.id not in old)
        updated = sum(1 for e in result if e.id in old and e != old[e.id])
        return ([f"adds {added} {noun}{'s' if added != 1 else ''}"] if added else []) + \
            ([f"updates {updated} {noun}{'s' if updated != 1 else ''}"] if updated else [])
    parts = tally(here.targets, merged.targets, "target") + tally(here.actions, merged.actions, "action")
    return "merged: " + (", ".join(parts) or "newer plan state") + "; everything already here is kept"


class _Planner:
    def __init__(self, conn: Connection, content: RecordContent, links: Mapping[uuid.UUID, uuid.UUID]) -> None:
        self.conn = conn
        self.content = content
        self.links = links
        self.steps: list[_Step] = []
        self.present: set[uuid.UUID] = set()  # ids that exist here, or will once the plan is applied
        self.names = {p.id: p.name for p in content.professionals}

    def add(self, kind: str, obj: Any, outcome: Outcome, label: str, reason: str = "", here: Any = None,
            incoming_id: uuid.UUID | None = None, local_id: uuid.UUID | None = None) -> None:
        oid = incoming_id if incoming_id is not None else obj.id
        lid = local_id if local_id is not None else oid
        self.steps.append(_Step(PlanEntry(kind, oid, lid, outcome, label, reason), obj, here))
        if outcome is not Outcome.BLOCKED and (here is not None or outcome is Outcome.NEW):
            self.present.add(lid)

    def generic(self, kind: str, obj: Any, here: Any, label: str, parent_ok: bool, same: bool,
                parent_moved: bool = False) -> None:
        if here is None:
            if parent_ok:
                self.add(kind, obj, Outcome.NEW, label)
            else:
                self.add(kind, obj, Outcome.BLOCKED, label, "what it belongs to could not be placed")
        elif parent_moved:
            self.add(kind, obj, Outcome.CONFLICT, label, "here it belongs to another case, child or round", here)
        elif same:
            self.add(kind, obj, Outcome.IDENTICAL, label, here=here)
        else:
            outcome = _newer(obj, here)
            if outcome is Outcome.UPDATE:
                fields = ", ".join(name.replace("_", " ") for name in changed_fields(here, obj))
                reason = "the incoming version is newer" + (f"; it replaces: {fields}" if fields else "")
            else:
                reason = "the version here is newer"
            self.add(kind, obj, outcome, label, reason, here)

    def professionals(self) -> None:
        for p in self.content.professionals:
            here = local.professional(self.conn, p.id)
            self.generic("professional", p, here, f"{p.name} ({p.role})", True, here == p)

    def families(self, context_only: bool) -> None:
        for f in self.content.families:
            label = _family_label(f)
            if f.id in self.links:
                self.add("family", f, Outcome.LINKED, label, "linked to the existing case",
                         here=local.family(self.conn, self.links[f.id]), local_id=self.links[f.id])
                continue
            here = local.family(self.conn, f.id)
            other = local.family_by_ref(self.conn, f.case_ref)
            if here is None and other is not None:
                self.add("family", f, Outcome.CONFLICT, label,
                         "another case here already has this case reference: link them, or rename one first")
            elif here is not None and context_only:
                self.add("family", f, Outcome.IDENTICAL, label, "already here", here)
            elif here is not None and here != f and other is not None and other.id != f.id:
                self.add("family", f, Outcome.CONFLICT, label, "its new case reference is used by another case", here)
            else:
                self.generic("family", f, here, label, True, here == f)

    def involvements(self) -> None:
        for family_id, professional_id in self.content.involvements:
            label = f"{self.names.get(professional_id, 'a professional')} involved in the case"
            pair = (family_id, professional_id)
            if family_id not in self.present or professional_id not in self.present:
                self.add("involvement", pair, Outcome.BLOCKED, label, "the case or professional could not be placed",
                         incoming_id=family_id, local_id=professional_id)
            elif local.involved(self.conn, family_id, professional_id):
                self.add("involvement", pair, Outcome.IDENTICAL, label, here=True, incoming_id=family_id,
                         local_id=professional_id)
            else:
                self.add("involvement", pair, Outcome.NEW, label, incoming_id=family_id, local_id=professional_id)

    def children(self, context_only: bool) -> None:
        for c in self.content.children:
            label = _child_label(c)
            if c.id in self.links:
                self.add("child", c, Outcome.LINKED, label, "linked to the existing child",
                         here=local.child(self.conn, self.links[c.id]), local_id=self.links[c.id])
                continue
            here = local.child(self.conn, c.id)
            moved = here is not None and here.family_id != c.family_id
            if here is not None and context_only and not moved:
                self.add("child", c, Outcome.IDENTICAL, label, "already here", here)
            else:
                self.generic("child", c, here, label, c.family_id in self.present, here == c, moved)

    def rounds(self) -> None:
        for r in self.content.rounds:
            here = local.assessment_round(self.conn, r.id)
            label = f"round of {r.held_on.isoformat()} ({r.purpose.label.lower()})"
            self.generic("round", r, here, label, r.child_id in self.present, here == r,
                         here is not None and here.child_id != r.child_id)

    def sheets(self) -> None:
        for s in sorted(self.content.sheets, key=lambda x: x.version):
            label = _sheet_label(s, self.names)
            here = local.sheet(self.conn, s.id)
            if here is None:
                placed = (s.round_id in self.present and (s.supersedes is None or s.supersedes in self.present)
                          and (s.professional_id is None or s.professional_id in self.present))
                if placed and s.supersedes is not None:
                    self.add("sheet", s, Outcome.NEW, label, "an amended version, added alongside the earlier one")
                else:
                    self.generic("sheet", s, None, label, placed, False)
            elif here.round_id != s.round_id:
                self.add("sheet", s, Outcome.CONFLICT, label, "here this sheet belongs to another round", here)
            elif here == s:
                self.add("sheet", s, Outcome.IDENTICAL, label, here=here)
            elif here.status is SheetStatus.SUBMITTED and s.status is SheetStatus.SUBMITTED:
                if content_hash(here) == content_hash(s):
                    self.add("sheet", s, Outcome.IDENTICAL, label, "same answers", here)
                else:
                    self.add("sheet", s, Outcome.CONFLICT, label,
                             "already submitted here with different answers; a change must come as an amended "
                             "version", here)
            elif here.status is SheetStatus.SUBMITTED:
                self.add("sheet", s, Outcome.KEPT_LOCAL, label, "already submitted here; the incoming draft is older",
                         here)
            elif s.status is SheetStatus.SUBMITTED:
                self.add("sheet", s, Outcome.UPDATE, label, "the submitted sheet replaces the draft here", here)
            else:
                self.generic("sheet", s, here, label, True, False)

    def consensus(self) -> None:
        for c in self.content.consensus:
            label = f"consensus ({c.status.value}, {len(c.items)} items)"
            here = local.consensus(self.conn, c.id)
            on_round = local.consensus_for_round(self.conn, c.round_id)
            if here is None and on_round is not None:
                self.add("consensus", c, Outcome.CONFLICT, label, "the round already has another consensus here")
            elif here is None or here == c:
                self.generic("consensus", c, here, label, c.round_id in self.present, True)
            elif here.round_id != c.round_id:
                self.add("consensus", c, Outcome.CONFLICT, label, "here it belongs to another round", here)
            elif here.status is ConsensusStatus.FINAL:
                self.add("consensus", c, Outcome.CONFLICT, label, "a different consensus is final here", here)
            elif c.status is ConsensusStatus.FINAL:
                self.add("consensus", c, Outcome.UPDATE, label, "the final consensus replaces the draft here", here)
            else:
                self.generic("consensus", c, here, label, True, False)

    def plans(self) -> None:
        for p in self.content.plans:
            label = f"plan ({len(p.targets)} targets, {len(p.actions)} actions)"
            here = local.plan(self.conn, p.id)
            on_round = local.plan_for_round(self.conn, p.round_id)
            clash = any(local.plan_entry_owner(self.conn, x.id) not in (None, p.id) for x in (*p.targets, *p.actions))
            if (here is None and on_round is not None) or clash:
                self.add("plan", p, Outcome.CONFLICT, label, "the round already has another plan here")
            elif here is None or here.round_id != p.round_id or _same_plan(here, p):
                self.generic("plan", p, here, label, p.round_id in self.present,
                             here is not None and _same_plan(here, p),
                             here is not None and here.round_id != p.round_id)
            else:
                merged = merge_plans(here, p)
                if _same_plan(merged, here):
                    self.add("plan", p, Outcome.KEPT_LOCAL, label, "the plan here already holds everything in it",
                             here)
                else:
                    self.add("plan", merged, Outcome.UPDATE, label, _plan_change(here, merged), here,
                             incoming_id=p.id)


def _warnings(loaded: LoadedRecord) -> tuple[str, ...]:
    notes = []
    for form_id, version in sorted(loaded.forms):
        try:
            get_form(form_id, version)
        except KeyError:
            notes.append(f"Form {form_id} version {version} is not installed here; its definition travels in the "
                         "record file.")
    return tuple(notes)


def _plan(conn: Connection, loaded: LoadedRecord, decisions: Decisions) -> tuple[MergePlan, list[_Step]]:
    content = loaded.content
    duplicates = find_duplicates(conn, content)
    links = _links(duplicates, decisions)
    undecided = tuple(p for p in duplicates if p.key not in decisions)
    planner = _Planner(conn, _remap(content, links), links)
    context_only = content.kind is RecordKind.SHEET
    planner.professionals()
    planner.families(context_only)
    planner.involvements()
    planner.children(context_only)
    planner.rounds()
    planner.sheets()
    planner.consensus()
    planner.plans()
    plan = MergePlan(loaded.manifest, tuple(s.entry for s in planner.steps), duplicates, undecided,
                     _warnings(loaded), sender_audit_entries=len(content.audit))
    return plan, planner.steps


def plan_merge(store: Store, loaded: LoadedRecord, decisions: Decisions | None = None) -> MergePlan:
    """The dry run: what an import would do, computed on a consistent snapshot, changing nothing."""
    with store.db.read() as conn:
        plan, _steps = _plan(conn, loaded, decisions or {})
    return plan


# --- applying --------------------------------------------------------------------------------------------


def _write_consensus(conn: Connection, c: Consensus, exists: bool) -> None:
    if exists:
        conn.execute("UPDATE consensus SET form_id = ?, form_version = ?, created_at = ?, updated_at = ? WHERE id = ?",
                     (c.form_id, c.form_version, ts(c.created_at), ts(c.updated_at), str(c.id)))
        conn.execute("DELETE FROM consensus_items WHERE consensus_id = ?", (str(c.id),))
    else:
        conn.execute("INSERT INTO consensus (id, round_id, form_id, form_version, status, finalised_at, created_at,"
                     " updated_at) VALUES (?, ?, ?, ?, 'draft', NULL, ?, ?)",
                     (str(c.id), str(c.round_id), c.form_id, c.form_version, ts(c.created_at), ts(c.updated_at)))
    conn.executemany(
        "INSERT INTO consensus_items (consensus_id, item_id, agreed_option, rationale, unresolved, escalation_owner,"
        " escalate_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(str(c.id), i.item_id, i.agreed_option, i.rationale, int(i.unresolved), i.escalation_owner,
          d(i.escalate_by)) for i in c.items.values()])
    if c.status is ConsensusStatus.FINAL:
        assert c.finalised_at is not None
        conn.execute("UPDATE consensus SET status = 'final', finalised_at = ? WHERE id = ?",
                     (ts(c.finalised_at), str(c.id)))


def _write_plan(conn: Connection, p: Plan) -> None:
    conn.execute("INSERT INTO plans (id, round_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                 " ON CONFLICT (id) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at",
                 (str(p.id), str(p.round_id), int(p.active), ts(p.created_at), ts(p.updated_at)))
    conn.execute("DELETE FROM plan_targets WHERE plan_id = ?", (str(p.id),))
    conn.execute("DELETE FROM plan_actions WHERE plan_id = ?", (str(p.id),))
    conn.executemany(
        "INSERT INTO plan_targets (id, plan_id, item_id, baseline_option, target_option, review_on, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(str(t.id), str(p.id), t.item_id, t.baseline_option, t.target_option, t.review_on.isoformat(),
          ts(t.created_at), ts(t.updated_at)) for t in p.targets])
    conn.executemany(
        "INSERT INTO plan_actions (id, plan_id, description, owner, agency, due_on, done_on, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(str(a.id), str(p.id), a.description, a.owner, a.agency.value, a.due_on.isoformat(), d(a.done_on),
          ts(a.created_at), ts(a.updated_at)) for a in p.actions])


def _apply_step(conn: Connection, step: _Step) -> None:
    kind, outcome, obj = step.entry.kind, step.entry.outcome, step.incoming
    new = outcome is Outcome.NEW
    if kind == "professional":
        p: Professional = obj
        if new:
            conn.execute("INSERT INTO professionals (id, name, role, agency, organisation, contact, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", pro_values(p))
        else:
            v = pro_values(p)
            conn.execute("UPDATE professionals SET name = ?, role = ?, agency = ?, organisation = ?, contact = ?,"
                         " updated_at = ? WHERE id = ?", (*v[1:6], v[7], v[0]))
    elif kind == "family":
        f: Family = obj
        v = family_values(f)
        if new:
            conn.execute("INSERT INTO families (id, case_ref, family_name, family_name_fold, address_note,"
                         " consent_sought, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", v)
        else:
            conn.execute("UPDATE families SET case_ref = ?, family_name = ?, family_name_fold = ?, address_note = ?,"
                         " consent_sought = ?, notes = ?, updated_at = ? WHERE id = ?", (*v[1:7], v[8], v[0]))
    elif kind == "involvement":
        family_id, professional_id = obj
        conn.execute("INSERT OR IGNORE INTO family_professionals (family_id, professional_id) VALUES (?, ?)",
                     (str(family_id), str(professional_id)))
    elif kind == "child":
        c: Child = obj
        v = child_values(c)
        if new:
            conn.execute("INSERT INTO children (id, family_id, given_names, family_name, given_fold, family_fold,"
                         " date_of_birth, sex_gender, case_number, nhs_number, disability_or_delay,"
                         " development_consultee, conditions, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v)
        else:
            conn.execute("UPDATE children SET given_names = ?, family_name = ?, given_fold = ?, family_fold = ?,"
                         " date_of_birth = ?, sex_gender = ?, case_number = ?, nhs_number = ?, disability_or_delay = ?,"
                         " development_consultee = ?, conditions = ?, updated_at = ? WHERE id = ?",
                         (*v[2:13], v[14], v[0]))
    elif kind == "round":
        r: AssessmentRound = obj
        v = round_values(r)
        if new:
            conn.execute("INSERT INTO rounds (id, child_id, held_on, purpose, status, next_review_on, title,"
                         " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", v)
        else:
            conn.execute("UPDATE rounds SET held_on = ?, purpose = ?, status = ?, next_review_on = ?, title = ?,"
                         " updated_at = ? WHERE id = ?", (*v[2:7], v[8], v[0]))
    elif kind == "sheet":
        if not new:  # only a local draft is ever replaced (the plan guarantees it)
            conn.execute("DELETE FROM sheets WHERE id = ? AND status = 'draft'", (str(obj.id),))
        insert_sheet(conn, obj)
    elif kind == "consensus":
        _write_consensus(conn, obj, exists=not new)
    elif kind == "plan":
        _write_plan(conn, obj)


_AUDIT_ACTION = {Outcome.NEW: "imported", Outcome.UPDATE: "updated_by_import", Outcome.LINKED: "linked_by_import"}


def _audit_steps(conn: Connection, store: Store, steps: Iterable[_Step], loaded: LoadedRecord,
                 plan: MergePlan) -> None:
    record = loaded.manifest.content_hash[:16]
    exporter = str(loaded.manifest.exported_by)
    origin = Counter(e.entity_id for e in loaded.content.audit)
    for step in steps:
        entry = step.entry
        if entry.kind == "involvement":
            audit.append(conn, store.owner_id, "family", entry.incoming_id, "professional_involved_by_import",
                         {"professional_id": str(entry.local_id), "record": record})
            continue
        detail: dict[str, Any] = {"record": record, "exported_by": exporter,
                                  "origin_audit_entries": origin.get(str(entry.incoming_id), 0)}
        if entry.outcome is Outcome.LINKED:
            detail["incoming_id"] = str(entry.incoming_id)
        if entry.outcome is Outcome.UPDATE and step.local is not None and entry.kind != "plan":
            detail["replaced_fields"] = sorted(changed_fields(step.local, step.incoming))
        audit.append(conn, store.owner_id, entry.kind, entry.local_id, _AUDIT_ACTION[entry.outcome], detail)
    tally = Counter(e.outcome.value for e in plan.entries)
    audit.append(conn, store.owner_id, "store", store.owner_id, "record_imported",
                 {"record": record, "kind": loaded.manifest.kind.value, "exported_by": exporter, **tally})


def apply_merge(store: Store, loaded: LoadedRecord, decisions: Decisions | None = None) -> MergePlan:
    """Plan again inside one write transaction (so the plan is what gets applied), refuse while any possible
    duplicate has no decision, apply every NEW/UPDATE/LINKED step and audit each; all or nothing. When every
    entity is already here (or nothing could be applied) the store is not written at all."""
    decisions = decisions or {}
    preview = plan_merge(store, loaded, decisions)
    if not preview.undecided and not any(e.applied for e in preview.entries):
        return dataclasses.replace(preview, applied=True)  # nothing to do: the store is not written at all
    with store.db.write() as conn:
        plan, steps = _plan(conn, loaded, decisions)
        if plan.undecided:
            pairs = "; ".join(f"{p.incoming_label} / {p.existing_label} ({p.reason})" for p in plan.undecided[:5])
            raise DecisionsNeeded(f"{len(plan.undecided)} possible duplicate(s) need a decision (link or keep apart) "
                                  f"before importing: {pairs}. Nothing was changed.")
        applied = [s for s in steps if s.entry.applied]
        for step in applied:
            if step.entry.outcome is not Outcome.LINKED:
                _apply_step(conn, step)
        _audit_steps(conn, store, applied, loaded, plan)
    return dataclasses.replace(plan, applied=True)
