"""Inter-rater agreement statistics for checklist answers (pure Python + numpy).

``ratings`` is always a sequence of *units* (checklist items), each a sequence with one slot per rater;
``None`` (or a float NaN) marks a missing answer. Values are hashable: strings such as ``"yes"``/``"no"``
or numbers. ``categories`` is the ordered list of possible answers; by default it is the sorted distinct
answers seen. The order matters for the weighted and ordinal statistics.

Every statistic follows its published definition and is checked in the tests against a reference
implementation:

* percent agreement - mean over units with two or more answers of the share of agreeing pairs;
* Cohen's kappa (statsmodels ``cohens_kappa``), optionally with linear or quadratic agreement weights;
* Fleiss' kappa (statsmodels ``fleiss_kappa(method="fleiss")``), same number of answers on every unit;
* Krippendorff's alpha via the coincidence matrix (the ``krippendorff`` package), nominal, ordinal,
  interval and ratio metrics;
* Gwet's AC1 / AC2 (Gwet 2014, as implemented by ``irrCAC``), any number of raters, missing answers allowed.

A statistic that is undefined for the data (no variation, nothing pairable, ...) raises
:class:`UndefinedStatistic` with the reason; nothing here returns NaN.

:func:`summarise` bundles the figures with plain-English readings (:func:`reading`) and a warning about the
prevalence paradox (high raw agreement, low kappa/alpha because one answer dominates).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "AC_WEIGHTS",
    "LEVELS",
    "AgreementSummary",
    "Figure",
    "UndefinedStatistic",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac",
    "krippendorff_alpha",
    "percent_agreement",
    "reading",
    "summarise",
]

LEVELS: Final = ("nominal", "ordinal", "interval", "ratio")
KAPPA_WEIGHTS: Final = ("linear", "quadratic")
AC_WEIGHTS: Final = ("linear", "quadratic", "ordinal")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
RatingsInput = Iterable[Iterable[Hashable | None]]


class UndefinedStatistic(ValueError):
    """The statistic cannot be calculated for these ratings; the message says why."""


# --------------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    """Validated ratings: category codes per unit and rater (-1 = missing) and per-unit counts."""

    codes: IntArray  # (n_units, n_raters)
    counts: IntArray  # (n_units, q): how many raters gave category k on unit i
    categories: tuple[Hashable, ...]

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_raters(self) -> int:
        return int(self.codes.shape[1])

    @property
    def q(self) -> int:
        return len(self.categories)

    @property
    def answers_per_unit(self) -> IntArray:
        totals: IntArray = self.counts.sum(axis=1)
        return totals

    def raters_on(self, mask: npt.NDArray[np.bool_]) -> int:
        """How many raters gave at least one answer on the units selected by ``mask``."""
        if not mask.any():
            return 0
        return int((self.codes[mask] >= 0).any(axis=0).sum())


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return False


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _prepare(
    ratings: RatingsInput, categories: Sequence[Hashable] | None = None, *, ordered: bool = False
) -> _Data:
    """Validate ``ratings`` and code them against ``categories``.

    ``ordered`` says whether the statistic uses the order of the categories; only then is a default
    order that cannot be formed (mixed strings and numbers) an error.
    """
    if isinstance(ratings, str | bytes):
        raise ValueError("ratings must be a sequence of items, each a sequence of answers (one per rater)")
    try:
        unit_iter = iter(ratings)
    except TypeError:
        raise ValueError("ratings must be a sequence of items, each a sequence of answers") from None
    units: list[list[Hashable | None]] = []
    for index, unit in enumerate(unit_iter, start=1):
        if isinstance(unit, str | bytes):
            raise ValueError(f"item {index} is a string, not a sequence of answers (one per rater)")
        try:
            row = [None if _is_missing(v) else v for v in unit]
        except TypeError:
            raise ValueError(f"item {index} is not a sequence of answers (one per rater)") from None
        units.append(row)
    if not units:
        raise UndefinedStatistic("there are no items to compare (the ratings are empty)")
    n_raters = len(units[0])
    for index, row in enumerate(units, start=1):
        if len(row) != n_raters:
            raise ValueError(
                f"ragged ratings: item 1 has {n_raters} slots but item {index} has {len(row)}; every item "
                "needs one slot per rater (use None for a missing answer)"
            )
    if n_raters == 0:
        raise UndefinedStatistic("there are no raters (every item has no answer slots)")

    seen: dict[Hashable, None] = {}
    for index, row in enumerate(units, start=1):
        for value in row:
            if value is None:
                continue
            try:
                seen.setdefault(value, None)
            except TypeError:
                raise ValueError(f"answer {_describe(value)} on item {index} is not hashable") from None

    if categories is not None:
        if isinstance(categories, str | bytes):
            raise ValueError("categories must be a sequence of possible answers, not a single string")
        cats = tuple(categories)
        if not cats:
            raise ValueError("categories is empty; give the possible answers in order")
        index_of: dict[Hashable, int] = {}
        for position, cat in enumerate(cats):
            if _is_missing(cat):
                raise ValueError("categories must not contain None or NaN (missing is not an answer)")
            try:
                duplicate = cat in index_of
            except TypeError:
                raise ValueError(f"category {_describe(cat)} is not hashable") from None
            if duplicate:
                raise ValueError(f"category {_describe(cat)} is listed twice")
            index_of[cat] = position
    else:
        distinct = list(seen)
        try:
            cats = tuple(sorted(distinct))  # type: ignore[type-var]
        except TypeError:
            if ordered:
                raise ValueError(
                    "the answers mix types that have no natural order (e.g. text and numbers); "
                    "pass categories to give their order"
                ) from None
            cats = tuple(distinct)
        index_of = {cat: position for position, cat in enumerate(cats)}

    codes = np.full((len(units), n_raters), -1, dtype=np.int64)
    for i, row in enumerate(units):
        for j, value in enumerate(row):
            if value is None:
                continue
            code = index_of.get(value)
            if code is None:
                raise ValueError(
                    f"answer {_describe(value)} (item {i + 1}, rater {j + 1}) is not one of the categories "
                    f"{[*cats]!r}"
                )
            codes[i, j] = code
    counts = np.zeros((len(units), len(cats)), dtype=np.int64)
    for k in range(len(cats)):
        counts[:, k] = (codes == k).sum(axis=1)
    return _Data(codes=codes, counts=counts, categories=cats)


def _numeric_values(categories: tuple[Hashable, ...], level: str) -> FloatArray:
    values: list[float] = []
    for cat in categories:
        if isinstance(cat, bool) or not isinstance(cat, numbers.Real):
            raise ValueError(f"the {level} level needs numeric answers; {_describe(cat)} is not a number")
        number = float(cat)
        if not math.isfinite(number):
            raise ValueError(f"the {level} level needs finite numbers; got {_describe(cat)}")
        if level == "ratio" and number < 0:
            raise ValueError(f"the ratio level needs non-negative numbers; got {_describe(cat)}")
        values.append(number)
    return np.asarray(values, dtype=np.float64)


def _single_answer_reason(data: _Data, mask: npt.NDArray[np.bool_] | None = None) -> str:
    counts = data.counts if mask is None else data.counts[mask]
    used = [data.categories[k] for k in range(data.q) if counts[:, k].any()]
    if len(used) == 1:
        return f"every answer was {_describe(used[0])}"
    return "there is no variation in the answers"


# --------------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------------


def _rank_distance(q: int) -> FloatArray:
    """|i - j| / (q - 1) over category positions (0 on the diagonal)."""
    positions = np.arange(q, dtype=np.float64)
    return np.abs(positions[:, None] - positions[None, :]) / (q - 1)


def _agreement_weights(q: int, weights: str | None) -> FloatArray:
    """Agreement weights w_kl in [0, 1] with w_kk = 1 (identity when ``weights`` is None)."""
    if weights is None or q < 2:
        return np.eye(q, dtype=np.float64)
    if weights == "linear":
        return 1.0 - _rank_distance(q)
    if weights == "quadratic":
        return 1.0 - _rank_distance(q) ** 2
    if weights == "ordinal":
        # Gwet (2014) / irrCAC ordinal weights: 1 - C(|k-l|+1, 2) / max.
        positions = np.arange(q, dtype=np.float64)
        span = np.abs(positions[:, None] - positions[None, :]) + 1.0
        raw = span * (span - 1.0) / 2.0
        result: FloatArray = 1.0 - raw / raw.max()
        return result
    raise ValueError(f"unknown weights {weights!r}")


# --------------------------------------------------------------------------------------------------
# Statistics on validated data
# --------------------------------------------------------------------------------------------------


def _percent_agreement(data: _Data) -> float:
    m = data.answers_per_unit
    mask = m >= 2
    if not mask.any():
        raise UndefinedStatistic("no item has answers from at least two raters, so nothing can be compared")
    counts = data.counts[mask].astype(np.float64)
    pairs = m[mask].astype(np.float64)
    agreeing = (counts * (counts - 1.0)).sum(axis=1)
    return float(np.mean(agreeing / (pairs * (pairs - 1.0))))


def _cohen(data: _Data, weights: str | None) -> float:
    if weights is not None and weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic'; got {weights!r}")
    if data.n_raters != 2:
        raise ValueError(f"Cohen's kappa needs exactly 2 raters; these ratings have {data.n_raters}")
    both = (data.codes >= 0).all(axis=1)
    n = int(both.sum())
    if n == 0:
        raise UndefinedStatistic("no item was answered by both raters")
    q = data.q
    a = data.codes[both, 0]
    b = data.codes[both, 1]
    table = np.zeros((q, q), dtype=np.float64)
    np.add.at(table, (a, b), 1.0)
    p = table / n
    expected = np.outer(p.sum(axis=1), p.sum(axis=0))
    disagreement = 1.0 - _agreement_weights(q, weights)
    expected_disagreement = float((disagreement * expected).sum())
    if expected_disagreement <= 0.0:
        reason = _single_answer_reason(data, both)
        raise UndefinedStatistic(
            f"{reason} from both raters, so chance agreement is 1 and Cohen's kappa is undefined (0/0)"
        )
    observed_disagreement = float((disagreement * p).sum())
    return 1.0 - observed_disagreement / expected_disagreement


def _fleiss(data: _Data) -> float:
    m = data.answers_per_unit
    low, high = int(m.min()), int(m.max())
    if low != high:
        raise ValueError(
            "Fleiss' kappa needs the same number of answers on every item; "
            f"these items have between {low} and {high}"
        )
    if low < 2:
        raise UndefinedStatistic(f"Fleiss' kappa needs at least two answers per item; every item has {low}")
    counts = data.counts.astype(np.float64)
    total = float(data.n_units * low)
    p_cat = counts.sum(axis=0) / total
    p_item = ((counts * counts).sum(axis=1) - low) / (low * (low - 1.0))
    p_bar = float(p_item.mean())
    p_exp = float((p_cat * p_cat).sum())
    if int((counts.sum(axis=0) > 0).sum()) < 2 or 1.0 - p_exp <= 0.0:
        raise UndefinedStatistic(
            f"{_single_answer_reason(data)}, so chance agreement is 1 and Fleiss' kappa is undefined (0/0)"
        )
    return (p_bar - p_exp) / (1.0 - p_exp)


def _alpha(data: _Data, level: str) -> float:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    values = _numeric_values(data.categories, level) if level in ("interval", "ratio") else None
    m = data.answers_per_unit
    mask = m >= 2
    if not mask.any():
        raise UndefinedStatistic(
            "no item has answers from at least two raters, so there are no pairable values"
        )
    counts = data.counts[mask].astype(np.float64)
    scaled = counts / (m[mask].astype(np.float64) - 1.0)[:, None]
    # Coincidence matrix: o_ck = sum_u (n_uc * n_uk - [c == k] * n_uc) / (m_u - 1).
    coincidence = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    n_c = coincidence.sum(axis=0)
    n_total = float(n_c.sum())
    if int((n_c > 0).sum()) < 2:
        raise UndefinedStatistic(
            f"{_single_answer_reason(data, mask)} on the pairable items, so expected disagreement is 0 "
            "and Krippendorff's alpha is undefined (0/0)"
        )
    q = data.q
    delta: FloatArray
    if level == "nominal":
        delta = 1.0 - np.eye(q, dtype=np.float64)
    elif level == "ordinal":
        cumulative = np.concatenate(([0.0], np.cumsum(n_c)))
        lo = np.minimum.outer(np.arange(q), np.arange(q))
        hi = np.maximum.outer(np.arange(q), np.arange(q))
        between = cumulative[hi + 1] - cumulative[lo]  # sum_{g=lo..hi} n_g
        delta = np.asarray((between - (n_c[lo] + n_c[hi]) / 2.0) ** 2, dtype=np.float64)
    elif level == "interval":
        assert values is not None
        delta = np.asarray((values[:, None] - values[None, :]) ** 2, dtype=np.float64)
    else:  # ratio
        assert values is not None
        sums = values[:, None] + values[None, :]
        diffs = values[:, None] - values[None, :]
        delta = np.asarray(np.divide(diffs, sums, out=np.zeros_like(diffs), where=sums != 0) ** 2)
    observed = float((coincidence * delta).sum())
    expected = float((np.outer(n_c, n_c) * delta).sum())
    if expected <= 0.0 or n_total <= 1.0:
        raise UndefinedStatistic("expected disagreement is 0, so Krippendorff's alpha is undefined (0/0)")
    return 1.0 - (n_total - 1.0) * observed / expected


def _gwet(data: _Data, weights: str | None) -> float:
    if weights is not None and weights not in AC_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear', 'quadratic' or 'ordinal'; got {weights!r}")
    m = data.answers_per_unit
    rated = m >= 1
    if not rated.any():
        raise UndefinedStatistic("no item has any answers")
    q = data.q
    if q < 2:
        raise UndefinedStatistic(
            f"only one possible answer ({_describe(data.categories[0])}) is known, so chance agreement "
            "cannot be estimated; pass the full list of possible answers as categories"
        )
    counts = data.counts[rated].astype(np.float64)
    r = m[rated].astype(np.float64)
    two = r >= 2
    if not two.any():
        raise UndefinedStatistic("no item has answers from at least two raters, so nothing can be compared")
    w = _agreement_weights(q, weights)
    weighted = counts @ w.T  # r*_ik = sum_l w_kl r_il
    agree = (counts * (weighted - 1.0)).sum(axis=1)
    pa = float(np.mean(agree[two] / (r[two] * (r[two] - 1.0))))
    # Gwet: the classification probabilities use every item rated by at least one rater.
    pi = (counts / r[:, None]).sum(axis=0) / counts.shape[0]
    pe = float(w.sum()) / (q * (q - 1.0)) * float((pi * (1.0 - pi)).sum())
    if 1.0 - pe <= 0.0:
        raise UndefinedStatistic("chance agreement is 1, so Gwet's AC is undefined (0/0)")
    return (pa - pe) / (1.0 - pe)


# --------------------------------------------------------------------------------------------------
# Public statistics
# --------------------------------------------------------------------------------------------------


def percent_agreement(ratings: RatingsInput) -> float:
    """Mean over items with two or more answers of the share of agreeing pairs among all their pairs."""
    return _percent_agreement(_prepare(ratings))


def cohen_kappa(
    ratings: RatingsInput, weights: str | None = None, categories: Sequence[Hashable] | None = None
) -> float:
    """Cohen's kappa for exactly two raters; items where either answer is missing are dropped.

    ``weights`` None gives the unweighted kappa; "linear" (1 - |i-j|/(k-1)) or "quadratic"
    (1 - ((i-j)/(k-1))^2) agreement weights use the positions of the answers in ``categories``.
    """
    if weights is not None and weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic'; got {weights!r}")
    return _cohen(_prepare(ratings, categories, ordered=weights is not None), weights)


def fleiss_kappa(ratings: RatingsInput, categories: Sequence[Hashable] | None = None) -> float:
    """Fleiss' (1971) kappa; every item must have the same number of answers (which raters may vary)."""
    return _fleiss(_prepare(ratings, categories))


