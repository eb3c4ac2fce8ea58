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


# NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2 "Critical values of the Student's
# t distribution" (upper-tail 0.025 and 0.001, i.e. two-sided 95 % and 99.8 %), 3 decimals.
# The table's df=1/0.001 entry 318.313 is itself rounded from 318.309, hence rel=2e-5.
@pytest.mark.parametrize(
    ("df", "t95", "t998"),
    [
        (1, 12.706, 318.313),
        (2, 4.303, 22.327),
        (3, 3.182, 10.215),
        (4, 2.776, 7.173),
        (5, 2.571, 5.893),
        (8, 2.306, 4.501),
        (10, 2.228, 4.144),
        (30, 2.042, 3.385),
        (100, 1.984, 3.174),
    ],
)
def test_t_value_matches_published_table(df, t95, t998):
    assert a.t_value(0.95, df) == pytest.approx(t95, abs=6e-4, rel=2e-5)
    assert a.t_value(0.998, df) == pytest.approx(t998, abs=6e-4, rel=2e-5)


@pytest.mark.parametrize("df", [0, -1, 2.5])
def test_t_rejects_bad_df(df):
    with pytest.raises(ValueError):
        a.t_two_sided_prob(1.0, df)


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
# epitools::pois.exact gives 3.689 at x=0). Byar's approximation (Rothman & Boice 1979;
# Breslow & Day 1987, vol. II) is within 0.2 % for x >= 10 (PHE/OHID "Technical Guide:
# Confidence Intervals", 2018), so 1 % is a generous tolerance there; the upper limit is
# within 1 % for every x, the x=0 upper within 0.6 %.
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


@pytest.mark.parametrize(("x", "lower", "upper"), EXACT_POISSON_95)
def test_byar_upper_within_one_percent_of_exact(x, lower, upper):
    assert a.poisson_interval(x, 0.95)[1] == pytest.approx(upper, rel=0.01)


@pytest.mark.parametrize(("x", "lower", "upper"), [r for r in EXACT_POISSON_95 if r[0] >= 5])
def test_byar_lower_within_one_percent_of_exact_from_five(x, lower, upper):
    assert a.poisson_interval(x, 0.95)[0] == pytest.approx(lower, rel=0.01)


@pytest.mark.parametrize(("x", "lower", "upper"), [r for r in EXACT_POISSON_95 if 0 < r[0] < 5])
def test_byar_lower_is_conservative_for_tiny_counts(x, lower, upper):
    """Below 5 events Byar's lower limit undershoots the exact one: wider, never narrower."""
    lo = a.poisson_interval(x, 0.95)[0]
    assert 0 <= lo < lower


def test_byar_zero_and_high_level_never_negative():
    assert a.poisson_interval(0)[0] == 0.0
    # At 99.8 % Byar's cubed base turns negative for x=1; a count cannot be negative.
    assert a.poisson_interval(1, 0.998)[0] == 0.0
    assert a.poisson_interval(1, 0.998)[1] > a.poisson_interval(1, 0.95)[1]


def test_byar_rejects_negative_count():
    with pytest.raises(ValueError):
        a.poisson_interval(-1)


# --- denominators and intervals in value units ----------------------------------------


@pytest.mark.parametrize(
    ("value", "abs_value", "unit", "expected"),
    [
        (25.0, 50, "percent", 200.0),
        (2.5, 10, "per_1000", 4000.0),
        (5.0, 10, "per_10000", 20000.0),
        (50.0, 5, "per_100000", 10000.0),
        (0.0, 0, "percent", None),
        (-1.0, 5, "percent", None),
        (NAN, 5, "percent", None),
        (25.0, None, "percent", None),
        (25.0, 0, "percent", None),  # a positive value cannot have a zero numerator
        (25.0, NAN, "percent", None),
        (25.0, 50, "index", None),
        (25.0, 50, "euro", None),
    ],
)
def test_denominator(value, abs_value, unit, expected):
    got = a.denominator(value, abs_value, unit)
    assert got == (None if expected is None else pytest.approx(expected))


def test_interval_proportion_is_wilson_in_percent_points():
    # 81/263 = 30.798 %: Newcombe's 0.2553-0.3662 in percent points.
    lo, hi = a.interval(100 * 81 / 263, 81, "percent", "proportion")
    assert lo == pytest.approx(25.53, abs=5e-3)
    assert hi == pytest.approx(36.62, abs=5e-3)


def test_interval_rate_is_poisson_over_denominator():
    # 10 events in 4000 persons = 2.5 per 1000; exact 4.795-18.39 events → 1.199-4.598 /1000.
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
    p = a.pool([10.0, 20.0], [10, 80], "percent")
    assert p == a.Pooled(pytest.approx(18.0), pytest.approx(90.0), pytest.approx(500.0), 2, True)


def test_pool_skips_members_without_value():
    p = a.pool([2.0, NAN, 4.0], [2, None, 8], "per_1000", weights=[1000, 50, 2000])
    assert p.complete and p.n_members == 2
    assert p.value == pytest.approx(10 / 3000 * 1000)


def test_pool_incomplete_falls_back_to_population_weighted_mean():
    p = a.pool([10.0, 20.0], [10, None], "percent", weights=[100, 300])
    assert p == a.Pooled(pytest.approx(17.5), None, None, 2, False)


def test_pool_incomplete_without_weights_is_plain_mean():
    p = a.pool([10.0, 20.0], [None, None], "percent")
    assert p.value == pytest.approx(15.0) and not p.complete


