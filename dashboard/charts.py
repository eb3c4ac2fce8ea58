"""Altair chart builders: trends, member spreads and outcome strips, in Finnish format.

Pure (no Streamlit, no DuckDB): Situation frames in, finished top-level charts out. Every
chart carries its own Vega locale because Streamlit drops embed options; the builders
apply `finnish()` themselves, so a returned chart cannot be concatenated further.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from dashboard.formatting import VEGA_FORMAT_LOCALE, VEGA_TIME_LOCALE, interval, number
from dashboard.texts import outcome_name, t

ChartLike = alt.Chart | alt.LayerChart | alt.ConcatChart | alt.VConcatChart | alt.HConcatChart

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


def finnish(chart: ChartLike) -> ChartLike:
    """The Finnish locale and a projector-readable config, in the chart's own spec."""
    fs = FONT_SIZES
    return chart.configure(
        locale=alt.Locale(number=VEGA_FORMAT_LOCALE, time=VEGA_TIME_LOCALE),
        axis=alt.AxisConfig(labelFontSize=fs["label"], titleFontSize=fs["title"],
                            labelColor="#333333", titleColor="#333333", gridColor="#E6E6E6"),
        legend=alt.LegendConfig(labelFontSize=fs["label"], titleFontSize=fs["title"],
                                labelLimit=320, titleLimit=800),
        title=alt.TitleConfig(fontSize=fs["title"], subtitleFontSize=fs["label"],
                              anchor="start", color="#1B1B1B", subtitleColor="#444444"),
        header=alt.HeaderConfig(labelFontSize=fs["title"], titleFontSize=fs["title"]),
        view=alt.ViewConfig(stroke="#D9D9D9"),
    )


def empty_chart(message: str = NO_DATA) -> ChartLike:
    """A valid chart that says there is nothing to draw."""
    chart = alt.Chart(alt.Data(values=[{"viesti": message}])).mark_text(
        fontSize=FONT_SIZES["title"], color="#555555"
    ).encode(text="viesti:N").properties(width=220, height=40)
    return finnish(chart)


