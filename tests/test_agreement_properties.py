"""Property tests: our agreement statistics against reference implementations on random data with
missing answers (krippendorff, irrCAC, statsmodels), plus a brute-force percent agreement and a
"never NaN, never ZeroDivisionError" check on tiny degenerate inputs.

Example counts are sized so all tests/test_agreement*.py run in well under 40 s on two cores; irrCAC
(pandas based) is the slow reference, so it gets the fewest examples.
"""

from __future__ import annotations

import itertools
import math
import random
import warnings
from collections.abc import Callable, Hashable

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from neglect_tool.scoring.agreement import (
    UndefinedStatistic,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac,
    krippendorff_alpha,
    percent_agreement,
    summarise,
)

Table = list[list[Hashable | None]]
TOL = 1e-9
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(
    draw: st.DrawFn,
    *,
    min_units: int = 1,
    max_units: int = 14,
    min_raters: int = 2,
    max_raters: int = 5,
    min_q: int = 2,
    max_q: int = 5,
) -> tuple[Table, list[int]]:
    """A units x raters table of answers 1..q with missing answers (None), and the categories 1..q."""
    q = draw(st.integers(min_q, max_q))
    n_units = draw(st.integers(min_units, max_units))
    n_raters = draw(st.integers(min_raters, max_raters))
    cell = st.sampled_from([None, *range(1, q + 1)])
    ratings: Table = [[draw(cell) for _ in range(n_raters)] for _ in range(n_units)]
    return ratings, list(range(1, q + 1))


