"""The DuckDB warehouse: schema, build into a new file, validate, publish atomically."""

from __future__ import annotations

import functools
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import plausibility
from pipelines.config import PROJECT_ROOT, Config
from pipelines.dataset import OBSERVATION_COLUMNS, Dataset
from pipelines.surveys import load as survey_load
from pipelines.text import printable

SCHEMA_VERSION = "1"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse.duckdb"

SCHEMA = """
CREATE TABLE warehouse_meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE TABLE region (
    region_id INTEGER PRIMARY KEY,
    code VARCHAR,
    category VARCHAR NOT NULL,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    county_id INTEGER,
    maakunta_id INTEGER,
    population BIGINT,
    population_year SMALLINT
);
CREATE TABLE municipality_group (
    group_id VARCHAR PRIMARY KEY,
    name_fi VARCHAR NOT NULL,
    name_sv VARCHAR,
    name_en VARCHAR,
    sort_order INTEGER,
    parent_region_id INTEGER
);
CREATE TABLE group_member (
    group_id VARCHAR,
    region_id INTEGER,
    PRIMARY KEY (group_id, region_id)
);
CREATE TABLE indicator (
    indicator_id INTEGER PRIMARY KEY,
    title_fi VARCHAR, title_sv VARCHAR, title_en VARCHAR,
    short_fi VARCHAR, short_sv VARCHAR, short_en VARCHAR,
    priority VARCHAR NOT NULL,
    polarity VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    decimals INTEGER,
    comparison VARCHAR,
    verified BOOLEAN,
    coverage VARCHAR,
    schedule VARCHAR,
    rationale VARCHAR,
    sort_order INTEGER,
    producer VARCHAR,
    description_fi VARCHAR,
    interpretation_fi VARCHAR,
    limits_fi VARCHAR,
    notices_fi VARCHAR,
    data_updated DATE,
    range_start INTEGER,
    range_end INTEGER,
    load_status VARCHAR,
    load_detail VARCHAR
);
CREATE TABLE observation (
    indicator_id INTEGER NOT NULL,
    region_id INTEGER NOT NULL,
    year SMALLINT NOT NULL,
    gender VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    abs_value DOUBLE
);
CREATE TABLE sotkanet_indicator (
    indicator_id INTEGER PRIMARY KEY,
    title_fi VARCHAR, title_sv VARCHAR, title_en VARCHAR,
    producer VARCHAR,
    organization_id INTEGER,
    primary_value_type VARCHAR,
    decimals INTEGER,
    range_start INTEGER,
    range_end INTEGER,
    data_updated DATE,
    region_classes VARCHAR,
    genders VARCHAR,
    subjects VARCHAR,
    description_fi VARCHAR,
    in_card BOOLEAN NOT NULL,
    requested BOOLEAN NOT NULL,
    load_status VARCHAR NOT NULL,
    load_detail VARCHAR,
    rows BIGINT NOT NULL
);
CREATE TABLE load_log (
    run_id VARCHAR PRIMARY KEY,
    source VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,
    rows BIGINT,
    detail VARCHAR
);
-- The county's NGO survey (pipelines/surveys): one row per responding organisation, its
-- multi-select answers in link tables. No names, no contact details (never imported).
CREATE TABLE ngo_survey (
    survey_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    round_year SMALLINT NOT NULL,
    file_name VARCHAR,
    organisations INTEGER NOT NULL,
    loaded_at TIMESTAMP,
    is_demo BOOLEAN NOT NULL
);
CREATE TABLE ngo_org (
    survey_id VARCHAR NOT NULL,
    org_id VARCHAR NOT NULL,
    org_type VARCHAR,
    members INTEGER,
    volunteers INTEGER,
    paid_staff INTEGER,
    coop_municipality SMALLINT,
    coop_county SMALLINT,
    coop_parish SMALLINT,
    PRIMARY KEY (survey_id, org_id)
);
CREATE TABLE ngo_org_region (survey_id VARCHAR, org_id VARCHAR, region_id INTEGER);
CREATE TABLE ngo_org_activity (survey_id VARCHAR, org_id VARCHAR, activity VARCHAR);
CREATE TABLE ngo_org_target (survey_id VARCHAR, org_id VARCHAR, target VARCHAR);
CREATE TABLE ngo_org_priority (survey_id VARCHAR, org_id VARCHAR, priority VARCHAR);
-- Free-text development needs: read only for editors' views, never in public exports.
CREATE TABLE ngo_org_need (survey_id VARCHAR, org_id VARCHAR, need VARCHAR);
"""
TABLES = ("region", "municipality_group", "group_member", "indicator", "observation",
          "sotkanet_indicator", "load_log", "ngo_survey", "ngo_org")