def _missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _clean(frame: pd.DataFrame) -> alt.Data:
    """Inline Vega data with NaN/NA as null: Vega has no NaN and JSON has none either.

    Records, not a DataFrame: Altair turns None in an object column back into NaN and then
    writes a bare NaN into the JSON spec.
    """
    records = []
    for rec in frame.to_dict("records"):
        records.append({str(k): _plain(v) for k, v in rec.items()})
    return alt.Data(values=records)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{str(k): _plain(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def _with_datasets(chart: ChartLike, datasets: dict[str, list[dict]]) -> ChartLike:
    """Attach inline data once, at the top level, after every other chart operation.

    Altair deep-copies a chart on each .properties()/.configure()/.resolve_scale(); with
    inline values in every panel those copies cost seconds per page. Panels refer to the
    data by name and filter it, so the copies stay small.
    """
    chart["datasets"] = datasets
    return chart


def _plain(v):
    if _missing(v) and not isinstance(v, str):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return None
    return v


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


# --- trends ------------------------------------------------------------------------------
# One faceted spec per chart (not one Altair object per panel): Altair deep-copies every
# nested chart on each operation, and per-panel objects made a page take seconds to build.
# Values are pre-formatted as Finnish strings for tooltips, so panels need no own formats.

AXIS_FORMAT = ",~f"  # '0,25', '12,5', '5 600 000': trims zeros, works for every unit


def _title_lines(row: Mapping, width: int, extra: list[str] | None = None,
                 max_lines: int = 3) -> str:
    lines = wrap(row.get("name") or str(row["indicator_id"]), width, max_lines)
    return "|".join(lines + (extra or []))


def trend_small_multiples(series: pd.DataFrame, rows: pd.DataFrame,
                          labels: Mapping[str, str] | None = None, columns: int = 3,
                          width: int = 220, height: int = 140,
                          years: int = TREND_YEARS, title: str = "Kehitys") -> ChartLike:
    """One small panel per indicator in `rows`: group, area and country over the last years.

    `series`: Situation.series (indicator_id, series, year, value, lo, hi); `rows`:
    Situation.rows of the indicators to draw, in drawing order; `labels`: series -> legend
    label. The group's 95 % interval is a translucent band.
    """
    labels = {**SERIES_DEFAULT_LABELS, **(labels or {})}
    if rows is None or rows.empty or series is None or series.empty:
        return empty_chart()
    data = series.dropna(subset=["value", "year"])
    data = data[data["indicator_id"].isin(rows["indicator_id"])]
    if data.empty:
        return empty_chart()
    last = int(data["year"].max())
    span = (last - years + 1, last)
    data = data[data["year"] >= span[0]]
    meta = rows.set_index("indicator_id")
    group_only = meta["unit"].isin(GROUP_ONLY_UNITS)
    data = data[~data["indicator_id"].map(group_only) | (data["series"] == "group")].copy()

    line_width = max(16, width // 7)  # ~7 px per character of a 13 px bold title
    heads = {}
    for row in rows.to_dict("records"):
        extra = (["(vain alue ja koko maa)"] if row.get("county_only") else []) + (
            ["(vain ryhmä)"] if row.get("unit") in GROUP_ONLY_UNITS else [])
        heads[row["indicator_id"]] = _title_lines(row, line_width, extra)
    order = [heads[i] for i in rows["indicator_id"] if i in set(data["indicator_id"])]
    decimals = data["indicator_id"].map(meta["decimals"]).fillna(1).astype(int)
    data["otsikko"] = data["indicator_id"].map(heads)
    data["year"] = data["year"].astype(int)
    data["sarja"] = data["series"].map(labels)
    data["arvo"] = [number(v, d) for v, d in zip(data["value"], decimals, strict=True)]
    data["vali"] = [interval(lo, hi, d) for lo, hi, d in zip(data["lo"], data["hi"], decimals,
                                                            strict=True)]
    legend_labels = [labels[s] for s in SERIES_ORDER]

    x = alt.X("year:Q", title=None, scale=alt.Scale(domain=list(span), nice=False, padding=6),
              axis=alt.Axis(format="d", tickMinStep=1, tickCount=5, labelAngle=0,
                            labelOverlap=True, grid=False))
    y_scale = alt.Scale(zero=False, nice=True)
    y_axis = alt.Axis(format=AXIS_FORMAT, tickCount=4, title=None, minExtent=44)
    color = alt.Color("sarja:N", title=None,
                      scale=alt.Scale(domain=legend_labels,
                                      range=[SERIES_COLORS[s] for s in SERIES_ORDER]),
                      legend=alt.Legend(orient="top", direction="horizontal",
                                        symbolType="stroke", symbolSize=500,
                                        symbolStrokeWidth=3))
    dash = alt.StrokeDash("sarja:N", title=None, legend=None,
                          scale=alt.Scale(domain=legend_labels,
                                          range=[SERIES_DASH[s] for s in SERIES_ORDER]))
    tooltip = [alt.Tooltip("sarja:N", title="Sarja"), alt.Tooltip("year:Q", title="Vuosi", format="d"),
               alt.Tooltip("arvo:N", title="Arvo"), alt.Tooltip("vali:N", title=CI_LABEL)]
    base = alt.Chart()
    band = base.transform_filter(
        "datum.series == 'group' && isValid(datum.lo) && isValid(datum.hi)").mark_area(
        color=SERIES_COLORS["group"], opacity=0.14).encode(
        x=x, y=alt.Y("lo:Q", scale=y_scale, axis=y_axis), y2="hi:Q",
        tooltip=[alt.Tooltip("year:Q", title="Vuosi", format="d"),
                 alt.Tooltip("vali:N", title=f"Ryhmän {CI_LABEL}")])
    lines = base.mark_line(strokeWidth=2.4).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis), color=color, strokeDash=dash,
        detail="series:N")
    points = base.mark_point(filled=True, size=36, opacity=1).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis), color=color, tooltip=tooltip)
    layered = alt.layer(band, lines, points).properties(width=width, height=height)
    chart = layered.facet(
        facet=alt.Facet("otsikko:N", sort=order, title=None,
                        header=alt.Header(labelExpr="split(datum.value, '|')",
                                          labelFontWeight="bold", labelAnchor="start",
                                          labelFontSize=FONT_SIZES["title"], labelLimit=width + 40)),
        columns=columns, spacing=18, data=alt.Data(name=TREND_DATA),
    ).resolve_scale(y="independent").properties(title=alt.TitleParams(
        text=title, subtitle=f"Varjostus: ryhmän {CI_LABEL}. Vuodet {span[0]}–{span[1]}.",
        fontSize=FONT_SIZES["chart_title"]))
    columns_out = ["indicator_id", "otsikko", "series", "sarja", "year", "value", "lo", "hi",
                   "arvo", "vali"]
    return _with_datasets(finnish(chart), {TREND_DATA: _records(data[columns_out])})


