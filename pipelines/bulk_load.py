"""Many Sotkanet indicators at once: bounded parallelism, checkpoints, reuse of the live file.

Used by `hyte ingest --indicators all|<ids>|<file>` for the indicators beyond the card's:

- a thread pool of `workers` (1..8) requests at a time, each worker with its own client
  (a requests session is not shared between threads), the client's retry and cache rules;
- every finished indicator is written to a checkpoint Parquet file
  build/<warehouse>.checkpoints/<id>-<data-updated>.parquet, so a killed run (SIGKILL
  included) continues where it stopped; the folder goes after a successful publish;
- an indicator whose data-updated date equals the one the live warehouse was built with is
  not downloaded at all: the build copies its rows from the live file.

Only per-indicator frames are ever in memory; the warehouse build streams the checkpoint
files into DuckDB (pipelines.warehouse).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.plausibility import YEAR_MAX, YEAR_MIN
from pipelines.text import printable

DEFAULT_WORKERS = 3
MAX_WORKERS = 8
OBS_SCHEMA = pa.schema([("indicator_id", pa.int32()), ("region_id", pa.int32()),
                        ("year", pa.int16()), ("gender", pa.string()),
                        ("value", pa.float64()), ("abs_value", pa.float64())])

Progress = Callable[[str], None]


@dataclass
class BulkResult:
    """What the build inserts besides the card's rows: checkpoint files and live copies."""

    files: dict[int, Path] = field(default_factory=dict)  # indicator id -> checkpoint
    reuse: list[int] = field(default_factory=list)  # ids whose rows come from the live file
    failures: dict[int, str] = field(default_factory=dict)
    live: Path | None = None
    checkpoints: Path | None = None
    counts: dict[str, int] = field(default_factory=lambda: {
        "downloaded": 0, "resumed": 0, "reused": 0, "failed": 0, "rows": 0})


def checkpoint_dir(target: Path) -> Path:
    """Beside the build files, one folder per warehouse; prune_stale_builds leaves it."""
    return target.parent / "build" / f"{target.stem}.checkpoints"


def checkpoint_name(indicator_id: int, data_updated: str | None) -> str:
    return f"{int(indicator_id)}-{data_updated or 'undated'}.parquet"


READ_ONLY = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def live_state(live: Path) -> dict[int, str]:
    """{indicator id: data_updated} of the indicators the live warehouse loaded completely
    from Sotkanet (never from demo data)."""
    if not Path(live).is_file():
        return {}
    try:
        con = duckdb.connect(str(live), read_only=True, config=READ_ONLY)
    except (duckdb.Error, OSError):
        return {}
    try:
        meta = dict(con.execute("SELECT key, value FROM warehouse_meta").fetchall())
        if meta.get("is_demo") != "false" or meta.get("source") not in ("sotkanet", "dir"):
            return {}
        rows = con.execute("SELECT indicator_id, CAST(data_updated AS VARCHAR) "
                           "FROM sotkanet_indicator WHERE load_status = 'ok' "
                           "AND data_updated IS NOT NULL").fetchall()
    except duckdb.Error:
        return {}  # an older warehouse without the catalogue: download everything
    finally:
        con.close()
    return {int(i): str(d) for i, d in rows}


def live_rows(live: Path, indicator_ids: list[int]) -> dict[int, pd.DataFrame]:
    """The live file's rows of a few (the card's) indicators, read in one connection."""
    if not indicator_ids:
        return {}
    try:
        con = duckdb.connect(str(live), read_only=True, config=READ_ONLY)
    except (duckdb.Error, OSError):
        return {}
    try:
        frame = con.execute("SELECT indicator_id, region_id, year, gender, value, abs_value "
                            "FROM observation WHERE list_contains(?, indicator_id) "
                            "ORDER BY indicator_id, region_id, year, gender",
                            [sorted(int(i) for i in indicator_ids)]).df()
    except duckdb.Error:
        return {}
    finally:
        con.close()
    frame = frame.astype({"indicator_id": "int32", "region_id": "int32", "year": "int16",
                          "gender": "object", "value": "float64", "abs_value": "float64"})
    return {int(i): part.reset_index(drop=True) for i, part in frame.groupby("indicator_id")}


def live_loaded(live: Path) -> list[int]:
    """Ids of the non-card indicators the live warehouse holds rows for (kept by <ids>)."""
    if not Path(live).is_file():
        return []
    try:
        con = duckdb.connect(str(live), read_only=True, config=READ_ONLY)
    except (duckdb.Error, OSError):
        return []
    try:
        return [int(r[0]) for r in con.execute(
            "SELECT indicator_id FROM sotkanet_indicator WHERE requested AND NOT in_card "
            "AND load_status = 'ok'").fetchall()]
    except duckdb.Error:
        return []
    finally:
        con.close()