def krippendorff_alpha(
    ratings: RatingsInput, level: str = "nominal", categories: Sequence[Hashable] | None = None
) -> float:
    """Krippendorff's alpha from the coincidence matrix (items with fewer than two answers are dropped).

    ``level`` is "nominal", "ordinal" (Krippendorff's rank metric over the order of ``categories``),
    "interval" or "ratio" (these two need numeric answers; ratio needs non-negative ones).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return _alpha(_prepare(ratings, categories, ordered=level != "nominal"), level)


def gwet_ac(
    ratings: RatingsInput, weights: str | None = None, categories: Sequence[Hashable] | None = None
) -> float:
    """Gwet's AC1 (``weights`` None) or AC2 ("linear", "quadratic" or "ordinal" weights).

    Any number of raters; missing answers allowed. As in Gwet (2014) and irrCAC, percent agreement uses
    the items with two or more answers, and the chance-agreement probabilities use every item with at
    least one answer. ``categories`` matters: the number of possible answers enters chance agreement.
    """
    if weights is not None and weights not in AC_WEIGHTS:
        raise ValueError(f"weights must be None, 'linear', 'quadratic' or 'ordinal'; got {weights!r}")
    return _gwet(_prepare(ratings, categories, ordered=weights is not None), weights)


# --------------------------------------------------------------------------------------------------
# Readings
# --------------------------------------------------------------------------------------------------

_LANDIS_KOCH: Final = (
    (0.20, "slight agreement"),
    (0.40, "fair agreement"),
    (0.60, "moderate agreement"),
    (0.80, "substantial agreement"),
)


def _scale_of(statistic: str) -> str:
    name = "".join(ch if ch.isalnum() else " " for ch in statistic.lower().replace("'", ""))
    words = set(name.split())
    if "alpha" in name or "krippendorff" in name:
        return "alpha"
    if (
        any(key in name for key in ("kappa", "cohen", "fleiss", "gwet"))
        or words & {"ac", "ac1", "ac2"}
        or name.replace(" ", "") in {"ac", "ac1", "ac2", "gwetac"}
    ):
        return "kappa"
    if "percent" in name or name.strip() == "agreement":
        return "percent"
    raise ValueError(
        f"unknown statistic {statistic!r}; expected a kappa, Gwet's AC, Krippendorff's alpha "
        "or percent agreement"
    )


def reading(value: float, statistic: str) -> str:
    """A plain-English reading of ``value``.

    Kappa and Gwet's AC use Landis & Koch (1977): below 0 "poor", up to 0.20 "slight", 0.21-0.40 "fair",
    0.41-0.60 "moderate", 0.61-0.80 "substantial", above 0.80 "almost perfect" agreement.
    Krippendorff's alpha uses his own guidance: at least 0.800 "reliable", 0.667 up to 0.800 "tentative
    conclusions only", below 0.667 "unreliable". Percent agreement is described as raw agreement.
    """
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"cannot read a value that is not a finite number: {value!r}")
    if number > 1.0 + 1e-9:
        raise ValueError(f"agreement statistics cannot exceed 1; got {value!r}")
    scale = _scale_of(statistic)
    if scale == "alpha":
        if number >= 0.800:
            return "reliable"
        if number >= 0.667:
            return "tentative conclusions only"
        return "unreliable"
    if scale == "percent":
        if number < 0.0:
            raise ValueError(f"percent agreement cannot be negative; got {value!r}")
        return f"{number:.0%} of paired answers agree (not corrected for chance)"
    if number < 0.0:
        return "poor agreement"
    for upper, label in _LANDIS_KOCH:
        if number <= upper:
            return label
    return "almost perfect agreement"


# --------------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------------

HIGH_RAW_AGREEMENT: Final = 0.8
LOW_CHANCE_CORRECTED: Final = 0.4
DOMINANT_SHARE: Final = 0.7


@dataclass(frozen=True)
class Figure:
    """One agreement figure: its value (None when undefined, with the reason) and what it rests on."""

    name: str
    value: float | None
    reason: str | None
    reading: str | None
    n_units: int
    n_raters: int


@dataclass(frozen=True)
class AgreementSummary:
    """All agreement figures for one set of ratings, with a caution and the figure to read."""

    n_units: int
    n_units_used: int
    n_raters: int
    level: str
    categories: tuple[Hashable, ...]
    percent_agreement: Figure
    kappa: Figure
    alpha: Figure
    ac1: Figure
    ac2: Figure | None
    caution: str | None
    recommended: str | None  # attribute name of the figure to read ("alpha", "ac1", ...)

    def figures(self) -> tuple[Figure, ...]:
        """The figures in display order (AC2 only when it was computed)."""
        found = [self.percent_agreement, self.kappa, self.alpha, self.ac1]
        if self.ac2 is not None:
            found.append(self.ac2)
        return tuple(found)

    @property
    def recommended_figure(self) -> Figure | None:
        if self.recommended is None:
            return None
        figure = getattr(self, self.recommended)
        return figure if isinstance(figure, Figure) else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""

        def figure_dict(figure: Figure) -> dict[str, object]:
            return {
                "name": figure.name,
                "value": figure.value,
                "reason": figure.reason,
                "reading": figure.reading,
                "n_units": figure.n_units,
                "n_raters": figure.n_raters,
            }

        keys = ["percent_agreement", "kappa", "alpha", "ac1"] + (["ac2"] if self.ac2 is not None else [])
        return {
            "n_units": self.n_units,
            "n_units_used": self.n_units_used,
            "n_raters": self.n_raters,
            "level": self.level,
            "categories": [
                c if isinstance(c, str | int | float) and not isinstance(c, bool) else str(c)
                for c in self.categories
            ],
            "figures": {key: figure_dict(getattr(self, key)) for key in keys},
            "caution": self.caution,
            "recommended": self.recommended,
            "recommended_name": None if self.recommended_figure is None else self.recommended_figure.name,
        }


def _figure(name: str, compute: Callable[[], float], scale: str, n_units: int, n_raters: int) -> Figure:
    try:
        value = compute()
    except UndefinedStatistic as exc:
        return Figure(name, None, str(exc), None, n_units, n_raters)
    except ValueError as exc:  # e.g. Fleiss' kappa on items with different numbers of answers
        return Figure(name, None, str(exc), None, n_units, n_raters)
    return Figure(name, value, None, reading(value, scale), n_units, n_raters)


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def summarise(
    ratings: RatingsInput, categories: Sequence[Hashable] | None = None, level: str = "nominal"
) -> AgreementSummary:
    """Every agreement figure for ``ratings`` with readings, a prevalence-paradox caution and a pick.

    Structural problems (ragged items, unknown answers, a bad level) raise ValueError; an empty input
    raises UndefinedStatistic. Individual figures that are undefined carry the reason instead of a value.
    ``kappa`` is Cohen's (unweighted) for two raters, otherwise Fleiss' when every item has the same number
    of answers. ``ac2`` (quadratic weights) is given for ordinal, interval and ratio levels.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    data = _prepare(ratings, categories, ordered=level != "nominal")
    if level in ("interval", "ratio"):
        _numeric_values(data.categories, level)  # raise now rather than hide it in a figure

    m = data.answers_per_unit
    pairable = m >= 2
    rated = m >= 1
    n_pairable = int(pairable.sum())
    raters_pairable = data.raters_on(pairable)

    percent = _figure(
        "Percent agreement", lambda: _percent_agreement(data), "percent", n_pairable, raters_pairable
    )
    if data.n_raters == 2:
        both = (data.codes >= 0).all(axis=1)
        kappa = _figure(
            "Cohen's kappa", lambda: _cohen(data, None), "kappa", int(both.sum()), data.raters_on(both)
        )
    else:
        kappa = _figure("Fleiss' kappa", lambda: _fleiss(data), "kappa", data.n_units, data.raters_on(rated))
    alpha = _figure(
        f"Krippendorff's alpha ({level})", lambda: _alpha(data, level), "alpha", n_pairable, raters_pairable
    )
    n_rated = int(rated.sum())
    raters_rated = data.raters_on(rated)
    ac1 = _figure("Gwet's AC1", lambda: _gwet(data, None), "kappa", n_rated, raters_rated)
    ac2: Figure | None = None
    if level != "nominal":
        ac2 = _figure(
            "Gwet's AC2 (quadratic weights)", lambda: _gwet(data, "quadratic"), "kappa", n_rated, raters_rated
        )

    caution = _caution(data, percent, kappa, alpha, ac1, ac2)
    paradox = caution is not None
    ac_best = ac2 if ac2 is not None and ac2.value is not None else ac1
    recommended: str | None
    if paradox and ac_best.value is not None:
        recommended = "ac2" if ac_best is ac2 else "ac1"
    elif alpha.value is not None:
        recommended = "alpha"
    elif ac_best.value is not None:
        recommended = "ac2" if ac_best is ac2 else "ac1"
    elif kappa.value is not None:
        recommended = "kappa"
    elif percent.value is not None:
        recommended = "percent_agreement"
    else:
        recommended = None

    return AgreementSummary(
        n_units=data.n_units,
        n_units_used=n_pairable,
        n_raters=data.n_raters,
        level=level,
        categories=data.categories,
        percent_agreement=percent,
        kappa=kappa,
        alpha=alpha,
        ac1=ac1,
        ac2=ac2,
        caution=caution,
        recommended=recommended,
    )


