"""What the group overview page computes, without Streamlit: the workload being timed.

Mirrors dashboard/views/overview.py step by step (warehouse reads through
dashboard.ui.warehouse, the situation model, highlights, phrases, every priority's table, and
the first priority's "why this colour" rows and chart specs: the page draws the others' on
demand), so "overview compute" measures the page's own work and nothing else.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from dashboard import data
from dashboard.i18n.catalog import PRIORITY_ORDER
from dashboard.model import phrases, situation
from dashboard.reports import assemble
from dashboard.ui import compositions, overview_tables, warehouse

NATIONAL = "__national__"  # pseudo-group: every municipality in Finland, against Finland


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def clear_group_caches() -> None:
    """Forget every group's work but keep the warehouse's catalogue (meta, regions, groups,
    indicators): the server reads that once per warehouse version for every group and page."""
    compositions.clear_group_caches()
    overview_tables.clear()


def national_context(version: str) -> situation.Context:
    regions = warehouse.regions(version)
    _, country_id = compositions.county_ids(version)
    members = tuple(int(r) for r in regions.loc[regions["category"] == "KUNTA", "region_id"])
    names = dict(zip(regions["region_id"].astype(int), regions["name_fi"], strict=True))
    pops = {int(r): float(p) for r, p in zip(regions["region_id"], regions["population"],
                                             strict=True) if p == p and p is not None}
    return situation.Context(members, names, pops, country_id, country_id, "country")


def compute(group_id: str, benchmark: str = "area", with_charts: bool = True) -> dict:
    """Everything the overview computes for one group; returns sizes so work is not elided."""
    version = data.version()
    warehouse.meta(version)
    groups = warehouse.groups(version)
    inds = warehouse.indicators(version).set_index("indicator_id", drop=False)
    if group_id == NATIONAL:
        ctx = national_context(version)
        obs = warehouse.observations(version, (*ctx.members, ctx.area_id, ctx.country_id))
        sit = situation.build(warehouse.indicators(version), obs, ctx)
        benchmark = "country"
    else:
        sit = compositions.group_situation(version, group_id, benchmark)
        ctx = compositions.group_context(version, group_id, benchmark)
    rows = sit.rows
    regions = warehouse.regions(version).set_index("region_id")
    situation.group_population(ctx.populations, ctx.members)
    regions.loc[list(ctx.members), "population_year"].max()
    situation.vintage(rows)
    sentences = 0
    for p in PRIORITY_ORDER[:3]:
        strengths, challenges = situation.highlights(rows, p)
        for r in [*situation.records(strengths), *situation.records(challenges)]:
            phrases.highlight_sentence(r, benchmark)
            sentences += 1
    specs = 0
    drawn = False
    for p in PRIORITY_ORDER:
        part = rows[rows["priority"] == p]
        if part.empty:
            continue
        overview_tables.frame(part)  # every priority's table (the page caches it per group)
        if drawn:
            continue  # the page draws the first priority; the others' charts on demand
        drawn = True
        first = part.iloc[0]
        row = {**first.to_dict(), "indicator_id": int(first["indicator_id"])}
        phrases.explanation(row, inds.loc[row["indicator_id"]].to_dict(), benchmark)
        if with_charts:
            # The page's own cached builder; the national pseudo-group has no group id.
            pair = (assemble.overview_chart_specs(sit, p, benchmark, ctx.names[ctx.area_id])
                    if group_id == NATIONAL
                    else compositions.priority_charts(version, group_id, benchmark, p, _sit=sit))
            # Streamlit serialises each spec to JSON (its data to Arrow) on every run.
            specs += sum(len(json.dumps(spec)) for spec in pair)
    return {"indicators": len(rows), "groups": len(groups), "sentences": sentences,
            "spec_chars": specs}


def region_ids(path: str, group_id: str) -> list[int]:
    """The regions the overview reads for a group: members, its area and Finland."""
    con = duckdb.connect(path, read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        area, country = int(meta["county_region_id"]), int(meta["country_region_id"])
        if group_id == NATIONAL:
            members = [r[0] for r in con.execute(
                "SELECT region_id FROM region WHERE category = 'KUNTA'").fetchall()]
            return [*members, country]
        members = [r[0] for r in con.execute(
            "SELECT region_id FROM group_member WHERE group_id = ?", [group_id]).fetchall()]
    finally:
        con.close()
    return [*members, area, country]


def bare_sql(path: str, ids: list[int]) -> pd.DataFrame:
    """The baseline: open, fetch the same observation rows into a frame, close."""
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(
            "SELECT indicator_id, region_id, year, gender, value, abs_value FROM observation "
            f"WHERE gender = 'total' AND region_id IN ({','.join(str(int(i)) for i in ids)})"
        ).df()
    finally:
        con.close()
