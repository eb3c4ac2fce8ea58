"""The Järjestöt page in a real browser against `hyte serve`: the NGO charts draw."""

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


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("e2e-ngo"))).start()
    yield server
    server.stop()


@pytest.mark.parametrize("path, name, texts", [
    ("/jarjestot?group=joutsa-luhanka-toivakka&priority=active_lifestyle", "jarjestot",
     ["Järjestöt", "Kyselyyn vastanneista järjestöistä", "Ryhmän indikaattorit: Liikunnallinen "
      "elämäntapa", "Kierrosten vertailu: 2023 ja 2025", "ei THL:n tilasto", "DEMOAINEISTO"]),
    ("/jarjestot?group=jamsa-keuruu&lang=en", "jarjestot-en",
     ["Organisations", "The group's indicators", "not THL statistics"]),
])
def test_the_page_draws_its_charts(app, browser, path, name, texts):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        goto(page, app.url + path)
        charts = wait_rendered(page)
        assert charts >= 5  # activities, targets, cooperation, the two rounds (+ expander's)
        screenshot(page, name)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        for text in texts:
            assert text in body, f"{text!r} missing on {path}"
        # the drawn charts have real size and marks (bars for the counts)
        sizes = page.evaluate("() => [...document.querySelectorAll('.vega-embed')]"
                              ".filter(e => e.offsetParent !== null).map(e => {"
                              " const c = e.querySelector('canvas, svg.marks');"
                              " const r = c.getBoundingClientRect(); return [r.width, r.height]; })")
        assert len(sizes) >= 5 and all(w > 250 and h > 80 for w, h in sizes), sizes
        assert not errors, errors
    finally:
        page.close()