def _caution(
    data: _Data, percent: Figure, kappa: Figure, alpha: Figure, ac1: Figure, ac2: Figure | None
) -> str | None:
    """Plain-English warning about the prevalence (kappa) paradox, or None."""
    if percent.value is None or percent.value < HIGH_RAW_AGREEMENT:
        return None
    pairable = data.answers_per_unit >= 2
    totals = data.counts[pairable].sum(axis=0)
    all_answers = int(totals.sum())
    if all_answers == 0:
        return None
    top = int(np.argmax(totals))
    share = float(totals[top]) / all_answers
    dominant = _describe(data.categories[top])
    ac = ac2 if ac2 is not None and ac2.value is not None else ac1
    if ac.value is not None:
        advice = f"Read {ac.name} ({_fmt(ac.value)}, {ac.reading}) instead: it is designed to cope with this."
    else:
        advice = (
            f"Read {ac.name} instead; it could not be calculated here ({ac.reason}), so give the full list "
            "of possible answers."
        )
    if share >= 1.0:
        return (
            f"Every answer on the compared items was {dominant}. Kappa and alpha cannot measure agreement "
            "when there is no variation, because they treat all of it as possible chance. " + advice
        )
    low = [f for f in (kappa, alpha) if f.value is not None and f.value < LOW_CHANCE_CORRECTED]
    if not low or share < DOMINANT_SHARE:
        return None
    named = " and ".join(f"{f.name} ({_fmt(f.value)})" for f in low if f.value is not None)
    verb = "are" if len(low) > 1 else "is"
    return (
        f"Raw agreement is high ({percent.value:.0%}) but {named} {verb} low because one answer dominates: "
        f"{dominant} is {share:.0%} of all answers. When almost every answer is the same, kappa and alpha "
        "expect most agreement to happen by chance, so they can look poor even when raters agree "
        "(the prevalence paradox). " + advice
    )
