"""Load: N concurrent browser sessions on the group overview, each switching groups.

    python -m benchmarks.load [--sessions 20] [--switches 3] [--url http://127.0.0.1:8501]
    python -m benchmarks.load --soak 1000 [--browsers 3] [--gc-compare]
    python -m benchmarks.load --views 5 [--room 50]    (cost per view: benchmarks/views.py)

`--soak N` is the long day: N page views in total from a few browsers (each its own
context, so its own Streamlit session) cycling through the pages and groups, with the
server's resident memory sampled after every view; it prints the memory at each tenth of
the run and whether it plateaued (the second half's peak within 10 % of the first half's),
and fails on errors or on growth without a plateau.

Without --url it serves a demo warehouse itself (`hyte serve` on a free loopback port).
Reports errors, p50/p95 time until the page's content is visible, the server's peak
memory, and where the CPU went: the server's CPU seconds per page load against the whole
machine's busy CPU seconds. On one small machine the headless browsers compete with the
server for the same cores, so the times are an upper bound; the server's CPU per page load
is the capacity figure (Streamlit runs scripts in threads of one Python process).
Traffic goes to loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

GROUPS = ["joutsa-luhanka-toivakka", "jyvaskyla-muurame", "jamsa-keuruu",
          "saarijarvi-karstula", "viitasaari-pihtipudas", "aanekoski-laukaa"]
SESSION_TIMEOUT_S = 120


async def rendered(page, watch, timeout_s: float = SESSION_TIMEOUT_S) -> int:
    """Until the script run finished (its websocket says so) and every chart it sent drew."""
    from tests.browser_support import DRAWN_AT_LEAST_JS

    deadline = time.monotonic() + timeout_s
    while not watch.finished:
        if time.monotonic() > deadline:
            raise TimeoutError(f"script did not finish within {timeout_s} s")
        await page.wait_for_timeout(50)
    left = max(1.0, deadline - time.monotonic()) * 1000
    await page.wait_for_function(DRAWN_AT_LEAST_JS, arg=len(watch.charts), timeout=left)
    return len(watch.charts)


async def session(browser, base: str, index: int, switches: int, timings: list, errors: list):
    from tests.browser_support import ScriptWatch

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    watch = ScriptWatch(page)
    page_errors = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        for step in range(switches + 1):
            group = GROUPS[(index + step) % len(GROUPS)]
            started = time.perf_counter()
            watch.reset()
            await page.goto(f"{base}/?group={group}", timeout=SESSION_TIMEOUT_S * 1000)
            await rendered(page, watch)
            visible = time.perf_counter() - started
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"session {index} step {step}: exception element on the page")
            elif await page.locator("text=Keskeiset ilmiöt").count() == 0:
                errors.append(f"session {index} step {step}: overview content missing")
            else:
                timings.append(visible)
    except Exception as exc:  # noqa: BLE001 - every failure is a counted error here
        errors.append(f"session {index}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        errors.extend(f"session {index}: page error {e}" for e in page_errors)
        await context.close()


async def run(base: str, sessions: int, switches: int) -> dict:
    from playwright.async_api import async_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        await asyncio.gather(*(session(browser, base, i, switches, timings, errors)
                               for i in range(sessions)))
        wall = time.perf_counter() - started
        await browser.close()
    ordered = sorted(timings)
    return {
        "sessions": sessions, "page_loads": sessions * (switches + 1), "ok": len(timings),
        "errors": len(errors), "error_samples": errors[:5], "wall_s": round(wall, 2),
        "p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "p95_s": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 3) if ordered else None,
        "max_s": round(ordered[-1], 3) if ordered else None,
    }


def machine_busy_seconds() -> float:
    """Busy (non-idle, non-iowait) CPU seconds of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.running = server, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.server.rss_bytes())
            time.sleep(0.2)


SOAK_PAGES = ["/?group={group}", "/vertaile?group={group}", "/indikaattorit",
              "/esitys?group={group}&slide=2", "/tila"]


