"""Republishing the warehouse under a live app: every page load succeeds, new data shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from dashboard.i18n.formatting import built_text
from pipelines import warehouse
from tests.browser_support import (
    ROOT,
    AppServer,
    copy_warehouse,
    goto,
    launch,
    new_page,
    require_chromium,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app(demo_warehouse, tmp_path):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path / "live")).start()
    yield server
    server.stop()


def ingest(live, seed: int, *, kill_mid_build: bool = False) -> subprocess.Popen:
    args = [sys.executable, "-m", "pipelines", "ingest", "--source", "demo", "--seed", str(seed),
            "--quiet"]
    if kill_mid_build:
        args += ["--demo-size", "finland"]  # a bigger build, so it is caught in the act
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, "HYTE_WAREHOUSE": str(live)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_pages_keep_working_through_publishes_and_a_killed_build(app, tmp_path):
    from playwright.sync_api import sync_playwright

    live = app.warehouse
    loads = []

    def load(page, path: str) -> str:
        started = time.monotonic()
        goto(page, app.url + path)
        wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        body = page.inner_text("body")
        assert "Tietoja ei voi näyttää" not in body, path
        loads.append(time.monotonic() - started)
        return body

    with sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser, viewport={"width": 1400, "height": 1000})
        load(page, "/?group=jamsa-keuruu")
        for seed, kill in ((11, False), (12, True), (13, False), (14, False)):
            before = warehouse.status(live)
            proc = ingest(live, seed, kill_mid_build=kill)
            killed = False
            while proc.poll() is None:
                if kill:  # watch closely for the build file, then kill mid-build
                    if any(warehouse.build_dir(live).glob("*.duckdb")):
                        proc.send_signal(signal.SIGKILL)
                        killed = True
                        break
                    time.sleep(0.005)
                    continue
                load(page, "/?group=jamsa-keuruu" if len(loads) % 2 else "/tila")
            proc.wait()
            if kill:  # the app keeps serving the untouched live file after the crash
                load(page, "/?group=jamsa-keuruu")
            after = warehouse.status(live)
            if kill:
                assert killed and proc.returncode == -signal.SIGKILL
                assert after["built_at"] == before["built_at"]
            else:
                assert proc.returncode == 0
                assert after["last_run"]["run_id"] != before["last_run"]["run_id"]
            # The next interaction shows exactly the live publish, on every page.
            status_page = load(page, "/tila")
            assert after["last_run"]["run_id"] in status_page
            overview = load(page, "/?group=jamsa-keuruu")
            assert built_text(after["built_at"]) in overview
        screenshot(page, "after-republish")
        browser.close()
    assert len(loads) >= 10
