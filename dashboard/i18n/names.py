"""Names and texts from the warehouse in the current language, with a visible fallback.

The warehouse holds `*_fi`, `*_sv`, `*_en` columns for names (indicators, regions, groups)
and Finnish for Sotkanet's metadata texts. `localize()` adds one display column per text
(`short`, `title`, `name`, `description`, …) in the wanted language; where that language
has no text, the Finnish one stands with a marker (" [fi]"), so nobody mistakes it for a
translation. The model reads the display columns (`display()`), and falls back to the
Finnish column when handed a raw warehouse frame (tests and notebooks do).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.i18n.catalog import DEFAULT_LANGUAGE

FALLBACK_MARK = " [fi]"
# display column -> the warehouse's base name (columns base_fi, base_sv, base_en)
INDICATOR_TEXTS = {"short": "short", "title": "title", "description": "description",
                   "interpretation": "interpretation", "limits": "limits", "notices": "notices"}
NAMED = {"regions": {"name": "name"}, "groups": {"name": "name"},
         "indicators": INDICATOR_TEXTS}


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or (
        isinstance(v, str) and not v.strip())


def localized(frame: pd.DataFrame, base: str, lang: str) -> pd.Series:
    """`base_<lang>` where it has text, else `base_fi` marked as Finnish."""
    finnish = frame[f"{base}_fi"] if f"{base}_fi" in frame else pd.Series(None, index=frame.index,
                                                                          dtype=object)
    if lang == DEFAULT_LANGUAGE:
        return finnish.astype(object)
    own = frame[f"{base}_{lang}"] if f"{base}_{lang}" in frame else pd.Series(
        None, index=frame.index, dtype=object)
    return pd.Series([f if _blank(o) and _blank(f) else
                      (f"{f}{FALLBACK_MARK}" if _blank(o) else o)
                      for o, f in zip(own.tolist(), finnish.tolist(), strict=True)],
                     index=frame.index, dtype=object)


def localize(cat: Mapping, lang: str) -> dict:
    """A copy of data.catalogue()'s tables with display columns in `lang`."""
    out = dict(cat)
    for table, columns in NAMED.items():
        if table not in cat:
            continue
        frame = cat[table].copy()
        for display, base in columns.items():
            frame[display] = localized(frame, base, lang)
        out[table] = frame
    out["lang"] = lang
    return out


def display(frame: pd.DataFrame, column: str) -> pd.Series:
    """The display column, or the Finnish one of a raw (not localized) frame."""
    return frame[column] if column in frame else frame[f"{column}_fi"]


def text(row: Mapping, column: str):
    """One row's display text (dict or Series), or its Finnish text when not localized."""
    value = row.get(column) if column in row else None
    return row.get(f"{column}_fi") if _blank(value) else value
