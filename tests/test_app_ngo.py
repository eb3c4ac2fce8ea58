"""AppTest of the Järjestöt page and the NGO sections of the overview and the kuntakortti."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.browser_support import copy_warehouse
from tests.download_capture import downloads  # noqa: F401  (fixture)
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
DEMO_NEEDS = "Pysyvämpää rahoitusta kuin vuosittaiset avustukset (DEMO)."


def page(path: str | None = "views/ngo.py", **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if path is None:  # the default page (the overview) reads its link on the first run
        for k, v in query.items():
            at.query_params[k] = v
        return at.run()
    if "lang" in query:  # the language is chosen on the session's first run
        at.query_params["lang"] = query["lang"]
    at.run()
    if path:
        at.switch_page(path)
    at.query_params.clear()
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def unescape(text: str) -> str:
    return text.replace("\\", "")


def texts(at) -> list[str]:
    return [unescape(e.value) for e in [*at.markdown, *at.caption, *at.header, *at.subheader,
                                         *at.title, *at.info]]


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_rows(chart) -> list[dict]:
    """Every row of a chart's data: Streamlit moves inline values out into Arrow datasets."""
    import pyarrow as pa

    rows = []
    if chart.proto.data.data:  # one unnamed data set
        rows += pa.ipc.open_stream(chart.proto.data.data).read_pandas().to_dict("records")
    for d in chart.proto.datasets:
        rows += pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records")
    return rows


def test_page_shows_the_picture_beside_the_indicators(app_env):
    at = page(group="joutsa-luhanka-toivakka")
    assert not at.exception, at.exception
    assert at.title[0].value == "Järjestöt"
    shown = " ".join(texts(at))
    assert "Kyselyyn vastanneista järjestöistä" in shown
    assert "Joutsa, Luhanka ja Toivakka" in shown
    assert "Ryhmän indikaattorit: kaikki painopisteet" in shown
    assert "Kierrosten vertailu: 2023 ja 2025" in shown
    assert any("DEMOAINEISTO" in w.value for w in at.warning)
    # beside: the group's indicators of the three priorities, with their outcomes
    table = at.dataframe[0].value
    assert {"Indikaattori", "Ryhmä", "vs. alue"} <= set(table.columns) and len(table) > 5
    charts = specs(at)
    assert len(charts) >= 7  # activities, targets, cooperation, types, municipalities, ...
    for spec in charts:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        subtitle = " ".join(spec["title"]["subtitle"])
        assert "järjestökysely (DEMO)" in subtitle and "THL:n" in subtitle
        assert "DEMOAINEISTO" in subtitle
    assert len(at.get("download_button")) == 4  # the picture and the rounds, CSV and Parquet


def test_priority_and_round_from_the_link(app_env):
    at = page(group="jyvaskyla-muurame", priority="active_lifestyle", round="2023")
    assert not at.exception
    shown = " ".join(texts(at))
    assert "tukevansa painopistettä Liikunnallinen elämäntapa" in shown
    assert "kierros 2023" in shown
    assert "Ryhmän indikaattorit: Liikunnallinen elämäntapa" in shown
    assert at.query_params["round"] == "2023"
    table = at.dataframe[0].value
    assert len(table) > 0


def test_no_small_number_on_the_page(app_env):
    """A small municipality and one priority: the rule shows as "< 5", never as 1–4."""
    seen = 0
    at = page(group="joutsa-luhanka-toivakka", priority="everyday_safety")
    box = "ngo_kunta_joutsa-luhanka-toivakka"
    for i in range(len(at.selectbox(key=box).options)):  # the group, then each member
        if i:
            at.selectbox(key=box).select_index(i).run()
        assert not at.exception
        for chart in at.get("vega_lite_chart"):
            for row in chart_rows(chart):
                if "teksti" in row and "maara" in row:
                    assert pd.isna(row["maara"]) or row["maara"] == 0 or row["maara"] >= 5
                    assert row["teksti"] not in ("1", "2", "3", "4")
                    seen += row["teksti"] == "< 5"
        for metric in at.metric:
            assert metric.value not in ("1", "2", "3", "4")
        for frame in at.dataframe[1:]:  # the rounds' table
            for col in frame.value.columns[3:5]:
                assert not frame.value[col].astype(str).isin(["1", "2", "3", "4"]).any()
    assert seen > 0


