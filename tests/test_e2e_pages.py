"""Every page in a real browser against `hyte serve`: loads, no exception, charts drawn."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    AppServer,
    copy_warehouse,
    launch,
    require_chromium,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.browser

# (url path and query, screenshot name, texts that must be on the page)
PAGES = [
    ("/?group=jamsa-keuruu", "overview",
     ["Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen", "Keskeiset ilmiöt", "Mielen hyvinvointi",
      "Arjen turvallisuus", "Liikunnallinen elämäntapa", "THL, Sotkanet", "DEMOAINEISTO"]),
    ("/?group=jyvaskyla-muurame&priority=everyday_safety&benchmark=country", "overview-country",
     ["Jyväskylä ja Muurame", "Arjen turvallisuus", "koko maahan"]),
    ("/vertaile", "compare", ["Vertaile kuntia", "THL, Sotkanet"]),
    ("/indikaattorit", "explore", ["Indikaattorit", "THL, Sotkanet"]),
    ("/esitys?group=aanekoski-laukaa", "present", ["Hankasalmi", "THL, Sotkanet"]),
    ("/tila", "status", ["Tietojen tila", "Latausloki", "Demoaineisto"]),
]


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("e2e"))).start()
    yield server
    server.stop()


def charts_drawn(page) -> tuple[int, int]:
    """(charts on the page, charts whose Vega view has drawn marks)."""
    return page.evaluate("""() => {
        const embeds = [...document.querySelectorAll('.vega-embed')];
        const drawn = embeds.filter(e => {
            const c = e.querySelector('canvas, svg.marks');
            return c && c.getBoundingClientRect().width > 0;
        });
        return [embeds.length, drawn.length];
    }""")


@pytest.mark.parametrize("path, name, texts", PAGES, ids=[p[1] for p in PAGES])
def test_page_loads_without_error_and_draws_its_charts(app, browser, path, name, texts):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(app.url + path)
        wait_rendered(page)
        # The script can finish before the chart elements mount (warm caches): an empty
        # list would pass `every` at once, so the overview waits for its charts to exist.
        least = 2 if name.startswith("overview") else 0
        page.wait_for_function(
            "least => { const e = [...document.querySelectorAll('.vega-embed')];"
            " return e.length >= least && e.every(x => x.querySelector('canvas, svg.marks')); }",
            arg=least, timeout=30_000)
        screenshot(page, name)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        for text in texts:
            assert text in body, f"{text!r} missing on {path}"
        total, drawn = charts_drawn(page)
        if name.startswith("overview"):
            assert total >= 2
        # Charts in hidden tabs have no size; every visible one must have drawn marks.
        visible = page.evaluate("() => [...document.querySelectorAll('.vega-embed')]"
                                ".filter(e => e.getBoundingClientRect().width > 0).length")
        assert drawn == visible
        assert not errors, errors
    finally:
        page.close()


def test_injected_url_shows_a_note_and_no_markup(app, browser):
    page = browser.new_page()
    try:
        page.goto(app.url + "/?group=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
                  "&priority=%3Cscript%3Ealert(2)%3C/script%3E&benchmark=" + "x" * 3000)
        wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("img[src='x']").count() == 0
        body = page.inner_text("body")
        assert "Linkin ryhmää ei tunnistettu" in body
        assert "Joutsa, Luhanka ja Toivakka" in body
    finally:
        page.close()
