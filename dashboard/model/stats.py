"""Honest comparisons: confidence intervals, benchmarks, trends, highlights and positions.

The methods are those of PHEindicatormethods and Fingertips (UK public health statistics):
Wilson intervals for proportions; for crude rates exact Poisson limits below 10 events and
Byar's approximation from 10 (`phe_rate`); quantiles as `phe_quantile`; the recent trend as
Fingertips' five-point test. tests/test_stats_reference.py and tests/test_trend_fingertips.py
hold them to published and hand-worked values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

TABLE_LEVEL = 0.95
# Many indicators are screened at once for highlights, so a stricter level keeps chance
# findings out of the headline lists.
HIGHLIGHT_LEVEL = 0.998
# Fingertips' recent trend: the five most recent points, tested at 99.8 %.
TREND_LEVEL = 0.998
TREND_POINTS = 5
# Below this many events a rate's interval uses the exact Poisson limits (phe_rate).
EXACT_BELOW = 10

# Value per person for units whose numerator and denominator imply an interval.
SCALES: dict[str, float] = {
    "percent": 100.0,
    "per_1000": 1000.0,
    "per_10000": 10000.0,
    "per_100000": 100000.0,
}
METHODS = ("proportion", "rate", "none")
# Only these imply a denominator from value and numerator: a standardised rate or an index
# that also publishes a count has no denominator behind its value.
COUNT_METHODS = ("proportion", "rate")
POLARITIES = ("high_good", "low_good", "no_judgement")
OUTCOMES = ("better", "similar", "worse", "higher", "lower", "not_compared")
DIRECTIONS = ("improving", "worsening", "rising", "falling", "stable", "insufficient",
              "not_computable")
# How a group's value was made (situation rows carry it as `value_kind`).
VALUE_KINDS = ("pooled", "weighted_mean", "sum", "incomplete", "area_only")


def _missing(x) -> bool:
    """True for None and NaN, so callers can pass raw warehouse values."""
    return x is None or (isinstance(x, float | np.floating) and math.isnan(x)) or x is pd.NA


def _floats(seq: Sequence) -> np.ndarray:
    """Float array with None/NA as NaN: warehouse columns arrive with either."""
    return pd.Series(list(seq), dtype="Float64").to_numpy(dtype=float, na_value=np.nan)


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be in (0, 1), got {level}")


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}; expected one of "
                         + ", ".join(POLARITIES))


def check_polarities(polarity) -> np.ndarray:
    """The polarities as an object array; any value outside POLARITIES is an error.

    The vectorised paths call this so an unknown polarity can never be read as low_good.
    """
    arr = np.asarray(polarity, dtype=object)
    flat = arr.reshape(-1)
    bad = [p for p in dict.fromkeys(flat.tolist()) if p not in POLARITIES]
    if bad:
        raise ValueError(f"unknown polarity {', '.join(repr(p) for p in bad)}; expected one "
                         "of " + ", ".join(POLARITIES))
    return arr


# --- intervals ------------------------------------------------------------------------


def z_value(level: float) -> float:
    """Two-sided standard normal quantile: 0.95 → 1.96, 0.998 → 3.09."""
    _check_level(level)
    return float(stats.norm.ppf(0.5 + level / 2.0))


def wilson_interval(x: float, n: float, level: float = TABLE_LEVEL) -> tuple[float, float]:
    """Wilson score interval for x/n; unlike Wald it stays inside 0..1 and works at x=0."""
    if n <= 0 or x < 0 or x > n:
        raise ValueError(f"need 0 <= x <= n and n > 0, got x={x}, n={n}")
    z = z_value(level)
    p = x / n
    z2n = z * z / n
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z * math.sqrt(p * (1.0 - p) / n + z2n / (4.0 * n)) / (1.0 + z2n)
    lower = 0.0 if x == 0 else max(0.0, centre - half)
    upper = 1.0 if x == n else min(1.0, centre + half)
    return lower, upper


def byar_interval(x: float, level: float = TABLE_LEVEL) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson limits (PHEindicatormethods' byars_lower and
    byars_upper); poisson_interval uses it from EXACT_BELOW events. Where the cubed base
    turns negative (x = 1 at 99.8 %), PHE returns NA; this returns 0."""
    if x < 0:
        raise ValueError(f"count must be >= 0, got {x}")
    z = z_value(level)
    lower = 0.0
    if x > 0:
        lower = x * max(1.0 - 1.0 / (9.0 * x) - z / (3.0 * math.sqrt(x)), 0.0) ** 3
    x1 = x + 1.0
    upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * math.sqrt(x1))) ** 3
    return lower, upper


