"""The overview in a real browser: the first priority drawn, the others on demand with the URL
state kept, and "Jaa huoneelle" showing the room link with its QR code."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_support import (
    AppServer,
    copy_warehouse,
    expect_run,
    goto,
    new_page,
    require_chromium,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.browser
TOGGLE = "Näytä kuvat ja ”Miksi tämä väri?”"
# The NGO section at the end of the overview draws two charts of its own (the demo holds a
# survey): they are drawn with the first priority's.
NGO_CHARTS = 2


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("room"))).start()
    yield server
    server.stop()


def drawn(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('.vega-embed')]"
                         ".filter(e => e.querySelector('canvas, svg.marks')).length")


def test_a_priority_opens_on_demand_and_the_url_keeps_its_state(app, browser):
    page = new_page(browser, viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        goto(page, app.url + "/?group=jamsa-keuruu&benchmark=country")
        assert wait_rendered(page) == 2 + NGO_CHARTS and drawn(page) == 2 + NGO_CHARTS
        body = page.inner_text("body")
        for header in ("Mielen hyvinvointi", "Arjen turvallisuus", "Liikunnallinen elämäntapa"):
            assert header in body
        expect_run(page)
        page.get_by_text(TOGGLE).first.click()
        # The fragment's run sends the opened priority's two charts (a fragment run starts
        # with its own new_session message, so the watch counts only those).
        assert wait_rendered(page) == 2
        page.wait_for_function("() => [...document.querySelectorAll('.vega-embed')]"
                               ".filter(e => e.querySelector('canvas, svg.marks')).length >= "
                               f"{4 + NGO_CHARTS}", timeout=30_000)
        assert drawn(page) == 4 + NGO_CHARTS
        query = parse_qs(urlsplit(page.url).query)
        assert query["group"] == ["jamsa-keuruu"] and query["benchmark"] == ["country"]
        assert query["priority"] == ["all"]
        screenshot(page, "overview-priority-on-demand")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert not errors, errors
    finally:
        page.close()


def test_share_with_the_room_shows_the_link_and_a_qr_code(app, browser):
    page = new_page(browser, viewport={"width": 1400, "height": 1000})
    try:
        goto(page, app.url + "/?group=aanekoski-laukaa")
        wait_rendered(page)
        page.get_by_text("Jaa huoneelle").first.click()
        link = app.url + "/app/static/room/aanekoski-laukaa.html"
        page.get_by_text(link).first.wait_for(timeout=10_000)
        qr = page.locator('[data-testid="stPopoverBody"] img').first
        qr.wait_for(timeout=10_000)
        box = qr.bounding_box()
        assert box and box["width"] >= 200  # large enough for a phone across a room
        screenshot(page, "overview-share-with-the-room")
    finally:
        page.close()
