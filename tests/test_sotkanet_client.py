"""The Sotkanet client against the local fake server: identity, retries, timeouts, cache, saving."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pipelines.sotkanet import settings
from pipelines.sotkanet.client import CappedRetry, SotkanetClient, SotkanetError, make_retry
from pipelines.sotkanet.recorded import RecordedResponses
from pipelines.sotkanet.transform import observations_frame
from tests.fake_sotkanet import FIXTURE_DIR, FakeSotkanet, Fault

YEARS = range(2015, 2025)


def fast_retry(total: int = 2, **kw) -> CappedRetry:
    return make_retry(total, backoff_factor=0.01, backoff_max=0.05, **kw)


def make_client(fake: FakeSotkanet, **kw) -> SotkanetClient:
    kw.setdefault("cache_dir", False)
    kw.setdefault("retry", fast_retry())
    kw.setdefault("timeout", (2, 2))
    return SotkanetClient(fake.url, **kw)


# -- identity ----------------------------------------------------------------------------


def test_sends_descriptive_user_agent_and_json_accept(fake_sotkanet):
    with make_client(fake_sotkanet) as client:
        regions = client.regions()
    assert any(r["id"] == 965 for r in regions)
    [req] = fake_sotkanet.requests
    assert req.status == 200
    assert req.user_agent == settings.USER_AGENT
    assert req.headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    "agent",
    [None, requests.utils.default_user_agent(), "Python-urllib/3.12", "python-urllib3/2.8.0"],
)
def test_fake_refuses_missing_or_library_user_agent(fake_sotkanet, agent):
    # http.client sends no User-Agent unless told to
    host, port = fake_sotkanet.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/regions", headers={"User-Agent": agent} if agent else {})
    response = conn.getresponse()
    conn.close()
    assert response.status == 403
    assert fake_sotkanet.requests[-1].user_agent == agent


def test_forbidden_is_a_clear_error(fake_sotkanet):
    client = make_client(fake_sotkanet)
    client.session.headers["User-Agent"] = requests.utils.default_user_agent()
    with pytest.raises(SotkanetError) as info:
        client.regions()
    message = str(info.value)
    assert info.value.status == 403
    assert "HTTP 403" in message and "/regions" in message and "\n" not in message
    assert len(fake_sotkanet.requests) == 1  # 403 is not retried


# -- retries -------------------------------------------------------------------------------


def test_429_with_retry_after_then_success(fake_sotkanet):
    fake_sotkanet.script("/regions", "429")  # Retry-After: 1
    start = time.monotonic()
    regions = make_client(fake_sotkanet).regions()
    elapsed = time.monotonic() - start
    assert regions
    assert [r.status for r in fake_sotkanet.requests] == [429, 200]
    assert elapsed >= 0.9, "Retry-After: 1 was not honoured"


def test_retry_after_is_capped(fake_sotkanet):
    fake_sotkanet.script("/regions", Fault("status", status=429, retry_after="3600"))
    start = time.monotonic()
    make_client(fake_sotkanet, retry=fast_retry(max_retry_after=0.2)).regions()
    assert time.monotonic() - start < 3
    assert [r.status for r in fake_sotkanet.requests] == [429, 200]


def test_default_retry_policy():
    retry = make_retry()
    assert retry.total == settings.RETRY_TOTAL == 5
    assert retry.backoff_factor == 1.0 and retry.backoff_max == 30
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.max_retry_after == settings.MAX_RETRY_AFTER == 60
    # the cap survives the copies urllib3 makes on every attempt
    assert retry.new(total=1).max_retry_after == 60


@pytest.mark.parametrize(
    ("header", "expected"),
    [("1", 1.0), ("3600", 60.0), ("0", 0.0), ("soon", None), (None, None)],
)
def test_capped_retry_after(header, expected):
    class Response:
        headers = {"Retry-After": header} if header is not None else {}

    assert make_retry().get_retry_after(Response()) == expected


def test_500_then_200(fake_sotkanet):
    fake_sotkanet.script("/indicators/181", "500")
    meta = make_client(fake_sotkanet).indicator(181)
    assert meta["id"] == 181
    assert [r.status for r in fake_sotkanet.requests] == [500, 200]


def test_persistent_503_gives_up_with_status(fake_sotkanet):
    fake_sotkanet.script("/indicators", Fault("status", status=503), times=10)
    with pytest.raises(SotkanetError, match=r"HTTP 503 .*after retries") as info:
        make_client(fake_sotkanet).indicators()
    assert info.value.status == 503
    assert len(fake_sotkanet.requests) == 3  # 1 + 2 retries


def test_slow_response_times_out_after_retries(fake_sotkanet):
    fake_sotkanet.script("/json", Fault("slow", delay=1.0), times=3)
    client = make_client(fake_sotkanet, timeout=(2, 0.3))
    start = time.monotonic()
    with pytest.raises(SotkanetError) as info:
        client.data(181, [2020])
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert "read timeout of 0.3 s" in message and "after 2 retries" in message
    assert "/json?indicator=181" in message and "\n" not in message
    assert 0.8 < elapsed < 3
    assert len(fake_sotkanet.requests_to("/json")) == 3  # 1 + 2 retries


def test_slow_once_then_success(fake_sotkanet):
    fake_sotkanet.script("/json", Fault("slow", delay=1.0))
    rows = make_client(fake_sotkanet, timeout=(2, 0.3)).data(181, [2020])
    assert rows and all(r["year"] == 2020 for r in rows)


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = SotkanetClient(
        f"http://127.0.0.1:{port}", cache_dir=False, retry=fast_retry(1), timeout=(1, 1)
    )
    with pytest.raises(SotkanetError, match="could not connect after 1 retry: .*refused"):
        client.regions()


# -- bad bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("truncated", "not valid JSON"),
        ("garbage", "not valid JSON"),
        ("cut", "broke off"),
    ],
)
def test_bad_body_is_an_error(fake_sotkanet, fault, message):
    fake_sotkanet.script("/json", fault)
    with pytest.raises(SotkanetError, match=message) as info:
        make_client(fake_sotkanet).data(181, YEARS)
    assert "data of indicator 181" in str(info.value)
    assert "\n" not in str(info.value)


def test_truncated_body_is_not_cached(fake_sotkanet, tmp_path):
    fake_sotkanet.script("/regions", "truncated")
    client = make_client(fake_sotkanet, cache_dir=tmp_path)
    with pytest.raises(SotkanetError):
        client.regions()
    assert client.regions()  # asks the network again instead of replaying the bad body
    assert [r.status for r in fake_sotkanet.requests] == [200, 200]
    assert client.regions()
    assert client.stats.cache_hits == 1


def test_wrong_top_level_type(tmp_path):
    (tmp_path / "indicators").mkdir()
    (tmp_path / "regions.json").write_text('{"regions": []}')
    (tmp_path / "indicators" / "5.json").write_text("[1, 2]")
    with FakeSotkanet(tmp_path) as fake:
        client = make_client(fake)
        with pytest.raises(SotkanetError, match="expected a JSON array .* got object"):
            client.regions()
        with pytest.raises(SotkanetError, match="expected a JSON object .* got array"):
            client.indicator(5)


def test_unknown_indicator_is_404(fake_sotkanet):
    with pytest.raises(SotkanetError, match=r"/indicators/99999\): HTTP 404") as info:
        make_client(fake_sotkanet).indicator(99999)
    assert info.value.status == 404


@pytest.mark.parametrize(
    ("years", "genders"), [([], ("total",)), ([2020], ("both",)), ([2020], ())]
)
def test_data_rejects_bad_arguments(fake_sotkanet, years, genders):
    with pytest.raises(ValueError):
        make_client(fake_sotkanet).data(181, years, genders=genders)


# -- payloads --------------------------------------------------------------------------------


def test_data_query_and_filtering(fake_sotkanet):
    rows = make_client(fake_sotkanet).data(181, [2021, 2020, 2020], genders=("female", "total"))
    [req] = fake_sotkanet.requests
    assert req.path == "/json?indicator=181&years=2020&years=2021&genders=total&genders=female"
    assert {r["year"] for r in rows} == {2020, 2021}
    assert {r["gender"] for r in rows} == {"total", "female"}


def test_omitted_abs_value_and_extra_fields(fake_sotkanet):
    client = make_client(fake_sotkanet)
    rows = client.data(181, YEARS)
    assert any("absValue" not in r for r in rows)
    frame, counts = observations_frame(181, rows)
    assert frame["abs_value"].isna().any() and frame["abs_value"].notna().any()
    assert counts["rows_out"] == counts["rows_in"]

    rows = client.data(2458, YEARS)
    assert any("regionTitle" in r for r in rows)
    frame, counts = observations_frame(2458, rows)
    assert counts["dropped_null"] == 1 and counts["dropped_duplicate"] == 1


# -- cache and saving --------------------------------------------------------------------


def run_all(client) -> dict:
    return {
        "regions": client.regions(),
        "indicators": client.indicators(),
        "indicator": client.indicator(4),
        "data": client.data(4, YEARS),
    }


def test_second_run_comes_from_cache(fake_sotkanet, tmp_path):
    with make_client(fake_sotkanet, cache_dir=tmp_path) as first:
        one = run_all(first)
    assert first.stats.network == 4 and first.stats.cache_hits == 0
    before = len(fake_sotkanet.requests)
    with make_client(fake_sotkanet, cache_dir=tmp_path) as second:
        two = run_all(second)
    assert len(fake_sotkanet.requests) == before, "the second run went to the network"
    assert second.stats.cache_hits == 4 and second.stats.network == 0
    assert str(second.stats) == "4 requests: 0 over the network, 4 from cache"
    assert one == two
    assert list(tmp_path.glob("*.sqlite"))


def test_expired_cache_revalidates_with_etag(fake_sotkanet, tmp_path):
    make_client(fake_sotkanet, cache_dir=tmp_path, expire_after=0).regions()
    client = make_client(fake_sotkanet, cache_dir=tmp_path, expire_after=0)
    assert client.regions()
    last = fake_sotkanet.requests[-1]
    assert last.status == 304 and "If-None-Match" in last.headers
    assert client.stats.revalidated == 1 and client.stats.network == 1


def test_default_cache_dir_and_base_url_from_env(monkeypatch, tmp_path, fake_sotkanet):
    monkeypatch.setenv("HYTE_HTTP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOTKANET_BASE_URL", fake_sotkanet.url + "/")
    assert settings.base_url() == fake_sotkanet.url
    with SotkanetClient(retry=fast_retry()) as client:
        assert client.base_url == fake_sotkanet.url
        assert client.cache_dir == tmp_path / "cache"
        assert client.regions()
    assert (tmp_path / "cache").is_dir()
    monkeypatch.delenv("SOTKANET_BASE_URL")
    monkeypatch.delenv("HYTE_HTTP_CACHE")
    assert settings.base_url() == settings.DEFAULT_BASE_URL
    assert settings.http_cache_dir() == settings.PROJECT_ROOT / "data" / "cache" / "http"


def test_save_dir_round_trip(fake_sotkanet, tmp_path):
    saved = tmp_path / "saved"
    with make_client(fake_sotkanet, save_dir=saved) as client:
        live = {
            "regions": client.regions(),
            "indicators": client.indicators(),
            "meta": {i: client.indicator(i) for i in (127, 181, 2458, 4, 3090)},
            "data": {i: client.data(i, YEARS) for i in (127, 181, 2458, 4, 3090)},
        }
    assert sorted(p.relative_to(saved).as_posix() for p in saved.rglob("*") if p.is_file()) == [
        "data/127.json",
        "data/181.json",
        "data/2458.json",
        "data/3090.json",
        "data/4.json",
        "indicators.json",
        "indicators/127.json",
        "indicators/181.json",
        "indicators/2458.json",
        "indicators/3090.json",
        "indicators/4.json",
        "regions.json",
    ]
    recorded = RecordedResponses(saved)
    assert recorded.regions() == live["regions"]
    assert recorded.indicators() == live["indicators"]
    for i in (127, 181, 2458, 4, 3090):
        assert recorded.indicator(i) == live["meta"][i]
        assert recorded.data(i, YEARS) == live["data"][i]
    assert recorded.data(181, [2020], ("male",)) == [
        r for r in live["data"][181] if r["year"] == 2020 and r["gender"] == "male"
    ]


def test_save_dir_skips_failed_responses(fake_sotkanet, tmp_path):
    fake_sotkanet.script("/regions", "truncated")
    client = make_client(fake_sotkanet, save_dir=tmp_path)
    with pytest.raises(SotkanetError):
        client.regions()
    assert not list(tmp_path.rglob("*"))


# -- recorded responses --------------------------------------------------------------------


def test_recorded_matches_fixture_directory():
    rec = RecordedResponses(FIXTURE_DIR)
    rows = rec.data(181, [2024], genders=("total",))
    assert rows and all(r["year"] == 2024 and r["gender"] == "total" for r in rows)
    assert rec.indicator(181)["id"] == 181
    assert rec.stats.cache_hits == 2


@pytest.mark.parametrize(
    ("setup", "call", "message"),
    [
        (lambda d: None, lambda r: r.regions(), r"regions\.json\): recorded file not found"),
        (lambda d: None, lambda r: r.data(5, [2020]), r"data/5\.json\): recorded file not found"),
        (
            lambda d: (d / "indicators.json").write_text("[{"),
            lambda r: r.indicators(),
            "not valid JSON",
        ),
        (
            lambda d: (d / "regions.json").write_text("{}"),
            lambda r: r.regions(),
            "expected a JSON array",
        ),
        (
            lambda d: ((d / "indicators").mkdir(), (d / "indicators" / "4.json").write_text("[]")),
            lambda r: r.indicator(4),
            "expected a JSON object",
        ),
    ],
)
def test_recorded_errors_name_the_file(tmp_path, setup, call, message):
    setup(tmp_path)
    with pytest.raises(SotkanetError, match=message):
        call(RecordedResponses(tmp_path))


def test_recorded_missing_directory(tmp_path):
    with pytest.raises(SotkanetError, match="directory not found"):
        RecordedResponses(tmp_path / "nope")


# -- the fake itself ---------------------------------------------------------------------------


def test_fake_serves_rest_prefix_and_filters(fake_sotkanet):
    session = requests.Session()
    session.headers["User-Agent"] = settings.USER_AGENT
    url = fake_sotkanet.url + "/rest/1.1/json?indicator=3090&years=2024&genders=male"
    assert session.get(url, timeout=5).json() == []  # 3090 has only totals
    bad = session.get(fake_sotkanet.url + "/json?indicator=3090", timeout=5)
    assert bad.status_code == 400


def test_fake_command_line_help():
    out = subprocess.run(
        [sys.executable, "-m", "tests.fake_sotkanet", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).parent.parent,
    )
    assert out.returncode == 0 and "--port" in out.stdout


def test_fixture_files_are_valid_json():
    for path in FIXTURE_DIR.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
