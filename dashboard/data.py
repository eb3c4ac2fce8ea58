"""The dashboard's only door to DuckDB: read-only, one connection per query batch, cached by version.

A long-lived connection would lock the pipeline out and, because DuckDB reuses an open
database for the same path within a process, keep serving the old file after a publish.
So every query batch opens the live file read-only and closes it, and results are cached
under the file's version (inode, mtime, size): a publish changes the key.
"""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

SCHEMA_VERSION = "1"
DEFAULT_WAREHOUSE = Path(__file__).resolve().parent.parent / "data" / "warehouse.duckdb"
FIX_COMMAND = "hyte ingest --source demo"  # or --source sotkanet with a network


class WarehouseUnavailable(RuntimeError):
    """The live warehouse cannot be read; the message says which command fixes it."""


def warehouse_path() -> Path:
    return Path(os.environ.get("HYTE_WAREHOUSE", DEFAULT_WAREHOUSE))


def version() -> str:
    """The live file's version; visitors see its name only, never a server path."""
    path = warehouse_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        raise WarehouseUnavailable(
            f"Tietovarastoa ei löydy ({path.name}). Rakenna se komennolla: {FIX_COMMAND}") from None
    except OSError as exc:
        raise WarehouseUnavailable(
            f"Tietovarastoa ei voi lukea ({path.name}: {exc.strerror or type(exc).__name__}). "
            f"Rakenna se uudelleen: {FIX_COMMAND}") from None
    if not stat.S_ISREG(st_.st_mode):
        raise WarehouseUnavailable(
            f"Tietovarasto ({path.name}) ei ole tiedosto. Rakenna se uudelleen: {FIX_COMMAND}")
    if st_.st_size == 0:
        raise WarehouseUnavailable(
            f"Tietovarasto on tyhjä tiedosto ({path.name}). Rakenna se uudelleen: {FIX_COMMAND}")
    return f"{st_.st_ino}-{st_.st_mtime_ns}-{st_.st_size}"


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    return query_many([(sql, params)])[0]


def query_many(statements: list[tuple[str, list | None]]) -> list[pd.DataFrame]:
    """Several statements in one read-only connection (one open and close for the batch)."""
    with _connection() as con:
        return [_run(con, sql, params) for sql, params in statements]


# Never fetch or load a DuckDB extension from a page view (no network, nothing a file can
# ask for): the warehouse needs none.
READ_ONLY_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@contextmanager
def _connection():
    """The live file, read-only, closed on exit: never held between query batches.

    Any DuckDB or file error inside the batch (a truncated, half-written file opens and
    then fails on the first block it lacks) becomes the one clear WarehouseUnavailable.
    """
    path = warehouse_path()
    try:
        con = duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)
    except (duckdb.Error, OSError) as exc:
        raise WarehouseUnavailable(_unreadable(path, exc)) from None
    try:
        yield con
    except (duckdb.Error, OSError) as exc:
        raise WarehouseUnavailable(_unreadable(path, exc)) from None
    finally:
        con.close()


def _unreadable(path: Path, exc: BaseException) -> str:
    return (f"Tietovarastoa ei voi lukea ({path.name}: {_first_line(exc)}). "
            f"Rakenna se uudelleen: {FIX_COMMAND}")


def _run(con, sql: str, params: list | None = None) -> pd.DataFrame:
    try:
        return con.execute(sql, params or []).df()
    except duckdb.CatalogException as exc:
        raise WarehouseUnavailable(
            f"Tietovaraston rakenne on vanha tai vajaa ({_first_line(exc)}). "
            f"Rakenna se uudelleen: {FIX_COMMAND}") from None
    except (duckdb.Error, OSError) as exc:
        raise WarehouseUnavailable(_unreadable(warehouse_path(), exc)) from None


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s\"':]+/)*([^\s\"':/]+)")


