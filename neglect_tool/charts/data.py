"""The plain data each chart draws, and adapters that build it from a comparison or a trend.

Chart functions take only these small frozen dataclasses (no store, no form), so the Qt screen and the
PDF draw the very same figures, and tests can feed them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..forms.model import MissingKind
from ..scoring.change import Trend
from ..scoring.comparison import Comparison

__all__ = [
    "AnswerKind",
    "AnswerOption",
    "BarsData",
    "RadarData",
    "RadarSeries",
    "TrendChartData",
    "TrendLine",
    "bars_data",
    "radar_data",
    "trend_data",
]


@dataclass(frozen=True, slots=True)
class RadarSeries:
    label: str
    values: tuple[float | None, ...]  # one per axis; None where nothing was rated
    consensus: bool = False  # drawn in black, heavier, on top


@dataclass(frozen=True, slots=True)
class RadarData:
    """The concern index of each section (the axes) for each rater and the consensus."""

    axes: tuple[str, ...]  # section titles
    series: tuple[RadarSeries, ...]
    index_max: float
    index_label: str  # the form's label: "Concern index (a visual aid, not a score) ..."
    title: str = "Concern index by section"


class AnswerKind(StrEnum):
    RATING = "rating"
    NOT_KNOWN = "not_known"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class AnswerOption:
    code: str
    label: str
    kind: AnswerKind
    position: int = 0  # among the rating options (0 = best); for ratings only
    n_ratings: int = 1  # how many rating options the scale has


@dataclass(frozen=True, slots=True)
class BarsData:
    """Answer counts: counts[section][rater][option], stacked per rater within each section."""

    sections: tuple[str, ...]
    raters: tuple[str, ...]
    options: tuple[AnswerOption, ...]
    counts: tuple[tuple[tuple[int, ...], ...], ...]
    title: str = "Answers by section and rater"


@dataclass(frozen=True, slots=True)
class TrendLine:
    label: str
    values: tuple[float | None, ...]
    context_only: bool = False


@dataclass(frozen=True, slots=True)
class TrendChartData:
    x_labels: tuple[str, ...]  # one per round, oldest first
    lines: tuple[TrendLine, ...]
    index_max: float
    index_label: str
    title: str = "Agreed concern index by section over time"


def _index_max(comparison: Comparison) -> float:
    weights = comparison.form.profile.concern_weights
    return max(weights.values()) if weights else 1.0


def radar_data(comparison: Comparison, *, include_carers: bool = False,
               rater_labels: Sequence[str] | None = None) -> RadarData:
    """The radar of the care sections (context-only sections left out) for each professional, plus the
    consensus when there is one. `rater_labels` overrides the column headings (e.g. for redaction)."""
    columns = comparison.professionals + (comparison.carers if include_carers else ())
    labels = list(rater_labels) if rater_labels is not None else [c.heading for c in columns]
    sections = [s for s in comparison.form.sections if not s.context_only]
    ids = [s.id for s in sections]
    series = []
    for column, label in zip(columns, labels, strict=False):
        by_id = {p.section_id: p.concern_index for p in comparison.profiles[column.sheet_id]}
        series.append(RadarSeries(label, tuple(by_id.get(i) for i in ids)))
    if comparison.consensus_profile is not None:
        by_id = {p.section_id: p.concern_index for p in comparison.consensus_profile}
        series.append(RadarSeries("Agreed view (consensus)", tuple(by_id.get(i) for i in ids), consensus=True))
    return RadarData(tuple(s.title for s in sections), tuple(series), _index_max(comparison),
                     comparison.index_label)


def bars_data(comparison: Comparison, *, rater_labels: Sequence[str] | None = None,
              include_carers: bool = False) -> BarsData:
    """Answer counts per section per professional (and carer, if asked), over the items that apply."""
    columns = comparison.professionals + (comparison.carers if include_carers else ())
    labels = list(rater_labels) if rater_labels is not None else [c.name for c in columns]
    options: dict[str, AnswerOption] = {}
    for scale in comparison.form.scales.values():
        ratings = scale.rating_options
        for pos, opt in enumerate(ratings):
            options.setdefault(opt.code, AnswerOption(opt.code, opt.label, AnswerKind.RATING, pos, len(ratings)))
    for scale in comparison.form.scales.values():
        for opt in scale.options:
            if opt.missing is MissingKind.NOT_KNOWN:
                options.setdefault(opt.code, AnswerOption(opt.code, opt.label, AnswerKind.NOT_KNOWN))
            elif opt.missing is MissingKind.NOT_APPLICABLE:
                options.setdefault(opt.code, AnswerOption(opt.code, opt.label, AnswerKind.NOT_APPLICABLE))
    unanswered = AnswerOption("", "Unanswered", AnswerKind.UNANSWERED)
    order = [*options.values(), unanswered]
    sections = comparison.sections()
    counts = []
    any_unanswered = False
    for section in sections:
        per_rater = []
        for j in range(len(columns)):
            is_carer = j >= len(comparison.professionals)
            row = [0] * len(order)
            for r in section.rows:
                cell = r.carer_cells[j - len(comparison.professionals)] if is_carer else r.cells[j]
                if cell.option is None:
                    row[-1] += 1
                    any_unanswered = True
                else:
                    row[[o.code for o in order].index(cell.option)] += 1
            per_rater.append(tuple(row))
        counts.append(tuple(per_rater))
    used = [k for k in range(len(order)) if any(c[j][k] for c in counts for j in range(len(columns)))]
    if not any_unanswered:
        used = [k for k in used if order[k].kind is not AnswerKind.UNANSWERED]
    # keep every rating option (a missing "No" is information too), and only the missing kinds in use
    keep = sorted(set(used) | {k for k, o in enumerate(order) if o.kind is AnswerKind.RATING})
    return BarsData(
        tuple(s.title for s in sections),
        tuple(labels),
        tuple(order[k] for k in keep),
        tuple(tuple(tuple(rater[k] for k in keep) for rater in section) for section in counts),
    )


def trend_data(trend: Trend, index_label: str) -> TrendChartData:
    """The trend of every section's agreed concern index, x labelled by round date."""
    labels = tuple(f"{d:%d %b %Y}" for d in trend.dates)
    lines = tuple(TrendLine(s.title, s.values, s.context_only) for s in trend.series)
    return TrendChartData(labels, lines, trend.index_max or 1.0, index_label)