INSERT_BATCH = 250  # indicators per streamed INSERT (each sorted; memory stays per batch)


class ValidationError(RuntimeError):
    """The built file is not fit to publish; the live warehouse stays as it was."""


class WarehouseError(RuntimeError):
    """The warehouse file cannot be used or replaced; the message is one line naming it."""


REQUIRED_META = ("schema_version", "source", "is_demo", "built_at", "run_id",
                 "county_region_id", "maakunta_region_id", "country_region_id")
# Read-only connections never fetch or load DuckDB extensions (no network, no code
# from outside the lock file; a hostile file cannot ask for one).
READ_ONLY_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
REBUILD = "rebuild it with: hyte ingest --source demo (or --source sotkanet)"


@dataclass
class BuildResult:
    path: Path
    run_id: str
    rows: dict[str, int]
    warnings: list[str]


def warehouse_path() -> Path:
    return Path(os.environ.get("HYTE_WAREHOUSE", DEFAULT_WAREHOUSE))


def live_target(live: Path) -> Path:
    """The file a publish replaces: `live` itself, or the file a symlink there points to.

    A symlinked warehouse (data/warehouse.duckdb -> /srv/hyte/warehouse-2026.duckdb) is
    published *through* the link: the target is replaced atomically in its own directory
    (its build/ folder beside it), and the link stays as it was.
    """
    live = Path(live)
    if live.is_symlink():
        return Path(os.path.realpath(live))
    return live


def check_target(live: Path, target: Path) -> None:
    """Refuse, in one line, a warehouse path that no publish could replace."""
    shown = f"{live}" + (f" (-> {target})" if target != live else "")
    if target.is_dir():
        raise WarehouseError(f"warehouse {shown} is a directory, not a DuckDB file "
                             "(HYTE_WAREHOUSE names the file)")
    if target.exists() and not target.is_file():
        raise WarehouseError(f"warehouse {shown} is not a regular file")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise WarehouseError(f"warehouse {shown}: {parent} is not a directory")
            break


def build_dir(live: Path) -> Path:
    return live.parent / "build"


