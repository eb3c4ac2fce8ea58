"""The room site: written at publish and by `hyte export --site`, switched in atomically,
self-contained pages with escaped warehouse text, served by `hyte serve` at /app/static/room/.

Each full build draws every group's and card's charts (tens of seconds here), so the module
builds a few sites and asserts much on each.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request

import duckdb
import pytest

from dashboard.reports import room_site
from pipelines import ingest
from pipelines.config import load_config
from tests.browser_support import AppServer, copy_warehouse
from tests.warehouse_fixtures import ROOT

GROUPS = ["joutsa-luhanka-toivakka", "jyvaskyla-muurame", "jamsa-keuruu",
          "saarijarvi-karstula", "viitasaari-pihtipudas", "aanekoski-laukaa"]
PAYLOAD = "<img src=x onerror=alert(1)> <script>alert(2)</script> "
# What would make a browser ask another host for something (the SVG namespaces are names).
OUTSIDE = re.compile(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def hostile_site(demo_warehouse, tmp_path_factory):
    """A site built from a copy of the demo warehouse whose names carry markup."""
    folder = tmp_path_factory.mktemp("room")
    live = copy_warehouse(demo_warehouse, folder / "wh")
    con = duckdb.connect(str(live))
    con.execute("UPDATE indicator SET short_fi = ? || short_fi, title_fi = ? || title_fi",
                [PAYLOAD, PAYLOAD])
    con.execute("UPDATE region SET name_fi = '<b>' || name_fi || '</b>' WHERE region_id = 208")
    con.close()
    link = room_site.build(live, folder / "static")
    return live, folder / "static", link


@pytest.mark.timeout(900)  # the module's first site build is in this test's time
def test_every_group_and_card_is_a_self_contained_page(hostile_site):
    _live, root, link = hostile_site
    assert link == root / "room" and link.is_symlink()
    target = os.readlink(link)
    assert "/" not in target and (root / target).is_dir()  # relative, inside the served folder
    pages = sorted(p.name for p in link.iterdir())
    for gid in GROUPS:
        assert f"{gid}.html" in pages
    cards = [p for p in pages if p.startswith("kuntakortti-")]
    assert len(cards) == 22 and "index.html" in pages
    for name in pages:
        text = (link / name).read_text(encoding="utf-8")
        assert "<script" not in text.lower(), name  # no script at all, none from a CDN
        assert not OUTSIDE.search(text), (name, OUTSIDE.search(text))
        assert "<img" not in text and "<b>Luhanka" not in text, name
        assert 'lang="fi"' in text
    jamsa = (link / "jamsa-keuruu.html").read_text(encoding="utf-8")
    # Same content and source lines as the live overview, charts drawn as inline SVG.
    for text in ("Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen", "Keskeiset ilmiöt",
                 "Mielen hyvinvointi", "THL, Sotkanet", "CC BY 4.0", "DEMOAINEISTO"):
        assert text in jamsa
    assert jamsa.count("<svg") >= 6 and "&lt;img src=x" in jamsa
    # The way back into the live dashboard, same group (relative: works under a proxy path).
    assert 'href="../../../?group=jamsa-keuruu"' in jamsa
    card = (link / "kuntakortti-179-jyvaskyla.html").read_text(encoding="utf-8")
    assert "Jyväskylä" in card and 'href="../../../kunta?kunta=179"' in card
    assert card.count("<svg") >= 3
    index = (link / "index.html").read_text(encoding="utf-8")
    assert 'href="jamsa-keuruu.html"' in index and "&lt;b&gt;Luhanka&lt;/b&gt;" in index


def test_a_failed_build_leaves_the_previous_site(hostile_site, monkeypatch):
    live, root, link = hostile_site
    before = os.readlink(link)
    folders = sorted(p.name for p in root.iterdir())

    def broken(card, exported_at):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(room_site, "card_html", broken)  # fails after the group pages
    with pytest.raises(room_site.SiteError, match="drawing failed"):
        room_site.build(live, root)
    assert os.readlink(link) == before
    assert sorted(p.name for p in root.iterdir()) == folders  # the half-built folder is gone
    assert (link / "jamsa-keuruu.html").exists()


def test_a_real_folder_in_the_links_place_is_refused(tmp_path, demo_warehouse):
    (tmp_path / "room").mkdir()
    with pytest.raises(room_site.SiteError, match="real folder"):
        room_site.build(demo_warehouse, tmp_path)


def test_publish_writes_the_site_and_a_failed_site_is_a_warning(demo_warehouse, tmp_path,
                                                                 monkeypatch):
    live = copy_warehouse(demo_warehouse, tmp_path / "wh")
    # The site folder cannot be made (a file is in its way): the publish still happens.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HYTE_SITE_DIR", str(blocker / "static"))
    before = live.stat().st_mtime_ns
    result = ingest.run(load_config(ROOT / "data"), "demo", live)
    assert result.published and live.stat().st_mtime_ns != before
    assert result.exit_code == ingest.EXIT_WARNINGS
    assert any(w.startswith("room site:") and "warehouse is published" in w
               for w in result.warnings)
    # HYTE_SITE_DIR=off: no site, no warning.
    monkeypatch.setenv("HYTE_SITE_DIR", "off")
    result = ingest.run(load_config(ROOT / "data"), "demo", live)
    assert result.exit_code == ingest.EXIT_OK and not result.warnings


@pytest.mark.timeout(900)
def test_hyte_ingest_writes_the_site_that_hyte_serve_serves(tmp_path):
    """The real path: `hyte ingest` publishes and writes dashboard/static/room, the app
    serves it at /app/static/room/ as HTML, and older site folders are pruned."""
    live = tmp_path / "warehouse.duckdb"
    env = {**os.environ, "HYTE_WAREHOUSE": str(live), "HYTE_SITE_DIR": ""}
    stale = [room_site.STATIC / f".room-19990101T00000{i}-1-1" for i in range(3)]
    for folder in stale:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder, (0, 0))
    proc = subprocess.run([sys.executable, "-m", "pipelines", "ingest", "--source", "demo",
                           "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    link = room_site.STATIC / "room"
    assert link.is_symlink() and (link / "jamsa-keuruu.html").exists()
    assert not any(folder.exists() for folder in stale)
    server = AppServer(live).start()
    try:
        with urllib.request.urlopen(server.url + "/app/static/room/jamsa-keuruu.html",
                                    timeout=30) as r:
            body = r.read().decode("utf-8")
            assert r.status == 200 and r.headers["content-type"].startswith("text/html")
        assert "Jämsä, Keuruu" in body and "<svg" in body
    finally:
        server.stop()


@pytest.mark.timeout(900)
def test_hyte_export_site_writes_a_site_into_the_given_folder(demo_warehouse, tmp_path):
    env = {**os.environ, "HYTE_WAREHOUSE": str(demo_warehouse)}
    proc = subprocess.run([sys.executable, "-m", "pipelines", "export", "--site",
                           str(tmp_path / "site"), "--lang", "sv"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == str(tmp_path / "site" / "room")
    page = (tmp_path / "site" / "room" / "aanekoski-laukaa.html").read_text(encoding="utf-8")
    assert 'lang="sv"' in page and "lang=sv" in page  # the link back keeps the language
    # A folder that cannot be made: one line, exit 1.
    (tmp_path / "file").write_text("x")
    proc = subprocess.run([sys.executable, "-m", "pipelines", "export", "--site",
                           str(tmp_path / "file" / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert "cannot create" in proc.stderr


def test_the_public_url_names_the_groups_page(monkeypatch):
    monkeypatch.setenv("HYTE_PUBLIC_URL", "https://hyte.example.fi/hyte/")
    assert room_site.public_url("jamsa-keuruu") == (
        "https://hyte.example.fi/hyte/app/static/room/jamsa-keuruu.html")
    assert room_site.public_url("a b/c", "http://x") == "http://x/app/static/room/a_b_c.html"


def test_site_dir_off_stops_the_publish_but_names_no_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HYTE_SITE_DIR", "off")
    assert not room_site.enabled() and room_site.site_root() == room_site.STATIC
    monkeypatch.setenv("HYTE_SITE_DIR", str(tmp_path))
    assert room_site.enabled() and room_site.site_root() == tmp_path
