"""One round's sheets side by side: rows are the items that apply, columns are the raters (pure, no store).

Professionals come first; the parent's or carer's view is kept in its own columns and never enters the
professional agreement figures or the disagreement flags. Each cell carries the option with its label and
the evidence behind it (note, source, recency).

When two answers count as a disagreement is data in the form (``[disagreement]``, see forms/README.md):
ratings ``min_steps`` or more apart on an ordinal scale (any difference on a nominal scale). "Not known"
beside a real answer is an *information difference*: one agency knows something the others do not.

Typical use (the comparison screen and the PDF summary both start here)::

    comparison = build_comparison(form, sheets, applicability, professionals=people, consensus=consensus)
    for row in sort_rows(comparison.rows, RowOrder.DISCUSSION_FIRST):
        ...
    comparison.agreement.figures          # percent agreement, Krippendorff's alpha, Gwet's AC2 / AC1
    comparison.profiles[sheet_id]         # the section profile of one professional
    comparison.consensus_profile          # the meeting's agreed view, as a profile
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import (
    Agency,
    Answer,
    Consensus,
    ConsensusItem,
    EvidenceSource,
    Professional,
    RaterKind,
    RatingSheet,
    Recency,
    SheetStatus,
)
from ..forms.model import FormDefinition, Item, MissingKind, ScaleKind, Section
from .applicability import Applicability
from .profile import SectionProfile, concern_weight, section_profiles

__all__ = [
    "AgreementFigure",
    "AgreementResult",
    "Cell",
    "Comparison",
    "ComparisonError",
    "ComparisonRow",
    "RaterColumn",
    "RowFilter",
    "RowOrder",
    "RowStatus",
    "SectionRows",
    "agency_labels",
    "build_comparison",
    "filter_rows",
    "group_by_section",
    "sort_rows",
]


class ComparisonError(ValueError):
    """The sheets cannot be compared as given (a draft, another form, an answer the form does not know)."""


# --- columns and cells ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RaterColumn:
    """One rater's sheet: who rated, in what role, and when the sheet was submitted."""

    sheet_id: uuid.UUID
    kind: RaterKind
    name: str
    role: str
    agency: Agency | None  # None for the parent/carer
    organisation: str = ""
    professional_id: uuid.UUID | None = None
    submitted_at: dt.datetime | None = None
    sheet_version: int = 1

    @property
    def is_professional(self) -> bool:
        return self.kind is RaterKind.PROFESSIONAL

    @property
    def agency_label(self) -> str:
        return self.agency.label if self.agency is not None else "Parent/carer"

    @property
    def heading(self) -> str:
        """E.g. "Priya Halloway (Health visitor)" or "Kerry Ashdown (parent/carer)"."""
        return f"{self.name} ({self.role})"


@dataclass(frozen=True, slots=True)
class Cell:
    """One rater's answer to one item. ``option`` is None when the rater left the item unanswered."""

    option: str | None
    label: str  # the option's label as the user saw it ("Yes"); "" when unanswered
    note: str = ""
    source: EvidenceSource | None = None
    recency: Recency | None = None
    missing: MissingKind | None = None  # Not known / N/A
    rank: int | None = None  # position among the scale's rating options (0 = first, need met); None if missing
    concern: float | None = None  # the concern weight (polarity honoured); None without rule or rating

    @property
    def answered(self) -> bool:
        return self.option is not None

    @property
    def is_rating(self) -> bool:
        return self.rank is not None

    @property
    def is_not_known(self) -> bool:
        return self.missing is MissingKind.NOT_KNOWN

    @property
    def evidence(self) -> str:
        """Source and recency in words, e.g. "Observed, recent" ("" when neither is recorded)."""
        parts = [self.source.label if self.source else "", self.recency.value if self.recency else ""]
        text = ", ".join(p for p in parts if p)
        return text[:1].upper() + text[1:]


UNANSWERED = Cell(None, "")


