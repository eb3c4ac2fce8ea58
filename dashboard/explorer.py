"""The indicator explorer's logic: search, metadata, time series with intervals, its chart.

Pure (no Streamlit, no DuckDB): warehouse frames in, frames and Vega-Lite specs (dicts) out.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard import charts, comparison, table_files
from dashboard.formatting import day, interval, number
from dashboard.texts import t

SOTKANET_METADATA_URL = "https://sotkanet.fi/sotkanet/fi/metadata/indicators/{id}"
SEARCH_COLUMNS = ("title_fi", "title_sv", "title_en", "short_fi", "short_sv", "short_en")
UNIT_NAMES = {
    "percent": "prosenttia (%)",
    "per_1000": "per 1 000 (asukasta tai vastaavanikäistä)",
    "per_10000": "per 10 000",
    "per_100000": "per 100 000",
    "index": "indeksi",
    "count": "lukumäärä",
    "euro": "euroa",
    "years": "vuotta",
    "litres": "litraa",
}
METADATA_TEXTS = (("Kuvaus", "description_fi"), ("Tulkinta", "interpretation_fi"),
                  ("Tulkinnan rajoitukset", "limits_fi"), ("Huomioitavaa", "notices_fi"))
SERIES_DATA = "series"
MAX_REGIONS = 12  # beyond this a line chart is spaghetti; the page says so
LEGEND_LABEL_LIMIT = 400  # px; on the legend itself, so no theme default (160) cuts names
_field, _tip = charts._field, charts._tip


def _fold(text) -> str:
    """Case- and accent-insensitive form for matching ('Äänekoski' ~ 'aanekoski')."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def search(indicators: pd.DataFrame, query: str = "", priorities: Sequence[str] = (),
           producers: Sequence[str] = ()) -> pd.DataFrame:
    """Indicators whose Finnish, Swedish or English title holds every word of `query`.

    A number in the query also matches the Sotkanet id. Empty filters keep everything.
    """
    out = indicators
    if priorities:
        out = out[out["priority"].isin(list(priorities))]
    if producers:
        out = out[out["producer"].isin(list(producers))]
    words = [_fold(w) for w in str(query or "").split() if w.strip()]
    if not words:
        return out
    haystack = out[[c for c in SEARCH_COLUMNS if c in out.columns]].fillna("").astype(str).agg(
        " ".join, axis=1).map(_fold)
    ids = out["indicator_id"].astype(str)
    keep = np.ones(len(out), dtype=bool)
    for w in words:
        keep &= (haystack.str.contains(w, regex=False) | (ids == w)).to_numpy()
    return out[keep]


def parse_indicator(raw: Mapping, indicator_ids: Sequence[int]) -> tuple[int | None, str | None]:
    """`?indicator=181` -> 181; anything unknown -> (None, note)."""
    value = raw.get("indicator")
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None, None
    text = str(value)[:20].strip()
    if text.isascii() and text.isdigit() and int(text) in set(indicator_ids):
        return int(text), None
    return None, "Linkin indikaattoria ei löytynyt; valitse indikaattori listasta."


def sotkanet_url(indicator_id: int) -> str:
    return SOTKANET_METADATA_URL.format(id=int(indicator_id))


def facts(ind: Mapping, years_in_warehouse: tuple[int, int] | None) -> list[tuple[str, str]]:
    """Short label/value facts of one indicator (plain text: escape before markdown)."""
    rng = (f"{int(ind['range_start'])}–{int(ind['range_end'])}"
           if not _missing(ind.get("range_start")) and not _missing(ind.get("range_end"))
           else "–")
    held = f"{years_in_warehouse[0]}–{years_in_warehouse[1]}" if years_in_warehouse else "ei tietoja"
    return [
        ("Tuottaja", str(ind.get("producer") or "–")),
        ("Yksikkö", UNIT_NAMES.get(ind.get("unit"), str(ind.get("unit") or "–"))),
        ("Suunta", t(f"polarity.{ind.get('polarity')}")),
        ("Tiedot päivitetty", day(ind.get("data_updated"))),
        ("Vuodet Sotkanetissa", rng),
        ("Vuodet tietovarastossa", held),
        ("Sotkanet-tunnus", str(int(ind["indicator_id"]))),
    ]


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (
        not isinstance(v, str) and pd.isna(v))


def texts(ind: Mapping) -> list[tuple[str, str]]:
    """Description, interpretation, limits and notices that the metadata holds."""
    return [(label, str(ind[col]).strip()) for label, col in METADATA_TEXTS
            if isinstance(ind.get(col), str) and ind[col].strip()]


