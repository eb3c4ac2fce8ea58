"""Tests for dashboard.analysis: intervals against published values, comparisons, highlights."""

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.model import stats as a

NAN = float("nan")

# --- quantiles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [(0.90, 1.644854), (0.95, 1.959964), (0.99, 2.575829), (0.998, 3.090232)],
)
def test_z_value(level, expected):
    assert a.z_value(level) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 95])
def test_z_value_rejects_bad_level(level):
    with pytest.raises(ValueError):
        a.z_value(level)


# --- Wilson ---------------------------------------------------------------------------

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Stat Med 1998;17:857-872, Table I, method 3 (Wilson score, no continuity
# correction), 95 %. Published to 4 decimals, so the tolerance is half a unit in the 4th.
NEWCOMBE_TABLE_I = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "lower", "upper"), NEWCOMBE_TABLE_I)
def test_wilson_matches_newcombe_1998(x, n, lower, upper):
    lo, hi = a.wilson_interval(x, n, 0.95)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert hi == pytest.approx(upper, abs=5e-5)


def test_wilson_is_symmetric_at_x_equals_n():
    """20/20 mirrors Newcombe's 0/20 (0.0000-0.1611): upper exactly 1."""
    lo, hi = a.wilson_interval(20, 20)
    assert hi == 1.0
    assert lo == pytest.approx(1 - 0.1611, abs=5e-5)
    assert a.wilson_interval(0, 20)[0] == 0.0


def test_wilson_widens_with_level():
    lo95, hi95 = a.wilson_interval(15, 148, 0.95)
    lo998, hi998 = a.wilson_interval(15, 148, 0.998)
    assert lo998 < lo95 and hi998 > hi95


@pytest.mark.parametrize(("x", "n"), [(1, 0), (1, -5), (-1, 10), (11, 10)])
def test_wilson_rejects_impossible_counts(x, n):
    with pytest.raises(ValueError):
        a.wilson_interval(x, n)


# --- Poisson (Byar) -------------------------------------------------------------------

# Exact (Garwood 1936, Biometrika 28:437-442) 95 % limits of a Poisson expectation, the
# standard tabulated values (e.g. Daly L, Comput Biol Med 1992;22:351-361, Table 2; R
# epitools::pois.exact gives 3.689 at x=0). Below 10 events the interval is exact (as
# PHEindicatormethods' phe_rate), so it matches the table to its printed precision; from 10
# it is Byar's approximation, within 0.2 % of exact there (PHE/OHID "Technical Guide:
# Confidence Intervals", 2018), so 1 % is a generous tolerance.
EXACT_POISSON_95 = [
    (0, 0.0, 3.689),
    (1, 0.0253, 5.572),
    (2, 0.2422, 7.225),
    (5, 1.6235, 11.668),
    (10, 4.795, 18.390),
    (20, 12.217, 30.888),
    (50, 37.111, 65.919),
    (100, 81.364, 121.627),
]


@pytest.mark.parametrize(("x", "lower", "upper"), [r for r in EXACT_POISSON_95 if r[0] < 10])
def test_poisson_exact_below_ten_matches_garwood(x, lower, upper):
    lo, hi = a.poisson_interval(x, 0.95)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert hi == pytest.approx(upper, abs=5e-4)


@pytest.mark.parametrize(("x", "lower", "upper"), [r for r in EXACT_POISSON_95 if r[0] >= 10])
def test_byar_within_one_percent_of_exact_from_ten(x, lower, upper):
    lo, hi = a.poisson_interval(x, 0.95)
    assert lo == pytest.approx(lower, rel=0.01)
    assert hi == pytest.approx(upper, rel=0.01)


def test_poisson_zero_and_high_level_never_negative():
    assert a.poisson_interval(0)[0] == 0.0
    # Byar's cubed base would turn negative for x=1 at 99.8 %; the exact lower limit is
    # chi2(0.001; 2)/2 = -ln(0.999) = 0.0010005.
    assert a.poisson_interval(1, 0.998)[0] == pytest.approx(-math.log(0.999), rel=1e-12)
    assert a.poisson_interval(1, 0.998)[1] > a.poisson_interval(1, 0.95)[1]


