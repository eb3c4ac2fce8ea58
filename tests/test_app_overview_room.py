"""AppTest of the overview's room features: "Jaa huoneelle" (link and QR code) and the
priorities below the first rendered on demand without losing the URL state."""

from __future__ import annotations

import json
import struct

import segno
from streamlit.testing.v1 import AppTest

from dashboard.reports import room_site
from dashboard.ui import share
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")


def run(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def share_panel(at):
    return next(p for p in at.get("popover") if p.proto.popover.label == "Jaa huoneelle")


def test_share_panel_shows_the_public_room_link_and_its_qr_code(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("HYTE_PUBLIC_URL", "https://hyte.example.fi/tilannekuva/")
    monkeypatch.setattr(room_site, "STATIC", tmp_path)  # no site written yet
    at = run(group="jamsa-keuruu")
    assert not at.exception
    panel = share_panel(at)
    url = "https://hyte.example.fi/tilannekuva/app/static/room/jamsa-keuruu.html"
    assert [c.value for c in at.code] == [url]
    kinds = [type(child).__name__ for child in panel.children.values()]
    assert "Image" in kinds
    notes = " ".join(c.value for c in panel.children.values() if type(c).__name__ == "Caption")
    assert "hyte export --site" in notes  # the page does not exist yet: say how it is made
    # Once the site exists, no such note.
    (tmp_path / "room").mkdir()
    (tmp_path / "room" / "jamsa-keuruu.html").write_text("<!DOCTYPE html>")
    at = run(group="jamsa-keuruu")
    notes = " ".join(c.value for c in share_panel(at).children.values()
                     if type(c).__name__ == "Caption")
    assert "hyte export --site" not in notes and "HYTE_PUBLIC_URL" in notes


def test_the_qr_code_is_a_png_of_the_links_qr_matrix():
    url = "https://hyte.example.fi/app/static/room/jamsa-keuruu.html"
    png = share.qr_png(url)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    modules = segno.make(url, error="m").symbol_size(scale=8, border=2)
    assert (width, height) == modules and width >= 8 * 29  # version 3+ at 8 px a module
    assert share.qr_png(url + "x") != png


def priority_charts(at) -> list[dict]:
    """The priorities' chart specs (the NGO section below them draws its own two)."""
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    return [s for s in specs if "järjestökysely" not in json.dumps(s, ensure_ascii=False)]


def test_only_the_first_priority_is_drawn_the_others_on_demand(app_env):
    at = run(group="aanekoski-laukaa", benchmark="country")
    assert not at.exception
    assert len(priority_charts(at)) == 2
    headers = [h.value for h in at.header]
    for name in ("Mielen hyvinvointi", "Arjen turvallisuus", "Liikunnallinen elämäntapa"):
        assert name in headers  # every priority's header and table are there
    assert len(at.dataframe) >= 3
    toggles = {t.key: t for t in at.toggle}
    assert {"ov_open_everyday_safety", "ov_open_active_lifestyle"} <= set(toggles)
    at.toggle(key="ov_open_everyday_safety").set_value(True).run()
    assert not at.exception
    assert len(priority_charts(at)) == 4
    # The URL state is untouched by opening a priority.
    assert at.query_params["group"] == "aanekoski-laukaa"
    assert at.query_params["benchmark"] == "country"
    assert at.query_params["priority"] == "all"
    # Its "why this colour" selector names the indicators (no per-option work: a dict).
    why = at.selectbox(key="why_everyday_safety")
    assert why.options and all(isinstance(o, str) and o for o in why.options)


def test_a_priority_in_the_url_is_shown_in_full(app_env):
    at = run(group="jamsa-keuruu", priority="active_lifestyle")
    assert not at.exception
    assert len(priority_charts(at)) == 2
    assert not [t for t in at.toggle if t.key and t.key.startswith("ov_open_")]
    assert at.query_params["priority"] == "active_lifestyle"


def test_the_table_is_finnish_text_with_coloured_outcomes(app_env):
    from dashboard.charts.base import OUTCOME_COLORS
    from dashboard.ui import overview_tables

    at = run(group="jyvaskyla-muurame")
    table = at.dataframe[0].value
    outcomes = {"parempi", "samaa tasoa", "heikompi", "korkeampi", "matalampi", "ei verrattu"}
    assert set(table["vs. alue"]) <= outcomes and set(table["vs. maa"]) <= outcomes
    assert any("," in v for v in table["Ryhmä"] if v not in ("–", "vain alue"))
    html = overview_tables.styled(table).to_html()
    assert OUTCOME_COLORS["better"].lower() in html.lower() or \
        OUTCOME_COLORS["worse"].lower() in html.lower()
