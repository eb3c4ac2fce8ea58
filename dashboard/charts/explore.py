"""The indicator explorer's time-series chart: lines per region and gender, interval whiskers.

Pure: model.explorer.series frames in, a finished Vega-Lite spec (a plain dict) out.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.charts import base
from dashboard.i18n import names
from dashboard.i18n.catalog import _, gender_name
from dashboard.i18n.formatting import interval, number
from dashboard.model import comparison
from dashboard.model.explorer import UNIT_NAMES

SERIES_DATA = "series"
LEGEND_LABEL_LIMIT = 400  # px; on the legend itself, so no theme default (160) cuts names

# Regions are categories, not verdicts: a categorical palette that avoids the outcome
# colours' meaning is impossible with 12 hues, so the legend and the tooltips name them.
REGION_PALETTE = ["#1B1B1B", "#4E79A7", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1",
                  "#FF9DA7", "#9C755F", "#F28E2B", "#86BCB6", "#BAB0AC"]
GENDER_DASH = {"total": [1, 0], "male": [6, 3], "female": [2, 2]}


def _offsets(n: int, span_years: int, width: int) -> list[float]:
    """Per-series x shift (in years) so whiskers of one year sit side by side, not on top.

    At most 6 px between neighbours and 45 % of a year's width for all of them together;
    centred on the year, so the middle series stays on it.
    """
    if n < 2:
        return [0.0] * n
    px_per_year = width / max(1, span_years)
    step = min(6.0, 0.45 * px_per_year / (n - 1)) / px_per_year
    return [(i - (n - 1) / 2) * step for i in range(n)]


def series_chart(frame: pd.DataFrame, ind: Mapping, width: int = 720,
                 height: int = 320) -> base.Spec:
    """Lines per region (colour) and gender (dash), 95 % intervals as vertical whiskers.

    Series are shifted a little sideways (`x`, the year plus a fixed offset per series) so
    that the whiskers of one year do not overlap; tooltips and the axis still say the year.
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return base.empty_spec()
    d = base.decimals_of(ind)  # (0 decimals stays 0)
    data = data.assign(
        sarja=[f"{a}, {gender_name(g)}" if data["gender"].nunique() > 1 else a
               for a, g in zip(data["alue"], data["gender"], strict=True)],
        sukupuoli=[gender_name(g) for g in data["gender"]],
        arvo=[number(v, d) for v in data["value"]],
        vali=[interval(lo, hi, d) for lo, hi in zip(data["lo"], data["hi"], strict=True)],
        year=data["year"].astype(int),
    )[["alue", "sukupuoli", "sarja", "year", "value", "lo", "hi", "arvo", "vali"]]
    years = (int(data["year"].min()), int(data["year"].max()))
    series_order = list(dict.fromkeys(data["sarja"]))
    whiskered = bool((data["lo"].notna() & data["hi"].notna()).any())
    offsets = (_offsets(len(series_order), years[1] - years[0] + 1, width) if whiskered
               else [0.0] * len(series_order))
    shift = dict(zip(series_order, offsets, strict=True))
    data = data.assign(x=data["year"] + data["sarja"].map(shift))
    regions = list(dict.fromkeys(data["alue"]))
    genders = [gender_name(g) for g in comparison.GENDERS]
    legend_limit = {"labelLimit": LEGEND_LABEL_LIMIT}
    color = base.field("alue", title=_("Alue"), sort=regions,
                   scale={"domain": regions, "range": REGION_PALETTE[:len(regions)]},
                   legend={"orient": "right", **legend_limit})
    dash = base.field("sukupuoli", title=_("Sukupuoli"),
                  scale={"domain": genders, "range": [GENDER_DASH[g] for g in comparison.GENDERS]},
                  legend={"orient": "right", "symbolType": "stroke", "symbolStrokeWidth": 2.5,
                          "symbolSize": 400, **legend_limit}
                  if data["sukupuoli"].nunique() > 1 else None)
    pad = max(abs(v) for v in offsets)
    x = base.field("x", "quantitative", title=_("Vuosi"),
               scale={"domain": [years[0] - pad, years[1] + pad], "nice": False, "padding": 8},
               axis={"format": "d", "tickMinStep": 1, "labelOverlap": True})
    unit = UNIT_NAMES.get(ind.get("unit"))  # model's unit names, translated where shown
    y = base.field("value", "quantitative", title=_(unit) if unit else None,
               scale={"zero": False, "nice": True}, axis={"format": base.AXIS_FORMAT})
    tooltip = [base.tip("alue", _("Alue")), base.tip("sukupuoli", _("Sukupuoli")),
               base.tip("year", _("Vuosi"), "quantitative", format="d"),
               base.tip("arvo", _("Arvo")), base.tip("vali", _(base.CI_LABEL))]
    whiskers = {
        "transform": [{"filter": "isValid(datum.lo) && isValid(datum.hi)"}],
        "mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.55},
        "encoding": {"x": x, "y": base.field("lo", "quantitative"), "y2": {"field": "hi"},
                     "color": color, "tooltip": tooltip},
    }
    lines = {
        "mark": {"type": "line", "strokeWidth": 2.2},
        "encoding": {"x": x, "y": y, "color": color, "strokeDash": dash,
                     "detail": base.field("sarja")},
    }
    points = {
        "mark": {"type": "point", "filled": True, "size": 40, "opacity": 1},
        "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip},
    }
    title = base.wrap(names.text(ind, "title") or str(ind["indicator_id"]), 90, 2)
    return base.spec({
        "data": {"name": SERIES_DATA},
        "layer": [whiskers, lines, points],
        "width": width, "height": height,
        "title": {"text": title,
                  "subtitle": _("Pystyviivat: 95 %:n luottamusväli (kun osoittaja tunnetaan). "
                                "Vuodet {first}–{last}.", first=years[0], last=years[1])
                              + (" " + _("Sarjat on siirretty hieman sivuttain, jotta välit "
                                         "erottuvat.") if pad else ""),
                  "fontSize": base.FONT_SIZES["chart_title"]},
        "datasets": {SERIES_DATA: base.records(data)},
    })
