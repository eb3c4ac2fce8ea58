"""Every page in a real browser against `hyte serve`: loads, no exception, charts drawn."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    AppServer,
    copy_warehouse,
    goto,
    new_page,
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


def charts_drawn(page) -> tuple[int, int, int, int]:
    """(charts on the page, with marks, visible, visible with marks)."""
    return tuple(page.evaluate("""() => {
        const embeds = [...document.querySelectorAll('.vega-embed')];
        const marks = e => e.querySelector('canvas, svg.marks');
        const shown = e => e.getBoundingClientRect().width > 0;
        return [embeds.length, embeds.filter(marks).length, embeds.filter(shown).length,
                embeds.filter(e => shown(e) && marks(e).getBoundingClientRect().width > 0)
                      .length];
    }"""))


# Charts each page's script sends with the demo warehouse (at least): the overview's trend and
# municipality charts, compare's heat map and dot chart, explore's series and tile map.
LEAST_CHARTS = {"overview": 2, "overview-country": 2, "compare": 2, "explore": 2}


@pytest.mark.parametrize("path, name, texts", PAGES, ids=[p[1] for p in PAGES])
def test_page_loads_without_error_and_draws_its_charts(app, browser, path, name, texts):
    page = new_page(browser, viewport={"width": 1600, "height": 1200})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        goto(page, app.url + path)
        # Waits for the state the app signals: the script run finished (its websocket's
        # script_finished) and as many charts drew as that run sent. The charts present at
        # one moment are not the page: compare and explore used to pass or fail on whether
        # their second chart had mounted yet.
        sent = wait_rendered(page)
        screenshot(page, name)
        assert sent >= LEAST_CHARTS.get(name, 0)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        for text in texts:
            assert text in body, f"{text!r} missing on {path}"
        total, with_marks, visible, visible_drawn = charts_drawn(page)
        assert total == with_marks == sent
        # Charts in hidden tabs have no size; every visible one shows its marks.
        assert visible >= 1 if sent else visible == 0
        assert visible_drawn == visible
        assert not errors, errors
    finally:
        page.close()


def test_injected_url_shows_a_note_and_no_markup(app, browser):
    page = new_page(browser)
    try:
        goto(page, app.url + "/?group=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
                  "&priority=%3Cscript%3Ealert(2)%3C/script%3E&benchmark=" + "x" * 3000)
        wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("img[src='x']").count() == 0
        body = page.inner_text("body")
        assert "Linkin ryhmää ei tunnistettu" in body
        assert "Joutsa, Luhanka ja Toivakka" in body
    finally:
        page.close()