def new_build_path(live: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return build_dir(live) / f"{live.stem}-{os.getpid()}-{stamp}-{uuid.uuid4().hex[:6]}.duckdb"


def prune_stale_builds(live: Path) -> list[Path]:
    """Delete leftovers of killed builds (their pid is gone), never a running one's file."""
    removed = []
    folder = build_dir(live)
    if not folder.is_dir():
        return removed
    for path in folder.glob(f"{live.stem}-*.duckdb*"):
        try:
            pid = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and _alive(pid):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(dataset: Dataset, config: Config, live: Path, *, run_id: str | None = None,
          started_at: datetime | None = None, strict: bool = False) -> BuildResult:
    """Write a complete new warehouse file next to the live one and validate it."""
    run_id = run_id or uuid.uuid4().hex[:12]
    started_at = started_at or datetime.now(UTC)
    build_dir(live).mkdir(parents=True, exist_ok=True)
    path = new_build_path(live)
    failures = {iid: printable(reason) for iid, reason in dataset.failures.items()}
    warnings = [f"indicator {iid}: {reason}" for iid, reason in sorted(failures.items())]
    reuse = set(getattr(dataset.bulk, "reuse", None) or ())
    in_place = bool(reuse) and _patchable(live)
    if in_place:
        # Most indicators are unchanged: start from a copy of the live file and replace
        # only what changed, instead of writing every row again (see _start_from_live).
        _copy_file(live, path)
    con = duckdb.connect(str(path))
    try:
        if in_place:
            _start_from_live(con, reuse)
        else:
            con.execute(SCHEMA)
        regions = _regions_table(dataset, config)
        # Implausible rows go first (counted per indicator), so an id beyond 32 bits is
        # reported as such and never reaches a cast or the unknown-region filter.
        dataset.observations = plausibility.screen(dataset.observations, config,
                                                   dataset.dropped)
        observations = _observations_table(dataset)
        warnings += plausibility.warnings(dataset.dropped)
        regions = _with_population(regions, observations)
        con.register("regions_df", regions)
        con.execute("INSERT INTO region SELECT * FROM regions_df")
        con.register("groups_df", _groups_table(config))
        con.execute("INSERT INTO municipality_group SELECT * FROM groups_df")
        con.register("members_df", _members_table(config))
        con.execute("INSERT INTO group_member SELECT * FROM members_df")
        con.register("indicators_df", _indicator_table(dataset, config))
        con.execute("INSERT INTO indicator SELECT * FROM indicators_df")
        con.register("obs_df", observations)
        # Sorted by indicator first: every dashboard query filters on indicator_id,
        # and DuckDB's zone maps then skip whole row groups.
        _insert_observations(con, observations, dataset, live, in_place=in_place)
        con.register("catalogue_df", _sotkanet_table(dataset, config))
        con.execute("INSERT INTO sotkanet_indicator SELECT * FROM catalogue_df")
        con.execute("""UPDATE sotkanet_indicator s SET rows = c.n
                       FROM (SELECT indicator_id, count(*) AS n FROM observation GROUP BY 1) c
                       WHERE s.indicator_id = c.indicator_id""")
        survey_load.write(con, dataset.surveys)
        warnings += validate(con, config, dataset)
        if dataset.surveys is not None:
            warnings += dataset.surveys.warnings
        if not in_place:  # a copy of the live file holds its load_log already
            _copy_history(con, live)
        status = "warnings" if warnings else "ok"
        detail = {**dataset.detail, "failures": {str(k): v for k, v in failures.items()},
                  "dropped": {str(k): v for k, v in sorted(dataset.dropped.items())},
                  "warnings": warnings,
                  "notes": [printable(n) for n in dataset.notes]}
        con.execute(
            "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?)",
            [run_id, dataset.source, started_at.replace(tzinfo=None),
             datetime.now(UTC).replace(tzinfo=None), status,
             con.execute("SELECT count(*) FROM observation").fetchone()[0],
             json.dumps(detail, ensure_ascii=False)],
        )
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        meta = {
            "schema_version": SCHEMA_VERSION,
            "source": dataset.source,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "run_id": run_id,
            "is_demo": "true" if dataset.source == "demo" else "false",
            "county_region_id": str(config.county.region_id),
            "maakunta_region_id": str(config.maakunta.region_id),
            "country_region_id": str(config.country.region_id),
            **{k: str(v) for k, v in dataset.detail.items() if isinstance(v, str | int)},
        }
        con.executemany("INSERT INTO warehouse_meta VALUES (?, ?)", list(meta.items()))
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove(path)
        raise
    con.close()
    if strict and warnings:
        _remove(path)
        raise ValidationError(
            f"--strict: {len(warnings)} problem(s), the first: {warnings[0]}; nothing published")
    return BuildResult(path, run_id, rows, warnings)


def publish(result: BuildResult, live: Path) -> None:
    """Switch the live name to the new file in one atomic step.

    `live` is the file itself (see live_target: a symlink is published through). If the
    switch fails (an immutable file, a read-only mount) the new file is removed and the
    live one is as it was.
    """
    try:
        live.parent.mkdir(parents=True, exist_ok=True)
        os.replace(result.path, live)
    except OSError as exc:
        _remove(result.path)
        raise WarehouseError(f"cannot replace {live}: {exc.strerror or exc}") from None
    _fsync_dir(live.parent)


def validate(con: duckdb.DuckDBPyConnection, config: Config, dataset: Dataset) -> list[str]:
    """Refuse to publish a warehouse the dashboard could not trust; return soft warnings."""
    def one(sql: str, params=None):
        return con.execute(sql, params or []).fetchone()[0]

    errors = []
    wanted = {m.region_id: m for m in config.named_regions}
    rows = con.execute(
        "SELECT region_id, code, category FROM region WHERE region_id IN "
        f"({','.join(str(i) for i in wanted)})").fetchall()
    found = {r[0]: r for r in rows}
    for rid, reg in wanted.items():
        if rid not in found:
            errors.append(f"region {rid} ({reg.name_fi}) is missing from the source's regions")
        elif found[rid][2] != reg.category:
            errors.append(f"region {rid} ({reg.name_fi}) is {found[rid][2]} in the source, "
                          f"{reg.category} in regions.toml")
        elif reg.category == "KUNTA" and found[rid][1] != reg.code:
            errors.append(f"region {rid} ({reg.name_fi}) has code {found[rid][1]!r} in the source, "
                          f"{reg.code!r} in regions.toml")
    dups = _duplicate_keys(con, set(getattr(dataset.bulk, "reuse", None) or ()))
    if dups:
        errors.append(f"{dups} duplicate observation keys")
    orphans = one("SELECT count(*) FROM observation o ANTI JOIN region r USING (region_id)")
    if orphans:
        errors.append(f"{orphans} observations refer to unknown regions")
    unknown = one("SELECT count(*) FROM observation o WHERE indicator_id NOT IN "
                  "(SELECT indicator_id FROM indicator UNION SELECT indicator_id "
                  "FROM sotkanet_indicator)")
    if unknown:
        errors.append(f"{unknown} observations refer to indicators outside the catalogue")
    bad = one("SELECT count(*) FROM observation WHERE NOT isfinite(value) "
              "OR gender NOT IN ('total', 'male', 'female')")
    if bad:
        errors.append(f"{bad} observations have a non-finite value or an unknown gender")
    if one("SELECT count(*) FROM ngo_org_region n ANTI JOIN region r USING (region_id)"):
        errors.append("NGO survey answers refer to unknown regions")
    for link in ("ngo_org_region", "ngo_org_activity", "ngo_org_target", "ngo_org_priority",
                 "ngo_org_need"):
        if one(f"SELECT count(*) FROM {link} l ANTI JOIN ngo_org o USING (survey_id, org_id)"):
            errors.append(f"{link} refers to organisations not in ngo_org")
    if one("SELECT count(*) FROM observation") == 0:
        errors.append("no observations at all")
    loaded = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observation").fetchall()}
    warnings = []
    for ind in config.indicators:
        if ind.indicator_id not in loaded and ind.indicator_id not in dataset.failures:
            warnings.append(f"indicator {ind.indicator_id}: no observations in the source")
    if errors:
        raise ValidationError("validation failed: " + "; ".join(errors))
    return warnings


def _duplicate_keys(con: duckdb.DuckDBPyConnection, copied: set[int] = frozenset()) -> int:
    """Duplicate (indicator, region, year, gender) keys, counted one batch of ids at a time so
    a national file's check needs the memory of one batch, not of the whole table.

    `copied`: indicators whose rows were copied whole from the live warehouse, which was
    validated when it was published; their keys are not counted again.
    """
    ids = [r[0] for r in con.execute(
        "SELECT DISTINCT indicator_id FROM observation ORDER BY 1").fetchall()
        if r[0] not in copied]
    total = 0
    for start in range(0, len(ids), INSERT_BATCH):
        batch = ids[start:start + INSERT_BATCH]
        total += con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM observation WHERE indicator_id BETWEEN ? AND ? "
            "AND list_contains(?, indicator_id) "
            "GROUP BY indicator_id, region_id, year, gender HAVING count(*) > 1)",
            [batch[0], batch[-1], batch]).fetchone()[0]
    return total


