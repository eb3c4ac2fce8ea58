"""`python -m benchmarks` / `hyte bench`: national-scale speed with same-run baselines.

Builds a national demo warehouse (about 300 municipalities, every wellbeing area and
maakunta, Finland; 160 indicators, 2000-2025, three genders) and measures, as medians
over repeats after a warm-up, each step in its own process (so its peak memory is its
own): load against row-by-row INSERTs, overview compute against the bare SQL, full page
runs in AppTest, and storage against Parquet. Prints one table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "artifacts" / "bench.json"

# name: (size, indicators, first year, last year, repeats, naive sample rows, page repeats,
#        groups measured (None = all six; the national comparison always))
PRESETS = {
    "full": ("finland", 160, 2000, 2025, 5, 5_000, 3, None),
    "quick": ("finland", 60, 2016, 2025, 3, 2_000, 1, 2),
    "tiny": ("county", 45, 2021, 2024, 1, 500, 1, 1),
}
STEP_ORDER = ("load", "compute", "page", "storage")


def parse(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="smaller national run (60 indicators, 2016-2025), about a minute")
    mode.add_argument("--tiny", action="store_true",
                      help="county-size smoke run for the test suite (seconds)")
    mode.add_argument("--national", action="store_true",
                      help="the whole Sotkanet catalogue instead (benchmarks/national.py; "
                           "its own options, e.g. --scale 0.25)")
    ap.add_argument("--size", choices=["county", "finland"])
    ap.add_argument("--indicators", type=int, help="catalogue size, padded with synthetic ones")
    ap.add_argument("--first-year", type=int)
    ap.add_argument("--last-year", type=int)
    ap.add_argument("--repeats", type=int, help="timed repeats per figure (after a warm-up)")
    ap.add_argument("--naive-rows", type=int, help="rows in the naive-INSERT sample")
    ap.add_argument("--page-repeats", type=int, help="AppTest runs per page")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON,
                    help=f"where to write the results (default {DEFAULT_JSON.relative_to(ROOT)})")
    ap.add_argument("--workdir", type=Path,
                    help="where to build the warehouse (default: a temporary directory, removed)")
    return ap.parse_args(argv)


def params_from(args: argparse.Namespace) -> dict:
    preset = "tiny" if args.tiny else "quick" if args.quick else "full"
    size, inds, first, last, repeats, naive, pages, groups = PRESETS[preset]
    return {
        "preset": preset,
        "size": args.size or size,
        "indicators": args.indicators or inds,
        "first_year": args.first_year or first,
        "last_year": args.last_year or last,
        "repeats": max(1, args.repeats or repeats),
        "naive_rows": max(1, args.naive_rows or naive),
        "page_repeats": max(1, args.page_repeats or pages),
        "groups": groups,
    }


def run_step(step: str, params: dict, workdir: Path) -> dict:
    """One step in a child process; its peak RSS comes from the kernel via wait4."""
    params_path = workdir / f"{step}-params.json"
    out_path = workdir / f"{step}-out.json"
    params_path.write_text(json.dumps(params))
    print(f"[bench] {step} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.steps", step, str(params_path),
                             str(out_path)], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step {step!r} failed (exit {proc.returncode})")
    result = json.loads(out_path.read_text())
    result["peak_rss_bytes"] = usage.ru_maxrss * 1024  # Linux reports KiB
    result["step_wall_s"] = wall
    print(f"[bench] {step} done in {wall:.1f} s", file=sys.stderr, flush=True)
    return result


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "processor": _cpu_model(),
        "python": platform.python_version(),
        "duckdb": _version("duckdb"), "pandas": _version("pandas"),
        "streamlit": _version("streamlit"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--national" in argv:  # the whole catalogue at national scale (benchmarks/national.py)
        from benchmarks import national

        return national.main([a for a in argv if a != "--national"])
    args = parse(argv)
    params = params_from(args)
    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="hyte-bench-")) if own_workdir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    try:
        params["workdir"] = str(workdir)
        steps = {"load": run_step("load", params, workdir)}
        params["warehouse"] = steps["load"]["warehouse"]
        for step in STEP_ORDER[1:]:
            steps[step] = run_step(step, params, workdir)
    except RuntimeError as exc:
        print(f"hyte bench: {exc}; the finished steps' output is in {workdir}", file=sys.stderr)
        return 1
    if own_workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    results = {
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "params": {k: v for k, v in params.items() if k not in ("workdir", "warehouse")},
        "steps": steps,
    }
    results["targets"] = report.targets(results)
    results["figures"] = report.figures(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(report.table(results))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