class RowStatus(StrEnum):
    """How the professionals' ratings of one item compare (Not known / N/A and the carer left out)."""

    DISAGREEMENT = "disagreement"  # ratings at least the form's min_steps apart (nominal: any difference)
    DIFFERENCE = "difference"  # ratings differ, but by less than min_steps
    AGREED = "agreed"  # two or more ratings, all the same
    SINGLE_VIEW = "single_view"  # fewer than two ratings: nothing to compare

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    RowStatus.DISAGREEMENT: "Disagreement",
    RowStatus.DIFFERENCE: "Small difference",
    RowStatus.AGREED: "Agreed",
    RowStatus.SINGLE_VIEW: "One view or none",
}


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One item across every rater, with what the comparison found."""

    item: Item
    section_id: str
    section_title: str
    position: int  # the item's place in the form, for a stable "form order"
    cells: tuple[Cell, ...]  # one per professional, in Comparison.professionals order
    carer_cells: tuple[Cell, ...]  # one per parent/carer sheet, in Comparison.carers order
    status: RowStatus
    spread: int | None  # steps between the lowest and highest professional rating (None: < 2 ratings)
    information_difference: bool  # Not known beside a real answer (when the form flags these)
    known_by: tuple[str, ...]  # headings of professionals who gave a real rating
    not_known_by: tuple[str, ...]  # headings of professionals who answered Not known
    agencies_to_ask: tuple[str, ...]  # agency labels the form says usually know the answer
    carer_differs: bool  # the carer's rating is min_steps or more from the professionals' view
    consensus: ConsensusItem | None = None
    consensus_label: str = ""  # the agreed option's label, "Unresolved", or ""

    @property
    def item_id(self) -> str:
        return self.item.id

    @property
    def information_gap(self) -> bool:
        """Some professional answered Not known (whether or not anyone else knew)."""
        return bool(self.not_known_by)

    @property
    def needs_discussion(self) -> bool:
        return self.status is RowStatus.DISAGREEMENT or self.information_difference

    @property
    def unresolved(self) -> bool:
        return self.consensus is not None and self.consensus.unresolved


@dataclass(frozen=True, slots=True)
class SectionRows:
    section_id: str
    title: str
    context_only: bool
    rows: tuple[ComparisonRow, ...]


# --- agreement figures ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgreementFigure:
    """One agreement statistic ready to show: a value with its reading, or why it is not defined."""

    name: str
    value: float | None
    reading: str | None
    not_defined: str | None  # the reason, when value is None
    n_items: int
    n_raters: int
    is_percent: bool = False

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "not defined"
        return f"{self.value:.0%}" if self.is_percent else f"{self.value:.2f}"

    @property
    def text(self) -> str:
        """E.g. "0.72 (substantial agreement)" or "not defined: every answer was 'yes' ..."."""
        if self.value is None:
            return f"not defined: {self.not_defined}"
        if self.is_percent:
            return self.value_text
        return f"{self.value_text} ({self.reading})"


@dataclass(frozen=True, slots=True)
class AgreementResult:
    """Agreement between the professionals over one scope (the whole round, or one section).

    Only real ratings count: Not known, N/A, unanswered items and the parent/carer's view are left out.
    Ratings are compared on one scale; items of a form's other scales (rare) are left out and counted in
    ``excluded_items``.
    """

    scope_id: str | None  # section id, None for the whole round
    scope: str  # "All sections" or the section title
    level: str  # "ordinal" or "nominal"
    n_items: int  # applicable items in scope on the compared scale
    n_items_compared: int  # of those, items with ratings from two or more professionals
    n_raters: int  # professionals who gave at least one rating in scope
    figures: tuple[AgreementFigure, ...]  # percent agreement, Krippendorff's alpha, Gwet's AC2 (or AC1)
    caution: str | None = None  # the prevalence-paradox warning, in plain English
    recommended: str | None = None  # the name of the figure to read first
    not_defined: str | None = None  # why no figure at all could be calculated
    excluded_items: int = 0


# --- the comparison -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    form: FormDefinition
    age_months: int
    hidden_summary: str  # e.g. "4 items do not apply at 8 months"
    professionals: tuple[RaterColumn, ...]
    carers: tuple[RaterColumn, ...]
    rows: tuple[ComparisonRow, ...]  # form order
    profiles: Mapping[uuid.UUID, tuple[SectionProfile, ...]]  # sheet id -> profile (professionals and carers)
    consensus_profile: tuple[SectionProfile, ...] | None
    agreement: AgreementResult | None  # None when built with agreement=False
    section_agreement: Mapping[str, AgreementResult] = field(default_factory=dict)
    consensus: Consensus | None = None

    @property
    def index_label(self) -> str:
        """How the concern index must be labelled wherever it is shown."""
        return self.form.profile.label

    @property
    def raters(self) -> tuple[RaterColumn, ...]:
        """Every column: professionals first, then the parent/carer views."""
        return self.professionals + self.carers

    def sections(self) -> list[SectionRows]:
        return group_by_section(self.rows, self.form)

    def row(self, item_id: str) -> ComparisonRow:
        for row in self.rows:
            if row.item.id == item_id:
                return row
        raise KeyError(f"item {item_id!r} is not in this comparison (not on the form, or does not apply)")

    def counts(self) -> dict[str, int]:
        """How many rows are disagreements, information differences, gaps, unresolved: for headlines."""
        return {
            "items": len(self.rows),
            "disagreements": sum(r.status is RowStatus.DISAGREEMENT for r in self.rows),
            "differences": sum(r.status is RowStatus.DIFFERENCE for r in self.rows),
            "agreed": sum(r.status is RowStatus.AGREED for r in self.rows),
            "information_differences": sum(r.information_difference for r in self.rows),
            "information_gaps": sum(r.information_gap for r in self.rows),
            "carer_differs": sum(r.carer_differs for r in self.rows),
            "unresolved": sum(r.unresolved for r in self.rows),
        }


def agency_labels(codes: Iterable[str]) -> tuple[str, ...]:
    """Agency codes from a form ("health") as the labels users know ("Health")."""
    labels = []
    for code in codes:
        try:
            labels.append(Agency(code).label)
        except ValueError:
            labels.append(code.replace("_", " ").capitalize())
    return tuple(labels)


def build_comparison(
    form: FormDefinition,
    sheets: Sequence[RatingSheet],
    applicability: Applicability,
    *,
    professionals: Mapping[uuid.UUID, Professional] | None = None,
    consensus: Consensus | None = None,
    agreement: bool = True,
) -> Comparison:
    """Compare one round's submitted sheets on `form` for the items in `applicability`.

    `professionals` gives names, roles and agencies to the professional sheets (a sheet whose professional
    is missing is shown as "Unknown professional"). `consensus`, when given, fills each row's agreed view
    and the consensus profile. `agreement=False` skips the agreement statistics (they load numpy).
    Raises ComparisonError for a draft sheet, a sheet on another form, the same sheet twice or an answer
    the form's scale does not know.
    """
    people = professionals or {}
    _check_sheets(form, sheets)
    if consensus is not None and (consensus.form_id, consensus.form_version) != form.key:
        raise ComparisonError(
            f"the consensus was recorded on {consensus.form_id} v{consensus.form_version}, not on "
            f"{form.id} v{form.version}"
        )
    pro_sheets = [s for s in sheets if s.rater_kind is RaterKind.PROFESSIONAL]
    carer_sheets = [s for s in sheets if s.rater_kind is RaterKind.PARENT_CARER]
    pro_columns = tuple(_column(s, people) for s in pro_sheets)
    carer_columns = tuple(_column(s, people) for s in carer_sheets)
    applicable = applicability.applicable_ids

    rows = []
    for position, item in enumerate(form.items()):
        if item.id not in applicable:
            continue
        section = form.section_of(item.id)
        pro_cells = tuple(_cell(form, item, s.answers.get(item.id), s) for s in pro_sheets)
        carer_cells = tuple(_cell(form, item, s.answers.get(item.id), s) for s in carer_sheets)
        agreed = consensus.items.get(item.id) if consensus is not None else None
        rows.append(_row(form, item, section, position, pro_cells, carer_cells, pro_columns, agreed))

    profiles = {
        s.id: tuple(section_profiles(form, _options(s), applicable)) for s in (*pro_sheets, *carer_sheets)
    }
    consensus_profile = None
    if consensus is not None:
        agreed_options = {k: v.agreed_option for k, v in consensus.items.items() if not v.unresolved}
        consensus_profile = tuple(section_profiles(form, agreed_options, applicable))

    overall: AgreementResult | None = None
    by_section: dict[str, AgreementResult] = {}
    if agreement:
        overall = _agreement(form, rows, None, "All sections")
        for section in form.sections:
            section_rows = [r for r in rows if r.section_id == section.id]
            if section_rows:
                by_section[section.id] = _agreement(form, section_rows, section.id, section.title)

    return Comparison(
        form=form,
        age_months=applicability.age_months,
        hidden_summary=applicability.hidden_summary(),
        professionals=pro_columns,
        carers=carer_columns,
        rows=tuple(rows),
        profiles=profiles,
        consensus_profile=consensus_profile,
        agreement=overall,
        section_agreement=by_section,
        consensus=consensus,
    )


def _check_sheets(form: FormDefinition, sheets: Sequence[RatingSheet]) -> None:
    seen: set[uuid.UUID] = set()
    for sheet in sheets:
        if sheet.status is not SheetStatus.SUBMITTED:
            raise ComparisonError("only submitted sheets can be compared; a draft was given")
        if (sheet.form_id, sheet.form_version) != form.key:
            raise ComparisonError(
                f"a sheet was answered on {sheet.form_id} v{sheet.form_version}, not on {form.id} v{form.version}"
            )
        if sheet.id in seen:
            raise ComparisonError("the same sheet was given twice")
        seen.add(sheet.id)


def _column(sheet: RatingSheet, people: Mapping[uuid.UUID, Professional]) -> RaterColumn:
    if sheet.rater_kind is RaterKind.PARENT_CARER:
        return RaterColumn(sheet.id, sheet.rater_kind, sheet.rater_name or "Parent/carer", "parent/carer", None,
                           submitted_at=sheet.submitted_at, sheet_version=sheet.version)
    person = people.get(sheet.professional_id) if sheet.professional_id else None
    if person is None:
        return RaterColumn(sheet.id, sheet.rater_kind, "Unknown professional", "role not recorded", Agency.OTHER,
                           professional_id=sheet.professional_id, submitted_at=sheet.submitted_at,
                           sheet_version=sheet.version)
    return RaterColumn(sheet.id, sheet.rater_kind, person.name, person.role, person.agency, person.organisation,
                       person.id, sheet.submitted_at, sheet.version)


def _options(sheet: RatingSheet) -> dict[str, str | None]:
    return {item_id: answer.option for item_id, answer in sheet.answers.items()}


def _cell(form: FormDefinition, item: Item, answer: Answer | None, sheet: RatingSheet) -> Cell:
    if answer is None or answer.option is None:
        if answer is not None and (answer.note or answer.source or answer.recency):
            return Cell(None, "", answer.note, answer.source, answer.recency)
        return UNANSWERED
    scale = form.scale_for(item)
    try:
        option = scale.option(answer.option)
    except KeyError:
        raise ComparisonError(
            f"a sheet answers item {item.id!r} with {answer.option!r}, which scale {scale.id!r} does not have"
        ) from None
    rank = None
    if option.missing is None:
        rank = [o.code for o in scale.rating_options].index(option.code)
    return Cell(option.code, option.label, answer.note, answer.source, answer.recency, option.missing, rank,
                concern_weight(form, item, option.code))


def _spread(cells: Iterable[Cell]) -> int | None:
    ranks = [c.rank for c in cells if c.rank is not None]
    return (max(ranks) - min(ranks)) if len(ranks) >= 2 else None


def _far_apart(form: FormDefinition, item: Item, a: int, b: int) -> bool:
    if form.scale_for(item).kind is ScaleKind.NOMINAL:
        return a != b
    return abs(a - b) >= form.disagreement.min_steps


def _row(
    form: FormDefinition,
    item: Item,
    section: Section,
    position: int,
    cells: tuple[Cell, ...],
    carer_cells: tuple[Cell, ...],
    columns: tuple[RaterColumn, ...],
    agreed: ConsensusItem | None,
) -> ComparisonRow:
    ranks = sorted(c.rank for c in cells if c.rank is not None)
    spread = _spread(cells)
    if spread is None:
        status = RowStatus.SINGLE_VIEW
    elif spread == 0:
        status = RowStatus.AGREED
    elif _far_apart(form, item, ranks[0], ranks[-1]):
        status = RowStatus.DISAGREEMENT
    else:
        status = RowStatus.DIFFERENCE
    known_by = tuple(col.heading for col, c in zip(columns, cells, strict=True) if c.is_rating)
    not_known_by = tuple(col.heading for col, c in zip(columns, cells, strict=True) if c.is_not_known)
    info_difference = form.disagreement.flag_information_difference and bool(known_by) and bool(not_known_by)

    scale = form.scale_for(item)
    reference: int | None = None  # where the professionals stand: the agreed view, else their middle view
    consensus_label = ""
    if agreed is not None:
        if agreed.unresolved:
            consensus_label = "Unresolved"
        elif agreed.agreed_option is not None:
            option = scale.option(agreed.agreed_option)
            consensus_label = option.label
            if option.missing is None:
                reference = [o.code for o in scale.rating_options].index(option.code)
    if reference is None and ranks:
        reference = ranks[(len(ranks) - 1) // 2]
    carer_differs = reference is not None and any(
        c.rank is not None and _far_apart(form, item, c.rank, reference) for c in carer_cells
    )
    return ComparisonRow(
        item=item, section_id=section.id, section_title=section.title, position=position, cells=cells,
        carer_cells=carer_cells, status=status, spread=spread, information_difference=info_difference,
        known_by=known_by, not_known_by=not_known_by, agencies_to_ask=agency_labels(item.agencies),
        carer_differs=carer_differs, consensus=agreed, consensus_label=consensus_label,
    )


def _agreement(form: FormDefinition, rows: Sequence[ComparisonRow], scope_id: str | None,
               scope: str) -> AgreementResult:
    from .agreement import UndefinedStatistic, summarise  # numpy: loaded only when figures are wanted

    by_scale: dict[str, list[ComparisonRow]] = {}
    for row in rows:
        by_scale.setdefault(row.item.scale_id, []).append(row)
    if not by_scale:
        return AgreementResult(scope_id, scope, "ordinal", 0, 0, 0, (), not_defined="no items apply")
    scale_id = max(by_scale, key=lambda k: len(by_scale[k]))  # ties: the first scale met in the form
    used = by_scale[scale_id]
    scale = form.scales[scale_id]
    level = "ordinal" if scale.kind is ScaleKind.ORDINAL else "nominal"
    ratings = [[c.option if c.is_rating else None for c in row.cells] for row in used]
    n_raters = sum(any(row.cells[j].is_rating for row in used) for j in range(len(used[0].cells)))
    n_compared = sum(sum(c.is_rating for c in row.cells) >= 2 for row in used)
    excluded = len(rows) - len(used)
    categories = [o.code for o in scale.rating_options]
    if not used[0].cells:
        return AgreementResult(scope_id, scope, level, len(used), 0, 0, (),
                               not_defined="there are no professional sheets", excluded_items=excluded)
    try:
        summary = summarise(ratings, categories=categories, level=level)
    except (UndefinedStatistic, ValueError) as exc:
        return AgreementResult(scope_id, scope, level, len(used), n_compared, n_raters, (),
                               not_defined=str(exc), excluded_items=excluded)
    chosen = [summary.percent_agreement, summary.alpha, summary.ac2 if summary.ac2 is not None else summary.ac1]
    figures = tuple(
        AgreementFigure(f.name, f.value, f.reading, f.reason, f.n_units, f.n_raters,
                        is_percent=f is summary.percent_agreement)
        for f in chosen
    )
    recommended = summary.recommended_figure
    if recommended is not None and recommended not in chosen:  # e.g. kappa: fall back to a shown figure
        recommended = next((f for f in chosen[1:] if f.value is not None), None)
    return AgreementResult(
        scope_id, scope, level, len(used), n_compared, n_raters, figures, summary.caution,
        None if recommended is None else recommended.name, None, excluded,
    )


# --- sorting and filtering ------------------------------------------------------------------------------


class RowOrder(StrEnum):
    FORM = "form"  # the form's own order (sections in order, items in order)
    DISCUSSION_FIRST = "discussion_first"  # disagreements, then information differences, then the rest


class RowFilter(StrEnum):
    ALL = "all"
    DISAGREEMENTS = "disagreements"
    NEEDS_DISCUSSION = "needs_discussion"  # disagreements and information differences
    INFORMATION_GAPS = "information_gaps"  # any professional answered Not known
    INFORMATION_DIFFERENCES = "information_differences"
    CARER_DIFFERS = "carer_differs"
    UNRESOLVED = "unresolved"


_STATUS_RANK = {RowStatus.DISAGREEMENT: 0, RowStatus.DIFFERENCE: 2, RowStatus.SINGLE_VIEW: 3, RowStatus.AGREED: 4}


def _discussion_key(row: ComparisonRow) -> tuple[int, int, int]:
    rank = _STATUS_RANK[row.status]
    if rank > 0 and row.information_difference:
        rank = 1
    return (rank, -(row.spread or 0), row.position)


def sort_rows(rows: Iterable[ComparisonRow], order: RowOrder = RowOrder.FORM) -> list[ComparisonRow]:
    """Rows in the form's order, or discussion first: disagreements (widest first), then information
    differences, then small differences, single views and agreed items; form order within each."""
    if order is RowOrder.DISCUSSION_FIRST:
        return sorted(rows, key=_discussion_key)
    return sorted(rows, key=lambda r: r.position)


_FILTERS: dict[RowFilter, Callable[[ComparisonRow], bool]] = {
    RowFilter.ALL: lambda r: True,
    RowFilter.DISAGREEMENTS: lambda r: r.status is RowStatus.DISAGREEMENT,
    RowFilter.NEEDS_DISCUSSION: lambda r: r.needs_discussion,
    RowFilter.INFORMATION_GAPS: lambda r: r.information_gap,
    RowFilter.INFORMATION_DIFFERENCES: lambda r: r.information_difference,
    RowFilter.CARER_DIFFERS: lambda r: r.carer_differs,
    RowFilter.UNRESOLVED: lambda r: r.unresolved,
}


def filter_rows(
    rows: Iterable[ComparisonRow],
    only: RowFilter = RowFilter.ALL,
    *,
    section_ids: Collection[str] | None = None,
) -> list[ComparisonRow]:
    """The rows that pass `only`, optionally limited to some sections; order is kept."""
    keep = _FILTERS[RowFilter(only)]
    return [r for r in rows if keep(r) and (section_ids is None or r.section_id in section_ids)]


def group_by_section(rows: Iterable[ComparisonRow], form: FormDefinition) -> list[SectionRows]:
    """Rows grouped under their sections in the form's section order (sections without rows left out);
    within a section the rows keep the order they were given in."""
    grouped: dict[str, list[ComparisonRow]] = {}
    for row in rows:
        grouped.setdefault(row.section_id, []).append(row)
    return [
        SectionRows(s.id, s.title, s.context_only, tuple(grouped[s.id])) for s in form.sections if s.id in grouped
    ]
