"""A municipality group's situation per indicator: pooled value, benchmarks, trend, spread.

Pure (no Streamlit, no DuckDB): frames in, frames out, so the overview page, the
presenter mode and the exports all tell the same story from the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.i18n import names
from dashboard.model import stats as analysis

SMALL_POPULATION = 2_000  # below this, year-to-year noise dominates: say so
TREND_POINTS = analysis.TREND_POINTS
# The largest gap between consecutive points of a trend, by publication schedule: surveys
# run every other year (the adult survey's rounds also a year apart) are consecutive when
# two years apart. Unknown or missing schedules count as annual.
MAX_GAP = {"annual": 1, "biennial_odd": 2, "biennial_even": 2, "terve_suomi": 2}


@dataclass(frozen=True)
class Context:
    """Who is compared with whom."""

    members: tuple[int, ...]
    names: dict[int, str]
    populations: dict[int, float]
    area_id: int
    country_id: int
    benchmark: str = "area"  # area | country


@dataclass
class Situation:
    rows: pd.DataFrame      # one row per indicator
    members: pd.DataFrame   # one row per indicator and member municipality (latest year)
    series: pd.DataFrame    # group / area / country per indicator and year, for charts


ROW_COLUMNS = [
    "indicator_id", "name", "priority", "polarity", "unit", "decimals", "method", "year",
    "county_only", "value", "value_kind", "abs_value", "denominator", "lo", "hi", "lo998",
    "hi998", "present", "n_members", "complete", "area_value", "area_abs", "benchmark_label",
    "benchmark_value", "country_value", "outcome_area", "outcome_country", "outcome_highlight",
    "rel_diff", "trend", "trend_slope", "trend_chi2", "trend_from", "trend_to", "spread_min",
    "spread_max", "spread_min_name", "spread_max_name", "small_members", "load_status",
]
MEMBER_COLUMNS = ["indicator_id", "region_id", "name", "year", "value", "abs_value", "lo", "hi",
                  "benchmark_value", "benchmark_label", "outcome", "population", "small"]
SERIES_COLUMNS = ["indicator_id", "series", "year", "value", "lo", "hi"]


def build(indicators: pd.DataFrame, observations: pd.DataFrame, ctx: Context) -> Situation:
    """`indicators`: warehouse indicator rows; `observations`: total gender, all years.

    A group's value is the group's: each indicator is shown for the latest year in which
    every member has a value (`complete`); when no such year exists, the latest year with
    any member's value is shown without a group value (value_kind "incomplete": never
    compared, coloured or highlighted). Benchmarks: the rest of the area (area minus the
    group's numerators and denominators) wherever it can be computed, else the area itself.

    Works on column arrays, with one pandas groupby for the pooled sums (its compensated
    summation is the reference): the overview recomputes this for every group and benchmark
    a presenter clicks through, and pandas' per-operation overhead on frames merged and
    filtered step by step, not the arithmetic, used to be most of the time.
    """
    ind = _indicator_columns(indicators)
    obs = _observation_columns(observations, ind, ctx.members)
    n_ind = len(ind["indicator_id"])
    pooled = _pool(obs, ind, ctx)

    # The year each indicator is shown for: the group's latest complete year, else its
    # latest with any member (shown as incomplete), else the area's (surveys published
    # only for the county).
    row_at = np.arange(len(pooled["pos"]))  # sorted by indicator and year
    latest_any = np.full(n_ind, -1, dtype=np.int64)
    np.maximum.at(latest_any, pooled["pos"], row_at)
    latest = np.full(n_ind, -1, dtype=np.int64)
    np.maximum.at(latest, pooled["pos"][pooled["complete"]], row_at[pooled["complete"]])
    latest = np.where(latest >= 0, latest, latest_any)
    area = obs["region_id"] == ctx.area_id
    country = obs["region_id"] == ctx.country_id
    area_year = np.full(n_ind, np.nan)
    np.fmax.at(area_year, obs["pos"][area], obs["year"][area].astype(float))
    county_only = latest < 0
    year = np.where(county_only, area_year, _take(pooled["year"].astype(float), latest))

    rows: dict = {c: ind[c] for c in ("indicator_id", "name", "priority", "polarity", "unit",
                                      "decimals", "method", "load_status")}
    rows["county_only"] = county_only
    for c in ("value", "abs_value", "denominator", "lo", "hi", "lo998", "hi998"):
        rows[c] = _take(pooled[c], latest)
    rows["value_kind"] = np.where(county_only, "area_only",
                                  _take(pooled["kind"], latest, "incomplete")).astype(object)
    rows["present"] = _take(pooled["present"], latest, 0)
    rows["complete"] = _take(pooled["complete"], latest, False)
    rows["n_members"] = np.full(n_ind, len(ctx.members), dtype=np.int64)

    shown_key = obs["keys"].of(ind["indicator_id"], year)
    at_area = obs["keys"].find(area, shown_key)
    at_country = obs["keys"].find(country, shown_key)
    rows["area_value"] = _take(obs["value"], at_area)
    rows["area_abs"] = _take(obs["abs_value"], at_area)
    rows["area_den"] = _take(obs["den"], at_area)
    rows["country_value"] = _take(obs["value"], at_country)
    _with_benchmarks(rows, ind, ctx)
    _with_trends(rows, pooled, ind, year)
    members = _members(rows, ind, obs, year, shown_key, ctx)
    _with_spread(rows, members, ind, ctx)
    rows["year"] = pd.Series(year).astype("Int64").astype(object).where(~np.isnan(year), None)
    series = _series(pooled, obs, area, country, ind)
    return Situation(rows=pd.DataFrame({c: rows[c] for c in ROW_COLUMNS}),
                     members=pd.DataFrame({c: members[c] for c in MEMBER_COLUMNS}),
                     series=pd.DataFrame({c: series[c] for c in SERIES_COLUMNS}))


def _take(values: np.ndarray, at: np.ndarray, missing=np.nan) -> np.ndarray:
    """values[at], `missing` where at is -1 (an outer join's gaps)."""
    if len(values) == 0:
        return np.full(len(at), missing, dtype=np.result_type(np.asarray(values).dtype,
                                                                np.asarray(missing)))
    out = values[np.maximum(at, 0)]
    return np.where(at >= 0, out, missing)


def _indicator_columns(indicators: pd.DataFrame) -> dict:
    method = indicators["comparison"].fillna("none")
    unit = indicators["unit"]
    units = unit.to_numpy(dtype=object)
    methods = method.to_numpy(dtype=object)
    polarities = indicators["polarity"].to_numpy(dtype=object)
    for iid, pol in zip(indicators["indicator_id"].tolist(), polarities, strict=True):
        if pol not in analysis.POLARITIES:  # never read an unknown polarity as low_good
            raise ValueError(f"indicator {iid}: field 'polarity' is {pol!r}; expected one of "
                             + ", ".join(analysis.POLARITIES))
    schedules = (indicators["schedule"].to_numpy(dtype=object) if "schedule" in indicators
                 else np.full(len(units), "annual", dtype=object))
    return {
        "indicator_id": indicators["indicator_id"].to_numpy(),
        "index": pd.Index(indicators["indicator_id"]),
        # Extension arrays, so the rows keep the warehouse's string dtype.
        "name": names.display(indicators, "short").array, "priority": indicators["priority"].array,
        "polarity": indicators["polarity"].array, "unit": unit.array, "method": method.array,
        "load_status": indicators["load_status"].array,
        "decimals": indicators["decimals"].astype(int).to_numpy(),
        "scale": np.array([analysis.SCALES.get(u, np.nan) for u in units], dtype=float),
        # Denominators are implied only for plain proportions and crude rates.
        "count_scale": np.array([analysis.SCALES.get(u, np.nan)
                                 if m in analysis.COUNT_METHODS else np.nan
                                 for u, m in zip(units, methods, strict=True)], dtype=float),
        "units": units, "methods": methods, "polarities": polarities,
        "max_gap": np.array([MAX_GAP.get(s, 1) for s in schedules], dtype=float),
    }


class _Keys:
    """(indicator, year) as one integer per observation, for outer-join look-ups."""

    def __init__(self, indicator_id: np.ndarray, year: np.ndarray):
        self.first = int(year.min()) if len(year) else 0
        self.span = (int(year.max()) - self.first + 1) if len(year) else 1
        self.keys = self.of(indicator_id, year)

    def of(self, indicator_id, year) -> np.ndarray:
        year = np.asarray(year, dtype=float)
        ok = np.isfinite(year) & (year >= self.first) & (year < self.first + self.span)
        offset = np.where(ok, year - self.first, 0).astype(np.int64)
        return np.where(ok, np.asarray(indicator_id, dtype=np.int64) * self.span + offset, -1)

    def find(self, where: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Observation index with each query key among the rows `where`, -1 if none."""
        return _find(self.keys[where], np.flatnonzero(where), query)


def _find(keys: np.ndarray, index: np.ndarray, query: np.ndarray) -> np.ndarray:
    if len(keys) == 0:
        return np.full(len(query), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    at = np.minimum(np.searchsorted(sorted_keys, query), len(keys) - 1)
    hit = (sorted_keys[at] == query) & (query >= 0)
    return np.where(hit, index[order[at]], -1)


def _observation_columns(observations: pd.DataFrame, ind: dict, members: tuple) -> dict:
    pos = ind["index"].get_indexer(observations["indicator_id"])
    keep = pos >= 0
    every = bool(keep.all())

    def col(name, **kw):
        values = observations[name].to_numpy(**kw)
        return values if every else values[keep]

    obs = {"indicator_id": col("indicator_id"), "region_id": col("region_id"),
           "year": col("year"), "value": col("value", dtype=float, na_value=np.nan),
           "abs_value": col("abs_value", dtype=float, na_value=np.nan),
           "pos": pos if every else pos[keep]}
    obs["scale"] = ind["scale"][obs["pos"]]
    obs["den"] = _implied_denominator(obs["value"], obs["abs_value"],
                                      ind["count_scale"][obs["pos"]])
    obs["keys"] = _Keys(obs["indicator_id"], obs["year"])
    # Which member (by its place in ctx.members) each observation belongs to, -1 if none.
    ids = np.asarray(members, dtype=np.int64)
    by_id = np.argsort(ids, kind="stable")
    rid = obs["region_id"].astype(np.int64)
    at = np.minimum(np.searchsorted(ids[by_id], rid), max(len(ids) - 1, 0))
    obs["member"] = (np.where(ids[by_id][at] == rid, by_id[at], -1) if len(ids)
                     else np.full(len(rid), -1))
    return obs


def _implied_denominator(value, abs_value, scale) -> np.ndarray:
    value, abs_value, scale = (np.asarray(a, dtype=float) for a in (value, abs_value, scale))
    with np.errstate(divide="ignore", invalid="ignore"):
        den = abs_value * scale / value
    ok = np.isfinite(den) & (value > 0) & (den > 0)
    return np.where(ok, den, np.nan)


def _pool(obs: dict, ind: dict, ctx: Context) -> dict:
    """Per indicator and year, analysis.pool's rule: with every member's value, pooled
    numerators and denominators (plain proportions, crude rates), summed counts, else the
    population-weighted mean; without every member's value, no group value."""
    at = np.flatnonzero(obs["member"] >= 0)
    pops = np.array([ctx.populations.get(m, np.nan) for m in ctx.members], dtype=float)
    pop = pops[obs["member"][at]] if len(at) else np.zeros(0)
    value = obs["value"][at]
    # pandas' grouped sums are compensated (Kahan); they stay the reference arithmetic.
    parts = pd.DataFrame({"x": obs["abs_value"][at], "n": obs["den"][at], "v": value,
                          "wv": value * pop, "w": pop})
    g = parts.groupby(obs["keys"].keys[at], sort=True)
    sums, counts = g.sum(), g.count()
    keys = sums.index.to_numpy()
    row = _first_rows(obs["keys"].keys[at], keys, at)
    pos = obs["pos"][row]
    x, n, vsum, wv, w = (sums[c].to_numpy() for c in ("x", "n", "v", "wv", "w"))
    n_known, present, w_known = (counts[c].to_numpy() for c in ("n", "v", "w"))
    scale, unit, method = ind["scale"][pos], ind["units"][pos], ind["methods"][pos]
    complete = present == len(ctx.members)
    is_count = unit == "count"
    pooled = complete & ~is_count & (n_known == present)  # den exists only for count methods
    weighted = complete & ~is_count & ~pooled & (w_known == present) & (w > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.select([complete & is_count, pooled, weighted],
                          [vsum, x / n * scale, wv / w], default=np.nan)
    kind = np.select([complete & is_count, pooled, weighted],
                     ["sum", "pooled", "weighted_mean"], default="incomplete").astype(object)
    out = {"indicator_id": obs["indicator_id"][row], "year": obs["year"][row], "pos": pos,
           "present": present.astype(np.int64), "value": value, "kind": kind,
           "abs_value": np.where(pooled, x, np.nan),
           "denominator": np.where(pooled, n, np.nan), "complete": complete}
    out["lo"], out["hi"] = analysis.count_intervals(out["abs_value"], out["denominator"],
                                                    scale, method)
    out["lo998"], out["hi998"] = analysis.count_intervals(
        out["abs_value"], out["denominator"], scale, method, analysis.HIGHLIGHT_LEVEL)
    return out


def _with_benchmarks(rows: dict, ind: dict, ctx: Context) -> None:
    # The area benchmark: the rest of the area wherever it can be computed, so a group is
    # never compared with an area that contains it; else the area itself, labelled so.
    rest_value = _rest(rows["area_abs"], rows["area_den"], rows["abs_value"],
                       rows["denominator"], ind["scale"])
    bench, label = analysis.area_benchmark(rows["area_value"], rest_value)
    rows["benchmark_label"] = label
    bench[rows["county_only"]] = np.nan
    rows["benchmark_value"] = bench

    pol, value = ind["polarities"], rows["value"]
    rows["outcome_area"] = analysis.compare_many(value, rows["lo"], rows["hi"], bench, pol)
    rows["outcome_country"] = analysis.compare_many(value, rows["lo"], rows["hi"],
                                                    rows["country_value"], pol)
    chosen = bench if ctx.benchmark == "area" else rows["country_value"]
    rows["outcome_highlight"] = analysis.compare_many(value, rows["lo998"], rows["hi998"],
                                                      chosen, pol)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["rel_diff"] = np.where(np.isfinite(chosen) & (chosen != 0),
                                    (value - chosen) / chosen, np.nan)


def _rest(area_x, area_n, part_x, part_n, scale) -> np.ndarray:
    """Value of the area without the part (numerators and denominators subtracted)."""
    area_x, area_n, part_x, part_n, scale = (np.asarray(a, dtype=float)
                                             for a in (area_x, area_n, part_x, part_n, scale))
    x, n = area_x - part_x, area_n - part_n
    with np.errstate(divide="ignore", invalid="ignore"):
        value = x / n * scale
    return np.where(np.isfinite(value) & (n > 0) & (x >= 0), value, np.nan)


def _with_trends(rows: dict, pooled: dict, ind: dict, year: np.ndarray) -> None:
    """Fingertips' recent trend of the group's own values up to the shown year.

    Only complete years are points, so a year with a member missing is a gap in the series
    and the trend is "insufficient" (analysis.trends).
    """
    n_ind = len(ind["indicator_id"])
    upto = pooled["complete"] & (pooled["year"] <= year[pooled["pos"]])
    if upto.any():
        ids = ind["index"]
        tr = analysis.trends(
            pd.DataFrame({"key": pooled["indicator_id"][upto], "year": pooled["year"][upto],
                          "value": pooled["value"][upto], "x": pooled["abs_value"][upto],
                          "n": pooled["denominator"][upto], "lo": pooled["lo"][upto],
                          "hi": pooled["hi"][upto]}),
            pd.Series(ind["polarities"], index=ids), pd.Series(ind["methods"], index=ids),
            pd.Series(ind["max_gap"], index=ids), points=TREND_POINTS)
        at = tr.index.get_indexer(ind["indicator_id"])
        direction = tr["direction"].to_numpy(dtype=object)
        first, last = tr["first"].to_numpy(), tr["last"].to_numpy()
        slope = tr["slope"].to_numpy(dtype=float)
        chi2 = tr["chi2"].to_numpy(dtype=float)
    else:
        at = np.full(n_ind, -1)
        direction = first = last = np.array([], dtype=object)
        slope = chi2 = np.array([], dtype=float)
    found = at >= 0
    untested = np.where(ind["methods"] == "none", "not_computable", "insufficient")
    rows["trend"] = pd.Series([direction[i] if ok else u
                               for i, ok, u in zip(at, found, untested, strict=True)],
                              dtype=object)
    rows["trend_slope"] = _take(slope, at)
    rows["trend_chi2"] = _take(chi2, at)
    rows["trend_from"] = [int(first[i]) if ok else None for i, ok in zip(at, found, strict=True)]
    rows["trend_to"] = [int(last[i]) if ok else None for i, ok in zip(at, found, strict=True)]


def _members(rows: dict, ind: dict, obs: dict, year: np.ndarray, shown_key: np.ndarray,
             ctx: Context) -> dict:
    """Each member municipality in the indicator's shown year, with its own comparison."""
    m = len(ctx.members)
    shown = np.flatnonzero(~rows["county_only"] & ~np.isnan(year))
    # The grid indicator x member, sorted by indicator id and then by the members' order.
    by_id = shown[np.argsort(ind["indicator_id"][shown], kind="stable")]
    i = np.repeat(by_id, m)
    k = np.tile(np.arange(m), len(by_id))
    member = obs["member"] >= 0
    at = _find(obs["keys"].keys[member] * max(m, 1) + obs["member"][member],
               np.flatnonzero(member), np.where(shown_key[i] >= 0, shown_key[i] * m + k, -1))
    g = {"indicator_id": ind["indicator_id"][i],
         "region_id": np.asarray(ctx.members, dtype=np.int64)[k],
         "year": year[i].astype(int),
         "value": _take(obs["value"], at), "abs_value": _take(obs["abs_value"], at)}
    den, scale = _take(obs["den"], at), ind["scale"][i]
    g["lo"], g["hi"] = analysis.count_intervals(g["abs_value"], den, scale, ind["methods"][i])
    pops = np.array([ctx.populations.get(r, np.nan) for r in ctx.members], dtype=float)
    g["population"] = pops[k]
    names = [ctx.names.get(r) for r in ctx.members]
    names = np.array([str(r) if _blank(n) else n for r, n in zip(ctx.members, names,
                                                                  strict=True)], dtype=str)
    g["name"] = names[k]
    with np.errstate(invalid="ignore"):
        g["small"] = g["population"] < SMALL_POPULATION
    if ctx.benchmark == "country":
        g["benchmark_value"] = rows["country_value"][i]
        g["benchmark_label"] = np.full(len(i), "country")
    else:
        # Each member against the area without it, where that can be computed.
        rest = _rest(rows["area_abs"][i], rows["area_den"][i], g["abs_value"], den, scale)
        g["benchmark_value"], g["benchmark_label"] = analysis.area_benchmark(
            rows["area_value"][i], rest)
    g["outcome"] = analysis.compare_many(g["value"], g["lo"], g["hi"], g["benchmark_value"],
                                         ind["polarities"][i])
    return g


def _blank(name) -> bool:
    return name is None or (isinstance(name, float) and math.isnan(name))


def _with_spread(rows: dict, members: dict, ind: dict, ctx: Context) -> None:
    """The lowest and highest member value (the first of equals, in the members' order)."""
    value, names = members["value"], members["name"]
    known = np.flatnonzero(~np.isnan(value))
    where = ind["index"].get_indexer(members["indicator_id"][known])
    for side, sign in (("min", 1.0), ("max", -1.0)):
        # By indicator, then value, then row: each indicator's first is its idxmin/idxmax.
        order = np.lexsort((known, sign * value[known], where))
        sorted_where = where[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_where[1:] != sorted_where[:-1]
        pick = np.full(len(ind["indicator_id"]), -1, dtype=np.int64)
        pick[sorted_where[first]] = known[order[first]]
        rows[f"spread_{side}"] = _take(value, pick)
        rows[f"spread_{side}_name"] = pd.Series([names[j] if j >= 0 else None for j in pick],
                                                dtype=object)
    small = ", ".join(ctx.names.get(m, str(m)) for m in ctx.members
                      if ctx.populations.get(m, math.inf) < SMALL_POPULATION)
    rows["small_members"] = np.where(rows["county_only"], "", small)


def _first_rows(keys: np.ndarray, unique: np.ndarray, index: np.ndarray) -> np.ndarray:
    """index of the first row with each of the (sorted, present) unique keys."""
    order = np.argsort(keys, kind="stable")
    return index[order[np.searchsorted(keys[order], unique)]]


def _series(pooled: dict, obs: dict, area: np.ndarray, country: np.ndarray,
            ind: dict) -> dict:
    """Group, area and country per indicator and year (the group's rows first)."""
    own = np.isfinite(pooled["value"])  # years with the group's own value only
    parts = [("group", pooled["indicator_id"][own], pooled["year"][own], pooled["value"][own],
              pooled["lo"][own], pooled["hi"][own])]
    for name, where in (("area", area), ("country", country)):
        at = np.flatnonzero(where)
        lo, hi = analysis.count_intervals(obs["abs_value"][at], obs["den"][at],
                                          obs["scale"][at], ind["methods"][obs["pos"][at]])
        parts.append((name, obs["indicator_id"][at], obs["year"][at], obs["value"][at], lo,
                      hi))
    return {"indicator_id": np.concatenate([p[1] for p in parts]),
            "series": np.repeat(np.array([p[0] for p in parts], dtype=object),
                                [len(p[1]) for p in parts]),
            "year": np.concatenate([p[2] for p in parts]),
            "value": np.concatenate([p[3] for p in parts]),
            "lo": np.concatenate([p[4] for p in parts]),
            "hi": np.concatenate([p[5] for p in parts])}


def highlights(rows: pd.DataFrame, priority: str, max_each: int = 3):
    """(strengths, challenges) of one priority, by the 99.8 % rule and the trend.

    analysis.select_highlights' rule on the columns, so only the chosen rows are copied.
    """
    part = np.flatnonzero(rows["priority"].to_numpy(dtype=object) == priority)
    cols = [rows[c].to_numpy()[part] for c in ("outcome_highlight", "trend", "rel_diff")]
    ids = rows["indicator_id"].to_numpy()[part]
    out = []
    for outcome, direction in (("better", "improving"), ("worse", "worsening")):
        at = analysis.top_positions(*cols, ids, outcome, direction, max_each)
        out.append(rows.iloc[part[at]].rename(columns={"outcome_highlight": "outcome"})
                   .reset_index(drop=True))
    return tuple(out)


def records(frame: pd.DataFrame) -> list[dict]:
    """frame.to_dict("records"), column by column: pandas reads each cell of a wide frame
    through its own accessor, which cost more than the whole selection."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def vintage(rows: pd.DataFrame) -> dict[str, int | None]:
    """The latest data year per priority (what 'data vintage' means on the header)."""
    out = {}
    for priority, part in rows.groupby("priority"):
        years = part["year"].dropna()
        out[priority] = int(years.max()) if len(years) else None
    return out


def group_population(populations: dict[int, float], members) -> float:
    vals = [populations.get(m) for m in members]
    vals = [float(v) for v in vals if v is not None and not math.isnan(float(v))]
    return float(np.sum(vals)) if vals else math.nan