def test_poisson_rejects_negative_count():
    with pytest.raises(ValueError):
        a.poisson_interval(-1)


# --- denominators and intervals in value units ----------------------------------------


@pytest.mark.parametrize(
    ("value", "abs_value", "unit", "method", "expected"),
    [
        (25.0, 50, "percent", "proportion", 200.0),
        (2.5, 10, "per_1000", "rate", 4000.0),
        (5.0, 10, "per_10000", "rate", 20000.0),
        (50.0, 5, "per_100000", "rate", 10000.0),
        (0.0, 0, "percent", "proportion", None),
        (-1.0, 5, "percent", "proportion", None),
        (NAN, 5, "percent", "proportion", None),
        (25.0, None, "percent", "proportion", None),
        (25.0, 0, "percent", "proportion", None),  # a positive value cannot have a zero numerator
        (25.0, NAN, "percent", "proportion", None),
        (25.0, 50, "index", "none", None),
        (25.0, 50, "euro", "none", None),
        # A standardised rate or weighted share with a published count has no denominator:
        # absValue * scale / value would be a pseudo-denominator (issue 11).
        (25.0, 50, "percent", "none", None),
        (176.0, 40, "per_100000", "none", None),
    ],
)
def test_denominator(value, abs_value, unit, method, expected):
    got = a.denominator(value, abs_value, unit, method)
    assert got == (None if expected is None else pytest.approx(expected))


def test_interval_proportion_is_wilson_in_percent_points():
    # 81/263 = 30.798 %: Newcombe's 0.2553-0.3662 in percent points.
    lo, hi = a.interval(100 * 81 / 263, 81, "percent", "proportion")
    assert lo == pytest.approx(25.53, abs=5e-3)
    assert hi == pytest.approx(36.62, abs=5e-3)


def test_interval_rate_is_poisson_over_denominator():
    # 10 events in 4000 persons = 2.5 per 1000; exact 4.795-18.39 events → 1.199-4.598 /1000
    # (Byar's approximation from 10 events, within 1 %).
    lo, hi = a.interval(2.5, 10, "per_1000", "rate")
    assert lo == pytest.approx(4.795 / 4, rel=0.01)
    assert hi == pytest.approx(18.39 / 4, rel=0.01)
    assert lo < 2.5 < hi


@pytest.mark.parametrize(
    ("value", "abs_value", "unit", "method"),
    [
        (25.0, 50, "percent", "none"),
        (25.0, None, "percent", "proportion"),
        (0.0, 0, "per_1000", "rate"),
        (NAN, 5, "per_1000", "rate"),
        (105.0, 21, "percent", "proportion"),  # impossible proportion: no interval
        (12.0, 3, "index", "rate"),
    ],
)
def test_interval_not_computable(value, abs_value, unit, method):
    assert a.interval(value, abs_value, unit, method) is None


def test_interval_unknown_method_is_an_error():
    with pytest.raises(ValueError):
        a.interval(25.0, 50, "percent", "wald")


def test_count_interval_handles_pooled_zero_numerator():
    """A pooled zero still has a denominator, so it gets an interval (0, upper)."""
    lo, hi = a.count_interval(0, 400, "percent", "proportion")
    assert lo == 0.0 and hi == pytest.approx(100 * a.wilson_interval(0, 400)[1])


# --- compare --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ci", "benchmark", "polarity", "expected"),
    [
        (30, (25, 35), 28, "high_good", "similar"),
        (30, (25, 35), 25, "high_good", "similar"),  # bounds are inclusive
        (30, (25, 35), 35, "low_good", "similar"),
        (30, (25, 35), 20, "high_good", "better"),
        (30, (25, 35), 40, "high_good", "worse"),
        (30, (25, 35), 20, "low_good", "worse"),
        (30, (25, 35), 40, "low_good", "better"),
        (30, (25, 35), 20, "no_judgement", "higher"),
        (30, (25, 35), 40, "no_judgement", "lower"),
        (30, (25, 35), 28, "no_judgement", "similar"),
        (30, None, 20, "high_good", "not_compared"),
        (30, (25, 35), NAN, "high_good", "not_compared"),
        (30, (25, 35), None, "high_good", "not_compared"),
        (NAN, (25, 35), 20, "high_good", "not_compared"),
        (30, (NAN, NAN), 20, "high_good", "not_compared"),
    ],
)
def test_compare(value, ci, benchmark, polarity, expected):
    assert a.compare(value, ci, benchmark, polarity) == expected


