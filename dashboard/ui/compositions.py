"""The pages' compositions, cached across sessions by small keys.

Keys are the warehouse version and the selection as tuples and strings, never frames
(st.cache_data would hash a frame by sampling it). A rerun after a widget click that does
not change the selection reuses everything; the specs go to st.vega_lite_chart as they are.
The group compositions are reports.assemble's, which `hyte export` calls uncached.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import compare as comparison_charts
from dashboard.charts import explore as explore_charts
from dashboard.charts import tilemap
from dashboard.i18n import names as display_names
from dashboard.i18n.catalog import _, current, gender_name
from dashboard.model import briefing, comparison, explorer, situation
from dashboard.reports import assemble, compare_table
from dashboard.ui import warehouse


def county_ids(version: str) -> tuple[int, int]:
    return assemble.county_ids(warehouse.meta(version))


def group_context(version: str, group_id: str, benchmark: str = "area") -> situation.Context:
    """Members, names and populations of a group (every chart and export asks)."""
    return _group_context(version, group_id, benchmark, lang=current())


# Context, situation and briefing are shared objects (st.cache_resource): every session reads
# them and none changes them; st.cache_data would unpickle a fresh copy of every frame of the
# situation on each run of each session (the largest part of a warm overview view).
@st.cache_resource(show_spinner=False, max_entries=64)
def _group_context(version: str, group_id: str, benchmark: str = "area", *, lang: str) -> situation.Context:
    # lang: only part of the key; the texts inside follow the run's language
    return assemble.group_context(warehouse.catalogue(version), group_id, benchmark)


def group_situation(version: str, group_id: str, benchmark: str) -> situation.Situation:
    return _group_situation(version, group_id, benchmark, lang=current())


@st.cache_resource(show_spinner=False, max_entries=64)
def _group_situation(version: str, group_id: str, benchmark: str, *, lang: str) -> situation.Situation:
    # lang: only part of the key; the texts inside follow the run's language
    ctx = group_context(version, group_id, benchmark)
    obs = warehouse.observations(version, (*ctx.members, ctx.area_id, ctx.country_id))
    return assemble.group_situation(version, warehouse.catalogue(version), ctx, obs)


def priority_charts(version: str, group_id: str, benchmark: str, priority: str,
                    _sit: situation.Situation | None = None) -> tuple[dict, dict] | None:
    """The overview's two charts of one priority, cached: a rerun reuses the specs.

    `_sit`: the caller's group_situation(version, group_id, benchmark), if it has it (not
    hashed, by Streamlit's leading underscore); a cache hit there is a fresh unpickled copy
    of every frame, which cost more than drawing a priority's charts.
    """
    return _priority_charts(version, group_id, benchmark, priority, _sit=_sit, lang=current())


@st.cache_data(show_spinner=False, max_entries=256)
def _priority_charts(version: str, group_id: str, benchmark: str, priority: str,
                    _sit: situation.Situation | None = None, *, lang: str) -> tuple[dict, dict] | None:
    # lang: only part of the key; the texts inside follow the run's language
    ctx = group_context(version, group_id, benchmark)
    sit = _sit if _sit is not None else group_situation(version, group_id, benchmark)
    return assemble.overview_chart_specs(sit, priority, benchmark, ctx.names[ctx.area_id])


def group_briefing(version: str, group_id: str, benchmark: str = "area") -> briefing.Briefing:
    """The group's story for the presenter mode and the download buttons (shared, read-only)."""
    return _group_briefing(version, group_id, benchmark, lang=current())


@st.cache_resource(show_spinner=False, max_entries=64)
def _group_briefing(version: str, group_id: str, benchmark: str, *,
                    lang: str) -> briefing.Briefing:
    # lang: only part of the key; the texts inside follow the run's language
    return assemble.group_briefing(warehouse.catalogue(version), group_id,
                                   group_context(version, group_id, benchmark),
                                   group_situation(version, group_id, benchmark), benchmark)


def area_name(version: str) -> str:
    area_id, _country_id = county_ids(version)
    regions = warehouse.regions(version)
    return regions.set_index("region_id")["name"].get(area_id, _("Keski-Suomen hyvinvointialue"))


def benchmark_names(version: str) -> dict[str, str]:
    return {"area": area_name(version),
            "rest_of_area": _("muu hyvinvointialue (ilman kuntaa)"),
            "country": _("koko maa")}


