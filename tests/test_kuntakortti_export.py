"""The printed and offline cards: PDF pages, sets and the county book, the HTML, `hyte export`.

Every card page is checked twice for "nothing cut off": the renderer's own record of each
text box (inside the margins, its text no wider than its box, 7 pt or more) and the PDF
itself read back with pypdf (every text run starts and ends inside the margins, at 7 pt or
more, measured with the core font's metrics).
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from dashboard import data
from dashboard.i18n import names
from dashboard.i18n.catalog import use
from dashboard.reports import export
from dashboard.reports import kuntakortti_assemble as assemble
from dashboard.reports import kuntakortti_html as card_html
from dashboard.reports import kuntakortti_pdf as card_pdf
from dashboard.reports.pdf_page import clean
from tests.test_app_kunta import MUNICIPALITIES
from tests.warehouse_fixtures import ROOT

SOURCE = "Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0."
STAMP = "1.1.2027 10.00.00 UTC"
PT = 72 / 25.4
FONTS = {"/Helvetica": "", "/Helvetica-Bold": "B", "/Helvetica-Oblique": "I",
         "/Helvetica-BoldOblique": "BI"}


@pytest.fixture(scope="module")
def cards(demo_warehouse):
    """Every card of the demo county in group order (Finnish)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    version = data.version()
    cat = names.localize(data.catalogue(version), "fi")
    out = assemble.cards_for(version, assemble.resolve(cat, ["all"]), cat)
    yield out, cat
    mp.undo()


def by_code(cards, code):
    return next(c for c in cards[0] if c.code == code)


def runs(content: bytes) -> list[list[tuple[float, float, str, str, float]]]:
    """Per page: (x, y, text, font, size) of every text run, in points from the bottom left."""
    out = []
    for page in PdfReader(io.BytesIO(content)).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                name = font.get("/BaseFont") if font else None
                found.append((tm[4] + cm[4], tm[5] + cm[5], text, str(name), size * tm[0]))

        page.extract_text(visitor_text=visit)
        out.append(found)
    return out


def assert_inside_page(content: bytes) -> None:
    metrics = FPDF(unit="pt")
    metrics.core_fonts_encoding = "windows-1252"
    margin = card_pdf.MARGIN * PT
    width, height = card_pdf.PAGE_W * PT, card_pdf.PAGE_H * PT
    for n, page in enumerate(runs(content), start=1):
        assert page, f"page {n} has no extractable text"
        for x, y, text, font, size in page:
            assert size >= card_pdf.MIN_PT - 1e-6, (n, text, size)
            metrics.set_font("Helvetica", FONTS.get(font, ""), size)
            end = x + metrics.get_string_width(clean(text.strip()))  # pypdf adds spaces
            where = (n, text[:40], round(x, 1), round(end, 1), round(y, 1))
            assert margin - 0.5 <= x and end <= width - margin + 0.5, where
            assert margin - 0.5 <= y and y + size * 0.8 <= height - margin + 0.5, where


def page_texts(content: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]


@pytest.mark.parametrize("code, name", MUNICIPALITIES.items())
def test_each_card_is_one_a4_page_naming_municipality_source_and_year(cards, code, name):
    card = by_code(cards, code)
    doc = card_pdf.render_cards([card], STAMP)
    bad = [b for b in doc.boxes if not card_pdf.within_page(b)]
    assert not bad, [(b.text[:30], b.x, b.y, b.w, b.h, b.text_w) for b in bad[:5]]
    content = bytes(doc.output())
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = page_texts(content)[0]
    assert name in text and f"kuntanumero {code}" in text
    assert SOURCE in text and "Tietovarasto koottu" in text and STAMP in text
    assert "DEMOAINEISTO" in text
    assert f"Tiedot vuosilta: {card.vintage_text()}" in text
    for section in card.sections:
        assert section.name in text
    assert "Sivu 1/1." in text
    assert_inside_page(content)


def test_small_and_large_municipality_say_what_they_should(cards):
    luhanka, jyvaskyla = page_texts(card_pdf.render(by_code(cards, "435"), STAMP))[0], \
        page_texts(card_pdf.render(by_code(cards, "179"), STAMP))[0]
    assert "pieni kunta" in luhanka and "alle 20 tapausta" in luhanka
    assert "pieni kunta" not in jyvaskyla
    for text in (luhanka, jyvaskyla):
        assert "ilman kuntaa" in text
        assert "0–17, 18–64, 65+, 75+" in text  # the age shares the catalogue lacks