def test_free_text_only_for_editors(app_env, monkeypatch):
    at = page(group="jyvaskyla-muurame")  # AppTest is a loopback session: the local editor
    assert any("(vain muokkaajille)" in e.label for e in at.expander)
    assert DEMO_NEEDS.replace(".", "\\.").replace("(", "\\(").replace(")", "\\)") in \
        " ".join(m.value for m in at.markdown) or DEMO_NEEDS in " ".join(texts(at))
    monkeypatch.setenv("HYTE_LOCAL_EDIT", "0")
    st.cache_data.clear()
    at = page(group="jyvaskyla-muurame")
    assert not at.exception
    assert not any("muokkaajille" in e.label for e in at.expander)
    assert "(DEMO)." not in " ".join(m.value for m in at.markdown)
    assert any("näkyvät vain muokkausoikeuden haltijoille" in t for t in texts(at))


def test_overview_and_kuntakortti_get_the_section(app_env):
    at = page(None, group="aanekoski-laukaa")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Järjestöt alueella" in headers
    assert headers.index("Järjestöt alueella") > headers.index("Väestö ja olosuhteet")
    assert any("Hankasalmi, Konnevesi, Laukaa ja Äänekoski" in t and "Kyselyyn" in t
               for t in texts(at))
    at = page("views/kunta.py", kunta="435")
    assert not at.exception
    assert "Järjestöt alueella" in [h.value for h in at.header]
    assert any("alueella Luhanka" in t for t in texts(at))
    ngo_specs = [s for s in specs(at) if "järjestökysely" in json.dumps(s.get("title"), ensure_ascii=False)]
    assert len(ngo_specs) == 2


def test_swedish_page(app_env):
    from dashboard.i18n import catalog

    with catalog.use("sv"):  # AppTest formats widget values in the test's thread
        at = page(group="jamsa-keuruu", lang="sv")
    assert not at.exception
    assert at.title[0].value == "Organisationer"
    assert any("kommunal enkät" in t or "organisationsenkät" in t for t in texts(at))


