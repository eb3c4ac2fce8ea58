"""Cost per view, against a trivial Streamlit page served with the same flags in the same run.

    python -m benchmarks.load --views 5 [--room 50] [--json out.json]

Serves the demo warehouse with `hyte serve` and benchmarks/trivial_app.py (five lines of
st.write) through the same launcher and flags (pipelines.streamlit_main + streamlit_config.toml),
then, one view at a time so that each CPU delta belongs to one view:

- server CPU per view, new visitor (a fresh browser context: every JS/CSS asset fetched)
  and warm (the same context again: assets cached, a new Streamlit session), read from the
  server's process tree (/proc/<pid>/stat utime+stime), not wall time, so the browser's own
  CPU does not count;
- websocket bytes until the first priority (other pages: the title) is visible, counted
  from Playwright's framereceived events (payloads after permessage-deflate: what the
  protocol carries, not what the wire carries), with a deflate estimate of the wire
  (zlib level 6 over those payloads: the browser's side cannot see the compressed frames);
- time to visible (the first priority's header) and to rendered (script finished, every
  chart drawn);
- the room: N new visitors opening the room link (the static page) within 10 s, plain
  HTTP GETs from a thread pool (no browser: a phone fetches one file), against the same
  number of GETs of a plain 1 kB static file served by the same server.

Views are sequential, so the ratios within one run are the figures (the machine may be
loaded; both sides of every ratio saw the same load).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = ROOT / "benchmarks" / "trivial_app.py"
GROUP = "jamsa-keuruu"
# (name, path, selector visible when the page's first content is there)
PAGES = [
    ("trivial", "/", "h1"),
    ("overview", f"/?group={GROUP}", 'h2:has-text("Mielen hyvinvointi")'),
    ("compare", f"/vertaile?group={GROUP}", "h1"),
    ("explorer", "/indikaattorit", "h1"),
    ("presenter", f"/esitys?group={GROUP}&slide=2", "h1"),
]
TARGETS = {"overview": 2.5, "compare": 1.5, "explorer": 1.5, "presenter": 1.5}
WS_FIRST_PAINT_KB = 100
ROOM_CPU_S = 5.0
SETTLE_S = 0.6  # after a view, let the server finish (GC, session cleanup) before reading CPU


class TrivialServer:
    """benchmarks/trivial_app.py through the same launcher and flags as `hyte serve`."""

    def __init__(self, folder: Path):
        from tests.browser_support import AppServer, free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"trivial-{self.port}.log"
        self._shell = AppServer(folder / "unused.duckdb", self.port)

    def start(self, timeout: float = 60) -> TrivialServer:
        from pipelines import serve

        flags = serve.config_flags(overrides={"server.port": self.port,
                                              "server.address": "127.0.0.1"})
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipelines.streamlit_main", "run", str(TRIVIAL), *flags],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._shell.proc = self.proc
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"trivial server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("trivial server did not answer")

    def cpu_seconds(self) -> float:
        return self._shell.cpu_seconds()

    def stop(self) -> None:
        self._shell.stop()


async def one_view(context, server, url: str, selector: str) -> dict:
    from benchmarks.load import rendered
    from tests.browser_support import ScriptWatch

    page = await context.new_page()
    frames: list[tuple[float, bytes]] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append((time.perf_counter(),
                                                  p if isinstance(p, bytes) else p.encode()))))
    watch = ScriptWatch(page)
    await asyncio.sleep(SETTLE_S)
    cpu0 = server.cpu_seconds()
    started = time.perf_counter()
    await page.goto(url, timeout=120_000)
    await page.wait_for_selector(selector, state="visible", timeout=120_000)
    visible_at = time.perf_counter()
    await rendered(page, watch)
    done_at = time.perf_counter()
    errors = await page.locator('[data-testid="stException"]').count()
    await page.close()
    await asyncio.sleep(SETTLE_S)
    first = [p for t, p in frames if t <= visible_at]
    idle = (time.perf_counter() - started) * idle_cpu_per_s(server)
    return {"cpu_s": max(0.0, server.cpu_seconds() - cpu0 - idle),
            "ws_bytes_to_visible": sum(len(p) for p in first),
            "ws_deflate_to_visible": len(zlib.compress(b"".join(first), 6)) if first else 0,
            "ws_bytes_total": sum(len(p) for _t, p in frames),
            "visible_s": visible_at - started, "rendered_s": done_at - started,
            "errors": errors}


_IDLE: dict[int, float] = {}


def idle_cpu_per_s(server) -> float:
    return _IDLE.get(id(server), 0.0)


def measure_idle(server, seconds: float = 2.0) -> None:
    """The server's own CPU per second while nobody looks (pings, timers): subtracted."""
    cpu0 = server.cpu_seconds()
    time.sleep(seconds)
    _IDLE[id(server)] = max(0.0, (server.cpu_seconds() - cpu0) / seconds)


