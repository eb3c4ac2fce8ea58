"""The hostile corpus through every file a user can take away (issue 17.5).

The same exports are made from the demo warehouse and from a copy whose outside text carries
the corpus (tests/hostile_corpus.py). What the hostile text may change is text; what it must
not change is structure: the HTML's elements and attributes, the charts' expressions, the
PDF's links and page count, the files written. Downloads (CSV/Parquet) are read from the
pages' own buttons.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.reports import tables as dl
from tests.download_capture import downloads  # noqa: F401  (fixture)
from tests.hostile_corpus import HOSTILE, INVISIBLE, hostile_warehouse
from tests.warehouse_fixtures import ROOT

# Four exports and a deck in PNG: minutes on a busy 2-core machine.
pytestmark = pytest.mark.timeout(1200)

APP = str(ROOT / "dashboard" / "app.py")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GROUP = "joutsa-luhanka-toivakka"   # Luhanka, Joutsa and Toivakka carry hostile names
MUNICIPALITY = "850"                # Toivakka, whose name is 10 kB long


@pytest.fixture(scope="module")
def hostile(demo_warehouse, tmp_path_factory):
    return hostile_warehouse(demo_warehouse, tmp_path_factory.mktemp("hostile-exports"))


# kuntakortti-850-<the name in safe letters>.pdf: compared by the code alone
CARD_NAME = re.compile(r"^(kuntakortti-\d+)-.*?(\.\w+)$")


def export(warehouse, out, *args):
    env = {**os.environ, "HYTE_WAREHOUSE": str(warehouse)}
    result = subprocess.run([sys.executable, "-m", "pipelines", "export", *args, "--out",
                             str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def files(demo_warehouse, hostile, tmp_path_factory):
    """{"clean"|"hostile": {file name: bytes}} for group and card exports, html and pdf.

    PNGs are the slides' and charts' renderings: the slide test below draws every one."""
    made = {}
    for label, warehouse in (("clean", demo_warehouse), ("hostile", hostile)):
        out = tmp_path_factory.mktemp(f"out-{label}")
        group = export(warehouse, out / "group", "--group", GROUP, "--format", "html",
                       "--format", "pdf")
        card = export(warehouse, out / "card", "--municipality", MUNICIPALITY,
                      "--format", "html", "--format", "pdf")
        made[label] = {CARD_NAME.sub(r"\1\2", n): content
                       for n, content in {**group, **card}.items()}
        made["written"] = sorted({**group, **card})
    return made


class Structure(HTMLParser):
    """Elements, attribute names and link targets in document order; script bodies apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        kept = tuple((k, v) if k in ("href", "src", "action", "class", "id", "lang") else (k,)
                     for k, v in attrs)
        self.shape.append((tag, kept))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self.shape.append(("/" + tag,))
        self._in_script = False

    def handle_data(self, text):
        if self._in_script:
            self.scripts[-1] += text


def structure(html: bytes) -> Structure:
    parser = Structure()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser


EXPRESSION_KEYS = {"expr", "signal", "labelExpr", "test", "calculate", "filter", "update"}


def expressions(node, found=None) -> set[str]:
    """Every string a Vega/Vega-Lite spec evaluates as an expression."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key in EXPRESSION_KEYS and isinstance(value, str):
                found.add(value)
            expressions(value, found)
    elif isinstance(node, list):
        for item in node:
            expressions(item, found)
    return found


def specs_in(html: bytes) -> dict:
    scripts = structure(html).scripts
    payload = [m.group(1) for s in scripts for m in [re.search(r"const specs = (.*?);\n", s)] if m]
    assert len(payload) == 1, "the page embeds its charts' specs once"
    return json.loads(payload[0])


def names(files, suffix):
    return sorted(n for n in files if n.endswith(suffix))


SAFE_NAME = re.compile(r"^[a-z0-9_-]{1,120}\.(html|pdf|png)$")


def test_the_same_files_are_written_under_safe_names(files):
    """Card files carry the municipality's name: in safe letters and of bounded length."""
    assert sorted(files["clean"]) == sorted(files["hostile"])
    assert all(SAFE_NAME.match(n) for n in files["written"]), files["written"]
    assert len(names(files["hostile"], ".html")) == 2 and len(names(files["hostile"], ".pdf")) == 2


def test_html_has_the_clean_structure_and_shows_the_payload_as_text(files):
    for name in names(files["hostile"], ".html"):
        clean, bad = structure(files["clean"][name]), structure(files["hostile"][name])
        assert bad.shape == clean.shape, name
        text = files["hostile"][name].decode("utf-8")
        assert "&lt;img src=x onerror=alert(2)&gt;" in text, name
        assert not any(c in text for c in INVISIBLE), name


