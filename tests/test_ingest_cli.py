"""The `hyte` CLI end to end against the fake Sotkanet: exit codes, recording, status."""

import hashlib
import json
import shutil

import pytest

from pipelines import cli, ingest
from pipelines.config import load_config
from pipelines.sotkanet.client import SotkanetClient, make_retry
from tests.warehouse_fixtures import ROOT

TEST_CONFIG = ROOT / "tests" / "fixtures" / "config"
CATALOGUE = [127, 181, 2458, 4, 3090]


@pytest.fixture
def env(tmp_path, monkeypatch, fake_sotkanet):
    live = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(TEST_CONFIG))
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOTKANET_BASE_URL", fake_sotkanet.url)
    return live


def status_json(capsys):
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingest_from_the_fake_server_and_status(env, capsys):
    assert cli.main(["ingest", "--source", "sotkanet"]) == 0
    info = status_json(capsys)
    assert info["source"] == "sotkanet" and not info["is_demo"]
    assert [i["indicator_id"] for i in info["indicators"]] == CATALOGUE
    assert all(i["status"] == "ok" and i["rows"] > 0 for i in info["indicators"])
    by_id = {i["indicator_id"]: i for i in info["indicators"]}
    assert (by_id[181]["first_year"], by_id[181]["last_year"]) == (2015, 2024)
    assert by_id[181]["data_updated"]
    # Kept categories only: 22 + 6 Pirkanmaa municipalities, 2 counties, 2 maakunta, Finland.
    assert info["rows"]["region"] == 33


def test_rerun_is_served_from_the_http_cache(env, fake_sotkanet):
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 0
    first = len(fake_sotkanet.requests)
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 0
    assert len(fake_sotkanet.requests) == first  # nothing new over the network


def test_saved_responses_rebuild_offline(env, tmp_path, fake_sotkanet, capsys):
    saved = tmp_path / "saved"
    assert cli.main(["ingest", "--source", "sotkanet", "--save-responses", str(saved)]) == 0
    online = status_json(capsys)
    fake_sotkanet.stop()  # no network from here on
    assert cli.main(["ingest", "--source", "dir", "--from-dir", str(saved)]) == 0
    offline = status_json(capsys)
    assert offline["source"] == "dir"
    assert offline["rows"]["observation"] == online["rows"]["observation"]
    assert offline["rows"]["load_log"] == 2


def test_one_broken_indicator_is_reported_and_the_rest_published(env, fake_sotkanet, capsys):
    fake_sotkanet.script("/json?indicator=4&", "truncated")
    assert cli.main(["ingest", "--source", "sotkanet"]) == 3
    err = capsys.readouterr().err
    assert "warning: indicator 4:" in err
    info = status_json(capsys)
    by_id = {i["indicator_id"]: i for i in info["indicators"]}
    assert by_id[4]["status"] == "failed" and by_id[4]["rows"] == 0
    assert by_id[181]["status"] == "ok" and by_id[181]["rows"] > 0


def test_strict_publishes_nothing_when_anything_failed(env, fake_sotkanet, capsys):
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 0
    before = digest(env)
    shutil.rmtree(env.parent / "cache")  # a fresh download, or the cache would answer
    fake_sotkanet.script("/json?indicator=4&", "truncated")
    assert cli.main(["ingest", "--source", "sotkanet", "--strict", "--quiet"]) == 1
    assert "--strict" in capsys.readouterr().err
    assert digest(env) == before


def test_regions_failure_publishes_nothing(env, fake_sotkanet, capsys):
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 0
    before = digest(env)
    shutil.rmtree(env.parent / "cache")  # the cache would answer /regions otherwise
    fake_sotkanet.script("/regions", "truncated")
    assert cli.main(["ingest", "--source", "sotkanet", "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hyte: error: regions:")
    assert digest(env) == before


def test_server_errors_are_retried_with_backoff(env, fake_sotkanet, tmp_path):
    """500, then 429 with Retry-After, then success: the real client, quick backoff."""
    fake_sotkanet.script("/indicators/181", "500")
    fake_sotkanet.script("/json?indicator=181&", "429")

    def client(save_dir=None):
        return SotkanetClient(cache_dir=False, save_dir=save_dir,
                              retry=make_retry(3, backoff_factor=0.01))

    result = ingest.run(load_config(TEST_CONFIG), "sotkanet", env, client_factory=client)
    assert result.exit_code == 0
    statuses = [r.status for r in fake_sotkanet.requests_to("/json?indicator=181&")]
    assert statuses == [429, 200]


@pytest.mark.parametrize("argv", [
    ["ingest", "--source", "nowhere"],
    ["ingest"],
    ["ingest", "--source", "demo", "--from-dir", "x"],
    ["ingest", "--source", "demo", "--save-responses", "x"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(env, argv, capsys):
    with pytest.raises(SystemExit) as exc:
        code = cli.main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2


def test_missing_from_dir_is_one_clear_line(env, tmp_path, capsys):
    assert cli.main(["ingest", "--source", "dir", "--from-dir", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such directory" in err[0]


def test_status_without_warehouse_names_the_command(env, capsys):
    assert cli.main(["status"]) == 1
    assert "hyte ingest --source demo" in capsys.readouterr().err


def test_broken_configuration_is_one_line(env, tmp_path, monkeypatch, capsys):
    broken = tmp_path / "config"
    shutil.copytree(TEST_CONFIG, broken)
    text = (broken / "indicators.toml").read_text(encoding="utf-8")
    (broken / "indicators.toml").write_text(text.replace('unit = "percent"', 'unit = "pct"', 1),
                                            encoding="utf-8")
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(broken))
    assert cli.main(["ingest", "--source", "demo"]) == 1
    err = capsys.readouterr().err
    assert "indicators.toml" in err and "'unit'" in err


def test_catalog_check_against_the_fake_server(env, capsys):
    code = cli.main(["catalog-check"])
    out = capsys.readouterr().out
    for iid in CATALOGUE:
        assert str(iid) in out
    assert code in (0, 1)
    assert (code == 0) == ("need attention" not in out)


def test_python_dash_m_pipelines_is_the_same_command():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "pipelines", "--help"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and "catalog-check" in proc.stdout