def test_compare_rejects_unknown_polarity():
    with pytest.raises(ValueError):
        a.compare(30, (25, 35), 20, "higher_is_better")


# --- pooling, rest of area, benchmark choice ------------------------------------------


def test_pool_complete_sums_numerators_and_denominators():
    # 10 % of 100 and 20 % of 400 → 90 / 500 = 18 %, not the mean 15 %.
    p = a.pool([10.0, 20.0], [10, 80], "percent", "proportion")
    assert p == a.Pooled(pytest.approx(18.0), pytest.approx(90.0), pytest.approx(500.0), 2,
                         "pooled")


def test_pool_member_without_value_leaves_no_group_value():
    """The others' value is not the group's (issue 11): no value, kind incomplete."""
    p = a.pool([2.0, NAN, 4.0], [2, None, 8], "per_1000", "rate", weights=[1000, 50, 2000])
    assert p.kind == "incomplete" and p.n_members == 2
    assert math.isnan(p.value) and p.abs_value is None and p.denominator is None


def test_pool_without_numerators_is_the_population_weighted_mean():
    p = a.pool([10.0, 20.0], [10, None], "percent", "proportion", weights=[100, 300])
    assert p == a.Pooled(pytest.approx(17.5), None, None, 2, "weighted_mean")


def test_pool_weighted_mean_needs_every_population():
    """Without weights a plain mean would be labelled a population-weighted one: none."""
    p = a.pool([10.0, 20.0], [None, None], "percent", "proportion")
    assert math.isnan(p.value) and p.kind == "incomplete"
    p = a.pool([10.0, 20.0], [None, None], "percent", "proportion", weights=[100, NAN])
    assert math.isnan(p.value) and p.kind == "incomplete"


def test_pool_zero_valued_member_has_no_denominator():
    """A 0 % member implies no denominator, so the group cannot pool counts."""
    p = a.pool([0.0, 20.0], [0, 80], "percent", "proportion", weights=[100, 300])
    assert p.kind == "weighted_mean" and p.value == pytest.approx(15.0)


def test_pool_unit_without_scale_is_a_weighted_mean():
    p = a.pool([100.0, 120.0], [5, 6], "index", "none", weights=[1, 3])
    assert p == a.Pooled(pytest.approx(115.0), None, None, 2, "weighted_mean")


def test_pool_never_derives_denominators_for_standardised_rates():
    """Age-standardised per 100 000 with a published count: a weighted mean, no counts."""
    p = a.pool([180.0, 120.0], [30, 12], "per_100000", "none", weights=[10_000, 30_000])
    assert p == a.Pooled(pytest.approx(135.0), None, None, 2, "weighted_mean")


def test_pool_counts_add_up():
    p = a.pool([1000.0, 3000.0], [None, None], "count", "none", weights=[1000, 3000])
    assert p == a.Pooled(4000.0, None, None, 2, "sum")


def test_pool_all_missing():
    p = a.pool([NAN, None], [None, None], "percent", "proportion")
    assert math.isnan(p.value) and p.n_members == 0 and p.kind == "incomplete"
    assert a.pool([], [], "percent", "proportion").kind == "incomplete"


def test_pooled_interval_matches_member_interval_when_single():
    p = a.pool([25.0], [50], "percent", "proportion")
    assert a.interval(p.value, p.abs_value, "percent", "proportion") == pytest.approx(
        a.interval(25.0, 50, "percent", "proportion")
    )


