"""AppTest of the Kuntakortti page: every municipality of the demo county, bad codes, sv and en."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.charts import kuntakortti as card_charts
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
MUNICIPALITIES = {
    "172": "Joutsa", "435": "Luhanka", "850": "Toivakka", "179": "Jyväskylä", "500": "Muurame",
    "182": "Jämsä", "249": "Keuruu", "495": "Multia", "592": "Petäjävesi", "892": "Uurainen",
    "216": "Kannonkoski", "226": "Karstula", "265": "Kivijärvi", "312": "Kyyjärvi",
    "729": "Saarijärvi", "256": "Kinnula", "601": "Pihtipudas", "931": "Viitasaari",
    "077": "Hankasalmi", "275": "Konnevesi", "410": "Laukaa", "992": "Äänekoski",
}
SMALL = {"435", "265", "216", "312", "256", "495"}  # under 2 000 residents in the demo data
SECTIONS = ["Mielen hyvinvointi", "Arjen turvallisuus", "Liikunnallinen elämäntapa",
            "Väestö ja olosuhteet"]


def open_card(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if "lang" in query:  # the session's language is read from the first run's link
        at.query_params["lang"] = query["lang"]
    at.run()  # st.navigation registers the pages on the first run
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/kunta.py")
    return at.run()


def specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def dataset(chart, name):
    """A chart's named dataset: Streamlit moves it out of the spec into Arrow."""
    import pyarrow as pa

    for d in chart.proto.datasets:
        if d.name == name:
            return pa.ipc.open_stream(d.data.data).read_pandas()
    raise KeyError(name)


def texts(at):
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


@pytest.mark.parametrize("code, name", MUNICIPALITIES.items())
def test_every_municipality_has_its_card(app_env, code, name):
    at = open_card(kunta=code)
    assert not at.exception
    assert at.title[0].value == name
    headers = [h.value for h in at.header]
    for section in SECTIONS:
        assert section in headers
    assert "Vahvuudet ja haasteet" in headers
    charts = specs(at)
    # the card's charts, then the NGO survey's two ("Järjestöt alueella", its own source)
    ngo = [c for c in charts if "järjestökysely" in json.dumps(c["title"], ensure_ascii=False)]
    assert len(ngo) == 2 and charts[-2:] == ngo
    charts = charts[:-2]
    assert len(charts) == len(SECTIONS)
    for spec in charts:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["title"]["text"].startswith(f"{name}: ")
    assert any(f"kuntanumero {code}" in c.value for c in at.caption)
    assert any("DEMOAINEISTO" in w.value for w in at.warning)
    small_note = [w.value for w in at.warning if "pieni kunta" in w.value]
    assert bool(small_note) == (code in SMALL)
    assert at.query_params["kunta"] == code
    assert any("THL, Sotkanet" in c.value for c in at.caption)  # the frame's source footer
    # Downloads of this card and its group's cards.
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tämä kuntakortti (PDF)", "Tämä kuntakortti (HTML)",
                      "Ryhmän kuntakortit (PDF)"]


@pytest.mark.parametrize("query", [
    {"kunta": "999"}, {"kunta": ""}, {"kunta": "<script>alert(1)</script>"},
    {"kunta": "x" * 5000}, {"kunta": "91"}, {"kunta": "🙂"},
])
def test_bad_code_opens_the_chooser_with_a_note(app_env, query):
    at = open_card(**query)
    assert not at.exception
    assert at.title[0].value == "Kuntakortti"
    assert [i.value for i in at.info] == ["Linkin kuntaa ei tunnistettu; valitse kunta listasta."]
    assert not specs(at)
    assert at.selectbox(key="kk_kunta").value is None
    picks = {b.label: b.key for b in at.button}
    assert len(picks) == 22  # the chooser: every card, group by group
    assert picks["Luhanka"] == "kk_pick_435" and picks["Jyväskylä"] == "kk_pick_179"
    assert all("<script>" not in t for t in texts(at))


def test_no_code_opens_the_chooser_without_a_note(app_env):
    at = open_card()
    assert not at.exception and not at.info
    assert at.title[0].value == "Kuntakortti"


def test_the_chooser_buttons_open_a_card(app_env):
    at = open_card(kunta="999")
    at.button(key="kk_pick_435").click().run()
    assert not at.exception
    assert at.title[0].value == "Luhanka" and at.query_params["kunta"] == "435"


def test_choosing_a_municipality_opens_its_card_and_updates_the_url(app_env):
    at = open_card(kunta="999")
    at.selectbox(key="kk_kunta").set_value(85).run()
    assert not at.exception
    assert at.title[0].value == "Jyväskylä"
    assert at.query_params["kunta"] == "179"
    at.selectbox(key="kk_kunta").set_value(208).run()
    assert at.title[0].value == "Luhanka" and at.query_params["kunta"] == "435"


def test_the_card_says_whom_the_municipality_is_compared_with(app_env):
    at = open_card(kunta="179")
    assert any("muuhun hyvinvointialueeseen" in c.value for c in at.caption)
    rows = dataset(at.get("vega_lite_chart")[0], card_charts.CARD_DATA)
    assert "vs. muu alue" in set(rows.loc[rows["kind"] == "head", "otsikko"])


@pytest.mark.parametrize("lang, title, section, download", [
    ("sv", "Kommunkort", "Psykiskt välbefinnande", "Detta kommunkort (PDF)"),
    ("en", "Municipality card", "Mental wellbeing", "This municipality card (PDF)"),
])
def test_the_card_in_swedish_and_english(app_env, lang, title, section, download):
    at = open_card(kunta="435", lang=lang)
    assert not at.exception
    assert at.title[0].value == "Luhanka"
    assert section in [h.value for h in at.header]
    assert any(title in c.value for c in at.caption)
    assert download in [b.proto.label for b in at.get("download_button")]
    spec = specs(at)[0]
    assert spec["config"]["locale"]["number"]["decimal"] == ("," if lang == "sv" else ".")
    chooser = open_card(kunta="nope", lang=lang)
    assert chooser.title[0].value == title and chooser.info
    assert "Linkin kuntaa" not in chooser.info[0].value  # translated note


@pytest.mark.parametrize("page, query, expected", [
    ("views/overview.py", {"group": "joutsa-luhanka-toivakka"}, ["Joutsa", "Luhanka", "Toivakka"]),
    ("views/compare.py", {"group": "jyvaskyla-muurame"}, ["Jyväskylä", "Muurame"]),
    ("views/explore.py", {"indicator": "181"}, list(MUNICIPALITIES.values())),
    ("views/status.py", {}, list(MUNICIPALITIES.values())),
])
def test_other_pages_link_to_the_cards(app_env, page, query, expected):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception
    links = [(link.proto.label, link.proto.page, link.proto.query_string)
             for link in at.get("page_link") if link.proto.page == "kunta"]
    assert sorted(label for label, _p, _q in links) == sorted(expected)
    codes = {name: code for code, name in MUNICIPALITIES.items()}
    assert all(q == f"kunta={codes[label]}" for label, _p, q in links)