# --- members -----------------------------------------------------------------------------


def _outcome_scale(outcomes: Iterable[str] | None = None) -> alt.Scale:
    """Always the full domain, so a colour means the same in every chart and page."""
    return alt.Scale(domain=[outcome_name(o) for o in OUTCOME_ORDER],
                     range=[OUTCOME_COLORS[o] for o in OUTCOME_ORDER])


def _benchmark_text(value, label_code, decimals) -> str:
    if _missing(value):
        return "–"
    where = t(f"benchmark.{label_code}") if isinstance(label_code, str) else ""
    return f"{number(value, decimals)} ({where})" if where else number(value, decimals)


def _member_frame(members: pd.DataFrame, row: Mapping, benchmark: str) -> pd.DataFrame:
    d = _decimals(row)
    out = []
    group_value = row.get("value")
    if not _missing(group_value):
        bench_value = row.get("country_value") if benchmark == "country" else row.get(
            "benchmark_value")
        bench_code = "country" if benchmark == "country" else row.get("benchmark_label")
        outcome = row.get("outcome_country" if benchmark == "country" else "outcome_area")
        outcome = outcome if isinstance(outcome, str) else "not_compared"
        out.append({
            "kunta": GROUP_ROW, "kind": "group", "value": float(group_value),
            "lo": row.get("lo"), "hi": row.get("hi"), "arvo": number(group_value, d),
            "vali": interval(row.get("lo"), row.get("hi"), d),
            "vertailu": outcome_name(outcome), "outcome": outcome, "bench": bench_value,
            "vertailuarvo": _benchmark_text(bench_value, bench_code, d),
            "vuosi": None if _missing(row.get("year")) else int(row["year"]),
            "small": False, "huom": "",
        })
    for m in members.to_dict("records"):
        if _missing(m.get("value")):
            continue  # no value, no dot
        small = bool(m.get("small")) if not _missing(m.get("small")) else False
        outcome = m.get("outcome") if isinstance(m.get("outcome"), str) else "not_compared"
        out.append({
            "kunta": str(m.get("name")), "kind": "member", "value": float(m["value"]),
            "lo": m.get("lo"), "hi": m.get("hi"), "arvo": number(m["value"], d),
            "vali": interval(m.get("lo"), m.get("hi"), d),
            "vertailu": outcome_name(outcome), "outcome": outcome,
            "bench": m.get("benchmark_value"),
            "vertailuarvo": _benchmark_text(m.get("benchmark_value"), m.get("benchmark_label"),
                                            d),
            "vuosi": None if _missing(m.get("year")) else int(m["year"]),
            "small": small, "huom": SMALL_NOTE if small else "",
        })
    frame = pd.DataFrame(out, columns=["kunta", "kind", "value", "lo", "hi", "arvo", "vali",
                                       "vertailu", "outcome", "bench", "vertailuarvo", "vuosi",
                                       "small", "huom"])
    for col in ("value", "lo", "hi", "bench"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def member_dots(members: pd.DataFrame, rows: pd.DataFrame, benchmark_label: str,
                width: int = 520, benchmark: str = "area",
                title: str = "Kunnat vertailussa") -> ChartLike:
    """Member municipalities per indicator, coloured by their comparison outcome.

    `members`: Situation.members; `rows`: Situation.rows of the same indicators (drawing
    order); `benchmark_label`: the benchmark's Finnish name for the legend; `benchmark`:
    "area" or "country", which of the group's outcomes and benchmark values the group row
    shows (members carry their own). Whiskers are 95 % intervals; a tick marks each row's
    benchmark (a large member is compared with the rest of the area, so rows may differ).
    """
    if rows is None or rows.empty or members is None:
        return empty_chart()
    frames, order = [], []
    for row in rows.to_dict("records"):
        if row.get("county_only"):
            continue  # no municipal data to spread
        part = members[members["indicator_id"] == row["indicator_id"]]
        frame = _member_frame(part, row, benchmark)
        if not frame["kind"].eq("member").any():
            continue
        benches = frame["bench"].dropna()
        sub = (f"vertailuarvo {number(benches.iloc[0], _decimals(row))}"
               if benches.nunique() == 1 else "vertailuarvot riveittäin")
        year = "" if _missing(row.get("year")) else f"vuosi {int(row['year'])}, "
        head = _title_lines(row, max(30, width // 7), [f"({year}{sub})"], max_lines=2)
        order.append(head)
        frames.append(frame.assign(indicator_id=int(row["indicator_id"]), otsikko=head))
    if not frames:
        return empty_chart()
    data = pd.concat(frames, ignore_index=True)
    legend = alt.Legend(title=["Kunnan arvo vertailukohtaan nähden",
                               f"({CI_LABEL}, vertailukohta: {benchmark_label})"],
                        orient="top", direction="horizontal", symbolStrokeColor=OUTLINE,
                        symbolStrokeWidth=1, symbolSize=160, columns=6)
    x = alt.X("value:Q", scale=alt.Scale(zero=False, nice=True), title=None,
              axis=alt.Axis(format=AXIS_FORMAT, tickCount=5, grid=True))
    y = alt.Y("kunta:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None,
              axis=alt.Axis(labelLimit=170, ticks=False, domain=False, grid=False))
    tooltip = [alt.Tooltip("kunta:N", title="Kunta"), alt.Tooltip("arvo:N", title="Arvo"),
               alt.Tooltip("vali:N", title=CI_LABEL), alt.Tooltip("vertailu:N", title="Vertailu"),
               alt.Tooltip("vertailuarvo:N", title="Vertailuarvo"),
               alt.Tooltip("vuosi:Q", title="Vuosi", format="d"),
               alt.Tooltip("huom:N", title="Huom.")]
    base = alt.Chart()
    ticks = base.transform_filter("isValid(datum.bench)").mark_tick(
        color="#333333", thickness=2, size=18).encode(
        x=alt.X("bench:Q"), y=y, tooltip=[alt.Tooltip("kunta:N", title="Kunta"),
                                          alt.Tooltip("vertailuarvo:N", title="Vertailuarvo")])
    whiskers = base.transform_filter("isValid(datum.lo) && isValid(datum.hi)").mark_rule(
        strokeWidth=2).encode(
        x=alt.X("lo:Q"), x2="hi:Q", y=y,
        color=alt.condition("datum.kind == 'group'", alt.value("#1B1B1B"), alt.value("#6B6B6B")),
        tooltip=[alt.Tooltip("kunta:N", title="Kunta"), alt.Tooltip("vali:N", title=CI_LABEL)])
    dots = base.transform_filter("datum.kind == 'member'").mark_point(
        filled=True, size=140, stroke=OUTLINE, strokeWidth=1.2, opacity=1).encode(
        x=x, y=y, fill=alt.Fill("vertailu:N", scale=_outcome_scale(), legend=legend),
        tooltip=tooltip)
    group = base.transform_filter("datum.kind == 'group'").mark_point(
        shape="diamond", filled=True, size=220, color="#1B1B1B", opacity=1).encode(
        x=x, y=y, tooltip=tooltip)
    data["rank"] = (data["kind"] != "group").astype(int)
    layered = alt.layer(ticks, whiskers, dots, group).properties(
        width=width, height=alt.Step(24))
    subtitle = [f"Vaakaviiva: {CI_LABEL}. Musta vinoneliö: ryhmä yhteensä (kuntien luvut "
                "yhdistettyinä). Pystyviiva: vertailuarvo."]
    smalls = sorted(set(data.loc[data["small"], "kunta"]))
    if smalls:
        subtitle.append(f"Pienet kunnat ({', '.join(smalls)}): luvut vaihtelevat "
                        "satunnaisesti ja luottamusvälit ovat leveitä.")
    chart = layered.facet(
        row=alt.Row("otsikko:N", sort=order, title=None,
                    header=alt.Header(labelExpr="split(datum.value, '|')", labelAngle=0,
                                      labelOrient="top", labelAnchor="start",
                                      labelFontWeight="bold", labelFontSize=FONT_SIZES["title"],
                                      labelLimit=width + 200)),
        spacing=22, data=alt.Data(name=MEMBER_DATA),
    ).resolve_scale(x="independent", y="independent").properties(title=alt.TitleParams(
        text=title, subtitle=subtitle, fontSize=FONT_SIZES["chart_title"]))
    return _with_datasets(finnish(chart), {MEMBER_DATA: _records(data)})


# --- outcome strip -----------------------------------------------------------------------


def outcome_strip(rows: pd.DataFrame, area_label: str = "Hyvinvointialue",
                  country_label: str = "Koko maa", name_width: int = 60) -> ChartLike:
    """A heat strip: one line per indicator, the group's outcome against area and country."""
    if rows is None or rows.empty:
        return empty_chart()
    records = []
    order = []
    for row in rows.to_dict("records"):
        name = wrap(row.get("name") or str(row["indicator_id"]), name_width, 1)[0]
        while name in order:  # identical short names must stay separate rows
            name += "\u200b"
        order.append(name)
        for column, label in (("outcome_area", area_label), ("outcome_country", country_label)):
            outcome = row.get(column) if isinstance(row.get(column), str) else "not_compared"
            records.append({"indikaattori": name, "vertailukohta": label,
                            "vertailu": outcome_name(outcome), "outcome": outcome,
                            "vuosi": None if _missing(row.get("year")) else int(row["year"])})
    frame = pd.DataFrame(records)
    chart = alt.Chart(_clean(frame)).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("vertailukohta:N", sort=[area_label, country_label], title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("indikaattori:N", sort=order, title=None, axis=alt.Axis(labelLimit=480)),
        fill=alt.Fill("vertailu:N", scale=_outcome_scale(frame["outcome"]),
                      legend=alt.Legend(title=f"Ryhmän arvo ({CI_LABEL})", orient="bottom",
                                        symbolStrokeColor=OUTLINE, symbolStrokeWidth=1)),
        tooltip=[alt.Tooltip("indikaattori:N", title="Indikaattori"),
                 alt.Tooltip("vertailukohta:N", title="Vertailukohta"),
                 alt.Tooltip("vertailu:N", title="Vertailu"),
                 alt.Tooltip("vuosi:Q", title="Vuosi", format="d")],
    ).properties(width=220, height=22 * len(order))
    return finnish(chart)


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
