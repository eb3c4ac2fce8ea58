"""The explorer's time-series table: the rows its chart draws, for the screen and the files.

The COL_* names are the Finnish source texts of the headers (N_); the table is built with
their translations, so the screen and the CSV/Parquet headers follow the language.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n.catalog import N_, _, gender_name
from dashboard.reports import tables

COL_REGION, COL_GENDER, COL_YEAR = N_("Alue"), N_("Sukupuoli"), N_("Vuosi")
COL_VALUE = N_("Arvo")
COL_LO, COL_HI = N_("95 %:n väli, alaraja"), N_("95 %:n väli, yläraja")


def series_table(frame: pd.DataFrame, decimals: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """(typed table, decimals per numeric column): the rows the chart draws."""
    table = pd.DataFrame({
        _(COL_REGION): frame["alue"].astype(str),
        _(COL_GENDER): [gender_name(g) for g in frame["gender"]],
        _(COL_YEAR): pd.array(frame["year"], dtype="Int64"),
        _(COL_VALUE): frame["value"].astype(float),
        _(COL_LO): frame["lo"].astype(float),
        _(COL_HI): frame["hi"].astype(float),
    })
    dec = {_(c): int(decimals) for c in (COL_VALUE, COL_LO, COL_HI)}
    return tables.rounded(table, dec).reset_index(drop=True), dec


