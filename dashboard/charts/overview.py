"""The group overview's charts: trend small multiples, member dots and the outcome strip.

Pure: Situation frames in, finished Vega-Lite specs (plain dicts) out (charts.base says why
dicts and not Altair objects).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.charts import base
from dashboard.i18n.catalog import _, benchmark_name, outcome_name
from dashboard.i18n.formatting import interval, number

# --- trends ------------------------------------------------------------------------------
# One faceted spec per chart (not one sub-chart per panel), over one long data table named
# at the top level; panels filter nothing, the facet splits the table by its title field.
# Values are pre-formatted in the current language for tooltips, so panels need no own formats.

def _title_lines(row: Mapping, width: int, extra: list[str] | None = None,
                 max_lines: int = 3) -> str:
    lines = base.wrap(row.get("name") or str(row["indicator_id"]), width, max_lines)
    return "|".join(lines + (extra or []))


def trend_small_multiples(series: pd.DataFrame, rows: pd.DataFrame,
                          labels: Mapping[str, str] | None = None, columns: int = 3,
                          width: int = 220, height: int = 140,
                          years: int = base.TREND_YEARS, title: str | None = None) -> base.Spec:
    """One small panel per indicator in `rows`: group, area and country over the last years.

    `series`: Situation.series (indicator_id, series, year, value, lo, hi); `rows`:
    Situation.rows of the indicators to draw, in drawing order; `labels`: series -> legend
    label (defaults: base.series_labels()). The group's 95 % interval is a translucent band.
    `title` defaults to "Kehitys" in the current language.
    """
    labels = {**base.series_labels(), **(labels or {})}
    title = _("Kehitys") if title is None else title
    if rows is None or rows.empty or series is None or series.empty:
        return base.empty_spec()
    data = series[series["value"].notna() & series["year"].notna()
                  & series["indicator_id"].isin(rows["indicator_id"])]
    if data.empty:
        return base.empty_spec()
    last = int(data["year"].max())
    span = (last - years + 1, last)
    meta = rows.set_index("indicator_id")
    group_only = meta["unit"].isin(base.GROUP_ONLY_UNITS)
    data = data[(data["year"] >= span[0])
                & (~data["indicator_id"].map(group_only) | (data["series"] == "group"))]

    line_width = max(16, width // 7)  # ~7 px per character of a 13 px bold title
    heads = {}
    for row in base.rows(rows, base.ROW_FIELDS):
        extra = ([_("(vain alue ja koko maa)")] if row.get("county_only") else []) + (
            [_("(vain ryhmä)")] if row.get("unit") in base.GROUP_ONLY_UNITS else [])
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
            base.column(data["value"]), base.column(data["lo"]), base.column(data["hi"]), texts,
            strict=True)]

    legend_labels = [labels[s] for s in base.SERIES_ORDER]
    x = base.field("year", "quantitative", title=None,
               scale={"domain": list(span), "nice": False, "padding": 6},
               axis={"format": "d", "tickMinStep": 1, "tickCount": 5, "labelAngle": 0,
                     "labelOverlap": True, "grid": False})

    def y(field: str) -> dict:
        return base.field(field, "quantitative", scale={"zero": False, "nice": True},
                      axis={"format": base.AXIS_FORMAT, "tickCount": 4, "title": None,
                            "minExtent": 44})

    color = base.field("sarja", title=None,
                   scale={"domain": legend_labels,
                          "range": [base.SERIES_COLORS[s] for s in base.SERIES_ORDER]},
                   legend={"orient": "top", "direction": "horizontal", "symbolType": "stroke",
                           "symbolSize": 500, "symbolStrokeWidth": 3})
    dash = base.field("sarja", title=None, legend=None,
                  scale={"domain": legend_labels,
                         "range": [base.SERIES_DASH[s] for s in base.SERIES_ORDER]})
    band = {
        "transform": [{"filter": "datum.series == 'group' && isValid(datum.lo) && "
                                 "isValid(datum.hi)"}],
        "mark": {"type": "area", "color": base.SERIES_COLORS["group"], "opacity": 0.14},
        "encoding": {"x": x, "y": y("lo"), "y2": {"field": "hi"},
                     "tooltip": [base.tip("year", _("Vuosi"), "quantitative", format="d"),
                                 base.tip("vali", _("Ryhmän 95 %:n luottamusväli"))]},
    }
    lines = {
        "mark": {"type": "line", "strokeWidth": 2.4},
        "encoding": {"x": x, "y": y("value"), "color": color, "strokeDash": dash,
                     "detail": base.field("series")},
    }
    points = {
        "mark": {"type": "point", "filled": True, "size": 36, "opacity": 1},
        "encoding": {"x": x, "y": y("value"), "color": color,
                     "tooltip": [base.tip("sarja", _("Sarja")),
                                 base.tip("year", _("Vuosi"), "quantitative", format="d"),
                                 base.tip("arvo", _("Arvo")), base.tip("vali", _(base.CI_LABEL))]},
    }
    return base.spec({
        "data": {"name": base.TREND_DATA},
        "facet": base.field("otsikko", sort=order, title=None,
                        header=base.header(labelLimit=width + 40)),
        "columns": columns, "spacing": 18,
        "spec": {"layer": [band, lines, points], "width": width, "height": height},
        "resolve": {"scale": {"y": "independent"}},
        "title": {"text": title,
                  "subtitle": _("Varjostus: ryhmän 95 %:n luottamusväli. Vuodet {first}–{last}.",
                                first=span[0], last=span[1]),
                  "fontSize": base.FONT_SIZES["chart_title"]},
        "datasets": {base.TREND_DATA: records},
    })


# --- members -----------------------------------------------------------------------------


def _benchmark_text(value, label_code, decimals) -> str:
    if base.missing(value):
        return "–"
    where = benchmark_name(label_code) if isinstance(label_code, str) else ""
    return f"{number(value, decimals)} ({where})" if where else number(value, decimals)


def _dot(kunta, kind, value, lo, hi, d, outcome, bench, bench_text, year, small) -> dict:
    outcome = outcome if isinstance(outcome, str) else "not_compared"
    return {"kunta": kunta, "kind": kind, "value": float(value), "lo": base.num(lo),
            "hi": base.num(hi), "arvo": number(value, d), "vali": interval(lo, hi, d),
            "vertailu": outcome_name(outcome), "outcome": outcome, "bench": base.num(bench),
            "vertailuarvo": bench_text, "vuosi": base.year_of(year), "small": small,
            "huom": _(base.SMALL_NOTE) if small else ""}


def _member_dots_records(members: pd.DataFrame, row: Mapping, benchmark: str) -> list[dict]:
    """The group row (if it has a value) and each member with a value, in members' order."""
    d = base.decimals_of(row)
    out = []
    group_value = row.get("value")
    if not base.missing(group_value):
        country = benchmark == "country"
        bench = row.get("country_value") if country else row.get("benchmark_value")
        code = "country" if country else row.get("benchmark_label")
        out.append(_dot(_(base.GROUP_ROW), "group", group_value, row.get("lo"), row.get("hi"), d,
                        row.get("outcome_country" if country else "outcome_area"), bench,
                        _benchmark_text(bench, code, d), row.get("year"), False))
    for m in members:
        if base.missing(m["value"]):
            continue  # no value, no dot
        small = False if base.missing(m["small"]) else bool(m["small"])
        out.append(_dot(str(m["name"]), "member", m["value"], m["lo"], m["hi"], d,
                        m["outcome"], m["benchmark_value"],
                        _benchmark_text(m["benchmark_value"], m["benchmark_label"], d),
                        m["year"], small))
    return out


