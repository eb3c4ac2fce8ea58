"""The warehouse readers of dashboard.data, cached across sessions under the file's version.

Small keys only (the version, ids as tuples): st.cache_data would hash a frame by sampling
it. A publish changes the version, so the next interaction reads the new file.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data

WarehouseUnavailable = data.WarehouseUnavailable
version = data.version


@st.cache_data(show_spinner=False, max_entries=8)
def catalogue(version: str) -> dict:
    return data.catalogue(version)


@st.cache_data(show_spinner=False, max_entries=8)
def meta(version: str) -> dict:
    return catalogue(version)["meta"]


@st.cache_data(show_spinner=False, max_entries=8)
def regions(version: str) -> pd.DataFrame:
    return catalogue(version)["regions"]


@st.cache_data(show_spinner=False, max_entries=8)
def groups(version: str) -> pd.DataFrame:
    return catalogue(version)["groups"]


@st.cache_data(show_spinner=False, max_entries=8)
def indicators(version: str) -> pd.DataFrame:
    return catalogue(version)["indicators"]


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
