"""Chart builders: trends, member spreads and outcome strips, in the current language.

Pure (no Streamlit, no DuckDB): Situation frames in, finished Vega-Lite specs (plain dicts)
out, for `st.vega_lite_chart`, vl-convert and the HTML export alike. Every spec carries its
own Vega locale because Streamlit drops embed options.

The overview's builders write the spec as dicts, not Altair objects: Altair validated every
spec against the Vega-Lite JSON schema and deep-copied it on each operation, which cost
about two seconds per group page at 160 indicators. The specs are the ones Altair produced
(tests compare their structure). The compare and explore pages build dicts the same way;
`localized()` (alias `finnish()`) and `empty_chart()` remain for anyone composing Altair
charts (the notebook's way).

Texts are Finnish source strings translated when a spec is built (`_()`), so a spec speaks
the language of the run that builds it; module-level texts are marked with `N_()` and
translated where they are shown (they are read at import, before any language is set).
"""

from __future__ import annotations

import copy
import math
import textwrap

import altair as alt
import numpy as np
import pandas as pd

from dashboard.i18n.catalog import N_, _, outcome_name
from dashboard.i18n.formatting import vega_number_locale, vega_time_locale

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
SERIES_DEFAULT_LABELS = {"group": N_("Ryhmä"), "area": N_("Hyvinvointialue"),
                         "country": N_("Koko maa")}

# Absolute counts (population) of a group, its area and the country differ by orders of
# magnitude: on one axis the group would be a flat line, so only the group is drawn.
GROUP_ONLY_UNITS = frozenset({"count"})

TREND_YEARS = 10
TREND_DATA = "trend"
MEMBER_DATA = "members"
# Texts read at import: marked here, translated where shown (`_(CI_LABEL)`).
CI_LABEL = N_("95 %:n luottamusväli")
NO_DATA = N_("Ei tietoja")
SMALL_NOTE = N_("pieni kunta: satunnaisvaihtelu suurta")
GROUP_ROW = N_("Ryhmä yhteensä")

FONT_SIZES = {"label": 12, "title": 13, "chart_title": 15}


# --- common ------------------------------------------------------------------------------

SCHEMA = alt.SCHEMA_URL  # the Vega-Lite version Altair (and vl-convert) speak

# A projector-readable config, in every chart's own spec with the language's locale.
_STYLE: dict = {
    "axis": {"labelFontSize": FONT_SIZES["label"], "titleFontSize": FONT_SIZES["title"],
             "labelColor": "#333333", "titleColor": "#333333", "gridColor": "#E6E6E6"},
    "legend": {"labelFontSize": FONT_SIZES["label"], "titleFontSize": FONT_SIZES["title"],
               "labelLimit": 320, "titleLimit": 800},
    "title": {"fontSize": FONT_SIZES["title"], "subtitleFontSize": FONT_SIZES["label"],
              "anchor": "start", "color": "#1B1B1B", "subtitleColor": "#444444"},
    "header": {"labelFontSize": FONT_SIZES["title"], "titleFontSize": FONT_SIZES["title"]},
    "view": {"stroke": "#D9D9D9"},
}


def config() -> dict:
    """The shared config with the current language's Vega locale (a fresh copy each time)."""
    return {"locale": {"number": vega_number_locale(), "time": vega_time_locale()},
            **copy.deepcopy(_STYLE)}


def localized(chart: ChartLike) -> ChartLike:
    """An Altair chart with the current language's locale and the shared config."""
    return chart.configure(**config())


finnish = localized  # the name before the charts spoke three languages (notebooks, tests)


def series_labels() -> dict[str, str]:
    """The trend series' default legend labels in the current language."""
    return {key: _(label) for key, label in SERIES_DEFAULT_LABELS.items()}


def small_municipalities_note(names) -> str:
    """The caveat under a chart (and in exports) naming the small municipalities."""
    return _("Pienet kunnat ({names}): luvut vaihtelevat satunnaisesti ja luottamusvälit ovat "
             "leveitä.", names=", ".join(names))


def spec(body: dict) -> Spec:
    """A top-level spec: schema, the current language's config, then the chart itself."""
    return {"$schema": SCHEMA, "config": config(), **body}


def empty_chart(message: str | None = None) -> ChartLike:
    """A valid Altair chart that says there is nothing to draw (for Altair builders)."""
    message = _(NO_DATA) if message is None else message
    chart = alt.Chart(alt.Data(values=[{"viesti": message}])).mark_text(
        fontSize=FONT_SIZES["title"], color="#555555"
    ).encode(text="viesti:N").properties(width=220, height=40)
    return localized(chart)


def empty_spec(message: str | None = None) -> Spec:
    """A valid spec that says there is nothing to draw (default: 'Ei tietoja' translated)."""
    message = _(NO_DATA) if message is None else message
    return spec({
        "data": {"values": [{"viesti": message}]},
        "mark": {"type": "text", "fontSize": FONT_SIZES["title"], "color": "#555555"},
        "encoding": {"text": {"field": "viesti", "type": "nominal"}},
        "width": 220, "height": 40,
    })


def missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _plain(v):
    if missing(v) and not isinstance(v, str):
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return None
    return v


def column(values: pd.Series) -> list:
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


def records(frame: pd.DataFrame) -> list[dict]:
    """Inline Vega data, column by column (pandas' to_dict('records') is per cell)."""
    keys = [str(c) for c in frame.columns]
    columns = [column(frame[c]) for c in frame.columns]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict]:
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
    """d3-format for an indicator's decimals: ',.1f' shows 1234.5 as '1 234,5' (fi, sv) or
    '1,234.5' (en): the spec's locale supplies the marks."""
    d = 1 if missing(decimals) else max(0, int(decimals))
    return f",.{d}~f" if trim else f",.{d}f"


def decimals_of(row) -> int:
    d = row.get("decimals")
    return 1 if missing(d) else int(d)


def wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Wrap a title into at most `max_lines` lines, the last one cut with an ellipsis."""
    lines = textwrap.wrap(str(text or ""), width=max(8, width), break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return lines


def field(name: str, type_: str = "nominal", **props) -> dict:
    return {"field": name, "type": type_, **props}


def tip(name: str, title: str, type_: str = "nominal", **props) -> dict:
    return {"field": name, "type": type_, "title": title, **props}


def bench_ticks(y: dict) -> dict:
    """The benchmark as a tick on each municipality's row (member dots and compare panels)."""
    return {
        "transform": [{"filter": "isValid(datum.bench)"}],
        "mark": {"type": "tick", "color": "#333333", "thickness": 2, "size": 18},
        "encoding": {"x": field("bench", "quantitative"), "y": y,
                     "tooltip": [tip("kunta", _("Kunta")),
                                 tip("vertailuarvo", _("Vertailuarvo"))]},
    }


def header(**props) -> dict:
    return {"labelExpr": "split(datum.value, '|')", "labelFontWeight": "bold",
            "labelAnchor": "start", "labelFontSize": FONT_SIZES["title"], **props}



AXIS_FORMAT = ",~f"  # '0,25', '12,5', '5 600 000': trims zeros, works for every unit


def outcome_scale() -> dict:
    """Always the full domain, so a colour means the same in every chart and page."""
    return {"domain": [outcome_name(o) for o in OUTCOME_ORDER],
            "range": [OUTCOME_COLORS[o] for o in OUTCOME_ORDER]}


def num(x) -> float | None:
    return None if missing(x) else float(x)


def year_of(x) -> int | None:
    return None if missing(x) else int(x)


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
