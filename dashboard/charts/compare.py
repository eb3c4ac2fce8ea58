"""Charts of the compare page: an outcome heat map and per-indicator dot charts with whiskers.

Pure (no Streamlit): comparison.Comparison.rows in, finished Vega-Lite specs (plain dicts) out,
in the current language's locale and texts, the shared config (charts.config()) and outcome colours
(charts.OUTCOME_COLORS). Written as dicts, not Altair objects, for the reason the overview's
are (charts.py): Altair's schema validation and deep copies were most of the page's time.
"""

from __future__ import annotations

import pandas as pd

from dashboard.charts import base as charts
from dashboard.i18n.catalog import _, outcome_name
from dashboard.i18n.formatting import interval, number

HEAT_DATA = "heat"
DOT_DATA = "dots"
LIGHT_TEXT = frozenset({"better", "worse"})  # dark fills: white cell text
LEGEND_LABEL_LIMIT = 400  # px; on the legend itself, so no theme default (160) cuts names

_field, _tip = charts.field, charts.tip


def outcome_scale() -> dict:
    """The full outcome domain every time, so a colour means the same in every chart."""
    return charts.outcome_scale()


def _label(row, width: int) -> str:
    return f"{charts.wrap(row['name'], width - 7, 1)[0]} ({int(row['year'])})"


def _cells(rows: pd.DataFrame, benchmark_names: dict[str, str]) -> pd.DataFrame:
    out = rows.copy()
    out["vertailu"] = [outcome_name(o) for o in out["outcome"]]
    out["arvo"] = [number(v, d) for v, d in zip(out["value"], out["decimals"], strict=True)]
    out["vali"] = [interval(lo, hi, d) for lo, hi, d in zip(out["lo"], out["hi"],
                                                           out["decimals"], strict=True)]
    out["vertailuarvo"] = [
        f"{number(b, d)} ({benchmark_names.get(lab, lab)})" if pd.notna(b) else "–"
        for b, d, lab in zip(out["benchmark_value"], out["decimals"], out["benchmark_label"],
                             strict=True)]
    out["vuosi"] = out["year"].astype(int)
    return out


def heatmap(rows: pd.DataFrame, legend_title: str, benchmark_names: dict[str, str],
            municipality_order: list[str] | None = None, name_width: int = 70) -> charts.Spec:
    """Indicators (rows) × municipalities (columns), each cell coloured by its outcome."""
    if rows is None or rows.empty:
        return charts.empty_spec()
    data = _cells(rows, benchmark_names)
    order: list[str] = []
    labels = {}
    for iid, part in data.groupby("indicator_id", sort=False):
        label = _label(part.iloc[0], name_width)
        while label in order:  # identical names stay separate rows
            label += "\u200b"
        labels[iid] = label
        order.append(label)
    data["indikaattori"] = data["indicator_id"].map(labels)
    data["light"] = data["outcome"].isin(LIGHT_TEXT)
    munis = municipality_order or list(dict.fromkeys(data["municipality"]))
    data = data[["indikaattori", "municipality", "vertailu", "outcome", "arvo", "vali",
                 "vertailuarvo", "vuosi", "light"]].rename(columns={"municipality": "kunta"})
    x = _field("kunta", sort=munis, title=None,
               axis={"orient": "top", "labelAngle": -40, "labelLimit": 140})
    y = _field("indikaattori", sort=order, title=None, axis={"labelLimit": 520})
    tooltip = [_tip("indikaattori", _("Indikaattori")), _tip("kunta", _("Kunta")),
               _tip("arvo", _("Arvo")), _tip("vali", _(charts.CI_LABEL)),
               _tip("vertailuarvo", _("Vertailuarvo")), _tip("vertailu", _("Vertailu")),
               _tip("vuosi", _("Vuosi"), "quantitative", format="d")]
    legend = {"title": legend_title, "orient": "bottom", "direction": "horizontal",
              "columns": 6, "symbolStrokeColor": charts.OUTLINE, "symbolStrokeWidth": 1,
              "labelLimit": LEGEND_LABEL_LIMIT, "titleLimit": 900}
    cells = {
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {"x": x, "y": y, "fill": _field("vertailu", scale=outcome_scale(),
                                                    legend=legend),
                     "tooltip": tooltip},
    }
    text = {
        "mark": {"type": "text", "fontSize": 11},
        "encoding": {"x": x, "y": y, "text": _field("arvo"),
                     "color": {"condition": {"test": "datum.light", "value": "white"},
                               "value": "#1B1B1B"},
                     "tooltip": tooltip},
    }
    return charts.spec({
        "data": {"name": HEAT_DATA},
        "layer": [cells, text],
        "width": max(240, 58 * len(munis)), "height": {"step": 26},
        "datasets": {HEAT_DATA: charts.records(data)},
    })


