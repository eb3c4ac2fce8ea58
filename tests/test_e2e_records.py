"""In a real browser against `hyte serve`: an editor records a goal, and a viewer in
another session (through a proxy, so read only) sees it after loading the page."""

from __future__ import annotations

import time

import pytest

from tests.browser_support import (
    AppServer,
    copy_warehouse,
    goto,
    launch,
    new_page,
    require_chromium,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.browser
URL = "/neuvottelut?group=jamsa-keuruu&round=2023"


def test_an_editor_saves_a_goal_and_a_viewer_sees_it(demo_warehouse, tmp_path, monkeypatch):
    require_chromium()
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("HYTE_RECORDS", str(tmp_path / "records.sqlite"))
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path / "wh")).start()
    goal = f"Selaintestin tavoite {int(time.time())}: <b>ei lihavoitu</b>"
    try:
        with sync_playwright() as p:
            browser = launch(p)
            editor = new_page(browser, viewport={"width": 1280, "height": 720})
            errors = []
            editor.on("pageerror", lambda exc: errors.append(str(exc)))
            goto(editor, server.url + URL)
            wait_rendered(editor, 90_000)
            editor.get_by_text("(DEMO) Nuorten mielen hyvinvointi vahvistuu").first.wait_for()
            form = editor.locator(".st-key-add_goal")
            form.locator("textarea").fill(goal)
            form.get_by_role("button", name="Tallenna tavoite").click()
            editor.get_by_text(goal).first.wait_for(timeout=60_000)
            wait_rendered(editor)
            screenshot(editor, "records-editor-saved")

            # Another session, arriving through a proxy (a forwarded-for header): read only.
            viewer_ctx = browser.new_context(
                viewport={"width": 1280, "height": 720}, extra_http_headers={"X-Forwarded-For": "192.0.2.10"}
            )
            viewer = new_page(viewer_ctx)
            viewer.on("pageerror", lambda exc: errors.append(str(exc)))
            goto(viewer, server.url + URL)
            wait_rendered(viewer, 90_000)
            viewer.get_by_text(goal).first.wait_for(timeout=30_000)
            assert viewer.get_by_text("Lukutila").count() >= 1
            assert viewer.get_by_role("button", name="Tallenna tavoite").count() == 0
            # The markup typed into the goal is shown as text, not rendered.
            assert viewer.locator("b", has_text="ei lihavoitu").count() == 0
            screenshot(viewer, "records-viewer-sees")
            assert not errors, errors
            browser.close()
    finally:
        server.stop()