def test_a_card_with_very_long_texts_stays_on_its_page(cards):
    card = copy.deepcopy(by_code(cards, "179"))
    for section in card.sections:
        for row in section.rows:
            row.name = row.name + " – pitkä nimi, joka jatkuu ja jatkuu vielä pitkään"
        pool = section.strengths + section.challenges
        if pool:
            section.strengths = [dict(pool[0], name=pool[0]["name"] + " pitkä")] * 3
            section.challenges = [dict(pool[-1], name=pool[-1]["name"] + " pitkä")] * 3
    doc = card_pdf.render_cards([card], STAMP)
    assert not [b for b in doc.boxes if not card_pdf.within_page(b)]
    content = bytes(doc.output())
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = page_texts(content)[0]
    assert SOURCE in text and "muuta: merkitty taulukkoon" in text
    assert_inside_page(content)


def test_a_groups_set_has_a_page_per_member_in_order(cards):
    group = next(g for g in assemble.groups_of(cards[1]) if g[0] == "jamsa-keuruu")
    members = [c for c in cards[0] if c.region_id in set(group[2])]
    content = export.card_set_pdf_bytes(members, STAMP, title="Jämsä – kuntakortit")
    texts = page_texts(content)
    assert len(texts) == len(members) == 5
    for n, (card, text) in enumerate(zip(members, texts, strict=True), start=1):
        assert text.startswith("DEMOAINEISTO") and card.name in text[:200]
        assert f"Sivu {n}/5." in text and SOURCE in text
    assert_inside_page(content)


def test_the_county_book_has_a_contents_page_and_every_card_in_group_order(cards):
    all_cards, cat = cards
    content = export.card_set_pdf_bytes(all_cards, STAMP, title="Keski-Suomi",
                                        contents=assemble.contents(cat, all_cards))
    texts = page_texts(content)
    assert len(texts) == len(all_cards) + 1 == 23
    contents = texts[0]
    assert "Sisällys" in contents and SOURCE in contents
    for _gid, group_name, _members in assemble.groups_of(cat):
        assert group_name in contents
    for n, card in enumerate(all_cards, start=2):
        assert f"{card.name} {n}" in contents            # name and page number
        assert card.name in texts[n - 1][:200] and f"Sivu {n}/23." in texts[n - 1]
    assert [c.name for c in all_cards][:3] == ["Joutsa", "Luhanka", "Toivakka"]
    reader = PdfReader(io.BytesIO(content))
    links = [a for a in reader.pages[0].get("/Annots", [])]
    assert len(links) == 22  # each line of the contents opens its card
    assert_inside_page(content)


@pytest.mark.parametrize("lang, word", [("sv", "Källa: THL"), ("en", "Source: THL")])
def test_swedish_and_english_cards_fit_too(demo_warehouse, monkeypatch, lang, word):
    monkeypatch.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    with use(lang):
        version = data.version()
        cat = names.localize(data.catalogue(version), lang)
        for card in assemble.cards_for(version, assemble.resolve(cat, ["435", "179"]), cat):
            doc = card_pdf.render_cards([card], STAMP)
            assert not [b for b in doc.boxes if not card_pdf.within_page(b)]
            content = bytes(doc.output())
            assert word in page_texts(content)[0] and card.name in page_texts(content)[0]
            assert_inside_page(content)


def test_html_card_is_self_contained_and_escaped(cards):
    card = copy.deepcopy(by_code(cards, "435"))
    page = export.card_html_bytes(card, STAMP).decode("utf-8")
    assert "Luhanka" in page and SOURCE in page and "DEMOAINEISTO" in page and STAMP in page
    head = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "http://" not in head and "https://" not in head and "<link" not in head
    assert "src=" not in head
    ids = re.findall(r'<div class="chart" id="([^"]+)"', page)
    assert len(ids) == 4
    specs = json.loads(page.split("const specs = ", 1)[1].split(";\nfor (const", 1)[0])
    assert sorted(specs) == sorted(ids)
    for spec in specs.values():
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert any("THL, Sotkanet" in line for line in spec["title"]["subtitle"])
    card.name = "<img src=x onerror=alert(1)>"
    card.sections[0].rows[0].name = "</script><script>alert(2)</script>"
    evil = card_html.render(card, "/* bundle */", "nyt")
    assert "<img src=x" not in evil and "&lt;img src=x" in evil
    assert "</script><script>alert(2)" not in evil


