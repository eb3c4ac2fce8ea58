"""The measured steps; each runs in its own process so peak memory belongs to one step.

    python -m benchmarks.steps STEP PARAMS.json OUT.json

Called by `python -m benchmarks`; every timing is a median over repeats after a warm-up,
and each baseline is interleaved with its subject so machine noise hits both alike.
"""

from __future__ import annotations

import json
import logging
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
COMPARE_PAGE = "views/compare.py"


def _median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out


def _quiet_streamlit() -> None:
    # Cached functions called outside `streamlit run` warn once per call otherwise.
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


# --- 1. load ------------------------------------------------------------------------------


def config_for(p: dict):
    from pipelines import demo
    from pipelines.config import load_config

    return demo.synthetic_catalogue(load_config(ROOT / "data"), p["indicators"])


def naive_load(obs, path: Path) -> float:
    """Baseline: one parameterised INSERT per row (executemany) into a fresh warehouse file."""
    import duckdb

    from pipelines import warehouse

    for f in (path, Path(str(path) + ".wal")):
        f.unlink(missing_ok=True)
    started = time.perf_counter()
    rows = [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
            for row in zip(*(obs[c].tolist() for c in obs.columns), strict=True)]
    con = duckdb.connect(str(path))
    try:
        con.execute(warehouse.SCHEMA)
        con.executemany("INSERT INTO observation VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return time.perf_counter() - started


def step_load(p: dict) -> dict:
    from pipelines import demo, warehouse
    from pipelines.dataset import OBSERVATION_COLUMNS

    config = config_for(p)
    gen_s, dataset = _timed(demo.generate, config, p["size"], first_year=p["first_year"],
                            last_year=p["last_year"])
    obs = dataset.observations
    n = len(obs)
    sample = obs[OBSERVATION_COLUMNS].head(p["naive_rows"]).reset_index(drop=True)
    live = Path(p["workdir"]) / "warehouse.duckdb"
    naive_path = Path(p["workdir"]) / "naive.duckdb"

    def fast() -> float:
        started = time.perf_counter()
        result = warehouse.build(dataset, config, live)
        warehouse.publish(result, live)
        return time.perf_counter() - started

    fast(), naive_load(sample, naive_path)  # warm-up
    fast_s, naive_s = [], []
    for _ in range(p["repeats"]):
        naive_s.append(naive_load(sample, naive_path))
        fast_s.append(fast())
    naive_path.unlink(missing_ok=True)
    fast_rps = n / _median(fast_s)
    naive_rps = len(sample) / _median(naive_s)
    return {
        "rows": n, "indicators": int(obs["indicator_id"].nunique()),
        "regions": int(obs["region_id"].nunique()),
        "municipalities": int((dataset.regions["category"] == "KUNTA").sum()),
        "years": f"{int(obs['year'].min())}-{int(obs['year'].max())}",
        "generate_s": gen_s,
        "load_s_median": _median(fast_s), "load_s_all": fast_s,
        "load_rows_per_s": fast_rps,
        "naive_sample_rows": len(sample), "naive_s_median": _median(naive_s),
        "naive_s_all": naive_s, "naive_rows_per_s": naive_rps,
        "ratio_vs_naive": fast_rps / naive_rps,
        "warehouse": str(live),
    }


# --- 2. overview compute ------------------------------------------------------------------


def _warehouse_groups(path: str) -> list[str]:
    import duckdb

    con = duckdb.connect(path, read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT group_id FROM municipality_group ORDER BY sort_order").fetchall()]
    finally:
        con.close()


def step_compute(p: dict) -> dict:
    path = p["warehouse"]
    os.environ["HYTE_WAREHOUSE"] = path
    _quiet_streamlit()
    from benchmarks import overview

    targets = [*_warehouse_groups(path)[:p.get("groups")], overview.NATIONAL]
    ids = {g: overview.region_ids(path, g) for g in targets}
    times = {g: {"bare": [], "model": [], "full": [], "group": []} for g in targets}
    rows = {}
    for g in targets:  # warm-up: imports, DuckDB and pandas code paths
        overview.bare_sql(path, ids[g])
        overview.clear_caches()
        overview.compute(g)
    for _ in range(p["repeats"]):
        for g in targets:
            t, frame = _timed(overview.bare_sql, path, ids[g])
            times[g]["bare"].append(t)
            rows[g] = len(frame)
            overview.clear_caches()
            times[g]["model"].append(_timed(overview.compute, g, with_charts=False)[0])
            overview.clear_caches()
            t, info = _timed(overview.compute, g)
            times[g]["full"].append(t)
            overview.clear_group_caches()  # the catalogue warm, as in a running server
            times[g]["group"].append(_timed(overview.compute, g)[0])
    out = {}
    for g in targets:
        bare, model, full, group = (_median(times[g][k])
                                    for k in ("bare", "model", "full", "group"))
        out[g] = {"regions": len(ids[g]), "rows": rows[g], "bare_sql_s": bare,
                  "model_s": model, "compute_s": full, "charts_s": full - model,
                  "ratio_vs_bare": full / bare, "model_ratio_vs_bare": model / bare,
                  "group_s": group, "group_ratio_vs_bare": group / bare,
                  "all_s": times[g]}
    return {"groups": out, "repeats": p["repeats"], "indicators": info["indicators"]}


# --- 3. full page runs (AppTest) ----------------------------------------------------------


def step_page(p: dict) -> dict:
    os.environ["HYTE_WAREHOUSE"] = p["warehouse"]
    _quiet_streamlit()
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def run_overview(group: str):
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.query_params["group"] = group
        st.cache_data.clear()
        cold, at = _timed(at.run)
        if at.exception:
            raise RuntimeError(f"overview {group}: {at.exception[0].message}")
        if not at.title or "Keskeiset ilmiöt" not in [h.value for h in at.header]:
            raise RuntimeError(f"overview {group}: the overview did not render")
        warm, at = _timed(at.run)  # a rerun with cached data (a widget click)
        return cold, warm

    def run_compare():
        at = AppTest.from_file(str(APP), default_timeout=600)
        at.run()  # AppTest knows st.navigation's pages only after a first run
        at.switch_page(COMPARE_PAGE)
        st.cache_data.clear()
        cold, at = _timed(at.run)
        if at.exception:
            raise RuntimeError(f"compare: {at.exception[0].message}")
        if not at.title or at.title[0].value != "Vertaile kuntia":
            raise RuntimeError("compare: the compare page did not render")
        warm, at = _timed(at.run)
        return cold, warm

    groups = _warehouse_groups(p["warehouse"])[:p.get("groups")]
    run_overview(groups[0])  # warm-up: Streamlit, Altair and page imports
    run_compare()
    overview = {g: {"cold": [], "warm": []} for g in groups}
    compare = {"cold": [], "warm": []}
    for _ in range(p["page_repeats"]):
        for g in groups:
            cold, warm = run_overview(g)
            overview[g]["cold"].append(cold)
            overview[g]["warm"].append(warm)
        cold, warm = run_compare()
        compare["cold"].append(cold)
        compare["warm"].append(warm)
    source = (ROOT / "dashboard" / COMPARE_PAGE).read_text(encoding="utf-8")
    per_group = {g: {"cold_s": _median(v["cold"]), "warm_s": _median(v["warm"]),
                     "all_cold_s": v["cold"]} for g, v in overview.items()}
    return {
        "overview": per_group,
        "overview_cold_s_median": _median([x for v in overview.values() for x in v["cold"]]),
        "overview_cold_s_worst_group": max(v["cold_s"] for v in per_group.values()),
        "overview_warm_s_median": _median([x for v in overview.values() for x in v["warm"]]),
        "compare_cold_s": _median(compare["cold"]), "compare_warm_s": _median(compare["warm"]),
        "compare_is_placeholder": "placeholder" in source.lower()[:300],
        "compare_lines": source.count("\n"),
        "page_repeats": p["page_repeats"],
    }


# --- 4. storage ---------------------------------------------------------------------------


def step_storage(p: dict) -> dict:
    import duckdb

    path = Path(p["warehouse"])
    out = {"warehouse_bytes": path.stat().st_size}
    con = duckdb.connect(str(path), read_only=True)
    try:
        out["observation_rows"] = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        for codec in ("snappy", "zstd"):
            target = Path(p["workdir"]) / f"observation-{codec}.parquet"
            con.execute(
                f"COPY (SELECT * FROM observation ORDER BY indicator_id, region_id, gender, year) "
                f"TO '{target}' (FORMAT parquet, COMPRESSION {codec})")
            out[f"parquet_{codec}_bytes"] = target.stat().st_size
            target.unlink()
    finally:
        con.close()
    out["ratio_vs_parquet"] = out["warehouse_bytes"] / out["parquet_snappy_bytes"]
    out["ratio_vs_parquet_zstd"] = out["warehouse_bytes"] / out["parquet_zstd_bytes"]
    return out


STEPS = {"load": step_load, "compute": step_compute, "page": step_page,
         "storage": step_storage}


def main(argv: list[str]) -> int:
    step, params_path, out_path = argv
    params = json.loads(Path(params_path).read_text())
    result = STEPS[step](params)
    Path(out_path).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
