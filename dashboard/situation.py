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


ROW_COLUMNS = [
    "indicator_id", "name", "priority", "polarity", "unit", "decimals", "method", "year",
    "county_only", "value", "abs_value", "denominator", "lo", "hi", "lo998", "hi998", "present",
    "n_members", "complete", "area_value", "area_abs", "benchmark_label", "benchmark_value",
    "country_value", "outcome_area", "outcome_country", "outcome_highlight", "rel_diff", "trend",
    "trend_slope", "trend_from", "trend_to", "spread_min", "spread_max", "spread_min_name",
    "spread_max_name", "small_members", "load_status",
]
MEMBER_COLUMNS = ["indicator_id", "region_id", "name", "year", "value", "abs_value", "lo", "hi",
                  "benchmark_value", "benchmark_label", "outcome", "population", "small"]
SERIES_COLUMNS = ["indicator_id", "series", "year", "value", "lo", "hi"]


def build(indicators: pd.DataFrame, observations: pd.DataFrame, ctx: Context) -> Situation:
    """`indicators`: warehouse indicator rows; `observations`: total gender, all years.

    Vectorised over indicators and years (one pass of pandas groupbys), because the overview
    recomputes this for every group and benchmark a presenter clicks through.
    """
    inds = _indicator_frame(indicators)
    # An inner join on the indicator key, done by position: a merge re-hashes every
    # observation (a national view holds hundreds of thousands) and copies string columns.
    pos = pd.Index(inds["indicator_id"]).get_indexer(observations["indicator_id"])
    keep = pos >= 0
    obs = observations.loc[keep, ["indicator_id", "region_id", "year", "value",
                                  "abs_value"]].reset_index(drop=True)
    pos = pos[keep]
    for col in ("scale", "method", "unit"):
        obs[col] = inds[col].to_numpy()[pos]
    obs["abs_value"] = obs["abs_value"].astype(float)
    obs["den"] = _implied_denominator(obs["value"], obs["abs_value"], obs["scale"])

    members = np.array(ctx.members)
    member_obs = obs[obs["region_id"].isin(members)]
    pooled = _pool(member_obs, ctx, len(members))

    # The year each indicator is shown for: the group's latest, else the area's (surveys
    # published only for the county).
    area_obs = obs[obs["region_id"] == ctx.area_id]
    years = pooled.groupby("indicator_id")["year"].max()
    area_years = area_obs.groupby("indicator_id")["year"].max()
    inds["year"] = inds["indicator_id"].map(years).fillna(inds["indicator_id"].map(area_years))
    inds["county_only"] = ~inds["indicator_id"].isin(years.index)

    rows = inds.merge(pooled, on=["indicator_id", "year"], how="left")
    rows = _with_benchmarks(rows, obs, ctx)
    rows = _with_trends(rows, pooled, inds)
    member_rows = _members(inds, obs, ctx, rows)
    rows = _with_spread(rows, member_rows, ctx)
    series = _series(pooled, obs, ctx)
    rows["year"] = rows["year"].astype("Int64").astype(object).where(rows["year"].notna(), None)
    return Situation(rows=rows[ROW_COLUMNS].reset_index(drop=True),
                     members=member_rows[MEMBER_COLUMNS].reset_index(drop=True),
                     series=series[SERIES_COLUMNS].reset_index(drop=True))


def _indicator_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    inds = indicators.rename(columns={"short_fi": "name", "comparison": "method"})[
        ["indicator_id", "name", "priority", "polarity", "unit", "decimals", "method",
         "load_status"]].copy()
    inds["method"] = inds["method"].fillna("none")
    inds["decimals"] = inds["decimals"].astype(int)
    inds["scale"] = inds["unit"].map(analysis.SCALES).astype(float)
    return inds.reset_index(drop=True)


def _implied_denominator(value, abs_value, scale) -> np.ndarray:
    value, abs_value, scale = (np.asarray(a, dtype=float) for a in (value, abs_value, scale))
    with np.errstate(divide="ignore", invalid="ignore"):
        den = abs_value * scale / value
    ok = np.isfinite(den) & (value > 0) & (den > 0)
    return np.where(ok, den, np.nan)