def _patchable(live: Path) -> bool:
    """The live file can be the start of an incremental build: readable, this schema."""
    if not live.is_file():
        return False
    try:
        con = duckdb.connect(str(live), read_only=True, config=READ_ONLY_CONFIG)
    except (duckdb.Error, OSError):
        return False
    try:
        have: dict[str, list[str]] = {}
        for table, column in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "ORDER BY table_name, ordinal_position").fetchall():
            have.setdefault(table, []).append(column)
        meta = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
    except duckdb.Error:
        return False
    finally:
        con.close()
    return ({t: tuple(c) for t, c in have.items()} == schema_columns()
            and meta.get("schema_version") == SCHEMA_VERSION and meta.get("is_demo") == "false")


def _copy_file(live: Path, path: Path) -> None:
    import shutil

    shutil.copyfile(live, path)  # the lock keeps other builds out; a publish swaps inodes


def _start_from_live(con: duckdb.DuckDBPyConnection, reuse: set[int]) -> None:
    """In a copy of the live file: empty the small tables (rebuilt like any build) and drop
    the observations of every indicator not reused (rewritten by this build)."""
    for table in ("warehouse_meta", "region", "municipality_group", "group_member",
                  "indicator", "sotkanet_indicator", *survey_load.COLUMNS):
        con.execute(f"DELETE FROM {table}")
    held = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observation").fetchall()}
    # The few ids to drop, through a hash join (a list test per row is slow on 30 M rows).
    con.register("drop_ids", pd.DataFrame({"indicator_id": sorted(held - reuse)},
                                          dtype="int32"))
    con.execute("DELETE FROM observation WHERE indicator_id IN "
                "(SELECT indicator_id FROM drop_ids)")
    con.unregister("drop_ids")


