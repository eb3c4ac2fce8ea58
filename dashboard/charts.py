"""Chart builders: trends, member spreads and outcome strips, in Finnish format.

Pure (no Streamlit, no DuckDB): Situation frames in, finished Vega-Lite specs (plain dicts)
out, for `st.vega_lite_chart`, vl-convert and the HTML export alike. Every spec carries its
own Vega locale because Streamlit drops embed options.

The overview's builders write the spec as dicts, not Altair objects: Altair validated every
spec against the Vega-Lite JSON schema and deep-copied it on each operation, which cost
about two seconds per group page at 160 indicators. The specs are the ones Altair produced
(tests compare their structure). The compare and explore pages build dicts the same way;
`finnish()` and `empty_chart()` remain for anyone composing Altair charts (the notebook's way).
"""

from __future__ import annotations

import copy
import math
import textwrap
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from dashboard.formatting import VEGA_FORMAT_LOCALE, VEGA_TIME_LOCALE, interval, number
from dashboard.texts import outcome_name, t

ChartLike = alt.Chart | alt.LayerChart | alt.ConcatChart | alt.VConcatChart | alt.HConcatChart
Spec = dict  # a finished Vega-Lite spec

# Colours MEAN the comparison outcome, everywhere (tables use the same map). Blue and
# vermillion stay apart for every common colour-vision deficiency; "similar" is a light
# sand that reads as "nothing to see"; the no-judgement outcomes get neutral purples so
# they never look good or bad; "not compared" is grey.
OUTCOME_COLORS: dict[str, str] = {
    "better": "#2166AC",
    "similar": "#F0D264",
    "worse": "#D55E00",
    "higher": "#8073AC",
    "lower": "#B2ABD2",
    "not_compared": "#BDBDBD",
}
OUTCOME_ORDER = tuple(OUTCOME_COLORS)
OUTLINE = "#1B1B1B"  # dark outline so the pale sand and lilac dots stay visible on white

# Trend lines are descriptive, not verdicts, so they stay in greys: no series can be
# mistaken for an outcome colour, and solid/dashed/dotted plus lightness separate them
# in greyscale print and for every colour-vision deficiency.
SERIES_ORDER = ("group", "area", "country")
SERIES_COLORS = {"group": "#1B1B1B", "area": "#5E5E5E", "country": "#9A9A9A"}
SERIES_DASH = {"group": [1, 0], "area": [6, 3], "country": [2, 2]}
SERIES_DEFAULT_LABELS = {"group": "Ryhmä", "area": "Hyvinvointialue", "country": "Koko maa"}

# Absolute counts (population) of a group, its area and the country differ by orders of
# magnitude: on one axis the group would be a flat line, so only the group is drawn.
GROUP_ONLY_UNITS = frozenset({"count"})

TREND_YEARS = 10
TREND_DATA = "trend"
MEMBER_DATA = "members"
CI_LABEL = "95 %:n luottamusväli"
NO_DATA = "Ei tietoja"
SMALL_NOTE = "pieni kunta: satunnaisvaihtelu suurta"
GROUP_ROW = "Ryhmä yhteensä"

FONT_SIZES = {"label": 12, "title": 13, "chart_title": 15}


# --- common ------------------------------------------------------------------------------

SCHEMA = alt.SCHEMA_URL  # the Vega-Lite version Altair (and vl-convert) speak

# The Finnish locale and a projector-readable config, in every chart's own spec.
CONFIG: dict = {
    "locale": {"number": VEGA_FORMAT_LOCALE, "time": VEGA_TIME_LOCALE},
    "axis": {"labelFontSize": FONT_SIZES["label"], "titleFontSize": FONT_SIZES["title"],
             "labelColor": "#333333", "titleColor": "#333333", "gridColor": "#E6E6E6"},
    "legend": {"labelFontSize": FONT_SIZES["label"], "titleFontSize": FONT_SIZES["title"],
               "labelLimit": 320, "titleLimit": 800},
    "title": {"fontSize": FONT_SIZES["title"], "subtitleFontSize": FONT_SIZES["label"],
              "anchor": "start", "color": "#1B1B1B", "subtitleColor": "#444444"},
    "header": {"labelFontSize": FONT_SIZES["title"], "titleFontSize": FONT_SIZES["title"]},
    "view": {"stroke": "#D9D9D9"},
}


