"""One ingestion run: extract from a source, build a new warehouse file, publish it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipelines import demo, warehouse
from pipelines.config import Config
from pipelines.dataset import Dataset, empty_observations

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
        raise IngestError(f"regions: {exc}") from None
    frames, metadata, failures = [], {}, {}
    detail = {"rows_in": 0, "dropped_null": 0, "dropped_duplicate": 0}
    total = len(config.indicators)
    for i, ind in enumerate(config.indicators, start=1):
        iid = ind.indicator_id
        try:
            meta = indicator_meta(source.indicator(iid))
            start, end = meta.get("range_start"), meta.get("range_end")
            if start is None or end is None:
                raise TransformError("metadata has no year range")
            years = list(range(int(start), int(end) + 1))
            frame, counts = observations_frame(iid, source.data(iid, years, GENDERS))
        except (SotkanetError, TransformError) as exc:
            failures[iid] = str(exc)
            progress(f"[{i}/{total}] indicator {iid}: FAILED: {exc}")
            continue
        for key in detail:
            detail[key] += int(counts.get(key, 0))
        metadata[iid] = meta
        frames.append(frame)
        progress(f"[{i}/{total}] indicator {iid}: {len(frame)} rows, years {start}–{end}")
    observations = pd.concat(frames, ignore_index=True) if frames else empty_observations()
    return Dataset(source=label, regions=regions, observations=observations,
                   metadata=metadata, failures=failures, detail=detail)


def run(config: Config, source: str, live: Path, *, from_dir: Path | None = None,
        save_dir: Path | None = None, strict: bool = False, demo_size: str = "county",
        demo_seed: int = demo.DEFAULT_SEED,
        client_factory=None, progress: Progress = lambda _m: None) -> IngestResult:
    started = datetime.now(UTC)
    removed = warehouse.prune_stale_builds(live)
    if removed:
        progress(f"removed {len(removed)} leftover file(s) of interrupted builds")
    if source == "demo":
        progress(f"generating demo data ({demo_size}) …")
        dataset = demo.generate(config, demo_size, seed=demo_seed)
    elif source == "dir":
        from pipelines.sotkanet.recorded import RecordedResponses

        if from_dir is None:
            raise IngestError("--source dir needs --from-dir DIR")
        if not Path(from_dir).is_dir():
            raise IngestError(f"--from-dir {from_dir}: no such directory")
        dataset = collect(config, RecordedResponses(from_dir), "dir", progress)
    elif source == "sotkanet":
        from pipelines.sotkanet.client import SotkanetClient

        factory = client_factory or SotkanetClient
        with factory(save_dir=save_dir) as client:
            dataset = collect(config, client, "sotkanet", progress)
            stats = client.stats
            dataset.detail["http"] = {"network": stats.network, "cache_hits": stats.cache_hits,
                                      "revalidated": stats.revalidated}
            progress(f"HTTP: {stats}")
    else:
        raise IngestError(f"unknown source {source!r}")

    loaded = dataset.observations["indicator_id"].nunique()
    if loaded == 0:
        raise IngestError("no indicator could be loaded; nothing published")
    progress(f"building warehouse ({len(dataset.observations):,} observations) …")
    try:
        result = warehouse.build(dataset, config, live, started_at=started, strict=strict)
    except warehouse.ValidationError as exc:
        raise IngestError(str(exc)) from None
    warehouse.publish(result, live)
    progress(f"published {live}")
    code = EXIT_WARNINGS if dataset.failures else EXIT_OK
    return IngestResult(code, True, live, result.rows, result.warnings)