def _pool(member_obs: pd.DataFrame, ctx: Context, n_members: int) -> pd.DataFrame:
    """Per indicator and year: pooled numerators and denominators, else a weighted mean."""
    m = member_obs.assign(pop=member_obs["region_id"].map(ctx.populations).astype(float))
    m["wv"] = m["value"] * m["pop"]
    g = m.groupby(["indicator_id", "year"], sort=True)
    agg = g.agg(present=("value", "size"), x=("abs_value", "sum"), n=("den", "sum"),
                n_known=("den", "count"), vsum=("value", "sum"), vmean=("value", "mean"),
                wv=("wv", "sum"), w=("pop", "sum"), w_known=("pop", "count"),
                unit=("unit", "first"), scale=("scale", "first"), method=("method", "first"))
    agg = agg.reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        full = (agg["n_known"] == agg["present"]).to_numpy()
        rate = agg["x"] / agg["n"] * agg["scale"]
        weighted = np.where((agg["w_known"] == agg["present"]) & (agg["w"] > 0),
                            agg["wv"] / agg["w"], agg["vmean"])
    is_count = (agg["unit"] == "count").to_numpy()
    agg["value"] = np.where(is_count, agg["vsum"], np.where(full, rate, weighted))
    agg["abs_value"] = np.where(full & ~is_count, agg["x"], np.nan)
    agg["denominator"] = np.where(full & ~is_count, agg["n"], np.nan)
    agg["complete"] = full & ~is_count & (agg["present"] == n_members)
    agg["lo"], agg["hi"] = analysis.count_intervals(agg["abs_value"], agg["denominator"],
                                                    agg["scale"], agg["method"])
    agg["lo998"], agg["hi998"] = analysis.count_intervals(
        agg["abs_value"], agg["denominator"], agg["scale"], agg["method"],
        analysis.HIGHLIGHT_LEVEL)
    return agg[["indicator_id", "year", "value", "abs_value", "denominator", "present",
                "complete", "lo", "hi", "lo998", "hi998"]]


def _at(obs: pd.DataFrame, region_id: int, prefix: str) -> pd.DataFrame:
    part = obs[obs["region_id"] == region_id]
    return part[["indicator_id", "year", "value", "abs_value", "den"]].rename(
        columns={"value": f"{prefix}_value", "abs_value": f"{prefix}_abs", "den": f"{prefix}_den"})


