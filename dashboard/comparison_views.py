"""The compare and explore pages' results and finished chart specs, cached by small keys.

Keys are the warehouse version and the selection as tuples and strings, never frames
(st.cache_data would hash a frame by sampling it). A rerun after a widget click that does
not change the selection reuses everything; the specs go to st.vega_lite_chart as they are.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import comparison, comparison_charts, data, explorer, tilemap, views
from dashboard.texts import t


def area_name(version: str) -> str:
    area_id, _ = views.county_ids(version)
    regions = data.regions(version)
    return regions.set_index("region_id")["name_fi"].get(area_id, t("benchmark.area"))


def benchmark_names(version: str) -> dict[str, str]:
    return {"area": area_name(version),
            "rest_of_area": t("benchmark.rest_of_area_municipality"),
            "country": t("benchmark.country")}


@st.cache_data(show_spinner=False, max_entries=64)
def compared(version: str, municipalities: tuple[int, ...], indicator_ids: tuple[int, ...],
             benchmark: str, year: int | None, gender: str) -> comparison.Comparison:
    """comparison.build for one selection (the order of both tuples is the drawing order)."""
    area_id, country_id = views.county_ids(version)
    obs = data.year_slice(version, tuple(sorted(indicator_ids)), gender)
    return comparison.build(data.indicators(version), obs, data.regions(version),
                            list(municipalities), list(indicator_ids), area_id, country_id,
                            benchmark, year, gender)


@st.cache_data(show_spinner=False, max_entries=64)
def compare_charts(version: str, municipalities: tuple[int, ...],
                   indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                   gender: str) -> tuple[dict, dict]:
    """(heat map, dot panels) of one selection, as finished Vega-Lite specs."""
    rows = compared(version, municipalities, indicator_ids, benchmark, year, gender).rows
    area_id, _ = views.county_ids(version)
    regions = data.regions(version)
    munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)]
    names = dict(zip(munis["region_id"].astype(int), munis["name_fi"], strict=True))
    order = [names[m] for m in municipalities if m in names]
    bench = benchmark_names(version)
    return (comparison_charts.heatmap(rows, t("compare_heatmap_legend"), bench, order),
            comparison_charts.dots(rows, bench))


@st.cache_data(show_spinner=False, max_entries=64)
def compare_table(version: str, municipalities: tuple[int, ...],
                  indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                  gender: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the table on screen as Finnish text, the download table) of one selection."""
    result = compared(version, municipalities, indicator_ids, benchmark, year, gender)
    typed, decimals = comparison.table(result.rows, result.country_rank_available)
    return comparison.screen_table(typed, decimals), typed


def _indicator(version: str, indicator_id: int) -> dict:
    inds = data.indicators(version)
    return inds[inds["indicator_id"] == indicator_id].iloc[0].to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def series_view(version: str, indicator_id: int, region_ids: tuple[int, ...],
                genders: tuple[str, ...]) -> tuple[pd.DataFrame, dict]:
    """(the time series frame, its chart spec) of the explorer's selection."""
    ind = _indicator(version, indicator_id)
    regions = data.regions(version)
    names = dict(zip(regions["region_id"].astype(int), regions["name_fi"], strict=True))
    obs = pd.concat([data.observations(version, region_ids, g, (indicator_id,))
                     for g in genders], ignore_index=True)
    frame = explorer.series(obs, ind, names, list(region_ids))
    return frame, (explorer.series_chart(frame, ind) if not frame.empty else None)


@st.cache_data(show_spinner=False, max_entries=64)
def tile_view(version: str, indicator_id: int, gender: str,
              year: int) -> tuple[dict, pd.DataFrame]:
    """(the tile map spec, the municipalities without a tile) of one indicator and year."""
    ind = _indicator(version, indicator_id)
    area_id, _ = views.county_ids(version)
    regions = data.regions(version)
    munis = regions[(regions["category"] == "KUNTA")
                    & (regions["county_id"] == area_id)].sort_values("name_fi")
    part = data.year_slice(version, (indicator_id,), gender)
    here = part[part["year"] == year]
    values = dict(zip(here["region_id"].astype(int), here["value"].astype(float), strict=True))
    tiles, unplaced = tilemap.layout(munis, values)
    title = f"{ind['short_fi'] or ind['title_fi']}, {year} ({t(f'gender.{gender}')})"
    return tilemap.chart(tiles, int(ind["decimals"]), t("quintile_legend"), title), unplaced
