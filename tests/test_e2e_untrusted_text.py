"""Text from the API (titles, limits, notices) is shown as text, never as markup or links."""

from __future__ import annotations

import duckdb
import pytest

from tests.browser_support import (
    AppServer,
    goto,
    launch,
    new_page,
    require_chromium,
    wait_rendered,
)
from tests.hostile_corpus import INVISIBLE_ON_SCREEN, hostile_warehouse

pytestmark = pytest.mark.browser

PAYLOAD = ("<img src=x onerror=alert(1)> [klikkaa](javascript:alert(2)) **lihava** "
           "<a href='https://example.invalid'>linkki</a> ")


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    # the whole corpus in Sotkanet's texts and five names, then this module's own payloads
    live = hostile_warehouse(demo_warehouse, tmp_path_factory.mktemp("hostile"))
    con = duckdb.connect(str(live))
    con.execute("UPDATE indicator SET short_fi = ? || short_fi, title_fi = ? || title_fi, "
                "limits_fi = '<script>alert(3)</script> rajoitus', "
                "notices_fi = '[huomio](javascript:alert(4))', description_fi = ? || "
                "coalesce(description_fi, '')", [PAYLOAD, PAYLOAD, PAYLOAD])
    con.execute("UPDATE region SET name_fi = '<b>' || name_fi || '</b>' WHERE region_id = 208")
    con.close()
    server = AppServer(live).start()
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/?group=jamsa-keuruu", "/?group=joutsa-luhanka-toivakka",
                                  "/vertaile", "/indikaattorit", "/esitys?group=jamsa-keuruu",
                                  "/esitys?group=joutsa-luhanka-toivakka", "/tila",
                                  "/kunta?kunta=435", "/kunta?kunta=850", "/neuvottelut",
                                  "/seuranta?group=joutsa-luhanka-toivakka",
                                  "/jarjestot?group=joutsa-luhanka-toivakka"])
def test_outside_text_is_inert(app, path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser, viewport={"width": 1400, "height": 1000})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        goto(page, app.url + path)
        wait_rendered(page)
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("a[href*='example.invalid']").count() == 0
        assert page.locator("b", has_text="Luhanka").count() == 0
        assert page.locator("img[src*='tracker.example.invalid']").count() == 0
        assert not any(c in page.inner_text("body") for c in INVISIBLE_ON_SCREEN)
        assert not dialogs
        browser.close()


def test_payload_is_visible_as_literal_text_in_the_highlights(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = new_page(browser, viewport={"width": 1400, "height": 1000})
        goto(page, app.url + "/?group=jamsa-keuruu")
        wait_rendered(page)
        body = page.inner_text("body")
        assert "<img src=x onerror=alert(1)>" in body
        assert "[klikkaa](javascript:alert(2))" in body
        browser.close()