def poisson_interval(x: float, level: float = TABLE_LEVEL) -> tuple[float, float]:
    """Limits of a Poisson count as PHEindicatormethods' phe_rate computes them.

    Below EXACT_BELOW (10) events the exact limits from chi-square quantiles,
    chi2(alpha/2; 2x)/2 and chi2(1 - alpha/2; 2x + 2)/2 (0 below at x = 0); from 10 events
    Byar's approximation, within 0.2 % of exact there. Non-integer counts are accepted
    (the chi-square quantiles take any degrees of freedom).
    """
    if x < 0:
        raise ValueError(f"count must be >= 0, got {x}")
    _check_level(level)
    if x >= EXACT_BELOW:
        return byar_interval(x, level)
    alpha = 1.0 - level
    # (At a vanishing count the quantile underflows to NaN; its limit is 0.)
    lower = 0.0 if x == 0 else float(np.nan_to_num(stats.chi2.ppf(alpha / 2.0, 2.0 * x)))
    upper = float(stats.chi2.ppf(1.0 - alpha / 2.0, 2.0 * x + 2.0))
    return lower / 2.0, upper / 2.0


def denominator(value, abs_value, unit: str, method: str) -> float | None:
    """Denominator implied by value and numerator; Sotkanet publishes no denominators.

    Only a plain proportion or crude rate has one: for a standardised rate, an index or a
    weighted survey share, absValue * scale / value is a number without a meaning.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    scale = SCALES.get(unit)
    if (method not in COUNT_METHODS or scale is None or _missing(value) or _missing(abs_value)
            or value <= 0):
        return None
    n = float(abs_value) * scale / float(value)
    return n if n > 0 else None


def count_interval(x, n, unit: str, method: str, level: float = TABLE_LEVEL) -> tuple[float, float] | None:
    """Interval in the value's units from a numerator and a denominator (e.g. pooled ones)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    scale = SCALES.get(unit)
    if method == "none" or scale is None or _missing(x) or _missing(n) or n <= 0 or x < 0:
        return None
    if method == "proportion":
        if x > n:
            return None
        lower, upper = wilson_interval(x, n, level)
        return lower * scale, upper * scale
    lower, upper = poisson_interval(x, level)
    return lower / n * scale, upper / n * scale


def interval(
    value, abs_value, unit: str, method: str, level: float = TABLE_LEVEL
) -> tuple[float, float] | None:
    """Interval in the value's own units; None when no numerator or denominator is known."""
    n = denominator(value, abs_value, unit, method)
    if n is None:
        return None
    return count_interval(float(abs_value), n, unit, method, level)


# --- pooling and benchmarks -----------------------------------------------------------


@dataclass(frozen=True)
class Pooled:
    """A group's value and how it was made (`kind`, one of VALUE_KINDS)."""

    value: float
    abs_value: float | None
    denominator: float | None
    n_members: int  # members with a value
    kind: str


