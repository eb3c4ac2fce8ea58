"""What every output of a group is built from: its context, situation, charts and briefing.

Reads the warehouse through dashboard.data and composes the model, with no Streamlit: the
`hyte export` command calls these directly, and ui.compositions wraps them in
st.cache_data for the pages. `cat` is data.catalogue(version): meta, regions, groups and
indicators read in one connection.
"""

from __future__ import annotations

from dashboard import data
from dashboard.charts import overview as overview_charts
from dashboard.i18n import names
from dashboard.i18n.catalog import benchmark_name, current
from dashboard.model import briefing, situation


def county_ids(meta: dict) -> tuple[int, int]:
    """(wellbeing services county, whole country) region ids of the warehouse."""
    return int(meta["county_region_id"]), int(meta["country_region_id"])


def group_context(cat: dict, group_id: str, benchmark: str = "area") -> situation.Context:
    """Members, names and populations of a group."""
    groups = cat["groups"].set_index("group_id")
    regions = cat["regions"]
    area_id, country_id = county_ids(cat["meta"])
    members = tuple(int(m) for m in groups.loc[group_id, "members"])
    region_names = dict(zip(regions["region_id"].astype(int), names.display(regions, "name"),
                            strict=True))
    pops = {int(r): float(p) for r, p in zip(regions["region_id"], regions["population"],
                                             strict=True) if p == p and p is not None}
    return situation.Context(members, region_names, pops, area_id, country_id, benchmark)


def group_situation(version: str, cat: dict, ctx: situation.Context,
                    observations=None) -> situation.Situation:
    """The situation model of a group; `observations` when the caller has them cached."""
    if observations is None:
        observations = data.observations(version, (*ctx.members, ctx.area_id, ctx.country_id))
    return situation.build(cat["indicators"], observations, ctx)


def overview_chart_specs(sit: situation.Situation, priority: str, benchmark: str,
                         area_name: str) -> tuple[dict, dict] | None:
    """The overview's two charts of one priority (trends, members) as finished specs."""
    part = sit.rows[sit.rows["priority"] == priority]
    if part.empty:
        return None
    labels = {"area": area_name}  # group and country: the charts' own labels, translated
    members = sit.members[sit.members["indicator_id"].isin(part["indicator_id"])]
    bench_label = benchmark_name("country" if benchmark == "country"
                                 else part["benchmark_label"].iloc[0])
    return (overview_charts.trend_small_multiples(sit.series, part, labels),
            overview_charts.member_dots(members, part, bench_label, benchmark=benchmark))


def group_briefing(cat: dict, group_id: str, ctx: situation.Context, sit: situation.Situation,
                   benchmark: str = "area") -> briefing.Briefing:
    """The group's story for the presenter mode and the exports (model.briefing)."""
    groups = cat["groups"].set_index("group_id")
    return briefing.build(group_id, str(names.display(groups, "name").loc[group_id]), ctx, sit,
                          cat["indicators"], cat["regions"].set_index("region_id"),
                          cat["meta"], benchmark)


def briefing_for(version: str, group_id: str, benchmark: str = "area",
                 cat: dict | None = None) -> briefing.Briefing:
    """A group's briefing straight from the warehouse (the export command's path)."""
    cat = cat if cat is not None else names.localize(data.catalogue(version), current())
    ctx = group_context(cat, group_id, benchmark)
    return group_briefing(cat, group_id, ctx, group_situation(version, cat, ctx), benchmark)
