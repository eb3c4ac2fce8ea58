"""Intervals, comparisons and quantiles against values from independent sources (issue 11).

Sources:
- PHEindicatormethods (UKHSA, GPL-3), the R package behind Fingertips' statistics, test
  data at github.com/ukhsa-collaboration/PHEindicatormethods, commit 093fd28 (v2.1.0):
  tests/testthat/testdata_Rate.xlsx (sheet testdata_Rate, phe_rate),
  testdata_Proportion.xlsx (testdata_Prop, phe_proportion: Wilson),
  testdata_Byars_Wilson.xlsx (testdata_B_W: byars_lower/upper, wilson_lower/upper) and
  testdata_Quantiles.xlsx (testdata_Quantiles, phe_quantile). The values below are copied
  from those sheets at full precision; rel=1e-9 leaves room only for the last digits.
- scipy.stats.binomtest(k, n).proportion_ci(method="wilson"): an independent Wilson.
- scipy.stats.gamma quantiles: the exact Poisson limits written the other way round
  (lower = Gamma(x).ppf(alpha/2), upper = Gamma(x + 1).ppf(1 - alpha/2)), so the
  chi-square form in analysis is checked against a second formulation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.model import stats as a

NAN = float("nan")

# --- rates: phe_rate ------------------------------------------------------------------
# testdata_Rate rows Area1..Area8 (multiplier 100) and Area12 (multiplier 100 000, more
# events than the denominator: allowed for a rate): numerator, denominator, multiplier,
# lower95, upper95, lower99.8, upper99.8. Methods per the sheet: "Exact" below 10 events
# (Area1, Area2), "Byars" from 10.
PHE_RATES = [
    (1, 100, 100, 2.5317807984289897e-2, 5.571643390938898, 1.0005003335835344e-3,
     9.2334134764515845),
    (5, 100, 100, 1.62348639011842, 11.668332079322669, 0.739371731917839, 16.454745203680105),
    (20, 100, 100, 12.211428834875937, 30.889880369197066, 8.922802365144193,
     38.085035625041911),
    (65, 100, 100, 50.163187710459454, 82.849138545939837, 42.880261471480203,
     94.000290844318016),
    (9856, 12345, 100, 78.269490589767571, 81.430016542721404, 77.375905432710525,
     82.354472770954303),
    (7776456, 7564336677, 100, 0.10273196005302074, 0.10287648334092832, 0.102690317308454,
     0.10291817639509068),
    (222, 3215, 100, 6.0265748776526751, 7.8757293708718503, 5.5607376952598537,
     8.4610466817334107),
    (999, 3456, 100, 27.141304936090521, 30.755833237378415, 26.162147596445767,
     31.845604819822654),
    (250, 220, 100_000, 99984.947385328764, 128631.14487455782, 92710.005544389525,
     137651.23772147458),
]
UNIT_OF = {100: "percent", 100_000: "per_100000"}  # count_interval takes the scale from a unit


@pytest.mark.parametrize(("x", "n", "mult", "lo95", "hi95", "lo998", "hi998"), PHE_RATES)
def test_rates_match_phe_rate(x, n, mult, lo95, hi95, lo998, hi998):
    unit = UNIT_OF[mult]
    assert a.count_interval(x, n, unit, "rate", 0.95) == pytest.approx((lo95, hi95), rel=1e-9)
    assert a.count_interval(x, n, unit, "rate", 0.998) == pytest.approx((lo998, hi998),
                                                                        rel=1e-9)
    lo, hi = a.count_intervals([x, x], [n, n], mult, ["rate", "rate"], 0.95)
    assert (lo[0], hi[0]) == pytest.approx((lo95, hi95), rel=1e-9)


# testdata_B_W: byars_lower/byars_upper on their own (x, level, lower, upper). x = 1 shows
# why phe_rate switches to exact limits below 10: Byar's lower limit 0.0131 against the
# exact 0.0253 (twice as wide below), and at 99.8 % no lower limit at all (NA in PHE).
PHE_BYAR = [
    (65, 0.95, 50.163187710459454, 82.849138545939837),
    (1045, 0.95, 982.59320180733255, 1110.3312129856499),
    (1, 0.95, 1.3072132901504351e-2, 5.5637555824752605),
    (65, 0.998, 42.880261471480203, 94.000290844318016),
    (1045, 0.998, 947.94070356103737, 1148.8061609880331),
    (10, 0.998, 2.916318374695686, 24.193724927880535),
]


@pytest.mark.parametrize(("x", "level", "lower", "upper"), PHE_BYAR)
def test_byar_matches_phe_byars(x, level, lower, upper):
    assert a.byar_interval(x, level) == pytest.approx((lower, upper), rel=1e-9)


def test_byar_below_zero_is_no_limit_and_is_never_used_below_ten():
    # testdata_B_W: x = 1 at 99.8 % has no Byar lower limit (NA), upper 9.362180217908362.
    lo, hi = a.byar_interval(1, 0.998)
    assert lo == 0.0 and hi == pytest.approx(9.362180217908362, rel=1e-9)
    exact = a.poisson_interval(1, 0.998)
    assert exact == pytest.approx((1.0005003335835344e-3, 9.2334134764515845), rel=1e-9)


@pytest.mark.parametrize("x", [0, 0.5, 1, 2, 3.7, 5, 9, 9.999])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_exact_poisson_equals_gamma_quantiles(x, level):
    """Below 10 events: chi-square form == gamma form, integer or not (pooled counts)."""
    alpha = 1 - level
    lower = 0.0 if x == 0 else stats.gamma.ppf(alpha / 2, x)
    upper = stats.gamma.ppf(1 - alpha / 2, x + 1)
    assert a.poisson_interval(x, level) == pytest.approx((lower, upper), rel=1e-10, abs=1e-14)
    lo, hi = a.count_intervals([x], [1000.0], 1000.0, ["rate"], level)
    assert (lo[0], hi[0]) == pytest.approx((lower, upper), rel=1e-10, abs=1e-14)


def test_switch_from_exact_to_byar_at_ten_events():
    # 9 events: exact; 10 events: Byar (PHE's rule is "x < 10 exact").
    assert a.poisson_interval(9) == pytest.approx(
        (stats.chi2.ppf(0.025, 18) / 2, stats.chi2.ppf(0.975, 20) / 2), rel=1e-12)
    assert a.poisson_interval(10) == a.byar_interval(10)


def test_one_event_in_2500_is_similar_to_2227_per_1000():
    """The issue's example: Byar's upper limit 2.2255 put 2.227 outside ("better"); the
    exact upper limit chi2(0.975; 4)/2 / 2500 * 1000 = 2.2287 holds it ("similar")."""
    byar_hi = a.byar_interval(1)[1] / 2500 * 1000
    assert byar_hi == pytest.approx(2.2255, abs=1e-4) and byar_hi < 2.227
    lo, hi = a.interval(0.4, 1, "per_1000", "rate")
    assert hi == pytest.approx(stats.chi2.ppf(0.975, 4) / 2 / 2.5, rel=1e-12)
    assert hi == pytest.approx(2.2287, abs=1e-4)
    assert a.compare(0.4, (lo, hi), 2.227, "low_good") == "similar"
    assert a.compare(0.4, (lo, byar_hi), 2.227, "low_good") == "better"  # the old answer


# --- proportions: Wilson -------------------------------------------------------------
# testdata_Prop rows Area1..Area8, proportion of 1: numerator, denominator, lower95,
# upper95, lower99.8, upper99.8.
PHE_PROPORTIONS = [
    (1, 100, 1.7674320641406511e-3, 5.4486196178705294e-2, 8.73065697299977e-4,
     0.10455445283705821),
    (5, 100, 2.154367915436798e-2, 0.11175046923191911, 1.3865320725997183e-2,
     0.16458852282596442),
    (20, 100, 0.1333669333310325, 0.28882916559315885, 0.10519162066711432, 0.3471109417008601),
    (65, 100, 0.55254443296887967, 0.73635751756902468, 0.49549465740704313,
     0.77835406140896968),
    (9856, 12345, 0.79121017529090687, 0.80536400736149094, 0.7869924108419063,
     0.80930614125896261),
    (7776456, 7564336677, 1.0273201001641094e-3, 1.0287644578977231e-3, 1.0269040118442213e-3,
     1.0291812992698397e-3),
    (222, 3215, 6.0791690363636595e-2, 7.8339566813836331e-2, 5.647101964624248e-2,
     8.4184141852701344e-2),
    (999, 3456, 0.27418951080009873, 0.30440389662818057, 0.26583995768074953,
     0.31344754492799848),
]


@pytest.mark.parametrize(("x", "n", "lo95", "hi95", "lo998", "hi998"), PHE_PROPORTIONS)
def test_proportions_match_phe_proportion(x, n, lo95, hi95, lo998, hi998):
    assert a.wilson_interval(x, n, 0.95) == pytest.approx((lo95, hi95), rel=1e-9)
    assert a.wilson_interval(x, n, 0.998) == pytest.approx((lo998, hi998), rel=1e-9)
    lo, hi = a.count_intervals([x], [n], 100.0, ["proportion"], 0.95)
    assert (lo[0], hi[0]) == pytest.approx((100 * lo95, 100 * hi95), rel=1e-9)


# testdata_B_W, Wilson rows: a non-integer numerator (0.445 of 1) is valid.
@pytest.mark.parametrize(("x", "n", "level", "lower", "upper"), [
    (0.445, 1, 0.95, 4.3817447720588223e-2, 0.93346212769791559),
    (0.445, 1, 0.998, 1.9347006132900975e-2, 0.97022599470195414),
    (1045, 5000, 0.95, 0.19795549880013297, 0.22049130373189027),
    (1045, 5000, 0.998, 0.19179381799015244, 0.22731562902525818),
])
def test_wilson_non_integer_counts_match_phe(x, n, level, lower, upper):
    assert a.wilson_interval(x, n, level) == pytest.approx((lower, upper), rel=1e-9)


@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (0, 7), (3, 7), (7, 7), (9, 9), (0, 250),
                                      (1, 250), (125, 250), (249, 250), (250, 250),
                                      (48, 52_000)])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_wilson_matches_scipy_binomtest(k, n, level):
    ref = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    assert a.wilson_interval(k, n, level) == pytest.approx((ref.low, ref.high), abs=1e-12)
    lo, hi = a.count_intervals([k], [n], 1.0, ["proportion"], level)
    assert (lo[0], hi[0]) == pytest.approx((ref.low, ref.high), abs=1e-12)


def test_wilson_bounds_at_zero_and_at_all_events():
    assert a.wilson_interval(0, 12)[0] == 0.0
    assert a.wilson_interval(12, 12)[1] == 1.0
    assert a.count_interval(12, 12, "percent", "proportion")[1] == 100.0


# --- missing and impossible inputs ---------------------------------------------------


@pytest.mark.parametrize(("x", "n", "unit", "method"), [
    (NAN, 100, "percent", "proportion"),
    (5, NAN, "percent", "proportion"),
    (None, 100, "per_1000", "rate"),
    (5, 0, "per_1000", "rate"),
    (-1, 100, "per_1000", "rate"),
    (101, 100, "percent", "proportion"),  # more events than people: not a proportion
    (5, 100, "percent", "none"),
    (5, 100, "index", "rate"),
])
def test_no_interval_from_missing_or_impossible_inputs(x, n, unit, method):
    assert a.count_interval(x, n, unit, method) is None
    scale = a.SCALES.get(unit, NAN)
    lo, hi = a.count_intervals([NAN if x is None else x], [n], scale, [method])
    assert math.isnan(lo[0]) and math.isnan(hi[0])


def test_rate_with_more_events_than_people_has_an_interval():
    """Visits per person can exceed one (PHE's Area12: 250 per 220)."""
    assert a.count_interval(250, 220, "per_100000", "rate") is not None


# --- values exactly on a bound -------------------------------------------------------


@pytest.mark.parametrize("level", [0.95, 0.998])
def test_benchmark_exactly_on_a_bound_is_similar(level):
    for x, n, unit, method in ((3, 2500, "per_1000", "rate"), (30, 2500, "per_1000", "rate"),
                               (7, 40, "percent", "proportion")):
        lo, hi = a.count_interval(x, n, unit, method, level)
        value = x / n * a.SCALES[unit]
        for bound, outside, beyond in ((lo, np.nextafter(lo, -np.inf), "higher"),
                                       (hi, np.nextafter(hi, np.inf), "lower")):
            assert a.compare(value, (lo, hi), bound, "no_judgement") == "similar"
            assert a.compare(value, (lo, hi), outside, "no_judgement") == beyond
            out = a.compare_many([value, value], [lo, lo], [hi, hi], [bound, outside],
                                 ["no_judgement"] * 2)
            assert out.tolist() == ["similar", beyond]


# --- quantiles: phe_quantile ---------------------------------------------------------
# testdata_Quantiles, Test = "GooddataDups", GroupSet = "IndSexReg": deciles within each
# region, with tied values. Region1 (IndSexRef 11111Female) is "RAG - Low is good", i.e.
# invert = TRUE (highest value in decile 1); Region2 (22222Female) "High is good", invert =
# FALSE. (value, QuantileInGrp) in the sheet's order.
PHE_DECILES_REGION1 = [
    (182.71, 1), (175.99, 1), (169.27, 2), (169.27, 2), (155.83, 4), (149.11, 4), (142.39, 5),
    (135.67, 6), (128.95, 7), (121.4, 7), (108.9, 8), (108.9, 8), (101.6, 10),
]
PHE_DECILES_REGION2 = [
    (10, 1), (11, 1), (13, 1), (15, 2), (19, 2), (20.2, 3), (22.4, 3), (24.6, 4), (26.8, 4),
    (29, 5), (31.2, 5), (33.4, 6), (35.6, 6), (37.8, 6), (37.8, 6), (42.2, 7), (44.4, 8),
    (46.6, 8), (46.6, 8), (51, 9), (53.2, 10), (55.4, 10),
]


@pytest.mark.parametrize(("table", "invert"), [(PHE_DECILES_REGION1, True),
                                               (PHE_DECILES_REGION2, False)])
def test_quantile_groups_match_phe_quantile_with_ties(table, invert):
    values = pd.Series([v for v, _ in table])
    got = a.quantile_groups(values, 10, invert=invert)
    assert got.tolist() == [q for _, q in table]


def test_quantile_groups_fewer_values_than_quantiles_get_none():
    # phe_quantile: "One or more groups had too few small areas ... to allow quantiles".
    values = pd.Series([v for v, _ in PHE_DECILES_REGION1][:9])
    assert a.quantile_groups(values, 10).isna().all()
    assert a.quintiles(pd.Series([1.0, 2.0, 3.0, 4.0, NAN, NAN])).isna().all()


def test_quintiles_of_the_countys_22_municipalities():
    """Hand-worked with phe_quantile's formula, N = 22, N/5 = 4.4: ranks 1-5 → 1, 6-9 → 2,
    10-14 → 3, 15-18 → 4, 19-22 → 5 (sizes 5, 4, 5, 4, 4: the remainder goes to the
    lowest fifths, not the top one as ceil(5 * rank / N) gave)."""
    q = a.quintiles(pd.Series(np.arange(22, dtype=float)))
    assert q.tolist() == [1] * 5 + [2] * 4 + [3] * 5 + [4] * 4 + [5] * 4
    old = np.ceil(5.0 * pd.Series(np.arange(22.0)).rank() / 22)
    assert (old == 5).sum() == 5  # what the old rule did


def test_quintiles_ties_share_the_lowest_ranks_fifth():
    # Ten values, four tied at the bottom: ranks 1, 1, 1, 1, 5, ... → fifths 1, 1, 1, 1, 3.
    q = a.quintiles(pd.Series([2.0, 2.0, 2.0, 2.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]))
    assert q.tolist() == [1, 1, 1, 1, 3, 3, 4, 4, 5, 5]
    # Everyone tied: everyone in the first fifth.
    assert a.quintiles(pd.Series([3.0] * 6)).tolist() == [1] * 6


def test_quantile_groups_rejects_bad_counts():
    with pytest.raises(ValueError):
        a.quantile_groups(pd.Series([1.0]), 0)


# --- polarity: unknown is an error everywhere ----------------------------------------


def test_unknown_polarity_is_an_error_in_every_path():
    with pytest.raises(ValueError, match="'best'"):
        a.compare(1.0, (0.5, 1.5), 2.0, "best")
    with pytest.raises(ValueError, match="'best'"):
        a.compare_many([1.0], [0.5], [1.5], [2.0], ["best"])
    with pytest.raises(ValueError, match="'best'"):
        a.rank(pd.Series([1.0]), "best")
    with pytest.raises(ValueError, match="'best'"):
        a.trend([2020], [1.0], "best", "none")
    frame = pd.DataFrame({"key": [1], "year": [2020], "value": [1.0]})
    with pytest.raises(ValueError, match="'best'"):
        a.trends(frame, {1: "best"}, {1: "none"})


def test_polarities_are_the_configurations():
    from pipelines import config

    assert a.POLARITIES == config.POLARITIES
