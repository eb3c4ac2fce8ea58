"""The overview's per-priority table: finished text cells, cached, outcome cells coloured.

st.dataframe formats numbers in the viewer's browser locale, so every number is a Finnish
string made here (i18n.formatting). The frame is cached per selection; the outcome colours
are a pandas Styler over the two outcome columns only, its CSS looked up column by column
from one dict (no Python call per cell). Coloured emoji squares instead of a Styler were
tried: Debian's Chromium (and many Linux laptops) has no emoji font and drew empty boxes.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard.charts import base as charts
from dashboard.i18n.catalog import N_, _, current, outcome_name, trend_name
from dashboard.i18n.formatting import interval, number
from dashboard.model import situation
from dashboard.ui import compositions

# The table's headers (translated when the table is built; the keys of table()).
HEADERS = {
    "name": N_("Indikaattori"), "year": N_("Vuosi"), "value": N_("Ryhmä"),
    "ci": N_("95 %:n väli"), "vs_area": N_("vs. alue"), "bench": N_("Alue"),
    "vs_country": N_("vs. maa"), "country": N_("Koko maa"), "trend": N_("Suunta (5 hav.)"),
    "spread": N_("Kunnat (pienin – suurin)"),
}
WIDTHS = {"name": "large", "year": 48, "value": 80, "ci": 95, "vs_area": 100, "bench": 70,
          "vs_country": 100, "country": 70, "trend": 130}


def outcome_cell(outcome: str) -> str:
    return outcome_name(outcome)


def styled(table: pd.DataFrame):
    """The table with its two outcome columns painted in the charts' outcome colours."""
    css = {outcome_name(k): f"background-color: {v}; color: "
                            f"{'white' if k == 'better' else '#111'}"
           for k, v in charts.OUTCOME_COLORS.items()}
    subset = [_(HEADERS["vs_area"]), _(HEADERS["vs_country"])]
    return table.style.apply(lambda col: col.map(css).fillna(""), subset=subset)


def column_config() -> dict:
    return {_(HEADERS[key]): st.column_config.TextColumn(width=width)
            for key, width in WIDTHS.items()}


def table(version: str, group_id: str, benchmark: str, priority: str,
          _sit: situation.Situation | None = None) -> pd.DataFrame:
    """One priority's rows as text, headers in this run's language (cached per selection).

    `_sit`: the caller's group_situation, not hashed (as compositions.priority_charts).
    """
    return _table(version, group_id, benchmark, priority, _sit=_sit, lang=current())


@st.cache_data(show_spinner=False, max_entries=256)
def _table(version: str, group_id: str, benchmark: str, priority: str,
           _sit: situation.Situation | None = None, *, lang: str) -> pd.DataFrame:
    # lang: only part of the key; the texts inside follow the run's language
    sit = _sit if _sit is not None else compositions.group_situation(version, group_id, benchmark)
    rows = sit.rows
    return frame(rows[rows["priority"] == priority])


def clear() -> None:
    _table.clear()


def frame(part: pd.DataFrame) -> pd.DataFrame:
    """Outcomes next to the values they judge; numbers without unit (the name carries it)."""
    cols = {key: _(text) for key, text in HEADERS.items()}

    def fmt(v, r):
        return number(v, r["decimals"])

    out = []
    for r in situation.records(part):
        spread = ("–" if r["spread_min_name"] is None else
                  f"{r['spread_min_name']} {fmt(r['spread_min'], r)} – "
                  f"{r['spread_max_name']} {fmt(r['spread_max'], r)}")
        bench = r["benchmark_value"] if not math.isnan(r["benchmark_value"]) else r["area_value"]
        out.append({
            cols["name"]: r["name"],
            cols["year"]: str(r["year"]) if r["year"] else "–",
            cols["value"]: (_("vain alue") if r["county_only"] else fmt(r["value"], r)),
            cols["ci"]: interval(r["lo"], r["hi"], r["decimals"]),
            cols["vs_area"]: outcome_cell(r["outcome_area"]),
            cols["bench"]: fmt(bench, r),
            cols["vs_country"]: outcome_cell(r["outcome_country"]),
            cols["country"]: fmt(r["country_value"], r),
            cols["trend"]: trend_name(r["trend"]),
            cols["spread"]: spread,
        })
    return pd.DataFrame(out, columns=list(cols.values()))
