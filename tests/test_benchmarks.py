"""The benchmark command cannot rot: a tiny run produces every figure (the real run is not a test)."""

import json
import subprocess
import sys

import pytest

from benchmarks import report
from tests.warehouse_fixtures import ROOT

FIGURE_KINDS = ("load", "compute", "page", "storage", "memory")


def test_tiny_benchmark_run_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--tiny", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(out.read_text())
    steps = results["steps"]
    assert set(steps) == {"load", "compute", "page", "storage"}
    for step in steps.values():
        assert step["peak_rss_bytes"] > 10 * 1024 * 1024
    load = steps["load"]
    assert load["rows"] > 0 and load["load_rows_per_s"] > 0 and load["naive_rows_per_s"] > 0
    assert load["ratio_vs_naive"] == load["load_rows_per_s"] / load["naive_rows_per_s"]
    groups = steps["compute"]["groups"]
    assert report.NATIONAL in groups and len(groups) >= 2
    for g in groups.values():
        assert g["compute_s"] > 0 and g["bare_sql_s"] > 0 and g["ratio_vs_bare"] > 0
        assert 0 < g["group_s"] and g["group_ratio_vs_bare"] == g["group_s"] / g["bare_sql_s"]
    page = steps["page"]
    assert page["overview"] and page["overview_cold_s_worst_group"] > 0
    assert page["compare_cold_s"] > 0
    storage = steps["storage"]
    assert storage["warehouse_bytes"] > 0 and storage["parquet_snappy_bytes"] > 0
    kinds = {f["step"] for f in results["figures"]}
    assert kinds == set(FIGURE_KINDS)
    assert all(f["value"] is not None and f["value"] > 0 for f in results["figures"])
    assert len(results["targets"]) == 5
    # The printed table holds every figure.
    for f in results["figures"]:
        assert f["figure"] in proc.stdout


def test_national_benchmark_runs_at_a_tiny_scale(tmp_path):
    """`--national --scale 0.015` (57 indicators, 45 of them the card's): every figure of the
    table, a real full build, a real incremental one that downloads only the changed 5 %."""
    out = tmp_path / "national.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--national", "--scale", "0.015",
                           "--repeats", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(out.read_text())
    full, inc, q = results["full"], results["incremental"], results["queries"]
    assert results["params"]["indicators"] == 57 and results["params"]["changed"] == 3
    assert full["exit_code"] == 0 and inc["exit_code"] == 0
    assert full["rows"] > 100_000
    # the changed indicators' new figures suppress other rows: nearly, not exactly, as many
    assert 0 < inc["rows"] and abs(inc["rows"] - full["rows"]) < 0.01 * full["rows"]
    assert full["load_rows_per_s"] > 0 and full["peak_rss_bytes"] > 10 * 1024 * 1024
    # Of the 12 indicators beyond the card, the changed ones are downloaded, the rest copied.
    changed_beyond_card = int(inc["counts"].split("downloaded ")[1].split(",")[0])
    reused = int(inc["counts"].split("reused ")[1].split(",")[0])
    assert changed_beyond_card + reused == 12 and changed_beyond_card <= 3
    assert q["search_s_median"] > 0 and q["series_s_median"] > 0
    assert q["parquet_zstd_bytes"] > 0 and q["catalogue_rows"] == 57
    for name in ("load rows/s", "peak memory", "incremental rebuild", "explorer search",
                 "series query", "warehouse size"):
        assert name in proc.stdout


@pytest.mark.timeout(1200)
def test_tiny_cost_per_view_run_reports_every_page_and_the_room(tmp_path):
    """`python -m benchmarks.load --views`: each page against the trivial one, the room link
    against a plain file, server CPU from the server's process (browser tests' Chromium)."""
    from tests.browser_support import require_chromium

    require_chromium()
    out = tmp_path / "views.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.load", "--views", "1", "--room",
                           "3", "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=1100)
    assert proc.returncode == 0, (proc.stdout[-2000:], proc.stderr[-2000:])
    result = json.loads(out.read_text())
    pages = result["pages"]
    assert set(pages) == {"trivial", "overview", "compare", "explorer", "presenter"}
    assert pages["trivial"]["warm_cpu_ratio"] == 1.0
    for name, row in pages.items():
        assert row["errors"] == 0
        assert row["warm_cpu_s"] > 0 and row["new_cpu_s"] > 0, name
        assert row["new_ws_bytes_to_visible"] > 0 and row["new_visible_s"] > 0, name
    assert pages["overview"]["new_ws_bytes_to_visible"] > pages["trivial"]["new_ws_bytes_to_visible"]
    room, plain = result["room"]["room"], result["room"]["plain"]
    assert room["visitors"] == plain["visitors"] == 3 and room["errors"] == plain["errors"] == 0
    assert room["bytes_each"] > 10 * plain["bytes_each"]
    for text in ("| overview |", "| presenter |", "room link (static page)", "plain static file"):
        assert text in proc.stdout


@pytest.mark.timeout(1200)
def test_tiny_gc_comparison_soak_runs_both_ways(tmp_path):
    from tests.browser_support import require_chromium

    require_chromium()
    out = tmp_path / "gc.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.load", "--soak", "3", "--browsers",
                           "1", "--gc-compare", "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=1100)
    assert proc.returncode == 0, (proc.stdout[-2000:], proc.stderr[-2000:])
    result = json.loads(out.read_text())
    assert set(result) == {"postScriptGC=true", "postScriptGC=false"}
    for r in result.values():
        assert r["views"] == 3 and r["errors"] == 0 and r["server_cpu_s"] > 0
        assert all(mb > 50 for mb in r["rss_mb_by_tenth"])
