"""The Kuntakortti page in a real browser against `hyte serve`: the card draws its charts."""

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

CARDS = [
    ("/kunta?kunta=435", "kunta-luhanka", ["Luhanka", "pieni kunta", "Mielen hyvinvointi",
                                           "Vahvuudet ja haasteet", "THL, Sotkanet"]),
    ("/kunta?kunta=179", "kunta-jyvaskyla", ["Jyväskylä", "Arjen turvallisuus",
                                             "Liikunnallinen elämäntapa", "DEMOAINEISTO"]),
    ("/kunta?kunta=179&lang=en", "kunta-jyvaskyla-en", ["Jyväskylä", "Mental wellbeing",
                                                        "Strengths and challenges"]),
]


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("e2e-kunta"))).start()
    yield server
    server.stop()


@pytest.mark.parametrize("path, name, texts", CARDS, ids=[c[1] for c in CARDS])
def test_the_card_draws_its_charts(app, browser, path, name, texts):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        goto(page, app.url + path)
        wait_rendered(page)
        # One chart per section (three priorities and the context), each with drawn marks.
        page.wait_for_function(
            "() => { const e = [...document.querySelectorAll('.vega-embed')];"
            " return e.length >= 4 && e.every(x => x.querySelector('canvas, svg.marks')); }",
            timeout=60_000)
        screenshot(page, name)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        for text in texts:
            assert text in body, f"{text!r} missing on {path}"
        sizes = page.evaluate("() => [...document.querySelectorAll('.vega-embed')].map(e => {"
                              " const c = e.querySelector('canvas, svg.marks');"
                              " const r = c.getBoundingClientRect(); return [r.width, r.height]; })")
        # the card's four, then the NGO survey's two (activities, target groups)
        assert len(sizes) == 6
        assert all(w > 600 and h > 300 for w, h in sizes[:4]), sizes
        assert not errors, errors
    finally:
        page.close()


def test_an_unknown_code_opens_the_chooser_and_its_buttons_open_cards(app, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        goto(page, app.url + "/kunta?kunta=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
        wait_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("img[src='x']").count() == 0
        body = page.inner_text("body")
        assert "Linkin kuntaa ei tunnistettu" in body and "Luhanka" in body
        # The chooser's buttons open the card in the same tab and session.
        page.get_by_role("button", name="Luhanka").first.click()
        page.wait_for_function("() => location.search.includes('kunta=435')", timeout=30_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.vega-embed').length >= 4"
            " && [...document.querySelectorAll('h1')].some(h => h.innerText.startsWith('Luhanka'))",
            timeout=60_000)
        assert len(page.context.pages) == 1
    finally:
        page.close()


def test_the_overviews_member_links_open_the_card(app, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        goto(page, app.url + "/?group=joutsa-luhanka-toivakka")
        wait_rendered(page)
        page.get_by_role("link", name="Luhanka").first.click()
        page.wait_for_function("() => location.pathname.endsWith('/kunta')"
                               " && location.search.includes('kunta=435')", timeout=30_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.vega-embed').length >= 4"
            " && [...document.querySelectorAll('h1')].some(h => h.innerText.startsWith('Luhanka'))",
            timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert len(page.context.pages) == 1
    finally:
        page.close()
