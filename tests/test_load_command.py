"""The load command (benchmarks/load.py) still runs: one browser session, figures reported.

Not a performance test: it asserts that the command measures, not how fast the app is.
"""

from __future__ import annotations

import json

import pytest

from tests.browser_support import require_chromium

pytestmark = pytest.mark.browser


def test_one_session_is_measured_with_zero_errors(tmp_path, capsys):
    require_chromium()
    from benchmarks import load

    out = tmp_path / "load.json"
    assert load.main(["--sessions", "1", "--switches", "1", "--json", str(out)]) == 0
    (result,) = json.loads(out.read_text())
    assert result["page_loads"] == 2 and result["ok"] == 2 and result["errors"] == 0
    assert 0 < result["p50_s"] <= result["max_s"]
    assert result["server_peak_rss_mb"] > 50
    assert result["server_cpu_s"] > 0 and 0 < result["server_cpu_share"] <= 1
    printed = capsys.readouterr().out
    assert "p95 s" in printed and "srv CPU/load s" in printed


def test_a_short_soak_samples_memory_and_reports_a_verdict(tmp_path, capsys):
    require_chromium()
    from benchmarks import load

    out = tmp_path / "soak.json"
    assert load.main(["--soak", "10", "--browsers", "2", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["views"] == 10 and result["errors"] == 0
    assert len(result["rss_mb_by_tenth"]) == 10 and min(result["rss_mb_by_tenth"]) > 50
    assert result["plateau"] in (True, False)
    printed = capsys.readouterr().out
    assert "server RSS MB at each tenth" in printed and "plateau" in printed


def test_plateau_verdict():
    from benchmarks.load import plateau

    flat = [(i, float(i), 300 * 2**20 + (i % 3) * 2**20) for i in range(1, 101)]
    leak = [(i, float(i), (300 + 2 * i) * 2**20) for i in range(1, 101)]
    assert plateau(flat)["plateau"] is True
    assert plateau(leak)["plateau"] is False
