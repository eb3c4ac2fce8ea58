"""Charts of the compare page: an outcome heat map and per-indicator dot charts with whiskers.

Pure (no Streamlit): comparison.Comparison.rows in, finished Altair charts out, in the
Finnish locale (charts.finnish) and the shared outcome colours (charts.OUTCOME_COLORS).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import charts
from dashboard.formatting import interval, number
from dashboard.texts import outcome_name

HEAT_DATA = "heat"
DOT_DATA = "dots"
LIGHT_TEXT = frozenset({"better", "worse"})  # dark fills: white cell text


def outcome_scale() -> alt.Scale:
    """The full outcome domain every time, so a colour means the same in every chart."""
    return alt.Scale(domain=[outcome_name(o) for o in charts.OUTCOME_ORDER],
                     range=[charts.OUTCOME_COLORS[o] for o in charts.OUTCOME_ORDER])


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{str(k): charts._plain(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


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
            municipality_order: list[str] | None = None, name_width: int = 70) -> charts.ChartLike:
    """Indicators (rows) × municipalities (columns), each cell coloured by its outcome."""
    if rows is None or rows.empty:
        return charts.empty_chart()
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
    x = alt.X("kunta:N", sort=munis, title=None,
              axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=140))
    y = alt.Y("indikaattori:N", sort=order, title=None, axis=alt.Axis(labelLimit=520))
    tooltip = [alt.Tooltip("indikaattori:N", title="Indikaattori"),
               alt.Tooltip("kunta:N", title="Kunta"), alt.Tooltip("arvo:N", title="Arvo"),
               alt.Tooltip("vali:N", title=charts.CI_LABEL),
               alt.Tooltip("vertailuarvo:N", title="Vertailuarvo"),
               alt.Tooltip("vertailu:N", title="Vertailu"),
               alt.Tooltip("vuosi:Q", title="Vuosi", format="d")]
    base = alt.Chart(alt.Data(name=HEAT_DATA))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, fill=alt.Fill("vertailu:N", scale=outcome_scale(),
                                legend=alt.Legend(title=legend_title, orient="bottom",
                                                  direction="horizontal", columns=6,
                                                  symbolStrokeColor=charts.OUTLINE,
                                                  symbolStrokeWidth=1)),
        tooltip=tooltip)
    text = base.mark_text(fontSize=11).encode(
        x=x, y=y, text="arvo:N",
        color=alt.condition("datum.light", alt.value("white"), alt.value("#1B1B1B")),
        tooltip=tooltip)
    width = max(240, 58 * len(munis))
    chart = alt.layer(cells, text).properties(width=width, height=alt.Step(26))
    chart = charts.finnish(chart)
    chart["datasets"] = {HEAT_DATA: _records(data)}
    return chart


def dots(rows: pd.DataFrame, benchmark_names: dict[str, str], width: int = 560,
         title: str = "Arvot, luottamusvälit ja vertailuarvot") -> charts.ChartLike:
    """One panel per indicator: each municipality's value, 95 % whisker and its benchmark.

    A vertical rule marks the benchmark when every municipality has the same one; a tick on
    each row marks that row's own benchmark (a large municipality is compared with the rest
    of the area).
    """
    if rows is None or rows.empty or rows["value"].notna().sum() == 0:
        return charts.empty_chart()
    data = _cells(rows[rows["value"].notna()], benchmark_names)
    heads, order = {}, []
    for iid, part in data.groupby("indicator_id", sort=False):
        row = part.iloc[0]
        bench = part["benchmark_value"].dropna()
        where = benchmark_names.get(row["benchmark_label"], "")
        sub = (f"vertailuarvo {number(bench.iloc[0], int(row['decimals']))} ({where})"
               if bench.nunique() == 1 and part["benchmark_label"].nunique() == 1
               else "vertailuarvot riveittäin")
        lines = charts.wrap(row["name"], max(30, width // 7), 2) + [
            f"(vuosi {int(row['year'])}, {sub})"]
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
    x = alt.X("value:Q", scale=alt.Scale(zero=False, nice=True), title=None,
              axis=alt.Axis(format=charts.AXIS_FORMAT, tickCount=5, grid=True))
    y = alt.Y("kunta:N", sort=None, title=None,
              axis=alt.Axis(labelLimit=170, ticks=False, domain=False, grid=False))
    tooltip = [alt.Tooltip("kunta:N", title="Kunta"), alt.Tooltip("arvo:N", title="Arvo"),
               alt.Tooltip("vali:N", title=charts.CI_LABEL),
               alt.Tooltip("vertailu:N", title="Vertailu"),
               alt.Tooltip("vertailuarvo:N", title="Vertailuarvo"),
               alt.Tooltip("vuosi:Q", title="Vuosi", format="d")]
    base = alt.Chart()
    rule = base.transform_filter("isValid(datum.bench_common)").mark_rule(
        color="#333333", strokeDash=[5, 3], strokeWidth=1.5).encode(x=alt.X("bench_common:Q"))
    ticks = base.transform_filter("isValid(datum.bench)").mark_tick(
        color="#333333", thickness=2, size=18).encode(
        x=alt.X("bench:Q"), y=y, tooltip=[alt.Tooltip("kunta:N", title="Kunta"),
                                          alt.Tooltip("vertailuarvo:N", title="Vertailuarvo")])
    whiskers = base.transform_filter("isValid(datum.lo) && isValid(datum.hi)").mark_rule(
        strokeWidth=2, color="#6B6B6B").encode(
        x=alt.X("lo:Q"), x2="hi:Q", y=y,
        tooltip=[alt.Tooltip("kunta:N", title="Kunta"), alt.Tooltip("vali:N", title=charts.CI_LABEL)])
    points = base.mark_point(filled=True, size=140, stroke=charts.OUTLINE, strokeWidth=1.2,
                             opacity=1).encode(
        x=x, y=y, fill=alt.Fill("vertailu:N", scale=outcome_scale(),
                                legend=alt.Legend(title=f"Vertailu ({charts.CI_LABEL})",
                                                  orient="top", direction="horizontal",
                                                  columns=6, symbolStrokeColor=charts.OUTLINE,
                                                  symbolStrokeWidth=1)),
        tooltip=tooltip)
    layered = alt.layer(rule, ticks, whiskers, points).properties(width=width,
                                                                  height=alt.Step(24))
    subtitle = [f"Vaakaviiva: {charts.CI_LABEL}. Pystyviiva ja -merkki: vertailuarvo."]
    smalls = sorted(set(data.loc[data["small"], "kunta"]))
    if smalls:
        subtitle.append(f"Pienet kunnat ({', '.join(smalls)}): luvut vaihtelevat "
                        "satunnaisesti ja luottamusvälit ovat leveitä.")
    chart = layered.facet(
        row=alt.Row("otsikko:N", sort=order, title=None,
                    header=alt.Header(labelExpr="split(datum.value, '|')", labelAngle=0,
                                      labelOrient="top", labelAnchor="start",
                                      labelFontWeight="bold",
                                      labelFontSize=charts.FONT_SIZES["title"],
                                      labelLimit=width + 200)),
        spacing=22, data=alt.Data(name=DOT_DATA),
    ).resolve_scale(x="independent", y="independent").properties(title=alt.TitleParams(
        text=title, subtitle=subtitle, fontSize=charts.FONT_SIZES["chart_title"]))
    chart = charts.finnish(chart)
    chart["datasets"] = {DOT_DATA: _records(data)}
    return chart
