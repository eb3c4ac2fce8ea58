"""Honest comparisons: confidence intervals, benchmarks, trends, highlights and positions."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

TABLE_LEVEL = 0.95
# Many indicators are screened at once for highlights, so a stricter level keeps chance
# findings out of the headline lists.
HIGHLIGHT_LEVEL = 0.998

# Value per person for units whose numerator and denominator imply an interval.
SCALES: dict[str, float] = {
    "percent": 100.0,
    "per_1000": 1000.0,
    "per_10000": 10000.0,
    "per_100000": 100000.0,
}
METHODS = ("proportion", "rate", "none")
POLARITIES = ("high_good", "low_good", "no_judgement")
OUTCOMES = ("better", "similar", "worse", "higher", "lower", "not_compared")
DIRECTIONS = ("improving", "worsening", "rising", "falling", "stable", "insufficient")


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
        raise ValueError(f"unknown polarity {polarity!r}")


# --- intervals ------------------------------------------------------------------------


def z_value(level: float) -> float:
    """Two-sided standard normal quantile: 0.95 → 1.96, 0.998 → 3.09."""
    _check_level(level)
    return NormalDist().inv_cdf(0.5 + level / 2.0)


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


def poisson_interval(x: float, level: float = TABLE_LEVEL) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson limits of an expected count.

    Within 0.2 % of exact for x >= 10; for x < 5 its lower limit falls below the exact one
    (wider, so it errs towards "similar"). Works for non-integer counts too.
    """
    if x < 0:
        raise ValueError(f"count must be >= 0, got {x}")
    z = z_value(level)
    if x == 0:
        lower = 0.0
    else:
        base = 1.0 - 1.0 / (9.0 * x) - z / (3.0 * math.sqrt(x))
        # The cube of a negative base would give a negative count at small x and high levels.
        lower = x * max(base, 0.0) ** 3
    x1 = x + 1.0
    upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * math.sqrt(x1))) ** 3
    return lower, upper


def denominator(value, abs_value, unit: str) -> float | None:
    """Denominator implied by value and numerator; Sotkanet publishes no denominators."""
    scale = SCALES.get(unit)
    if scale is None or _missing(value) or _missing(abs_value) or value <= 0:
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
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    n = denominator(value, abs_value, unit)
    if n is None:
        return None
    return count_interval(float(abs_value), n, unit, method, level)


# --- pooling and benchmarks -----------------------------------------------------------


@dataclass(frozen=True)
class Pooled:
    """A group's value; complete=False means a weighted mean with no interval behind it."""

    value: float
    abs_value: float | None
    denominator: float | None
    n_members: int
    complete: bool


def pool(values: Sequence, abs_values: Sequence, unit: str, weights: Sequence | None = None) -> Pooled:
    """Pool members' numerators and implied denominators so the group gets a true rate."""
    vals, nums = _floats(values), _floats(abs_values)
    if len(vals) != len(nums) or (weights is not None and len(weights) != len(vals)):
        raise ValueError("values, abs_values and weights must have the same length")
    keep = ~np.isnan(vals)
    if not keep.any():
        return Pooled(math.nan, None, None, 0, False)
    dens = [denominator(v, a, unit) for v, a in zip(vals[keep], nums[keep], strict=True)]
    if all(d is not None for d in dens):
        x, n = float(nums[keep].sum()), float(sum(dens))
        return Pooled(x / n * SCALES[unit], x, n, int(keep.sum()), True)
    return Pooled(_mean(vals[keep], weights, keep), None, None, int(keep.sum()), False)


def _mean(vals: np.ndarray, weights: Sequence | None, keep: np.ndarray) -> float:
    """Population-weighted mean when every weight is usable, else the plain mean."""
    if weights is not None:
        w = _floats(weights)[keep]
        if np.isfinite(w).all() and w.sum() > 0:
            return float(np.average(vals, weights=w))
    return float(vals.mean())


def rest_of_area(area_value, area_abs, part_value, part_abs, unit: str) -> tuple[float, float] | None:
    """(value, abs_value) of the area without the part, so a group is not its own benchmark."""
    n_area = denominator(area_value, area_abs, unit)
    n_part = denominator(part_value, part_abs, unit)
    if n_area is None or n_part is None:
        return None
    x, n = float(area_abs) - float(part_abs), n_area - n_part
    if n <= 0 or x < 0:
        return None
    return x / n * SCALES[unit], x


