"""Serving the real app (`hyte serve`) on a free loopback port, and Debian's Chromium for it.

Playwright cannot download its own browser here, so the tests launch /usr/bin/chromium;
where it is missing they are skipped with that reason (never a silent pass).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HYTE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`python -m pipelines serve` in its own process group, torn down with it."""

    def __init__(self, warehouse: Path, port: int | None = None):
        self.warehouse = warehouse
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = warehouse.parent / f"serve-{self.port}.log"

    def start(self, timeout: float = 60) -> AppServer:
        env = {**os.environ, "HYTE_WAREHOUSE": str(self.warehouse)}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipelines", "serve", "--port", str(self.port),
                 "--address", "127.0.0.1"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not answer within {timeout} s")

    def rss_bytes(self) -> int:
        """Resident memory of the server's process tree (Streamlit runs in a child)."""
        total = 0
        for pid in _tree(self.proc.pid):
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server's process tree."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in _tree(self.proc.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
        return total / ticks

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pids
    for child in children:
        pids += _tree(int(child))
    return pids


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                    "(`make test` installs it when run as root)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("browser tests need the playwright package")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_rendered(page, timeout_ms: int = 60_000) -> int:
    """The script run finished (as its websocket says) and every chart it sent has drawn.

    The page must come from new_page and be navigated with goto. Returns the number of
    charts the run sent.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    return watch_of(page).wait(page, timeout_ms)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def copy_warehouse(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "warehouse.duckdb"
    shutil.copy(source, target)
    return target



# True once at least n Vega charts on the page have drawn marks (a canvas or an SVG).
DRAWN_AT_LEAST_JS = ("n => [...document.querySelectorAll('.vega-embed')]"
                     ".filter(e => e.querySelector('canvas, svg.marks')).length >= n")


class ScriptWatch:
    """What the server's script sent a page, read off its websocket (Streamlit ForwardMsgs).

    `finished` is set when a script run ended successfully (not one cut short for a rerun);
    `charts` holds the delta paths of the Vega-Lite charts that run sent. The page is ready
    when the run finished and as many charts have drawn. Waiting for the charts that exist
    at one moment is not waiting for the page: compare and explore flaked when their
    second chart mounted after the first had drawn.
    """

    def __init__(self, page=None):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._ForwardMsg = ForwardMsg
        self._chart_hashes: set[str] = set()
        self.errors: list[str] = []
        self.reset()
        if page is not None:
            page.on("websocket", self.on_websocket)

    def reset(self) -> None:
        """Before a navigation: forget the previous page's run."""
        self.runs = 0
        self.finished = False
        self.charts: set[tuple[int, ...]] = set()

    def on_websocket(self, ws) -> None:
        ws.on("framereceived", self.on_frame)

    def on_frame(self, payload) -> None:
        if isinstance(payload, str):
            payload = payload.encode("latin-1")
        try:
            msg = self._ForwardMsg.FromString(payload)
        except Exception as exc:  # noqa: BLE001 - a frame we cannot read is recorded
            self.errors.append(repr(exc))
            return
        kind = msg.WhichOneof("type")
        path = tuple(msg.metadata.delta_path)
        if kind == "new_session":  # every script run starts with one
            self.runs += 1
            self.finished = False
            self.charts = set()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "vega_lite_chart":
                self.charts.add(path)
                if msg.hash:
                    self._chart_hashes.add(msg.hash)
            else:
                self.charts.discard(path)  # a chart replaced by another element
        elif kind == "ref_hash":  # a cached message the browser already holds
            if msg.ref_hash in self._chart_hashes:
                self.charts.add(path)
        elif kind == "script_finished":
            self.finished = self.runs > 0 and msg.script_finished in (
                self._ForwardMsg.FINISHED_SUCCESSFULLY,
                self._ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)

    def wait(self, page, timeout_ms: int = 60_000) -> int:
        """Until the script run finished and every chart it sent has drawn; the count."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not self.finished:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the script did not finish within {timeout_ms} ms "
                                   f"(runs seen: {self.runs}, frame errors: {self.errors[:2]})")
            page.wait_for_timeout(50)  # lets Playwright deliver the websocket frames
        expected = len(self.charts)
        left = max(1000, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(DRAWN_AT_LEAST_JS, arg=expected, timeout=left)
        page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=left)
        return expected


_WATCHES: dict[int, ScriptWatch] = {}


def new_page(browser, **kwargs):
    """browser.new_page(**kwargs) (or a context's), watched: see goto and wait_rendered."""
    page = browser.new_page(**kwargs)
    _WATCHES[id(page)] = ScriptWatch(page)
    page.on("close", lambda _p: _WATCHES.pop(id(page), None))
    return page


def watch_of(page) -> ScriptWatch:
    try:
        return _WATCHES[id(page)]
    except KeyError:
        raise RuntimeError("open pages with tests.browser_support.new_page, so that "
                           "wait_rendered can wait for what the script sent") from None


def goto(page, url: str, **kwargs):
    """Navigate a watched page (its previous run forgotten first)."""
    watch_of(page).reset()
    return page.goto(url, **kwargs)


def expect_run(page) -> None:
    """Before an interaction that reruns the script: wait_rendered then waits for that run."""
    watch = watch_of(page)
    watch.finished = False
