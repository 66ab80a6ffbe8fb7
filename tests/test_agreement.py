"""Agreement statistics: published worked examples, undefined and invalid inputs, readings and summaries."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pytest

from neglect_tool.scoring import agreement_readings
from neglect_tool.scoring.agreement import (
    AgreementSummary,
    Figure,
    UndefinedStatistic,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac,
    krippendorff_alpha,
    percent_agreement,
    reading,
    summarise,
)

Table = list[list[Hashable | None]]

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers x 12 units,
# values 1-5, missing answers. Rows here are units, columns observers A-D.
_K_BY_OBSERVER: list[list[int | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
KRIPPENDORFF_2011: Table = [[row[u] for row in _K_BY_OBSERVER] for u in range(12)]

# The same data as text answers with an explicit order (krippendorff package docs).
_WORDS = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
KRIPPENDORFF_2011_WORDS: Table = [
    [None if v is None else _WORDS[v] for v in unit] for unit in KRIPPENDORFF_2011
]
WORD_ORDER = ["very low", "low", "mid", "high", "very high"]

# Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories; kappa = 0.210.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def _expand(counts: Sequence[Sequence[int]]) -> Table:
    return [[k + 1 for k, n in enumerate(row) for _ in range(n)] for row in counts]


# Wikipedia "Cohen's kappa" worked example: 50 proposals, A and B both yes 20, both no 15,
# A yes / B no 5, A no / B yes 10. p_o = 0.7, p_e = 0.5, kappa = 0.4.
COHEN_WIKI: Table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15


def _raters_by_units(ratings: Table) -> list[list[float]]:
    """Raters x units with NaN for missing, as the krippendorff package wants."""
    return [
        [math.nan if unit[r] is None else float(unit[r]) for unit in ratings] for r in range(len(ratings[0]))
    ]


# --------------------------------------------------------------------------------------------------
# Published worked examples
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level: str, published: float) -> None:
    import krippendorff

    ours = krippendorff_alpha(KRIPPENDORFF_2011, level=level)
    assert round(ours, 3) == published
    reference = krippendorff.alpha(
        reliability_data=_raters_by_units(KRIPPENDORFF_2011), level_of_measurement=level
    )
    assert ours == pytest.approx(float(reference), abs=1e-9)
    assert krippendorff_alpha(KRIPPENDORFF_2011, level=level, categories=[1, 2, 3, 4, 5]) == pytest.approx(
        ours, abs=1e-12
    )


def test_krippendorff_2011_nominal_exact_fraction() -> None:
    # Krippendorff (2011): alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c n_k, c != k) = 1 - 39 * 4 / 608
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(1 - 39 * 4 / 608, abs=1e-12)


def test_krippendorff_ordinal_text_answers_use_category_order() -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_WORDS, "ordinal", WORD_ORDER), 3) == 0.815
    assert round(krippendorff_alpha(KRIPPENDORFF_2011_WORDS, "nominal"), 3) == 0.743
    # A different order gives a different ordinal alpha: the order really is used.
    shuffled = ["low", "very low", "mid", "very high", "high"]
    assert krippendorff_alpha(KRIPPENDORFF_2011_WORDS, "ordinal", shuffled) != pytest.approx(0.8154, abs=1e-3)


def test_krippendorff_wikipedia_example() -> None:
    # 3 coders x 15 units (Wikipedia / krippendorff package docs): nominal 0.691358, interval 0.810845.
    by_coder = [
        [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    ]
    units: Table = [[coder[u] for coder in by_coder] for u in range(15)]
    assert round(krippendorff_alpha(units, "nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(units, "interval"), 6) == 0.810845


def test_fleiss_wikipedia_example() -> None:
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ratings = _expand(FLEISS_COUNTS)
    assert all(len(unit) == 14 for unit in ratings)
    ours = fleiss_kappa(ratings)
    assert round(ours, 3) == 0.210
    assert ours == pytest.approx(float(sm_fleiss(np.asarray(FLEISS_COUNTS), method="fleiss")), abs=1e-12)


def test_cohen_wikipedia_example() -> None:
    assert cohen_kappa(COHEN_WIKI) == pytest.approx(0.4, abs=1e-12)
    assert percent_agreement(COHEN_WIKI) == pytest.approx(0.7, abs=1e-12)


def test_cohen_weighted_against_statsmodels_and_hand_calculation() -> None:
    from statsmodels.stats.inter_rater import cohens_kappa as sm_cohen

    table = np.array([[10, 4, 1], [3, 12, 5], [0, 2, 8]])
    ratings: Table = [[i, j] for i in range(3) for j in range(3) for _ in range(int(table[i, j]))]
    n = table.sum()
    p = table / n
    e = np.outer(p.sum(1), p.sum(0))
    i, j = np.indices((3, 3))
    for name, w in (("linear", 1 - abs(i - j) / 2), ("quadratic", 1 - ((i - j) / 2) ** 2)):
        po, pe = (w * p).sum(), (w * e).sum()
        expected = (po - pe) / (1 - pe)
        assert cohen_kappa(ratings, weights=name) == pytest.approx(expected, abs=1e-12)
        assert cohen_kappa(ratings, weights=name) == pytest.approx(
            float(sm_cohen(table, wt=name, return_results=False)), abs=1e-12
        )
    assert cohen_kappa(ratings) == pytest.approx(float(sm_cohen(table, return_results=False)), abs=1e-12)


def test_cohen_drops_items_with_a_missing_answer() -> None:
    with_missing = [*COHEN_WIKI, ["yes", None], [None, "no"], [None, None]]
    assert cohen_kappa(with_missing) == pytest.approx(0.4, abs=1e-12)


def test_gwet_ac1_irrcac_example() -> None:
    from irrCAC.datasets import raw_4raters
    from irrCAC.raw import CAC

    frame = raw_4raters()
    ratings: Table = [[None if math.isnan(v) else int(v) for v in row] for row in frame.to_numpy(dtype=float)]
    # irrCAC's documented example (Gwet's 4 raters x 12 units data): AC1 0.77544, pa 0.81818, pe 0.19032
    assert round(gwet_ac(ratings), 5) == 0.77544
    pa = percent_agreement(ratings)
    assert round(pa, 5) == 0.81818
    ac1 = gwet_ac(ratings)
    assert round((pa - ac1) / (1 - ac1), 5) == 0.19032  # the implied chance agreement pe
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for weights in (None, "linear", "quadratic", "ordinal"):
            reference = CAC(frame, weights=weights or "identity", digits=15).gwet()["est"][
                "coefficient_value"
            ]
            assert gwet_ac(ratings, weights=weights) == pytest.approx(float(reference), abs=1e-9)


def test_percent_agreement_hand_example() -> None:
    ratings: Table = [["a", "a", "b"], ["a", "a", None], ["b", None, None]]
    # item 1: 1 agreeing pair of 3; item 2: 1 of 1; item 3 has one answer and is left out.
    assert percent_agreement(ratings) == pytest.approx((1 / 3 + 1) / 2, abs=1e-12)


def test_nan_is_missing() -> None:
    assert percent_agreement([[1, float("nan")], [1, 1], [2, np.nan]]) == 1.0


def test_gwet_all_same_answer_with_known_categories_is_perfect() -> None:
    ratings: Table = [["no", "no", "no"]] * 5 + [["no", None, "no"]]
    assert gwet_ac(ratings, categories=["no", "yes"]) == 1.0
    assert gwet_ac(ratings, weights="quadratic", categories=["no", "maybe", "yes"]) == 1.0


# --------------------------------------------------------------------------------------------------
# Undefined statistics
# --------------------------------------------------------------------------------------------------

ALL_STATS = [
    pytest.param(percent_agreement, id="percent"),
    pytest.param(cohen_kappa, id="cohen"),
    pytest.param(fleiss_kappa, id="fleiss"),
    pytest.param(krippendorff_alpha, id="alpha"),
    pytest.param(gwet_ac, id="gwet"),
]


@pytest.mark.parametrize("statistic", ALL_STATS)
def test_empty_ratings_are_undefined(statistic: object) -> None:
    assert callable(statistic)
    with pytest.raises(UndefinedStatistic, match="no items"):
        statistic([])
    with pytest.raises(UndefinedStatistic, match="no raters"):
        statistic([[], []])


@pytest.mark.parametrize("statistic", ALL_STATS)
def test_ragged_ratings_are_rejected(statistic: object) -> None:
    assert callable(statistic)
    with pytest.raises(ValueError, match="ragged") as info:
        statistic([["a", "b"], ["a"]])
    assert not isinstance(info.value, UndefinedStatistic)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: cohen_kappa(r, categories=["yes", "no"]),
        lambda r: fleiss_kappa(r, categories=["yes", "no"]),
        lambda r: krippendorff_alpha(r, categories=["yes", "no"]),
        lambda r: gwet_ac(r, categories=["yes", "no"]),
        lambda r: summarise(r, categories=["yes", "no"]),
    ],
)
def test_answer_outside_categories_is_named(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match="'maybe'"):
        call([["yes", "no"], ["maybe", "yes"]])


def test_bad_inputs_are_value_errors() -> None:
    with pytest.raises(ValueError, match="string"):
        percent_agreement(["ab", "ba"])
    with pytest.raises(ValueError, match="sequence"):
        percent_agreement("abc")
    with pytest.raises(ValueError, match="not a sequence"):
        percent_agreement([1, 2])
    with pytest.raises(ValueError, match="hashable"):
        percent_agreement([["a", ["b"]]])
    with pytest.raises(ValueError, match="twice"):
        gwet_ac([["a", "b"]], categories=["a", "b", "a"])
    with pytest.raises(ValueError, match="empty"):
        gwet_ac([["a", "b"]], categories=[])
    with pytest.raises(ValueError, match="None"):
        gwet_ac([["a", "b"]], categories=["a", None, "b"])
    with pytest.raises(ValueError, match="single string"):
        gwet_ac([["a", "b"]], categories="ab")
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa([["a", "b"]], weights="ordinal")
    with pytest.raises(ValueError, match="weights"):
        gwet_ac([["a", "b"]], weights="cubic")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([["a", "b"]], level="ranked")
    with pytest.raises(ValueError, match="level"):
        summarise([["a", "b"]], level="ranked")


def test_mixed_types_need_categories_only_when_order_matters() -> None:
    mixed: Table = [["a", 1], ["a", "a"], [1, 1]]
    assert percent_agreement(mixed) == pytest.approx(2 / 3)
    krippendorff_alpha(mixed, "nominal")  # order irrelevant: fine
    with pytest.raises(ValueError, match="categories"):
        krippendorff_alpha(mixed, "ordinal")
    with pytest.raises(ValueError, match="categories"):
        cohen_kappa(mixed, weights="linear")
    assert krippendorff_alpha(mixed, "ordinal", categories=["a", 1]) == pytest.approx(
        krippendorff_alpha(mixed, "nominal")  # two categories: ordinal and nominal coincide
    )


def test_percent_agreement_undefined_without_pairs() -> None:
    with pytest.raises(UndefinedStatistic, match="at least two raters"):
        percent_agreement([["a", None], [None, "b"], [None, None]])


def test_cohen_undefined_and_invalid() -> None:
    with pytest.raises(ValueError, match="exactly 2 raters"):
        cohen_kappa([["a", "b", "a"]])
    with pytest.raises(ValueError, match="exactly 2 raters"):
        cohen_kappa([["a"], ["b"]])
    with pytest.raises(UndefinedStatistic, match="both raters"):
        cohen_kappa([["a", None], [None, "b"]])
    for weights in (None, "linear", "quadratic"):
        with pytest.raises(UndefinedStatistic, match="'yes'"):
            cohen_kappa(
                [["yes", "yes"], ["yes", "yes"], ["no", None]], weights=weights, categories=["no", "yes"]
            )
        with pytest.raises(UndefinedStatistic, match="undefined"):
            cohen_kappa([[1, 1]] * 3, weights=weights)


def test_fleiss_undefined_and_invalid() -> None:
    with pytest.raises(ValueError, match="same number of answers") as info:
        fleiss_kappa([["a", "b", "a"], ["a", None, "a"]])
    assert not isinstance(info.value, UndefinedStatistic)
    with pytest.raises(UndefinedStatistic, match="at least two answers"):
        fleiss_kappa([["a", None], [None, "b"]])
    with pytest.raises(UndefinedStatistic, match="at least two answers"):
        fleiss_kappa([["a"], ["b"]])
    with pytest.raises(UndefinedStatistic, match="every answer was 'a'"):
        fleiss_kappa([["a", "a", None], ["a", None, "a"], [None, "a", "a"]], categories=["a", "b"])
    # balanced with varying raters is fine
    assert math.isfinite(fleiss_kappa([["a", "b", None], [None, "a", "a"], ["b", None, "b"]]))


def test_alpha_undefined_and_invalid() -> None:
    with pytest.raises(UndefinedStatistic, match="pairable"):
        krippendorff_alpha([["a", None], [None, "b"]])
    for level in ("nominal", "ordinal", "interval", "ratio"):
        # only one value among the pairable answers (the lone 2 is not pairable)
        with pytest.raises(UndefinedStatistic, match="every answer was 1"):
            krippendorff_alpha([[1, 1], [1, 1], [2, None]], level=level)
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([[1, 2], [1, 1]], level="ratio", categories=[1, 2, "three"])
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([[True, False], [True, True]], level="interval")
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 1]], level="ratio")
    with pytest.raises(ValueError, match="finite"):
        krippendorff_alpha([[1, 2], [1, 1]], level="interval", categories=[1, 2, float("inf")])


def test_gwet_undefined_and_invalid() -> None:
    with pytest.raises(UndefinedStatistic, match="no item has any answers"):
        gwet_ac([[None, None], [None, None]])
    with pytest.raises(UndefinedStatistic, match="only one possible answer"):
        gwet_ac([["no", "no"], ["no", "no"]])
    with pytest.raises(UndefinedStatistic, match="at least two raters"):
        gwet_ac([["a", None], [None, "b"]])
    with pytest.raises(UndefinedStatistic, match="at least two raters"):
        gwet_ac([["a"], ["b"]], weights="linear")


def test_single_category_weights_do_not_divide_by_zero() -> None:
    for weights in (None, "linear", "quadratic"):
        with pytest.raises(UndefinedStatistic):
            cohen_kappa([[1, 1], [1, 1]], weights=weights)
    with pytest.raises(UndefinedStatistic):
        gwet_ac([[1, 1], [1, 1]], weights="quadratic")


# --------------------------------------------------------------------------------------------------
# Readings
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.5, "poor agreement"),
        (-1e-9, "poor agreement"),
        (0.0, "slight agreement"),
        (0.2, "slight agreement"),
        (0.21, "fair agreement"),
        (0.4, "fair agreement"),
        (0.41, "moderate agreement"),
        (0.6, "moderate agreement"),
        (0.61, "substantial agreement"),
        (0.8, "substantial agreement"),
        (0.81, "almost perfect agreement"),
        (1.0, "almost perfect agreement"),
    ],
)
def test_landis_koch_bands(value: float, expected: str) -> None:
    for name in (
        "cohen_kappa",
        "Cohen's kappa",
        "fleiss_kappa",
        "Fleiss' kappa",
        "kappa",
        "gwet_ac",
        "AC1",
        "ac2",
        "Gwet's AC2 (quadratic weights)",
    ):
        assert reading(value, name) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "reliable"),
        (0.8, "reliable"),
        (0.7999, "tentative conclusions only"),
        (0.667, "tentative conclusions only"),
        (0.6669, "unreliable"),
        (0.0, "unreliable"),
        (-0.3, "unreliable"),
    ],
)
def test_krippendorff_bands(value: float, expected: str) -> None:
    for name in ("krippendorff_alpha", "alpha", "Krippendorff's alpha (ordinal)"):
        assert reading(value, name) == expected


def test_reading_percent_and_errors() -> None:
    assert reading(0.875, "percent_agreement").startswith("88% of paired answers agree")
    assert "not corrected for chance" in reading(0.5, "Percent agreement")
    with pytest.raises(ValueError, match="unknown statistic"):
        reading(0.5, "icc")
    with pytest.raises(ValueError, match="finite"):
        reading(float("nan"), "kappa")
    with pytest.raises(ValueError, match="exceed 1"):
        reading(1.5, "kappa")
    with pytest.raises(ValueError, match="negative"):
        reading(-0.1, "percent_agreement")
    assert reading(1.0 + 1e-12, "alpha") == "reliable"  # rounding noise at 1 is tolerated


def test_readings_module_reexports() -> None:
    assert agreement_readings.reading is reading
    assert agreement_readings.summarise is summarise
    assert agreement_readings.Figure is Figure
    assert agreement_readings.AgreementSummary is AgreementSummary


# --------------------------------------------------------------------------------------------------
# Summary and the prevalence-paradox caution
# --------------------------------------------------------------------------------------------------


def test_summary_of_krippendorff_example() -> None:
    summary = summarise(KRIPPENDORFF_2011)
    assert (summary.n_units, summary.n_units_used, summary.n_raters) == (12, 11, 4)
    assert summary.percent_agreement.value == pytest.approx(0.8181818181818182)
    assert summary.alpha.value == pytest.approx(0.743421052631579, abs=1e-12)
    assert summary.alpha.reading == "tentative conclusions only"
    assert (summary.alpha.n_units, summary.alpha.n_raters) == (11, 4)
    assert summary.kappa.name == "Fleiss' kappa"
    assert summary.kappa.value is None
    assert summary.kappa.reason is not None and "same number of answers" in summary.kappa.reason
    assert summary.ac1.value == pytest.approx(gwet_ac(KRIPPENDORFF_2011))
    assert summary.ac1.reading == "substantial agreement"
    assert summary.ac1.n_units == 12
    assert summary.ac2 is None
    assert summary.caution is None
    assert summary.recommended == "alpha"
    assert summary.recommended_figure is summary.alpha
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.caution = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.alpha.value = 0.0  # type: ignore[misc]


def test_summary_ordinal_adds_ac2() -> None:
    summary = summarise(KRIPPENDORFF_2011, level="ordinal")
    assert summary.alpha.value == pytest.approx(krippendorff_alpha(KRIPPENDORFF_2011, "ordinal"))
    assert summary.ac2 is not None
    assert summary.ac2.value == pytest.approx(gwet_ac(KRIPPENDORFF_2011, "quadratic"))
    assert len(summary.figures()) == 5
    data = summary.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data["figures"]) == {"percent_agreement", "kappa", "alpha", "ac1", "ac2"}


def test_summary_kappa_choice() -> None:
    two = summarise(COHEN_WIKI)
    assert two.kappa.name == "Cohen's kappa"
    assert two.kappa.value == pytest.approx(0.4)
    assert two.kappa.reading == "fair agreement"
    assert (two.kappa.n_units, two.kappa.n_raters) == (50, 2)
    balanced = summarise(_expand(FLEISS_COUNTS))
    assert balanced.kappa.name == "Fleiss' kappa"
    assert balanced.kappa.value == pytest.approx(fleiss_kappa(_expand(FLEISS_COUNTS)))
    assert balanced.kappa.n_raters == 14


def test_summary_errors() -> None:
    with pytest.raises(UndefinedStatistic):
        summarise([])
    with pytest.raises(ValueError, match="ragged"):
        summarise([["a", "b"], ["a"]])
    with pytest.raises(ValueError, match="numeric"):
        summarise([["a", "b"], ["a", "a"]], level="interval")


def test_summary_with_nothing_pairable_has_reasons() -> None:
    summary = summarise([["a", None], [None, "b"]])
    assert summary.n_units_used == 0
    for figure in summary.figures():
        assert figure.value is None and figure.reading is None
        assert figure.reason
    assert summary.recommended is None
    assert summary.recommended_figure is None
    assert summary.caution is None


PREVALENCE: Table = [["no", "no"]] * 18 + [["yes", "no"], ["no", "yes"]]


def test_prevalence_paradox_caution() -> None:
    summary = summarise(PREVALENCE)
    assert summary.percent_agreement.value == pytest.approx(0.9)
    assert summary.kappa.value is not None and summary.kappa.value < 0
    assert summary.caution is not None
    assert "'no'" in summary.caution and "95%" in summary.caution
    assert "Gwet's AC1" in summary.caution
    assert "Cohen's kappa" in summary.caution and "Krippendorff's alpha" in summary.caution
    assert summary.recommended == "ac1"
    assert summary.ac1.value is not None and summary.ac1.value > 0.8


def test_prevalence_paradox_prefers_ac2_when_ordinal() -> None:
    ratings: Table = [[0, 0, 0]] * 27 + [[0, 1, 0], [1, 0, 0], [0, 0, 2]]
    summary = summarise(ratings, level="ordinal", categories=[0, 1, 2])
    assert summary.caution is not None
    assert "AC2" in summary.caution
    assert summary.recommended == "ac2"


def test_no_caution_when_chance_corrected_figures_are_fine() -> None:
    assert summarise(COHEN_WIKI).caution is None  # raw agreement 0.7: below the threshold
    perfect: Table = [["yes", "yes"]] * 10 + [["no", "no"]] * 10
    summary = summarise(perfect)
    assert summary.caution is None
    assert summary.kappa.value == pytest.approx(1.0)


def test_every_answer_the_same() -> None:
    ratings: Table = [["no", "no", "no"]] * 8
    summary = summarise(ratings, categories=["no", "yes"])
    assert summary.percent_agreement.value == 1.0
    assert summary.kappa.value is None and summary.alpha.value is None
    assert summary.ac1.value == 1.0
    assert summary.caution is not None and "Every answer" in summary.caution
    assert summary.recommended == "ac1"
    # Without the list of possible answers AC1 cannot be estimated either: the caution says what to do.
    bare = summarise(ratings)
    assert bare.ac1.value is None
    assert bare.caution is not None and "possible answers" in bare.caution
    assert bare.recommended == "percent_agreement"
