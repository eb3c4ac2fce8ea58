"""The dashboard's only door to DuckDB: read-only, one connection per query batch.

A long-lived connection would lock the pipeline out and, because DuckDB reuses an open
database for the same path within a process, keep serving the old file after a publish.
So every query batch opens the live file read-only and closes it. Every reader takes the
file's version (inode, mtime, size) as its first argument: callers cache results under it
(ui.warehouse wraps these readers in st.cache_data), and a publish changes the key. No
Streamlit here: `hyte export` and the notebooks read through the same functions.
"""

from __future__ import annotations

import os
import re
import stat
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA_VERSION = "1"
DEFAULT_WAREHOUSE = Path(__file__).resolve().parent.parent / "data" / "warehouse.duckdb"
FIX_COMMAND = "hyte ingest --source demo"  # or --source sotkanet with a network


def N_(template: str) -> str:  # noqa: N802 (gettext's marker; data.py imports no i18n)
    return template


class WarehouseUnavailable(RuntimeError):
    """The live warehouse cannot be read; the message says which command fixes it.

    `template` is a Finnish message of the catalogues (extracted into the i18n domain) and
    `details` its values: str() is the Finnish text (the CLI's), ui.frame translates it.
    """

    def __init__(self, template: str, **details):
        self.template, self.details = template, details
        super().__init__(template.format(**details))


def warehouse_path() -> Path:
    return Path(os.environ.get("HYTE_WAREHOUSE", DEFAULT_WAREHOUSE))


def version() -> str:
    """The live file's version; visitors see its name only, never a server path."""
    path = warehouse_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        raise WarehouseUnavailable(N_("Tietovarastoa ei löydy ({file}). Rakenna se komennolla: "
                                      "{fix}"), file=path.name, fix=FIX_COMMAND) from None
    except OSError as exc:
        raise WarehouseUnavailable(UNREADABLE, file=path.name,
                                   reason=exc.strerror or type(exc).__name__,
                                   fix=FIX_COMMAND) from None
    if not stat.S_ISREG(st_.st_mode):
        raise WarehouseUnavailable(N_("Tietovarasto ({file}) ei ole tiedosto. Rakenna se "
                                      "uudelleen: {fix}"), file=path.name, fix=FIX_COMMAND)
    if st_.st_size == 0:
        raise WarehouseUnavailable(N_("Tietovarasto on tyhjä tiedosto ({file}). Rakenna se "
                                      "uudelleen: {fix}"), file=path.name, fix=FIX_COMMAND)
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
        raise _unreadable(path, exc) from None
    try:
        yield con
    except (duckdb.Error, OSError) as exc:
        raise _unreadable(path, exc) from None
    finally:
        con.close()


UNREADABLE = N_("Tietovarastoa ei voi lukea ({file}: {reason}). Rakenna se uudelleen: {fix}")


def _unreadable(path: Path, exc: BaseException) -> WarehouseUnavailable:
    return WarehouseUnavailable(UNREADABLE, file=path.name, reason=_first_line(exc),
                                fix=FIX_COMMAND)


def _run(con, sql: str, params: list | None = None) -> pd.DataFrame:
    try:
        return con.execute(sql, params or []).df()
    except duckdb.CatalogException as exc:
        raise WarehouseUnavailable(N_("Tietovaraston rakenne on vanha tai vajaa ({reason}). "
                                      "Rakenna se uudelleen: {fix}"),
                                   reason=_first_line(exc), fix=FIX_COMMAND) from None
    except (duckdb.Error, OSError) as exc:
        raise _unreadable(warehouse_path(), exc) from None


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
          "observation", "sotkanet_indicator", "load_log")


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
            raise WarehouseUnavailable(N_("Tietovarastosta puuttuu tauluja ({tables}). Rakenna "
                                          "se uudelleen: {fix}"),
                                       tables=", ".join(missing), fix=FIX_COMMAND)
        info = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        if info.get("schema_version") != SCHEMA_VERSION:
            raise WarehouseUnavailable(N_("Tietovaraston versio {found} ei vastaa sovellusta "
                                          "({wanted}). Rakenna se uudelleen: {fix}"),
                                       found=repr(info.get("schema_version")),
                                       wanted=SCHEMA_VERSION, fix=FIX_COMMAND)
        out = {name: inert_text(_run(con, sql)) for name, sql in CATALOGUE_SQL.items()}
    return {"meta": info, **out}


# --- text from outside, made inert where it enters the dashboard ---------------------------
# Titles, names, producers and notices come from Sotkanet and configuration files (and, in
# time, from survey exports and people). Each output then escapes for its own syntax
# (ui.markup for Markdown, html.escape in reports, the formula guard in reports.tables);
# here, once for all of them, go the characters no output should pass on: controls (terminal
# escapes), bidirectional overrides that reorder what a reader sees, zero-width characters
# that hide text, and lengths no layout can hold.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u2069\ufeff]")
NAME_LIMIT = 300      # names and titles
TEXT_LIMIT = 4000     # descriptions, limits, notices
_NAME_COLUMNS = re.compile(r"^(name|short|title)(_\w+)?$")


def clean_text(value, limit: int = TEXT_LIMIT):
    """One outside string without invisible or control characters, cut to `limit`."""
    if not isinstance(value, str):
        return value
    text = _INVISIBLE.sub("", value).replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def inert_text(frame: pd.DataFrame) -> pd.DataFrame:
    """clean_text over every text column (names to NAME_LIMIT, other texts to TEXT_LIMIT)."""
    out = frame
    for col in frame.columns:
        if frame[col].dtype != object and not pd.api.types.is_string_dtype(frame[col]):
            continue
        values = frame[col].tolist()
        if not any(isinstance(v, str) for v in values):
            continue
        limit = NAME_LIMIT if _NAME_COLUMNS.match(str(col)) else TEXT_LIMIT
        cleaned = [clean_text(v, limit) for v in values]
        if cleaned != values:
            if out is frame:
                out = frame.copy()
            out[col] = pd.Series(cleaned, index=frame.index, dtype=frame[col].dtype)
    return out


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


def year_slice(version: str, indicator_ids: tuple[int, ...], gender: str = "total") -> pd.DataFrame:
    """Every region's values for the given indicators, for ranks across Finland."""
    return query(
        "SELECT o.indicator_id, o.region_id, o.year, o.value, o.abs_value, r.category, "
        "r.county_id FROM observation o JOIN region r USING (region_id) "
        "WHERE o.gender = ? AND list_contains(?, o.indicator_id)",
        [gender, list(indicator_ids)])


def indicator_catalogue(version: str) -> pd.DataFrame:
    """Every Sotkanet indicator the warehouse describes (sotkanet_indicator), whether its data
    were loaded or not (`has_data`); the explorer searches it. A few thousand rows."""
    frame = query("SELECT indicator_id, title_fi, title_sv, title_en, producer, "
                  "primary_value_type, decimals, range_start, range_end, data_updated, "
                  "region_classes, genders, subjects, description_fi, in_card, load_status, "
                  "load_detail, rows, rows > 0 AS has_data "
                  "FROM sotkanet_indicator ORDER BY indicator_id")
    return inert_text(frame)


def load_history(version: str) -> pd.DataFrame:
    return query("SELECT run_id, source, started_at, finished_at, status, rows, detail "
                 "FROM load_log ORDER BY finished_at DESC")


def coverage(version: str) -> pd.DataFrame:
    return query("""
        SELECT i.indicator_id, i.short_fi, i.priority, i.load_status, i.load_detail,
               i.data_updated, i.producer, min(o.year) AS first_year, max(o.year) AS last_year,
               count(o.value) AS rows, i.sort_order
        FROM indicator i LEFT JOIN observation o USING (indicator_id)
        GROUP BY ALL ORDER BY i.sort_order""")


def table_counts(version: str) -> dict[str, int]:
    tables = ["region", "municipality_group", "group_member", "indicator", "observation",
              "load_log"]
    frames = query_many([(f"SELECT count(*) AS n FROM {t}", None) for t in tables])
    return {t: int(f["n"].iloc[0]) for t, f in zip(tables, frames, strict=True)}


# --- the NGO survey (järjestökysely) ------------------------------------------------------------
# The answers' public tables (no free text) in one batch; the development needs only through
# ngo_needs, which the views call for editors alone. A warehouse built before the survey
# tables existed reads as "no survey loaded".
NGO_TABLES = {
    "surveys": "SELECT survey_id, name, round_year, file_name, organisations, is_demo "
               "FROM ngo_survey ORDER BY round_year, survey_id",
    "orgs": "SELECT * FROM ngo_org ORDER BY survey_id, org_id",
    "regions": "SELECT survey_id, org_id, region_id FROM ngo_org_region",
    "activities": "SELECT survey_id, org_id, activity AS code FROM ngo_org_activity",
    "targets": "SELECT survey_id, org_id, target AS code FROM ngo_org_target",
    "priorities": "SELECT survey_id, org_id, priority AS code FROM ngo_org_priority",
}


def _has_ngo_tables(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = 'ngo_survey'").fetchone()[0])


def ngo_answers(version: str) -> dict[str, pd.DataFrame] | None:
    """Every survey's organisations and their multi-select answers, or None (no survey)."""
    with _connection() as con:
        if not _has_ngo_tables(con):
            return None
        out = {name: inert_text(_run(con, sql)) for name, sql in NGO_TABLES.items()}
    return out if not out["surveys"].empty else None


def ngo_needs(version: str, survey_id: str, region_ids: tuple[int, ...]) -> list[str]:
    """The free-text development needs of the organisations acting in the regions.

    Editors' views only (the survey promised respondents that): never in public exports.
    """
    with _connection() as con:
        if not _has_ngo_tables(con):
            return []
        frame = _run(con, """
            SELECT DISTINCT n.org_id, n.need FROM ngo_org_need n
            JOIN ngo_org_region r USING (survey_id, org_id)
            WHERE n.survey_id = ? AND list_contains(?, r.region_id)
            ORDER BY n.org_id""", [survey_id, list(region_ids)])
    return [clean_text(t) for t in frame["need"] if isinstance(t, str) and t.strip()]
