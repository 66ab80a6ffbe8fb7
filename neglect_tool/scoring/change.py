"""Change over time: section by section between rounds, the trend, drift alerts, and siblings side by side.

Everything here works on the *consensus* profiles of rounds (the meeting's agreed view), one section at a
time: a profile by section, never one total.

Thresholds (all on the form's concern index, which runs from 0 to its largest weight, ``concern_max``;
for Yes / Borderline / No that is 0 to 2):

* ``CHANGE_SHARE`` = 0.10: a section has *improved* when its index fell by at least a tenth of the
  range (0.2 on Yes / Borderline / No: e.g. one item in ten moving from No to Yes, or two items in ten
  moving one step), *got worse* when it rose by as much, and is *unchanged* otherwise. Smaller moves
  are within the noise of who happened to see what.
* ``CONCERN_SHARE`` = 0.25: a section is *of concern* at a round when its index is at least a quarter of
  the range (0.5 on Yes / Borderline / No: on average half-way to Borderline).
* ``DRIFT_MIN_REVIEWS`` = 2: a *drift alert* is raised for a section of concern that has not improved
  at two or more consecutive reviews while a plan was active: each review compared with the round
  before it, whose plan was running in between. Drift is what case reviews keep finding too late.

Sections marked ``context_only`` (the carers' circumstances) are compared and trended but raise no drift
alert: they are context, not part of the care profile.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..domain import describe_age
from .profile import SectionProfile

__all__ = [
    "CHANGE_SHARE",
    "CONCERN_SHARE",
    "DRIFT_MIN_REVIEWS",
    "Direction",
    "DriftAlert",
    "RoundChange",
    "RoundProfile",
    "SectionChange",
    "SiblingCell",
    "SiblingColumn",
    "SiblingComparison",
    "SiblingEntry",
    "SiblingRow",
    "Trend",
    "TrendSeries",
    "changes_over",
    "compare_rounds",
    "drift_alerts",
    "siblings_side_by_side",
    "trend",
]

CHANGE_SHARE = 0.10
CONCERN_SHARE = 0.25
DRIFT_MIN_REVIEWS = 2


class Direction(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    NOT_COMPARABLE = "not_comparable"  # no index at one of the two rounds (nothing rated, or no rule)

    @property
    def label(self) -> str:
        return {"improved": "Improved", "unchanged": "No change", "worse": "Worse",
                "not_comparable": "Cannot compare"}[self.value]


@dataclass(frozen=True, slots=True)
class RoundProfile:
    """One round's consensus profile and whether a plan was running after it (plain data for this module)."""

    round_id: uuid.UUID
    held_on: dt.date
    label: str  # e.g. "Review conference 2"
    profiles: tuple[SectionProfile, ...]
    plan_active: bool = False

    def section(self, section_id: str) -> SectionProfile | None:
        return next((p for p in self.profiles if p.section_id == section_id), None)


@dataclass(frozen=True, slots=True)
class SectionChange:
    section_id: str
    title: str
    before: float | None
    after: float | None
    direction: Direction
    context_only: bool = False

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True, slots=True)
class RoundChange:
    before: RoundProfile
    after: RoundProfile
    sections: tuple[SectionChange, ...]
    threshold: float  # the absolute change in the index that counts

    def count(self, direction: Direction) -> int:
        return sum(s.direction is direction for s in self.sections)


def _range(profiles: Sequence[SectionProfile]) -> float | None:
    return next((p.concern_max for p in profiles if p.concern_max), None)


def compare_rounds(before: RoundProfile, after: RoundProfile, *, share: float = CHANGE_SHARE) -> RoundChange:
    """Section by section: improved, unchanged or worse from `before` to `after` (sections matched by id,
    in the order of `after`)."""
    top = _range(after.profiles) or _range(before.profiles) or 1.0
    threshold = share * top
    changes = []
    for now in after.profiles:
        then = before.section(now.section_id)
        old = then.concern_index if then is not None else None
        new = now.concern_index
        if old is None or new is None:
            direction = Direction.NOT_COMPARABLE
        elif new <= old - threshold + 1e-9:
            direction = Direction.IMPROVED
        elif new >= old + threshold - 1e-9:
            direction = Direction.WORSE
        else:
            direction = Direction.UNCHANGED
        changes.append(SectionChange(now.section_id, now.title, old, new, direction, now.context_only))
    return RoundChange(before, after, tuple(changes), threshold)


def changes_over(rounds: Sequence[RoundProfile], *, share: float = CHANGE_SHARE) -> list[RoundChange]:
    """The change between each pair of consecutive rounds (sorted by date)."""
    ordered = sorted(rounds, key=lambda r: r.held_on)
    return [compare_rounds(a, b, share=share) for a, b in itertools.pairwise(ordered)]


# --- trend --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendSeries:
    section_id: str
    title: str
    values: tuple[float | None, ...]  # one per round in Trend.dates; None where nothing was rated
    context_only: bool = False


