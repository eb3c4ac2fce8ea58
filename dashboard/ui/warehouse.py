"""The warehouse readers of dashboard.data, cached across sessions under the file's version.

The small tables come with display names in the session's language (i18n.names).

Small keys only (the version, ids as tuples): st.cache_data would hash a frame by sampling
it. A publish changes the version, so the next interaction reads the new file.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import names
from dashboard.i18n.catalog import current
from dashboard.model import explorer

WarehouseUnavailable = data.WarehouseUnavailable
version = data.version


@st.cache_data(show_spinner=False, max_entries=8)
def _raw_catalogue(version: str) -> dict:
    return data.catalogue(version)


@st.cache_data(show_spinner=False, max_entries=24)
def _catalogue(version: str, lang: str) -> dict:
    return names.localize(_raw_catalogue(version), lang)


def catalogue(version: str) -> dict:
    """meta, regions, groups and indicators, their display names in this run's language."""
    return _catalogue(version, current())


@st.cache_data(show_spinner=False, max_entries=96)
def _table(version: str, lang: str, name: str):
    # One table per entry: a cache hit unpickles a copy, and pages ask for these often.
    return _catalogue(version, lang)[name]


def meta(version: str) -> dict:
    return _table(version, current(), "meta")


def regions(version: str) -> pd.DataFrame:
    return _table(version, current(), "regions")


def groups(version: str) -> pd.DataFrame:
    return _table(version, current(), "groups")


def indicators(version: str) -> pd.DataFrame:
    return _table(version, current(), "indicators")


@st.cache_data(show_spinner=False, max_entries=4)
def _raw_indicator_catalogue(version: str) -> pd.DataFrame:
    return data.indicator_catalogue(version)


@st.cache_data(show_spinner=False, max_entries=12)
def _explorer_catalogue(version: str, lang: str) -> pd.DataFrame:
    merged = explorer.merge_catalogue(indicators(version), _raw_indicator_catalogue(version))
    for display, base in names.INDICATOR_TEXTS.items():
        merged[display] = names.localized(merged, base, lang)
    return merged


def explorer_catalogue(version: str) -> pd.DataFrame:
    """The card's indicators and every other Sotkanet indicator the warehouse describes,
    with display names in this run's language (model.explorer.merge_catalogue)."""
    return _explorer_catalogue(version, current())


@st.cache_data(show_spinner=False, max_entries=16)
def observations(version: str, region_ids: tuple[int, ...], gender: str = "total",
                 indicator_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    return data.observations(version, region_ids, gender, indicator_ids)


@st.cache_data(show_spinner=False, max_entries=16)
def year_slice(version: str, indicator_ids: tuple[int, ...], gender: str = "total") -> pd.DataFrame:
    return data.year_slice(version, indicator_ids, gender)


@st.cache_data(show_spinner=False, max_entries=8)
def load_history(version: str) -> pd.DataFrame:
    return data.load_history(version)


@st.cache_data(show_spinner=False, max_entries=8)
def coverage(version: str) -> pd.DataFrame:
    return data.coverage(version)


@st.cache_data(show_spinner=False, max_entries=8)
def table_counts(version: str) -> dict[str, int]:
    return data.table_counts(version)