def pool(values: Sequence, abs_values: Sequence, unit: str, method: str,
         weights: Sequence | None = None) -> Pooled:
    """The group's value from every member's value, or none.

    A member without a value makes the group value "incomplete" (NaN): the others' value is
    not the group's. Counts add up ("sum"); plain proportions and crude rates pool their
    numerators and implied denominators ("pooled"); anything else is the members'
    population-weighted mean ("weighted_mean"), which needs every member's population.
    """
    vals, nums = _floats(values), _floats(abs_values)
    if len(vals) != len(nums) or (weights is not None and len(weights) != len(vals)):
        raise ValueError("values, abs_values and weights must have the same length")
    present = int((~np.isnan(vals)).sum())
    if present == 0 or present < len(vals):
        return Pooled(math.nan, None, None, present, "incomplete")
    if unit == "count":
        return Pooled(float(vals.sum()), None, None, present, "sum")
    dens = [denominator(v, a, unit, method) for v, a in zip(vals, nums, strict=True)]
    if all(d is not None for d in dens):
        x, n = float(nums.sum()), float(sum(dens))
        return Pooled(x / n * SCALES[unit], x, n, present, "pooled")
    w = _floats(weights) if weights is not None else np.full(len(vals), np.nan)
    if np.isfinite(w).all() and (w >= 0).all() and w.sum() > 0:
        return Pooled(float(np.average(vals, weights=w)), None, None, present, "weighted_mean")
    return Pooled(math.nan, None, None, present, "incomplete")


def rest_of_area(area_value, area_abs, part_value, part_abs, unit: str,
                 method: str) -> tuple[float, float] | None:
    """(value, abs_value) of the area without the part, so a part is not its own benchmark.

    Needs denominators on both sides, so only for plain proportions and crude rates.
    """
    n_area = denominator(area_value, area_abs, unit, method)
    n_part = denominator(part_value, part_abs, unit, method)
    if n_area is None or n_part is None:
        return None
    x, n = float(area_abs) - float(part_abs), n_area - n_part
    if n <= 0 or x < 0:
        return None
    return x / n * SCALES[unit], x


def area_benchmark(area_value, rest_value) -> tuple[np.ndarray, np.ndarray]:
    """(benchmark, label) per row: the rest of the area where it could be computed, else the
    area itself (labelled "area"); for groups and municipalities alike, whatever their size."""
    area_value, rest_value = (np.asarray(a, dtype=float) for a in (area_value, rest_value))
    use_rest = np.isfinite(rest_value)
    return (np.where(use_rest, rest_value, area_value),
            np.where(use_rest, "rest_of_area", "area").astype(object))


def compare(value, ci: tuple[float, float] | None, benchmark, polarity: str) -> str:
    """Single-overlap rule: a benchmark inside the interval is "similar"; else direction."""
    _check_polarity(polarity)
    if ci is None or _missing(value) or _missing(benchmark) or any(_missing(b) for b in ci):
        return "not_compared"
    lower, upper = ci
    if lower <= benchmark <= upper:
        return "similar"
    higher = benchmark < lower
    if polarity == "no_judgement":
        return "higher" if higher else "lower"
    return "better" if higher == (polarity == "high_good") else "worse"


# --- trends ---------------------------------------------------------------------------
# Fingertips' recent trend: exactly the TREND_POINTS most recent points, consecutive (no
# missing period), each with what the test needs; proportions by the chi-square test for
# trend on numerators and denominators, crude rates by a regression weighted by the inverse
# variance read from each point's 95 % interval; significant when the statistic exceeds the
# chi-square (1 df) quantile at 99.8 % (9.5495), unless leaving out any one point turns the
# gradient's sign (an outlier carries the trend): then no significant change.


def trend_critical(level: float = TREND_LEVEL) -> float:
    """Chi-square (1 df) critical value: 9.5495 at 99.8 %."""
    _check_level(level)
    return float(stats.chi2.ppf(level, 1))


