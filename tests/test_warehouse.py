"""Warehouse contract, validation and atomic publishing."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines import demo, ingest, warehouse
from pipelines.config import load_config
from tests.warehouse_fixtures import ROOT, build_demo

CONFIG = load_config(ROOT / "data")

CONTRACT = {
    "region": {"region_id", "code", "category", "name_fi", "name_sv", "name_en", "population"},
    "municipality_group": {"group_id", "name_fi", "name_sv", "name_en", "sort_order",
                           "parent_region_id"},
    "group_member": {"group_id", "region_id"},
    "indicator": {"indicator_id", "title_fi", "title_sv", "title_en", "priority", "polarity",
                  "unit", "decimals", "producer", "description_fi", "interpretation_fi",
                  "limits_fi", "notices_fi", "data_updated", "range_start", "range_end"},
    "observation": {"indicator_id", "region_id", "year", "gender", "value", "abs_value"},
    "load_log": {"run_id", "source", "started_at", "finished_at", "status", "rows", "detail"},
}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("table, columns", CONTRACT.items())
def test_tables_follow_the_documented_contract(demo_warehouse, table, columns):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    con.close()
    assert columns <= have


def test_readme_documents_every_contract_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table, columns in CONTRACT.items():
        assert f"`{table}`" in readme, table
        for column in columns:
            assert f"`{column}`" in readme, (table, column)


def test_built_warehouse_content(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM region WHERE category = 'KUNTA'").fetchone()[0] == 22
        assert con.execute("SELECT count(*) FROM group_member").fetchone()[0] == 22
        pop = dict(con.execute("SELECT region_id, population FROM region").fetchall())
        assert pop[85] > 100_000 and pop[208] < 1_000
        # Group population equals the sum of members (the header relies on it).
        grp = con.execute("""SELECT sum(r.population) FROM group_member m JOIN region r
                             USING (region_id) WHERE group_id = 'jyvaskyla-muurame'""").fetchone()[0]
        assert grp == pop[85] + pop[235]
        meta = dict(con.execute("SELECT * FROM warehouse_meta").fetchall())
        assert meta["source"] == "demo" and meta["is_demo"] == "true"
        statuses = {r[0] for r in con.execute("SELECT DISTINCT load_status FROM indicator").fetchall()}
        assert statuses == {"ok"}
    finally:
        con.close()


def test_history_survives_rebuilds(tmp_path):
    live = build_demo(tmp_path / "w.duckdb")
    build_demo(live)
    con = duckdb.connect(str(live), read_only=True)
    assert con.execute("SELECT count(*) FROM load_log").fetchone()[0] == 2
    con.close()


def _dataset_without(region_id=None, recode=None):
    data = demo.generate(CONFIG, "county")
    if region_id is not None:
        data.regions = data.regions[data.regions["region_id"] != region_id]
    if recode is not None:
        rid, code = recode
        data.regions.loc[data.regions["region_id"] == rid, "code"] = code
    return data


@pytest.mark.parametrize("dataset_args, message", [
    ({"region_id": 208}, "region 208 (Luhanka) is missing"),
    ({"recode": (85, "999")}, "region 85 (Jyväskylä) has code '999'"),
])
def test_invalid_payload_publishes_nothing(tmp_path, dataset_args, message):
    live = build_demo(tmp_path / "w.duckdb")
    before = digest(live)
    with pytest.raises(warehouse.ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        warehouse.build(_dataset_without(**dataset_args), CONFIG, live)
    assert digest(live) == before
    assert list(warehouse.build_dir(live).glob("*.duckdb*")) == []


def test_duplicate_rows_are_dropped_and_counted(tmp_path):
    data = demo.generate(CONFIG, "county")
    dup = data.observations.iloc[:5].copy()
    dup["value"] = dup["value"] + 1  # the later duplicate wins, as in the transform
    data.observations = __import__("pandas").concat([data.observations, dup])
    result = warehouse.build(data, CONFIG, tmp_path / "w.duckdb")
    assert any("5 duplicate" in n for n in data.notes)
    con = duckdb.connect(str(result.path), read_only=True)
    first = dup.iloc[0]
    value = con.execute("SELECT value FROM observation WHERE indicator_id=? AND region_id=? "
                        "AND year=? AND gender=?",
                        [int(first.indicator_id), int(first.region_id), int(first.year),
                         first.gender]).fetchone()[0]
    con.close()
    assert value == first.value


def test_strict_publishes_nothing_when_an_indicator_failed(tmp_path):
    live = build_demo(tmp_path / "w.duckdb")
    before = digest(live)
    data = demo.generate(CONFIG, "county")
    data.failures[4] = "HTTP 500"
    with pytest.raises(warehouse.ValidationError, match="--strict"):
        warehouse.build(data, CONFIG, live, strict=True)
    assert digest(live) == before


def test_failed_indicator_is_recorded_not_hidden(tmp_path):
    data = demo.generate(CONFIG, "county")
    data.observations = data.observations[data.observations["indicator_id"] != 4]
    data.failures[4] = "invalid JSON"
    result = warehouse.build(data, CONFIG, tmp_path / "w.duckdb")
    assert "indicator 4: invalid JSON" in result.warnings
    con = duckdb.connect(str(result.path), read_only=True)
    row = con.execute("SELECT load_status, load_detail FROM indicator WHERE indicator_id=4").fetchone()
    con.close()
    assert row == ("failed", "invalid JSON")


def test_sigkill_during_build_leaves_live_file_intact(tmp_path):
    """Kill the real CLI mid-build: the live file stays byte-identical and readable."""
    live = build_demo(tmp_path / "w.duckdb")
    before = digest(live)
    env = {**os.environ, "HYTE_WAREHOUSE": str(live)}
    build_folder = warehouse.build_dir(live)
    killed_mid_build = False
    for _attempt in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines", "ingest", "--source", "demo",
             "--demo-size", "finland", "--quiet"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if any(build_folder.glob("*.duckdb")):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait()
        if proc.returncode == -signal.SIGKILL:
            killed_mid_build = True
            break
        before = digest(live)  # it finished first: the new file is the baseline now
    assert killed_mid_build, "the build always finished before it could be killed"
    assert digest(live) == before
    assert warehouse.status(live)["rows"]["observation"] > 0
    # The leftover is cleaned by the next run, which publishes normally.
    assert any(build_folder.glob("*.duckdb*"))
    result = ingest.run(CONFIG, "demo", live)
    assert result.published
    assert not any(build_folder.glob("*.duckdb*"))


def test_status_reports_indicators(demo_warehouse):
    info = warehouse.status(demo_warehouse)
    assert info["source"] == "demo" and info["is_demo"]
    ids = [i["indicator_id"] for i in info["indicators"]]
    assert ids == [i.indicator_id for i in CONFIG.indicators]
    first = info["indicators"][0]
    assert first["first_year"] <= first["last_year"] and first["data_updated"] == "2025-11-14"
