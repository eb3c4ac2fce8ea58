"""The follow-up charts: each goal indicator from its baseline to its latest value, and the
verdicts of a round's groups side by side.

Pure: follow-up rows (reports.followup.indicator_rows: plain dicts) in, Vega-Lite specs out.
Colours carry the verdict the way the outcome colours do elsewhere: blue towards the goal,
sand no clear change, vermillion against it, grey not compared.
"""

from __future__ import annotations

from dashboard.charts import base
from dashboard.i18n.catalog import _
from dashboard.model.followup import VERDICT_ORDER, verdict_name

VERDICT_COLORS = {
    "toward": "#2166AC",
    "reached": "#0B3C73",
    "unclear": "#F0D264",
    "against": "#D55E00",
    "not_compared": "#BDBDBD",
    "no_new_data": "#DADADA",
    "no_data": "#EFEFEF",
}


def verdict_scale() -> dict:
    return {
        "domain": [verdict_name(v) for v in VERDICT_ORDER],
        "range": [VERDICT_COLORS[v] for v in VERDICT_ORDER],
    }


def movement(rows: list[dict], title: str = "", width: int = 420) -> dict:
    """One panel per goal indicator: ○ baseline → ● latest with its 95 % interval."""
    values = []
    for r in rows:
        if r["baseline_value"] is None and r["latest_value"] is None:
            continue
        label = base.wrap(r["indicator"], 60, 2)
        values.append(
            {
                "panel": "|".join(label),
                "lahto": base.num(r["baseline_value"]),
                "uusin": base.num(r["latest_value"]),
                "alaraja": base.num(r["latest_lo"]),
                "ylaraja": base.num(r["latest_hi"]),
                "arvio": verdict_name(r["verdict"]),
                "vuodet": f"{r['baseline_year'] or '–'} → {r['latest_year'] or '–'}",
                "tavoite": base.num(r["target"]) if r["direction"] == "target" else None,
            }
        )
    if not values:
        return base.empty_spec(_("Ei seurantaindikaattoreita"))
    x = {
        "type": "quantitative",
        "title": None,
        "scale": {"zero": False},
        "axis": {"format": base.AXIS_FORMAT},
    }
    tooltip = [
        base.tip("panel", _("Indikaattori")),
        base.tip("vuodet", _("Vuodet")),
        base.tip("lahto", _("Lähtötaso"), "quantitative", format=base.AXIS_FORMAT),
        base.tip("uusin", _("Uusin arvo"), "quantitative", format=base.AXIS_FORMAT),
        base.tip("arvio", _("Arvio")),
    ]
    layers = [
        {
            "mark": {"type": "rule", "color": "#9A9A9A", "strokeWidth": 2},
            "encoding": {"x": {"field": "lahto", **x}, "x2": {"field": "uusin"}},
        },
        {
            "transform": [{"filter": "isValid(datum.alaraja)"}],
            "mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.55},
            "encoding": {
                "x": {"field": "alaraja", **x},
                "x2": {"field": "ylaraja"},
                "color": {"field": "arvio", "type": "nominal", "scale": verdict_scale(), "legend": None},
            },
        },
        {
            "mark": {
                "type": "point",
                "shape": "circle",
                "size": 110,
                "filled": False,
                "color": "#333333",
                "strokeWidth": 2,
            },
            "encoding": {"x": {"field": "lahto", **x}, "tooltip": tooltip},
        },
        {
            "transform": [{"filter": "isValid(datum.uusin)"}],
            "mark": {
                "type": "point",
                "shape": "circle",
                "size": 150,
                "filled": True,
                "stroke": base.OUTLINE,
                "strokeWidth": 1,
                "opacity": 1,
            },
            "encoding": {
                "x": {"field": "uusin", **x},
                "color": {
                    "field": "arvio",
                    "type": "nominal",
                    "scale": verdict_scale(),
                    "title": _("Arvio (○ lähtötaso → ● uusin, viiva = 95 %:n väli)"),
                    "legend": {"orient": "bottom", "columns": 3},
                },
                "tooltip": tooltip,
            },
        },
        {
            "transform": [{"filter": "isValid(datum.tavoite)"}],
            "mark": {"type": "tick", "color": "#1B1B1B", "thickness": 2, "size": 22},
            "encoding": {"x": {"field": "tavoite", **x}},
        },
    ]
    body = {
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "panel",
                "type": "nominal",
                "title": None,
                "sort": None,
                "header": base.header(labelAngle=0, labelAlign="left", labelOrient="top"),
            }
        },
        "spec": {"layer": layers, "width": width, "height": 34},
        "resolve": {"scale": {"x": "independent"}},
    }
    if title:
        body["title"] = title
    return base.spec(body)


def verdicts_by_group(rows: list[dict], group_names: dict[str, str], title: str = "") -> dict:
    """How many goal indicators of each group move toward, against or not clearly."""
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (group_names.get(r["group_id"], r["group_id"]), verdict_name(r["verdict"]))
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return base.empty_spec(_("Ei kirjattuja neuvotteluja tällä kierroksella"))
    order = {verdict_name(v): i for i, v in enumerate(VERDICT_ORDER)}
    values = [
        {"ryhma": g, "arvio": v, "maara": n, "jarjestys": order.get(v, 99)} for (g, v), n in counts.items()
    ]
    body = {
        "data": {"values": values},
        "mark": {"type": "bar", "stroke": "#FFFFFF", "strokeWidth": 1},
        "encoding": {
            "y": {
                "field": "ryhma",
                "type": "nominal",
                "title": None,
                "sort": list(group_names.values()),
                "axis": {"labelLimit": 320},
            },
            "x": {
                "field": "maara",
                "type": "quantitative",
                "title": _("Seurantaindikaattoreita"),
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "arvio",
                "type": "nominal",
                "scale": verdict_scale(),
                "title": _("Arvio"),
                "legend": {"orient": "bottom", "columns": 4},
            },
            "order": {"field": "jarjestys", "type": "quantitative"},
            "tooltip": [
                base.tip("ryhma", _("Kuntaryhmä")),
                base.tip("arvio", _("Arvio")),
                base.tip("maara", _("Määrä"), "quantitative"),
            ],
        },
        "width": 520,
    }
    if title:
        body["title"] = title
    return base.spec(body)