def _slope_parts(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(gradient, S_tt) of the weighted least-squares line, along the last axis."""
    sw = w.sum(axis=-1, keepdims=True)
    tc = t - (w * t).sum(axis=-1, keepdims=True) / sw
    yc = y - (w * y).sum(axis=-1, keepdims=True) / sw
    stt = (w * tc * tc).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (w * tc * yc).sum(axis=-1) / stt, stt


def _sign(b: np.ndarray, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Sign of a gradient, 0 when it is floating-point noise on a flat series."""
    span = t.max(axis=-1) - t.min(axis=-1)
    noise = 1e-12 * np.maximum(np.abs(y).max(axis=-1), 1e-300) / np.where(span > 0, span, 1)
    return np.where(np.abs(b) <= noise, 0, np.sign(b)).astype(int)


def _trend_test(t, v, x, n, lo, hi, proportion):
    """Gradient sign, statistic, outlier flip and slope (value units) of points on the last
    axis (TREND_POINTS of them); `proportion` picks the chi-square test for trend."""
    z = z_value(TABLE_LEVEL)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(proportion[..., None], x / n, v)
        var = ((hi - lo) / (2.0 * z)) ** 2
        w = np.where(proportion[..., None], n, 1.0 / var)
        pooled = x.sum(axis=-1) / n.sum(axis=-1)
        phi = np.where(proportion, pooled * (1.0 - pooled), 1.0)
    tt = t - t[..., :1]
    b, stt = _slope_parts(tt, p, w)
    sign = _sign(b, p, tt)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(phi > 0, b * b * stt / np.where(phi > 0, phi, 1.0), 0.0)
    flip = np.zeros(sign.shape, dtype=bool)
    k = t.shape[-1]
    for j in range(k):
        keep = [i for i in range(k) if i != j]
        bj, _ = _slope_parts(tt[..., keep], p[..., keep], w[..., keep])
        flip |= _sign(bj, p[..., keep], tt[..., keep]) != sign
    slope, _ = _slope_parts(tt, v, w)  # in the value's units per year
    return sign, chi2, flip, slope


@dataclass(frozen=True)
class Trend:
    """Direction of the recent series by Fingertips' test; slope and chi2 NaN when untested."""

    direction: str
    slope_per_year: float
    chi2: float
    n_points: int
    first_year: int | None
    last_year: int | None


def _direction(sign: int, significant: bool, polarity: str) -> str:
    if not significant:
        return "stable"
    if polarity == "no_judgement":
        return "rising" if sign > 0 else "falling"
    return "improving" if (sign > 0) == (polarity == "high_good") else "worsening"


def trend(years: Sequence, values: Sequence, polarity: str, method: str, *,
          numerators: Sequence | None = None, denominators: Sequence | None = None,
          lo: Sequence | None = None, hi: Sequence | None = None, max_gap: int = 1,
          level: float = TREND_LEVEL, points: int = TREND_POINTS) -> Trend:
    """Fingertips' recent trend of one series (the reference for `trends`).

    Points are the years with a value; the last `points` of them must be consecutive (no
    gap over `max_gap` years: 1 for annual data, 2 for surveys every other year) and each
    must have a numerator and denominator (proportion) or a 95 % interval (rate), else
    "insufficient". An indicator without an interval method ("none") has no trend:
    "not_computable".
    """
    _check_polarity(polarity)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    size = len(years)

    def column(seq):
        return np.full(size, np.nan) if seq is None else _floats(seq)

    frame = pd.DataFrame({"year": _floats(years), "value": _floats(values),
                          "x": column(numerators), "n": column(denominators),
                          "lo": column(lo), "hi": column(hi)})
    frame = frame[np.isfinite(frame["year"]) & np.isfinite(frame["value"])]
    window = frame.sort_values("year", kind="mergesort").tail(points)
    k = len(window)
    first = int(window["year"].iloc[0]) if k else None
    last = int(window["year"].iloc[-1]) if k else None
    if method == "none":
        return Trend("not_computable", math.nan, math.nan, k, first, last)
    year = window["year"].to_numpy()
    gaps = np.diff(year)
    x, n = window["x"].to_numpy(), window["n"].to_numpy()
    low, high = window["lo"].to_numpy(), window["hi"].to_numpy()
    if method == "proportion":
        usable = bool((np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)).all())
    else:
        usable = bool((np.isfinite(low) & np.isfinite(high) & (high > low)).all())
    if k < points or not ((gaps > 0) & (gaps <= max_gap)).all() or not usable:
        return Trend("insufficient", math.nan, math.nan, k, first, last)
    sign, chi2, flip, slope = _trend_test(year, window["value"].to_numpy(), x, n, low, high,
                                          np.bool_(method == "proportion"))
    significant = bool(chi2 > trend_critical(level)) and not bool(flip) and int(sign) != 0
    return Trend(_direction(int(sign), significant, polarity), float(slope), float(chi2), k,
                 first, last)