def test_pool_zero_valued_member_has_no_denominator():
    """A 0 % member implies no denominator, so the group cannot pool counts."""
    p = a.pool([0.0, 20.0], [0, 80], "percent", weights=[100, 300])
    assert not p.complete and p.value == pytest.approx(15.0)


def test_pool_unit_without_scale_is_incomplete():
    p = a.pool([100.0, 120.0], [5, 6], "index", weights=[1, 3])
    assert p == a.Pooled(pytest.approx(115.0), None, None, 2, False)


def test_pool_all_missing():
    p = a.pool([NAN, None], [None, None], "percent")
    assert math.isnan(p.value) and p.n_members == 0 and not p.complete


def test_pooled_interval_matches_member_interval_when_single():
    p = a.pool([25.0], [50], "percent")
    assert a.interval(p.value, p.abs_value, "percent", "proportion") == pytest.approx(
        a.interval(25.0, 50, "percent", "proportion")
    )


@pytest.mark.parametrize(
    ("area", "part", "unit", "expected"),
    [
        # 20 % of 1000 minus 30 % of 200 → 140 / 800 = 17.5 %.
        ((20.0, 200), (30.0, 60), "percent", (17.5, 140.0)),
        # 5 /1000 of 10 000 minus 2 /1000 of 5 000 → 40 / 5000 = 8 /1000.
        ((5.0, 50), (2.0, 10), "per_1000", (8.0, 40.0)),
    ],
)
def test_rest_of_area(area, part, unit, expected):
    got = a.rest_of_area(*area, *part, unit)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("area", "part", "unit"),
    [
        ((20.0, 200), (20.0, 200), "percent"),  # the part is the whole area
        ((20.0, None), (30.0, 60), "percent"),
        ((20.0, 200), (0.0, 0), "percent"),
        ((100.0, 5), (90.0, 4), "index"),
        ((20.0, 10), (30.0, 60), "percent"),  # part bigger than area: inconsistent data
    ],
)
def test_rest_of_area_not_computable(area, part, unit):
    assert a.rest_of_area(*area, *part, unit) is None


@pytest.mark.parametrize(
    ("group", "area", "expected"),
    [
        (150_000, 270_000, "rest_of_area"),  # Jyväskylä + Muurame in Keski-Suomi
        (8_000, 270_000, "area"),
        (81_000, 270_000, "area"),  # exactly 30 %: not more than the threshold
        (81_001, 270_000, "rest_of_area"),
        (100, 0, "area"),
        (100, NAN, "area"),
    ],
)
def test_benchmark_label(group, area, expected):
    assert a.benchmark_label(group, area) == expected


# --- trend ----------------------------------------------------------------------------

YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022]


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "high_good", "improving"),
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "low_good", "worsening"),
        ([1, 1, 10.0, 11.1, 11.9, 13.1, 14.0], "no_judgement", "rising"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "high_good", "worsening"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "low_good", "improving"),
        ([20, 20, 14.0, 12.9, 12.1, 10.8, 10.0], "no_judgement", "falling"),
        ([9, 9, 10.0, 12.5, 9.0, 11.5, 10.5], "high_good", "stable"),  # noisy, no trend
        ([5, 5, 5, 5, 5, 5, 5], "high_good", "stable"),
        ([0.1] * 7, "low_good", "stable"),
    ],
)
def test_trend_direction(values, polarity, expected):
    t = a.trend(YEARS, values, polarity)
    assert t.direction == expected
    assert (t.n_points, t.first_year, t.last_year) == (5, 2018, 2022)


def test_trend_uses_only_last_five_points():
    """A big jump before the window must not create a trend."""
    t = a.trend(YEARS, [0, 0, 10.0, 12.5, 9.0, 11.5, 10.5], "high_good")
    assert t.direction == "stable"


def test_trend_sorts_by_year_and_reports_slope():
    t = a.trend([2022, 2020, 2021, 2019, 2018], [14.0, 12.0, 13.0, 11.0, 10.0], "high_good")
    assert t.slope_per_year == pytest.approx(1.0)
    assert t.direction == "improving"  # perfect line: zero residual variance, slope ≠ 0


def test_trend_level_matters():
    """slope/se = 5.81 lies between t(0.95, 3 df) = 3.18 and t(0.998, 3 df) = 10.2."""
    values = [10.0, 10.9, 11.2, 12.4, 12.3]
    years = YEARS[-5:]
    assert a.trend(years, values, "high_good", level=0.95).direction == "improving"
    assert a.trend(years, values, "high_good", level=0.998).direction == "stable"


@pytest.mark.parametrize(
    ("years", "values"),
    [
        ([2020, 2021, 2022], [1.0, 2.0, 3.0]),
        ([2019, 2020, 2021, 2022], [1.0, NAN, 3.0, 4.0]),  # NaN is not an observation
        ([], []),
    ],
)
def test_trend_insufficient(years, values):
    t = a.trend(years, values, "high_good")
    assert t.direction == "insufficient"
    assert math.isnan(t.slope_per_year)
    assert t.n_points == sum(not math.isnan(v) for v in values)


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


def test_quintiles_ties_are_averaged_and_all_nan_stays_nan():
    assert a.quintiles(pd.Series([1.0, 1.0, 2.0, 3.0, 4.0])).tolist() == [2, 2, 3, 4, 5]
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