def _with_benchmarks(rows: pd.DataFrame, obs: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    rows = rows.merge(_at(obs, ctx.area_id, "area"), on=["indicator_id", "year"], how="left")
    rows = rows.merge(_at(obs, ctx.country_id, "country"), on=["indicator_id", "year"],
                      how="left")
    rows["n_members"] = len(ctx.members)
    rows["present"] = rows["present"].fillna(0).astype(int)
    rows["complete"] = rows["complete"].fillna(False).astype(bool)

    # The area benchmark: the rest of the area when the group is a large part of it, so a
    # group is not compared with itself.
    label = analysis.benchmark_label(group_population(ctx.populations, ctx.members),
                                     ctx.populations.get(ctx.area_id, math.nan))
    rest_value = _rest(rows["area_abs"], rows["area_den"], rows["abs_value"],
                       rows["denominator"], rows["scale"])
    use_rest = np.isfinite(rest_value) & (label == "rest_of_area")
    rows["benchmark_label"] = np.where(use_rest, "rest_of_area", "area")
    rows["benchmark_value"] = np.where(use_rest, rest_value, rows["area_value"])
    rows.loc[rows["county_only"], "benchmark_value"] = np.nan

    pol = rows["polarity"].to_numpy()
    rows["outcome_area"] = analysis.compare_many(rows["value"], rows["lo"], rows["hi"],
                                                 rows["benchmark_value"], pol)
    rows["outcome_country"] = analysis.compare_many(rows["value"], rows["lo"], rows["hi"],
                                                    rows["country_value"], pol)
    chosen = (rows["benchmark_value"] if ctx.benchmark == "area"
              else rows["country_value"]).to_numpy(dtype=float)
    rows["outcome_highlight"] = analysis.compare_many(rows["value"], rows["lo998"],
                                                      rows["hi998"], chosen, pol)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["rel_diff"] = np.where(np.isfinite(chosen) & (chosen != 0),
                                    (rows["value"] - chosen) / chosen, np.nan)
    return rows


def _rest(area_x, area_n, part_x, part_n, scale) -> np.ndarray:
    """Value of the area without the part (numerators and denominators subtracted)."""
    area_x, area_n, part_x, part_n, scale = (np.asarray(a, dtype=float)
                                             for a in (area_x, area_n, part_x, part_n, scale))
    x, n = area_x - part_x, area_n - part_n
    with np.errstate(divide="ignore", invalid="ignore"):
        value = x / n * scale
    return np.where(np.isfinite(value) & (n > 0) & (x >= 0), value, np.nan)


def _with_trends(rows: pd.DataFrame, pooled: pd.DataFrame, inds: pd.DataFrame) -> pd.DataFrame:
    shown = pooled.merge(inds[["indicator_id", "year"]].rename(columns={"year": "shown"}),
                         on="indicator_id")
    shown = shown[shown["year"] <= shown["shown"]].rename(columns={"indicator_id": "key"})
    polarity = dict(zip(inds["indicator_id"], inds["polarity"], strict=True))
    if shown.empty:
        tr = pd.DataFrame(columns=["direction", "slope", "first", "last"])
    else:
        tr = analysis.trends(shown[["key", "year", "value"]], polarity, points=TREND_POINTS)
    rows["trend"] = rows["indicator_id"].map(tr["direction"]).astype(object).fillna("insufficient")
    rows["trend_slope"] = rows["indicator_id"].map(tr["slope"]).astype(float)
    rows["trend_from"] = rows["indicator_id"].map(tr["first"])
    rows["trend_to"] = rows["indicator_id"].map(tr["last"])
    for col in ("trend_from", "trend_to"):
        rows[col] = [None if pd.isna(v) else int(v) for v in rows[col]]
    return rows


def _members(inds: pd.DataFrame, obs: pd.DataFrame, ctx: Context,
             rows: pd.DataFrame) -> pd.DataFrame:
    """Each member municipality in the indicator's shown year, with its own comparison."""
    shown = rows[~rows["county_only"] & rows["year"].notna()][
        ["indicator_id", "year", "polarity", "scale", "method", "area_value", "area_abs",
         "area_den", "country_value"]]
    grid = shown.merge(pd.DataFrame({"region_id": list(ctx.members)}), how="cross")
    grid = grid.merge(obs[["indicator_id", "region_id", "year", "value", "abs_value", "den"]],
                      on=["indicator_id", "region_id", "year"], how="left")
    grid["lo"], grid["hi"] = analysis.count_intervals(grid["abs_value"], grid["den"],
                                                      grid["scale"], grid["method"])
    grid["population"] = grid["region_id"].map(ctx.populations).astype(float)
    grid["name"] = grid["region_id"].map(ctx.names).fillna(grid["region_id"].astype(str))
    grid["small"] = (grid["population"] < SMALL_POPULATION).fillna(False).astype(bool)
    if ctx.benchmark == "country":
        grid["benchmark_value"] = grid["country_value"]
        grid["benchmark_label"] = "country"
    else:
        area_pop = ctx.populations.get(ctx.area_id, math.nan)
        # analysis.benchmark_label per member, column-wise.
        pop = grid["population"].to_numpy(dtype=float)
        usable_area = not analysis._missing(area_pop) and area_pop > 0
        with np.errstate(invalid="ignore"):
            big = (~np.isnan(pop) & (pop > 0.3 * area_pop) if usable_area
                   else np.zeros(len(grid), dtype=bool))
        rest = _rest(grid["area_abs"], grid["area_den"], grid["abs_value"], grid["den"],
                     grid["scale"])
        use_rest = big & np.isfinite(rest)
        grid["benchmark_value"] = np.where(use_rest, rest, grid["area_value"])
        grid["benchmark_label"] = np.where(use_rest, "rest_of_area", "area")
    grid["outcome"] = analysis.compare_many(grid["value"], grid["lo"], grid["hi"],
                                            grid["benchmark_value"], grid["polarity"])
    grid["year"] = grid["year"].astype(int)
    order = {r: i for i, r in enumerate(ctx.members)}
    grid["_order"] = grid["region_id"].map(order)
    return grid.sort_values(["indicator_id", "_order"], kind="mergesort")


def _with_spread(rows: pd.DataFrame, members: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    known = members.dropna(subset=["value"])
    if known.empty:
        lows = highs = pd.DataFrame(columns=["value", "name"])
    else:
        lows = known.loc[known.groupby("indicator_id")["value"].idxmin()].set_index(
            "indicator_id")
        highs = known.loc[known.groupby("indicator_id")["value"].idxmax()].set_index(
            "indicator_id")
    rows["spread_min"] = rows["indicator_id"].map(lows["value"]).astype(float)
    rows["spread_max"] = rows["indicator_id"].map(highs["value"]).astype(float)
    rows["spread_min_name"] = rows["indicator_id"].map(lows["name"])
    rows["spread_max_name"] = rows["indicator_id"].map(highs["name"])
    for col in ("spread_min_name", "spread_max_name"):
        rows[col] = rows[col].astype(object).where(rows[col].notna(), None)
    small = ", ".join(ctx.names.get(m, str(m)) for m in ctx.members
                      if ctx.populations.get(m, math.inf) < SMALL_POPULATION)
    rows["small_members"] = np.where(rows["county_only"], "", small)
    return rows


def _series(pooled: pd.DataFrame, obs: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    group = pooled[["indicator_id", "year", "value", "lo", "hi"]].assign(series="group")
    parts = [group]
    for name, rid in (("area", ctx.area_id), ("country", ctx.country_id)):
        part = obs[obs["region_id"] == rid]
        lo, hi = analysis.count_intervals(part["abs_value"], part["den"], part["scale"],
                                          part["method"])
        parts.append(part[["indicator_id", "year", "value"]].assign(series=name, lo=lo, hi=hi))
    return pd.concat(parts, ignore_index=True)


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
    vals = [float(v) for v in vals if v is not None and not math.isnan(float(v))]
    return float(np.sum(vals)) if vals else math.nan