def _insert_observations(con: duckdb.DuckDBPyConnection, observations: pd.DataFrame,
                         dataset: Dataset, live: Path, *, in_place: bool = False) -> None:
    """The card's rows (obs_df) and the bulk indicators' rows (checkpoint Parquet files,
    copies from the live file), in indicator order, a batch of ids per sorted INSERT.

    in_place: the file is a copy of the live one that holds the reused rows already; rows
    of regions no longer kept are deleted instead of copied."""
    bulk = dataset.bulk
    files = dict(getattr(bulk, "files", {}) or {})
    reuse = set(getattr(bulk, "reuse", []) or [])
    if not files and not reuse:
        con.execute("INSERT INTO observation SELECT * FROM obs_df "
                    "ORDER BY indicator_id, region_id, gender, year")
        return
    card = set(int(i) for i in observations["indicator_id"].unique())
    files = {i: p for i, p in files.items() if i not in card}
    reuse -= card
    attached = False
    if in_place:
        reuse = set()
    elif reuse:
        con.execute(f"ATTACH '{_sql_path(live)}' AS previous (READ_ONLY)")
        attached = True
    try:
        ids = sorted(card | set(files) | reuse)
        # Consecutive ids from one source form one INSERT. Checkpoint files (each sorted)
        # listed in id order and the live file's rows (sorted already) keep their order
        # (DuckDB preserves insertion order), so only the card's frame needs an ORDER BY.
        segments: list[tuple[str, list[int]]] = []
        for iid in ids:
            kind = "card" if iid in card else "file" if iid in files else "live"
            if segments and segments[-1][0] == kind and len(segments[-1][1]) < INSERT_BATCH:
                segments[-1][1].append(iid)
            else:
                segments.append((kind, [iid]))
        for kind, batch in segments:
            if kind == "card":
                con.execute("INSERT INTO observation SELECT * FROM obs_df WHERE "
                            "list_contains(?, indicator_id) "
                            "ORDER BY indicator_id, region_id, gender, year", [batch])
            elif kind == "file":
                con.execute("INSERT INTO observation SELECT indicator_id, region_id, year, "
                            "gender, value, abs_value FROM read_parquet(?)",
                            [[str(files[i]) for i in batch]])
            else:
                con.execute("INSERT INTO observation SELECT indicator_id, region_id, year, "
                            "gender, value, abs_value FROM previous.observation "
                            "WHERE indicator_id BETWEEN ? AND ? AND list_contains(?, indicator_id)",
                            [min(batch), max(batch), batch])
        # Rows of regions this build does not keep (a resumed checkpoint or a copied
        # indicator from before a region change): one anti join, the order of the rest kept.
        con.execute("DELETE FROM observation WHERE region_id NOT IN "
                    "(SELECT region_id FROM region)")
    finally:
        if attached:
            con.execute("DETACH previous")


