"""charts: figures build from the demo data with the expected artists and labels, render to PNG and SVG, stay
readable without colour, and never touch pyplot."""

from __future__ import annotations

import datetime as dt
import itertools
import struct
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from neglect_tool import charts
from neglect_tool.charts.bars import option_fill
from neglect_tool.charts.style import MARKERS, rating_fill, series_style
from neglect_tool.domain import SheetStatus
from neglect_tool.forms.loader import get_form
from neglect_tool.scoring.applicability import applicable_for_child
from neglect_tool.scoring.change import RoundProfile, trend
from neglect_tool.scoring.comparison import Comparison, build_comparison
from neglect_tool.scoring.profile import section_profiles
from neglect_tool.services.demo_data import DemoChild, DemoData, build_demo

FORM_ID = "childcare-development-checklist"


@cache
def demo() -> DemoData:
    return build_demo(get_form(FORM_ID), today=dt.date(2026, 11, 1))


def comparison(case: int = 0, round_no: int = 1) -> tuple[Comparison, DemoChild]:
    data = demo()
    child = data.cases[case].children[0]
    rnd = child.rounds[round_no]
    form = get_form(FORM_ID)
    people = {p.id: p for p in (data.owner, *data.professionals)}
    sheets = [s for s in rnd.sheets if s.status is SheetStatus.SUBMITTED]
    return build_comparison(form, sheets, applicable_for_child(form, child.child, rnd.round.held_on),
                            professionals=people, consensus=rnd.consensus, agreement=False), child


def consensus_rounds(child: DemoChild) -> list[RoundProfile]:
    form = get_form(FORM_ID)
    points = []
    for r in child.rounds:
        if r.consensus is None:
            continue
        applicable = applicable_for_child(form, child.child, r.round.held_on).applicable_ids
        agreed = {k: v.agreed_option for k, v in r.consensus.items.items() if not v.unresolved}
        points.append(RoundProfile(r.round.id, r.round.held_on, r.round.title,
                                   tuple(section_profiles(form, agreed, applicable)), True))
    return points


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_importing_charts_is_cheap_and_drawing_never_uses_pyplot() -> None:
    code = (
        "import sys, neglect_tool.charts as c\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported by neglect_tool.charts'\n"
        "fig = c.trend_chart(c.TrendChartData(('1 Jan 2026',), (c.TrendLine('Home', (1.0,)),), 2.0, 'visual aid'))\n"
        "c.to_png(fig)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_radar_has_a_line_per_professional_and_the_consensus(tmp_path: Path) -> None:
    c, _ = comparison()
    data = charts.radar_data(c)
    care = [s.title for s in c.form.sections if not s.context_only]
    assert data.axes == tuple(care) and len(data.series) == len(c.professionals) + 1
    assert data.series[-1].consensus and data.series[-1].label == "Agreed view (consensus)"
    fig = charts.radar_chart(data)
    assert type(fig).__module__ == "matplotlib.figure"
    (ax,) = fig.axes
    assert ax.name == "polar"
    assert len(ax.get_lines()) == len(data.series)
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == care
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [s.label for s in data.series if not s.consensus] + [
        "Agreed view (consensus)"]
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "Concern index by section" in texts and "visual aid" in texts
    png = charts.to_png(fig)
    assert png_size(png)[0] == round(fig.get_size_inches()[0] * 200)
    (tmp_path / "radar.png").write_bytes(png)


def test_bars_stack_each_raters_answers_per_section() -> None:
    c, _ = comparison()
    data = charts.bars_data(c)
    assert data.sections == tuple(s.title for s in c.sections())
    assert data.raters == tuple(col.name for col in c.professionals)
    assert [o.label for o in data.options] == ["Yes", "Borderline", "No", "Not known"]  # N/A unused: left out
    for s, section in enumerate(c.sections()):
        for j in range(len(c.professionals)):
            assert sum(data.counts[s][j]) == len(section.rows)  # every applicable item counted once
    fig = charts.bars_chart(data)
    (ax,) = fig.axes
    assert len(ax.collections) == len(data.options)  # one hatched collection per answer
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Yes", "Borderline", "No", "Not known"]
    texts = [t.get_text() for t in ax.texts]
    assert [t for t in texts if t in data.raters] == list(data.raters) * len(data.sections)
    assert [t for t in texts if t in data.sections] == list(data.sections)
    coded = charts.bars_chart(charts.bars_data(c, rater_labels=["P1", "P2", "P3", "P4", "P5"]))
    assert coded.get_size_inches()[0] == fig.get_size_inches()[0]
    with pytest.raises(ValueError, match="nothing to draw"):
        charts.bars_chart(charts.BarsData((), (), (), ()))


def test_trend_draws_each_section_over_the_rounds() -> None:
    _, child = comparison(case=1)
    t = trend(consensus_rounds(child))
    data = charts.trend_data(t, get_form(FORM_ID).profile.label)
    assert len(data.x_labels) == 3 and all(label.endswith("2026") for label in data.x_labels)
    fig = charts.trend_chart(data)
    (ax,) = fig.axes
    assert len(ax.get_lines()) == len(t.series)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(data.x_labels)
    first = tuple(charts.TrendLine(line.label, line.values[:1]) for line in data.lines[:2])
    single = charts.trend_chart(charts.TrendChartData(("1 Jan 2026",), first, 2.0, "visual aid"))
    assert any("One round so far" in t.get_text() for t in single.axes[0].texts)
    with pytest.raises(ValueError, match="one value per round"):
        charts.trend_chart(charts.TrendChartData(("1 Jan 2026",), data.lines[:1], 2.0, "visual aid"))


def test_svg_is_vector_text() -> None:
    c, _ = comparison()
    svg = charts.to_svg(charts.radar_chart(charts.radar_data(c)))
    assert svg.startswith(b"<?xml") and b"<svg" in svg and b"<path" in svg


def test_readable_without_colour() -> None:
    # neighbouring series differ in marker and line style as well as colour
    styles = [series_style(i) for i in range(12)]
    for a, b in itertools.pairwise(styles):
        assert a.marker != b.marker and (a.colour, a.linestyle) != (b.colour, b.linestyle)
    assert len({(s.colour, s.linestyle) for s in styles}) == 12
    assert len({s.marker for s in styles[:10]}) == len(MARKERS)
    # answers on one scale differ in hatching, not only in colour
    for n in (2, 3, 4, 5, 11):
        hatches = [rating_fill(p, n).hatch for p in range(min(n, 8))]
        assert len(set(hatches)) == len(hatches)
    kinds = [charts.AnswerOption("nk", "Not known", charts.AnswerKind.NOT_KNOWN),
             charts.AnswerOption("yes", "Yes", charts.AnswerKind.RATING, 0, 3)]
    assert option_fill(kinds[0]).hatch != option_fill(kinds[1]).hatch