def dots(rows: pd.DataFrame, benchmark_names: dict[str, str], width: int = 560,
         title: str | None = None) -> charts.Spec:
    """One panel per indicator: each municipality's value, 95 % whisker and its benchmark.

    A vertical rule marks the benchmark when every municipality has the same one; a tick on
    each row marks that row's own benchmark (a large municipality is compared with the rest
    of the area). `title` defaults to "Arvot, luottamusvälit ja vertailuarvot", translated.
    """
    title = _("Arvot, luottamusvälit ja vertailuarvot") if title is None else title
    if rows is None or rows.empty or rows["value"].notna().sum() == 0:
        return charts.empty_spec()
    data = _cells(rows[rows["value"].notna()], benchmark_names)
    heads, order = {}, []
    for iid, part in data.groupby("indicator_id", sort=False):
        row = part.iloc[0]
        bench = part["benchmark_value"].dropna()
        where = benchmark_names.get(row["benchmark_label"], "")
        note = (_("(vuosi {year}, vertailuarvo {value} ({benchmark}))", year=int(row["year"]),
                  value=number(bench.iloc[0], int(row["decimals"])), benchmark=where)
                if bench.nunique() == 1 and part["benchmark_label"].nunique() == 1
                else _("(vuosi {year}, vertailuarvot riveittäin)", year=int(row["year"])))
        lines = charts.wrap(row["name"], max(30, width // 7), 2) + [note]
        head = "|".join(lines)
        heads[iid] = head
        order.append(head)
    data["otsikko"] = data["indicator_id"].map(heads)
    common = data.groupby("indicator_id")["benchmark_value"].transform(
        lambda s: s.iloc[0] if s.nunique() == 1 else float("nan"))
    data["bench_common"] = common.where(
        data.groupby("indicator_id")["benchmark_label"].transform("nunique") == 1)
    data = data[["otsikko", "municipality", "value", "lo", "hi", "benchmark_value",
                 "bench_common", "vertailu", "arvo", "vali", "vertailuarvo", "vuosi",
                 "small"]].rename(columns={"municipality": "kunta", "benchmark_value": "bench"})
    x = _field("value", "quantitative", scale={"zero": False, "nice": True}, title=None,
               axis={"format": charts.AXIS_FORMAT, "tickCount": 5, "grid": True})
    y = _field("kunta", sort=None, title=None,
               axis={"labelLimit": 170, "ticks": False, "domain": False, "grid": False})
    tooltip = [_tip("kunta", _("Kunta")), _tip("arvo", _("Arvo")),
               _tip("vali", _(charts.CI_LABEL)), _tip("vertailu", _("Vertailu")),
               _tip("vertailuarvo", _("Vertailuarvo")),
               _tip("vuosi", _("Vuosi"), "quantitative", format="d")]
    rule = {
        "transform": [{"filter": "isValid(datum.bench_common)"}],
        "mark": {"type": "rule", "color": "#333333", "strokeDash": [5, 3], "strokeWidth": 1.5},
        "encoding": {"x": _field("bench_common", "quantitative")},
    }
    ticks = charts.bench_ticks(y)
    whiskers = {
        "transform": [{"filter": "isValid(datum.lo) && isValid(datum.hi)"}],
        "mark": {"type": "rule", "strokeWidth": 2, "color": "#6B6B6B"},
        "encoding": {"x": _field("lo", "quantitative"), "x2": {"field": "hi"}, "y": y,
                     "tooltip": [_tip("kunta", _("Kunta")), _tip("vali", _(charts.CI_LABEL))]},
    }
    legend = {"title": _("Vertailu (95 %:n luottamusväli)"), "orient": "top",
              "direction": "horizontal", "columns": 6, "symbolStrokeColor": charts.OUTLINE,
              "symbolStrokeWidth": 1, "labelLimit": LEGEND_LABEL_LIMIT}
    points = {
        "mark": {"type": "point", "filled": True, "size": 140, "stroke": charts.OUTLINE,
                 "strokeWidth": 1.2, "opacity": 1},
        "encoding": {"x": x, "y": y,
                     "fill": _field("vertailu", scale=outcome_scale(), legend=legend),
                     "tooltip": tooltip},
    }
    subtitle = [_("Vaakaviiva: 95 %:n luottamusväli. Pystyviiva ja -merkki: vertailuarvo.")]
    smalls = sorted(set(data.loc[data["small"], "kunta"]))
    if smalls:
        subtitle.append(charts.small_municipalities_note(smalls))
    header = charts.header(labelAngle=0, labelOrient="top", labelLimit=width + 200)
    return charts.spec({
        "data": {"name": DOT_DATA},
        "facet": {"row": _field("otsikko", sort=order, title=None, header=header)},
        "spacing": 22,
        "spec": {"layer": [rule, ticks, whiskers, points], "width": width,
                 "height": {"step": 24}},
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
        "title": {"text": title, "subtitle": subtitle,
                  "fontSize": charts.FONT_SIZES["chart_title"]},
        "datasets": {DOT_DATA: charts.records(data)},
    })