@pytest.fixture
def no_survey(demo_warehouse, tmp_path, monkeypatch):
    path = copy_warehouse(demo_warehouse, tmp_path)
    con = duckdb.connect(str(path))
    for table in ("ngo_org_need", "ngo_org_priority", "ngo_org_target", "ngo_org_activity",
                  "ngo_org_region", "ngo_org", "ngo_survey"):
        con.execute(f"DELETE FROM {table}")
    con.close()
    monkeypatch.setenv("HYTE_WAREHOUSE", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def test_without_a_survey_the_page_says_how_and_the_others_show_nothing(no_survey):
    at = page()
    assert not at.exception
    assert "Järjestökyselyä ei ole ladattu" in at.info[0].value
    at = page(None, group="jamsa-keuruu")
    assert not at.exception
    assert "Järjestöt alueella" not in [h.value for h in at.header]


HOSTILE_NAME = "<img src=x onerror=alert(1)> [klik](http://evil.example) **kysely**"
HOSTILE_NEED = "<script>alert(1)</script> [x](javascript:alert(1)) **lihava**"


@pytest.fixture
def hostile_survey(tmp_path, monkeypatch):
    """A warehouse whose only survey has markup in its name and in a free-text answer."""
    from pipelines import ingest
    from pipelines.config import load_config
    from tests.survey_support import csv_rows, write_csv

    folder = tmp_path / "surveys"
    rows = csv_rows()
    write_csv(folder, 2025, rows=rows)
    mapping = folder / "kysely-2025.toml"
    text = mapping.read_text(encoding="utf-8").replace(
        'name = "Testikysely CSV"', "name = '" + HOSTILE_NAME + "'").replace(
        'coop_parish = "Yhteistyö: seurakunta"', 'development_needs = "Yhteistyö: seurakunta"')
    mapping.write_text(text, encoding="utf-8")
    for r in rows:
        r[12] = HOSTILE_NEED
    write_csv(folder, 2025, rows=rows)
    mapping.write_text(text, encoding="utf-8")  # write_csv rewrote the mapping
    live = tmp_path / "wh" / "warehouse.duckdb"
    live.parent.mkdir()
    result = ingest.run(load_config(ROOT / "data"), "demo", live, survey_dir=folder)
    assert result.exit_code == 0, result.warnings
    con = duckdb.connect(str(live))  # keep only the hostile survey
    for table in ("ngo_org_need", "ngo_org_priority", "ngo_org_target", "ngo_org_activity",
                  "ngo_org_region", "ngo_org", "ngo_survey"):
        con.execute(f"DELETE FROM {table} WHERE survey_id LIKE 'demo-%'")
    con.close()
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    st.cache_data.clear()
    yield live
    st.cache_data.clear()


def test_markup_from_the_survey_is_shown_as_text(hostile_survey):
    at = page(group="jyvaskyla-muurame")
    assert not at.exception, at.exception
    raw = [e.value for e in [*at.markdown, *at.caption]]
    sources = [v for v in raw if "onerror" in v]
    assert sources, "the survey's name is on the page"
    for v in sources:
        assert "\\<img" in v and "\\[klik\\]" in v and "\\*\\*kysely" in v
    needs = [v for v in raw if "alert" in v and "script" in v]
    assert needs, "the editor sees the free text"
    for v in needs:
        assert "\\<script\\>" in v and "\\[x\\]" in v and "\\*\\*lihava" in v
    for spec in specs(at):  # a chart's subtitle is drawn as text by Vega, never markup
        assert HOSTILE_NAME in " ".join(spec["title"]["subtitle"]) or "onerror" in \
            json.dumps(spec["title"], ensure_ascii=False)


def test_status_page_lists_the_surveys(app_env):
    at = page("views/status.py")
    assert not at.exception
    assert "Järjestökyselyt" in [s.value for s in at.subheader]
    table = at.dataframe[-1].value
    assert list(table["Kierros"]) == ["2023", "2025"]
    assert list(table["Vastanneita järjestöjä"]) == ["280", "310"]


def test_page_downloads_hold_the_suppressed_tables_and_no_free_text(app_env, downloads):
    from dashboard.reports import tables

    at = page(group="joutsa-luhanka-toivakka", priority="everyday_safety")
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert set(buttons) == {"jarjestot-joutsa-luhanka-ja-toivakka-2025.csv",
                            "jarjestot-joutsa-luhanka-ja-toivakka-2025.parquet",
                            "jarjestot-joutsa-luhanka-ja-toivakka-2025-kierrokset.csv",
                            "jarjestot-joutsa-luhanka-ja-toivakka-2025-kierrokset.parquet"}
    source, csv = tables.read_csv(downloads(buttons[
        "jarjestot-joutsa-luhanka-ja-toivakka-2025.csv"]))
    assert "järjestökysely (DEMO), kierros 2025" in source and "ei THL:n tilasto" in source
    assert "DEMOAINEISTO" in source
    assert set(csv["Painopiste"]) == {"Arjen turvallisuus"}
    counts = csv["Järjestöjä"].astype(str)
    assert (counts == "< 5").any() and not counts.isin(["1", "2", "3", "4"]).any()
    _s, rounds = tables.read_parquet(downloads(buttons[
        "jarjestot-joutsa-luhanka-ja-toivakka-2025-kierrokset.parquet"]))
    for col in ("Järjestöjä 2023", "Järjestöjä 2025"):
        assert not rounds[col].astype(str).isin(["1", "2", "3", "4"]).any()
    every_file = b"".join(downloads(b) for b in buttons.values()).decode("utf-8", "replace")
    assert "(DEMO)." not in every_file.replace("järjestökysely (DEMO)", "")  # no needs text