def finnish(chart: ChartLike) -> ChartLike:
    """An Altair chart with the Finnish locale and the shared config (compare, explore)."""
    return chart.configure(**copy.deepcopy(CONFIG))


def _spec(body: dict) -> Spec:
    """A top-level spec: schema, the Finnish config, then the chart itself."""
    return {"$schema": SCHEMA, "config": copy.deepcopy(CONFIG), **body}


def empty_chart(message: str = NO_DATA) -> ChartLike:
    """A valid Altair chart that says there is nothing to draw (for Altair builders)."""
    chart = alt.Chart(alt.Data(values=[{"viesti": message}])).mark_text(
        fontSize=FONT_SIZES["title"], color="#555555"
    ).encode(text="viesti:N").properties(width=220, height=40)
    return finnish(chart)


def empty_spec(message: str = NO_DATA) -> Spec:
    """A valid spec that says there is nothing to draw."""
    return _spec({
        "data": {"values": [{"viesti": message}]},
        "mark": {"type": "text", "fontSize": FONT_SIZES["title"], "color": "#555555"},
        "encoding": {"text": {"field": "viesti", "type": "nominal"}},
        "width": 220, "height": 40,
    })


def _missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _plain(v):
    if _missing(v) and not isinstance(v, str):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return None
    return v


