"""What an ingest may and may not publish: one run at a time, plausible rows only, ids never
cast onto another region, every warning exit 3, symlinked warehouses, escaped control
characters."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import cli, ingest
from pipelines.config import load_config
from pipelines.lock import lock_path
from tests.fake_sotkanet import FIXTURE_DIR, Fault
from tests.warehouse_fixtures import ROOT

TEST_CONFIG = ROOT / "tests" / "fixtures" / "config"
JYVASKYLA = 85


@pytest.fixture
def recorded(tmp_path):
    folder = tmp_path / "recorded"
    shutil.copytree(FIXTURE_DIR, folder)
    return folder


@pytest.fixture
def env(tmp_path, monkeypatch):
    live = tmp_path / "live" / "warehouse.duckdb"
    live.parent.mkdir()
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(TEST_CONFIG))
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache"))
    return live


def edit_rows(folder: Path, indicator: int, edit) -> None:
    path = folder / "data" / f"{indicator}.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(edit(rows)), encoding="utf-8")


def query(live: Path, sql: str, params=None):
    con = duckdb.connect(str(live), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def last_log(live: Path) -> dict:
    ((status, detail),) = query(live, "SELECT status, detail FROM load_log "
                                      "ORDER BY finished_at DESC LIMIT 1")
    return {"status": status, **json.loads(detail)}


def ingest_dir(folder: Path, *extra: str) -> int:
    return cli.main(["ingest", "--source", "dir", "--from-dir", str(folder), "--quiet", *extra])


# -- 17.4 / 18.1: implausible rows are dropped, counted per indicator, reported ------------

def first(rows, **match):
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def set_value(indicator, region, year, gender="total", **fields):
    def edit(rows):
        first(rows, region=region, year=year, gender=gender).update(fields)
        return rows
    return indicator, edit


def add_row(indicator, **row):
    def edit(rows):
        return [*rows, {"indicator": indicator, "gender": "total", **row}]
    return indicator, edit


IMPLAUSIBLE = [
    # (id, edit, indicator, rule text, the row that must not be published)
    ("percent-250", set_value(181, JYVASKYLA, 2020, value=250.0), 181,
     "1 percentage outside 0..100", (181, JYVASKYLA, 2020)),
    ("percent-minus-5", set_value(181, JYVASKYLA, 2020, value=-5.0), 181,
     "1 percentage outside 0..100", (181, JYVASKYLA, 2020)),
    ("negative-population", set_value(127, 35, 2020, value=-100.0), 127,
     "1 negative value", (127, 35, 2020)),
    ("numerator-over-population", set_value(181, 35, 2020, absValue=10_000_000.0), 181,
     "1 numerator larger than the region's population", (181, 35, 2020)),
    ("rate-denominator-over-population", set_value(2458, 35, 2020, absValue=10_000_000.0),
     2458, "1 implied denominator larger than the region's population", (2458, 35, 2020)),
    ("region-2-to-32-plus-179", add_row(181, region=2**32 + 179, year=2020, value=10.0), 181,
     "1 region id outside 1..2147483647", None),
]


@pytest.mark.parametrize(("edit", "indicator", "rule", "absent"),
                         [case[1:] for case in IMPLAUSIBLE], ids=[c[0] for c in IMPLAUSIBLE])
def test_implausible_rows_are_dropped_counted_and_reported(env, recorded, capsys, edit,
                                                          indicator, rule, absent):
    edit_rows(recorded, *edit)
    assert ingest_dir(recorded) == 3
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: indicator {indicator}: 1 implausible row(s) dropped ({rule})"]
    if absent is not None:
        assert query(env, "SELECT count(*) FROM observation WHERE indicator_id = ? AND "
                          "region_id = ? AND year = ? AND gender = 'total'", list(absent)) \
            == [(0,)]
    log = last_log(env)
    assert log["status"] == "warnings"
    assert sum(log["dropped"][str(indicator)].values()) == 1
    # The rest of the indicator is there.
    assert query(env, "SELECT count(*) > 100 FROM observation WHERE indicator_id = ?",
                 [indicator]) == [(True,)]


@pytest.mark.parametrize(("edit", "indicator", "rule", "absent"),
                         [IMPLAUSIBLE[0][1:], IMPLAUSIBLE[-1][1:]], ids=["percent", "region"])
def test_strict_refuses_a_build_with_implausible_rows(env, recorded, capsys, edit, indicator,
                                                     rule, absent):
    assert ingest_dir(recorded) == 0
    before = env.read_bytes()
    edit_rows(recorded, *edit)
    assert ingest_dir(recorded, "--strict") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("hyte: error: --strict:") and rule in err[-1]
    assert env.read_bytes() == before


@pytest.mark.parametrize("year", [-2020, 10**30, 2**16 + 2020])
def test_implausible_years_from_any_source_are_dropped_before_publishing(tmp_path, year):
    """Sotkanet and recorded sources ask for the metadata's years (a server answering others
    is caught in the transform); every source also passes the warehouse's screen."""
    import pandas as pd

    from pipelines import demo, warehouse

    config = load_config(TEST_CONFIG)
    dataset = demo.generate(config)
    extra = dataset.observations.iloc[:1].copy()
    extra = extra.astype({"year": "float64"})
    extra["year"] = float(year)
    dataset.observations = pd.concat([dataset.observations.astype({"year": "float64"}), extra],
                                     ignore_index=True)
    live = tmp_path / "warehouse.duckdb"
    result = warehouse.build(dataset, config, live)
    iid = int(extra["indicator_id"].iloc[0])
    assert result.warnings == [
        f"indicator {iid}: 1 implausible row(s) dropped (1 year outside 1900..2100)"]
    warehouse.publish(result, live)
    assert query(live, "SELECT min(year) >= 1900 AND max(year) <= 2100 FROM observation") \
        == [(True,)]