def _quiet(function: Callable[[], float]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(function())


def _assert_matches(ours: Callable[[], float], reference: float) -> None:
    """Reference NaN means undefined: we must raise UndefinedStatistic; otherwise agree to 1e-9."""
    if math.isnan(reference):
        with pytest.raises(UndefinedStatistic):
            ours()
    else:
        assert ours() == pytest.approx(reference, abs=TOL)


# --------------------------------------------------------------------------------------------------
# Krippendorff's alpha vs the krippendorff package
# --------------------------------------------------------------------------------------------------


@FAST
@given(
    data=tables(max_raters=6),
    level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
    explicit=st.booleans(),
    shift=st.sampled_from([0, 1]),
)
def test_alpha_matches_krippendorff_package(
    data: tuple[Table, list[int]], level: str, explicit: bool, shift: int
) -> None:
    import krippendorff

    ratings, categories = data
    # shift 1 -> answers 0..q-1, so the ratio metric meets 0 (0/0 distances are 0 in both)
    ratings = [[None if v is None else v - shift for v in unit] for unit in ratings]
    categories = [c - shift for c in categories]
    by_rater = [
        [math.nan if unit[r] is None else float(unit[r]) for unit in ratings] for r in range(len(ratings[0]))
    ]
    kwargs: dict[str, object] = {"value_domain": categories} if explicit else {}
    cats = categories if explicit else None

    def ours() -> float:
        return krippendorff_alpha(ratings, level=level, categories=cats)

    try:
        reference = _quiet(
            lambda: krippendorff.alpha(reliability_data=by_rater, level_of_measurement=level, **kwargs)
        )
    except ValueError:  # no pairable unit, or a one-value domain: undefined for us
        with pytest.raises(UndefinedStatistic):
            ours()
        return
    _assert_matches(ours, reference)


@FAST
@given(data=tables(max_raters=4, max_q=4), level=st.sampled_from(["nominal", "ordinal"]))
def test_alpha_text_answers_match_numeric_codes(data: tuple[Table, list[int]], level: str) -> None:
    ratings, categories = data
    words = {c: f"answer {chr(ord('z') - c)}" for c in categories}  # alphabetical order reversed
    text: Table = [[None if v is None else words[v] for v in unit] for unit in ratings]
    order = [words[c] for c in categories]
    try:
        expected = krippendorff_alpha(ratings, level, categories)
    except UndefinedStatistic:
        with pytest.raises(UndefinedStatistic):
            krippendorff_alpha(text, level, order)
        return
    assert krippendorff_alpha(text, level, order) == pytest.approx(expected, abs=TOL)


# --------------------------------------------------------------------------------------------------
# Gwet's AC1 / AC2 vs irrCAC
# --------------------------------------------------------------------------------------------------


@SLOW
@given(
    data=tables(min_units=2, max_units=10),
    weights=st.sampled_from([None, None, "linear", "quadratic", "ordinal"]),
    explicit=st.booleans(),
)
def test_gwet_matches_irrcac(data: tuple[Table, list[int]], weights: str | None, explicit: bool) -> None:
    import pandas as pd
    from irrCAC.raw import CAC

    ratings, categories = data
    rated = [unit for unit in ratings if any(v is not None for v in unit)]
    seen = sorted({v for unit in ratings for v in unit if v is not None})
    # irrCAC's default weights use the numeric values, ours the order; they agree on explicit 1..q.
    cats = categories if explicit or weights is not None else None
    if not any(sum(v is not None for v in unit) >= 2 for unit in ratings) or (cats is None and len(seen) < 2):
        with pytest.raises(UndefinedStatistic):
            gwet_ac(ratings, weights=weights, categories=cats)
        return
    assume(len(rated) >= 2)  # irrCAC's variance step needs two rated units
    frame = pd.DataFrame(
        [[np.nan if v is None else float(v) for v in unit] for unit in ratings],
        columns=[f"r{j}" for j in range(len(ratings[0]))],
    )

    def reference() -> float:
        cac = CAC(frame, weights=weights or "identity", categories=cats, digits=15)
        return float(cac.gwet()["est"]["coefficient_value"])

    _assert_matches(lambda: gwet_ac(ratings, weights=weights, categories=cats), _quiet(reference))


# --------------------------------------------------------------------------------------------------
# Cohen's and Fleiss' kappa vs statsmodels (and a sklearn-style formula)
# --------------------------------------------------------------------------------------------------


def _sklearn_style_kappa(a: list[int], b: list[int], labels: list[int], weights: str | None) -> float:
    """sklearn.metrics.cohen_kappa_score's algorithm (sklearn is not a dependency)."""
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    confusion = np.zeros((k, k))
    for x, y in zip(a, b, strict=True):
        confusion[index[x], index[y]] += 1
    expected = np.outer(confusion.sum(axis=1), confusion.sum(axis=0)) / confusion.sum()
    i, j = np.indices((k, k))
    w = {None: (i != j).astype(float), "linear": np.abs(i - j), "quadratic": (i - j) ** 2}[weights]
    denominator = float((w * expected).sum())
    return math.nan if denominator == 0 else 1 - float((w * confusion).sum()) / denominator


@FAST
@given(
    data=tables(min_raters=2, max_raters=2, max_units=20),
    weights=st.sampled_from([None, "linear", "quadratic"]),
    explicit=st.booleans(),
)
def test_cohen_matches_statsmodels(
    data: tuple[Table, list[int]], weights: str | None, explicit: bool
) -> None:
    from statsmodels.stats.inter_rater import cohens_kappa

    ratings, categories = data
    cats = categories if explicit else sorted({v for unit in ratings for v in unit if v is not None})

    def ours() -> float:
        return cohen_kappa(ratings, weights=weights, categories=categories if explicit else None)

    pairs = [(unit[0], unit[1]) for unit in ratings if unit[0] is not None and unit[1] is not None]
    if not pairs:
        with pytest.raises(UndefinedStatistic):
            ours()
        return
    index = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in pairs:
        table[index[x], index[y]] += 1
    if len(cats) < 2:
        reference = math.nan
    elif weights is None:
        reference = _quiet(lambda: cohens_kappa(table, return_results=False))
    else:
        reference = _quiet(lambda: cohens_kappa(table, wt=weights, return_results=False))
    _assert_matches(ours, reference)
    a = [int(x) for x, _ in pairs]
    b = [int(y) for _, y in pairs]
    if len(cats) >= 2:
        _assert_matches(ours, _quiet(lambda: _sklearn_style_kappa(a, b, cats, weights)))


@st.composite
def balanced_tables(draw: st.DrawFn) -> tuple[Table, list[int]]:
    """Every unit has the same number m of answers, but which raters gave them varies."""
    q = draw(st.integers(2, 5))
    n_raters = draw(st.integers(2, 6))
    m = draw(st.integers(2, n_raters))
    n_units = draw(st.integers(1, 14))
    ratings: Table = []
    for _ in range(n_units):
        slots = draw(st.permutations(range(n_raters)))[:m]
        ratings.append([draw(st.integers(1, q)) if r in slots else None for r in range(n_raters)])
    return ratings, list(range(1, q + 1))


@FAST
@given(data=balanced_tables())
def test_fleiss_matches_statsmodels(data: tuple[Table, list[int]]) -> None:
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ratings, categories = data
    counts = np.array([[sum(v == c for v in unit) for c in categories] for unit in ratings])
    reference = _quiet(lambda: sm_fleiss(counts, method="fleiss"))
    _assert_matches(lambda: fleiss_kappa(ratings, categories=categories), reference)
    _assert_matches(lambda: fleiss_kappa(ratings), reference)


@FAST
@given(data=tables(max_raters=6))
def test_fleiss_rejects_unbalanced(data: tuple[Table, list[int]]) -> None:
    ratings, _ = data
    answered = {sum(v is not None for v in unit) for unit in ratings}
    assume(len(answered) > 1)
    with pytest.raises(ValueError, match="same number of answers"):
        fleiss_kappa(ratings)


# --------------------------------------------------------------------------------------------------
# Percent agreement vs brute force; invariances
# --------------------------------------------------------------------------------------------------


@FAST
@given(data=tables(max_raters=6))
def test_percent_agreement_brute_force(data: tuple[Table, list[int]]) -> None:
    ratings, _ = data
    shares = []
    for unit in ratings:
        values = [v for v in unit if v is not None]
        pairs = list(itertools.combinations(values, 2))
        if pairs:
            shares.append(sum(x == y for x, y in pairs) / len(pairs))
    if not shares:
        with pytest.raises(UndefinedStatistic):
            percent_agreement(ratings)
    else:
        assert percent_agreement(ratings) == pytest.approx(sum(shares) / len(shares), abs=TOL)


@FAST
@given(data=tables(max_raters=5), seed=st.integers(0, 2**32 - 1))
def test_rater_order_and_unit_order_do_not_matter(data: tuple[Table, list[int]], seed: int) -> None:
    ratings, categories = data
    rng = random.Random(seed)
    columns = list(range(len(ratings[0])))
    rng.shuffle(columns)
    shuffled = [[unit[c] for c in columns] for unit in ratings]
    rng.shuffle(shuffled)
    for statistic in (
        lambda r: krippendorff_alpha(r, "ordinal", categories),
        lambda r: gwet_ac(r, "quadratic", categories),
        percent_agreement,
    ):
        try:
            expected = statistic(ratings)
        except UndefinedStatistic:
            with pytest.raises(UndefinedStatistic):
                statistic(shuffled)
            continue
        assert statistic(shuffled) == pytest.approx(expected, abs=TOL)


# --------------------------------------------------------------------------------------------------
# Degenerate inputs: a finite number or a ValueError (UndefinedStatistic), never NaN or a crash
# --------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    data=tables(min_units=0, max_units=4, min_raters=0, max_raters=3, min_q=1, max_q=2),
    explicit=st.booleans(),
)
def test_degenerate_inputs_never_nan_or_crash(data: tuple[Table, list[int]], explicit: bool) -> None:
    ratings, categories = data
    cats = categories if explicit else None
    calls: list[Callable[[], float]] = [lambda: percent_agreement(ratings)]
    for w in (None, "linear", "quadratic"):
        calls.append(lambda w=w: cohen_kappa(ratings, weights=w, categories=cats))
    calls.append(lambda: fleiss_kappa(ratings, categories=cats))
    for level in ("nominal", "ordinal", "interval", "ratio"):
        calls.append(lambda level=level: krippendorff_alpha(ratings, level, cats))
    for w in (None, "linear", "quadratic", "ordinal"):
        calls.append(lambda w=w: gwet_ac(ratings, weights=w, categories=cats))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy divide-by-zero warning would fail the test
        for call in calls:
            try:
                value = call()
            except ValueError:
                continue
            assert isinstance(value, float)
            assert math.isfinite(value)
            assert value <= 1.0 + 1e-12
        try:
            summary = summarise(ratings, categories=cats, level="ordinal")
        except ValueError:
            return
    for figure in summary.figures():
        assert (figure.value is None) != (figure.reason is None)
        if figure.value is not None:
            assert math.isfinite(figure.value) and figure.reading