def _first_line(exc: Exception) -> str:
    """The error's first line, with every absolute path cut to its file name and control
    characters escaped: a visitor never learns the server's directories."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    line = _ABSOLUTE_PATH.sub(r"\1", line)
    line = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in line)
    return line[:300]


TABLES = ("warehouse_meta", "region", "municipality_group", "group_member", "indicator",
          "observation", "load_log")


CATALOGUE_SQL = {
    "regions": "SELECT * FROM region ORDER BY category, name_fi",
    "groups": """
        SELECT g.*, list(m.region_id ORDER BY r.name_fi) AS members,
               sum(r.population) AS population
        FROM municipality_group g
        JOIN group_member m USING (group_id)
        JOIN region r USING (region_id)
        GROUP BY ALL ORDER BY g.sort_order""",
    "indicators": "SELECT * FROM indicator ORDER BY sort_order",
}


@st.cache_data(show_spinner=False, max_entries=8)
def catalogue(version: str) -> dict:
    """The small tables every page starts from, checked and read in one connection.

    A cold page used to open one connection per table (about 16 ms each at national scale);
    meta, regions, groups and indicators are cut from this one read instead.
    """
    with _connection() as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        missing = sorted(set(TABLES) - tables)
        if missing:
            raise WarehouseUnavailable(
                f"Tietovarastosta puuttuu tauluja ({', '.join(missing)}). "
                f"Rakenna se uudelleen: {FIX_COMMAND}")
        info = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        if info.get("schema_version") != SCHEMA_VERSION:
            raise WarehouseUnavailable(
                f"Tietovaraston versio {info.get('schema_version')!r} ei vastaa sovellusta "
                f"({SCHEMA_VERSION}). Rakenna se uudelleen: {FIX_COMMAND}")
        out = {name: _run(con, sql) for name, sql in CATALOGUE_SQL.items()}
    return {"meta": info, **out}


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
    """All years of the given regions (and indicators): the overview's whole working set."""
    sql = ("SELECT indicator_id, region_id, year, gender, value, abs_value FROM observation "
           "WHERE gender = ? AND list_contains(?, region_id)")
    params: list = [gender, list(region_ids)]
    if indicator_ids is not None:
        sql += " AND list_contains(?, indicator_id)"
        params.append(list(indicator_ids))
    return query(sql + " ORDER BY indicator_id, region_id, year", params)


@st.cache_data(show_spinner=False, max_entries=16)
def year_slice(version: str, indicator_ids: tuple[int, ...], gender: str = "total") -> pd.DataFrame:
    """Every region's values for the given indicators, for ranks across Finland."""
    return query(
        "SELECT o.indicator_id, o.region_id, o.year, o.value, o.abs_value, r.category, "
        "r.county_id FROM observation o JOIN region r USING (region_id) "
        "WHERE o.gender = ? AND list_contains(?, o.indicator_id)",
        [gender, list(indicator_ids)])


@st.cache_data(show_spinner=False, max_entries=8)
def load_history(version: str) -> pd.DataFrame:
    return query("SELECT run_id, source, started_at, finished_at, status, rows, detail "
                 "FROM load_log ORDER BY finished_at DESC")


@st.cache_data(show_spinner=False, max_entries=8)
def coverage(version: str) -> pd.DataFrame:
    return query("""
        SELECT i.indicator_id, i.short_fi, i.priority, i.load_status, i.load_detail,
               i.data_updated, i.producer, min(o.year) AS first_year, max(o.year) AS last_year,
               count(o.value) AS rows, i.sort_order
        FROM indicator i LEFT JOIN observation o USING (indicator_id)
        GROUP BY ALL ORDER BY i.sort_order""")


@st.cache_data(show_spinner=False, max_entries=8)
def table_counts(version: str) -> dict[str, int]:
    tables = ["region", "municipality_group", "group_member", "indicator", "observation",
              "load_log"]
    frames = query_many([(f"SELECT count(*) AS n FROM {t}", None) for t in tables])
    return {t: int(f["n"].iloc[0]) for t, f in zip(tables, frames, strict=True)}
