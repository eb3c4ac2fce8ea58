"""Fingertips' recent-trend method, against hand-worked and independently computed values.

The method (analysis.trend, analysis.trends): exactly the five most recent points, no
missing value or period among them; proportions by the chi-square test for trend on
numerators and denominators (Cochran-Armitage; R's stats::prop.trend.test), other types
with an interval by a regression weighted by 1/variance, the variance read from the 95 %
interval as ((hi - lo) / (2 * 1.96))^2; significant when the statistic exceeds the
chi-square (1 df) 99.8 % quantile 9.5495; then no significant change if leaving out any
one point turns the gradient's sign.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.model import stats as a

YEARS = [2019, 2020, 2021, 2022, 2023]
Z95 = stats.norm.ppf(0.975)


def prop_trend(x, n, polarity="no_judgement", years=YEARS, **kw):
    values = [100 * xi / ni for xi, ni in zip(x, n, strict=True)]
    return a.trend(years, values, polarity, "proportion", numerators=x, denominators=n, **kw)


def rate_trend(values, sd, polarity="no_judgement", years=YEARS, **kw):
    """A series with known standard errors: the 95 % interval is value ± 1.96 sd."""
    lo = [v - Z95 * s for v, s in zip(values, sd, strict=True)]
    hi = [v + Z95 * s for v, s in zip(values, sd, strict=True)]
    return a.trend(years, values, polarity, "rate", lo=lo, hi=hi, **kw)


def test_critical_value_is_chi_square_one_df_at_998():
    assert a.trend_critical() == pytest.approx(9.5495, abs=1e-4)
    assert a.trend_critical() == pytest.approx(stats.norm.ppf(0.999) ** 2, rel=1e-12)


# --- the examples, hand-worked ------------------------------------------------


def test_perfect_line_from_20_people_is_no_significant_change():
    """5, 10, 15, 20, 25 % of 20 people (1..5 cases): the old OLS called a perfect line
    "rising" (zero residuals). Chi-square for trend: X = 15, N = 100, p = 0.15,
    T = sum(x t) - p sum(n t) = 40 - 0.15 * 200 = 10, S_tt = 600 - 200^2 / 100 = 200,
    chi2 = T^2 / (p (1 - p) S_tt) = 100 / 25.5 = 3.92 < 9.55."""
    t = prop_trend([1, 2, 3, 4, 5], [20] * 5, "low_good")
    assert t.chi2 == pytest.approx(100 / 25.5, rel=1e-12)
    assert t.direction == "stable"
    assert t.slope_per_year == pytest.approx(5.0)  # percentage points a year


def test_steeper_perfect_line_from_20_people_is_just_short():
    """10..50 % of 20: p = 0.3, T = 80 - 60 = 20, chi2 = 400 / (0.21 * 200) = 9.524 < 9.5495;
    the same line from 40 people doubles the statistic (19.05): significant."""
    t = prop_trend([2, 4, 6, 8, 10], [20] * 5, "low_good")
    assert t.chi2 == pytest.approx(400 / 42, rel=1e-12)
    assert t.direction == "stable"
    t = prop_trend([4, 8, 12, 16, 20], [40] * 5, "low_good")
    assert t.chi2 == pytest.approx(1600 / 84, rel=1e-12)
    assert t.direction == "worsening"


def test_34_65_65_21_9_percent_is_a_significant_fall():
    """34, 65, 65, 21, 9 % of 100 each: the old OLS (95 %) called it stable. X = 194,
    N = 500, p = 0.388, T = 294 - 0.388 * 1000 = -94, S_tt = 3000 - 1000^2 / 500 = 1000,
    chi2 = 94^2 / (0.388 * 0.612 * 1000) = 8836 / 237.456 = 37.21 > 9.55. Leaving out
    each point in turn, the gradient stays negative (T = -61.25 .. -19.5): a real fall."""
    x = [34, 65, 65, 21, 9]
    t = prop_trend(x, [100] * 5, "low_good")
    assert t.chi2 == pytest.approx(8836 / 237.456, rel=1e-12)
    assert t.direction == "improving"  # falling, and low is good
    assert prop_trend(x, [100] * 5, "high_good").direction == "worsening"
    assert prop_trend(x, [100] * 5).direction == "falling"
    assert t.slope_per_year < 0


def test_34_65_65_21_9_percent_of_20_people_is_no_significant_change():
    """The same percentages of 20 people (6.8, 13, 13, 4.2, 1.8 cases: non-integer counts
    are accepted): T = 58.8 - 77.6 = -18.8, S_tt = 200, chi2 = 353.44 / 47.4912 = 7.44."""
    t = prop_trend([6.8, 13, 13, 4.2, 1.8], [20] * 5, "low_good")
    assert t.chi2 == pytest.approx(353.44 / (0.388 * 0.612 * 200), rel=1e-9)
    assert t.direction == "stable"


def test_r_prop_trend_test_example():
    """R's stats::prop.trend.test documentation example (smokers of patients, four groups):
    X-squared = 8.2249, df = 1 (p = 0.004132)."""
    smokers, patients = [83, 90, 129, 70], [86, 93, 136, 82]
    t = prop_trend(smokers, patients, years=[1, 2, 3, 4], points=4)
    assert t.chi2 == pytest.approx(8.2249, abs=5e-5)
    assert stats.chi2.sf(t.chi2, 1) == pytest.approx(0.004132, abs=5e-7)
    assert t.direction == "stable"  # significant at 95 %, not at 99.8 %


# --- independent computations -----------------------------------------------------------


def _wls(t, y, w):
    """Weighted least squares by numpy.linalg.lstsq: (slope, variance of the slope with
    known weights, regression sum of squares)."""
    t, y, w = (np.asarray(v, dtype=float) for v in (t, y, w))
    t = t - t[0]  # (a shift changes no slope; years near 2020 only cost conditioning)
    design = np.column_stack([np.ones_like(t), t])
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)
    cov = np.linalg.inv(design.T @ (design * w[:, None]))
    fitted = design @ beta
    ybar = np.average(y, weights=w)
    return beta[1], cov[1, 1], float((w * (fitted - ybar) ** 2).sum())


@pytest.mark.parametrize("seed", range(8))
def test_proportion_statistic_is_rs_weighted_regression(seed):
    """prop.trend.test computes chi2 as the regression sum of squares of x/n on the score,
    weights n / (p (1 - p)): the same number by another route."""
    rng = np.random.default_rng(seed)
    n = rng.integers(30, 3000, size=5).astype(float)
    x = rng.binomial(n.astype(int), rng.uniform(0.05, 0.6)).astype(float)
    p = x.sum() / n.sum()
    _, _, ssr = _wls(YEARS, x / n, n / (p * (1 - p)))
    assert prop_trend(x, n).chi2 == pytest.approx(ssr, rel=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_rate_statistic_is_the_inverse_variance_weighted_slope(seed):
    """Crude rates: intervals from the counts (exact below 10, Byar from 10), variance
    ((hi - lo) / 3.92)^2, chi2 = slope^2 / var(slope) from numpy's WLS."""
    rng = np.random.default_rng(100 + seed)
    n = rng.integers(500, 50_000, size=5).astype(float)
    x = rng.poisson(n * rng.uniform(0.0005, 0.01)).astype(float)
    values = x / n * 1000
    lo, hi = a.count_intervals(x, n, 1000.0, ["rate"] * 5)
    w = 1 / ((hi - lo) / (2 * Z95)) ** 2
    slope, var, _ = _wls(YEARS, values, w)
    t = a.trend(YEARS, values, "low_good", "rate", lo=lo, hi=hi)
    assert t.chi2 == pytest.approx(slope**2 / var, rel=1e-9)
    assert t.slope_per_year == pytest.approx(slope, rel=1e-9, abs=1e-12)


