"""A tile map: the county's municipalities on a fixed grid, coloured by quintile.

No map files or tile servers: each municipality is one square at a (row, column) that
roughly follows geography. The grid is configuration-like data keyed by the official
municipality code, so another county replaces `GRID` (or passes its own `grid`); any
municipality without a position is listed under the map instead of disappearing. The chart
is a plain Vega-Lite dict (charts.py says why).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.charts import base as charts
from dashboard.i18n import names as display_names
from dashboard.i18n.catalog import N_, _
from dashboard.i18n.formatting import number
from dashboard.model import stats as analysis

# Keski-Suomi, north at the top: official code -> (row, column).
GRID: dict[str, tuple[int, int]] = {
    "256": (0, 2),  # Kinnula
    "601": (0, 3),  # Pihtipudas
    "265": (1, 1),  # Kivijärvi
    "216": (1, 2),  # Kannonkoski
    "931": (1, 3),  # Viitasaari
    "312": (2, 0),  # Kyyjärvi
    "226": (2, 1),  # Karstula
    "729": (2, 2),  # Saarijärvi
    "992": (2, 3),  # Äänekoski
    "275": (2, 4),  # Konnevesi
    "495": (3, 1),  # Multia
    "892": (3, 2),  # Uurainen
    "410": (3, 3),  # Laukaa
    "077": (3, 4),  # Hankasalmi
    "249": (4, 0),  # Keuruu
    "592": (4, 1),  # Petäjävesi
    "179": (4, 2),  # Jyväskylä
    "850": (4, 3),  # Toivakka
    "182": (5, 1),  # Jämsä
    "500": (5, 2),  # Muurame
    "172": (5, 3),  # Joutsa
    "435": (6, 2),  # Luhanka
}

# Quintiles are relative position, not good or bad: one neutral teal ramp, light to dark,
# and none of the outcome colours.
QUINTILE_COLORS = ["#E3F1F1", "#A9D6D6", "#66B1B1", "#2F8383", "#0E4F4F"]
NO_DATA_COLOR = "#FFFFFF"
NO_DATA = N_("ei tietoa")  # translated where shown
TILE_DATA = "tiles"


def layout(municipalities: pd.DataFrame, values: Mapping[int, float],
           grid: Mapping[str, tuple[int, int]] = GRID) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(placed tiles, municipalities without a position: still listed under the map).

    `municipalities`: region_id, code, name_fi (and the display `name` of i18n.names, when
    localized) of the area's municipalities; `values`: region_id -> value in the chosen year.
    Quintiles are among all of them (placed or not). Both frames carry `name` (the display
    name, sorted by it) and `name_fi`.
    """
    frame = municipalities[["region_id", "code", "name_fi"]].copy()
    frame["name"] = display_names.display(municipalities, "name").to_numpy()
    frame["region_id"] = frame["region_id"].astype(int)
    frame["value"] = frame["region_id"].map(values).astype(float)
    frame["quintile"] = analysis.quintiles(frame["value"])
    pos = frame["code"].astype(str).map(grid)
    placed = frame[pos.notna()].copy()
    placed["row"] = [p[0] for p in pos[pos.notna()]]
    placed["col"] = [p[1] for p in pos[pos.notna()]]
    unplaced = frame[pos.isna()].sort_values("name", kind="mergesort")
    return placed.reset_index(drop=True), unplaced.reset_index(drop=True)


def quintile_label(q) -> str:
    """'3. viidennes' (fi) in the current language, 'ei tietoa' without a quintile."""
    if q is None or q is pd.NA or pd.isna(q):
        return _(NO_DATA)
    return _("{n}. viidennes", n=int(q))


def chart(tiles: pd.DataFrame, decimals: int, legend_title: str, title: str = "",
          tile: int = 86) -> charts.Spec:
    """Squares on the grid, filled by quintile, with the name and value written inside.

    Names are the display `name` of `layout()` (tiles without it fall back to `name_fi`).
    """
    if tiles is None or tiles.empty:
        return charts.empty_spec()
    tiles = tiles.assign(name=display_names.display(tiles, "name").to_numpy())
    data = tiles.assign(
        viidennes=[quintile_label(q) for q in tiles["quintile"]],
        arvo=[number(v, decimals) for v in tiles["value"]],
        nimi=[charts.wrap(n, 11, 1)[0] for n in tiles["name"]],
        dark=[not pd.isna(q) and int(q) >= 4 for q in tiles["quintile"]],
    )[["name", "nimi", "row", "col", "value", "arvo", "viidennes", "dark"]]
    labels = [quintile_label(q) for q in range(1, 6)] + [_(NO_DATA)]
    n_rows, n_cols = int(data["row"].max()) + 1, int(data["col"].max()) + 1
    x = {"field": "col", "type": "ordinal", "axis": None,
         "scale": {"domain": list(range(n_cols)), "paddingInner": 0.06}}
    y = {"field": "row", "type": "ordinal", "axis": None,
         "scale": {"domain": list(range(n_rows)), "paddingInner": 0.06}}
    tooltip = [charts.tip("name", _("Kunta")), charts.tip("arvo", _("Arvo")),
               charts.tip("viidennes", _("Viidennes"))]
    fill = {"field": "viidennes", "type": "nominal", "title": charts.wrap(legend_title, 34, 4),
            "scale": {"domain": labels, "range": [*QUINTILE_COLORS, NO_DATA_COLOR]},
            "legend": {"orient": "right", "symbolStrokeColor": "#6B6B6B",
                       "symbolStrokeWidth": 1, "titleLimit": 260, "labelLimit": 200}}
    color = {"condition": {"test": "datum.dark", "value": "white"}, "value": "#1B1B1B"}
    squares = {"mark": {"type": "rect", "stroke": "#6B6B6B", "strokeWidth": 1},
               "encoding": {"x": x, "y": y, "fill": fill, "tooltip": tooltip}}
    names = {"mark": {"type": "text", "fontSize": 11, "fontWeight": "bold", "dy": -8},
             "encoding": {"x": x, "y": y, "text": charts.field("nimi"), "color": color,
                          "tooltip": tooltip}}
    vals = {"mark": {"type": "text", "fontSize": 11, "dy": 9},
            "encoding": {"x": x, "y": y, "text": charts.field("arvo"), "color": color,
                         "tooltip": tooltip}}
    body = {"data": {"name": TILE_DATA}, "layer": [squares, names, vals],
            "width": tile * n_cols, "height": tile * n_rows}
    if title:
        body["title"] = {"text": title, "fontSize": charts.FONT_SIZES["chart_title"]}
    body["datasets"] = {TILE_DATA: charts.records(data)}
    return charts.spec(body)
