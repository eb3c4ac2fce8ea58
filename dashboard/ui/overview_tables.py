"""The overview's per-priority table: finished text cells, cached, with no per-cell Styler.

st.dataframe formats numbers in the viewer's browser locale, so every number is a Finnish
string made here (i18n.formatting). The outcome columns carry a coloured square in the
palette's hue before the word (the word says it, the square shows it) instead of a pandas
Styler painting each cell on every run: the Styler was 8 % of a warm overview view's CPU.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

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
# The outcome colours of charts.base.OUTCOME_COLORS as the nearest coloured squares.
MARKS = {"better": "🟦", "similar": "🟨", "worse": "🟧", "higher": "🟪", "lower": "🟪",
         "not_compared": "⬜"}
WIDTHS = {"name": "large", "year": 48, "value": 80, "ci": 95, "vs_area": 118, "bench": 70,
          "vs_country": 118, "country": 70, "trend": 130}


def outcome_cell(outcome: str) -> str:
    return f"{MARKS.get(outcome, MARKS['not_compared'])} {outcome_name(outcome)}"


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
