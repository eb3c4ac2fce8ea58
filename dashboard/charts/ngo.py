"""The NGO survey's charts: bars of a breakdown, the cooperation ratings, the two rounds.

Drawn from model.ngo's suppressed frames only, so a suppressed cell has no bar, just its
"< 5" label. Every chart carries the survey's source line as its subtitle (the county's
survey, its round and respondents: not THL), and its own Vega locale (charts.base).
"""

from __future__ import annotations

import pandas as pd

from dashboard.charts import base
from dashboard.i18n.catalog import _

BAR_COLOR = "#4C6A92"     # one neutral colour: these counts are not verdicts
ROUND_COLORS = ("#A6B8CF", "#2F4B73")
SUBTITLE_WIDTH = 62  # characters: Vega cuts a subtitle line wider than the chart


def _subtitle(source: str) -> list[str]:
    return base.wrap(source, SUBTITLE_WIDTH, max_lines=4)


def breakdown(frame: pd.DataFrame, title: str, source: str, width: int = 360) -> dict:
    """Horizontal bars of organisations per category; "< 5" where a cell is suppressed."""
    if frame is None or frame.empty:
        return base.empty_spec()
    data = [{"luokka": r["label"], "maara": base.num(r["count"]), "teksti": r["text"],
             "osuus": base.num(r["share"])}
            for r in base.rows(frame, ("label", "count", "text", "share"))]
    # The model's order (the survey's own), not Vega's: a suppressed row has no bar, and a
    # layered domain would otherwise put it last.
    y = base.field("luokka", "nominal", sort=[d["luokka"] for d in data], title=None,
                   axis={"labelLimit": 220})
    tooltip = [base.tip("luokka", _("Luokka")), base.tip("teksti", _("Järjestöjä")),
               base.tip("osuus", _("Osuus alueen vastanneista (%)"), "quantitative",
                        format=",.0f")]
    return base.spec({
        "title": {"text": title, "subtitle": _subtitle(source)},
        "data": {"values": data},
        "width": width, "height": {"step": 22},
        "layer": [
            {"mark": {"type": "bar", "color": BAR_COLOR},
             "encoding": {"y": y, "x": base.field("maara", "quantitative",
                                                  title=_("Järjestöjä"),
                                                  axis={"format": ",d", "tickMinStep": 1}),
                          "tooltip": tooltip}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12},
             "encoding": {"y": y, "x": base.field("maara", "quantitative"),
                          "text": base.field("teksti"), "tooltip": tooltip},
             "transform": [{"calculate": "isValid(datum.maara) ? datum.maara : 0",
                            "as": "maara"}]},
        ],
    })


def cooperation(frame: pd.DataFrame, title: str, source: str, width: int = 360) -> dict:
    """The mean cooperation rating (1–5) with each partner; "< 5" where too few answered."""
    if frame is None or frame.empty:
        return base.empty_spec()
    data = [{"kumppani": r["label"], "ka": base.num(r["mean"]), "teksti": r["text"],
             "vastanneita": r["answered_text"]}
            for r in base.rows(frame, ("label", "mean", "text", "answered_text"))]
    y = base.field("kumppani", "nominal", sort=[d["kumppani"] for d in data], title=None)
    tooltip = [base.tip("kumppani", _("Yhteistyökumppani")),
               base.tip("teksti", _("Keskiarvo (1–5)")),
               base.tip("vastanneita", _("Vastanneita järjestöjä"))]
    x = base.field("ka", "quantitative", title=_("Yhteistyön arvio, keskiarvo (1 = heikko, "
                                                  "5 = tiivis)"),
                   scale={"domain": [1, 5]}, axis={"values": [1, 2, 3, 4, 5], "format": "d"})
    return base.spec({
        "title": {"text": title, "subtitle": _subtitle(source)},
        "data": {"values": data},
        "width": width, "height": {"step": 28},
        "layer": [
            {"mark": {"type": "point", "filled": True, "size": 140, "color": BAR_COLOR},
             "encoding": {"y": y, "x": x, "tooltip": tooltip}},
            {"mark": {"type": "text", "align": "left", "dx": 10, "fontSize": 12},
             "transform": [{"calculate": "isValid(datum.ka) ? datum.ka : 1", "as": "ka"}],
             "encoding": {"y": y, "x": x, "text": base.field("teksti")}},
        ],
    })


def rounds(comparison: pd.DataFrame, topic: str, title: str, source: str,
           width: int = 360) -> dict:
    """One breakdown (topic: activities or targets) in the first and the last round."""
    if comparison is None or comparison.empty:
        return base.empty_spec()
    first_year, last_year = comparison.attrs.get("years", ("", ""))
    part = comparison[comparison["topic"] == topic]
    data = []
    for r in base.rows(part, ("label", "first_count", "last_count", "first", "last")):
        for year, count, text in ((first_year, r["first_count"], r["first"]),
                                  (last_year, r["last_count"], r["last"])):
            data.append({"luokka": r["label"], "kierros": str(year),
                         "maara": base.num(count), "teksti": text})
    order = list(dict.fromkeys(d["luokka"] for d in data))
    y = base.field("luokka", "nominal", sort=order, title=None, axis={"labelLimit": 220})
    color = base.field("kierros", "nominal", title=_("Kierros"),
                       scale={"range": list(ROUND_COLORS)})
    tooltip = [base.tip("luokka", _("Luokka")), base.tip("kierros", _("Kierros")),
               base.tip("teksti", _("Järjestöjä"))]
    return base.spec({
        "title": {"text": title, "subtitle": _subtitle(source)},
        "data": {"values": data},
        "width": width, "height": {"step": 14},
        "encoding": {"y": y, "yOffset": base.field("kierros"), "color": color},
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"x": base.field("maara", "quantitative", title=_("Järjestöjä"),
                                          axis={"format": ",d", "tickMinStep": 1}),
                          "tooltip": tooltip}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
             "transform": [{"calculate": "isValid(datum.maara) ? datum.maara : 0",
                            "as": "maara"}],
             "encoding": {"x": base.field("maara", "quantitative"),
                          "text": base.field("teksti"), "color": {"value": "#222222"}}},
        ],
    })
