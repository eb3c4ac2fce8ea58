"""A municipality group's situation per indicator: pooled value, benchmarks, trend, spread.

Pure (no Streamlit, no DuckDB): frames in, frames out, so the overview page, the
presenter mode and the exports all tell the same story from the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import analysis

SMALL_POPULATION = 2_000  # below this, year-to-year noise dominates: say so
TREND_POINTS = 5


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


def _nan(x) -> float:
    return math.nan if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _value_at(frame: pd.DataFrame, region_id: int, year: int) -> tuple[float, float]:
    hit = frame[(frame["region_id"] == region_id) & (frame["year"] == year)]
    if hit.empty:
        return math.nan, math.nan
    return float(hit["value"].iloc[0]), _nan(hit["abs_value"].iloc[0])


def _pooled_by_year(frame: pd.DataFrame, ctx: Context, unit: str, method: str,
                    n_members: int) -> pd.DataFrame:
    rows = []
    weights_all = ctx.populations
    for year, part in frame[frame["region_id"].isin(ctx.members)].groupby("year"):
        weights = [weights_all.get(r, math.nan) for r in part["region_id"]]
        if unit == "count":  # counts add up; a mean of populations would mean nothing
            pooled = analysis.Pooled(float(part["value"].sum()), None, None, len(part), False)
        else:
            pooled = analysis.pool(part["value"], part["abs_value"], unit, weights)
        ci = (analysis.count_interval(pooled.abs_value, pooled.denominator, unit, method)
              if pooled.complete else None)
        rows.append({
            "year": int(year), "value": pooled.value,
            "abs_value": pooled.abs_value, "denominator": pooled.denominator,
            "lo": ci[0] if ci else math.nan, "hi": ci[1] if ci else math.nan,
            "present": len(part), "complete": pooled.complete and len(part) == n_members,
        })
    return pd.DataFrame(rows, columns=["year", "value", "abs_value", "denominator", "lo", "hi",
                                       "present", "complete"])


def build(indicators: pd.DataFrame, observations: pd.DataFrame, ctx: Context) -> Situation:
    """`indicators`: warehouse indicator rows; `observations`: total gender, all years."""
    rows, member_rows, series = [], [], []
    by_indicator = dict(tuple(observations.groupby("indicator_id")))
    area_pop = ctx.populations.get(ctx.area_id, math.nan)
    group_pop = sum(ctx.populations.get(m, 0) or 0 for m in ctx.members)
    for ind in indicators.itertuples(index=False):
        obs = by_indicator.get(ind.indicator_id)
        if obs is None:
            obs = observations.iloc[0:0]
        row, members, ser = _one(ind, obs, ctx, group_pop, area_pop)
        rows.append(row)
        member_rows.extend(members)
        series.extend(ser)
    return Situation(
        rows=pd.DataFrame(rows),
        members=pd.DataFrame(member_rows, columns=MEMBER_COLUMNS),
        series=pd.DataFrame(series, columns=["indicator_id", "series", "year", "value", "lo",
                                             "hi"]),
    )


MEMBER_COLUMNS = ["indicator_id", "region_id", "name", "year", "value", "abs_value", "lo", "hi",
                  "benchmark_value", "benchmark_label", "outcome", "population", "small"]


def _one(ind, obs: pd.DataFrame, ctx: Context, group_pop: float, area_pop: float):
    unit, method, polarity = ind.unit, ind.comparison or "none", ind.polarity
    n_members = len(ctx.members)
    pooled = _pooled_by_year(obs, ctx, unit, method, n_members)
    area_years = obs[obs["region_id"] == ctx.area_id]
    county_only = pooled.empty
    if not pooled.empty:
        year = int(pooled["year"].max())
    elif not area_years.empty:
        year = int(area_years["year"].max())
    else:
        year = None

    row = {
        "indicator_id": ind.indicator_id, "name": ind.short_fi, "priority": ind.priority,
        "polarity": polarity, "unit": unit, "decimals": int(ind.decimals), "method": method,
        "year": year, "county_only": county_only, "value": math.nan, "abs_value": math.nan,
        "denominator": math.nan, "lo": math.nan, "hi": math.nan, "lo998": math.nan,
        "hi998": math.nan, "present": 0, "n_members": n_members, "complete": False,
        "area_value": math.nan, "area_abs": math.nan, "benchmark_label": "area",
        "benchmark_value": math.nan, "country_value": math.nan,
        "outcome_area": "not_compared", "outcome_country": "not_compared",
        "outcome_highlight": "not_compared", "rel_diff": math.nan, "trend": "insufficient",
        "trend_slope": math.nan, "trend_from": None, "trend_to": None,
        "spread_min": math.nan, "spread_max": math.nan, "spread_min_name": None,
        "spread_max_name": None, "small_members": "", "load_status": ind.load_status,
    }
    series = []
    if year is None:
        return row, [], series

    area_value, area_abs = _value_at(obs, ctx.area_id, year)
    country_value, country_abs = _value_at(obs, ctx.country_id, year)
    row.update(area_value=area_value, area_abs=area_abs, country_value=country_value)

    for _, p in pooled.iterrows():
        series.append((ind.indicator_id, "group", int(p["year"]), p["value"], p["lo"], p["hi"]))
    for sid, rid in (("area", ctx.area_id), ("country", ctx.country_id)):
        part = obs[obs["region_id"] == rid]
        for y, v, a in zip(part["year"], part["value"], part["abs_value"], strict=True):
            ci = analysis.interval(v, a, unit, method)
            series.append((ind.indicator_id, sid, int(y), float(v),
                           ci[0] if ci else math.nan, ci[1] if ci else math.nan))

    if county_only:
        return row, [], series

    current = pooled[pooled["year"] == year].iloc[0]
    value, x, n = current["value"], current["abs_value"], current["denominator"]
    ci95 = (analysis.count_interval(x, n, unit, method)
            if current["complete"] or (current["present"] > 0 and x is not None
                                        and not _isnan(x)) else None)
    ci998 = (analysis.count_interval(x, n, unit, method, analysis.HIGHLIGHT_LEVEL)
             if ci95 else None)
    row.update(value=value, abs_value=_nan(x), denominator=_nan(n), present=int(current["present"]),
               complete=bool(current["complete"]))
    if ci95:
        row.update(lo=ci95[0], hi=ci95[1], lo998=ci998[0], hi998=ci998[1])

    # The area benchmark: the rest of the area when the group is a large part of it.
    label = analysis.benchmark_label(group_pop, area_pop)
    bench_area = area_value
    if label == "rest_of_area":
        rest = analysis.rest_of_area(area_value, area_abs, value, x, unit)
        if rest is None:
            label = "area"
        else:
            bench_area = rest[0]
    row.update(benchmark_label=label, benchmark_value=bench_area)
    row["outcome_area"] = analysis.compare(value, ci95, bench_area, polarity)
    row["outcome_country"] = analysis.compare(value, ci95, country_value, polarity)
    chosen = bench_area if ctx.benchmark == "area" else country_value
    row["outcome_highlight"] = analysis.compare(value, ci998, chosen, polarity)
    if chosen and not _isnan(chosen) and chosen != 0:
        row["rel_diff"] = (value - chosen) / chosen

    recent = pooled[pooled["year"] <= year]
    tr = analysis.trend(recent["year"], recent["value"], polarity, points=TREND_POINTS)
    row.update(trend=tr.direction, trend_slope=tr.slope_per_year, trend_from=tr.first_year,
               trend_to=tr.last_year)

    members = []
    latest = obs[(obs["year"] == year) & obs["region_id"].isin(ctx.members)]
    for rid in ctx.members:
        hit = latest[latest["region_id"] == rid]
        pop = ctx.populations.get(rid, math.nan)
        small = bool(pop < SMALL_POPULATION) if not _isnan(pop) else False
        if hit.empty:
            members.append((ind.indicator_id, rid, ctx.names.get(rid, str(rid)), year,
                            math.nan, math.nan, math.nan, math.nan, math.nan, "area",
                            "not_compared", pop, small))
            continue
        v, a = float(hit["value"].iloc[0]), _nan(hit["abs_value"].iloc[0])
        ci = analysis.interval(v, a, unit, method)
        m_label = analysis.benchmark_label(pop, area_pop)
        m_bench = area_value
        if ctx.benchmark == "country":
            m_bench, m_label = country_value, "country"
        elif m_label == "rest_of_area":
            rest = analysis.rest_of_area(area_value, area_abs, v, a, unit)
            m_bench, m_label = (rest[0], m_label) if rest else (area_value, "area")
        members.append((ind.indicator_id, rid, ctx.names.get(rid, str(rid)), year, v, a,
                        ci[0] if ci else math.nan, ci[1] if ci else math.nan, m_bench, m_label,
                        analysis.compare(v, ci, m_bench, polarity), pop, small))
    present = [m for m in members if not _isnan(m[4])]
    if present:
        lo_m = min(present, key=lambda m: m[4])
        hi_m = max(present, key=lambda m: m[4])
        row.update(spread_min=lo_m[4], spread_max=hi_m[4], spread_min_name=lo_m[2],
                   spread_max_name=hi_m[2])
    row["small_members"] = ", ".join(m[2] for m in members if m[12])
    return row, members, series


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def highlights(rows: pd.DataFrame, priority: str, max_each: int = 3):
    """(strengths, challenges) of one priority, by the 99.8 % rule and the trend."""
    part = rows[rows["priority"] == priority].rename(columns={"outcome_highlight": "outcome"})
    return analysis.select_highlights(part, max_each)


def vintage(rows: pd.DataFrame) -> dict[str, int | None]:
    """The latest data year per priority (what 'data vintage' means on the header)."""
    out = {}
    for priority, part in rows.groupby("priority"):
        years = part["year"].dropna()
        out[priority] = int(years.max()) if len(years) else None
    return out


def group_population(populations: dict[int, float], members) -> float:
    vals = [populations.get(m) for m in members]
    vals = [v for v in vals if v is not None and not _isnan(v)]
    return float(np.sum(vals)) if vals else math.nan