class Ticker:
    """Progress lines: done/total, rows, speed, time left; at most one per `interval` s."""

    def __init__(self, what: str, total: int, progress: Progress, interval: float | None = None):
        self.what, self.total, self.progress = what, total, progress
        if interval is None:
            interval = 1.0 if sys.stderr.isatty() else 15.0
        self.interval = interval
        self.done = self.rows = 0
        self.started = self.last = time.monotonic()
        self.lock = threading.Lock()

    def add(self, rows: int = 0, *, force: bool = False) -> None:
        with self.lock:
            self.done += 1
            self.rows += rows
            now = time.monotonic()
            if not force and now - self.last < self.interval and self.done < self.total:
                return
            self.last = now
            self.progress(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        return (f"{self.what}: {self.done}/{self.total} indicators, {self.rows:,} rows, "
                f"{self.rows / elapsed:,.0f} rows/s, {rate:.1f} indicators/s, "
                f"about {_duration(left)} left").replace(",", " ")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


class WorkerSources:
    """One source (client) per worker thread, made by `make_source`, all closed at the end."""

    def __init__(self, make_source: Callable[[], object]):
        self.make_source = make_source
        self.local = threading.local()
        self.made: list = []
        self.lock = threading.Lock()

    def get(self):
        source = getattr(self.local, "source", None)
        if source is None:
            source = self.make_source()
            self.local.source = source
            with self.lock:
                self.made.append(source)
        return source

    def stats(self) -> dict[str, int]:
        out = {"network": 0, "cache_hits": 0, "revalidated": 0}
        for s in self.made:
            st = getattr(s, "stats", None)
            for k in out:
                out[k] += int(getattr(st, k, 0) or 0)
        return out

    def close(self) -> None:
        for s in self.made:
            s.close()


def run_pool(items: Iterable, work: Callable, workers: int) -> Iterable[tuple[object, object]]:
    """(item, result or exception) as each finishes, at most `workers` at a time."""
    items = list(items)
    if workers <= 1:
        for item in items:
            try:
                yield item, work(item)
            except Exception as exc:  # noqa: BLE001 - reported per item by the caller
                yield item, exc
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sotkanet") as pool:
        futures = {pool.submit(work, item): item for item in items}
        try:
            for fut in as_completed(futures):
                exc = fut.exception()
                yield futures[fut], (exc if exc is not None else fut.result())
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def fetch_metadata(ids: list[int], sources: WorkerSources, workers: int,
                   progress: Progress) -> dict[int, dict | Exception]:
    """Raw `/indicators/{id}` of every id (through the HTTP cache), or the exception."""
    ticker = Ticker("metadata", len(ids), progress)
    out: dict[int, dict | Exception] = {}
    for iid, result in run_pool(ids, lambda i: sources.get().indicator(i), workers):
        out[int(iid)] = result
        ticker.add()
    return out


def download(wanted: list[int], catalogue: dict[int, dict], region_ids: set[int],
             target: Path, live: Path, sources: WorkerSources, workers: int,
             progress: Progress) -> BulkResult:
    """Checkpoint, reuse or download the data of every wanted indicator (not the card's)."""
    from pipelines.sotkanet.client import SotkanetError
    from pipelines.sotkanet.settings import GENDERS
    from pipelines.sotkanet.transform import TransformError, observations_frame

    folder = checkpoint_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    result = BulkResult(live=live if live.is_file() else None, checkpoints=folder)
    previous = live_state(live)
    todo = []
    for iid in wanted:
        row = catalogue.get(iid) or {}
        updated = row.get("data_updated")
        ckpt = folder / checkpoint_name(iid, updated)
        if updated and previous.get(iid) == str(updated):
            result.reuse.append(iid)
            result.counts["reused"] += 1
        elif ckpt.is_file():
            result.files[iid] = ckpt
            result.counts["resumed"] += 1
        else:
            todo.append(iid)
    progress(f"data: {len(wanted)} indicators beyond the card: {result.counts['reused']} "
             f"unchanged since the live warehouse (copied, not downloaded), "
             f"{result.counts['resumed']} from checkpoints of an interrupted run, "
             f"{len(todo)} to download with {workers} parallel request(s)")

    def work(iid: int) -> int:
        row = catalogue.get(iid) or {}
        start, end = row.get("range_start"), row.get("range_end")
        if start is None or end is None:
            raise TransformError(row.get("load_detail") or "metadata has no year range")
        if not YEAR_MIN <= start <= end <= YEAR_MAX:
            raise TransformError(f"metadata year range {start}..{end} is not within "
                                 f"{YEAR_MIN}..{YEAR_MAX}")
        raw = sources.get().data(iid, range(int(start), int(end) + 1), GENDERS)
        frame, _counts = observations_frame(iid, raw)
        frame = frame[frame["region_id"].isin(region_ids)]
        path = folder / checkpoint_name(iid, row.get("data_updated"))
        write_checkpoint(frame, path)
        result.files[iid] = path
        return len(frame)

    ticker = Ticker("data", len(todo), progress)
    for iid, outcome in run_pool(todo, work, workers):
        if isinstance(outcome, SotkanetError | TransformError | ValueError):
            result.failures[int(iid)] = printable(outcome)
            result.counts["failed"] += 1
            progress(f"indicator {iid}: FAILED: {result.failures[int(iid)]}")
            ticker.add()
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            result.counts["downloaded"] += 1
            result.counts["rows"] += int(outcome)
            ticker.add(int(outcome))
    return result


def write_checkpoint(frame: pd.DataFrame, path: Path) -> None:
    """One indicator's rows, written whole or not at all (a kill leaves no half file)."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), schema=OBS_SCHEMA,
                                 preserve_index=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def remove_checkpoints(folder: Path | None) -> None:
    if folder is None or not folder.is_dir():
        return
    for p in folder.iterdir():
        p.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass
