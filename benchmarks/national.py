"""`python -m benchmarks --national [--scale S]`: the whole catalogue at national scale.

Generates a Sotkanet-shaped catalogue (3 800 × scale indicators; all ~310 municipalities, 23
wellbeing services counties, 19 maakunta and Finland; shapes like the real ones: a quarter
municipal 2000–2025 by gender, a third municipal 2010–2025 totals only, the rest county
level 2015–2025 by gender, about 8 % of rows suppressed) and feeds it straight to the real
pipeline (`hyte ingest --indicators all` with an in-process source in place of the HTTP
client: payloads are API-shaped lists of dicts, so transform, checkpoints, the streamed
build, validation and the atomic publish all run; HTTP does not). Each measurement runs in
its own process (peak RSS from wait4):

- full build into an empty directory: rows/s end to end, and without the time spent
  generating payloads; peak memory;
- incremental rebuild after 5 % of indicators changed data-updated, against the full one;
- the warehouse's size against Parquet (zstd) of the same observations;
- explorer search over the catalogue and an indicator's series query (medians).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "artifacts" / "bench-national.json"
FULL_INDICATORS = 3_800
FIRST_ID = 10_000
CHANGED_SHARE = 0.05
MUNICIPALITIES = 310
COUNTIES = 23
MAAKUNTA = 19
# (share of indicators, municipal?, first year, last year, genders)
SHAPES = ((0.25, True, 2000, 2025, ("total", "male", "female")),
          (0.35, True, 2010, 2025, ("total",)),
          (0.40, False, 2015, 2025, ("total", "male", "female")))
SUPPRESSED = 0.08
TOPICS = ("Yksinäisyyttä kokevat", "Tupakoivat", "Liikuntaa harrastavat", "Työttömät",
          "Toimeentulotukea saaneet", "Masennusoireita kokevat", "Ylipainoiset",
          "Kiusatuksi tulleet", "Sairaalahoitoa saaneet", "Lääkärikäynnit")
AGES = ("20–64-vuotiaat", "8. ja 9. luokan oppilaat", "75 vuotta täyttäneet", "0–17-vuotiaat",
        "25–64-vuotiaat")


class _Stats:
    network = cache_hits = revalidated = 0


class GeneratedSotkanet:
    """A source with the client's methods, answering from a deterministic generator."""

    def __init__(self, spec: dict):
        from pipelines.config import load_config

        self.spec = spec
        self.stats = _Stats()
        self.generating_s = 0.0
        self.lock = threading.Lock()
        config = load_config()
        self.card = {ind.indicator_id: ind for ind in config.indicators}
        self.changed = set(spec.get("changed", []))
        self._regions, self.kunta, self.upper = _regions(config)
        n = spec["indicators"]
        extra = [FIRST_ID + k for k in range(max(0, n - len(self.card)))]
        self.ids = [*self.card, *extra]

    def shape(self, iid: int):
        if iid in self.card:
            return SHAPES[0]
        k = (iid * 2654435761) % 1000 / 1000
        acc = 0.0
        for shape in SHAPES:
            acc += shape[0]
            if k < acc:
                return shape
        return SHAPES[-1]

    def regions(self) -> list[dict]:
        return self._regions

    def indicators(self) -> list[dict]:
        return [{"id": i, "title": self._title(i),
                 "organization": {"id": 2, "title": {"fi": "Terveyden ja hyvinvoinnin laitos "
                                                           "(THL)"}}} for i in self.ids]

    def _title(self, iid: int) -> dict:
        if iid in self.card:
            ind = self.card[iid]
            return {"fi": ind.name_fi, "sv": ind.name_sv, "en": ind.name_en}
        k = iid - FIRST_ID
        fi = f"{TOPICS[k % len(TOPICS)]} {AGES[(k // len(TOPICS)) % len(AGES)]}, % ({k})"
        return {"fi": fi, "sv": f"{fi} [sv]", "en": f"{fi} [en]"}

    def indicator(self, iid: int) -> dict:
        _share, municipal, first, last, genders = self.shape(iid)
        return {"id": iid, "title": self._title(iid),
                "organization": {"id": 2, "title": {"fi": "Terveyden ja hyvinvoinnin laitos "
                                                          "(THL)"}},
                "description": {"fi": f"Generoitu indikaattori {iid}."},
                "primaryValueType": {"title": {"fi": "prosentti"}}, "decimals": 1,
                "range": {"start": first, "end": last},
                "data-updated": "2026-11-30" if iid in self.changed else "2025-06-01",
                "classifications": {"region": {"values": ["Kunta", "Hyvinvointialue", "Maakunta",
                                                          "Maa"] if municipal else
                                               ["Hyvinvointialue", "Maakunta", "Maa"]},
                                    "sex": {"values": list(genders)}}}

    def data(self, iid: int, years, genders=("total", "male", "female")) -> list[dict]:
        started = time.perf_counter()
        _share, municipal, first, last, shape_genders = self.shape(iid)
        regions = self.kunta + self.upper if municipal else self.upper
        ys = [y for y in years if first <= y <= last]
        gs = [g for g in shape_genders if g in set(genders)]
        rng = np.random.default_rng(iid * 7 + (1 if iid in self.changed else 0))
        n = len(regions) * len(ys) * len(gs)
        values = np.round(rng.uniform(1, 60, n), 1).tolist()
        keep = (rng.random(n) >= SUPPRESSED).tolist()
        rows = []
        append = rows.append
        i = 0
        for r in regions:
            for y in ys:
                for g in gs:
                    if keep[i]:
                        append({"indicator": iid, "region": r, "year": y, "gender": g,
                                "value": values[i]})
                    i += 1
        with self.lock:
            self.generating_s += time.perf_counter() - started
        return rows

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _regions(config) -> tuple[list[dict], list[int], list[int]]:
    """The configured county's regions with their real ids, and invented ones for the rest."""
    raw, kunta, upper = [], [], []
    named = {r.region_id: r for r in config.named_regions}
    county, maakunta, country = config.county.region_id, config.maakunta.region_id, \
        config.country.region_id
    for r in named.values():
        member = [maakunta, county] if r.category == "KUNTA" else []
        raw.append({"id": r.region_id, "code": r.code, "category": r.category,
                    "title": {"fi": r.name_fi, "sv": r.name_sv, "en": r.name_en},
                    "memberOf": member})
        (kunta if r.category == "KUNTA" else upper).append(r.region_id)
    hva = [county] + [90_000 + k for k in range(COUNTIES - 1)]
    mk = [maakunta] + [91_000 + k for k in range(MAAKUNTA - 1)]
    for k, rid in enumerate(hva[1:]):
        raw.append({"id": rid, "code": str(100 + k), "category": "HYVINVOINTIALUE",
                    "title": {"fi": f"Hyvinvointialue {k}"}, "memberOf": []})
        upper.append(rid)
    for k, rid in enumerate(mk[1:]):
        raw.append({"id": rid, "code": str(200 + k), "category": "MAAKUNTA",
                    "title": {"fi": f"Maakunta {k}"}, "memberOf": []})
        upper.append(rid)
    for k in range(MUNICIPALITIES - len(kunta)):
        rid = 92_000 + k
        raw.append({"id": rid, "code": f"{600 + k}", "category": "KUNTA",
                    "title": {"fi": f"Kunta {k}"},
                    "memberOf": [mk[1 + k % (MAAKUNTA - 1)], hva[1 + k % (COUNTIES - 1)]]})
        kunta.append(rid)
    if country not in upper:
        raw.append({"id": country, "code": "FI", "category": "MAA", "title": {"fi": "Suomi"},
                    "memberOf": []})
        upper.append(country)
    return raw, kunta, upper


# --- the child processes -----------------------------------------------------------------


def _build(params: dict) -> dict:
    from pipelines import ingest

    live = Path(params["workdir"]) / "warehouse.duckdb"
    sources: list[GeneratedSotkanet] = []

    def factory(save_dir=None):
        src = GeneratedSotkanet(params)
        sources.append(src)
        return src

    marks: list[tuple[float, str]] = []

    def progress(message: str) -> None:
        marks.append((time.perf_counter(), message))

    started = time.perf_counter()
    result = ingest.run(_config(), "sotkanet", live, client_factory=factory,
                        indicators="all", workers=params["workers"], progress=progress)
    wall = time.perf_counter() - started
    build_start = next(t for t, m in marks if m.startswith("building warehouse"))
    build_end = next(t for t, m in marks if m.startswith("published"))
    import duckdb

    con = duckdb.connect(str(live), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        counts = dict(con.execute("SELECT key, value FROM warehouse_meta "
                                  "WHERE key = 'catalogue_counts'").fetchall())
    finally:
        con.close()
    generating = sum(s.generating_s for s in sources)
    return {"rows": rows, "wall_s": wall, "generating_s": generating,
            "build_s": build_end - build_start, "extract_s": build_start - started,
            "load_rows_per_s": rows / (build_end - build_start),
            "exit_code": result.exit_code, "counts": counts.get("catalogue_counts", ""),
            "rows_per_s": rows / wall,
            "rows_per_s_without_generation": rows / max(wall - generating, 1e-9),
            "warehouse_bytes": live.stat().st_size}


def _config():
    from pipelines.config import load_config

    return load_config()


def _queries(params: dict) -> dict:
    import duckdb

    live = Path(params["workdir"]) / "warehouse.duckdb"
    os.environ["HYTE_WAREHOUSE"] = str(live)
    from dashboard import data
    from dashboard.i18n import names
    from dashboard.model import explorer

    parquet = Path(params["workdir"]) / "observation.parquet"
    con = duckdb.connect(str(live), read_only=True)
    try:
        con.execute(f"COPY (SELECT * FROM observation) TO '{parquet}' "
                    "(FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    version = data.version()
    t = time.perf_counter()
    cat = names.localize(data.catalogue(version), "fi")
    merged = explorer.merge_catalogue(cat["indicators"], data.indicator_catalogue(version))
    catalogue_s = time.perf_counter() - t
    repeats = params["repeats"]
    searches = []
    for query in ("yksinäisyyttä 20–64", "tupakoivat", "thl", "10042", "työttömät 25–64"):
        for _ in range(repeats):
            t = time.perf_counter()
            explorer.search(merged, query)
            searches.append(time.perf_counter() - t)
    config = _config()
    area, country = config.county.region_id, config.country.region_id
    munis = [r.region_id for r in config.named_regions if r.category == "KUNTA"][:3]
    ids = [i for i in merged["indicator_id"] if i >= FIRST_ID][:: max(1, len(merged) // 20)]
    series, tiles = [], []
    for iid in ids:
        for _ in range(repeats):
            t = time.perf_counter()
            data.observations(version, (area, country, *munis, 92_005), "total", (int(iid),))
            series.append(time.perf_counter() - t)
            t = time.perf_counter()
            data.year_slice(version, (int(iid),), "total")
            tiles.append(time.perf_counter() - t)
    return {"catalogue_read_s": catalogue_s, "catalogue_rows": len(merged),
            "search_s_median": statistics.median(searches),
            "series_s_median": statistics.median(series),
            "year_slice_s_median": statistics.median(tiles),
            "parquet_zstd_bytes": parquet.stat().st_size,
            "warehouse_bytes": live.stat().st_size}


def _child(step: str, params_path: str, out_path: str) -> int:
    params = json.loads(Path(params_path).read_text())
    os.environ.setdefault("HYTE_HTTP_CACHE", str(Path(params["workdir"]) / "cache"))
    out = _build(params) if step in ("full", "incremental") else _queries(params)
    Path(out_path).write_text(json.dumps(out))
    return 0


def _run(step: str, params: dict, workdir: Path) -> dict:
    params_path, out_path = workdir / f"{step}-params.json", workdir / f"{step}-out.json"
    params_path.write_text(json.dumps(params))
    print(f"[bench national] {step} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.national", "child", step,
                             str(params_path), str(out_path)], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"national benchmark step {step!r} failed")
    result = json.loads(out_path.read_text())
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024
    print(f"[bench national] {step} done in {time.perf_counter() - started:.1f} s",
          file=sys.stderr, flush=True)
    return result


def measure(scale: float, workers: int, repeats: int, workdir: Path) -> dict:
    n = max(10, int(round(FULL_INDICATORS * scale)))
    params = {"indicators": n, "workers": workers, "repeats": repeats, "workdir": str(workdir),
              "changed": []}
    full = _run("full", params, workdir)
    ids = GeneratedSotkanet(params).ids
    step = max(1, int(round(1 / CHANGED_SHARE)))
    params["changed"] = ids[::step]
    incremental = _run("incremental", params, workdir)
    queries = _run("queries", params, workdir)
    return {"params": {k: v for k, v in params.items() if k not in ("workdir", "changed")}
            | {"scale": scale, "changed": len(params["changed"])},
            "full": full, "incremental": incremental, "queries": queries}


MB = 1024 * 1024


def table(results: dict) -> str:
    f, inc, q = results["full"], results["incremental"], results["queries"]
    ratio = f["wall_s"] / inc["wall_s"]
    rows = [
        ("load rows/s (checkpoints → validated, published warehouse)",
         f"{f['load_rows_per_s']:,.0f}", "≥ 1 000 000", f["load_rows_per_s"] >= 1e6,
         f"{f['rows']:,} rows; the build stage took {f['build_s']:.1f} s"),
        ("full run rows/s (payloads → warehouse, end to end)", f"{f['rows_per_s']:,.0f}", "—",
         None,
         f"{f['wall_s']:.1f} s: extract and transform {f['extract_s']:.1f} s (of which "
         f"generating the payloads {f['generating_s']:.1f} s), build {f['build_s']:.1f} s"),
        ("peak memory of the full build", f"{f['peak_rss_bytes'] / MB:,.0f} MB", "≤ 2 048 MB",
         f["peak_rss_bytes"] <= 2048 * MB, "RSS of the build process (wait4)"),
        ("incremental rebuild (5 % changed)", f"{inc['wall_s']:.1f} s", "≥ 10× faster",
         ratio >= 10, f"{ratio:.1f}× faster than the full build ({f['wall_s']:.1f} s); "
                      f"{inc['counts']}; peak {inc['peak_rss_bytes'] / MB:,.0f} MB"),
        ("warehouse size", f"{q['warehouse_bytes'] / MB:,.1f} MB", "—", None,
         f"Parquet zstd of the same observations {q['parquet_zstd_bytes'] / MB:,.1f} MB "
         f"({q['warehouse_bytes'] / q['parquet_zstd_bytes']:.2f}×)"),
        ("explorer search (median)", f"{q['search_s_median'] * 1000:.1f} ms", "≤ 100 ms",
         q["search_s_median"] <= 0.1,
         f"over {q['catalogue_rows']:,} indicators; reading the catalogue once "
         f"{q['catalogue_read_s'] * 1000:.0f} ms"),
        ("an indicator's series query (median)", f"{q['series_s_median'] * 1000:.1f} ms",
         "≤ 100 ms", q["series_s_median"] <= 0.1,
         f"tile map's year slice {q['year_slice_s_median'] * 1000:.1f} ms"),
    ]
    out = ["| figure | value | target | met | notes |", "|---|---|---|---|---|"]
    for name, value, target, met, note in rows:
        mark = "—" if met is None else ("yes" if met else "no")
        out.append(re.sub(r"(?<=\d),(?=\d{3})", " ", f"| {name} | {value} | {target} | "
                                                     f"{mark} | {note} |"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks --national",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0,
                    help="share of the 3 800-indicator catalogue (default 1.0)")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args(argv)
    if not 0 < args.scale <= 4:
        ap.error("--scale must be within 0..4")
    own = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="hyte-bench-national-")) if own else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    try:
        results = measure(args.scale, args.workers, args.repeats, workdir)
    except RuntimeError as exc:
        print(f"hyte bench: {exc}; see {workdir}", file=sys.stderr)
        return 1
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    results["started_at"] = started.isoformat(timespec="seconds")
    results["cpus"] = os.cpu_count()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(table(results))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        sys.exit(_child(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(main())