def series(observations: pd.DataFrame, ind: Mapping, names: Mapping[int, str],
           region_order: Sequence[int]) -> pd.DataFrame:
    """Time series of the chosen regions with 95 % intervals where computable.

    `observations`: indicator_id, region_id, year, gender, value, abs_value of one indicator.
    """
    cols = ["region_id", "alue", "gender", "year", "value", "abs_value", "lo", "hi"]
    if observations is None or observations.empty:
        return pd.DataFrame(columns=cols)
    frame = observations[observations["region_id"].isin(list(region_order))].copy()
    frame["unit"] = ind["unit"]
    frame["method"] = ind.get("comparison") or "none"
    frame = comparison.with_intervals(frame)
    frame["alue"] = frame["region_id"].map(lambda r: names.get(int(r), str(r)))
    order = {r: i for i, r in enumerate(region_order)}
    gorder = {g: i for i, g in enumerate(comparison.GENDERS)}
    frame = frame.assign(_r=frame["region_id"].map(order), _g=frame["gender"].map(gorder))
    frame = frame.sort_values(["_r", "_g", "year"], kind="mergesort")
    return frame[cols].reset_index(drop=True)


COL_REGION, COL_GENDER, COL_YEAR = "Alue", "Sukupuoli", "Vuosi"
COL_VALUE, COL_LO, COL_HI = "Arvo", "95 %:n väli, alaraja", "95 %:n väli, yläraja"


def series_table(frame: pd.DataFrame, decimals: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """(typed table, decimals per numeric column): the rows the chart draws."""
    table = pd.DataFrame({
        COL_REGION: frame["alue"].astype(str),
        COL_GENDER: [t(f"gender.{g}") for g in frame["gender"]],
        COL_YEAR: pd.array(frame["year"], dtype="Int64"),
        COL_VALUE: frame["value"].astype(float),
        COL_LO: frame["lo"].astype(float),
        COL_HI: frame["hi"].astype(float),
    })
    dec = {c: int(decimals) for c in (COL_VALUE, COL_LO, COL_HI)}
    return table_files.rounded(table, dec).reset_index(drop=True), dec


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
                 height: int = 320) -> charts.Spec:
    """Lines per region (colour) and gender (dash), 95 % intervals as vertical whiskers.

    Series are shifted a little sideways (`x`, the year plus a fixed offset per series) so
    that the whiskers of one year do not overlap; tooltips and the axis still say the year.
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return charts.empty_spec()
    d = charts._decimals(ind)  # (0 decimals stays 0)
    data = data.assign(
        sarja=[f"{a}, {t(f'gender.{g}')}" if data["gender"].nunique() > 1 else a
               for a, g in zip(data["alue"], data["gender"], strict=True)],
        sukupuoli=[t(f"gender.{g}") for g in data["gender"]],
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
    genders = [t(f"gender.{g}") for g in comparison.GENDERS]
    legend_limit = {"labelLimit": LEGEND_LABEL_LIMIT}
    color = _field("alue", title="Alue", sort=regions,
                   scale={"domain": regions, "range": REGION_PALETTE[:len(regions)]},
                   legend={"orient": "right", **legend_limit})
    dash = _field("sukupuoli", title="Sukupuoli",
                  scale={"domain": genders, "range": [GENDER_DASH[g] for g in comparison.GENDERS]},
                  legend={"orient": "right", "symbolType": "stroke", "symbolStrokeWidth": 2.5,
                          "symbolSize": 400, **legend_limit}
                  if data["sukupuoli"].nunique() > 1 else None)
    pad = max(abs(v) for v in offsets)
    x = _field("x", "quantitative", title="Vuosi",
               scale={"domain": [years[0] - pad, years[1] + pad], "nice": False, "padding": 8},
               axis={"format": "d", "tickMinStep": 1, "labelOverlap": True})
    y = _field("value", "quantitative", title=UNIT_NAMES.get(ind.get("unit"), None),
               scale={"zero": False, "nice": True}, axis={"format": charts.AXIS_FORMAT})
    tooltip = [_tip("alue", "Alue"), _tip("sukupuoli", "Sukupuoli"),
               _tip("year", "Vuosi", "quantitative", format="d"),
               _tip("arvo", "Arvo"), _tip("vali", charts.CI_LABEL)]
    whiskers = {
        "transform": [{"filter": "isValid(datum.lo) && isValid(datum.hi)"}],
        "mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.55},
        "encoding": {"x": x, "y": _field("lo", "quantitative"), "y2": {"field": "hi"},
                     "color": color, "tooltip": tooltip},
    }
    lines = {
        "mark": {"type": "line", "strokeWidth": 2.2},
        "encoding": {"x": x, "y": y, "color": color, "strokeDash": dash,
                     "detail": _field("sarja")},
    }
    points = {
        "mark": {"type": "point", "filled": True, "size": 40, "opacity": 1},
        "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip},
    }
    title = charts.wrap(ind.get("title_fi") or str(ind["indicator_id"]), 90, 2)
    return charts._spec({
        "data": {"name": SERIES_DATA},
        "layer": [whiskers, lines, points],
        "width": width, "height": height,
        "title": {"text": title,
                  "subtitle": f"Pystyviivat: {charts.CI_LABEL} (kun osoittaja tunnetaan). "
                              f"Vuodet {years[0]}–{years[1]}."
                              + (" Sarjat on siirretty hieman sivuttain, jotta välit "
                                 "erottuvat." if pad else ""),
                  "fontSize": charts.FONT_SIZES["chart_title"]},
        "datasets": {SERIES_DATA: charts._records(data)},
    })
