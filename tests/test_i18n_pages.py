"""Every page in Swedish and English (?lang=sv|en): no exception, no Finnish UI text.

AppTest opens each page (overview, compare, explore, presenter, status) in both languages,
collects every text the page renders (titles, headers, markdown, captions, alerts, widget
labels, placeholders, help texts, options as displayed, tabs, expanders, popovers, metrics,
buttons, links, table headers and column help) and asserts that none holds a Finnish UI
word. Also: an unknown ?lang= falls back to Finnish with a note, the sidebar switch changes
the language and the URL, the language survives the pages' own URL updates, numbers follow
the language, and the downloads' headers are translated.

What is NOT checked here, and why:
- chart specs (st.vega_lite_chart): tests/test_i18n_exports.py builds every chart in sv and en;
- data, not UI: text carrying the " [fi]" fallback marker (a name or text the warehouse
  has only in Finnish), municipality names (the same in every language), the producers'
  names (the warehouse's `producer`, e.g. "Demoaineisto (synteettinen)") and the explorer's
  caption of the indicator's title in the other two languages (Finnish among them).
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalog
from dashboard.model import comparison, explorer
from dashboard.reports import compare_table, explore_table
from dashboard.reports import tables as dl
from tests.download_capture import downloads  # noqa: F401  (fixture)
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGES = {"overview": None, "compare": "views/compare.py", "explore": "views/explore.py",
         "present": "views/present.py", "status": "views/status.py", "ngo": "views/ngo.py"}
NAV = {
    "fi": ["Ryhmän tilannekuva", "Kuntakortti", "Vertaile kuntia", "Indikaattorit", "Järjestöt",
           "Esitystila",
           "Tietojen tila", "Neuvottelut", "Seuranta"],
    "sv": ["Gruppens lägesbild", "Kommunkort", "Jämför kommuner", "Indikatorer", "Organisationer",
           "Presentationsläge",
           "Uppgifternas status", "Förhandlingar", "Uppföljning"],
    "en": ["Group overview", "Municipality card", "Compare municipalities", "Indicators",
           "Organisations", "Presenter mode",
           "Data status", "Negotiations", "Follow-up"],
}
# Distinctive words of the Finnish UI texts (page titles, labels, captions, headers, table
# headers, buttons, messages): none may show on a Swedish or English page.
FINNISH_WORDS = [
    "Vertailu", "Vertaile", "Vertailukohta", "Kunnat", "Kuntaryhmä", "luottamusväli",
    "Painopiste", "Sukupuoli", "Vuosi", "Vuodet", "Lataa", "Lataukset", "Indikaattori",
    "Indikaattorit", "ryhmä", "Ryhmän", "vahvuudet", "haasteet", "heikompi", "samaa tasoa",
    "ei verrattu", "Tietojen", "asukasta", "Väestö", "Kaikki", "Koko maa", "Uusin",
    "Valitse", "Aikasarja", "kartalla", "Tuottaja", "Lähde", "Edellinen", "Seuraava",
    "Puhujan", "muistiinpanot", "Esitystila", "Taulukko", "Yleiskuva", "Keskeiset",
    "ilmiöt", "Kehitys", "Miksi", "väri", "Alue", "Arvo", "Tila", "Latausloki",
    "Havaintoja", "Rivejä", "Päivitetty", "Viidennes", "Sija", "tietovarasto",
    "Tilannekuva", "tiivistelmä", "Kieli", "esim", "Hae", "Demoaineisto", "DEMOAINEISTO",
    "Linkin", "yhteensä", "miehet", "naiset", "hyvinvointialue",
]
FINNISH = re.compile(r"\b(" + "|".join(map(re.escape, FINNISH_WORDS)) + r")\b", re.IGNORECASE)
FALLBACK = "[fi]"


def rerun(at: AppTest, lang: str) -> AppTest:
    """at.run() with the test thread in `lang`.

    AppTest formats the widgets' current values in the test's own thread (with each
    widget's format_func) to send them back, as a browser sends what it displayed; the
    page's language lives in the script's thread, so the test thread must speak the
    language the page was last shown in.
    """
    with catalog.use(lang):
        return at.run()


def open_page(page: str, lang: str, **query) -> AppTest:
    """`page` opened with ?lang=`lang` (and `query`), as a link would open it."""
    shown, _known = catalog.parse_language(lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if PAGES[page] is None:
        at.query_params.update(query)
        return rerun(at, shown)
    rerun(at, shown)  # the first run registers st.navigation's pages
    at.query_params.clear()
    at.query_params.update({"lang": lang, **query})
    at.switch_page(PAGES[page])
    return rerun(at, shown)


def warehouse_data(path) -> dict:
    """Names and texts that are data (shown as the warehouse holds them)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        regions = con.execute("SELECT name_fi, name_sv, name_en FROM region").df()
        producers = con.execute("SELECT DISTINCT producer FROM indicator "
                                "WHERE producer IS NOT NULL").df()
        titles = con.execute("SELECT title_fi, title_sv, title_en FROM indicator").df()
    finally:
        con.close()
    same = regions[(regions["name_fi"] == regions["name_sv"])
                   & (regions["name_fi"] == regions["name_en"])]["name_fi"]
    return {"names": sorted(set(same) | set(producers["producer"]), key=len, reverse=True),
            "titles": titles}


def unescape(text: str) -> str:
    return text.replace("\\", "").replace("\u200b", "")


def _strings(proto, *fields) -> list[str]:
    return [getattr(proto, f) for f in fields if getattr(proto, f, "")]


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything the page shows but the exclusions above."""
    out: list[tuple[str, str]] = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind == "vega_lite_chart":  # chart specs: tests/test_i18n_exports.py builds them all
            return
        texts: list[str] = []
        if kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                    "error", "success"):
            texts.append(unescape(node.value))
        elif kind in ("selectbox", "multiselect", "button_group", "radio"):
            texts += [node.label, *map(str, node.options),
                      *_strings(node.proto, "help", "placeholder")]
        elif kind in ("text_input", "toggle", "button", "download_button", "checkbox"):
            texts += [node.label, *_strings(node.proto, "help", "placeholder")]
        elif kind in ("link_button", "page_link"):
            texts += _strings(node.proto, "label", "help")
        elif kind == "metric":
            texts += _strings(node.proto, "label", "body", "help")
        elif kind in ("tab", "expander"):
            texts.append(node.label)
        elif kind == "popover":
            texts += _strings(node.proto.popover, "label", "help")
        elif kind == "dataframe":
            frame = node.value
            texts += [str(c) for c in frame.columns]
            for config in json.loads(node.proto.columns or "{}").values():
                texts += [config[k] for k in ("label", "help") if config.get(k)]
            # The cells too (outcomes, trends, "vain alue", statuses, "why this colour?").
            texts += sorted({v for v in frame.to_numpy().ravel() if isinstance(v, str)})
        out.extend((kind, t) for t in texts if t)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def finnish_left(at: AppTest, data: dict, lang: str) -> list[tuple[str, str, str]]:
    titles = data["titles"]
    others = {" · ".join(str(r[f"title_{o}"]) for o in catalog.LANGUAGES if o != lang)
              for r in titles.to_dict("records")}
    found = []
    for kind, text in page_texts(at):
        if FALLBACK in text or (kind == "caption" and text in others):
            continue
        for name in data["names"]:
            text = text.replace(name, "")
        hits = FINNISH.findall(text)
        if hits:
            found.append((kind, hits[0], text[:160]))
    return found


def nav_titles(at: AppTest) -> list[str]:
    # The titles st.navigation registered (AppTest keeps them; it draws no sidebar nav).
    return [info["page_name"] for info in at._registered_pages.values()]


# --- every page in sv and en -------------------------------------------------------------

PAGE_QUERIES = {
    "overview": {"group": "jamsa-keuruu"},
    "ngo": {"group": "jamsa-keuruu", "priority": "active_lifestyle"},
    "compare": {"group": "jyvaskyla-muurame", "priority": "mental_wellbeing"},
    "explore": {"indicator": "181"},
    "present": {"group": "jamsa-keuruu", "slide": "2"},
    "status": {},
}
TITLES = {
    "ngo": {"sv": "Organisationer", "en": "Organisations"},
    "overview": {"sv": "Jämsä, Keuruu, Multia, Petäjävesi och Uurainen",
                 "en": "Jämsä, Keuruu, Multia, Petäjävesi and Uurainen"},
    "compare": {"sv": "Jämför kommuner", "en": "Compare municipalities"},
    "explore": {"sv": "Indikatorer", "en": "Indicators"},
    "status": {"sv": "Uppgifternas status", "en": "Data status"},
}
HEADERS = {  # main headers and subheaders that must be in the page's language
    "ngo": {"sv": ["Jämförelse mellan omgångarna 2023 och 2025", "Ladda ner som filer"],
            "en": ["Comparison of rounds: 2023 and 2025", "Download as files"]},
    "overview": {"sv": ["Centrala iakttagelser", "Psykiskt välbefinnande", "Ladda ner som filer"],
                 "en": ["Key findings", "Mental wellbeing", "Download as files"]},
    "compare": {"sv": ["Översikt", "Tabell", "Kommunerna per indikator"],
                "en": ["Overview", "Table", "Municipalities by indicator"]},
    "explore": {"sv": ["Arbetslösa, % av arbetskraften", "Tidsserie", "Kommunerna på kartan"],
                "en": ["Unemployed, % of labour force", "Time series",
                       "Municipalities on the map"]},
    "status": {"sv": ["Indikatorer", "Radantal per tabell", "Laddningslogg"],
               "en": ["Indicators", "Rows per table", "Load log"]},
    "present": {"sv": [], "en": []},
}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_speaks_the_language_and_shows_no_finnish_ui_text(app_env, page, lang):
    at = open_page(page, lang, **PAGE_QUERIES[page])
    assert not at.exception, at.exception
    assert at.query_params["lang"] == lang
    assert nav_titles(at) == NAV[lang]
    if page in TITLES:
        assert at.title[0].value == TITLES[page][lang]
    heads = [h.value for h in at.header] + [s.value for s in at.subheader]
    for head in HEADERS[page][lang]:
        assert head in heads, (head, heads)
    assert at.segmented_control(key="ui_lang").value == lang
    assert any(("Källa: THL" if lang == "sv" else "Source: THL") in unescape(c.value)
               for c in at.caption)
    left = finnish_left(at, warehouse_data(app_env), lang)
    assert not left, left


def test_presenter_controls_and_notes_heading_are_translated(app_env):
    at = open_page("present", "en", group="jamsa-keuruu", slide="3")
    assert not at.exception
    assert at.button(key="pr_prev").label == "Previous"
    assert at.button(key="pr_next").label == "Next"
    assert at.toggle(key="pr_show_notes").label == "Speaker notes"
    assert "**Speaker notes**" in [m.value for m in at.markdown]
    link = at.get("page_link")[0].proto
    assert link.label == "Leave presenter mode" and "lang=en" in link.query_string
    assert [b.proto.label for b in at.get("download_button")] == [
        "Overview (HTML)", "One-page summary (PDF)", "Slide image (PNG)"]
    at.button(key="pr_next").click()
    rerun(at, "en")
    assert at.query_params["slide"] == "4" and at.query_params["lang"] == "en"


def test_the_check_finds_finnish_text(app_env):
    """The word list bites: the Finnish page is full of it (and a name alone is not)."""
    data = warehouse_data(app_env)
    at = open_page("compare", "fi")
    assert len(finnish_left(at, data, "fi")) > 10
    assert not FINNISH.findall("Jyväskylä, Äänekoski, Keski-Suomen hyvinvointialueella")


# --- language choice ---------------------------------------------------------------------


def test_unknown_language_falls_back_to_finnish_with_a_note(app_env):
    at = open_page("overview", "de", group="jamsa-keuruu")  # the link's first run
    assert not at.exception
    assert at.title[0].value == "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen"
    assert "Keskeiset ilmiöt" in [h.value for h in at.header]
    assert nav_titles(at) == NAV["fi"]
    assert any("Linkin kieltä ei tunnistettu" in i.value and "känns inte igen" in i.value
               and "not recognised" in i.value for i in at.info)
    assert "lang" not in at.query_params  # Finnish is the default: no lang in the URL


def test_sidebar_switch_changes_the_language_and_the_url(app_env):
    at = open_page("compare", "fi", group="jamsa-keuruu")
    assert at.title[0].value == "Vertaile kuntia" and "lang" not in at.query_params
    at.segmented_control(key="ui_lang").set_value("sv")
    rerun(at, "fi")  # the browser sends back what it showed: Finnish
    assert not at.exception
    assert at.title[0].value == "Jämför kommuner"
    assert nav_titles(at) == NAV["sv"]
    assert at.query_params["lang"] == "sv"
    # The selection survives the switch.
    assert at.query_params["group"] == "jamsa-keuruu"
    assert at.selectbox(key="cmp_group").value == "jamsa-keuruu"
    at.segmented_control(key="ui_lang").set_value("en")
    rerun(at, "sv")
    assert at.title[0].value == "Compare municipalities" and at.query_params["lang"] == "en"
    at.segmented_control(key="ui_lang").set_value("fi")
    rerun(at, "en")
    assert at.title[0].value == "Vertaile kuntia" and "lang" not in at.query_params


def test_language_survives_the_compare_pages_url_updates(app_env):
    at = open_page("compare", "sv")
    at.segmented_control(key="cmp_gender").set_value("female")
    rerun(at, "sv")
    assert not at.exception
    assert at.query_params["gender"] == "female" and at.query_params["lang"] == "sv"
    assert at.title[0].value == "Jämför kommuner"
    at.selectbox(key="cmp_group").set_value("viitasaari-pihtipudas")
    rerun(at, "sv")
    assert at.query_params["group"] == "viitasaari-pihtipudas"
    assert at.query_params["lang"] == "sv"
    with catalog.use("sv"):
        kommun = compare_table.column(compare_table.COL_MUNI)
    table = next(d.value for d in at.dataframe if kommun in d.value.columns)
    assert set(table[kommun]) == {"Kinnula", "Pihtipudas", "Viitasaari"}


@pytest.mark.parametrize("page, key, value", [
    ("overview", "ov_group", "viitasaari-pihtipudas"),
    ("explore", "exp_ind", 3219),
])
def test_language_survives_the_other_pages_url_updates(app_env, page, key, value):
    at = open_page(page, "en")
    at.selectbox(key=key).set_value(value)
    rerun(at, "en")
    assert not at.exception
    assert at.query_params["lang"] == "en"
    assert str(value) in at.query_params.values()


# --- numbers and tables in the language -----------------------------------------------------


def test_numbers_follow_the_language(app_env):
    at = open_page("overview", "en", group="jyvaskyla-muurame")
    header = next(m.value for m in at.markdown if m.value.startswith("**Municipalities:**"))
    population = re.search(r"\*\*Population:\*\* ([\d,]+) inhabitants", header).group(1)
    assert "," in population  # 1,234 in English (1 234 in Finnish and Swedish)
    group_values = [v for d in at.dataframe if "Group" in d.value.columns
                    for v in d.value["Group"] if v not in ("–", "county only")]
    assert group_values and any("." in v for v in group_values)
    assert not any(re.search(r"\d,\d{1,2}$", v) for v in group_values)  # no decimal comma
    sv = open_page("overview", "sv", group="jyvaskyla-muurame")
    sv_values = [v for d in sv.dataframe if "Grupp" in d.value.columns
                 for v in d.value["Grupp"] if v not in ("–", "endast området")]
    assert any(re.search(r"\d,\d", v) for v in sv_values)
    status = open_page("status", "en")
    observations = next(m for m in status.metric if m.proto.label == "Observations").proto.body
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", observations)


def test_compare_downloads_have_translated_headers_and_the_values_shown(app_env, downloads):
    at = open_page("compare", "en", group="aanekoski-laukaa", priority="mental_wellbeing")
    with catalog.use("en"):
        col = compare_table.column
        shown = next(d.value for d in at.dataframe if col(compare_table.COL_CI) in d.value.columns)
        buttons = {b.proto.label: b for b in at.get("download_button")}
        assert set(buttons) == {"Download CSV", "Download Parquet"}
        source, csv = dl.read_csv(downloads(buttons["Download CSV"]))
        psource, parquet = dl.read_parquet(downloads(buttons["Download Parquet"]))
        expected = [c for c in shown.columns if c != col(compare_table.COL_CI)]
        at_ci = list(shown.columns).index(col(compare_table.COL_CI))
        expected[at_ci:at_ci] = [col(compare_table.COL_LO), col(compare_table.COL_HI)]
        assert list(csv.columns) == list(parquet.columns) == expected
        assert "95% interval, lower bound" in csv.columns and "Municipality" in csv.columns
        assert "Comparison: " in source and source == psource
        value = col(compare_table.COL_VALUE)
        from dashboard.i18n.formatting import number
        for text, c in zip(shown[value], parquet[value], strict=True):
            decimals = len(text.split(".")[1]) if "." in text else 0
            assert number(c, decimals) == text


def test_explore_table_and_downloads_are_translated(app_env, downloads):
    at = open_page("explore", "sv", indicator="181")
    with catalog.use("sv"):
        names = [explore_table.COL_REGION, explore_table.COL_GENDER, explore_table.COL_YEAR,
                 explore_table.COL_VALUE, explore_table.COL_LO, explore_table.COL_HI]
        headers = [catalog._(n) for n in names]
        shown = next(d.value for d in at.dataframe if headers[0] in d.value.columns)
        assert list(shown.columns) == headers
        assert set(shown[headers[1]]) == {"totalt"}
        buttons = {b.proto.label: b for b in at.get("download_button")}
        source, csv = dl.read_csv(downloads(buttons["Ladda ner CSV"]))
    assert list(csv.columns) == headers
    assert "Indikator 181: Arbetslösa, % av arbetskraften" in source
    # The header in Swedish, the others caption Finnish and English.
    assert at.header[0].value == "Arbetslösa, % av arbetskraften"
    others = [unescape(c.value) for c in at.caption if "·" in c.value]
    assert others and others[0].startswith("Työttömät") and "Unemployed" in others[0]


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_pages_in_swedish_and_the_switch_in_chromium(demo_warehouse, tmp_path, browser):
    from tests.browser_support import (
        AppServer,
        copy_warehouse,
        goto,
        new_page,
        screenshot,
        wait_rendered,
    )

    server = AppServer(copy_warehouse(demo_warehouse, tmp_path)).start()
    page = new_page(browser, viewport={"width": 1600, "height": 1200})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        goto(page, server.url + "/vertaile?lang=sv&group=jamsa-keuruu")
        wait_rendered(page)
        page.get_by_text("Kommunerna per indikator").wait_for(timeout=30_000)
        screenshot(page, "compare-sv")
        body = page.inner_text("body")
        assert page.locator('[data-testid="stException"]').count() == 0
        for text in ("Jämför kommuner", "Gruppens lägesbild", "Uppgifternas status", "Tabell",
                     "Källa: THL"):
            assert text in body, text
        assert "Vertaile kuntia" not in body
        # The sidebar switch: English, and the URL says so; the selection stays.
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=20_000)
        page.get_by_text("Municipalities by indicator").wait_for(timeout=30_000)
        wait_rendered(page)
        body = page.inner_text("body")
        assert "Compare municipalities" in body and "Jämför kommuner" not in body
        assert "group=jamsa-keuruu" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        # The sidebar navigation keeps the language on the next page.
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Data status").click()
        page.get_by_text("Load log").wait_for(timeout=30_000)
        assert "lang=en" in page.url
        assert not errors, errors
    finally:
        page.close()
        server.stop()
