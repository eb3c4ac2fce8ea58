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


@given(st.lists(st.tuples(st.integers(2000, 2030), st.floats(-1e3, 1e3)), min_size=0,
                max_size=9, unique_by=lambda t: t[0]),
       st.sampled_from(analysis.POLARITIES))
def test_trends_match_scalar(points, polarity):
    frame = pd.DataFrame(points, columns=["year", "value"]).assign(key=1)
    if frame.empty:
        return
    scalar = analysis.trend(frame["year"], frame["value"], polarity)
    vector = analysis.trends(frame, {1: polarity}).loc[1]
    assert vector["direction"] == scalar.direction
    if not math.isnan(scalar.slope_per_year):
        assert vector["slope"] == pytest.approx(scalar.slope_per_year, rel=1e-9, abs=1e-9)
    assert (vector["first"], vector["last"]) == (scalar.first_year, scalar.last_year)
