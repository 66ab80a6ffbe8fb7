"""Each child's direction of travel, for the case list and the case screen: the meeting's agreed profiles
round by round (scoring.change), the last change, and drift alerts while a plan is active.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from ..domain import Child, ConsensusStatus, age_in_months
from ..forms.loader import get_form
from ..scoring.applicability import applicable_for_child
from ..scoring.change import (
    Direction,
    DriftAlert,
    RoundChange,
    RoundProfile,
    SiblingComparison,
    SiblingEntry,
    Trend,
    changes_over,
    drift_alerts,
    siblings_side_by_side,
    trend,
)
from ..scoring.profile import section_profiles
from ..storage.store import Store


@dataclass(frozen=True, slots=True)
class ChildTrend:
    child: Child
    rounds_agreed: int  # rounds with a meeting's agreed view
    last_change: RoundChange | None
    alerts: tuple[DriftAlert, ...]

    @property
    def marker(self) -> str:
        """A few characters for a table cell; words as well as symbols, never colour alone."""
        if self.alerts:
            return "⚠ drift"
        change = self.last_change
        if change is None:
            return "· new" if self.rounds_agreed <= 1 else "·"
        better, worse = change.count(Direction.IMPROVED), change.count(Direction.WORSE)
        if worse > better:
            return "✗ worse"
        if better > worse:
            return "✓ better"
        return "= same"

    def describe(self) -> str:
        change = self.last_change
        if change is None:
            return "Not enough agreed rounds to show a change yet."
        parts = [f"{change.count(d)} {d.label.lower()}" for d in (Direction.IMPROVED, Direction.UNCHANGED,
                                                                   Direction.WORSE) if change.count(d)]
        text = f"Since {change.before.held_on:%d %b %Y}: sections " + ", ".join(parts) + "."
        return " ".join([text, *(a.message for a in self.alerts)])


def round_profiles(store: Store, child: Child, *, draft_of: uuid.UUID | None = None) -> list[RoundProfile]:
    """The child's rounds whose meeting's agreed view is final, oldest first, as consensus section profiles.
    A draft consensus is a meeting still in progress (one agreed item would otherwise read as the whole
    picture and could clear a drift alert); only the round `draft_of` (a summary marked DRAFT) counts its own."""
    points = []
    for rnd in store.rounds.for_child(child.id):
        consensus = store.consensus.get_for_round(rnd.id)
        if consensus is None or (consensus.status is not ConsensusStatus.FINAL and rnd.id != draft_of):
            continue
        form = get_form(consensus.form_id, consensus.form_version)
        applicable = applicable_for_child(form, child, rnd.held_on).applicable_ids
        agreed = {k: v.agreed_option for k, v in consensus.items.items() if not v.unresolved}
        plan = store.plans.get_for_round(rnd.id)
        points.append(RoundProfile(rnd.id, rnd.held_on, rnd.title or rnd.purpose.label,
                                   tuple(section_profiles(form, agreed, applicable)),
                                   plan is not None and plan.active))
    return points


def child_trend(store: Store, child: Child) -> ChildTrend:
    rounds = round_profiles(store, child)
    steps = changes_over(rounds)
    return ChildTrend(child, len(rounds), steps[-1] if steps else None, tuple(drift_alerts(rounds)))


def family_trends(store: Store, family_id: uuid.UUID) -> list[ChildTrend]:
    return [child_trend(store, child) for child in store.children.for_family(family_id)]


def trend_up_to(store: Store, child: Child, on: dt.date) -> Trend:
    """The trend of the agreed profile across the child's rounds held on or before `on`."""
    return trend([r for r in round_profiles(store, child) if r.held_on <= on])


def siblings(store: Store, family_id: uuid.UUID, label: Callable[[Child], str]) -> SiblingComparison:
    """The children of one family side by side, each at their latest agreed view (a child singled out for
    neglect stands out). `label` names each child (full name or initials, as the screen's privacy says)."""
    entries = []
    for child in store.children.for_family(family_id):
        rounds = round_profiles(store, child)
        latest = rounds[-1] if rounds else None
        on = latest.held_on if latest else dt.date.today()
        entries.append(SiblingEntry(label(child), age_in_months(child.date_of_birth, max(on, child.date_of_birth)),
                                    on, latest.profiles if latest else None, latest.round_id if latest else None))
    return siblings_side_by_side(entries)
