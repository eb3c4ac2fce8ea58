"""The benchmark command cannot rot: a tiny run produces every figure (the real run is not a test)."""

import json
import subprocess
import sys

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