def _sotkanet_table(dataset: Dataset, config: Config) -> pd.DataFrame:
    """The whole catalogue's rows; for sources without one (demo), the card's indicators."""
    from pipelines.sotkanet.catalogue import CATALOGUE_COLUMNS

    frame = dataset.catalogue
    if frame is None or frame.empty:
        rows = []
        for ind in config.indicators:
            meta = dataset.metadata.get(ind.indicator_id, {})
            failed = dataset.failures.get(ind.indicator_id)
            rows.append({
                "indicator_id": ind.indicator_id,
                "title_fi": meta.get("title_fi") or ind.name_fi,
                "title_sv": meta.get("title_sv") or ind.name_sv,
                "title_en": meta.get("title_en") or ind.name_en,
                "producer": meta.get("producer"), "decimals": ind.decimals,
                "primary_value_type": meta.get("primary_value_type"),
                "range_start": meta.get("range_start"), "range_end": meta.get("range_end"),
                "data_updated": meta.get("data_updated"),
                "description_fi": meta.get("description_fi"),
                "in_card": True, "requested": True,
                "load_status": "failed" if failed else "ok", "load_detail": failed,
            })
        frame = pd.DataFrame(rows)
    frame = frame.reindex(columns=list(CATALOGUE_COLUMNS)).copy()
    frame["indicator_id"] = frame["indicator_id"].astype("int64")
    frame = frame.drop_duplicates("indicator_id", keep="first").sort_values("indicator_id")
    for col in ("organization_id", "decimals", "range_start", "range_end"):
        num = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
        low, high = ((plausibility.YEAR_MIN, plausibility.YEAR_MAX) if col.startswith("range")
                     else (-(2**31), 2**31 - 1))
        # A value no INTEGER (or no year) can hold is unknown, never cast or wrapped.
        frame[col] = num.where(num.between(low, high)).astype("Int64")
    frame["data_updated"] = pd.to_datetime(frame["data_updated"], errors="coerce").dt.date
    for col in ("in_card", "requested"):
        frame[col] = frame[col].fillna(False).astype(bool)
    frame["load_status"] = frame["load_status"].fillna("not_requested").astype(str)
    frame["rows"] = 0
    # Texts as Sotkanet gave them (like the indicator table): the dashboard cleans on read.
    return frame.reset_index(drop=True)


def _regions_table(dataset: Dataset, config: Config) -> pd.DataFrame:
    regions = dataset.regions.copy()
    if regions["region_id"].duplicated().any():
        raise ValidationError("validation failed: duplicate region ids in the source's regions")
    # Official names for the configured regions (the source may abbreviate or lack sv/en).
    named = {r.region_id: r for r in config.named_regions}
    for col in ("name_fi", "name_sv", "name_en"):
        regions[col] = [getattr(named[rid], col) if rid in named else val
                        for rid, val in zip(regions["region_id"], regions[col], strict=True)]
    for col in ("county_id", "maakunta_id"):
        regions[col] = regions[col].astype("Int64")
    regions["population"] = pd.array([pd.NA] * len(regions), dtype="Int64")
    regions["population_year"] = pd.array([pd.NA] * len(regions), dtype="Int16")
    return regions[["region_id", "code", "category", "name_fi", "name_sv", "name_en",
                    "county_id", "maakunta_id", "population", "population_year"]]


POPULATION_INDICATOR = 127