def benchmark_label(group_population, area_population, threshold: float = 0.3) -> str:
    """Pick "rest_of_area" when the group is a large share of its area, else "area"."""
    if _missing(group_population) or _missing(area_population) or area_population <= 0:
        return "area"
    return "rest_of_area" if group_population > threshold * area_population else "area"


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


def t_two_sided_prob(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with integer df (exact trigonometric series)."""
    if df < 1 or int(df) != df:
        raise ValueError(f"df must be a positive integer, got {df}")
    theta = math.atan(abs(t) / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2:  # odd df: (2/pi)(theta + sin cos (1 + 2/3 c2 + 2*4/(3*5) c2^2 + ...))
        term, total = 1.0, 1.0 if df > 1 else 0.0
        for k in range(1, (df - 1) // 2):
            term *= (2 * k) / (2 * k + 1) * c2
            total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0  # even df: sin (1 + 1/2 c2 + 1*3/(2*4) c2^2 + ...)
    for k in range(1, df // 2):
        term *= (2 * k - 1) / (2 * k) * c2
        total += term
    return math.sin(theta) * total


def t_value(level: float, df: int) -> float:
    """Two-sided Student t quantile by bisection on the exact integer-df distribution."""
    _check_level(level)
    return _t_value(level, df)


@functools.lru_cache(maxsize=512)
def _t_value(level: float, df: int) -> float:
    # Cached: trends() asks for the same few (level, df) pairs for every indicator, and
    # each answer costs a 100-step bisection.
    lo, hi = 0.0, max(1.0, z_value(level))
    while t_two_sided_prob(hi, df) < level:
        lo, hi = hi, hi * 2.0
    for _ in range(100):
        mid = (lo + hi) / 2.0
        if t_two_sided_prob(mid, df) < level:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


@dataclass(frozen=True)
class Trend:
    """Direction of the recent series, judged on the slope's confidence interval."""

    direction: str
    slope_per_year: float
    n_points: int
    first_year: int | None
    last_year: int | None


def trend(
    years: Sequence,
    values: Sequence,
    polarity: str,
    level: float = TABLE_LEVEL,
    points: int = 5,
    min_points: int = 4,
) -> Trend:
    """OLS trend of the last `points` observations; "stable" unless the slope CI excludes 0."""
    _check_polarity(polarity)
    frame = pd.DataFrame({"year": _floats(years), "value": _floats(values)})
    frame = frame.dropna().sort_values("year", kind="mergesort").tail(points)
    x, y = frame["year"].to_numpy(), frame["value"].to_numpy()
    n = len(x)
    first = int(x[0]) if n else None
    last = int(x[-1]) if n else None
    sxx = float(((x - x.mean()) ** 2).sum()) if n else 0.0
    if n < max(min_points, 3) or sxx == 0:
        return Trend("insufficient", math.nan, n, first, last)
    slope = float(((x - x.mean()) * (y - y.mean())).sum()) / sxx
    # Floating-point noise on a flat series must not read as a trend.
    if abs(slope) * (x[-1] - x[0]) <= 1e-12 * max(float(np.abs(y).max()), 1.0):
        slope = 0.0
    residuals = y - y.mean() - slope * (x - x.mean())
    se = math.sqrt(float((residuals**2).sum()) / (n - 2) / sxx)
    significant = slope != 0 and (se == 0 or abs(slope) / se > t_value(level, n - 2))
    return Trend(_direction(slope, significant, polarity), slope, n, first, last)


def _direction(slope: float, significant: bool, polarity: str) -> str:
    if not significant:
        return "stable"
    if polarity == "no_judgement":
        return "rising" if slope > 0 else "falling"
    return "improving" if (slope > 0) == (polarity == "high_good") else "worsening"


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


def quintiles(values: pd.Series) -> pd.Series:
    """Relative position 1..5 (1 = lowest) among the known values; says nothing of good/bad."""
    ranks = values.rank(method="average")
    n = int(values.notna().sum())
    if n == 0:
        return pd.Series(pd.NA, index=values.index, dtype="Int64")
    return np.ceil(5.0 * ranks / n).astype("Int64")


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
    x, n, scale = (np.asarray(a, dtype=float) for a in (x, n, scale))
    method = np.asarray(method, dtype=object)
    x, n, scale, method = np.broadcast_arrays(x, n, scale, method)
    z = z_value(level)
    lo = np.full(x.shape, np.nan)
    hi = np.full(x.shape, np.nan)
    valid = np.isfinite(x) & np.isfinite(n) & np.isfinite(scale) & (n > 0) & (x >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
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
        lo = np.where(rate, p_lo / np.where(rate, n, 1.0) * scale, lo)
        hi = np.where(rate, p_hi / np.where(rate, n, 1.0) * scale, hi)
    return lo, hi


def compare_many(value, lo, hi, benchmark, polarity) -> np.ndarray:
    """compare() over arrays: the single-overlap rule with each row's polarity."""
    value, lo, hi, benchmark = (np.asarray(a, dtype=float) for a in (value, lo, hi, benchmark))
    polarity = np.broadcast_to(np.asarray(polarity, dtype=object), value.shape)
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


def trends(
    frame: pd.DataFrame, polarity: dict, level: float = TABLE_LEVEL, points: int = 5, min_points: int = 4
) -> pd.DataFrame:
    """trend() per key: `frame` has key, year, value; returns direction, slope, first, last."""
    f = frame.dropna(subset=["value"]).sort_values(["key", "year"], kind="mergesort")
    f = f.groupby("key", sort=False).tail(points)
    g = f.groupby("key", sort=False)
    n = g["year"].transform("size").to_numpy()
    xm = g["year"].transform("mean").to_numpy()
    ym = g["value"].transform("mean").to_numpy()
    dx = f["year"].to_numpy(dtype=float) - xm
    dy = f["value"].to_numpy(dtype=float) - ym
    parts = pd.DataFrame(
        {
            "key": f["key"].to_numpy(),
            "sxx": dx * dx,
            "sxy": dx * dy,
            "yabs": np.abs(f["value"].to_numpy(dtype=float)),
            "dx": dx,
            "dy": dy,
            "year": f["year"].to_numpy(),
            "n": n,
        }
    )
    agg = parts.groupby("key", sort=False).agg(
        sxx=("sxx", "sum"),
        sxy=("sxy", "sum"),
        ymax=("yabs", "max"),
        n=("n", "first"),
        first=("year", "min"),
        last=("year", "max"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(agg["sxx"] > 0, agg["sxy"] / agg["sxx"], np.nan)
    span = (agg["last"] - agg["first"]).to_numpy(dtype=float)
    flat = np.abs(slope) * span <= 1e-12 * np.maximum(agg["ymax"].to_numpy(), 1.0)
    slope = np.where(flat & np.isfinite(slope), 0.0, slope)
    slope_by_key = pd.Series(slope, index=agg.index)
    resid = parts["dy"].to_numpy() - slope_by_key.reindex(parts["key"]).to_numpy() * parts["dx"].to_numpy()
    sse = pd.Series(resid * resid).groupby(parts["key"].to_numpy(), sort=False).sum().reindex(agg.index)
    nn = agg["n"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(sse.to_numpy() / np.maximum(nn - 2, 1) / agg["sxx"].to_numpy())
    tcrit = np.array([t_value(level, int(k) - 2) if k > 2 else np.inf for k in nn])
    enough = (nn >= max(min_points, 3)) & (agg["sxx"].to_numpy() > 0)
    significant = enough & (slope != 0) & ((se == 0) | (np.abs(slope) / np.where(se > 0, se, 1) > tcrit))
    pol = np.array([polarity[k] for k in agg.index], dtype=object)
    rising = slope > 0
    direction = np.select(
        [~enough, ~significant, pol == "no_judgement"],
        ["insufficient", "stable", np.where(rising, "rising", "falling")],
        default=np.where(rising == (pol == "high_good"), "improving", "worsening"),
    )
    return pd.DataFrame(
        {
            "direction": direction,
            "slope": np.where(enough, slope, np.nan),
            "first": agg["first"].to_numpy(),
            "last": agg["last"].to_numpy(),
            "n": nn,
        },
        index=agg.index,
    )
