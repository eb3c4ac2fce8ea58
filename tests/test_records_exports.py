"""The round's summary (yhteenveto) opens: Word read back with python-docx, PDF text with
pypdf, HTML escaped, CSV/Parquet with the source line; and the `hyte records` commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from docx import Document
from pypdf import PdfReader

from dashboard import data
from dashboard.i18n import names
from dashboard.records import access, db, store
from dashboard.reports import followup as follow
from dashboard.reports import records_demo, summary, tables
from tests.warehouse_fixtures import ROOT

EVIL = '=HYPERLINK("http://x.example") <script>alert(1)</script>'


@pytest.fixture
def seeded(demo_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    monkeypatch.setenv("HYTE_RECORDS", str(tmp_path / "records.sqlite"))
    db.migrate()
    version = data.version()
    cat = names.localize(data.catalogue(version), "fi")
    records_demo.seed(version, cat)
    rec = store.negotiation_tree("aanekoski-laukaa", 2023)
    store.save_goal(access.system("t"), rec["id"], "active_lifestyle", EVIL, [], [181])
    yield version, cat
    db.dispose()


def built(seeded) -> summary.Summary:
    version, cat = seeded
    return summary.build(version, cat, store.round_trees(2023), 2023, "1.12.2026")


def test_word_summary_reads_back(seeded):
    s = built(seeded)
    doc = Document(io.BytesIO(summary.docx_bytes(s)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "HYTE-neuvottelut 2023: yhteenveto" in text
    for group in (
        "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen",
        "Hankasalmi, Konnevesi, Laukaa ja Äänekoski",
        "Joutsa, Luhanka ja Toivakka",
    ):
        assert group in text
    assert "Ei kirjausta: Jyväskylä ja Muurame" in text
    assert "(DEMO) Nuorten mielen hyvinvointi vahvistuu" in text and "DEMOAINEISTO" in text
    assert "Matalan kynnyksen keskusteluapu" in text and "MLL Keski-Suomen piiri" in text
    assert "→" in cells and ("tavoitetta vastaan" in cells or "ei selvää muutosta" in cells)
    assert EVIL in text  # typed text is text in Word, kept whole
    assert "Yhteistyökumppanit ryhmien yli" in text
    assert doc.core_properties.title == "HYTE-neuvottelut 2023: yhteenveto"


def test_pdf_summary_text(seeded):
    reader = PdfReader(io.BytesIO(summary.pdf_bytes(built(seeded))))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "HYTE-neuvottelut 2023: yhteenveto" in text
    assert "Jämsä, Keuruu" in text and "Nuorten mielen hyvinvointi" in text
    assert "THL, Sotkanet" in text and "DEMOAINEISTO" in text
    assert len(reader.pages) >= 2


def test_html_summary_escapes_typed_text(seeded):
    html = summary.html_text(built(seeded))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Toimenpiteiden tila ryhmittäin" in html


def test_csv_and_parquet_tables_carry_the_source(seeded):
    s = built(seeded)
    files = dict(summary.table_files(s))
    assert set(files) == {
        f"yhteenveto-2023-{t}.{e}"
        for t in ("tavoitteet", "toimenpiteet", "indikaattorit")
        for e in ("csv", "parquet")
    }
    source, frame = tables.read_csv(files["yhteenveto-2023-indikaattorit.csv"])
    assert "THL, Sotkanet" in source and "DEMOAINEISTO" in source and "kierros 2023" in source
    assert {"Lähtötaso", "Uusin arvo", "Muutos", "Arvio"} <= set(frame.columns)
    rows = [r for g in s.groups for r in g.rows]
    assert len(frame) == len(rows)
    psource, pframe = tables.read_parquet(files["yhteenveto-2023-indikaattorit.parquet"])
    assert psource == source and len(pframe) == len(frame)
    assert pframe["Lähtötaso"].dtype.kind == "f"
    raw = files["yhteenveto-2023-tavoitteet.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in raw  # a formula stays text in Excel
    _source, goals = tables.read_csv(files["yhteenveto-2023-tavoitteet.csv"])
    assert EVIL in set(goals["Tavoite"])


def test_the_last_round_slide(seeded):
    version, cat = seeded
    rec = store.latest_tree("jamsa-keuruu")
    slide = follow.last_round_slide(rec, follow.group_followup(version, cat, rec))
    assert slide.heading == "Viime neuvottelussa sovittiin" and "2023" in slide.lead
    assert slide.points[0].text.startswith("Mielen hyvinvointi: (DEMO)")
    assert len(slide.points) == 3 and all("→" in p.text for p in slide.points)  # one line per goal
    assert slide.points[0].tone == "challenge"  # one of its indicators runs against the goal
    assert any("muutos" in text for _label, text in slide.notes)  # the full sentences
    assert follow.last_round_slide(None, []) is None


def hyte(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def test_records_commands(demo_warehouse, tmp_path):
    env = {"HYTE_WAREHOUSE": str(demo_warehouse), "HYTE_RECORDS": str(tmp_path / "r.sqlite")}
    assert hyte("records", "migrate", env=env).returncode == 0
    db.migrate(f"sqlite:///{tmp_path / 'r.sqlite'}")
    eng = db.engine(f"sqlite:///{tmp_path / 'r.sqlite'}")
    store.save_negotiation(access.system("t"), "jamsa-keuruu", 2025, {"place": "Jämsä"}, eng=eng)
    db.dispose(f"sqlite:///{tmp_path / 'r.sqlite'}")
    out = tmp_path / "export.json"
    assert hyte("records", "export", "--out", str(out), env=env).returncode == 0
    doc = json.loads(out.read_text())
    assert doc["format"] == "hyte-records" and doc["tables"]["negotiation"][0]["place"] == "Jämsä"
    proc = hyte("records", "backup", env=env)
    assert proc.returncode == 0 and proc.stdout.strip().endswith(".sqlite")
    assert (tmp_path / "backups").is_dir()
    env2 = {**env, "HYTE_RECORDS": str(tmp_path / "r2.sqlite")}
    proc = hyte("records", "import", str(out), env=env2)
    assert proc.returncode == 0 and "negotiation 1" in proc.stdout
    proc = hyte("records", "import", str(out), env=env2)
    assert proc.returncode == 1 and "not empty" in proc.stderr
    proc = hyte("records", "summary", "--round", "2025", "--out", str(tmp_path / "out"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "hyte-yhteenveto-2025.docx").exists()
    proc = hyte("records", "summary", "--round", "1999", "--out", str(tmp_path / "out"), env=env)
    assert proc.returncode == 1 and "no negotiation recorded" in proc.stderr