@pytest.mark.parametrize(
    ("area", "part", "unit", "method", "expected"),
    [
        # 20 % of 1000 minus 30 % of 200 → 140 / 800 = 17.5 %.
        ((20.0, 200), (30.0, 60), "percent", "proportion", (17.5, 140.0)),
        # 5 /1000 of 10 000 minus 2 /1000 of 5 000 → 40 / 5000 = 8 /1000.
        ((5.0, 50), (2.0, 10), "per_1000", "rate", (8.0, 40.0)),
    ],
)
def test_rest_of_area(area, part, unit, method, expected):
    got = a.rest_of_area(*area, *part, unit, method)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("area", "part", "unit", "method"),
    [
        ((20.0, 200), (20.0, 200), "percent", "proportion"),  # the part is the whole area
        ((20.0, None), (30.0, 60), "percent", "proportion"),
        ((20.0, 200), (0.0, 0), "percent", "proportion"),
        ((100.0, 5), (90.0, 4), "index", "none"),
        ((20.0, 10), (30.0, 60), "percent", "proportion"),  # part bigger than area
        ((150.0, 400), (170.0, 40), "per_100000", "none"),  # standardised: no denominators
    ],
)
def test_rest_of_area_not_computable(area, part, unit, method):
    assert a.rest_of_area(*area, *part, unit, method) is None


def test_area_benchmark_is_the_rest_wherever_computable():
    """One rule for every size (issue 11): rest of the area, else the area, labelled so."""
    bench, label = a.area_benchmark([10.0, 10.0, 10.0], [8.0, NAN, 9.99])
    assert bench.tolist() == [8.0, 10.0, 9.99]
    assert label.tolist() == ["rest_of_area", "area", "rest_of_area"]


# --- trend ---
# The method itself is held to reference values in tests/test_trend_fingertips.py; these
# are the everyday cases in the situation model's terms.

YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022]
DEN = [10_000] * 7


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "high_good", "improving"),
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "low_good", "worsening"),
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "no_judgement", "rising"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "high_good", "worsening"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "low_good", "improving"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "no_judgement", "falling"),
        ([9, 9, 10.0, 10.5, 9.6, 10.3, 10.1], "high_good", "stable"),  # noisy, no trend
        ([5, 5, 5, 5, 5, 5, 5], "high_good", "stable"),
        ([0.1] * 7, "low_good", "stable"),
    ],
)
def test_trend_direction(values, polarity, expected):
    x = [v / 100 * d for v, d in zip(values, DEN, strict=True)]
    t = a.trend(YEARS, values, polarity, "proportion", numerators=x, denominators=DEN)
    assert t.direction == expected
    assert (t.n_points, t.first_year, t.last_year) == (5, 2018, 2022)


def test_trend_uses_only_last_five_points():
    """A big jump before the window must not create a trend."""
    values = [0, 0, 10.0, 10.5, 9.6, 10.3, 10.1]
    x = [v / 100 * d for v, d in zip(values, DEN, strict=True)]
    t = a.trend(YEARS, values, "high_good", "proportion", numerators=x, denominators=DEN)
    assert t.direction == "stable" and t.first_year == 2018


def test_trend_sorts_by_year_and_reports_slope():
    years, values = [2022, 2020, 2021, 2019, 2018], [14.0, 12.0, 13.0, 11.0, 10.0]
    t = a.trend(years, values, "high_good", "proportion", numerators=[v * 100 for v in values],
                denominators=[10_000] * 5)
    assert t.slope_per_year == pytest.approx(1.0)
    assert t.direction == "improving"


@pytest.mark.parametrize(
    ("years", "values"),
    [
        ([2020, 2021, 2022], [1.0, 2.0, 3.0]),
        ([2018, 2019, 2020, 2021, 2022], [1.0, NAN, 3.0, 4.0, 5.0]),  # NaN is not a point
        ([2017, 2018, 2019, 2021, 2022], [1.0, 2.0, 3.0, 4.0, 5.0]),  # 2020 is missing
        ([], []),
    ],
)
def test_trend_insufficient(years, values):
    t = a.trend(years, values, "high_good", "proportion", numerators=[v * 10 for v in values],
                denominators=[1000] * len(values))
    assert t.direction == "insufficient"
    assert math.isnan(t.slope_per_year) and math.isnan(t.chi2)
    assert t.n_points == min(5, sum(not math.isnan(v) for v in values))


