"""The indicator explorer's logic: search, metadata, time series with intervals, its chart.

Pure (no Streamlit, no DuckDB): warehouse frames in, frames and Altair charts out.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence

import altair as alt
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


def series_chart(frame: pd.DataFrame, ind: Mapping, width: int = 720,
                 height: int = 320) -> charts.ChartLike:
    """Lines per region (colour) and gender (dash), 95 % intervals as vertical whiskers."""
    data = frame.dropna(subset=["value"])
    if data.empty:
        return charts.empty_chart()
    d = int(ind.get("decimals") or 1)
    data = data.assign(
        sarja=[f"{a}, {t(f'gender.{g}')}" if data["gender"].nunique() > 1 else a
               for a, g in zip(data["alue"], data["gender"], strict=True)],
        sukupuoli=[t(f"gender.{g}") for g in data["gender"]],
        arvo=[number(v, d) for v in data["value"]],
        vali=[interval(lo, hi, d) for lo, hi in zip(data["lo"], data["hi"], strict=True)],
        year=data["year"].astype(int),
    )[["alue", "sukupuoli", "sarja", "year", "value", "lo", "hi", "arvo", "vali"]]
    regions = list(dict.fromkeys(data["alue"]))
    genders = [t(f"gender.{g}") for g in comparison.GENDERS]
    color = alt.Color("alue:N", title="Alue", sort=regions,
                      scale=alt.Scale(domain=regions, range=REGION_PALETTE[:len(regions)]),
                      legend=alt.Legend(orient="right"))
    dash = alt.StrokeDash("sukupuoli:N", title="Sukupuoli",
                          scale=alt.Scale(domain=genders,
                                          range=[GENDER_DASH[g] for g in comparison.GENDERS]),
                          legend=alt.Legend(orient="right", symbolType="stroke",
                                            symbolStrokeWidth=2.5, symbolSize=400)
                          if data["sukupuoli"].nunique() > 1 else None)
    years = (int(data["year"].min()), int(data["year"].max()))
    x = alt.X("year:Q", title="Vuosi", scale=alt.Scale(domain=list(years), nice=False,
                                                      padding=8),
              axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True))
    y = alt.Y("value:Q", title=UNIT_NAMES.get(ind.get("unit"), None),
              scale=alt.Scale(zero=False, nice=True), axis=alt.Axis(format=charts.AXIS_FORMAT))
    tooltip = [alt.Tooltip("alue:N", title="Alue"), alt.Tooltip("sukupuoli:N", title="Sukupuoli"),
               alt.Tooltip("year:Q", title="Vuosi", format="d"),
               alt.Tooltip("arvo:N", title="Arvo"), alt.Tooltip("vali:N", title=charts.CI_LABEL)]
    base = alt.Chart(alt.Data(name=SERIES_DATA))
    whiskers = base.transform_filter("isValid(datum.lo) && isValid(datum.hi)").mark_rule(
        strokeWidth=1.5, opacity=0.55).encode(x=x, y=alt.Y("lo:Q"), y2="hi:Q", color=color,
                                             tooltip=tooltip)
    lines = base.mark_line(strokeWidth=2.2).encode(x=x, y=y, color=color, strokeDash=dash,
                                                   detail="sarja:N")
    points = base.mark_point(filled=True, size=40, opacity=1).encode(x=x, y=y, color=color,
                                                                     tooltip=tooltip)
    title = charts.wrap(ind.get("title_fi") or str(ind["indicator_id"]), 90, 2)
    chart = alt.layer(whiskers, lines, points).properties(
        width=width, height=height,
        title=alt.TitleParams(text=title, subtitle=f"Pystyviivat: {charts.CI_LABEL} (kun "
                              "osoittaja tunnetaan). Vuodet "
                              f"{years[0]}–{years[1]}.",
                              fontSize=charts.FONT_SIZES["chart_title"]))
    chart = charts.finnish(chart)
    chart["datasets"] = {SERIES_DATA: [{k: charts._plain(v) for k, v in r.items()}
                                       for r in data.to_dict("records")]}
    return chart
