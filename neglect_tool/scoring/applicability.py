"""Which items of a form apply to a child on the assessment date (age bands and conditions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import Child, age_in_months, describe_age
from ..forms.model import FormDefinition, Item

# A condition id every form may use: the child's disability/developmental-delay flag on the record.
DISABILITY_CONDITION = "disability_or_delay"


@dataclass(frozen=True, slots=True)
class Applicability:
    age_months: int
    applicable: tuple[Item, ...]
    hidden_by_age: tuple[Item, ...]
    hidden_by_condition: tuple[Item, ...]

    @property
    def applicable_ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.applicable)

    def hidden_summary(self) -> str:
        """E.g. "4 items do not apply at 8 months" (empty when every item applies)."""
        parts = []
        if self.hidden_by_age:
            n = len(self.hidden_by_age)
            parts.append(f"{n} item{'s' if n != 1 else ''} do{'es' if n == 1 else ''} not apply at "
                         f"{describe_age(self.age_months)}")
        if self.hidden_by_condition:
            n = len(self.hidden_by_condition)
            parts.append(f"{n} item{'s' if n != 1 else ''} only appl{'ies' if n == 1 else 'y'} "
                         "to circumstances not recorded for this child")
        return "; ".join(parts)


def child_conditions(child: Child) -> frozenset[str]:
    extra = {DISABILITY_CONDITION} if child.disability_or_delay else set()
    return child.conditions | extra


def applicable_items(
    form: FormDefinition, *, date_of_birth: dt.date, on: dt.date, conditions: frozenset[str] = frozenset()
) -> Applicability:
    """Split the form's items by whether they apply at the child's age on `on` and to their conditions."""
    months = age_in_months(date_of_birth, on)
    applicable: list[Item] = []
    by_age: list[Item] = []
    by_condition: list[Item] = []
    for item in form.items():
        if item.age_range is not None and not item.age_range.contains(months):
            by_age.append(item)
        elif item.condition is not None and item.condition not in conditions:
            by_condition.append(item)
        else:
            applicable.append(item)
    return Applicability(months, tuple(applicable), tuple(by_age), tuple(by_condition))


def applicable_for_child(form: FormDefinition, child: Child, on: dt.date) -> Applicability:
    conditions = child_conditions(child)
    return applicable_items(form, date_of_birth=child.date_of_birth, on=on, conditions=conditions)
