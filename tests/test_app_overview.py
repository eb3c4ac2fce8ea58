"""AppTest of the group overview: every group, bad URLs, the chart specs."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
GROUPS = {
    "joutsa-luhanka-toivakka": "Joutsa, Luhanka ja Toivakka",
    "jyvaskyla-muurame": "Jyväskylä ja Muurame",
    "jamsa-keuruu": "Jämsä, Keuruu, Multia, Petäjävesi ja Uurainen",
    "saarijarvi-karstula": "Kannonkoski, Karstula, Kivijärvi, Kyyjärvi ja Saarijärvi",
    "viitasaari-pihtipudas": "Kinnula, Pihtipudas ja Viitasaari",
    "aanekoski-laukaa": "Hankasalmi, Konnevesi, Laukaa ja Äänekoski",
}
PRIORITIES = ["Mielen hyvinvointi", "Arjen turvallisuus", "Liikunnallinen elämäntapa"]


def run(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def texts(at):
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def charts(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("group_id, name", GROUPS.items())
def test_every_group_renders_all_priorities(app_env, group_id, name):
    at = run(group=group_id)
    assert not at.exception
    assert at.title[0].value == name
    headers = [h.value for h in at.header]
    for p in PRIORITIES:
        assert p in headers
    assert "Keskeiset ilmiöt" in headers
    assert any("DEMOAINEISTO" in w.value for w in at.warning)
    assert at.query_params["group"] == group_id
    # Every chart carries the Finnish number locale in its own config. The first priority's
    # two charts are sent; the others' on demand (tests/test_app_overview_room.py); the NGO
    # section below adds its own two (the demo warehouse holds a survey).
    specs = charts(at)
    ngo = [s for s in specs if "järjestökysely" in json.dumps(s, ensure_ascii=False)]
    assert len(specs) - len(ngo) == 2 and len(ngo) == 2
    for spec in specs:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    # The footer names the source and licence.
    assert any("THL, Sotkanet" in c.value and "CC BY 4.0" in c.value for c in at.caption)


def test_highlight_sentences_name_value_benchmark_and_year(app_env):
    at = run(group="jyvaskyla-muurame")
    sentences = [m for m in texts(at) if m.startswith((":blue[**●**]", ":orange["))]
    assert sentences, "the demo data should give at least one highlight"
    for s in sentences:
        assert "vuonna 20" in s and ("hyvinvointialueella" in s or "koko maassa" in s)
        assert "," in s.split("vuonna")[0]  # decimal comma in the value


@pytest.mark.parametrize("query", [
    {"group": "no-such-group"},
    {"group": ""},
    {"group": "<script>alert(1)</script>", "priority": "🙂", "benchmark": "moon"},
    {"group": "x" * 5000},
])
def test_bad_url_gives_a_note_and_the_default_group(app_env, query):
    at = run(**query)
    assert not at.exception
    assert at.title[0].value == GROUPS["joutsa-luhanka-toivakka"]
    assert at.info and all("<script>" not in i.value for i in at.info)


def test_priority_and_benchmark_from_the_url(app_env):
    at = run(group="aanekoski-laukaa", priority="everyday_safety", benchmark="country")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Arjen turvallisuus" in headers and "Mielen hyvinvointi" not in headers
    assert at.query_params["benchmark"] == "country"
    assert any("koko maahan" in c.value for c in at.caption)


def test_changing_the_group_updates_the_url(app_env):
    at = run()
    at.selectbox(key="ov_group").set_value("jamsa-keuruu").run()
    assert at.title[0].value == GROUPS["jamsa-keuruu"]
    assert at.query_params["group"] == "jamsa-keuruu"


def test_large_group_is_compared_with_the_rest_of_the_area(app_env):
    at = run(group="jyvaskyla-muurame")
    assert any("muuhun hyvinvointialueeseen" in c.value for c in at.caption)


def test_why_this_colour_lists_the_numbers(app_env):
    at = run(group="jamsa-keuruu", priority="mental_wellbeing")
    frames = [d.value for d in at.dataframe]
    why = next(f for f in frames if "Arvo" in f.columns and "Menetelmä" in set(f.iloc[:, 0]))
    labels = set(why.iloc[:, 0])
    for label in ("Vuosi", "Ryhmän arvo", "95 %:n luottamusväli", "Vertailuarvo", "Menetelmä",
                  "Hyvä suunta", "Osoittaja (tapauksia yhteensä)"):
        assert label in labels