def _panel_note(row: Mapping, benches: set) -> str:
    """'(vuosi 2024, vertailuarvo 12,3)' under a panel's title: one whole text per case."""
    year = None if base.missing(row.get("year")) else int(row["year"])
    if len(benches) == 1:
        value = number(next(iter(benches)), base.decimals_of(row))
        return (_("(vertailuarvo {value})", value=value) if year is None else
                _("(vuosi {year}, vertailuarvo {value})", year=year, value=value))
    return (_("(vertailuarvot riveittäin)") if year is None else
            _("(vuosi {year}, vertailuarvot riveittäin)", year=year))


MEMBER_FIELDS = ("indicator_id", "name", "year", "value", "lo", "hi", "benchmark_value",
                 "benchmark_label", "outcome", "small")


def member_dots(members: pd.DataFrame, rows: pd.DataFrame, benchmark_label: str,
                width: int = 520, benchmark: str = "area",
                title: str | None = None) -> base.Spec:
    """Member municipalities per indicator, coloured by their comparison outcome.

    `members`: Situation.members; `rows`: Situation.rows of the same indicators (drawing
    order); `benchmark_label`: the benchmark's name for the legend; `benchmark`:
    "area" or "country", which of the group's outcomes and benchmark values the group row
    shows (members carry their own). Whiskers are 95 % intervals; a tick marks each row's
    benchmark (a large member is compared with the rest of the area, so rows may differ).
    `title` defaults to "Kunnat vertailussa" in the current language.
    """
    title = _("Kunnat vertailussa") if title is None else title
    if rows is None or rows.empty or members is None:
        return base.empty_spec()
    by_indicator: dict = {}
    if not members.empty:
        columns = {c: members[c].tolist() if c in members else [None] * len(members)
                   for c in MEMBER_FIELDS}
        for m in (dict(zip(MEMBER_FIELDS, vals, strict=True))
                  for vals in zip(*columns.values(), strict=True)):
            by_indicator.setdefault(m["indicator_id"], []).append(m)
    data, order = [], []
    for row in base.rows(rows, base.ROW_FIELDS):
        if row.get("county_only"):
            continue  # no municipal data to spread
        records = _member_dots_records(by_indicator.get(row["indicator_id"], []), row,
                                       benchmark)
        if not any(r["kind"] == "member" for r in records):
            continue
        benches = {r["bench"] for r in records if r["bench"] is not None}
        head = _title_lines(row, max(30, width // 7), [_panel_note(row, benches)], max_lines=2)
        order.append(head)
        indicator_id = int(row["indicator_id"])
        for r in records:
            r.update(indicator_id=indicator_id, otsikko=head, rank=int(r["kind"] != "group"))
        data.extend(records)
    if not data:
        return base.empty_spec()
    legend = {"title": [_("Kunnan arvo vertailukohtaan nähden"),
                        _("(95 %:n luottamusväli, vertailukohta: {benchmark})",
                          benchmark=benchmark_label)],
              "orient": "top", "direction": "horizontal", "symbolStrokeColor": base.OUTLINE,
              "symbolStrokeWidth": 1, "symbolSize": 160, "columns": 6}
    x = base.field("value", "quantitative", scale={"zero": False, "nice": True}, title=None,
               axis={"format": base.AXIS_FORMAT, "tickCount": 5, "grid": True})
    y = base.field("kunta", sort={"field": "rank", "order": "ascending"}, title=None,
               axis={"labelLimit": 170, "ticks": False, "domain": False, "grid": False})
    tooltip = [base.tip("kunta", _("Kunta")), base.tip("arvo", _("Arvo")),
               base.tip("vali", _(base.CI_LABEL)), base.tip("vertailu", _("Vertailu")),
               base.tip("vertailuarvo", _("Vertailuarvo")),
               base.tip("vuosi", _("Vuosi"), "quantitative", format="d"),
               base.tip("huom", _("Huom."))]
    ticks = base.bench_ticks(y)
    whiskers = {
        "transform": [{"filter": "isValid(datum.lo) && isValid(datum.hi)"}],
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {"x": base.field("lo", "quantitative"), "x2": {"field": "hi"}, "y": y,
                     "color": {"condition": {"test": "datum.kind == 'group'",
                                             "value": "#1B1B1B"}, "value": "#6B6B6B"},
                     "tooltip": [base.tip("kunta", _("Kunta")),
                                 base.tip("vali", _(base.CI_LABEL))]},
    }
    dots = {
        "transform": [{"filter": "datum.kind == 'member'"}],
        "mark": {"type": "point", "filled": True, "size": 140, "stroke": base.OUTLINE,
                 "strokeWidth": 1.2, "opacity": 1},
        "encoding": {"x": x, "y": y, "tooltip": tooltip,
                     "fill": base.field("vertailu", scale=base.outcome_scale(), legend=legend)},
    }
    group = {
        "transform": [{"filter": "datum.kind == 'group'"}],
        "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 220,
                 "color": "#1B1B1B", "opacity": 1},
        "encoding": {"x": x, "y": y, "tooltip": tooltip},
    }
    subtitle = [_("Vaakaviiva: 95 %:n luottamusväli. Musta vinoneliö: ryhmä yhteensä (kuntien "
                  "luvut yhdistettyinä). Pystyviiva: vertailuarvo.")]
    smalls = sorted({r["kunta"] for r in data if r["small"]})
    if smalls:
        subtitle.append(base.small_municipalities_note(smalls))
    return base.spec({
        "data": {"name": base.MEMBER_DATA},
        "facet": {"row": base.field("otsikko", sort=order, title=None,
                                header=base.header(labelAngle=0, labelOrient="top",
                                               labelLimit=width + 200))},
        "spacing": 22,
        "spec": {"layer": [ticks, whiskers, dots, group], "width": width,
                 "height": {"step": 24}},
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
        "title": {"text": title, "subtitle": subtitle, "fontSize": base.FONT_SIZES["chart_title"]},
        "datasets": {base.MEMBER_DATA: data},
    })


# --- outcome strip -----------------------------------------------------------------------


def outcome_strip(rows: pd.DataFrame, area_label: str | None = None,
                  country_label: str | None = None, name_width: int = 60) -> base.Spec:
    """A heat strip: one line per indicator, the group's outcome against area and country
    (column labels default to "Hyvinvointialue" and "Koko maa" in the current language)."""
    defaults = base.series_labels()
    area_label = defaults["area"] if area_label is None else area_label
    country_label = defaults["country"] if country_label is None else country_label
    if rows is None or rows.empty:
        return base.empty_spec()
    records = []
    order = []
    for row in base.rows(rows, base.ROW_FIELDS):
        name = base.wrap(row.get("name") or str(row["indicator_id"]), name_width, 1)[0]
        while name in order:  # identical short names must stay separate rows
            name += "\u200b"
        order.append(name)
        for column, label in (("outcome_area", area_label), ("outcome_country", country_label)):
            outcome = row.get(column) if isinstance(row.get(column), str) else "not_compared"
            records.append({"indikaattori": name, "vertailukohta": label,
                            "vertailu": outcome_name(outcome), "outcome": outcome,
                            "vuosi": base.year_of(row.get("year"))})
    return base.spec({
        "data": {"values": records},
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {
            "x": base.field("vertailukohta", sort=[area_label, country_label], title=None,
                        axis={"orient": "top", "labelAngle": 0}),
            "y": base.field("indikaattori", sort=order, title=None, axis={"labelLimit": 480}),
            "fill": base.field("vertailu", scale=base.outcome_scale(),
                           legend={"title": _("Ryhmän arvo (95 %:n luottamusväli)"),
                                   "orient": "bottom",
                                   "symbolStrokeColor": base.OUTLINE, "symbolStrokeWidth": 1}),
            "tooltip": [base.tip("indikaattori", _("Indikaattori")),
                        base.tip("vertailukohta", _("Vertailukohta")),
                        base.tip("vertailu", _("Vertailu")),
                        base.tip("vuosi", _("Vuosi"), "quantitative", format="d")],
        },
        "width": 220, "height": 22 * len(order),
    })

