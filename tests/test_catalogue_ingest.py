"""`hyte ingest --indicators …` against a fake Sotkanet serving a synthetic catalogue of 300
indicators: parallel with faults under the bound, metadata for all, incremental, resumable."""

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines import bulk_load, cli, ingest
from pipelines.config import load_config
from pipelines.sotkanet.client import SotkanetClient, make_retry
from tests.fake_sotkanet import FakeSotkanet
from tests.synthetic_catalogue import FIRST_ID, touch, write_catalogue
from tests.warehouse_fixtures import ROOT

TEST_CONFIG = ROOT / "tests" / "fixtures" / "config"
N = 300
CARD = {127, 181, 2458, 4, 3090}
EXTRA = N + 3  # the fixture lists 5, 761 and 3219 beyond the card (metadata, no rows)


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "sotkanet"
    write_catalogue(path, n=N)
    return path


@pytest.fixture
def fake(catalogue_dir, tmp_path):
    directory = tmp_path / "served"
    import shutil

    shutil.copytree(catalogue_dir, directory)
    with FakeSotkanet(directory) as server:
        yield server


@pytest.fixture
def env(tmp_path, monkeypatch, fake):
    live = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(TEST_CONFIG))
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOTKANET_BASE_URL", fake.url)
    return live


def rows(live, sql, params=None):
    con = duckdb.connect(str(live), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def extra_requests(fake):
    """Ids beyond the card whose data were asked for."""
    asked = [int(r.path.split("indicator=")[1].split("&")[0]) for r in fake.data_requests()]
    return sorted({i for i in asked if i not in CARD})


def client(save_dir=None):
    return SotkanetClient(cache_dir=False, save_dir=save_dir, timeout=(2.0, 0.5),
                          retry=make_retry(3, backoff_factor=0.01))


def test_a_timeout_is_retried_and_a_lasting_failure_is_one_warning(env, fake):
    from tests.fake_sotkanet import Fault

    fake.script(f"/json?indicator={FIRST_ID + 3}&", Fault("slow", delay=1.5))  # read timeout
    fake.script(f"/json?indicator={FIRST_ID + 5}&", "500", times=10)  # never recovers
    result = ingest.run(load_config(TEST_CONFIG), "sotkanet", env, client_factory=client,
                        indicators="all", workers=2)
    assert result.exit_code == 3
    assert [w for w in result.warnings if w.startswith("indicator ")] == [
        w for w in result.warnings if w.startswith(f"indicator {FIRST_ID + 5}:")]
    assert len(fake.requests_to(f"/json?indicator={FIRST_ID + 3}&")) == 2  # asked again
    assert rows(env, "SELECT count(*) FROM observation WHERE indicator_id = ?",
                [FIRST_ID + 3])[0][0] > 0
    assert rows(env, "SELECT load_status FROM sotkanet_indicator WHERE indicator_id = ?",
                [FIRST_ID + 5])[0][0] == "failed"


def test_parallel_download_with_faults_stays_under_the_bound(env, fake):
    fake.latency = 0.01
    fake.script(f"/json?indicator={FIRST_ID + 1}&", "429")  # Retry-After: 1
    fake.script(f"/json?indicator={FIRST_ID + 2}&", "500", times=2)
    fake.script(f"/indicators/{FIRST_ID + 4}", "503")
    result = ingest.run(load_config(TEST_CONFIG), "sotkanet", env, client_factory=client,
                        indicators="all", workers=3)
    assert result.exit_code == 0, result.warnings
    assert 2 <= fake.max_in_flight <= 3
    statuses = [r.status for r in fake.requests_to(f"/json?indicator={FIRST_ID + 2}&")]
    assert statuses == [500, 500, 200]
    assert [r.status for r in fake.requests_to(f"/json?indicator={FIRST_ID + 1}&")] == [429, 200]
    with_data = [FIRST_ID + k for k in range(N) if k % 10 != 9]
    loaded = {r[0] for r in rows(env, "SELECT DISTINCT indicator_id FROM observation")}
    assert set(with_data) <= loaded
    # 33 kept regions x 4 years x 1 or 3 genders
    assert rows(env, "SELECT count(*) FROM observation WHERE indicator_id = ?",
                [FIRST_ID + 1])[0][0] == 33 * 4 * 3
    assert rows(env, "SELECT count(*) FROM observation WHERE indicator_id = ?",
                [FIRST_ID])[0][0] == 33 * 4


def test_metadata_for_the_whole_catalogue(env, fake, capsys):
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 0  # the card only
    assert len(extra_requests(fake)) == 0  # no data beyond the card
    got = rows(env, "SELECT count(*), count(title_sv), count(data_updated), "
                    "count(range_start), count(genders), count(subjects), "
                    "count(*) FILTER (in_card), count(*) FILTER (rows > 0) "
                    "FROM sotkanet_indicator")[0]
    assert got == (N + 8, N + 8, N + 8, N + 8, N + 8, N, 5, 5)
    one = rows(env, "SELECT title_en, producer, primary_value_type, region_classes, genders, "
                    "load_status FROM sotkanet_indicator WHERE indicator_id = ?",
               [FIRST_ID + 1])[0]
    assert one[0].startswith("Pupils") is False and "(synthetic 1)" in one[0]
    assert one[1] == "Tilastokeskus" and one[2] == "prosentti"
    assert one[3] == "Kunta, Hyvinvointialue, Maakunta, Maa"
    assert one[4] == "total, male, female" and one[5] == "not_requested"


def test_unchanged_rerun_downloads_nothing_and_changed_ones_only(env, fake, tmp_path,
                                                                  monkeypatch, capsys):
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", "all", "--quiet"]) == 0
    total = rows(env, "SELECT count(*) FROM observation")[0][0]
    fake.clear()
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", "all"]) == 0
    err = capsys.readouterr().err
    assert f"{EXTRA} unchanged since the live warehouse" in err
    assert fake.data_requests() == []  # nothing downloaded: copied or from the HTTP cache
    assert rows(env, "SELECT count(*) FROM observation")[0][0] == total

    changed = [FIRST_ID + k for k in (0, 7, 42, 123, 299)]
    touch(fake.directory, changed)
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache-next-day"))  # cache expired
    fake.clear()
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", "all"]) == 0
    err = capsys.readouterr().err
    assert f"{EXTRA - len(changed)} unchanged since the live warehouse" in err
    assert extra_requests(fake) == changed  # 20299 has no rows: asked, answered []
    assert rows(env, "SELECT count(*) FROM observation WHERE value = 99.9")[0][0] == 4
    assert rows(env, "SELECT count(*) FROM observation")[0][0] == total
    assert rows(env, "SELECT CAST(data_updated AS VARCHAR) FROM sotkanet_indicator "
                     "WHERE indicator_id = ?", [changed[0]])[0][0] == "2026-11-30"
    assert not bulk_load.checkpoint_dir(env).exists()  # removed after the publish


def test_ids_add_to_what_the_warehouse_holds(env, fake, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("# two more\n20005, 20006\n", encoding="utf-8")
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", str(ids), "--quiet"]) == 0
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", "20011", "--quiet"]) == 0
    loaded = {r[0] for r in rows(env, "SELECT DISTINCT indicator_id FROM observation")}
    assert loaded == {127, 181, 2458, 4, 3090, 20005, 20006, 20011}
    assert cli.main(["ingest", "--source", "sotkanet", "--indicators", "card", "--quiet"]) == 0
    loaded = {r[0] for r in rows(env, "SELECT DISTINCT indicator_id FROM observation")}
    assert loaded == {127, 181, 2458, 4, 3090}


@pytest.mark.parametrize("argv", [["--indicators", "12x"], ["--indicators", "0"],
                                  ["--workers", "9"], ["--indicators", "/no/such/file"]])
def test_bad_indicator_sets_are_usage_errors(env, argv, capsys):
    with pytest.raises(SystemExit) if argv[0] == "--workers" else _nothing() as exc:
        code = cli.main(["ingest", "--source", "sotkanet", *argv])
    code = exc.value.code if argv[0] == "--workers" else code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hyte: error:")
    assert not env.exists()


class _nothing:  # noqa: N801 - a do-nothing context manager with .value
    value = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_resume_after_sigkill(env, fake, tmp_path, monkeypatch):
    fake.latency = 0.03
    cmd = [sys.executable, "-m", "pipelines", "ingest", "--source", "sotkanet",
           "--indicators", "all", "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    folder = bulk_load.checkpoint_dir(env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = list(folder.glob("*.parquet")) if folder.is_dir() else []
        if len(done) >= 60 or proc.poll() is not None:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not env.exists()  # nothing published by the killed run
    done = len(list(folder.glob("*.parquet")))
    assert 60 <= done < EXTRA - 10
    fake.clear()
    fake.latency = 0.0
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "fresh-cache"))  # no cache answers
    second = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ), capture_output=True,
                            text=True, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"{done} from checkpoints of an interrupted run" in second.stderr
    assert len(extra_requests(fake)) == EXTRA - done
    assert rows(env, "SELECT count(DISTINCT indicator_id) FROM observation")[0][0] == \
        5 + N - N // 10
    dups = rows(env, "SELECT count(*) FROM (SELECT 1 FROM observation GROUP BY indicator_id, "
                     "region_id, year, gender HAVING count(*) > 1)")
    assert dups[0][0] == 0


def test_an_incremental_rebuild_holds_the_surveys_once(env, fake, tmp_path, capsys):
    """The incremental build starts from a copy of the live file: its survey tables are
    rebuilt like any build's, not appended to."""
    from tests.survey_support import write_xlsx

    surveys = tmp_path / "surveys"
    write_xlsx(surveys)
    argv = ["ingest", "--source", "sotkanet", "--indicators", "all", "--surveys", str(surveys)]
    assert cli.main([*argv, "--quiet"]) == 0
    before = rows(env, "SELECT count(*) FROM ngo_org")[0][0]
    surveys_before = rows(env, "SELECT count(*) FROM ngo_survey")[0][0]
    assert before > 0 and surveys_before == 1
    capsys.readouterr()
    assert cli.main(argv) == 0
    assert "unchanged since the live warehouse" in capsys.readouterr().err
    assert rows(env, "SELECT count(*) FROM ngo_org")[0][0] == before
    assert rows(env, "SELECT count(*) FROM ngo_survey")[0][0] == 1