def test_a_row_for_region_2_to_32_plus_85_never_replaces_jyvaskyla(env, recorded, capsys):
    """18.1: 4294967381 used to be cast to 32 bits (85) and overwrite Jyväskylä's value."""
    original = first(json.loads((recorded / "data" / "181.json").read_text()),
                     region=JYVASKYLA, year=2020, gender="total")["value"]

    def hostile(rows):
        rows = [r for r in rows if not (r["region"] == JYVASKYLA and r["year"] == 2020
                                        and r["gender"] == "total")]
        return [*rows, {"indicator": 181, "region": JYVASKYLA, "year": 2020, "gender": "total",
                        "value": original},
                {"indicator": 181, "region": 2**32 + JYVASKYLA, "year": 2020,
                 "gender": "total", "value": 99.9}]

    edit_rows(recorded, 181, hostile)
    assert ingest_dir(recorded) == 3
    assert "1 region id outside 1..2147483647" in capsys.readouterr().err
    assert query(env, "SELECT value FROM observation WHERE indicator_id = 181 AND region_id = ? "
                      "AND year = 2020 AND gender = 'total'", [JYVASKYLA]) == [(original,)]
    assert query(env, "SELECT count(*) FROM observation WHERE value = 99.9") == [(0,)]


# -- 18.4: every warning is exit 3 ---------------------------------------------------------

def test_no_observations_in_the_source_is_exit_3_and_strict_refuses(env, recorded, capsys):
    (recorded / "data" / "3090.json").write_text("[]")
    assert ingest_dir(recorded) == 3
    err = capsys.readouterr().err
    assert "warning: indicator 3090: no observations in the source" in err
    assert last_log(env)["status"] == "warnings"
    assert ingest_dir(recorded, "--strict") == 1
    assert "--strict" in capsys.readouterr().err


# -- 17.2: one ingest at a time per warehouse ----------------------------------------------

