"""A meeting tool sends visitors' addresses to no third party and works with no internet.

Every page, in every language, as a browser loads it from `hyte serve`: any request for a
host other than the app's own (fonts, icons, scripts, tracking) fails the test. The
browser is stopped from actually sending them (route abort), so the test needs no network.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser_support import (
    AppServer,
    copy_warehouse,
    goto,
    launch,
    new_page,
    require_chromium,
    wait_rendered,
)

pytestmark = pytest.mark.browser

PATHS = ["/?group=jamsa-keuruu", "/vertaile", "/indikaattorit?indicator=181",
         "/esitys?group=aanekoski-laukaa", "/tila", "/?lang=sv", "/vertaile?lang=en",
         "/esitys?group=jamsa-keuruu&lang=sv"]


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    require_chromium()
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("outside"))).start()
    yield server
    server.stop()


def test_no_request_leaves_for_another_host(app):
    from playwright.sync_api import sync_playwright

    own = urlsplit(app.url).netloc
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == own:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.route("**/*", guard)
        page = new_page(context)
        for path in PATHS:
            goto(page, app.url + path)
            wait_rendered(page)
            page.wait_for_timeout(1500)  # favicon, fonts and lazy chart assets come late
        browser.close()
    assert not outside, sorted(set(outside))