# --- highlights -----------------------------------------------------------------------


def _rows(records):
    return pd.DataFrame(records, columns=["indicator_id", "outcome", "trend", "rel_diff"])


def test_nothing_highlighted_when_nothing_is_significant():
    rows = _rows(
        [
            (1, "similar", "worsening", 0.50),
            (2, "not_compared", "improving", NAN),
            (3, "higher", "rising", 0.90),
            (4, "lower", "falling", -0.90),
        ]
    )
    strengths, challenges = a.select_highlights(rows)
    assert strengths.empty and challenges.empty
    assert list(strengths.columns) == list(rows.columns) == list(challenges.columns)


def test_challenges_worse_and_worsening_first_then_distance_then_id():
    rows = _rows(
        [
            (10, "worse", "stable", -0.80),
            (11, "worse", "worsening", 0.05),
            (12, "worse", "improving", 0.30),
            (13, "worse", "stable", 0.30),
            (14, "similar", "worsening", 2.00),
            (15, "better", "worsening", 1.00),
            (16, "worse", "worsening", NAN),
        ]
    )
    _, challenges = a.select_highlights(rows, max_each=4)
    # 11 and 16 are worsening (16's NaN distance sorts last); then |−0.80|; then 12 vs 13 tie.
    assert challenges["indicator_id"].tolist() == [11, 16, 10, 12]


def test_strengths_better_and_improving_first_and_capped():
    rows = _rows(
        [
            (1, "better", "stable", 0.90),
            (2, "better", "improving", 0.10),
            (3, "better", "worsening", -0.50),
            (4, "better", "stable", 0.20),
            (5, "worse", "improving", 3.00),
        ]
    )
    strengths, challenges = a.select_highlights(rows)
    assert strengths["indicator_id"].tolist() == [2, 1, 3]
    assert challenges["indicator_id"].tolist() == [5]


# --- quintiles and rank ---------------------------------------------------------------


def test_quintiles_with_nan():
    values = pd.Series(
        [5.0, NAN, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0], index=list("abcdefghijk")
    )
    q = a.quintiles(values)
    assert str(q.dtype) == "Int64"
    assert q.isna().tolist() == [v != v for v in values]
    # 10 known values: ranks 1-2 → 1, 3-4 → 2, …, 9-10 → 5.
    assert q.dropna().tolist() == [3, 1, 2, 1, 2, 3, 4, 4, 5, 5]
    assert q.dropna().index.tolist() == list("acdefghijk")


def test_quintiles_ties_take_the_lowest_rank_and_all_nan_stays_nan():
    # phe_quantile ranks ties at the minimum: 1, 1, 3, 4, 5 → fifths 1, 1, 3, 4, 5 (average
    # ranks put both ties in the 2nd fifth before).
    assert a.quintiles(pd.Series([1.0, 1.0, 2.0, 3.0, 4.0])).tolist() == [1, 1, 3, 4, 5]
    assert a.quintiles(pd.Series([NAN, NAN])).isna().all()


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("high_good", [2, pd.NA, 1, 2, 4]),
        ("no_judgement", [2, pd.NA, 1, 2, 4]),
        ("low_good", [2, pd.NA, 4, 2, 1]),
    ],
)
def test_rank_by_polarity(polarity, expected):
    got = a.rank(pd.Series([2.0, NAN, 5.0, 2.0, 1.0]), polarity)
    assert str(got.dtype) == "Int64"
    assert got.tolist() == expected


def test_rank_rejects_unknown_polarity():
    with pytest.raises(ValueError):
        a.rank(pd.Series([1.0]), "up")


def test_constants():
    assert (a.TABLE_LEVEL, a.HIGHLIGHT_LEVEL) == (0.95, 0.998)
    assert a.SCALES == {"percent": 100, "per_1000": 1000, "per_10000": 10000, "per_100000": 100000}
    assert np.isclose(a.z_value(a.HIGHLIGHT_LEVEL), 3.0902, atol=1e-4)
