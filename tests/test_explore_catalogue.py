"""The explorer over the whole catalogue: a warehouse built from a synthetic catalogue of 300
indicators (two of them loaded beyond the card), searched by the model and by the page."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.i18n import names
from dashboard.model import explorer
from pipelines import ingest
from pipelines.config import load_config
from tests.synthetic_catalogue import FIRST_ID, write_catalogue
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
TEST_CONFIG = ROOT / "tests" / "fixtures" / "config"
LOADED = (FIRST_ID + 1, FIRST_ID + 11)
HOSTILE = FIRST_ID + 2


@pytest.fixture(scope="module")
def catalogue_warehouse(tmp_path_factory):
    import json

    base = tmp_path_factory.mktemp("explore-catalogue")
    recorded = base / "recorded"
    write_catalogue(recorded, n=300)
    meta_file = recorded / "indicators" / f"{HOSTILE}.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["title"]["fi"] = "**Lihava** [linkki](https://evil.example) <b>x</b> yksinäisyys"
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    live = base / "warehouse.duckdb"
    result = ingest.run(load_config(TEST_CONFIG), "dir", live, from_dir=recorded,
                        indicators=",".join(str(i) for i in LOADED))
    assert result.published
    return live


@pytest.fixture
def catalogue_env(catalogue_warehouse, monkeypatch):
    monkeypatch.setenv("HYTE_WAREHOUSE", str(catalogue_warehouse))
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(TEST_CONFIG))
    st.cache_data.clear()
    yield catalogue_warehouse
    st.cache_data.clear()


def merged(lang="fi"):
    v = data.version()
    cat = names.localize(data.catalogue(v), lang)
    return explorer.merge_catalogue(cat["indicators"], data.indicator_catalogue(v))


def test_the_catalogue_holds_every_indicator_card_first(catalogue_env):
    frame = merged()
    assert len(frame) == 308
    assert list(frame["indicator_id"][:5]) == [127, 181, 2458, 4, 3090]
    assert frame["in_card"].sum() == 5
    loaded = set(frame.loc[frame["has_data"], "indicator_id"])
    assert loaded == {127, 181, 2458, 4, 3090, *LOADED}


@pytest.mark.parametrize("query, expected", [
    ("yksinäisyyttä 20–64", FIRST_ID),        # Finnish words
    ("ensamma", FIRST_ID),                    # Swedish
    ("lonely", FIRST_ID),                     # English
    ("kela lapset", FIRST_ID + 11),           # producer and subject
    (str(FIRST_ID + 9), FIRST_ID + 9),        # the id
])
def test_search_over_the_catalogue(catalogue_env, query, expected):
    found = explorer.search(merged(), query)
    assert expected in set(found["indicator_id"])
    assert len(found) < 308


def test_with_data_only(catalogue_env):
    found = explorer.search(merged(), "synteettinen", with_data_only=True)
    assert set(found["indicator_id"]) == set(LOADED)


def test_ingest_command():
    assert explorer.ingest_command(20009) == "hyte ingest --source sotkanet --indicators 20009"


def open_explore(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/explore.py")
    return at.run()


def test_page_marks_indicators_without_data_and_shows_the_command(catalogue_env):
    at = open_explore()
    assert not at.exception
    options = at.selectbox(key="exp_ind").options
    assert len(options) == 308
    at.text_input(key="exp_q").set_value(str(FIRST_ID + 9)).run()
    assert not at.exception
    [label] = at.selectbox(key="exp_ind").options
    assert label.endswith("· ei ladattu")
    assert [c.value for c in at.code] == [f"hyte ingest --source sotkanet --indicators "
                                          f"{FIRST_ID + 9}"]
    body = " ".join(m.value for m in at.markdown)
    assert "Tuottaja" in body and "Aihepiiri" in body
    assert not at.get("vega_lite_chart")


def test_page_charts_a_loaded_indicator_for_any_municipality(catalogue_env):
    at = open_explore(indicator=str(LOADED[1]))
    assert not at.exception
    assert at.selectbox(key="exp_ind").value == LOADED[1]
    regions = at.multiselect(key="exp_regions")
    # every municipality of the warehouse (28: Keski-Suomi and Pirkanmaa) plus county, country
    assert len(regions.options) == 30
    pirkanmaa = [o for o in regions.options if o.startswith("Kuhmoinen")]
    assert pirkanmaa
    regions.set_value([*regions.value[:2], pirkanmaa[0]]).run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "Alue" in d.value.columns]
    assert frames and "Kuhmoinen" in set(frames[0]["Alue"])
    assert len(at.get("vega_lite_chart")) == 2  # the series and the tile map
    assert not at.code


def test_catalogue_text_is_never_markup(catalogue_env):
    at = open_explore(indicator=str(HOSTILE))
    assert not at.exception
    header = at.header[0].value
    assert "\\*\\*Lihava\\*\\*" in header and "\\[linkki\\]" in header
    assert "<b>" not in header
