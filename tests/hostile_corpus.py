"""The hostile corpus (issue 17.5) and a demo warehouse whose outside text carries it.

Every string here is something Sotkanet, a survey file or a person could send: Markdown
links and images, raw HTML, `javascript:` URLs, Vega expression text, spreadsheet formulas,
bidi and zero-width characters, terminal escapes and 10 kB strings.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.browser_support import copy_warehouse

HOSTILE = {
    "markdown link": "[klikkaa](javascript:alert(1))",
    "markdown image": "![pikseli](https://tracker.example.invalid/p.gif)",
    "raw html": "<img src=x onerror=alert(2)><script>alert(3)</script></script>",
    "html link": "<a href='https://example.invalid/'>linkki</a> <b>lihava</b>",
    "bidi override": "Jyv\u202eäskylä\u202c",
    "zero width": "Luhan\u200bka\u2060\ufeff",
    "terminal escape": "\x1b[31mpunainen\x1b[0m\x07",
    "vega expression": "{\"signal\": \"alert(4)\"} datum.x || warn('x') ${alert(5)}",
    "formula": "=HYPERLINK(\"https://example.invalid?\"&A1,\"klikkaa\")",
    "formula plus": "+cmd|' /C calc'!A0",
    "separators": "a;b\r\nc\"d",
    "long": "x" * 10_000,
}

# Characters no output may pass on (they reorder or hide what a reader sees).
INVISIBLE = "\u202e\u202c\u200b\u2060\ufeff\x1b\x07"
# On screen the Markdown escape puts its own zero-width space into "://", "www." and "@"
# (GFM would link them otherwise: dashboard.ui.markup); the rest must never show.
INVISIBLE_ON_SCREEN = INVISIBLE.replace("\u200b", "")

# Text columns of the indicator table that come from Sotkanet (short_fi, the card's name,
# is our own catalogue's: data/indicators.toml).
INDICATOR_TEXT = ("title_fi", "producer", "description_fi", "interpretation_fi",
                  "limits_fi", "notices_fi")
# Municipalities whose names carry the corpus (Sotkanet ids): Luhanka, Joutsa, Toivakka,
# Jyväskylä, Jämsä.
HOSTILE_REGIONS = {208: ("raw html", "markdown link"), 78: ("vega expression",),
                   387: ("long",), 85: ("bidi override",), 88: ("zero width", "formula")}


def hostile_warehouse(source: Path, folder: Path) -> Path:
    """A copy of `source` whose indicator texts and some municipality names carry the corpus.

    Indicators take the kinds in turn (so every kind reaches every kind of output) and keep
    their own text after the payload, so a reader can still tell them apart.
    """
    live = copy_warehouse(source, folder)
    kinds = list(HOSTILE.values())
    con = duckdb.connect(str(live))
    try:
        ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicator "
                                         "ORDER BY sort_order").fetchall()]
        for i, indicator_id in enumerate(ids):
            payload = kinds[i % len(kinds)]
            sets = ", ".join(f"{c} = ? || ' ' || coalesce({c}, '')" for c in INDICATOR_TEXT)
            con.execute(f"UPDATE indicator SET {sets} WHERE indicator_id = ?",
                        [payload] * len(INDICATOR_TEXT) + [indicator_id])
        for region_id, region_kinds in HOSTILE_REGIONS.items():
            payload = " ".join(HOSTILE[k] for k in region_kinds)
            con.execute("UPDATE region SET name_fi = ? || ' ' || name_fi WHERE region_id = ?",
                        [payload, region_id])
    finally:
        con.close()
    return live
