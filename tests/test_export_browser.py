"""The HTML export in headless Chromium with networking disabled: every chart draws, nothing loads."""

from __future__ import annotations

import pytest

from dashboard import data
from dashboard.reports import assemble, export
from dashboard.reports import html_page as html_report
from tests.browser_support import SCREENSHOTS, launch, require_chromium
from tests.test_app_overview import GROUPS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("group_id", ["joutsa-luhanka-toivakka", "aanekoski-laukaa"])
def test_html_export_draws_every_chart_offline(app_env, browser, tmp_path, group_id):
    b = assemble.briefing_for(data.version(), group_id)
    path = tmp_path / f"{group_id}.html"
    path.write_bytes(export.html_bytes(b))
    expected = len(html_report.chart_specs(b))

    context = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    requests = []

    def only_the_file(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function(
            "n => document.querySelectorAll('.chart svg.marks').length >= n", arg=expected,
            timeout=30_000)
        drawn = page.evaluate("""() => [...document.querySelectorAll('.chart')].filter(c => {
            const svg = c.querySelector('svg.marks');
            return svg && svg.getBoundingClientRect().width > 100
                && svg.querySelectorAll('path, line, rect, text').length > 20;
        }).length""")
        assert drawn == expected == 6
        body = page.inner_text("body")
        for municipality in GROUPS[group_id].replace(" ja ", ", ").split(", "):
            assert municipality in body
        assert "THL, Sotkanet" in body and "DEMOAINEISTO" in body
        assert "Kuvaa ei voitu piirtää" not in body
        assert requests == [path.as_uri()]
        assert not errors, errors
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"export-{group_id}.png"), full_page=True)
    finally:
        context.close()
