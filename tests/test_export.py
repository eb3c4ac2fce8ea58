"""Exports: the one-page PDF's text and page count, the HTML's content and escaping, PNGs, `hyte export`."""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from dashboard import data
from dashboard.reports import assemble, export
from dashboard.reports import html_page as html_report
from dashboard.reports import pdf_page as pdf_report
from tests.test_app_overview import GROUPS, PRIORITIES
from tests.warehouse_fixtures import ROOT

SOURCE = "Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0."
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def brief_of(app_env):
    version = data.version()
    return lambda group_id: assemble.briefing_for(version, group_id)


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("group_id, name", GROUPS.items())
def test_pdf_is_one_page_with_group_priorities_and_source(brief_of, group_id, name):
    pages, text = pdf_text(export.pdf_bytes(brief_of(group_id), "1.1.2027 klo 10.00.00 UTC"))
    assert pages == pdf_report.PAGES == 1
    assert name in text
    for priority in PRIORITIES:
        assert priority in text
    assert SOURCE in text
    assert "DEMOAINEISTO" in text and "Tietovarasto koottu" in text
    assert "Tiedosto tehty 1.1.2027 klo 10.00.00 UTC" in text
    assert "Keskeiset ilmiöt" in text and "Indikaattorit" in text


def test_pdf_stays_one_page_when_every_priority_has_six_long_highlights(brief_of):
    b = copy.copy(brief_of("jamsa-keuruu"))
    b.stories = [copy.copy(s) for s in b.stories]
    for story in b.stories:
        rows = story.rows.to_dict("records")
        long = [{**r, "name": r["name"] + " – pitkä nimi, joka jatkuu ja jatkuu vielä",
                 "outcome": "worse", "trend": "worsening"} for r in rows[:3]]
        story.strengths = [{**r, "outcome": "better"} for r in long]
        story.challenges = long
    pages, text = pdf_text(export.pdf_bytes(b))
    assert pages == 1
    assert SOURCE in text  # the footer is still there, not pushed off the page


@pytest.mark.parametrize("raw, expected", [
    ("Äänekoski – Hankasalmi", "Äänekoski – Hankasalmi"),
    ("\u2212 5", "- 5"),
    ("a\u200bb", "ab"),
    ("日本", "??"),
    ("Malmö €", "Malmö €"),
    ("Lihavat (BMI \u2265 30)", "Lihavat (BMI >= 30)"),
    ("alle \u2264 5", "alle <= 5"),
    ("Dvořák", "Dvorák"),
])
def test_pdf_text_is_drawable_by_the_core_font(raw, expected):
    assert pdf_report.clean(raw) == expected


def test_html_contains_members_stamp_and_every_chart_spec(brief_of):
    b = brief_of("aanekoski-laukaa")
    page = export.html_bytes(b, "1.1.2027 klo 10.00.00 UTC").decode("utf-8")
    for municipality in ("Hankasalmi", "Konnevesi", "Laukaa", "Äänekoski"):
        assert municipality in page
    assert SOURCE in page and "DEMOAINEISTO" in page and "1.1.2027 klo 10.00.00 UTC" in page
    assert "http://" not in page.split("<script>")[0] and "<link" not in page
    assert "src=" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    ids = re.findall(r'<div class="chart" id="([^"]+)"', page)
    assert len(ids) == len(html_report.chart_specs(b)) == 6
    payload = page.split("const specs = ", 1)[1].split(";\nfor (const", 1)[0]
    specs = json.loads(payload)
    assert sorted(specs) == sorted(ids)
    for spec in specs.values():
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert any("THL, Sotkanet" in line for line in spec["title"]["subtitle"])


def test_html_escapes_outside_text(brief_of):
    b = copy.copy(brief_of("jamsa-keuruu"))
    b.group_name = "<img src=x onerror=alert(1)>"
    b.members = ("</script><script>alert(2)</script>",)
    page = html_report.render(b, "/* bundle */", "nyt")
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "</script><script>alert(2)" not in page
    body = page.split("const specs = ", 1)[1]
    assert "<img" not in body.split("</script>")[0]


def test_png_of_every_chart(brief_of):
    files = export.png_files(brief_of("viitasaari-pihtipudas"))
    assert [name for name, _ in files] == [
        f"{p}-{kind}.png" for p in ("mental_wellbeing", "everyday_safety", "active_lifestyle")
        for kind in ("kehitys", "kunnat")]
    for _, content in files:
        assert content.startswith(PNG_MAGIC) and len(content) > 10_000


# --- the command -----------------------------------------------------------------------------


def hyte(*args, warehouse, cwd):
    env = {**os.environ, "HYTE_WAREHOUSE": str(warehouse)}
    return subprocess.run([sys.executable, "-m", "pipelines", "export", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_hyte_export_all_groups_writes_html_and_pdf(demo_warehouse, tmp_path):
    out = tmp_path / "vienti"
    result = hyte("--out", str(out), warehouse=demo_warehouse, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    expected = sorted(f"{g}.{ext}" for g in GROUPS for ext in ("html", "pdf"))
    assert sorted(p.name for p in out.iterdir()) == expected
    assert sorted(os.path.basename(line) for line in result.stdout.split()) == expected
    assert "WARNING" not in result.stderr  # no Streamlit runtime noise
    for group_id, name in GROUPS.items():
        pages, text = pdf_text((out / f"{group_id}.pdf").read_bytes())
        assert pages == 1 and name in text
        assert name in (out / f"{group_id}.html").read_text(encoding="utf-8")


def test_hyte_export_png_for_one_group(demo_warehouse, tmp_path):
    result = hyte("--group", "jyvaskyla-muurame", "--format", "png", "--out", str(tmp_path),
                  warehouse=demo_warehouse, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 6 and all(n.startswith("jyvaskyla-muurame-") for n in names)
    assert all((tmp_path / n).read_bytes().startswith(PNG_MAGIC) for n in names)


@pytest.mark.parametrize("args, message", [
    (["--group", "no-such-group"], "unknown group id 'no-such-group'"),
    (["--group", "jamsa-keuruu", "--group", "x<y"], "unknown group id 'x<y'"),
])
def test_bad_group_id_exits_1_with_one_line_and_writes_nothing(demo_warehouse, tmp_path, args,
                                                               message):
    out = tmp_path / "out"
    result = hyte(*args, "--out", str(out), warehouse=demo_warehouse, cwd=ROOT)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hyte: error: ") and message in lines[0]
    assert "jamsa-keuruu" in lines[0]  # names the known groups
    assert not out.exists()


def test_missing_warehouse_exits_1_with_one_line(tmp_path):
    result = hyte("--out", str(tmp_path / "out"), warehouse=tmp_path / "none.duckdb", cwd=ROOT)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "hyte ingest --source demo" in lines[0]


def test_bad_format_is_a_usage_error(demo_warehouse, tmp_path):
    result = hyte("--format", "docx", warehouse=demo_warehouse, cwd=ROOT)
    assert result.returncode == 2


def test_export_groups_restores_the_environment(demo_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("HYTE_WAREHOUSE", "/elsewhere.duckdb")
    written = export.export_groups(demo_warehouse, ["jamsa-keuruu"], ["pdf"], tmp_path)
    assert [p.name for p in written] == ["jamsa-keuruu.pdf"]
    assert os.environ["HYTE_WAREHOUSE"] == "/elsewhere.duckdb"
    with pytest.raises(export.ExportError, match="unknown format"):
        export.export_groups(demo_warehouse, None, ["docx"], tmp_path)
