"""Cached compositions of warehouse data and pure analysis that several pages share."""

from __future__ import annotations

import streamlit as st

from dashboard import briefing, charts, data, situation
from dashboard.texts import t


def county_ids(version: str) -> tuple[int, int]:
    info = data.meta(version)
    return int(info["county_region_id"]), int(info["country_region_id"])


@st.cache_data(show_spinner=False, max_entries=64)
def group_context(version: str, group_id: str, benchmark: str = "area") -> situation.Context:
    """Members, names and populations of a group (cached: every chart and export asks)."""
    groups = data.groups(version).set_index("group_id")
    regions = data.regions(version)
    area_id, country_id = county_ids(version)
    members = tuple(int(m) for m in groups.loc[group_id, "members"])
    names = dict(zip(regions["region_id"].astype(int), regions["name_fi"], strict=True))
    pops = {int(r): float(p) for r, p in zip(regions["region_id"], regions["population"],
                                             strict=True) if p == p and p is not None}
    return situation.Context(members, names, pops, area_id, country_id, benchmark)


@st.cache_data(show_spinner=False, max_entries=64)
def group_situation(version: str, group_id: str, benchmark: str) -> situation.Situation:
    ctx = group_context(version, group_id, benchmark)
    obs = data.observations(version, (*ctx.members, ctx.area_id, ctx.country_id))
    return situation.build(data.indicators(version), obs, ctx)


def overview_charts(sit: situation.Situation, priority: str, benchmark: str,
                    area_name: str) -> tuple[dict, dict] | None:
    """The overview's two charts of one priority (trends, members) as finished specs."""
    part = sit.rows[sit.rows["priority"] == priority]
    if part.empty:
        return None
    labels = {"group": "Ryhmä", "area": area_name, "country": "Koko maa"}
    members = sit.members[sit.members["indicator_id"].isin(part["indicator_id"])]
    bench_label = ("koko maa" if benchmark == "country"
                   else t(f"benchmark.{part['benchmark_label'].iloc[0]}"))
    return (charts.trend_small_multiples(sit.series, part, labels),
            charts.member_dots(members, part, bench_label, benchmark=benchmark))


@st.cache_data(show_spinner=False, max_entries=256)
def priority_charts(version: str, group_id: str, benchmark: str, priority: str,
                    _sit: situation.Situation | None = None) -> tuple[dict, dict] | None:
    """overview_charts cached by small keys: a rerun (a widget click) reuses the specs.

    `_sit`: the caller's group_situation(version, group_id, benchmark), if it has it (not
    hashed, by Streamlit's leading underscore); a cache hit there is a fresh unpickled copy
    of every frame, which cost more than drawing a priority's charts.
    """
    ctx = group_context(version, group_id, benchmark)
    sit = _sit if _sit is not None else group_situation(version, group_id, benchmark)
    return overview_charts(sit, priority, benchmark, ctx.names[ctx.area_id])


def group_briefing(version: str, group_id: str, benchmark: str = "area"):
    """The group's story for the presenter mode and the exports (dashboard.briefing)."""
    groups = data.groups(version).set_index("group_id")
    sit = group_situation(version, group_id, benchmark)
    return briefing.build(group_id, str(groups.loc[group_id, "name_fi"]),
                          group_context(version, group_id, benchmark), sit,
                          data.indicators(version), data.regions(version).set_index("region_id"),
                          data.meta(version), benchmark)
