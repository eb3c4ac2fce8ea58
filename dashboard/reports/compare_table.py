"""The compare page's table: the same rows on screen (text) and in the downloads.

The download holds the same rows and values as the screen, machine-readable: the screen's
one "95 %:n väli" text column is two numeric columns there (COL_LO, COL_HI), numbers are
numbers rounded to the decimals shown, and the quintile is an integer on both.

The COL_* names are the Finnish source texts of the column headers (marked with N_): the
frames are built with `_()` of them, so their headers (on screen and in the CSV/Parquet
files) are in the current language; `column(COL_…)` is a header of the current language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard.i18n import catalog
from dashboard.i18n.catalog import N_, _, outcome_name
from dashboard.model.comparison import rank_text
from dashboard.reports import tables

COL_NAME, COL_MUNI, COL_YEAR = N_("Indikaattori"), N_("Kunta"), N_("Vuosi")
COL_VALUE = N_("Arvo")
COL_LO, COL_HI = N_("95 %:n väli, alaraja"), N_("95 %:n väli, yläraja")
COL_CI = N_("95 %:n väli")  # screen only: "lo–hi"
COL_BENCH, COL_BENCH_WHERE, COL_OUTCOME = N_("Vertailuarvo"), N_("Vertailukohta"), N_("Vertailu")
COL_RANK_AREA, COL_RANK_COUNTRY = N_("Sija alueen kunnista"), N_("Sija koko maan kunnista")
COL_QUINTILE = N_("Viidennes alueen kunnista")
NUMBER_COLUMNS = (COL_VALUE, COL_LO, COL_HI, COL_BENCH)


def column(col: str) -> str:
    """A COL_* header in the current language (what the frames below are built with)."""
    return _(col)


def benchmark_name(label: str) -> str:
    """A municipality's benchmark: 'rest of area' here means without the municipality."""
    return catalog.benchmark_name("rest_of_area_municipality" if label == "rest_of_area"
                                  else label)


def table(rows: pd.DataFrame, country_rank: bool = True
          ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """(typed table, decimals per numeric column): what the page offers to download.

    Essential columns first (the benchmark's name last, it is the widest); without other
    counties in the warehouse there is no national rank, so no column of dashes for it.
    """
    columns = {
        COL_NAME: rows["name"].astype(str),
        COL_MUNI: rows["municipality"].astype(str),
        COL_YEAR: pd.array(rows["year"], dtype="Int64"),
        COL_VALUE: rows["value"], COL_LO: rows["lo"], COL_HI: rows["hi"],
        # the outcome next to the values it judges (as on the overview)
        COL_OUTCOME: [outcome_name(o) for o in rows["outcome"]],
        COL_BENCH: rows["benchmark_value"],
        COL_RANK_AREA: [rank_text(r, n) for r, n in zip(rows["rank_area"], rows["n_area"],
                                                       strict=True)],
        COL_RANK_COUNTRY: [rank_text(r, n) for r, n in zip(rows["rank_country"],
                                                          rows["n_country"], strict=True)],
        COL_QUINTILE: pd.array(rows["quintile"], dtype="Int64"),
        COL_BENCH_WHERE: [benchmark_name(b) for b in rows["benchmark_label"]],
    }
    if not country_rank:
        del columns[COL_RANK_COUNTRY]
    frame = pd.DataFrame({column(c): values for c, values in columns.items()})
    decimals = rows["decimals"].astype(int).to_numpy()
    dec_map = {column(c): decimals for c in NUMBER_COLUMNS}
    return tables.rounded(frame, dec_map).reset_index(drop=True), dec_map


def screen_table(typed: pd.DataFrame, decimals: Mapping[str, Sequence[int] | int]
                 ) -> pd.DataFrame:
    """The download table as text, its interval bounds as one "lo–hi" column."""
    text = tables.screen(typed, decimals)
    lo_col, hi_col = column(COL_LO), column(COL_HI)
    ci = [lo if lo == "–" or hi == "–" else f"{lo}–{hi}"
          for lo, hi in zip(text[lo_col], text[hi_col], strict=True)]
    at = list(text.columns).index(lo_col)
    text = text.drop(columns=[lo_col, hi_col])
    text.insert(at, column(COL_CI), ci)
    return text
