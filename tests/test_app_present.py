"""Presenter mode: AppTest walks every slide of every group; links open a slide; bad links fall back.

The last test runs the real app in headless Chromium: chrome hidden, chart drawn, arrow key.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.reports import assemble, slides
from tests.browser_support import (
    AppServer,
    copy_warehouse,
    expect_run,
    goto,
    launch,
    new_page,
    require_chromium,
    screenshot,
    wait_rendered,
)
from tests.test_app_overview import APP, GROUPS

PRIORITIES = ["Mielen hyvinvointi", "Arjen turvallisuus", "Liikunnallinen elämäntapa"]
THEMES = ["Tavoitteet", "Toimenpiteet", "Yhteistyö", "Seuranta"]


def present(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # the first run resolves st.navigation's url paths; then switch
    at.switch_page("views/present.py")
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def unescape(text: str) -> str:
    return text.replace("\\", "")


def markdown(at) -> list[str]:
    return [unescape(m.value) for m in at.markdown]


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def deck_size(group_id: str) -> int:
    """The deck, with the "last round" slide when the group has a recorded negotiation (the
    demo round is seeded into the test store at the first app start)."""
    from dashboard.records import store

    b = assemble.briefing_for(data.version(), group_id)
    ngo = data.ngo_answers(data.version()) is not None  # the demo survey's NGO slide
    return (len(slides.build_deck(b, date.today())) + (store.latest_tree(group_id) is not None)
            + ngo)


@pytest.mark.parametrize("group_id, name", GROUPS.items())
def test_walk_every_slide_forward_and_back(app_env, group_id, name):
    at = present(group=group_id)
    n = deck_size(group_id)
    assert n >= 5  # title, at least one per priority, closing
    seen_priorities = []
    for number in range(1, n + 1):
        assert not at.exception, at.exception
        assert at.query_params["slide"] == str(number)
        assert at.query_params["group"] == group_id
        assert f"**{number} / {n}**" in [m.value for m in at.markdown]
        title = unescape(at.title[0].value)
        text = " ".join(markdown(at))
        charts = specs(at)
        if number == 1:
            assert title == name
            for municipality in name.replace(" ja ", ", ").split(", "):
                assert municipality in text
            assert "Tiedot vuosilta" in text and "Tietovarasto koottu" in text
            assert any("DEMOAINEISTO" in unescape(s.value) for s in at.subheader)
            assert at.button(key="pr_prev").disabled
            assert not charts
        elif number == n:
            assert title.startswith("Keskustellaan")
            for theme in THEMES:
                assert f"**{theme}.**" in text
            assert at.button(key="pr_next").disabled
            assert not charts
        elif title == "Viime neuvottelussa sovittiin":
            assert number == 2 and not charts  # right after the title slide
        elif title == "Järjestöt ryhmän alueella":
            assert number == n - 1  # the NGO survey's slide, before the closing slide
            assert len(charts) == 1
            assert charts[0]["config"]["locale"]["number"]["decimal"] == ","
            # its source is the county's NGO survey, not THL
            assert any("järjestökysely (DEMO), kierros 2025" in unescape(c.value)
                       and "ei THL:n tilasto" in unescape(c.value) for c in at.caption)
            at.button(key="pr_next").click().run()
            continue
        else:
            assert title in PRIORITIES
            seen_priorities.append(title)
            assert len(charts) == 1  # one chart per priority slide
            assert charts[0]["config"]["locale"]["number"]["decimal"] == ","
        # Speaker notes beside every slide; every slide names the source.
        assert "**Puhujan muistiinpanot**" in [m.value for m in at.markdown]
        assert any("THL, Sotkanet" in unescape(c.value) for c in at.caption)
        if number < n:
            at.button(key="pr_next").click().run()
    assert sorted(set(seen_priorities), key=PRIORITIES.index) == PRIORITIES
    for number in range(n - 1, 0, -1):
        at.button(key="pr_prev").click().run()
        assert at.query_params["slide"] == str(number)
    assert unescape(at.title[0].value) == name


@pytest.mark.parametrize("slide", ["0", "-1", "99", "abc", "1.5", "²", "", "<b>2</b>", "9" * 300])
def test_bad_slide_number_falls_back_to_the_first_slide(app_env, slide):
    at = present(group="jamsa-keuruu", slide=slide)
    assert not at.exception
    assert at.query_params["slide"] == "1"
    assert unescape(at.title[0].value) == GROUPS["jamsa-keuruu"]
    assert any("Linkin diaa ei löytynyt" in i.value for i in at.info)


def test_a_link_opens_the_given_slide(app_env):
    at = present(group="aanekoski-laukaa", slide="3")
    assert not at.exception
    assert not at.info
    assert at.query_params["slide"] == "3"
    assert unescape(at.title[0].value) in PRIORITIES


def test_bad_group_falls_back_with_a_note(app_env):
    at = present(group="<img src=x onerror=alert(1)>", slide="2")
    assert not at.exception
    assert at.query_params["group"] == "joutsa-luhanka-toivakka"
    assert any("ryhmää ei tunnistettu" in i.value for i in at.info)
    assert all("<img" not in m.value for m in at.markdown)


def test_changing_the_group_starts_from_the_first_slide(app_env):
    at = present(group="jamsa-keuruu", slide="3")
    at.selectbox(key="pr_group").set_value("viitasaari-pihtipudas").run()
    assert not at.exception
    assert at.query_params["group"] == "viitasaari-pihtipudas"
    assert at.query_params["slide"] == "1"
    assert unescape(at.title[0].value) == GROUPS["viitasaari-pihtipudas"]


def test_notes_can_be_hidden_for_the_projector(app_env):
    at = present(group="jamsa-keuruu", slide="3")  # 2: the demo round's last-round slide
    assert "**Puhujan muistiinpanot**" in [m.value for m in at.markdown]
    at.toggle(key="pr_show_notes").set_value(False).run()
    assert "**Puhujan muistiinpanot**" not in [m.value for m in at.markdown]
    assert len(specs(at)) == 1


def test_presenter_css_hides_the_sidebar_and_menus(app_env):
    at = present(group="jamsa-keuruu")
    css = " ".join(h.proto.body for h in at.get("html"))
    for selector in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]',
                     '[data-testid="stToolbar"]'):
        assert selector in css
    assert "display: none" in css


def test_download_buttons_for_html_pdf_and_the_slide_chart(app_env):
    at = present(group="jamsa-keuruu", slide="3")  # 2: the demo round's last-round slide
    names = [b.proto.label for b in at.get("download_button")]
    assert names == ["Tilannekuva (HTML)", "Yhden sivun tiivistelmä (PDF)", "Dian kuva (PNG)"]
    at = present(group="jamsa-keuruu", slide="1")
    assert len(at.get("download_button")) == 2  # the title slide has no chart


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_presenter_mode_in_chromium(demo_warehouse, tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    server = AppServer(copy_warehouse(demo_warehouse, tmp_path)).start()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = new_page(browser, viewport={"width": 1600, "height": 900})
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # Slide 2 is the demo round's "last round" slide (no chart): the first priority's.
            goto(page, server.url + "/esitys?group=joutsa-luhanka-toivakka&slide=3")
            assert wait_rendered(page) == 1  # the slide's chart, sent and drawn
            screenshot(page, "present-slide-2")
            assert page.locator('[data-testid="stSidebar"]').is_visible() is False
            assert page.locator('[data-testid="stHeader"]').is_visible() is False
            # Slide text is large: readable from the back of a room.
            size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                                 "'.st-key-slide [data-testid=\"stMarkdownContainer\"] p'))"
                                 ".fontSize)")
            assert size >= 22
            assert page.locator(".vega-embed").count() == 1
            # The arrow key moves to the next slide and the URL follows.
            page.locator(".st-key-slide h1").click()  # focus the page, not a widget
            expect_run(page)
            page.keyboard.press("ArrowRight")
            page.wait_for_function("() => location.search.includes('slide=4')", timeout=20_000)
            wait_rendered(page)
            assert not errors, errors
            browser.close()
    finally:
        server.stop()


def test_demo_data_is_a_slim_badge_on_slides_and_a_banner_elsewhere(app_env):
    at = present(group="jyvaskyla-muurame")
    assert not any("DEMOAINEISTO" in w.value for w in at.warning)
    assert any("DEMOAINEISTO" in m and "badge" in m for m in markdown(at))
    at.switch_page("views/overview.py").run()
    assert any("DEMOAINEISTO" in w.value for w in at.warning)