def spawn_ingest(live: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipelines", "ingest", "--source", "demo",
                             *args], cwd=ROOT, env={**os.environ, "HYTE_WAREHOUSE": str(live)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lock(live: Path, proc: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    lock = lock_path(live)
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            text = lock.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text.isdigit():
            return int(text)
        time.sleep(0.01)
    raise AssertionError("the first ingest never took the lock")


def test_a_second_ingest_is_refused_while_one_runs_and_nothing_is_lost(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    first_run = spawn_ingest(live, "--demo-size", "finland", "--seed", "1")  # a few seconds
    holder = wait_for_lock(live, first_run)
    assert holder == first_run.pid
    second = spawn_ingest(live, "--seed", "2")
    out2, err2 = second.communicate(timeout=120)
    out1, err1 = first_run.communicate(timeout=300)
    lines = [line for line in err2.splitlines() if line.strip()]
    assert second.returncode == 1, err2
    assert lines == [line for line in lines if line.startswith("hyte: error:")] and len(lines) == 1
    assert f"another ingest (pid {first_run.pid}) is writing this warehouse" in lines[0]
    assert first_run.returncode == 0, err1
    assert not lock_path(live).exists()  # released on exit
    # Nothing lost: every run that exited 0 has its load_log entry.
    third = spawn_ingest(live, "--seed", "3")
    third.communicate(timeout=120)
    assert third.returncode == 0
    assert query(live, "SELECT count(*) FROM load_log") == [(2,)]
    assert query(live, "SELECT value FROM warehouse_meta WHERE key = 'seed'") == [("3",)]


def test_concurrent_ingests_never_lose_a_load_log_entry(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    procs = [spawn_ingest(live, "--seed", str(seed)) for seed in (21, 22, 23)]
    codes = [p.wait(timeout=300) for p in procs]
    for p in procs:
        p.communicate()
    assert set(codes) <= {0, 1} and 0 in codes
    assert query(live, "SELECT count(*) FROM load_log") == [(codes.count(0),)]


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock_path(live).write_text(f"{dead.pid}\n")
    proc = spawn_ingest(live)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"took over the lock left by pid {dead.pid}" in err
    assert not lock_path(live).exists()


def test_a_killed_ingest_does_not_block_the_next(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    victim = spawn_ingest(live, "--demo-size", "finland")
    wait_for_lock(live, victim)
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    assert lock_path(live).exists()  # left behind, with a dead pid
    proc = spawn_ingest(live)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"took over the lock left by pid {victim.pid}" in err


# -- 18.3: a symlinked warehouse is published through the link -----------------------------

def test_a_symlinked_warehouse_is_published_through_the_link(tmp_path, recorded, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    target = versions / "warehouse-2026.duckdb"
    link = tmp_path / "data" / "warehouse.duckdb"
    link.parent.mkdir()
    config = load_config(TEST_CONFIG)
    ingest.run(config, "dir", target, from_dir=recorded)
    link.symlink_to(target)
    first_run = query(link, "SELECT value FROM warehouse_meta WHERE key = 'run_id'")
    result = ingest.run(config, "dir", link, from_dir=recorded)
    assert result.exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link is kept
    assert query(target, "SELECT value FROM warehouse_meta WHERE key = 'run_id'") != first_run
    assert query(target, "SELECT count(*) FROM load_log") == [(2,)]  # history carried over
    assert not (link.parent / "build").exists()  # built beside the target, not the link
    assert list((versions / "build").iterdir()) == []
    assert sorted(p.name for p in versions.iterdir()) == ["build", "warehouse-2026.duckdb"]


def test_a_dangling_symlink_creates_its_target(tmp_path, recorded):
    target = tmp_path / "versions" / "warehouse-new.duckdb"
    target.parent.mkdir()
    link = tmp_path / "warehouse.duckdb"
    link.symlink_to(target)
    assert ingest.run(load_config(TEST_CONFIG), "dir", link, from_dir=recorded).exit_code == 0
    assert link.is_symlink() and target.is_file()


# -- 18.5: control characters from outside never reach a terminal or the warehouse raw -----

HOSTILE_BODY = ("\x1b[2J\x1b]0;pwned\x07\x1b[31mERROR\x9b31m \u202eevil\u202c "
                "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\").encode()
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def test_terminal_escapes_in_an_error_body_are_escaped_everywhere(tmp_path, monkeypatch,
                                                                 fake_sotkanet, capsys):
    live = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(TEST_CONFIG))
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOTKANET_BASE_URL", fake_sotkanet.url)
    fake_sotkanet.script("/json?indicator=4&", Fault("status", status=404, body=HOSTILE_BODY))
    assert cli.main(["ingest", "--source", "sotkanet"]) == 3
    err = capsys.readouterr().err
    assert "warning: indicator 4:" in err and "\\x1b[31mERROR" in err
    stored = [query(live, "SELECT detail FROM load_log")[0][0],
              query(live, "SELECT load_detail FROM indicator WHERE indicator_id = 4")[0][0]]
    assert cli.main(["status"]) == 0
    status_text = capsys.readouterr().out
    assert cli.main(["status", "--json"]) == 0
    status_json = capsys.readouterr().out
    for text in (err, *stored, status_text, status_json):
        assert not any(ch in text for ch in RAW), repr(text)
    assert "\\x1b]0;pwned\\x07" in status_text
