"""The municipality card's rows: one chart per priority, a compact line per indicator.

Pure: a kuntakortti.Card in, finished Vega-Lite specs (plain dicts, like charts.overview)
out. Each line reads left to right: the highlight mark, the indicator, a spine (the range
of the county's municipalities, the others as small ticks, the benchmark as a black tick,
Finland as a triangle, the municipality as a dot coloured by its comparison with the
county, with its 95 % interval), the value and interval, the year, the comparisons with the
county and with Finland as coloured chips carrying the benchmark's value, the trend and
the rank. The spine's geometry (`spine`) is shared with the printed card, so paper and
screen put every mark in the same place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.charts import base
from dashboard.i18n.catalog import _, outcome_name, trend_name
from dashboard.i18n.formatting import number
from dashboard.model.kuntakortti import SMALL_COUNT, Card, Row, Section

CARD_DATA = "card"
WIDTH = 1000          # layout units: the chart is drawn at up to SCREEN_WIDTH px
SCREEN_WIDTH = 1060   # px; narrower columns scale the whole line down
ROW_STEP = 48         # px per indicator: three lines of a long name at 11 px
NAME_CHARS = 40       # characters per line of the indicator's name (fits 820 px)
TREND_CHARS = 17      # … and of the trend's name
NAME_LINES = 3
# Column edges as shares of WIDTH (left, right).
COLUMNS = {
    "mark": (0.0, 0.016), "name": (0.018, 0.285), "spine": (0.295, 0.5),
    "value": (0.505, 0.575), "year": (0.58, 0.622), "area": (0.628, 0.72),
    "country": (0.725, 0.817), "trend": (0.826, 0.95), "rank": (0.95, 1.0),
}
MARK_COLORS = {"strength": base.OUTCOME_COLORS["better"], "challenge": base.OUTCOME_COLORS["worse"],
               "worsening": base.OUTCOME_COLORS["worse"]}
RANGE_COLOR = "#DADADA"
OTHER_COLOR = "#8C8C8C"
BENCH_COLOR = "#1B1B1B"
COUNTRY_COLOR = "#555555"
LIGHT_TEXT = frozenset({"better"})  # dark chips: white text (as the overview's tables)


@dataclass(frozen=True)
class Spine:
    """Where a row's marks sit on its spine, as shares 0..1 of the spine's width."""

    lo_end: float
    hi_end: float
    dot: float | None
    ci: tuple[float, float] | None
    range: tuple[float, float] | None
    others: tuple[float, ...]
    benchmark: float | None
    country: float | None

    def at(self, share: float, left: float, right: float) -> float:
        return left + share * (right - left)


def _ok(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def spine(row: Row) -> Spine | None:
    """The row's spine: every value scaled into one span (county range, benchmarks, interval).

    None when there is nothing municipal to place (county-only surveys). Counts (population)
    carry no benchmark or Finland marks: their totals are not on the municipalities' scale.
    """
    if not row.has_value:
        return None
    totals = row.unit in base.GROUP_ONLY_UNITS
    bench = None if totals else (row.benchmark_value if _ok(row.benchmark_value)
                                 else row.area_value)
    country = None if totals else row.country_value
    ci = (row.lo, row.hi) if _ok(row.lo) and _ok(row.hi) else None
    values = [row.value, row.county_min, row.county_max, bench, country,
              *(ci or ()), *(v for _n, v in row.others)]
    values = [float(v) for v in values if _ok(v)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.04 or (abs(hi) * 0.05 or 1.0)
    lo, hi = lo - pad, hi + pad

    def share(v):
        return None if not _ok(v) else (float(v) - lo) / (hi - lo)

    span = ((share(row.county_min), share(row.county_max))
            if _ok(row.county_min) and _ok(row.county_max) else None)
    return Spine(lo, hi, share(row.value), (share(ci[0]), share(ci[1])) if ci else None, span,
                 tuple(share(v) for _n, v in row.others if _ok(v)), share(bench),
                 share(country))


def _x(column: str, side: int = 0) -> float:
    return COLUMNS[column][side] * WIDTH


def _centre(column: str) -> float:
    left, right = COLUMNS[column]
    return (left + right) / 2 * WIDTH


def _lines(text: str, chars: int, lines: int) -> str:
    return "\n".join(base.wrap(text, chars, lines))


def benchmark_word(card: Card) -> str:
    """What the first chip compares with, for the column head."""
    return _("vs. muu alue") if card.uses_rest else _("vs. alue")


def _outcome(o) -> str:
    return o if isinstance(o, str) and o in base.OUTCOME_COLORS else "not_compared"


def _records(card: Card, section: Section) -> list[dict]:
    left, right = _x("spine"), _x("spine", 1)
    out: list[dict] = []
    for i, row in enumerate(section.rows):
        key = f"{i:03d}"
        area, country = _outcome(row.outcome_area), _outcome(row.outcome_country)
        sp = spine(row)
        base_rec = {"row": key, "indicator": row.name, "zebra": i % 2 == 1}
        out.append({**base_rec, "kind": "line",
                    "nimi": _lines(row.name, NAME_CHARS, NAME_LINES),
                    "mark": row.mark or "", "arvo": row.value_text() if row.has_value else "–",
                    "vali": row.interval_text() if row.has_value else "",
                    "vuosi": row.year_text(), "sija": row.rank_text(),
                    "suunta": _lines(trend_name(row.trend), TREND_CHARS, 3),
                    "suunta_koko": trend_name(row.trend),
                    "alue": outcome_name(area), "alue_c": base.OUTCOME_COLORS[area],
                    "alue_arvo": row.benchmark_text(),
                    "maa": outcome_name(country), "maa_c": base.OUTCOME_COLORS[country],
                    "mark_c": MARK_COLORS.get(row.mark or "", "#FFFFFF"),
                    "maa_arvo": row.country_text(),
                    "alue_light": area in LIGHT_TEXT, "maa_light": country in LIGHT_TEXT,
                    "vain_alue": sp is None,
                    "huom": (_("alle {limit} tapausta: satunnaisvaihtelu suurta", limit=SMALL_COUNT)
                             if row.few_cases else "")})
        if sp is None:
            continue
        def at(share, sp=sp):
            return None if share is None else sp.at(share, left, right)

        if sp.range:
            out.append({**base_rec, "kind": "range", "x": at(sp.range[0]), "x2": at(sp.range[1]),
                        "teksti": _("Alueen kunnat {low}–{high}",
                                    low=number(row.county_min, row.decimals),
                                    high=number(row.county_max, row.decimals))})
        for (name, value), s in zip(row.others, sp.others, strict=True):
            out.append({**base_rec, "kind": "other", "x": at(s), "kunta": name,
                        "teksti": number(value, row.decimals)})
        if sp.benchmark is not None:
            out.append({**base_rec, "kind": "bench", "x": at(sp.benchmark),
                        "kunta": card.benchmark_name(), "teksti": row.benchmark_text()})
        if sp.country is not None:
            out.append({**base_rec, "kind": "country", "x": at(sp.country),
                        "kunta": _("Koko maa"), "teksti": row.country_text()})
        if sp.ci:
            out.append({**base_rec, "kind": "ci", "x": at(sp.ci[0]), "x2": at(sp.ci[1])})
        out.append({**base_rec, "kind": "dot", "x": at(sp.dot), "kunta": card.name,
                    "teksti": row.value_text(), "vali": row.interval_text(),
                    "vertailu": outcome_name(area), "c": base.OUTCOME_COLORS[area],
                    "vuosi": row.year_text()})
    return out


def _heads(card: Card) -> list[dict]:
    """Column heads: a bold line, and under some of them a small line saying what it holds."""
    heads = [("name", _("Indikaattori"), "", "start"),
             ("spine", _("Kunta alueen kuntien joukossa"), "", "start"),
             ("value", _("Arvo"), _("95 %:n väli"), "end"), ("year", _("Vuosi"), "", "middle"),
             ("area", benchmark_word(card), _("vertailuarvo"), "middle"),
             ("country", _("vs. maa"), _("vertailuarvo"), "middle"),
             ("trend", _("Kehitys"), "", "start"),
             ("rank", _("Sija"), "", "end")]
    out = []
    for col, text, sub, anchor in heads:
        x = {"start": _x(col), "end": _x(col, 1) - 4, "middle": _centre(col)}[anchor]
        out.append({"row": "head", "kind": "head", "x": x, "otsikko": text, "ala": sub,
                    "anchor": {"start": "left", "end": "right", "middle": "center"}[anchor]})
    return out


def _filter(kind: str) -> list[dict]:
    return [{"filter": f"datum.kind == '{kind}'"}]


def section_chart(card: Card, section: Section, title: str | None = None,
                  width: int | None = None) -> base.Spec:
    """One priority of the card as one chart: a line per indicator (see the module doc)."""
    if not section.rows:
        return base.empty_spec()
    data = _heads(card) + _records(card, section)
    order = ["head"] + [f"{i:03d}" for i in range(len(section.rows))]
    x_scale = {"domain": [0, WIDTH], "nice": False, "zero": False}

    def x(field="x"):
        return {"field": field, "type": "quantitative", "scale": x_scale, "axis": None}

    def at(px: float):
        return {"datum": px, "type": "quantitative", "scale": x_scale, "axis": None}

    y = {"field": "row", "type": "ordinal", "sort": order, "axis": None,
         "scale": {"paddingInner": 0.08, "paddingOuter": 0.02}}
    line = _filter("line")

    def text(field, x_enc, align="left", **mark):
        return {"transform": line, "mark": {"type": "text", "align": align, "baseline": "middle",
                                            "fontSize": 12, "color": "#1B1B1B",
                                            "lineBreak": "\n", **mark},
                "encoding": {"x": x_enc, "y": y, "text": {"field": field}}}

    zebra = {"transform": line + [{"filter": "datum.zebra"}],
             "mark": {"type": "rect", "color": "#F4F4F4"},
             "encoding": {"x": at(0), "x2": {"datum": WIDTH}, "y": y}}
    # Text alignment is a mark property in Vega-Lite, so one layer per alignment.
    heads, subheads = [], []
    for align in ("left", "right", "center"):
        where = _filter("head") + [{"filter": f"datum.anchor == '{align}'"}]
        heads.append({"transform": where,
                      "mark": {"type": "text", "baseline": "bottom", "dy": 6, "fontSize": 11,
                               "fontWeight": "bold", "color": "#444444", "align": align},
                      "encoding": {"x": x(), "y": y, "text": {"field": "otsikko"}}})
        subheads.append({"transform": where,
                         "mark": {"type": "text", "baseline": "bottom", "dy": 19, "fontSize": 10,
                                  "color": "#666666", "align": align},
                         "encoding": {"x": x(), "y": y, "text": {"field": "ala"}}})
    mark = {"transform": line + [{"filter": "datum.mark != ''"}],
            "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
            "encoding": {"x": at(_centre("mark")), "y": y,
                         "shape": {"condition": {"test": "datum.mark == 'worsening'",
                                                 "value": "triangle-down"}, "value": "circle"},
                         "fill": {"field": "mark_c", "type": "nominal", "scale": None},
                         "tooltip": [base.tip("indicator", _("Indikaattori"))]}}
    name = text("nimi", at(_x("name")), fontSize=11, lineHeight=13,
                limit=int((_x("name", 1) - _x("name")) * 0.82))
    name["encoding"]["tooltip"] = [base.tip("indicator", _("Indikaattori")),
                                   base.tip("huom", _("Huom."))]
    county_only = {"transform": line + [{"filter": "datum.vain_alue"}],
                   "mark": {"type": "text", "align": "left", "baseline": "middle",
                            "fontSize": 11, "fontStyle": "italic", "color": "#666666"},
                   "encoding": {"x": at(_x("spine")), "y": y,
                                "text": {"value": _("ei kuntatietoa: vain alue ja koko maa")}}}
    tip_other = [base.tip("kunta", _("Kunta")), base.tip("teksti", _("Arvo"))]
    range_bar = {"transform": _filter("range"),
                 "mark": {"type": "rule", "strokeWidth": 7, "color": RANGE_COLOR,
                          "strokeCap": "round"},
                 "encoding": {"x": x(), "x2": {"field": "x2"}, "y": y,
                              "tooltip": [base.tip("teksti", _("Vaihteluväli"))]}}
    others = {"transform": _filter("other"),
              "mark": {"type": "tick", "thickness": 1.2, "size": 12, "color": OTHER_COLOR},
              "encoding": {"x": x(), "y": y, "tooltip": tip_other}}
    bench = {"transform": _filter("bench"),
             "mark": {"type": "tick", "thickness": 2.5, "size": 24, "color": BENCH_COLOR},
             "encoding": {"x": x(), "y": y, "tooltip": tip_other}}
    country = {"transform": _filter("country"),
               "mark": {"type": "point", "shape": "triangle-down", "filled": True, "size": 55,
                        "color": COUNTRY_COLOR, "yOffset": -11, "opacity": 1},
               "encoding": {"x": x(), "y": y, "tooltip": tip_other}}
    ci = {"transform": _filter("ci"),
          "mark": {"type": "rule", "strokeWidth": 1.6, "color": "#333333"},
          "encoding": {"x": x(), "x2": {"field": "x2"}, "y": y}}
    dot = {"transform": _filter("dot"),
           "mark": {"type": "point", "filled": True, "size": 120, "stroke": base.OUTLINE,
                    "strokeWidth": 1.2, "opacity": 1},
           "encoding": {"x": x(), "y": y,
                        "fill": {"field": "c", "type": "nominal", "scale": None},
                        "tooltip": [base.tip("kunta", _("Kunta")), base.tip("teksti", _("Arvo")),
                                    base.tip("vali", base.CI_LABEL),
                                    base.tip("vertailu", _("Vertailu")),
                                    base.tip("vuosi", _("Vuosi"))]}}
    value = text("arvo", at(_x("value", 1) - 4), "right", fontWeight="bold", dy=-7)
    interval = text("vali", at(_x("value", 1) - 4), "right", fontSize=10.5, color="#555555",
                    dy=8)
    year = text("vuosi", at(_centre("year")), "center", fontSize=11)
    layers = [zebra, *heads, *subheads, mark, name, county_only, range_bar, others, bench, country, ci,
              dot, value, interval, year]
    for col, word, number_field, light in (("area", "alue", "alue_arvo", "alue_light"),
                                           ("country", "maa", "maa_arvo", "maa_light")):
        chip = {"transform": line,
                "mark": {"type": "rect", "cornerRadius": 3, "stroke": "white", "strokeWidth": 1},
                "encoding": {"x": at(_x(col) + 2), "x2": {"datum": _x(col, 1) - 2}, "y": y,
                             "fill": {"field": f"{word}_c", "type": "nominal", "scale": None},
                             "tooltip": [base.tip(word, _("Vertailu")),
                                         base.tip(number_field, _("Vertailuarvo"))]}}
        colour = {"condition": {"test": f"datum.{light}", "value": "white"}, "value": "#1B1B1B"}
        chip_word = text(word, at(_centre(col)), "center", fontSize=11, dy=-7)
        chip_word["encoding"]["color"] = colour
        chip_value = text(number_field, at(_centre(col)), "center", fontSize=10.5, dy=8)
        chip_value["encoding"]["color"] = colour
        layers += [chip, chip_word, chip_value]
    trend = text("suunta", at(_x("trend")), "left", fontSize=10.5, lineHeight=12)
    trend["encoding"]["tooltip"] = [base.tip("suunta_koko", _("Kehitys"))]
    layers.append(trend)
    layers.append(text("sija", at(_x("rank", 1) - 2), "right", fontSize=11.5))
    subtitle = [_("Harmaa jana: alueen kuntien vaihteluväli, pienet viivat: muut kunnat, "
                  "musta pystyviiva: {benchmark}, kolmio: koko maa.",
                  benchmark=card.benchmark_name()),
                _("Pallo: {name}, väri = vertailu 95 %:n luottamusvälillä (harmaa = ei "
                  "verrattu), viiva pallon ympärillä = luottamusväli. Merkki nimen edessä: "
                  "sininen = vahvuus, oranssi = haaste (kolmio: heikompi ja heikkenevä).",
                  name=card.name)]
    if any(r.few_cases for r in section.rows):
        subtitle.append(_("* alle {limit} tapausta: satunnaisvaihtelu suurta.", limit=SMALL_COUNT))
    # Titles do not wrap: lines short enough for the narrowest column the page has (820 px).
    subtitle = [line for text in subtitle for line in base.wrap(text, 120, 3)]
    return base.spec({
        "data": {"name": CARD_DATA},
        "layer": layers,
        "width": width or SCREEN_WIDTH, "height": {"step": ROW_STEP},
        "view": {"stroke": None},
        "title": {"text": title or _("{name}: {priority}", name=card.name, priority=section.name),
                  "subtitle": subtitle, "fontSize": base.FONT_SIZES["chart_title"]},
        "datasets": {CARD_DATA: data},
    })


def card_charts(card: Card) -> list[tuple[str, base.Spec]]:
    """(priority, spec) of every section of the card, in the card's order."""
    return [(s.priority, section_chart(card, s)) for s in card.sections if s.rows]
