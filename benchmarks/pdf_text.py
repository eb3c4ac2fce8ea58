"""`python -m benchmarks.pdf_text`: the one-page PDF's time against the length of its texts.

An 8,400-character indicator name once took ~15 s and 32,000 characters 175 s (the
table cell was fitted one letter at a time, each time measuring the whole string). Two
cases, each as medians over repeats with the 50-character run of the same case as the
baseline (ratio):
- "from the warehouse": names of every indicator set to N characters in a copy of the demo
  warehouse, exported as `hyte export` does (data.py cuts outside texts before layout);
- "layout only": the same briefing with its rows' names set to N characters after reading,
  so the PDF layout itself meets the long text (no cut): its time must grow at most
  linearly with N.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from dashboard import data
from dashboard.i18n import names
from dashboard.reports import assemble, export

LENGTHS = (50, 1_000, 8_400, 32_000)
GROUP = "jamsa-keuruu"


def _median_seconds(fn, repeats: int) -> float:
    times = []
    for _i in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.pdf_text")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    from pipelines import demo, warehouse
    from pipelines.config import load_config

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "demo.duckdb"
        config = load_config(root / "data")
        warehouse.publish(warehouse.build(demo.generate(config, "county"), config, base), base)
        rows = []
        for n in LENGTHS:
            live = Path(tmp) / f"w{n}.duckdb"
            shutil.copy(base, live)
            con = duckdb.connect(str(live))
            con.execute("UPDATE indicator SET short_fi = rpad(short_fi, ?, ' pitkä'), "
                        "title_fi = rpad(title_fi, ?, ' pitkä')", [n, n])
            con.close()
            version = f"bench-{n}"
            import os
            os.environ["HYTE_WAREHOUSE"] = str(live)
            cat = names.localize(data.catalogue(data.version()), "fi")
            b = assemble.briefing_for(data.version(), GROUP, cat=cat)
            warehouse_s = _median_seconds(lambda b=b: export.pdf_bytes(b, "X"), args.repeats)
            for story in b.stories:
                story.rows = story.rows.assign(name=("pitkä nimi " * (n // 11 + 1))[:n])
            layout_s = _median_seconds(lambda b=b: export.pdf_bytes(b, "X"), args.repeats)
            rows.append((n, warehouse_s, layout_s))
            del version
    base_w, base_l = rows[0][1], rows[0][2]
    print(f"PDF export of {GROUP}, medians of {args.repeats}; ratio = against 50 characters")
    print("| name length | from the warehouse s | ratio | layout only s | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for n, w, lay in rows:
        print(f"| {n:,} | {w:.3f} | {w / base_w:.2f}× | {lay:.3f} | {lay / base_l:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
