"""The section profile of a sheet: counts per option, information gaps and the labelled concern index.

Results are a profile by section, never one total: good care in one area must not hide poor care in
another. The concern index is a visual aid (the form's ProfileRule labels it so).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ..forms.model import FormDefinition, Item, MissingKind, Polarity, Scale


@dataclass(frozen=True, slots=True)
class SectionProfile:
    section_id: str
    title: str
    applicable: int  # items that apply to this child on this date
    counts: Mapping[str, int]  # option code -> number of applicable items answered with it
    unanswered: int
    not_known: int  # information gaps
    not_applicable: int
    rated: int  # answered with a real rating (not Not known / N/A)
    concern_index: float | None  # mean concern weight over rated items; None without rule or ratings
    concern_max: float | None  # the largest weight the rule gives, to scale charts
    context_only: bool = False

    @property
    def answered(self) -> int:
        return self.applicable - self.unanswered

    @property
    def complete(self) -> bool:
        return self.unanswered == 0


@dataclass(frozen=True, slots=True)
class InformationGap:
    section_id: str
    item_id: str
    text: str
    agencies: tuple[str, ...]  # who could usually fill the gap


def concern_weight(form: FormDefinition, item: Item, option_code: str) -> float | None:
    """The concern weight of an answer, honouring the item's polarity; None for missing answers."""
    scale = form.scale_for(item)
    option = scale.option(option_code)
    if option.missing is not None or not form.profile.has_index:
        return None
    code = option_code
    if item.polarity is Polarity.CONCERN:
        code = _mirror(scale, option_code)
    return form.profile.concern_weights.get(code)


def _mirror(scale: Scale, code: str) -> str:
    """The rating option at the mirrored position (Yes <-> No) for items worded the other way round."""
    ratings = [o.code for o in scale.rating_options]
    return ratings[len(ratings) - 1 - ratings.index(code)]


def section_profiles(
    form: FormDefinition, answers: Mapping[str, str | None], applicable_ids: Collection[str]
) -> list[SectionProfile]:
    """One SectionProfile per section, counting only items that apply. `answers`: item id -> option code."""
    weights = form.profile.concern_weights
    concern_max = max(weights.values()) if weights else None
    profiles = []
    for section in form.sections:
        counts: dict[str, int] = {}
        applicable = unanswered = not_known = not_applicable = rated = 0
        weight_sum = 0.0
        weighted = 0
        for item in section.items:
            if item.id not in applicable_ids:
                continue
            applicable += 1
            code = answers.get(item.id)
            if code is None:
                unanswered += 1
                continue
            option = form.scale_for(item).option(code)
            counts[code] = counts.get(code, 0) + 1
            if option.missing is MissingKind.NOT_KNOWN:
                not_known += 1
            elif option.missing is MissingKind.NOT_APPLICABLE:
                not_applicable += 1
            else:
                rated += 1
                weight = concern_weight(form, item, code)
                if weight is not None:
                    weight_sum += weight
                    weighted += 1
        profiles.append(
            SectionProfile(
                section_id=section.id,
                title=section.title,
                applicable=applicable,
                counts=counts,
                unanswered=unanswered,
                not_known=not_known,
                not_applicable=not_applicable,
                rated=rated,
                concern_index=(weight_sum / weighted) if weighted else None,
                concern_max=concern_max,
                context_only=section.context_only,
            )
        )
    return profiles


def information_gaps(
    form: FormDefinition, answers: Mapping[str, str | None], applicable_ids: Collection[str]
) -> list[InformationGap]:
    """Applicable items answered Not known, with the agencies that could usually answer them."""
    gaps = []
    for section in form.sections:
        for item in section.items:
            code = answers.get(item.id)
            if item.id not in applicable_ids or code is None:
                continue
            if form.scale_for(item).option(code).missing is MissingKind.NOT_KNOWN:
                gaps.append(InformationGap(section.id, item.id, item.text, item.agencies))
    return gaps


def answer_counts(form: FormDefinition, profile: SectionProfile) -> list[tuple[str, int]]:
    """(label, count) of every answer given in the section, in the scales' option order."""
    labels: dict[str, str] = {}
    for scale in form.scales.values():
        for option in scale.options:
            labels.setdefault(option.code, option.label)
    return [(label, profile.counts[code]) for code, label in labels.items() if profile.counts.get(code)]


def overall_progress(profiles: list[SectionProfile]) -> tuple[int, int]:
    """(answered, applicable) across all sections, for the editor's progress bar."""
    return sum(p.answered for p in profiles), sum(p.applicable for p in profiles)
