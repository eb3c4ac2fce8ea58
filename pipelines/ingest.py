"""One ingestion run: extract from a source, build a new warehouse file, publish it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import demo, warehouse
from pipelines.config import Config
from pipelines.dataset import Dataset, empty_observations
from pipelines.errors import LocalFileError, describe_error, describe_os_error
from pipelines.lock import IngestLock, LockHeld
from pipelines.plausibility import YEAR_MAX, YEAR_MIN, add_counts
from pipelines.text import printable

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3

Progress = Callable[[str], None]


class IngestError(RuntimeError):
    """Nothing was published; the message is the one line the user sees."""


@dataclass
class IngestResult:
    exit_code: int
    published: bool
    path: Path | None
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def collect(config: Config, source, label: str, progress: Progress) -> Dataset:
    """Pull regions, metadata and data through a client-shaped source (live or recorded).

    A broken /regions payload fails the run; a broken indicator is reported and skipped.
    """
    # Imported here so demo builds and the dashboard never load the HTTP stack.
    from pipelines.sotkanet.client import SotkanetError
    from pipelines.sotkanet.settings import GENDERS
    from pipelines.sotkanet.transform import (
        TransformError,
        indicator_meta,
        observations_frame,
        regions_frame,
    )

    try:
        progress("regions …")
        regions = regions_frame(source.regions(), country_id=config.country.region_id)
    except (SotkanetError, TransformError) as exc:
        message = printable(exc)
        raise IngestError(message if message.startswith("regions:") else f"regions: {message}") \
            from None
    frames, metadata, failures, dropped = [], {}, {}, {}
    detail = {"rows_in": 0, "dropped_null": 0, "dropped_duplicate": 0}
    total = len(config.indicators)
    for i, ind in enumerate(config.indicators, start=1):
        iid = ind.indicator_id
        try:
            meta = indicator_meta(source.indicator(iid))
            start, end = meta.get("range_start"), meta.get("range_end")
            if start is None or end is None:
                raise TransformError("metadata has no year range")
            if not (YEAR_MIN <= start <= end <= YEAR_MAX):
                raise TransformError(f"metadata year range {start}..{end} is not within "
                                     f"{YEAR_MIN}..{YEAR_MAX}")
            years = list(range(int(start), int(end) + 1))
            frame, counts = observations_frame(iid, source.data(iid, years, GENDERS))
        except (SotkanetError, TransformError) as exc:
            failures[iid] = printable(exc)
            progress(f"[{i}/{total}] indicator {iid}: FAILED: {failures[iid]}")
            continue
        for key in detail:
            detail[key] += int(counts.get(key, 0))
        add_counts(dropped, iid, "region_id", counts.get("dropped_region_id", 0))
        add_counts(dropped, iid, "year", counts.get("dropped_year", 0))
        metadata[iid] = meta
        frames.append(frame)
        progress(f"[{i}/{total}] indicator {iid}: {len(frame)} rows, years {start}–{end}")
    observations = pd.concat(frames, ignore_index=True) if frames else empty_observations()
    return Dataset(source=label, regions=regions, observations=observations,
                   metadata=metadata, failures=failures, detail=detail, dropped=dropped)


def run(config: Config, source: str, live: Path, *, from_dir: Path | None = None,
        save_dir: Path | None = None, strict: bool = False, demo_size: str = "county",
        demo_seed: int = demo.DEFAULT_SEED,
        client_factory=None, progress: Progress = lambda _m: None,
        site: bool = True) -> IngestResult:
    """Extract, build, validate and publish; one run per warehouse at a time.

    After the publish, `site` writes the room site (dashboard.reports.room_site) unless
    HYTE_SITE_DIR=off; a failed site build is a warning (exit 3), never an undone publish.

    `live` may be a symlink: the file it points to is replaced (atomically, in that file's
    directory) and the link is kept. Every failure is an IngestError with one line.
    """
    live = Path(live)
    target = warehouse.live_target(live)
    try:
        warehouse.check_target(live, target)
    except warehouse.WarehouseError as exc:
        raise IngestError(str(exc)) from None
    lock = IngestLock(target)
    try:
        lock.acquire()
    except LockHeld as exc:
        raise IngestError(str(exc)) from None
    except OSError as exc:
        raise IngestError(f"cannot write beside the warehouse ({describe_os_error(exc)})") \
            from None
    try:
        if lock.took_over:
            progress(f"took over the lock left by pid {lock.took_over} (no longer running)")
        return _run_locked(config, source, live, target, from_dir=from_dir, save_dir=save_dir,
                           strict=strict, demo_size=demo_size, demo_seed=demo_seed,
                           client_factory=client_factory, progress=progress, site=site)
    finally:
        lock.release()


def _run_locked(config: Config, source: str, live: Path, target: Path, *, from_dir, save_dir,
                strict, demo_size, demo_seed, client_factory, progress,
                site=True) -> IngestResult:
    started = datetime.now(UTC)
    removed = warehouse.prune_stale_builds(target)
    if removed:
        progress(f"removed {len(removed)} leftover file(s) of interrupted builds")
    try:
        dataset = _extract(config, source, from_dir=from_dir, save_dir=save_dir,
                           demo_size=demo_size, demo_seed=demo_seed,
                           client_factory=client_factory, progress=progress)
    except LocalFileError as exc:
        raise IngestError(str(exc)) from None

    loaded = dataset.observations["indicator_id"].nunique()
    if loaded == 0:
        raise IngestError("no indicator could be loaded; nothing published")
    progress(f"building warehouse ({len(dataset.observations):,} observations) …")
    try:
        result = warehouse.build(dataset, config, target, started_at=started, strict=strict)
    except warehouse.ValidationError as exc:
        raise IngestError(str(exc)) from None
    except (duckdb.Error, OSError) as exc:
        where = warehouse.build_dir(target)
        raise IngestError(f"building the warehouse in {where} failed: "
                          f"{describe_error(exc)}") from None
    try:
        warehouse.publish(result, target)
    except warehouse.WarehouseError as exc:
        raise IngestError(str(exc)) from None
    progress(f"published {live}" + (f" (→ {target})" if target != live else ""))
    warnings = list(result.warnings)
    if site:
        problem = room_site(live, progress)
        if problem:
            warnings.append(problem)
    code = EXIT_WARNINGS if warnings else EXIT_OK
    return IngestResult(code, True, live, result.rows, warnings)


def room_site(live: Path, progress: Progress) -> str | None:
    """Write the room site for the just-published warehouse; the problem as one line, or None.

    Runs after the publish, still under the ingest lock (two publishes never write sites
    at once); whatever goes wrong leaves the warehouse published and the previous site served.
    """
    from dashboard.reports import room_site as site

    if not site.enabled():
        return None
    progress("writing the room site …")
    try:
        link = site.build(live, progress=progress)
    except site.SiteError as exc:
        return f"room site: {printable(exc)} (the warehouse is published; the previous site is still served)"
    progress(f"room site: {link}")
    return None


def _extract(config: Config, source: str, *, from_dir, save_dir, demo_size, demo_seed,
             client_factory, progress) -> Dataset:
    if source == "demo":
        progress(f"generating demo data ({demo_size}) …")
        return demo.generate(config, demo_size, seed=demo_seed)
    if source == "dir":
        from pipelines.sotkanet.recorded import RecordedResponses

        if from_dir is None:
            raise IngestError("--source dir needs --from-dir DIR")
        if not Path(from_dir).is_dir():
            raise IngestError(f"--from-dir {from_dir}: no such directory")
        return collect(config, RecordedResponses(from_dir), "dir", progress)
    if source == "sotkanet":
        from pipelines.sotkanet.client import SotkanetClient

        factory = client_factory or SotkanetClient
        with factory(save_dir=save_dir) as client:
            dataset = collect(config, client, "sotkanet", progress)
            stats = client.stats
            dataset.detail["http"] = {"network": stats.network, "cache_hits": stats.cache_hits,
                                      "revalidated": stats.revalidated}
            progress(f"HTTP: {stats}")
        return dataset
    raise IngestError(f"unknown source {source!r}")