# --- the outlier check ----------------------------------------------------------------


def test_one_point_carrying_the_trend_is_no_significant_change():
    """12, 11, 10, 9, 30 (sd 1 each): slope 3.4, chi2 = 3.4^2 * 10 = 115.6, far beyond 9.55,
    but without the last point the slope is -1: the sign flips, so no significant change."""
    t = rate_trend([12, 11, 10, 9, 30], [1] * 5)
    assert t.chi2 == pytest.approx(115.6, rel=1e-9)
    assert t.direction == "stable"
    # 10, 11, 12, 13, 30: every four-point subset still rises: a real rise.
    t = rate_trend([10, 11, 12, 13, 30], [1] * 5)
    assert t.chi2 == pytest.approx(4.2**2 * 10, rel=1e-9)
    assert t.direction == "rising"


def test_outlier_check_for_proportions():
    """20, 19, 18, 17, 40 % of 1 000: significant rise overall, falling without the last."""
    t = prop_trend([200, 190, 180, 170, 400], [1000] * 5)
    assert t.chi2 > a.trend_critical()
    assert t.direction == "stable"


# --- threshold, edges, missing inputs ---------------------------------------------------


@pytest.mark.parametrize(("factor", "expected"), [(1 - 1e-6, "stable"), (1 + 1e-6, "rising")])
def test_significance_threshold(factor, expected):
    """A line of slope 1 with equal sd s: chi2 = 10 / s^2, set just under and over 9.5495."""
    sd = math.sqrt(10 / (a.trend_critical() * factor))
    t = rate_trend([1, 2, 3, 4, 5], [sd] * 5)
    assert t.chi2 == pytest.approx(a.trend_critical() * factor, rel=1e-9)
    assert t.direction == expected


@pytest.mark.parametrize(("x", "n"), [([0] * 5, [500] * 5), ([500] * 5, [500] * 5)])
def test_no_events_or_all_events_is_no_change(x, n):
    t = prop_trend(x, n)
    assert t.direction == "stable" and t.chi2 == 0.0


def test_zero_events_in_some_years_is_testable():
    t = prop_trend([0, 0, 5, 20, 40], [1000] * 5, "low_good")
    assert t.direction == "worsening"


def test_rates_with_zero_events_have_an_interval_and_a_trend():
    n = np.full(5, 10_000.0)
    x = np.array([0, 1, 8, 20, 45.0])
    lo, hi = a.count_intervals(x, n, 1000.0, ["rate"] * 5)
    t = a.trend(YEARS, x / n * 1000, "low_good", "rate", lo=lo, hi=hi)
    assert t.direction == "worsening"


@pytest.mark.parametrize(("years", "x"), [
    ([2019, 2020, 2021, 2022], [1, 2, 3, 4]),                      # four points
    ([2018, 2019, 2020, 2022, 2023], [1, 2, 3, 4, 5]),            # 2021 missing
    ([2019, 2020, 2021, 2022, 2023], [1, 2, math.nan, 4, 5]),     # a numerator missing
])
def test_fewer_than_five_consecutive_complete_points_is_insufficient(years, x):
    values = [10.0 * (i + 1) for i in range(len(years))]
    t = a.trend(years, values, "low_good", "proportion", numerators=x,
                denominators=[100] * len(years))
    assert t.direction == "insufficient"
    assert math.isnan(t.chi2) and math.isnan(t.slope_per_year)


def test_only_the_last_five_points_count():
    """A missing numerator six years back is outside the window: the trend is computed."""
    years = [2018, *YEARS]
    x = [math.nan, 100, 200, 300, 400, 500]
    t = a.trend(years, [5.0, 1, 2, 3, 4, 5], "high_good", "proportion", numerators=x,
                denominators=[10_000] * 6)
    assert t.direction == "improving" and t.first_year == 2019


def test_surveys_every_other_year_are_consecutive_two_years_apart():
    years = [2015, 2017, 2019, 2021, 2023]
    x, n = [100, 130, 160, 190, 220], [1000] * 5
    assert prop_trend(x, n, "low_good", years=years, max_gap=2).direction == "worsening"
    assert prop_trend(x, n, "low_good", years=years).direction == "insufficient"


def test_without_an_interval_there_is_no_trend():
    assert a.trend(YEARS, [1, 2, 3, 4, 5], "low_good", "none").direction == "not_computable"
    t = a.trend(YEARS, [1, 2, 3, 4, 5], "low_good", "rate")  # a rate without intervals
    assert t.direction == "insufficient"


