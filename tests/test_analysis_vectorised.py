"""The vectorised statistics give exactly what the scalar reference functions give."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.model import stats as analysis

counts = st.integers(min_value=0, max_value=100_000)


@given(x=counts, extra=counts, method=st.sampled_from(["proportion", "rate", "none"]),
       unit=st.sampled_from(["percent", "per_1000", "per_100000"]),
       level=st.sampled_from([0.95, 0.998]))
def test_count_intervals_match_scalar(x, extra, method, unit, level):
    n = x + extra
    scalar = analysis.count_interval(x, n, unit, method, level)
    lo, hi = analysis.count_intervals([x], [n], analysis.SCALES[unit], [method], level)
    if scalar is None:
        assert math.isnan(lo[0]) and math.isnan(hi[0])
    else:
        assert lo[0] == pytest.approx(scalar[0], rel=1e-12, abs=1e-12)
        assert hi[0] == pytest.approx(scalar[1], rel=1e-12)


@given(x=st.floats(0, 30, allow_nan=False), n=st.floats(0.5, 1e6, allow_nan=False),
       method=st.sampled_from(["proportion", "rate"]), level=st.sampled_from([0.95, 0.998]))
def test_count_intervals_match_scalar_small_and_fractional_counts(x, n, method, level):
    """Around the exact/Byar switch at 10 events, and with pooled non-integer counts."""
    scalar = analysis.count_interval(x, n, "per_1000", method, level)
    lo, hi = analysis.count_intervals([x], [n], 1000.0, [method], level)
    if scalar is None:
        assert math.isnan(lo[0]) and math.isnan(hi[0])
    else:
        assert (lo[0], hi[0]) == pytest.approx(scalar, rel=1e-12, abs=1e-15)


def test_count_intervals_missing_inputs():
    lo, hi = analysis.count_intervals([np.nan, 5, 5, 5], [10, np.nan, 0, 10], 100.0,
                                      ["proportion", "proportion", "rate", "none"])
    assert np.isnan(lo).all() and np.isnan(hi).all()


@given(value=st.floats(0, 100), a=st.floats(0, 100), b=st.floats(0, 100),
       bench=st.one_of(st.floats(0, 100), st.just(math.nan)),
       polarity=st.sampled_from(analysis.POLARITIES))
def test_compare_many_matches_scalar(value, a, b, bench, polarity):
    lo, hi = min(a, b), max(a, b)
    expected = analysis.compare(value, (lo, hi), bench, polarity)
    assert analysis.compare_many([value], [lo], [hi], [bench], [polarity])[0] == expected


def test_compare_many_without_interval_is_not_compared():
    out = analysis.compare_many([1.0], [np.nan], [np.nan], [2.0], ["low_good"])
    assert out[0] == "not_compared"


def test_compare_many_rejects_unknown_polarity():
    """An unknown polarity is an error here too, never silently low_good (issue 11)."""
    with pytest.raises(ValueError, match="'bad_is_good'"):
        analysis.compare_many([1.0, 1.0], [0.5, 0.5], [1.5, 1.5], [2.0, 2.0],
                              ["low_good", "bad_is_good"])
    with pytest.raises(ValueError, match="None"):
        analysis.compare_many([1.0], [0.5], [1.5], [2.0], [None])


point = st.tuples(
    st.integers(2000, 2012),                       # year (gaps happen)
    st.one_of(st.floats(0, 100), st.just(math.nan)),  # value
    st.integers(0, 60),                            # numerator
    st.integers(0, 120),                           # denominator beyond the numerator
    st.one_of(st.floats(0, 1e-3), st.floats(0, 50)),  # interval width (0: unusable)
)


@given(st.lists(point, min_size=0, max_size=9, unique_by=lambda p: p[0]),
       st.sampled_from(analysis.POLARITIES), st.sampled_from(analysis.METHODS),
       st.sampled_from([1, 2]))
def test_trends_match_scalar(points, polarity, method, max_gap):
    frame = pd.DataFrame(points, columns=["year", "value", "x", "extra", "width"])
    frame = frame.assign(key=1, n=frame["x"] + frame["extra"],
                         lo=frame["value"] - frame["width"] / 2,
                         hi=frame["value"] + frame["width"] / 2)
    scalar = analysis.trend(frame["year"], frame["value"], polarity, method,
                            numerators=frame["x"], denominators=frame["n"], lo=frame["lo"],
                            hi=frame["hi"], max_gap=max_gap)
    vector = analysis.trends(frame, {1: polarity}, {1: method}, {1: max_gap})
    if frame["value"].notna().sum() == 0:
        assert vector.empty
        return
    v = vector.loc[1]
    assert v["direction"] == scalar.direction
    assert v["slope"] == pytest.approx(scalar.slope_per_year, rel=1e-9, abs=1e-9, nan_ok=True)
    assert v["chi2"] == pytest.approx(scalar.chi2, rel=1e-9, abs=1e-9, nan_ok=True)
    assert (v["first"], v["last"], v["n"]) == (scalar.first_year, scalar.last_year,
                                               scalar.n_points)


def test_trends_many_keys_at_once():
    """Keys side by side give what each gives alone (windows never cross keys)."""
    rows = []
    for key, values in ((1, [10, 11, 12, 13, 14, 15]), (2, [9, 9, 9]), (3, [30, 20, 40, 10, 50])):
        rows += [(key, 2018 + i, v, v * 100, 10_000) for i, v in enumerate(values)]
    frame = pd.DataFrame(rows, columns=["key", "year", "value", "x", "n"])
    out = analysis.trends(frame, {1: "low_good", 2: "low_good", 3: "high_good"},
                          {1: "proportion", 2: "proportion", 3: "proportion"})
    for key, part in frame.groupby("key"):
        alone = analysis.trend(part["year"], part["value"], out.index.map(
            {1: "low_good", 2: "low_good", 3: "high_good"}.get)[key - 1], "proportion",
            numerators=part["x"], denominators=part["n"])
        assert out.loc[key, "direction"] == alone.direction
    assert out["direction"].tolist() == ["worsening", "insufficient", "stable"]


def test_trends_reject_unknown_polarity():
    frame = pd.DataFrame({"key": [1] * 5, "year": range(2019, 2024), "value": [1.0] * 5})
    with pytest.raises(ValueError, match="'up'"):
        analysis.trends(frame, {1: "up"}, {1: "none"})