def _column(values: pd.Series) -> list:
    """A column as JSON-ready Python values: NaN/NA/inf as null (Vega and JSON have no NaN)."""
    kind = values.dtype.kind
    if kind == "f":
        arr = values.to_numpy()
        out = arr.tolist()
        for i in np.flatnonzero(~np.isfinite(arr)):
            out[i] = None
        return out
    if kind in "iub":
        return values.tolist()
    return [_plain(v) for v in values.tolist()]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Inline Vega data, column by column (pandas' to_dict('records') is per cell)."""
    keys = [str(c) for c in frame.columns]
    columns = [_column(frame[c]) for c in frame.columns]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
    """The given columns of each row as a dict (absent columns left out, so .get is None).

    Column-wise: to_dict('records') reads Arrow-backed string columns cell by cell, which
    cost more than building the whole chart.
    """
    present = [c for c in columns if c in frame.columns]
    lists = [frame[c].tolist() for c in present]
    return [dict(zip(present, vals, strict=True)) for vals in zip(*lists, strict=True)]


ROW_FIELDS = ("indicator_id", "name", "unit", "decimals", "county_only", "year", "value", "lo",
              "hi", "benchmark_value", "benchmark_label", "country_value", "outcome_area",
              "outcome_country")


def number_format(decimals, trim: bool = False) -> str:
    """d3-format for an indicator's decimals: ',.1f' shows 1234.5 as '1 234,5'."""
    d = 1 if _missing(decimals) else max(0, int(decimals))
    return f",.{d}~f" if trim else f",.{d}f"


def _decimals(row) -> int:
    d = row.get("decimals")
    return 1 if _missing(d) else int(d)


def wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Wrap a title into at most `max_lines` lines, the last one cut with an ellipsis."""
    lines = textwrap.wrap(str(text or ""), width=max(8, width), break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return lines


def _field(name: str, type_: str = "nominal", **props) -> dict:
    return {"field": name, "type": type_, **props}


def _tip(name: str, title: str, type_: str = "nominal", **props) -> dict:
    return {"field": name, "type": type_, "title": title, **props}


def bench_ticks(y: dict) -> dict:
    """The benchmark as a tick on each municipality's row (member dots and compare panels)."""
    return {
        "transform": [{"filter": "isValid(datum.bench)"}],
        "mark": {"type": "tick", "color": "#333333", "thickness": 2, "size": 18},
        "encoding": {"x": _field("bench", "quantitative"), "y": y,
                     "tooltip": [_tip("kunta", "Kunta"), _tip("vertailuarvo", "Vertailuarvo")]},
    }


def _header(**props) -> dict:
    return {"labelExpr": "split(datum.value, '|')", "labelFontWeight": "bold",
            "labelAnchor": "start", "labelFontSize": FONT_SIZES["title"], **props}


# --- trends ------------------------------------------------------------------------------
# One faceted spec per chart (not one sub-chart per panel), over one long data table named
# at the top level; panels filter nothing, the facet splits the table by its title field.
# Values are pre-formatted as Finnish strings for tooltips, so panels need no own formats.

AXIS_FORMAT = ",~f"  # '0,25', '12,5', '5 600 000': trims zeros, works for every unit


def _title_lines(row: Mapping, width: int, extra: list[str] | None = None,
                 max_lines: int = 3) -> str:
    lines = wrap(row.get("name") or str(row["indicator_id"]), width, max_lines)
    return "|".join(lines + (extra or []))


def trend_small_multiples(series: pd.DataFrame, rows: pd.DataFrame,
                          labels: Mapping[str, str] | None = None, columns: int = 3,
                          width: int = 220, height: int = 140,
                          years: int = TREND_YEARS, title: str = "Kehitys") -> Spec:
    """One small panel per indicator in `rows`: group, area and country over the last years.

    `series`: Situation.series (indicator_id, series, year, value, lo, hi); `rows`:
    Situation.rows of the indicators to draw, in drawing order; `labels`: series -> legend
    label. The group's 95 % interval is a translucent band.
    """
    labels = {**SERIES_DEFAULT_LABELS, **(labels or {})}
    if rows is None or rows.empty or series is None or series.empty:
        return empty_spec()
    data = series[series["value"].notna() & series["year"].notna()
                  & series["indicator_id"].isin(rows["indicator_id"])]
    if data.empty:
        return empty_spec()
    last = int(data["year"].max())
    span = (last - years + 1, last)
    meta = rows.set_index("indicator_id")
    group_only = meta["unit"].isin(GROUP_ONLY_UNITS)
    data = data[(data["year"] >= span[0])
                & (~data["indicator_id"].map(group_only) | (data["series"] == "group"))]

    line_width = max(16, width // 7)  # ~7 px per character of a 13 px bold title
    heads = {}
    for row in _rows(rows, ROW_FIELDS):
        extra = (["(vain alue ja koko maa)"] if row.get("county_only") else []) + (
            ["(vain ryhmä)"] if row.get("unit") in GROUP_ONLY_UNITS else [])
        heads[row["indicator_id"]] = _title_lines(row, line_width, extra)
    present = set(data["indicator_id"])
    order = [heads[i] for i in rows["indicator_id"] if i in present]
    ids = data["indicator_id"].tolist()
    decimals = meta["decimals"].fillna(1).astype(int).to_dict()
    dec = [decimals[i] for i in ids]
    texts = [(number(v, d), interval(lo, hi, d)) for v, lo, hi, d in zip(
        data["value"].tolist(), data["lo"].tolist(), data["hi"].tolist(), dec, strict=True)]
    records = [
        {"indicator_id": i, "otsikko": heads[i], "series": s, "sarja": labels[s], "year": y,
         "value": v, "lo": lo, "hi": hi, "arvo": arvo, "vali": vali}
        for i, s, y, v, lo, hi, (arvo, vali) in zip(
            ids, data["series"].tolist(), data["year"].astype(int).tolist(),
            _column(data["value"]), _column(data["lo"]), _column(data["hi"]), texts,
            strict=True)]

    legend_labels = [labels[s] for s in SERIES_ORDER]
    x = _field("year", "quantitative", title=None,
               scale={"domain": list(span), "nice": False, "padding": 6},
               axis={"format": "d", "tickMinStep": 1, "tickCount": 5, "labelAngle": 0,
                     "labelOverlap": True, "grid": False})

    def y(field: str) -> dict:
        return _field(field, "quantitative", scale={"zero": False, "nice": True},
                      axis={"format": AXIS_FORMAT, "tickCount": 4, "title": None,
                            "minExtent": 44})

    color = _field("sarja", title=None,
                   scale={"domain": legend_labels,
                          "range": [SERIES_COLORS[s] for s in SERIES_ORDER]},
                   legend={"orient": "top", "direction": "horizontal", "symbolType": "stroke",
                           "symbolSize": 500, "symbolStrokeWidth": 3})
    dash = _field("sarja", title=None, legend=None,
                  scale={"domain": legend_labels,
                         "range": [SERIES_DASH[s] for s in SERIES_ORDER]})
    band = {
        "transform": [{"filter": "datum.series == 'group' && isValid(datum.lo) && "
                                 "isValid(datum.hi)"}],
        "mark": {"type": "area", "color": SERIES_COLORS["group"], "opacity": 0.14},
        "encoding": {"x": x, "y": y("lo"), "y2": {"field": "hi"},
                     "tooltip": [_tip("year", "Vuosi", "quantitative", format="d"),
                                 _tip("vali", f"Ryhmän {CI_LABEL}")]},
    }
    lines = {
        "mark": {"type": "line", "strokeWidth": 2.4},
        "encoding": {"x": x, "y": y("value"), "color": color, "strokeDash": dash,
                     "detail": _field("series")},
    }
    points = {
        "mark": {"type": "point", "filled": True, "size": 36, "opacity": 1},
        "encoding": {"x": x, "y": y("value"), "color": color,
                     "tooltip": [_tip("sarja", "Sarja"),
                                 _tip("year", "Vuosi", "quantitative", format="d"),
                                 _tip("arvo", "Arvo"), _tip("vali", CI_LABEL)]},
    }
    return _spec({
        "data": {"name": TREND_DATA},
        "facet": _field("otsikko", sort=order, title=None,
                        header=_header(labelLimit=width + 40)),
        "columns": columns, "spacing": 18,
        "spec": {"layer": [band, lines, points], "width": width, "height": height},
        "resolve": {"scale": {"y": "independent"}},
        "title": {"text": title,
                  "subtitle": f"Varjostus: ryhmän {CI_LABEL}. Vuodet {span[0]}–{span[1]}.",
                  "fontSize": FONT_SIZES["chart_title"]},
        "datasets": {TREND_DATA: records},
    })


# --- members -----------------------------------------------------------------------------


def _outcome_scale() -> dict:
    """Always the full domain, so a colour means the same in every chart and page."""
    return {"domain": [outcome_name(o) for o in OUTCOME_ORDER],
            "range": [OUTCOME_COLORS[o] for o in OUTCOME_ORDER]}


def _benchmark_text(value, label_code, decimals) -> str:
    if _missing(value):
        return "–"
    where = t(f"benchmark.{label_code}") if isinstance(label_code, str) else ""
    return f"{number(value, decimals)} ({where})" if where else number(value, decimals)


def _num(x) -> float | None:
    return None if _missing(x) else float(x)


def _year(x) -> int | None:
    return None if _missing(x) else int(x)


def _dot(kunta, kind, value, lo, hi, d, outcome, bench, bench_text, year, small) -> dict:
    outcome = outcome if isinstance(outcome, str) else "not_compared"
    return {"kunta": kunta, "kind": kind, "value": float(value), "lo": _num(lo),
            "hi": _num(hi), "arvo": number(value, d), "vali": interval(lo, hi, d),
            "vertailu": outcome_name(outcome), "outcome": outcome, "bench": _num(bench),
            "vertailuarvo": bench_text, "vuosi": _year(year), "small": small,
            "huom": SMALL_NOTE if small else ""}


def _member_dots_records(members: pd.DataFrame, row: Mapping, benchmark: str) -> list[dict]:
    """The group row (if it has a value) and each member with a value, in members' order."""
    d = _decimals(row)
    out = []
    group_value = row.get("value")
    if not _missing(group_value):
        country = benchmark == "country"
        bench = row.get("country_value") if country else row.get("benchmark_value")
        code = "country" if country else row.get("benchmark_label")
        out.append(_dot(GROUP_ROW, "group", group_value, row.get("lo"), row.get("hi"), d,
                        row.get("outcome_country" if country else "outcome_area"), bench,
                        _benchmark_text(bench, code, d), row.get("year"), False))
    for m in members:
        if _missing(m["value"]):
            continue  # no value, no dot
        small = False if _missing(m["small"]) else bool(m["small"])
        out.append(_dot(str(m["name"]), "member", m["value"], m["lo"], m["hi"], d,
                        m["outcome"], m["benchmark_value"],
                        _benchmark_text(m["benchmark_value"], m["benchmark_label"], d),
                        m["year"], small))
    return out


MEMBER_FIELDS = ("indicator_id", "name", "year", "value", "lo", "hi", "benchmark_value",
                 "benchmark_label", "outcome", "small")


def member_dots(members: pd.DataFrame, rows: pd.DataFrame, benchmark_label: str,
                width: int = 520, benchmark: str = "area",
                title: str = "Kunnat vertailussa") -> Spec:
    """Member municipalities per indicator, coloured by their comparison outcome.

    `members`: Situation.members; `rows`: Situation.rows of the same indicators (drawing
    order); `benchmark_label`: the benchmark's Finnish name for the legend; `benchmark`:
    "area" or "country", which of the group's outcomes and benchmark values the group row
    shows (members carry their own). Whiskers are 95 % intervals; a tick marks each row's
    benchmark (a large member is compared with the rest of the area, so rows may differ).
    """
    if rows is None or rows.empty or members is None:
        return empty_spec()
    by_indicator: dict = {}
    if not members.empty:
        columns = {c: members[c].tolist() if c in members else [None] * len(members)
                   for c in MEMBER_FIELDS}
        for m in (dict(zip(MEMBER_FIELDS, vals, strict=True))
                  for vals in zip(*columns.values(), strict=True)):
            by_indicator.setdefault(m["indicator_id"], []).append(m)
    data, order = [], []
    for row in _rows(rows, ROW_FIELDS):
        if row.get("county_only"):
            continue  # no municipal data to spread
        records = _member_dots_records(by_indicator.get(row["indicator_id"], []), row,
                                       benchmark)
        if not any(r["kind"] == "member" for r in records):
            continue
        benches = {r["bench"] for r in records if r["bench"] is not None}
        sub = (f"vertailuarvo {number(next(iter(benches)), _decimals(row))}"
               if len(benches) == 1 else "vertailuarvot riveittäin")
        year = "" if _missing(row.get("year")) else f"vuosi {int(row['year'])}, "
        head = _title_lines(row, max(30, width // 7), [f"({year}{sub})"], max_lines=2)
        order.append(head)
        indicator_id = int(row["indicator_id"])
        for r in records:
            r.update(indicator_id=indicator_id, otsikko=head, rank=int(r["kind"] != "group"))
        data.extend(records)
    if not data:
        return empty_spec()
    legend = {"title": ["Kunnan arvo vertailukohtaan nähden",
                        f"({CI_LABEL}, vertailukohta: {benchmark_label})"],
              "orient": "top", "direction": "horizontal", "symbolStrokeColor": OUTLINE,
              "symbolStrokeWidth": 1, "symbolSize": 160, "columns": 6}
    x = _field("value", "quantitative", scale={"zero": False, "nice": True}, title=None,
               axis={"format": AXIS_FORMAT, "tickCount": 5, "grid": True})
    y = _field("kunta", sort={"field": "rank", "order": "ascending"}, title=None,
               axis={"labelLimit": 170, "ticks": False, "domain": False, "grid": False})
    tooltip = [_tip("kunta", "Kunta"), _tip("arvo", "Arvo"), _tip("vali", CI_LABEL),
               _tip("vertailu", "Vertailu"), _tip("vertailuarvo", "Vertailuarvo"),
               _tip("vuosi", "Vuosi", "quantitative", format="d"), _tip("huom", "Huom.")]
    ticks = bench_ticks(y)
    whiskers = {
        "transform": [{"filter": "isValid(datum.lo) && isValid(datum.hi)"}],
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {"x": _field("lo", "quantitative"), "x2": {"field": "hi"}, "y": y,
                     "color": {"condition": {"test": "datum.kind == 'group'",
                                             "value": "#1B1B1B"}, "value": "#6B6B6B"},
                     "tooltip": [_tip("kunta", "Kunta"), _tip("vali", CI_LABEL)]},
    }
    dots = {
        "transform": [{"filter": "datum.kind == 'member'"}],
        "mark": {"type": "point", "filled": True, "size": 140, "stroke": OUTLINE,
                 "strokeWidth": 1.2, "opacity": 1},
        "encoding": {"x": x, "y": y, "tooltip": tooltip,
                     "fill": _field("vertailu", scale=_outcome_scale(), legend=legend)},
    }
    group = {
        "transform": [{"filter": "datum.kind == 'group'"}],
        "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 220,
                 "color": "#1B1B1B", "opacity": 1},
        "encoding": {"x": x, "y": y, "tooltip": tooltip},
    }
    subtitle = [f"Vaakaviiva: {CI_LABEL}. Musta vinoneliö: ryhmä yhteensä (kuntien luvut "
                "yhdistettyinä). Pystyviiva: vertailuarvo."]
    smalls = sorted({r["kunta"] for r in data if r["small"]})
    if smalls:
        subtitle.append(f"Pienet kunnat ({', '.join(smalls)}): luvut vaihtelevat "
                        "satunnaisesti ja luottamusvälit ovat leveitä.")
    return _spec({
        "data": {"name": MEMBER_DATA},
        "facet": {"row": _field("otsikko", sort=order, title=None,
                                header=_header(labelAngle=0, labelOrient="top",
                                               labelLimit=width + 200))},
        "spacing": 22,
        "spec": {"layer": [ticks, whiskers, dots, group], "width": width,
                 "height": {"step": 24}},
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
        "title": {"text": title, "subtitle": subtitle, "fontSize": FONT_SIZES["chart_title"]},
        "datasets": {MEMBER_DATA: data},
    })


# --- outcome strip -----------------------------------------------------------------------


def outcome_strip(rows: pd.DataFrame, area_label: str = "Hyvinvointialue",
                  country_label: str = "Koko maa", name_width: int = 60) -> Spec:
    """A heat strip: one line per indicator, the group's outcome against area and country."""
    if rows is None or rows.empty:
        return empty_spec()
    records = []
    order = []
    for row in _rows(rows, ROW_FIELDS):
        name = wrap(row.get("name") or str(row["indicator_id"]), name_width, 1)[0]
        while name in order:  # identical short names must stay separate rows
            name += "\u200b"
        order.append(name)
        for column, label in (("outcome_area", area_label), ("outcome_country", country_label)):
            outcome = row.get(column) if isinstance(row.get(column), str) else "not_compared"
            records.append({"indikaattori": name, "vertailukohta": label,
                            "vertailu": outcome_name(outcome), "outcome": outcome,
                            "vuosi": _year(row.get("year"))})
    return _spec({
        "data": {"values": records},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {
            "x": _field("vertailukohta", sort=[area_label, country_label], title=None,
                        axis={"orient": "top", "labelAngle": 0}),
            "y": _field("indikaattori", sort=order, title=None, axis={"labelLimit": 480}),
            "fill": _field("vertailu", scale=_outcome_scale(),
                           legend={"title": f"Ryhmän arvo ({CI_LABEL})", "orient": "bottom",
                                   "symbolStrokeColor": OUTLINE, "symbolStrokeWidth": 1}),
            "tooltip": [_tip("indikaattori", "Indikaattori"),
                        _tip("vertailukohta", "Vertailukohta"), _tip("vertailu", "Vertailu"),
                        _tip("vuosi", "Vuosi", "quantitative", format="d")],
        },
        "width": 220, "height": 22 * len(order),
    })


# --- projector and export sizes ------------------------------------------------------------

_FONT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"})
_LIMIT_KEYS = frozenset({"labelLimit", "titleLimit"})


def scaled_spec(chart: ChartLike | dict, factor: float) -> dict:
    """The chart's Vega-Lite spec with every font size (and label limit) times `factor`.

    Builders fix font sizes in headers and marks as well as in the config, so a projector
    version scales them all in the finished spec instead of threading sizes through every
    builder. Data and encodings are untouched.
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict()

    def walk(node, in_data: bool):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if in_data or k in ("datasets", "data", "values"):
                    out[k] = v  # never touch the numbers
                elif k in _FONT_KEYS and isinstance(v, int | float):
                    out[k] = round(v * factor, 1)
                elif k in _LIMIT_KEYS and isinstance(v, int | float) and v > 0:
                    out[k] = round(v * factor)
                else:
                    out[k] = walk(v, False)
            return out
        if isinstance(node, list):
            return [walk(v, in_data) for v in node]
        return node

    return walk(spec, False)