async def page_views(servers: dict, repeats: int) -> dict:
    from playwright.async_api import async_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    out = {name: {"new": [], "warm": []} for name, _p, _s in PAGES}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, selector in PAGES:  # warm-up: imports, caches of every page
            server = servers["trivial" if name == "trivial" else "app"]
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await one_view(context, server, server.url + path, selector)
            await context.close()
        for _ in range(repeats):
            for name, path, selector in PAGES:  # interleaved: the same load hits each page
                server = servers["trivial" if name == "trivial" else "app"]
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                out[name]["new"].append(await one_view(context, server, server.url + path,
                                                       selector))
                out[name]["warm"].append(await one_view(context, server, server.url + path,
                                                        selector))
                await context.close()
        await browser.close()
    return out


def room(url: str, visitors: int, window_s: float, server) -> dict:
    """`visitors` GETs of `url` spread over `window_s` seconds; errors, latency, server CPU."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    sizes = []
    t0 = time.perf_counter()

    def visit(i: int) -> None:
        delay = t0 + i * window_s / visitors - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        started = time.perf_counter()
        try:
            request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
            with urllib.request.urlopen(request, timeout=30) as r:
                body = r.read()
                ok = r.status == 200
        except OSError as exc:
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return
        with lock:
            if ok:
                latencies.append(time.perf_counter() - started)
                sizes.append(len(body))
            else:
                errors.append("status")

    time.sleep(SETTLE_S)
    cpu0 = server.cpu_seconds()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(visit, range(visitors)))
    wall = time.perf_counter() - t0
    time.sleep(SETTLE_S)
    cpu = server.cpu_seconds() - cpu0 - (wall + 2 * SETTLE_S) * idle_cpu_per_s(server)
    ordered = sorted(latencies)
    return {"visitors": visitors, "ok": len(latencies), "errors": len(errors),
            "error_samples": errors[:3], "wall_s": wall, "server_cpu_s": max(0.0, cpu),
            "bytes_each": sizes[0] if sizes else 0,
            "p50_s": statistics.median(ordered) if ordered else None,
            "p95_s": ordered[max(0, int(0.95 * len(ordered)) - 1)] if ordered else None}


def median(xs):
    return float(statistics.median(xs)) if xs else None


def summarise(views: dict, rooms: dict) -> dict:
    def med(name, kind, key):
        return median([v[key] for v in views[name][kind]])

    base = {k: med("trivial", k, "cpu_s") for k in ("new", "warm")}
    base_visible = med("trivial", "new", "visible_s")
    pages = {}
    for name, _p, _s in PAGES:
        row = {f"{kind}_{key}": med(name, kind, key) for kind in ("new", "warm")
               for key in ("cpu_s", "ws_bytes_to_visible",
                           "ws_deflate_to_visible", "ws_bytes_total", "visible_s",
                           "rendered_s")}
        row["errors"] = sum(v["errors"] for k in ("new", "warm") for v in views[name][k])
        for kind in ("new", "warm"):
            row[f"{kind}_cpu_ratio"] = (row[f"{kind}_cpu_s"] / base[kind]
                                        if base[kind] else None)
        row["visible_ratio"] = row["new_visible_s"] / base_visible if base_visible else None
        if name in TARGETS:
            row["target_warm_ratio"] = TARGETS[name]
            row["met_warm"] = row["warm_cpu_ratio"] is not None and \
                row["warm_cpu_ratio"] <= TARGETS[name]
        pages[name] = row
    ov = pages["overview"]
    ov["met_ws_first_paint"] = ov["new_ws_bytes_to_visible"] <= WS_FIRST_PAINT_KB * 1000
    out = {"pages": pages, "room": rooms}
    if rooms:
        r, plain = rooms["room"], rooms["plain"]
        r["cpu_ratio_vs_plain"] = (r["server_cpu_s"] / plain["server_cpu_s"]
                                   if plain["server_cpu_s"] else None)
        r["met"] = r["errors"] == 0 and r["server_cpu_s"] <= ROOM_CPU_S
        r["live_estimate_cpu_s"] = ov["new_cpu_s"] * r["visitors"]
    return out


def table(result: dict) -> str:
    p = result["pages"]
    lines = ["| page | warm CPU s | vs trivial | new-visitor CPU s | vs trivial | ws kB to "
             "visible (deflate est.) | ws kB total | visible s | vs trivial | target | met |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for name, row in p.items():
        target = (f"warm ≤ {row['target_warm_ratio']}×" if "target_warm_ratio" in row else "")
        met = "" if "met_warm" not in row else ("yes" if row["met_warm"] else "**NO**")
        if name == "overview":
            target += f"; ws ≤ {WS_FIRST_PAINT_KB} kB"
            met += "; " + ("yes" if row["met_ws_first_paint"] else "**NO**")
        lines.append(
            f"| {name} | {row['warm_cpu_s']:.3f} | {row['warm_cpu_ratio']:.2f}× | "
            f"{row['new_cpu_s']:.3f} | {row['new_cpu_ratio']:.2f}× | "
            f"{row['new_ws_bytes_to_visible'] / 1000:.0f} ({row['new_ws_deflate_to_visible'] / 1000:.0f}) | "
            f"{row['new_ws_bytes_total'] / 1000:.0f} | {row['new_visible_s']:.2f} | "
            f"{row['visible_ratio']:.2f}× | {target} | {met} |")
    if result["room"]:
        r, plain = result["room"]["room"], result["room"]["plain"]
        lines += ["", "| the room | visitors | errors | server CPU s total | vs plain file | "
                  "p50 s | p95 s | bytes each | target | met |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for label, x in (("room link (static page)", r), ("plain static file", plain)):
            ratio = f"{x['cpu_ratio_vs_plain']:.2f}×" if x.get("cpu_ratio_vs_plain") else ""
            tgt = f"≤ {ROOM_CPU_S} s, 0 errors" if x is r else ""
            met = ("yes" if r["met"] else "**NO**") if x is r else ""
            lines.append(f"| {label} | {x['visitors']} | {x['errors']} | "
                         f"{x['server_cpu_s']:.2f} | {ratio} | {x['p50_s'] or 0:.3f} | "
                         f"{x['p95_s'] or 0:.3f} | {x['bytes_each']:,} | {tgt} | {met} |")
        lines.append(f"\n(the same room on the live overview: about "
                     f"{r['live_estimate_cpu_s']:.1f} s of server CPU = {r['visitors']} × "
                     "the new-visitor figure above)")
    return "\n".join(lines)


def run(repeats: int, visitors: int, window_s: float = 10.0) -> dict:
    """Build the demo warehouse and its room site, serve both apps, measure."""
    import tempfile

    from dashboard.reports import room_site
    from tests.browser_support import AppServer
    from tests.warehouse_fixtures import build_demo

    folder = Path(tempfile.mkdtemp(prefix="hyte-views-"))
    live = build_demo(folder / "warehouse.duckdb")  # HYTE_SITE_DIR=off (load.main)
    room_site.build(live, room_site.STATIC)
    plain = room_site.STATIC / "bench-plain.html"
    plain.write_text("<!DOCTYPE html><title>x</title>" + "x" * 1000)
    app = AppServer(live).start()
    trivial = TrivialServer(folder).start()
    try:
        measure_idle(app)
        measure_idle(trivial)
        views = asyncio.run(page_views({"app": app, "trivial": trivial}, repeats))
        rooms = {}
        if visitors:
            page = f"{app.url}/app/static/{room_site.LINK}/{room_site.group_page(GROUP)}"
            rooms["plain"] = room(f"{app.url}/app/static/{plain.name}", visitors, window_s, app)
            rooms["room"] = room(page, visitors, window_s, app)
    finally:
        app.stop()
        trivial.stop()
        plain.unlink(missing_ok=True)
    result = summarise(views, rooms)
    result["raw"] = views
    result["idle_cpu_per_s"] = {"app": idle_cpu_per_s(app), "trivial": idle_cpu_per_s(trivial)}
    result["repeats"] = repeats
    return result
