"""The indicator explorer's logic: search, metadata and time series with intervals.

Pure (no Streamlit, no DuckDB, no charts): warehouse frames in, frames and facts out.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard.i18n import names
from dashboard.i18n.catalog import N_, _, polarity_name
from dashboard.i18n.formatting import day
from dashboard.model import comparison

SOTKANET_METADATA_URL = "https://sotkanet.fi/sotkanet/fi/metadata/indicators/{id}"
SEARCH_COLUMNS = ("title_fi", "title_sv", "title_en", "short_fi", "short_sv", "short_en",
                  "producer", "subjects", "primary_value_type")
INGEST_COMMAND = "hyte ingest --source sotkanet --indicators {id}"
UNIT_NAMES = {
    "percent": N_("prosenttia (%)"),
    "per_1000": N_("per 1 000 (asukasta tai vastaavanikäistä)"),
    "per_10000": N_("per 10 000"),
    "per_100000": N_("per 100 000"),
    "index": N_("indeksi"),
    "count": N_("lukumäärä"),
    "euro": N_("euroa"),
    "years": N_("vuotta"),
    "litres": N_("litraa"),
}
METADATA_TEXTS = ((N_("Kuvaus"), "description"), (N_("Tulkinta"), "interpretation"),
                  (N_("Tulkinnan rajoitukset"), "limits"), (N_("Huomioitavaa"), "notices"))


def unit_name(unit) -> str:
    """The unit in words (the explorer's facts and its chart's y axis)."""
    return _(UNIT_NAMES[unit]) if unit in UNIT_NAMES else str(unit or "–")
MAX_REGIONS = 12  # beyond this a line chart is spaghetti; the page says so


def _fold(text) -> str:
    """Case- and accent-insensitive form for matching ('Äänekoski' ~ 'aanekoski')."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def merge_catalogue(card: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The card's indicators first (their own names, units and judgements), then every other
    Sotkanet indicator the warehouse describes, shaped like the card's rows.

    Others have no card unit, polarity or comparison method: `unit` is None (the facts show
    Sotkanet's value type), polarity `no_judgement`, comparison `none` (no intervals).
    `has_data`: rows in the warehouse; `in_card`: one of the card's indicators.
    """
    extra_cols = ["subjects", "primary_value_type", "region_classes", "genders", "has_data",
                  "rows"]
    cat = catalogue.set_index("indicator_id", drop=False) if len(catalogue) else None
    mine = card.copy()
    if "search_text" in mine.columns:
        mine = mine.drop(columns="search_text")
    ids = mine["indicator_id"].astype(int)
    for col in extra_cols:
        mine[col] = [cat.at[i, col] if cat is not None and i in cat.index else None
                     for i in ids]
    loaded = mine["load_status"].ne("failed")
    mine["has_data"] = [bool(h) if h is not None and not _missing(h) else bool(ok)
                        for h, ok in zip(mine["has_data"], loaded, strict=True)]
    mine["in_card"] = True
    if cat is None:
        return mine.reset_index(drop=True)
    others = catalogue[~catalogue["indicator_id"].astype(int).isin(set(ids))].copy()
    for lang in ("fi", "sv", "en"):
        others[f"short_{lang}"] = others[f"title_{lang}"]
    others["priority"] = None
    others["polarity"] = "no_judgement"
    others["unit"] = None
    others["comparison"] = "none"
    others["decimals"] = others["decimals"].astype("Float64").fillna(1).astype(int)
    others["sort_order"] = range(len(mine) + 1, len(mine) + 1 + len(others))
    others["in_card"] = False
    others["has_data"] = others["has_data"].fillna(False).astype(bool)
    merged = pd.concat([mine, others.reindex(columns=sorted(set(mine.columns) | set(
        others.columns)))], ignore_index=True)
    merged["has_data"] = merged["has_data"].astype(bool)
    merged["in_card"] = merged["in_card"].astype(bool)
    merged["search_text"] = search_text(merged)
    return merged


def search_text(frame: pd.DataFrame) -> pd.Series:
    """Every searchable text of each row, folded once (search() then only compares)."""
    cols = [c for c in SEARCH_COLUMNS if c in frame.columns]
    return frame[cols].fillna("").astype(str).agg(" ".join, axis=1).map(_fold)


def ingest_command(indicator_id: int) -> str:
    """The exact command that loads one more indicator's data into the warehouse."""
    return INGEST_COMMAND.format(id=int(indicator_id))


def search(indicators: pd.DataFrame, query: str = "", priorities: Sequence[str] = (),
           producers: Sequence[str] = (), with_data_only: bool = False) -> pd.DataFrame:
    """Indicators whose Finnish, Swedish or English title, producer, subject or value type
    holds every word of `query`.

    A number in the query also matches the Sotkanet id. Empty filters keep everything;
    `with_data_only` keeps those whose data are in the warehouse.
    """
    out = indicators
    if with_data_only and "has_data" in out.columns:
        out = out[out["has_data"].astype(bool)]
    if priorities:
        out = out[out["priority"].isin(list(priorities))]
    if producers:
        out = out[out["producer"].isin(list(producers))]
    words = [_fold(w) for w in str(query or "").split() if w.strip()]
    if not words:
        return out
    haystack = out["search_text"] if "search_text" in out.columns else search_text(out)
    ids = out["indicator_id"].astype(str)
    keep = np.ones(len(out), dtype=bool)
    for w in words:
        keep &= (haystack.str.contains(w, regex=False) | (ids == w)).to_numpy()
    return out[keep]


def sotkanet_url(indicator_id: int) -> str:
    return SOTKANET_METADATA_URL.format(id=int(indicator_id))


def facts(ind: Mapping, years_in_warehouse: tuple[int, int] | None) -> list[tuple[str, str]]:
    """Short label/value facts of one indicator (plain text: escape before markdown)."""
    rng = (f"{int(ind['range_start'])}–{int(ind['range_end'])}"
           if not _missing(ind.get("range_start")) and not _missing(ind.get("range_end"))
           else "–")
    held = (f"{years_in_warehouse[0]}–{years_in_warehouse[1]}" if years_in_warehouse
            else _("ei tietoja"))
    unit = (unit_name(ind.get("unit")) if not _missing(ind.get("unit"))
            else str(ind.get("primary_value_type") or "–"))
    subjects = ind.get("subjects")
    extra = ([(_("Aihepiiri"), str(subjects))]
             if isinstance(subjects, str) and subjects.strip() else [])
    return [
        (_("Tuottaja"), str(ind.get("producer") or "–")),
        (_("Yksikkö"), unit),
        (_("Hyvä suunta"), polarity_name(ind.get('polarity'))),
        (_("Tiedot päivitetty"), day(ind.get("data_updated"))),
        (_("Vuodet Sotkanetissa"), rng),
        (_("Vuodet tietovarastossa"), held),
        (_("Sotkanet-tunnus"), str(int(ind["indicator_id"]))),
        *extra,
    ]


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or (
        not isinstance(v, str) and pd.isna(v))


def texts(ind: Mapping) -> list[tuple[str, str]]:
    """Description, interpretation, limits and notices that the metadata holds."""
    found = [(_(label), names.text(ind, col)) for label, col in METADATA_TEXTS]
    return [(label, text.strip()) for label, text in found if isinstance(text, str) and text.strip()]


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