# --- highlights and positions ---------------------------------------------------------


def select_highlights(rows: pd.DataFrame, max_each: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(strengths, challenges): only significant better/worse rows, the strongest first."""
    strengths = _top(rows, "better", "improving", max_each)
    challenges = _top(rows, "worse", "worsening", max_each)
    return strengths, challenges


def _top(rows: pd.DataFrame, outcome: str, direction: str, max_each: int) -> pd.DataFrame:
    """Rows with the outcome; the reinforcing trend first, then by distance, then by id."""
    at = top_positions(rows["outcome"], rows["trend"], rows["rel_diff"], rows["indicator_id"],
                       outcome, direction, max_each)
    return rows.iloc[at].reset_index(drop=True)


def top_positions(outcome, trend, rel_diff, indicator_id, wanted: str, direction: str,
                  max_each: int) -> np.ndarray:
    """_top's rule on columns: positions of the rows to show, in showing order."""
    outcome = np.asarray(outcome, dtype=object)
    picked = np.flatnonzero(outcome == wanted)
    if not len(picked):
        return picked
    lead = (np.asarray(trend, dtype=object)[picked] != direction).astype(int)
    dist = np.abs(np.asarray(pd.to_numeric(np.asarray(rel_diff)[picked], errors="coerce"),
                             dtype=float))
    # Largest distance first, unknown distances last; lexsort is stable like mergesort
    # (its last key sorts first).
    far = np.where(np.isnan(dist), np.inf, -dist)
    order = np.lexsort((np.asarray(indicator_id)[picked], far, lead))
    return picked[order[:max_each]]


def quantile_groups(values: pd.Series, nquantiles: int = 5, invert: bool = False) -> pd.Series:
    """PHEindicatormethods' phe_quantile: quantile 1..nquantiles of each known value.

    Ranks with ties at their lowest rank ("min"); quantile = floor((q + 1) - ceil(((N + 1) -
    rank) / (N / q))), 0 read as 1 (R/Quantiles.R, the same floating-point expression); no
    quantile at all when fewer than q values are known. invert=False: 1 = lowest values.
    """
    if int(nquantiles) != nquantiles or nquantiles < 1:
        raise ValueError(f"nquantiles must be a positive integer, got {nquantiles}")
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    known = int(v.notna().sum())
    if known < nquantiles:
        return pd.Series(pd.NA, index=v.index, dtype="Int64")
    ranks = (-v if invert else v).rank(method="min")
    q = np.floor((nquantiles + 1) - np.ceil(((known + 1) - ranks) / (known / nquantiles)))
    return q.where(q != 0, 1.0).astype("Int64")


def quintiles(values: pd.Series) -> pd.Series:
    """Relative position 1..5 (1 = lowest) among the known values; says nothing of good/bad.

    phe_quantile's rule (quantile_groups): ties share the lowest rank's fifth, and fewer
    than five known values get no quintile at all.
    """
    return quantile_groups(values, 5, invert=False)


def rank(values: pd.Series, polarity: str) -> pd.Series:
    """Rank with 1 = best by polarity (1 = highest when polarity makes no judgement)."""
    _check_polarity(polarity)
    ascending = polarity == "low_good"
    return values.rank(method="min", ascending=ascending).astype("Int64")


# --- vectorised forms (same rules, whole columns at once) -------------------------------
# The overview computes hundreds of intervals and comparisons per view; these keep it in
# numpy. tests/test_analysis_vectorised.py holds them equal to the scalar functions above.


def count_intervals(x, n, scale, method, level: float = TABLE_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """count_interval over arrays; NaN where no interval can be computed."""
    _check_level(level)
    x, n, scale = (np.asarray(a, dtype=float) for a in (x, n, scale))
    method = np.asarray(method, dtype=object)
    x, n, scale, method = np.broadcast_arrays(x, n, scale, method)
    z = z_value(level)
    lo = np.full(x.shape, np.nan)
    hi = np.full(x.shape, np.nan)
    valid = np.isfinite(x) & np.isfinite(n) & np.isfinite(scale) & (n > 0) & (x >= 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        prop = valid & (method == "proportion") & (x <= n)
        p = np.where(prop, x / np.where(n > 0, n, 1.0), 0.0)
        nn = np.where(prop, n, 1.0)
        z2n = z * z / nn
        centre = (p + z2n / 2.0) / (1.0 + z2n)
        half = z * np.sqrt(np.maximum(p * (1.0 - p) / nn + z2n / (4.0 * nn), 0.0)) / (1.0 + z2n)
        w_lo = np.where(x == 0, 0.0, np.maximum(0.0, centre - half))
        w_hi = np.where(x == n, 1.0, np.minimum(1.0, centre + half))
        lo = np.where(prop, w_lo * scale, lo)
        hi = np.where(prop, w_hi * scale, hi)

        rate = valid & (method == "rate")
        xs = np.where(rate & (x > 0), x, 1.0)
        base = 1.0 - 1.0 / (9.0 * xs) - z / (3.0 * np.sqrt(xs))
        p_lo = np.where(x > 0, xs * np.maximum(base, 0.0) ** 3, 0.0)
        x1 = np.where(rate, x, 0.0) + 1.0
        p_hi = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * np.sqrt(x1))) ** 3
        exact = np.flatnonzero(rate & (x < EXACT_BELOW))
        if len(exact):  # phe_rate: exact chi-square limits below 10 events
            alpha = 1.0 - level
            xe = x[exact]
            p_lo[exact] = np.where(xe > 0, np.nan_to_num(stats.chi2.ppf(
                alpha / 2.0, 2.0 * np.where(xe > 0, xe, 1.0))) / 2.0, 0.0)
            p_hi[exact] = stats.chi2.ppf(1.0 - alpha / 2.0, 2.0 * xe + 2.0) / 2.0
        lo = np.where(rate, p_lo / np.where(rate, n, 1.0) * scale, lo)
        hi = np.where(rate, p_hi / np.where(rate, n, 1.0) * scale, hi)
    return lo, hi


def compare_many(value, lo, hi, benchmark, polarity) -> np.ndarray:
    """compare() over arrays: the single-overlap rule with each row's polarity."""
    value, lo, hi, benchmark = (np.asarray(a, dtype=float) for a in (value, lo, hi, benchmark))
    polarity = np.broadcast_to(check_polarities(polarity), value.shape)
    known = np.isfinite(value) & np.isfinite(lo) & np.isfinite(hi) & np.isfinite(benchmark)
    inside = known & (lo <= benchmark) & (benchmark <= hi)
    higher = benchmark < lo
    neutral = polarity == "no_judgement"
    good = np.where(polarity == "high_good", higher, ~higher)
    return np.select(
        [~known, inside, neutral & higher, neutral, good],
        ["not_compared", "similar", "higher", "lower", "better"],
        default="worse",
    ).astype(object)


TREND_COLUMNS = ["direction", "slope", "chi2", "first", "last", "n"]


def _per_key(keys: np.ndarray, mapping, name: str, default=None) -> np.ndarray:
    series = mapping if isinstance(mapping, pd.Series) else pd.Series(
        dict(mapping) if mapping is not None else {}, dtype=object)
    at = pd.Index(series.index).get_indexer(keys)
    if default is None and (at < 0).any():
        raise KeyError(f"no {name} for keys {keys[at < 0][:5].tolist()}")
    values = series.to_numpy(dtype=object)
    return np.array([values[i] if i >= 0 else default for i in at], dtype=object)


def trends(frame: pd.DataFrame, polarity: Mapping, method: Mapping,
           max_gap: Mapping | None = None, level: float = TREND_LEVEL,
           points: int = TREND_POINTS) -> pd.DataFrame:
    """trend() per key, on whole columns: every key's last `points` points side by side.

    `frame`: key, year, value and, as the methods need them, x and n (numerator and
    denominator) and lo and hi (95 % interval); `polarity`, `method` and `max_gap` (default
    1) map each key. Returns TREND_COLUMNS indexed by key (keys with a value only).
    """
    size = len(frame)

    def col(name):
        if name in frame:
            return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float,
                                                                        na_value=np.nan)
        return np.full(size, np.nan)

    key = frame["key"].to_numpy()
    year, value = col("year"), col("value")
    keep = np.isfinite(year) & np.isfinite(value)
    key, year, value = key[keep], year[keep], value[keep]
    x, n, lo, hi = (col(c)[keep] for c in ("x", "n", "lo", "hi"))
    if not len(key):
        return pd.DataFrame({c: [] for c in TREND_COLUMNS}, index=pd.Index([], name="key"))
    order = np.lexsort((year, key))
    key, year, value, x, n, lo, hi = (a[order] for a in (key, year, value, x, n, lo, hi))
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)] - 1
    keys = key[starts]
    count = ends - starts + 1
    # The window: each key's last `points` rows (a short key repeats its first row).
    idx = np.maximum(ends[:, None] + np.arange(1 - points, 1)[None, :], starts[:, None])
    yr, v, xx, nn, low, high = (a[idx] for a in (year, value, x, n, lo, hi))

    pol = check_polarities(_per_key(keys, polarity, "polarity"))
    meth = _per_key(keys, method, "method")
    unknown = sorted({str(m) for m in meth if m not in METHODS})
    if unknown:
        raise ValueError(f"unknown method {', '.join(unknown)}")
    gap_limit = _per_key(keys, max_gap, "max_gap", default=1).astype(float)
    prop, rate = meth == "proportion", meth == "rate"
    gaps = np.diff(yr, axis=1)
    with np.errstate(invalid="ignore"):
        consecutive = ((gaps > 0) & (gaps <= gap_limit[:, None])).all(axis=1)
        ok_prop = (np.isfinite(xx) & np.isfinite(nn) & (nn > 0) & (xx >= 0)
                   & (xx <= nn)).all(axis=1)
        ok_rate = (np.isfinite(low) & np.isfinite(high) & (high > low)).all(axis=1)
    testable = (count >= points) & consecutive & ((prop & ok_prop) | (rate & ok_rate))

    sign = np.zeros(len(keys), dtype=int)
    chi2 = np.full(len(keys), np.nan)
    flip = np.zeros(len(keys), dtype=bool)
    slope = np.full(len(keys), np.nan)
    at = np.flatnonzero(testable)
    if len(at):
        # Untestable rows stay out of the arithmetic (their gaps would be NaN noise).
        s, c, f, b = _trend_test(yr[at], v[at], xx[at], nn[at], low[at], high[at], prop[at])
        sign[at], chi2[at], flip[at], slope[at] = s, c, f, b
    significant = testable & (chi2 > trend_critical(level)) & ~flip & (sign != 0)
    rising = sign > 0
    direction = np.select(
        [meth == "none", ~testable, ~significant, pol == "no_judgement"],
        ["not_computable", "insufficient", "stable", np.where(rising, "rising", "falling")],
        default=np.where(rising == (pol == "high_good"), "improving", "worsening"),
    ).astype(object)
    shown = np.minimum(count, points)
    return pd.DataFrame(
        {"direction": direction, "slope": slope, "chi2": chi2,
         "first": yr[np.arange(len(keys)), points - shown].astype(int),
         "last": yr[:, -1].astype(int), "n": shown},
        index=pd.Index(keys, name="key"),
    )