def test_chart_specs_evaluate_only_our_own_expressions(files):
    for name in names(files["hostile"], ".html"):
        clean, bad = specs_in(files["clean"][name]), specs_in(files["hostile"][name])
        assert sorted(bad) == sorted(clean), name
        for chart in bad:
            assert expressions(bad[chart]) == expressions(clean[chart]), (name, chart)
        dumped = json.dumps(bad)
        assert "alert(4)" in dumped, "the payload reached the charts as data"
        assert "\\u202e" not in dumped and "\\u200b" not in dumped


def links(pdf: bytes) -> list[str]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_pdf_keeps_its_pages_and_links_and_drops_invisible_characters(files):
    for name in names(files["hostile"], ".pdf"):
        clean = PdfReader(io.BytesIO(files["clean"][name]))
        bad = PdfReader(io.BytesIO(files["hostile"][name]))
        assert len(bad.pages) == len(clean.pages), name
        assert links(files["hostile"][name]) == links(files["clean"][name]), name
        text = "".join(p.extract_text() for p in bad.pages)
        assert not any(c in text for c in INVISIBLE), name
        assert "alert(2)" in text or "klikkaa" in text, f"{name}: the payload is shown as text"


# --- slides ------------------------------------------------------------------------------------


def deck_of(warehouse, monkeypatch):
    from datetime import date

    from dashboard.reports import assemble, slides

    monkeypatch.setenv("HYTE_WAREHOUSE", str(warehouse))
    b = assemble.briefing_for(data.version(), GROUP)
    return b, slides.build_deck(b, date(2026, 12, 1))


def slide_texts(slide) -> list[str]:
    return [slide.heading, slide.lead, *(t for pair in slide.facts + slide.notes for t in pair),
            *(p.text for p in slide.points)]


def test_every_slide_of_the_hostile_deck_renders_with_our_own_expressions(
        demo_warehouse, hostile, monkeypatch):
    from dashboard.reports import export, slides

    clean_b, clean_deck = deck_of(demo_warehouse, monkeypatch)
    b, deck = deck_of(hostile, monkeypatch)
    assert [s.kind for s in deck] == [s.kind for s in clean_deck]
    drawn = 0
    for slide, clean in zip(deck, clean_deck, strict=True):
        assert not any(c in t for t in slide_texts(slide) for c in INVISIBLE), slide.heading
        spec = slides.chart_spec(b, slide)
        if spec is None:
            continue
        assert expressions(spec) == expressions(slides.chart_spec(clean_b, clean)), slide.heading
        png = export.slide_png(b, slide)
        assert png is not None and png.startswith(PNG_MAGIC), slide.heading
        drawn += 1
    assert drawn >= 3
    assert any("alert(" in t for s in deck for t in slide_texts(s)), "the payload is on a slide"


# --- downloads from the pages ------------------------------------------------------------------


def open_page(page, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


@pytest.fixture
def hostile_env(hostile, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("HYTE_WAREHOUSE", str(hostile))
    st.cache_data.clear()
    yield hostile
    st.cache_data.clear()


def assert_inert_csv(raw: bytes):
    text = raw.decode("utf-8-sig")
    first, _sep, body = text.partition("\r\n")
    assert "\n" not in first and "\r" not in first
    assert not any(c in text for c in INVISIBLE)
    cells = pd.read_csv(io.StringIO(body), sep=";", dtype=str, keep_default_na=False)
    for col in cells.columns:
        for value in cells[col]:
            assert not value.startswith(dl.FORMULA_START), (col, value)
    source, frame = dl.read_csv(raw)
    return source, frame


@pytest.mark.parametrize("page, query", [
    ("views/compare.py", {"group": GROUP, "priority": "mental_wellbeing"}),
    ("views/explore.py", {}),
])
def test_page_downloads_are_inert(hostile_env, downloads, page, query):
    at = open_page(page, **query)
    assert not at.exception
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert "Lataa CSV" in buttons and "Lataa Parquet" in buttons
    source, csv = assert_inert_csv(downloads(buttons["Lataa CSV"]))
    psource, parquet = dl.read_parquet(downloads(buttons["Lataa Parquet"]))
    assert source == psource and list(csv.columns) == list(parquet.columns)
    assert not any(c in source for c in INVISIBLE)
    for col in csv.columns:
        if csv[col].dtype == object:
            assert list(csv[col]) == list(parquet[col]), col  # the guard is undone on reading


def test_every_indicator_download_of_the_explorer_is_inert(hostile_env, downloads):
    """The explorer shows one indicator at a time: each kind of payload in its source line."""
    import duckdb

    con = duckdb.connect(str(hostile_env), read_only=True)
    ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicator ORDER BY sort_order "
                                     f"LIMIT {len(HOSTILE)}").fetchall()]
    con.close()
    for indicator_id in ids:
        at = open_page("views/explore.py", indicator=str(indicator_id))
        assert not at.exception, indicator_id
        buttons = {b.proto.label: b for b in at.get("download_button")}
        if "Lataa CSV" in buttons:
            assert_inert_csv(downloads(buttons["Lataa CSV"]))