def compared(version: str, municipalities: tuple[int, ...], indicator_ids: tuple[int, ...],
             benchmark: str, year: int | None, gender: str) -> comparison.Comparison:
    """comparison.build for one selection (the order of both tuples is the drawing order)."""
    return _compared(version, municipalities, indicator_ids, benchmark, year, gender, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _compared(version: str, municipalities: tuple[int, ...], indicator_ids: tuple[int, ...],
             benchmark: str, year: int | None, gender: str, *, lang: str) -> comparison.Comparison:
    # lang: only part of the key; the texts inside follow the run's language
    area_id, country_id = county_ids(version)
    obs = warehouse.year_slice(version, tuple(sorted(indicator_ids)), gender)
    return comparison.build(warehouse.indicators(version), obs, warehouse.regions(version),
                            list(municipalities), list(indicator_ids), area_id, country_id,
                            benchmark, year, gender)


def compare_charts(version: str, municipalities: tuple[int, ...],
                   indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                   gender: str) -> tuple[dict, dict]:
    """(heat map, dot panels) of one selection, as finished Vega-Lite specs."""
    return _compare_charts(version, municipalities, indicator_ids, benchmark, year, gender, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _compare_charts(version: str, municipalities: tuple[int, ...],
                   indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                   gender: str, *, lang: str) -> tuple[dict, dict]:
    # lang: only part of the key; the texts inside follow the run's language
    rows = compared(version, municipalities, indicator_ids, benchmark, year, gender).rows
    area_id, _country_id = county_ids(version)
    regions = warehouse.regions(version)
    munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)]
    names = dict(zip(munis["region_id"].astype(int), munis["name"], strict=True))
    order = [names[m] for m in municipalities if m in names]
    bench = benchmark_names(version)
    legend = _("Kunnan arvo vertailukohtaan nähden (95 %:n luottamusväli; harmaa = väliä ei "
               "voi laskea, ei verrattu)")
    return (comparison_charts.heatmap(rows, legend, bench, order),
            comparison_charts.dots(rows, bench))


def compare_tables(version: str, municipalities: tuple[int, ...],
                  indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                  gender: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the table on screen as text, the download table) of one selection, headers translated."""
    return _compare_tables(version, municipalities, indicator_ids, benchmark, year, gender, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _compare_tables(version: str, municipalities: tuple[int, ...],
                  indicator_ids: tuple[int, ...], benchmark: str, year: int | None,
                  gender: str, *, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    # lang: only part of the key; the texts inside follow the run's language
    result = compared(version, municipalities, indicator_ids, benchmark, year, gender)
    typed, decimals = compare_table.table(result.rows, result.country_rank_available)
    return compare_table.screen_table(typed, decimals), typed


def _indicator(version: str, indicator_id: int) -> dict:
    inds = warehouse.indicators(version)
    if not (inds["indicator_id"] == indicator_id).any():  # beyond the card (the explorer)
        inds = warehouse.explorer_catalogue(version)
    return inds[inds["indicator_id"] == indicator_id].iloc[0].to_dict()


def series_view(version: str, indicator_id: int, region_ids: tuple[int, ...],
                genders: tuple[str, ...]) -> tuple[pd.DataFrame, dict]:
    """(the time series frame, its chart spec) of the explorer's selection."""
    return _series_view(version, indicator_id, region_ids, genders, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _series_view(version: str, indicator_id: int, region_ids: tuple[int, ...],
                genders: tuple[str, ...], *, lang: str) -> tuple[pd.DataFrame, dict]:
    # lang: only part of the key; the texts inside follow the run's language
    ind = _indicator(version, indicator_id)
    regions = warehouse.regions(version)
    names = dict(zip(regions["region_id"].astype(int), regions["name"], strict=True))
    obs = pd.concat([warehouse.observations(version, region_ids, g, (indicator_id,))
                     for g in genders], ignore_index=True)
    frame = explorer.series(obs, ind, names, list(region_ids))
    return frame, (explore_charts.series_chart(frame, ind) if not frame.empty else None)


def tile_view(version: str, indicator_id: int, gender: str,
              year: int) -> tuple[dict, pd.DataFrame]:
    """(the tile map spec, the municipalities without a tile) of one indicator and year."""
    return _tile_view(version, indicator_id, gender, year, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _tile_view(version: str, indicator_id: int, gender: str,
              year: int, *, lang: str) -> tuple[dict, pd.DataFrame]:
    # lang: only part of the key; the texts inside follow the run's language
    ind = _indicator(version, indicator_id)
    area_id, _country_id = county_ids(version)
    regions = warehouse.regions(version)
    munis = regions[(regions["category"] == "KUNTA")
                    & (regions["county_id"] == area_id)].sort_values("name")
    part = warehouse.year_slice(version, (indicator_id,), gender)
    here = part[part["year"] == year]
    values = dict(zip(here["region_id"].astype(int), here["value"].astype(float), strict=True))
    tiles, unplaced = tilemap.layout(munis, values)
    title = _("{indicator}, {year} ({gender})",
              indicator=display_names.text(ind, "short") or display_names.text(ind, "title"),
              year=year, gender=gender_name(gender))
    legend = _("Viidennes alueen kunnista (1 = pienimmät arvot, 5 = suurimmat; suhteellinen "
               "asema, ei hyvä tai huono)")
    return tilemap.chart(tiles, int(ind["decimals"]), legend, title), unplaced


def clear_group_caches() -> None:
    """Forget every group's cached work, keep the warehouse catalogue (the benchmark's
    per-group compute: a running server reads the catalogue once per warehouse version)."""
    for fn in (_group_context, _group_situation, _priority_charts, _group_briefing,
               warehouse.observations):
        fn.clear()
