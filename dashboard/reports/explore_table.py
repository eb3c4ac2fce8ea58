"""The explorer's time-series table: the rows its chart draws, for the screen and the files."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n.catalog import gender_name
from dashboard.reports import tables

COL_REGION, COL_GENDER, COL_YEAR = "Alue", "Sukupuoli", "Vuosi"
COL_VALUE, COL_LO, COL_HI = "Arvo", "95 %:n väli, alaraja", "95 %:n väli, yläraja"


def series_table(frame: pd.DataFrame, decimals: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """(typed table, decimals per numeric column): the rows the chart draws."""
    table = pd.DataFrame({
        COL_REGION: frame["alue"].astype(str),
        COL_GENDER: [gender_name(g) for g in frame["gender"]],
        COL_YEAR: pd.array(frame["year"], dtype="Int64"),
        COL_VALUE: frame["value"].astype(float),
        COL_LO: frame["lo"].astype(float),
        COL_HI: frame["hi"].astype(float),
    })
    dec = {c: int(decimals) for c in (COL_VALUE, COL_LO, COL_HI)}
    return tables.rounded(table, dec).reset_index(drop=True), dec