# --- the command -----------------------------------------------------------------------------


def hyte(*args, warehouse, cwd=ROOT):
    env = {**os.environ, "HYTE_WAREHOUSE": str(warehouse)}
    return subprocess.run([sys.executable, "-m", "pipelines", "export", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=900)


def test_hyte_export_one_municipality(demo_warehouse, tmp_path):
    result = hyte("--municipality", "435", "--out", str(tmp_path), warehouse=demo_warehouse)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kuntakortti-435-luhanka.html",
                                                          "kuntakortti-435-luhanka.pdf"]
    assert "WARNING" not in result.stderr
    assert len(PdfReader(tmp_path / "kuntakortti-435-luhanka.pdf").pages) == 1


def test_hyte_export_a_card_in_swedish(demo_warehouse, tmp_path):
    result = hyte("--municipality", "179", "--format", "pdf", "--lang", "sv", "--out",
                  str(tmp_path), warehouse=demo_warehouse)
    assert result.returncode == 0, result.stderr
    text = page_texts((tmp_path / "kuntakortti-179-jyvaskyla.pdf").read_bytes())[0]
    assert "Källa: THL" in text and "Kommunkort" in text and "Jyväskylä" in text


def test_hyte_export_all_writes_cards_group_sets_and_the_county_book(demo_warehouse, tmp_path):
    result = hyte("--municipality", "all", "--format", "pdf", "--out", str(tmp_path),
                  warehouse=demo_warehouse)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    singles = [f for f in files if f.startswith("kuntakortti-")]
    sets = [f for f in files if f.startswith("kuntakortit")]
    assert len(singles) == 22 and all(f.endswith(".pdf") for f in singles)
    assert len(sets) == 6 + 1 and "kuntakortit.pdf" in sets
    assert len(PdfReader(tmp_path / "kuntakortit.pdf").pages) == 23
    assert len(PdfReader(tmp_path / "kuntakortit-jamsa-keuruu.pdf").pages) == 5
    assert sorted(os.path.basename(line) for line in result.stdout.split()) == files


def test_hyte_export_all_of_one_group(demo_warehouse, tmp_path):
    result = hyte("--group", "joutsa-luhanka-toivakka", "--municipality", "all", "--format",
                  "pdf", "--out", str(tmp_path), warehouse=demo_warehouse)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kuntakortit-joutsa-luhanka-toivakka.pdf", "kuntakortti-172-joutsa.pdf",
        "kuntakortti-435-luhanka.pdf", "kuntakortti-850-toivakka.pdf"]


@pytest.mark.parametrize("args, code, message", [
    (["--municipality", "999"], 1, "unknown municipality code '999'; valid codes: 077, 172"),
    (["--municipality", "179", "--municipality", "x<y"], 1, "unknown municipality code 'x<y'"),
    (["--municipality", "179", "--group", "jamsa-keuruu"], 1, "needs --municipality all"),
    (["--municipality", "all", "--group", "nope"], 1, "unknown group id 'nope'"),
    (["--municipality", "179", "--format", "png"], 2, "municipality cards are html or pdf"),
])
def test_bad_export_arguments_exit_with_one_line_and_write_nothing(demo_warehouse, tmp_path,
                                                                   args, code, message):
    out = tmp_path / "out"
    result = hyte(*args, "--out", str(out), warehouse=demo_warehouse)
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hyte: error: ") and message in lines[0]
    if "valid codes" in message:
        assert "992" in lines[0] and "or all" in lines[0]
    assert not out.exists()


def test_missing_warehouse_exits_1(tmp_path):
    result = hyte("--municipality", "179", "--out", str(tmp_path / "o"),
                  warehouse=tmp_path / "none.duckdb")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
