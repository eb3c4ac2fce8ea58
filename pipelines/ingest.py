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


def collect(config: Config, source, label: str, progress: Progress,
            metadata_raw: dict | None = None, reuse_rows=None) -> Dataset:
    """Pull regions, metadata and data through a client-shaped source (live or recorded).

    A broken /regions payload fails the run; a broken indicator is reported and skipped.
    `metadata_raw`: /indicators/{id} payloads already fetched (the catalogue pass).
    `reuse_rows(iid, meta)`: the live warehouse's rows when its data are unchanged, else None.
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
            raw_meta = (metadata_raw or {}).get(iid)
            if not isinstance(raw_meta, dict):
                raw_meta = source.indicator(iid)
            meta = indicator_meta(raw_meta)
            start, end = meta.get("range_start"), meta.get("range_end")
            if start is None or end is None:
                raise TransformError("metadata has no year range")
            if not (YEAR_MIN <= start <= end <= YEAR_MAX):
                raise TransformError(f"metadata year range {start}..{end} is not within "
                                     f"{YEAR_MIN}..{YEAR_MAX}")
            years = list(range(int(start), int(end) + 1))
            reused = reuse_rows(iid, meta) if reuse_rows is not None else None
            if reused is not None:
                metadata[iid] = meta
                frames.append(reused)
                progress(f"[{i}/{total}] indicator {iid}: {len(reused)} rows copied from the "
                         "live warehouse (data-updated unchanged)")
                continue
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
        demo_seed: int = demo.DEFAULT_SEED, survey_dir: Path | None = None,
        client_factory=None, progress: Progress = lambda _m: None,
        indicators: str = "card", workers: int = 3, refresh: bool = False,
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
                           survey_dir=survey_dir, client_factory=client_factory,
                           progress=progress, indicators=indicators, workers=workers,
                           refresh=refresh, site=site)
    finally:
        lock.release()


def _run_locked(config: Config, source: str, live: Path, target: Path, *, from_dir, save_dir,
                strict, demo_size, demo_seed, client_factory, progress,
                survey_dir=None, indicators="card", workers=3, refresh=False,
                site=True) -> IngestResult:
    started = datetime.now(UTC)
    removed = warehouse.prune_stale_builds(target)
    if removed:
        progress(f"removed {len(removed)} leftover file(s) of interrupted builds")
    try:
        dataset = _extract(config, source, from_dir=from_dir, save_dir=save_dir,
                           demo_size=demo_size, demo_seed=demo_seed,
                           client_factory=client_factory, progress=progress,
                           indicators=indicators, workers=workers,
                           target=None if refresh else target, checkpoint_target=target)
    except LocalFileError as exc:
        raise IngestError(str(exc)) from None

    dataset.surveys = _surveys(config, source, survey_dir, progress)

    bulk = dataset.bulk
    loaded = dataset.observations["indicator_id"].nunique() + (
        len(bulk.files) + len(bulk.reuse) if bulk is not None else 0)
    if loaded == 0:
        raise IngestError("no indicator could be loaded; nothing published")
    extra = f" + {len(bulk.files) + len(bulk.reuse)} more indicators" if bulk else ""
    progress(f"building warehouse ({len(dataset.observations):,} card observations{extra}) …")
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
    if bulk is not None:
        from pipelines.bulk_load import remove_checkpoints

        remove_checkpoints(bulk.checkpoints)
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


def _surveys(config: Config, source: str, survey_dir: Path | None, progress: Progress):
    """The NGO surveys of this run: the demo's synthetic rounds for --source demo (plus a
    folder only when one is named explicitly), else every survey in the survey folder."""
    from pipelines.surveys import demo as survey_demo
    from pipelines.surveys import load as survey_load
    from pipelines.surveys.settings import survey_dir as resolve_dir

    folder, explicit = resolve_dir(survey_dir)
    out = survey_load.Surveys()
    if source == "demo":
        out.extend(survey_demo.generate(config))
    if source != "demo" or explicit:
        if explicit and not folder.is_dir():
            out.warnings.append(f"surveys: {printable(folder)}: no such folder")
        out.extend(survey_load.load_folder(folder, config))
    if out.loaded or out.warnings:
        progress(f"NGO surveys: {len(out.loaded)} loaded"
                 + (f", {len(out.warnings)} problem(s)" if out.warnings else ""))
    return out


def _extract(config: Config, source: str, *, from_dir, save_dir, demo_size, demo_seed,
             client_factory, progress, indicators: str = "card", workers: int = 3,
             target: Path | None = None, checkpoint_target: Path | None = None) -> Dataset:
    if source == "demo":
        if indicators != "card":
            raise IngestError("--indicators is for --source sotkanet or dir; the demo data "
                              "hold the card's indicators only")
        progress(f"generating demo data ({demo_size}) …")
        return demo.generate(config, demo_size, seed=demo_seed)
    if source == "dir":
        from pipelines.sotkanet.recorded import RecordedResponses

        if from_dir is None:
            raise IngestError("--source dir needs --from-dir DIR")
        if not Path(from_dir).is_dir():
            raise IngestError(f"--from-dir {from_dir}: no such directory")

        def make_source():
            return RecordedResponses(from_dir)
        return collect_catalogue(config, make_source, "dir", progress, indicators=indicators,
                                 workers=workers, target=target,
                                 checkpoint_target=checkpoint_target)
    if source == "sotkanet":
        from pipelines.sotkanet.client import SotkanetClient

        factory = client_factory or SotkanetClient

        def make_source():
            return factory(save_dir=save_dir)
        return collect_catalogue(config, make_source, "sotkanet", progress,
                                 indicators=indicators, workers=workers, target=target,
                                 checkpoint_target=checkpoint_target)
    raise IngestError(f"unknown source {source!r}")


def collect_catalogue(config: Config, make_source, label: str, progress: Progress, *,
                      indicators: str = "card", workers: int = 3,
                      target: Path | None = None,
                      checkpoint_target: Path | None = None) -> Dataset:
    """The card's indicators as before, plus the whole catalogue's metadata and (for
    `--indicators all|<ids>|<file>`) the data of the other indicators (pipelines.bulk_load).

    target: the live warehouse whose unchanged indicators are copied (None: download all);
    checkpoint_target: the warehouse whose checkpoint folder a killed run resumes from.
    """
    from pipelines import bulk_load
    from pipelines.indicator_sets import resolve
    from pipelines.sotkanet.catalogue import catalogue_row, list_ids
    from pipelines.sotkanet.client import SotkanetError
    from pipelines.sotkanet.transform import TransformError

    sources = bulk_load.WorkerSources(make_source)
    try:
        main = sources.get()
        card_ids = [ind.indicator_id for ind in config.indicators]
        try:
            progress("indicator catalogue …")
            listing = main.indicators()
            ids = list_ids(listing)
        except (SotkanetError, TransformError) as exc:
            if indicators != "card":
                raise IngestError(f"indicator catalogue: {printable(exc)}") from None
            progress(f"indicator catalogue: FAILED ({printable(exc)}); only the card's "
                     "indicators are described")
            listing, ids = [], []
        items = {}
        for item in listing:
            if isinstance(item, dict):
                try:
                    items.setdefault(int(item.get("id")), item)
                except (TypeError, ValueError):
                    continue
        for iid in card_ids:  # the card's indicators are described even when not listed
            items.setdefault(iid, {"id": iid})
        all_ids = list(dict.fromkeys([*ids, *card_ids]))
        live = target if target is not None else Path("/nonexistent")
        wanted = resolve(indicators, all_ids, card_ids,
                         bulk_load.live_loaded(checkpoint_target or live))
        unknown = [i for i in wanted if i not in items]
        if unknown and ids:
            progress(f"--indicators: {len(unknown)} id(s) not in Sotkanet's list "
                     f"(first: {unknown[0]}); tried all the same")
        for iid in unknown:
            items.setdefault(iid, {"id": iid})
        metadata = bulk_load.fetch_metadata(list(items), sources, workers, progress)
        rows = {}
        for iid, item in items.items():
            raw = metadata.get(iid)
            if isinstance(raw, dict):
                try:
                    rows[iid] = catalogue_row(item, raw)
                    continue
                except TransformError as exc:
                    detail = f"metadata: {printable(exc)}"
            else:
                detail = f"metadata: {printable(raw)}"
            rows[iid] = catalogue_row(item, None, detail=detail)

        # A card build (the default) reads the card's indicators every run, as before
        # (through the HTTP cache). A bulk run (all, ids, a file) copies them too when their
        # data-updated is unchanged, so an unchanged re-run downloads nothing.
        previous = bulk_load.live_state(live) if indicators != "card" else {}

        cached: dict[int, pd.DataFrame] | None = None

        def reuse_rows(iid: int, meta: dict):
            nonlocal cached
            if not (meta.get("data_updated") and previous.get(iid) == meta["data_updated"]):
                return None
            if cached is None:  # every candidate's rows in one read of the live file
                cached = bulk_load.live_rows(live, [i for i in card_ids if i in previous])
            return cached.get(iid)

        dataset = collect(config, main, label, progress,
                          metadata_raw={i: m for i, m in metadata.items() if i in card_ids},
                          reuse_rows=reuse_rows)
        extras = [i for i in wanted if i not in set(card_ids)]
        card_set = set(card_ids)
        wanted_set = set(wanted)
        if extras:
            region_ids = set(dataset.regions["region_id"].astype(int))
            bulk = bulk_load.download(extras, rows, region_ids,
                                      checkpoint_target or target or Path("warehouse.duckdb"),
                                      live, sources, workers, progress)
            dataset.bulk = bulk
            dataset.failures.update(bulk.failures)
            dataset.detail["catalogue_counts"] = json_counts(bulk.counts)
        for iid, row in rows.items():
            row["in_card"] = iid in card_set
            row["requested"] = iid in wanted_set
            failed = dataset.failures.get(iid)
            if failed:
                row["load_status"], row["load_detail"] = "failed", failed
            elif iid in wanted_set:
                row["load_status"] = "ok"
            else:
                row["load_status"] = "not_requested"
        dataset.catalogue = pd.DataFrame(list(rows.values()))
        stats = sources.stats()
        dataset.detail["http"] = stats
        dataset.detail["indicators"] = indicators
        progress(f"HTTP: {stats['network'] + stats['cache_hits']} requests: "
                 f"{stats['network']} over the network, {stats['cache_hits']} from cache")
        return dataset
    finally:
        sources.close()


def json_counts(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())