def _with_population(regions: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    pop = obs[(obs["indicator_id"] == POPULATION_INDICATOR) & (obs["gender"] == "total")]
    if pop.empty:
        return regions
    latest = pop.sort_values("year").groupby("region_id").tail(1).set_index("region_id")
    regions = regions.copy()
    regions["population"] = regions["region_id"].map(latest["value"]).round().astype("Int64")
    regions["population_year"] = regions["region_id"].map(latest["year"]).astype("Int16")
    return regions


def _observations_table(dataset: Dataset) -> pd.DataFrame:
    obs = dataset.observations[OBSERVATION_COLUMNS]
    keys = ["indicator_id", "region_id", "year", "gender"]
    dup = obs.duplicated(keys, keep="last")
    if dup.any():
        # Sources dedupe already; this guards DuckDB's keep-first behaviour all the same.
        dataset.notes.append(f"{int(dup.sum())} duplicate observation rows dropped")
        obs = obs[~dup]
    region_ids = set(dataset.regions["region_id"].tolist())
    outside = ~obs["region_id"].isin(region_ids)
    if outside.any():
        # Regions of categories we do not keep (ERVA, SEUTUKUNTA...) come back in every payload.
        obs = obs[~outside]
    return obs.reset_index(drop=True)


def _groups_table(config: Config) -> pd.DataFrame:
    return pd.DataFrame(
        [(g.group_id, g.name_fi, g.name_sv, g.name_en, g.sort_order, config.county.region_id)
         for g in config.groups],
        columns=["group_id", "name_fi", "name_sv", "name_en", "sort_order", "parent_region_id"],
    )


def _members_table(config: Config) -> pd.DataFrame:
    return pd.DataFrame([(g.group_id, m) for g in config.groups for m in g.members],
                        columns=["group_id", "region_id"])


def _indicator_table(dataset: Dataset, config: Config) -> pd.DataFrame:
    rows = []
    for ind in config.indicators:
        meta = dataset.metadata.get(ind.indicator_id, {})
        failed = ind.indicator_id in dataset.failures
        rows.append({
            "indicator_id": ind.indicator_id,
            "title_fi": meta.get("title_fi") or ind.name_fi,
            "title_sv": meta.get("title_sv") or ind.name_sv,
            "title_en": meta.get("title_en") or ind.name_en,
            "short_fi": ind.name_fi, "short_sv": ind.name_sv, "short_en": ind.name_en,
            "priority": ind.priority, "polarity": ind.polarity, "unit": ind.unit,
            "decimals": ind.decimals, "comparison": ind.comparison, "verified": ind.verified,
            "coverage": ind.coverage, "schedule": ind.schedule, "rationale": ind.rationale,
            "sort_order": ind.sort_order,
            "producer": meta.get("producer"),
            "description_fi": meta.get("description_fi"),
            "interpretation_fi": meta.get("interpretation_fi"),
            "limits_fi": meta.get("limits_fi"),
            "notices_fi": meta.get("notices_fi"),
            "data_updated": pd.to_datetime(meta.get("data_updated"), errors="coerce"),
            "range_start": meta.get("range_start"),
            "range_end": meta.get("range_end"),
            "load_status": "failed" if failed else "ok",
            "load_detail": dataset.failures.get(ind.indicator_id),
        })
    frame = pd.DataFrame(rows)
    frame["data_updated"] = pd.to_datetime(frame["data_updated"]).dt.date
    for col in ("range_start", "range_end"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _copy_history(con: duckdb.DuckDBPyConnection, live: Path) -> None:
    """Carry the live warehouse's load_log over, so the history survives rebuilds."""
    if not live.exists():
        return
    try:
        con.execute(f"ATTACH '{_sql_path(live)}' AS previous (READ_ONLY)")
        con.execute("INSERT INTO load_log SELECT * FROM previous.load_log")
        con.execute("DETACH previous")
    except duckdb.Error:
        # A corrupt or old-schema live file is not a reason to refuse a good new one.
        try:
            con.execute("DETACH previous")
        except duckdb.Error:
            pass


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@functools.cache
def schema_columns() -> dict[str, tuple[str, ...]]:
    """Every table's columns as SCHEMA defines them."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA)
        rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return {t: tuple(c) for t, c in out.items()}


def open_read_only(live: Path) -> duckdb.DuckDBPyConnection:
    """The live file read-only, extensions never fetched nor loaded; WarehouseError if the
    file is missing, not a file, or not a readable DuckDB database (e.g. half-written)."""
    live = Path(live)
    if not live.exists():
        raise WarehouseError(f"no warehouse at {live}; build one with: hyte ingest --source demo")
    if not live.is_file():
        raise WarehouseError(f"warehouse {live} is not a regular file; {REBUILD}")
    try:
        return duckdb.connect(str(live), read_only=True, config=READ_ONLY_CONFIG)
    except (duckdb.Error, OSError) as exc:
        raise WarehouseError(f"warehouse {live} cannot be read ({_first_line(exc)}); "
                             f"{REBUILD}") from None


def check_readable(live: Path) -> None:
    """Raise WarehouseError naming what is wrong unless the file has every table, column and
    meta row this version writes and its pages read (to its last block: a truncated file
    opens, then fails on the first read of a missing block)."""
    con = open_read_only(live)
    try:
        have = {}
        for table, column in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns").fetchall():
            have.setdefault(table, set()).add(column)
        for table, columns in schema_columns().items():
            if table not in have:
                raise WarehouseError(f"warehouse {live} has no table '{table}'; {REBUILD}")
            missing = [c for c in columns if c not in have[table]]
            if missing:
                raise WarehouseError(f"warehouse {live}: table '{table}' has no column "
                                     f"'{missing[0]}'; {REBUILD}")
        meta = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        for key in REQUIRED_META:
            if meta.get(key) in (None, ""):
                raise WarehouseError(f"warehouse {live}: warehouse_meta has no '{key}' row; "
                                     f"{REBUILD}")
        if meta["schema_version"] != SCHEMA_VERSION:
            raise WarehouseError(f"warehouse {live} has schema version "
                                 f"{printable(meta['schema_version'])!r}, this version reads "
                                 f"{SCHEMA_VERSION}; {REBUILD}")
        for table, columns in schema_columns().items():  # reads every column's blocks
            con.execute(f"SELECT count(*), sum(hash({', '.join(columns)})) "
                        f"FROM {table}").fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(f"warehouse {live} cannot be read ({_first_line(exc)}); "
                             f"{REBUILD}") from None
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return printable(text.splitlines()[0] if text else type(exc).__name__, limit=200)


def status(live: Path) -> dict:
    """What the live warehouse holds, for `hyte status` and the status page."""
    if not live.exists():
        raise FileNotFoundError(f"no warehouse at {live}")
    con = open_read_only(live)
    try:
        meta = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        last = con.execute(
            "SELECT run_id, source, started_at, finished_at, status, rows, detail FROM load_log "
            "ORDER BY finished_at DESC LIMIT 1").fetchone()
        inds = con.execute("""
            SELECT i.indicator_id, i.short_fi, i.priority, i.load_status, i.load_detail,
                   i.data_updated, min(o.year), max(o.year), count(o.value), i.sort_order
            FROM indicator i LEFT JOIN observation o USING (indicator_id)
            GROUP BY ALL ORDER BY i.sort_order""").fetchall()
    finally:
        con.close()
    st = live.stat()
    return {
        "path": str(live),
        "size_bytes": st.st_size,
        "modified": datetime.fromtimestamp(st.st_mtime, UTC).isoformat(timespec="seconds"),
        "schema_version": meta.get("schema_version"),
        "source": meta.get("source"),
        "is_demo": meta.get("is_demo") == "true",
        "built_at": meta.get("built_at"),
        "rows": rows,
        "last_run": None if last is None else {
            "run_id": last[0], "source": last[1], "started_at": str(last[2]),
            "finished_at": str(last[3]), "status": last[4], "rows": last[5],
        },
        "indicators": [
            {"indicator_id": r[0], "name_fi": r[1], "priority": r[2], "status": r[3],
             "detail": r[4], "data_updated": None if r[5] is None else str(r[5]),
             "first_year": r[6], "last_year": r[7], "rows": r[8]}
            for r in inds
        ],
    }