def test_vectorised_trends_give_the_same_answers():
    cases = {1: ([34, 65, 65, 21, 9], [100] * 5), 2: ([1, 2, 3, 4, 5], [20] * 5),
             3: ([200, 190, 180, 170, 400], [1000] * 5)}
    rows = [(k, y, 100 * xi / ni, xi, ni) for k, (x, n) in cases.items()
            for y, xi, ni in zip(YEARS, x, n, strict=True)]
    frame = pd.DataFrame(rows, columns=["key", "year", "value", "x", "n"])
    out = a.trends(frame, dict.fromkeys(cases, "low_good"), dict.fromkeys(cases, "proportion"))
    assert out["direction"].tolist() == ["improving", "stable", "stable"]
    assert out.loc[1, "chi2"] == pytest.approx(8836 / 237.456, rel=1e-12)


# --- what the texts say -----------------------------------------------------------------


def test_every_trend_text_says_what_was_tested():
    from dashboard.i18n import catalog as texts
    from dashboard.model import phrases

    assert set(phrases.TREND_CLAUSE) == set(a.DIRECTIONS)
    row = {"trend_from": 2019, "trend_to": 2023}
    for direction in a.DIRECTIONS:
        clause = phrases.trend_clause({**row, "trend": direction})
        assert "Fingertips" in clause, direction
        if direction not in ("insufficient", "not_computable"):
            assert "2019–2023" in clause and "99,8 %" in clause
            assert "viisi peräkkäistä" in clause
        name = texts.trend_name(direction)
        assert name != f"trend.{direction}"  # every direction has a table label
        assert "99,8 %" in name or "ei laskettavissa" in name


def test_method_text_describes_the_methods_as_implemented():
    from dashboard.i18n import catalog as texts
    from dashboard.model import briefing, phrases

    text = phrases.method_text()
    for needle in ("Wilson", "alle 10", "Byar", "PHEindicatormethods", "Fingertips",
                   "viidestä viimeisimmästä peräkkäisestä", "99,8 %", "9,55",
                   "jättää pois", "muu hyvinvointialue", "ryhmän koosta riippumatta",
                   "kaikilta jäsenkunnilta", "2/3 kuntaa", "väestöllä painotettu",
                   "Ikävakioiduille", "vähintään viisi", "*ei laskettavissa*"):
        assert needle in text, needle
    assert "30 %" not in text
    note = briefing.METHOD_NOTE
    for needle in ("kaikilta kunnilta", "alle 10", "Fingertips", "99,8 %", "{comparison}"):
        assert needle in note, needle
    assert "30 %" not in briefing.COMPARED_WITH_REST
    assert "alle 10" in phrases.METHOD_NAME["rate"]


def test_explanation_says_how_the_value_was_made_and_what_the_trend_tested():
    from dashboard.model import phrases

    row = {"indicator_id": 1, "name": "X", "year": 2023, "unit": "percent", "decimals": 1,
           "value": float("nan"), "value_kind": "incomplete", "present": 2, "n_members": 3,
           "lo": float("nan"), "hi": float("nan"), "lo998": float("nan"),
           "hi998": float("nan"), "benchmark_label": "area", "benchmark_value": 10.0,
           "country_value": 11.0, "outcome_area": "not_compared",
           "outcome_country": "not_compared", "method": "proportion", "polarity": "low_good",
           "abs_value": float("nan"), "denominator": float("nan"), "small_members": "",
           "trend": "insufficient", "trend_from": None, "trend_to": None,
           "trend_chi2": float("nan")}
    items = dict(phrases.explanation(row, {"title_fi": "X"}, "area"))
    assert "2/3 kunnalta" in items["Ryhmän arvon laskutapa"]
    assert "viittä peräkkäistä" in items["Kehityssuunta"]
    tested = {**row, "value_kind": "pooled", "trend": "worsening", "trend_from": 2019,
              "trend_to": 2023, "trend_chi2": 37.2111}
    items = dict(phrases.explanation(tested, {"title_fi": "X"}, "area"))
    assert items["Ryhmän arvon laskutapa"].startswith("jäsenkuntien osoittajat")
    assert "2019–2023" in items["Kehityssuunta"] and "37,21" in items["Kehityssuunta"]
    assert "9,55" in items["Kehityssuunta"]
