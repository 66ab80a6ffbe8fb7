"""Checklist form definitions as plain, immutable data.

A form is loaded from a TOML file in forms/ (see neglect_tool.forms.loader) and validated against the
published JSON Schema before these objects are built, so code working with a FormDefinition can rely on
every reference resolving (scales exist, ids are unique, age ranges are ordered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ScaleKind(StrEnum):
    ORDINAL = "ordinal"
    NOMINAL = "nominal"


class MissingKind(StrEnum):
    """Why an answer carries no rating: both are reported, neither counts in agreement statistics."""

    NOT_KNOWN = "not_known"  # an information gap: some agency may know
    NOT_APPLICABLE = "not_applicable"  # the item does not apply to this child


class Polarity(StrEnum):
    """Whether the first (best) option of the scale means the need is met.

    The neglect checklist words every item so that "Yes" means the need is met; some local tools word
    items the other way round, so each item carries its polarity and scoring reverses it where needed.
    """

    MET = "met"
    CONCERN = "concern"


@dataclass(frozen=True, slots=True)
class ScaleOption:
    code: str  # stable id stored with every answer, e.g. "yes"
    label: str  # what the user sees, e.g. "Yes"
    key: str  # the single keyboard key that picks it, e.g. "1"
    missing: MissingKind | None = None
    descriptor: str = ""  # short description, e.g. of a grade on a graded profile

    @property
    def is_rating(self) -> bool:
        return self.missing is None


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    kind: ScaleKind
    options: tuple[ScaleOption, ...]  # in order, best (need met) first for ordinal scales

    def option(self, code: str) -> ScaleOption:
        for opt in self.options:
            if opt.code == code:
                return opt
        raise KeyError(f"scale {self.id!r} has no option {code!r}")

    @property
    def rating_options(self) -> tuple[ScaleOption, ...]:
        """Options that are real ratings (not Not known / N/A), in scale order."""
        return tuple(o for o in self.options if o.missing is None)

    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True, slots=True)
class AgeRange:
    """Inclusive lower bound, exclusive upper bound, in completed months at the assessment date."""

    min_months: int | None = None
    max_months: int | None = None  # exclusive: 60 means "under 5 years"

    def contains(self, age_months: int) -> bool:
        if self.min_months is not None and age_months < self.min_months:
            return False
        return not (self.max_months is not None and age_months >= self.max_months)

    def describe(self) -> str:
        lo, hi = self.min_months, self.max_months
        if lo is None and hi is None:
            return "all ages"
        if lo is None:
            return f"under {_months_text(hi or 0)}"
        if hi is None:
            return f"{_months_text(lo)} and over"
        return f"{_months_text(lo)} to under {_months_text(hi)}"


def _months_text(months: int) -> str:
    if months % 12 == 0 and months >= 24:
        return f"{months // 12} years"
    return f"{months} months"


@dataclass(frozen=True, slots=True)
class Condition:
    """A circumstance of the child that switches some items on, e.g. a chronic health condition."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    scale_id: str
    guidance: str = ""
    prompts: tuple[str, ...] = ()
    polarity: Polarity = Polarity.MET
    yes_means: str = ""  # shown beside a negative statement turned around, e.g. "Yes = no hoarding seen"
    age_range: AgeRange | None = None
    condition: str | None = None  # id of a Condition; item applies only when it holds for the child
    agencies: tuple[str, ...] = ()  # agencies that usually know the answer: "health", "school", ...


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    guidance: str = ""
    context_only: bool = False  # carers' circumstances: shown and compared, but not a care profile


@dataclass(frozen=True, slots=True)
class FreeTextSection:
    """A free-text part of a sheet: strengths, the child's voice, the carer's view."""

    id: str
    title: str
    guidance: str = ""
    max_chars: int = 20_000


@dataclass(frozen=True, slots=True)
class ProfileRule:
    """How the section profile is summarised: counts per option, and an optional concern index.

    The concern index is a visual aid, never a verdict; `label` says so wherever it is shown.
    Missing options (Not known, N/A) never carry a weight.
    """

    concern_weights: dict[str, float] = field(default_factory=dict)  # option code -> weight
    label: str = "Concern index (a visual aid, not a score)"

    @property
    def has_index(self) -> bool:
        return bool(self.concern_weights)


@dataclass(frozen=True, slots=True)
class DisagreementRule:
    """When two answers to one item count as a disagreement worth discussing at the meeting."""

    min_steps: int = 2  # ordinal distance between rating options, e.g. Yes vs No on Yes/Borderline/No
    flag_information_difference: bool = True  # Not known beside a real answer


@dataclass(frozen=True, slots=True)
class FormDefinition:
    id: str
    version: int
    title: str
    attribution: str
    scales: dict[str, Scale]
    sections: tuple[Section, ...]
    free_text: tuple[FreeTextSection, ...] = ()
    conditions: tuple[Condition, ...] = ()
    profile: ProfileRule = field(default_factory=ProfileRule)
    disagreement: DisagreementRule = field(default_factory=DisagreementRule)
    description: str = ""
    source_path: str = ""  # where it was loaded from, for messages only

    @property
    def key(self) -> tuple[str, int]:
        """The (id, version) pair every saved answer records."""
        return (self.id, self.version)

    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item:
        for section in self.sections:
            for item in section.items:
                if item.id == item_id:
                    return item
        raise KeyError(f"form {self.id!r} v{self.version} has no item {item_id!r}")

    def section_of(self, item_id: str) -> Section:
        for section in self.sections:
            if any(item.id == item_id for item in section.items):
                return section
        raise KeyError(f"form {self.id!r} v{self.version} has no item {item_id!r}")

    def scale_for(self, item: Item) -> Scale:
        return self.scales[item.scale_id]