@dataclass(frozen=True, slots=True)
class Trend:
    """The consensus concern index of each section across rounds (oldest first)."""

    dates: tuple[dt.date, ...]
    round_labels: tuple[str, ...]
    series: tuple[TrendSeries, ...]
    index_max: float | None


def trend(rounds: Sequence[RoundProfile]) -> Trend:
    ordered = sorted(rounds, key=lambda r: r.held_on)
    section_ids: dict[str, tuple[str, bool]] = {}
    for rnd in ordered:
        for p in rnd.profiles:
            section_ids.setdefault(p.section_id, (p.title, p.context_only))
    series = []
    for section_id, (title, context) in section_ids.items():
        values = []
        for rnd in ordered:
            profile = rnd.section(section_id)
            values.append(profile.concern_index if profile is not None else None)
        series.append(TrendSeries(section_id, title, tuple(values), context))
    top = next((_range(r.profiles) for r in ordered if _range(r.profiles)), None)
    return Trend(tuple(r.held_on for r in ordered), tuple(r.label for r in ordered), tuple(series), top)


# --- drift --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DriftAlert:
    section_id: str
    title: str
    since: dt.date  # the round from which the section has not improved
    reviews: int  # consecutive reviews without improvement while a plan was active
    latest_index: float | None

    @property
    def message(self) -> str:
        return (f"{self.title}: a concern since {self.since.day} {self.since:%b %Y} that has not improved over "
                f"{self.reviews} reviews in a row while a plan was active. Is the plan working?")


def drift_alerts(
    rounds: Sequence[RoundProfile],
    *,
    share: float = CHANGE_SHARE,
    concern_share: float = CONCERN_SHARE,
    min_reviews: int = DRIFT_MIN_REVIEWS,
) -> list[DriftAlert]:
    """Sections of concern that have not improved at `min_reviews` or more consecutive reviews (counted
    back from the latest round) while the plan agreed at the earlier round of each pair was active."""
    ordered = sorted(rounds, key=lambda r: r.held_on)
    steps = changes_over(ordered, share=share)
    if len(steps) < min_reviews:
        return []
    top = _range(ordered[-1].profiles) or 1.0
    alerts = []
    for latest in steps[-1].sections:
        if latest.context_only:
            continue
        reviews = 0
        for step in reversed(steps):
            change = next((s for s in step.sections if s.section_id == latest.section_id), None)
            of_concern = change is not None and change.before is not None and change.before >= concern_share * top
            if (change is None or not of_concern or not step.before.plan_active
                    or change.direction not in (Direction.UNCHANGED, Direction.WORSE)):
                break
            reviews += 1
        if reviews >= min_reviews:
            since = steps[len(steps) - reviews].before.held_on
            alerts.append(DriftAlert(latest.section_id, latest.title, since, reviews, latest.after))
    return alerts


# --- siblings side by side ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiblingEntry:
    """One child's consensus profile at (or nearest before) the date being compared."""

    label: str  # name or initials, as the caller decides (redaction)
    age_months: int
    held_on: dt.date
    profiles: tuple[SectionProfile, ...] | None  # None: no agreed view for this child yet
    round_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class SiblingColumn:
    label: str
    age_text: str
    held_on: dt.date
    has_consensus: bool


@dataclass(frozen=True, slots=True)
class SiblingCell:
    concern_index: float | None
    rated: int
    applicable: int
    not_known: int

    @property
    def applies(self) -> bool:
        return self.applicable > 0


@dataclass(frozen=True, slots=True)
class SiblingRow:
    section_id: str
    title: str
    cells: tuple[SiblingCell | None, ...]  # None: no agreed view for that child
    context_only: bool = False


@dataclass(frozen=True, slots=True)
class SiblingComparison:
    """Children of one family side by side: the same level of assessment for every child."""

    columns: tuple[SiblingColumn, ...]
    rows: tuple[SiblingRow, ...]
    index_max: float | None


def siblings_side_by_side(entries: Sequence[SiblingEntry]) -> SiblingComparison:
    """Sections as rows (union over the children, in first-seen order), children as columns."""
    sections: dict[str, tuple[str, bool]] = {}
    for entry in entries:
        for p in entry.profiles or ():
            sections.setdefault(p.section_id, (p.title, p.context_only))
    columns = tuple(
        SiblingColumn(e.label, describe_age(e.age_months), e.held_on, e.profiles is not None) for e in entries
    )
    rows = []
    for section_id, (title, context) in sections.items():
        cells: list[SiblingCell | None] = []
        for entry in entries:
            if entry.profiles is None:
                cells.append(None)
                continue
            found = next((x for x in entry.profiles if x.section_id == section_id), None)
            cells.append(SiblingCell(None, 0, 0, 0) if found is None
                         else SiblingCell(found.concern_index, found.rated, found.applicable, found.not_known))
        rows.append(SiblingRow(section_id, title, tuple(cells), context))
    top = next((_range(e.profiles) for e in entries if e.profiles and _range(e.profiles)), None)
    return SiblingComparison(columns, tuple(rows), top)
