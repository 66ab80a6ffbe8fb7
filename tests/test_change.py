"""scoring.change: improved / unchanged / worse by section, the trend, drift alerts, siblings side by side."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from neglect_tool.scoring.change import (
    CHANGE_SHARE,
    Direction,
    RoundProfile,
    SiblingEntry,
    changes_over,
    compare_rounds,
    drift_alerts,
    siblings_side_by_side,
    trend,
)
from neglect_tool.scoring.profile import SectionProfile


def section(section_id: str, index: float | None, *, context: bool = False, applicable: int = 8) -> SectionProfile:
    return SectionProfile(section_id, section_id.capitalize(), applicable, {}, 0, 1, 0, applicable - 1, index, 2.0,
                          context)


def rnd(day: dt.date, plan: bool = True, **indexes: float | None) -> RoundProfile:
    return RoundProfile(uuid.uuid4(), day, f"Round of {day}", tuple(section(k, v) for k, v in indexes.items()), plan)


D1, D2, D3, D4 = dt.date(2026, 1, 10), dt.date(2026, 4, 10), dt.date(2026, 7, 10), dt.date(2026, 10, 10)


def test_threshold_is_a_tenth_of_the_index_range() -> None:
    change = compare_rounds(rnd(D1, home=1.0, food=1.0, health=1.0, play=None),
                            rnd(D2, home=0.8, food=1.19, health=1.2, play=0.5))
    assert change.threshold == pytest.approx(CHANGE_SHARE * 2.0)
    got = {c.section_id: c.direction for c in change.sections}
    assert got == {"home": Direction.IMPROVED, "food": Direction.UNCHANGED, "health": Direction.WORSE,
                   "play": Direction.NOT_COMPARABLE}
    assert change.sections[0].delta == pytest.approx(-0.2)
    assert change.count(Direction.IMPROVED) == 1 and Direction.WORSE.label == "Worse"


def test_changes_over_sorts_rounds_by_date() -> None:
    steps = changes_over([rnd(D3, home=0.5), rnd(D1, home=1.5), rnd(D2, home=1.0)])
    assert [(s.before.held_on, s.after.held_on) for s in steps] == [(D1, D2), (D2, D3)]
    assert all(s.sections[0].direction is Direction.IMPROVED for s in steps)


def test_trend_series_per_section() -> None:
    t = trend([rnd(D2, home=1.0, food=0.5), rnd(D1, home=1.5)])
    assert t.dates == (D1, D2) and t.index_max == 2.0
    assert [(s.section_id, s.values) for s in t.series] == [("home", (1.5, 1.0)), ("food", (None, 0.5))]


def test_drift_needs_two_reviews_without_improvement_while_a_plan_runs() -> None:
    drifting = [rnd(D1, home=1.2, food=1.2, play=0.2), rnd(D2, home=1.2, food=0.8, play=0.2),
                rnd(D3, home=1.3, food=0.8, play=0.2)]
    alerts = drift_alerts(drifting)
    assert [a.section_id for a in alerts] == ["home"]  # food improved once; play is not a concern
    assert alerts[0].since == D1 and alerts[0].reviews == 2 and alerts[0].latest_index == 1.3
    assert "not improved over 2 reviews" in alerts[0].message
    assert drift_alerts(drifting[:2]) == []  # one review is not yet drift
    no_plan = [rnd(D1, plan=False, home=1.2), rnd(D2, plan=True, home=1.2), rnd(D3, home=1.2)]
    assert drift_alerts(no_plan) == []  # the first interval had no plan running
    longer = [*drifting, rnd(D4, home=1.3, food=0.8, play=0.2)]
    assert drift_alerts(longer)[0].reviews == 3


def test_context_sections_raise_no_drift() -> None:
    rounds = [RoundProfile(uuid.uuid4(), d, "r", (section("carers", 1.5, context=True),), True) for d in (D1, D2, D3)]
    assert drift_alerts(rounds) == []


def test_siblings_side_by_side() -> None:
    older = SiblingEntry("A.B.", 130, D2, (section("home", 1.0), section("school", 0.5)))
    baby = SiblingEntry("C.B.", 8, D2, (section("home", 1.5), section("school", None, applicable=0)))
    none = SiblingEntry("D.B.", 40, D1, None)
    sib = siblings_side_by_side([older, baby, none])
    assert [(c.label, c.age_text, c.has_consensus) for c in sib.columns] == [
        ("A.B.", "10 years 10 months", True), ("C.B.", "8 months", True), ("D.B.", "3 years 4 months", False)]
    school = next(r for r in sib.rows if r.section_id == "school")
    assert school.cells[0] is not None and school.cells[0].concern_index == 0.5
    assert school.cells[1] is not None and not school.cells[1].applies
    assert school.cells[2] is None
    assert sib.index_max == 2.0