async def soak(base: str, views: int, browsers: int, sample) -> dict:
    """`views` page views from `browsers` sessions; `sample()` after each view -> RSS bytes."""
    from playwright.async_api import async_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, ScriptWatch

    samples: list[tuple[int, float, int]] = []  # (views done, seconds, server RSS bytes)
    errors: list[str] = []
    done = 0
    started = time.perf_counter()
    lock = asyncio.Lock()

    async def one(index: int):
        nonlocal done
        context = await chromium.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        watch = ScriptWatch(page)
        step = 0
        try:
            while True:
                async with lock:
                    if done >= views:
                        return
                    done += 1
                    number = done
                path = SOAK_PAGES[(index + step) % len(SOAK_PAGES)].format(
                    group=GROUPS[(index + step // len(SOAK_PAGES)) % len(GROUPS)])
                step += 1
                try:
                    watch.reset()
                    await page.goto(base + path, timeout=SESSION_TIMEOUT_S * 1000)
                    await rendered(page, watch)
                    if await page.locator('[data-testid="stException"]').count():
                        errors.append(f"view {number} {path}: exception on the page")
                except Exception as exc:  # noqa: BLE001 - counted
                    errors.append(f"view {number} {path}: {type(exc).__name__}: "
                                  f"{str(exc).splitlines()[0][:200]}")
                samples.append((number, time.perf_counter() - started, sample()))
        finally:
            await context.close()

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await asyncio.gather(*(one(i) for i in range(browsers)))
        await chromium.close()
    samples.sort()
    return {"views": views, "browsers": browsers, "errors": len(errors),
            "error_samples": errors[:5], "wall_s": round(time.perf_counter() - started, 1),
            **plateau(samples)}


def plateau(samples: list[tuple[int, float, int]]) -> dict:
    """Memory at each tenth of the run (the peak within it), and whether it levelled off.

    Plateau: the second half's peak stays within 10 % of the first half's peak (a leak
    keeps climbing past it); the rise within the second half (fifth to last tenth) is
    reported beside it.
    """
    if len(samples) < 10:
        return {"rss_mb_by_tenth": [round(s[2] / 2**20, 1) for s in samples],
                "plateau": None, "second_half_growth_pct": None}
    n = len(samples)
    tenths = [samples[max(0, (n * k) // 10 - 1)] for k in range(1, 11)]
    peak = [max(s[2] for s in samples[(n * (k - 1)) // 10:(n * k) // 10]) for k in range(1, 11)]
    first, second = max(peak[:5]), max(peak[5:])
    growth = (second - first) / first * 100
    return {"rss_mb_by_tenth": [round(p / 2**20, 1) for p in peak],
            "seconds_by_tenth": [round(t[1], 1) for t in tenths],
            "rss_mb_first_view": round(samples[0][2] / 2**20, 1),
            "rss_mb_peak": round(max(s[2] for s in samples) / 2**20, 1),
            "first_half_peak_mb": round(first / 2**20, 1),
            "second_half_peak_mb": round(second / 2**20, 1),
            "second_half_growth_pct": round(growth, 1),
            "rise_within_second_half_pct": round((peak[9] - peak[4]) / peak[4] * 100, 1),
            "plateau": growth < 10}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[20],
                    help="concurrent browser sessions; several values run one after another")
    ap.add_argument("--switches", type=int, default=3, help="group switches per session")
    ap.add_argument("--url", default=None, help="an already running app (loopback only)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--soak", type=int, default=None, metavar="VIEWS",
                    help="the long day instead: this many page views in total, memory sampled")
    ap.add_argument("--browsers", type=int, default=3, help="with --soak: sessions at once")
    ap.add_argument("--gc-compare", action="store_true",
                    help="with --soak: the soak twice, runner.postScriptGC on and off")
    ap.add_argument("--views", type=int, default=None, metavar="REPEATS",
                    help="cost per view of each page against a trivial page (benchmarks/views.py)")
    ap.add_argument("--room", type=int, default=50, metavar="VISITORS",
                    help="with --views: visitors opening the room link within 10 s (0: none)")
    args = ap.parse_args(argv)
    # The demo warehouses built here need no room site (views.run builds its own, served).
    os.environ.setdefault("HYTE_SITE_DIR", "off")
    if args.views is not None:
        return _views_main(args)
    if args.soak is not None and not (1 <= args.soak <= 100_000 and 1 <= args.browsers <= 20):
        print("load: --soak 1..100000 views, --browsers 1..20", file=sys.stderr)
        return 2

    from tests.browser_support import AppServer, require_chromium  # noqa: F401

    if args.soak is not None and args.gc_compare:
        return _gc_compare_main(args)
    server = None
    if args.url:
        if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
            print("load: --url must be a loopback address", file=sys.stderr)
            return 2
        base = args.url.rstrip("/")
    else:
        from tests.warehouse_fixtures import build_demo

        folder = Path(tempfile.mkdtemp(prefix="hyte-load-"))
        server = AppServer(build_demo(folder / "warehouse.duckdb")).start()
        base = server.url
    if args.soak is not None:
        return _soak_main(args, server, base)
    results = []
    try:
        for n in args.sessions:
            sampler = MemorySampler(server) if server else None
            if sampler:
                sampler.start()
            cpu0, busy0 = (server.cpu_seconds() if server else 0.0), machine_busy_seconds()
            result = asyncio.run(run(base, n, args.switches))
            busy = machine_busy_seconds() - busy0
            result["machine_busy_cpu_s"] = round(busy, 1)
            if sampler:
                sampler.running = False
                sampler.join()
                result["server_peak_rss_mb"] = round(sampler.peak / 2**20, 1)
                server_cpu = server.cpu_seconds() - cpu0
                result["server_cpu_s"] = round(server_cpu, 1)
                result["server_cpu_per_load_s"] = round(server_cpu / result["page_loads"], 3)
                result["server_cpu_share"] = round(server_cpu / busy, 2) if busy else None
            results.append(result)
    finally:
        if server:
            server.stop()
    print(f"{'sessions':>8} {'loads':>6} {'errors':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} "
          f"{'wall s':>7} {'server MB':>9} {'srv CPU/load s':>14} {'srv share':>9}")
    for r in results:
        print(f"{r['sessions']:>8} {r['page_loads']:>6} {r['errors']:>6} {r['p50_s']!s:>7} "
              f"{r['p95_s']!s:>7} {r['max_s']!s:>7} {r['wall_s']:>7} "
              f"{r.get('server_peak_rss_mb', '–')!s:>9} {r.get('server_cpu_per_load_s', '–')!s:>14} "
              f"{r.get('server_cpu_share', '–')!s:>9}")
        for sample in r["error_samples"]:
            print(f"  error: {sample}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if any(r["errors"] for r in results) else 0


def _soak_main(args, server, base: str) -> int:
    try:
        result = asyncio.run(soak(base, args.soak, args.browsers,
                                  server.rss_bytes if server else lambda: 0))
    finally:
        if server:
            server.stop()
    print(f"soak: {result['views']} views from {result['browsers']} browsers in "
          f"{result['wall_s']} s, {result['errors']} errors")
    print("server RSS MB at each tenth: " + " ".join(str(v) for v in result["rss_mb_by_tenth"]))
    if result["plateau"] is not None:
        print(f"peak {result['first_half_peak_mb']} MB in the first half, "
              f"{result['second_half_peak_mb']} MB in the second "
              f"({result['second_half_growth_pct']:+} %; within the second half "
              f"{result['rise_within_second_half_pct']:+} %): "
              + ("plateau" if result["plateau"] else "NO plateau"))
    for sample in result["error_samples"]:
        print(f"  error: {sample}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 1 if result["errors"] or result["plateau"] is False else 0


def _views_main(args) -> int:
    from benchmarks import views

    if not (1 <= args.views <= 100 and 0 <= args.room <= 1000):
        print("load: --views 1..100, --room 0..1000", file=sys.stderr)
        return 2
    result = views.run(args.views, args.room)
    print(f"cost per view: medians of {args.views} views per page, each ratio against the "
          "trivial page in the same run")
    print(views.table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    errors = sum(r["errors"] for r in result["pages"].values()) + (
        result["room"]["room"]["errors"] if result["room"] else 0)
    return 1 if errors else 0


def _gc_compare_main(args) -> int:
    """The same soak against a server with runner.postScriptGC on, then one with it off."""
    from tests.browser_support import AppServer
    from tests.warehouse_fixtures import build_demo

    folder = Path(tempfile.mkdtemp(prefix="hyte-gc-"))
    live = build_demo(folder / "warehouse.duckdb")
    results = {}
    for flag in ("true", "false"):
        old = os.environ.get("STREAMLIT_RUNNER_POST_SCRIPT_GC")
        os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = flag
        try:
            server = AppServer(live).start()
        finally:
            if old is None:
                os.environ.pop("STREAMLIT_RUNNER_POST_SCRIPT_GC")
            else:
                os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = old
        try:
            cpu0 = server.cpu_seconds()
            result = asyncio.run(soak(server.url, args.soak, args.browsers, server.rss_bytes))
            result["server_cpu_s"] = round(server.cpu_seconds() - cpu0, 1)
            result["server_cpu_per_view_s"] = round(result["server_cpu_s"] / args.soak, 3)
        finally:
            server.stop()
        results[f"postScriptGC={flag}"] = result
    for label, r in results.items():
        print(f"{label}: {r['views']} views, {r['errors']} errors, {r['wall_s']} s, server CPU "
              f"{r['server_cpu_s']} s ({r['server_cpu_per_view_s']} s/view)")
        print("  RSS MB by tenth: " + " ".join(str(v) for v in r["rss_mb_by_tenth"]))
        if r["plateau"] is not None:
            print(f"  peak {r['rss_mb_peak']} MB; second half {r['second_half_growth_pct']:+} % "
                  f"vs first; within it {r['rise_within_second_half_pct']:+} %: "
                  + ("plateau" if r["plateau"] else "NO plateau"))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
