"""AppTest of Indikaattorit: search, metadata, every indicator, time series, tile map, downloads."""

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n.formatting import number
from dashboard.model import explorer
from dashboard.reports import explore_table
from dashboard.reports import tables as dl
from tests.download_capture import downloads  # noqa: F401  (fixture)
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")


def open_explore(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/explore.py")
    return at.run()


def series_table(at):
    frames = [d.value for d in at.dataframe if explore_table.COL_LO in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def catalogue(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT indicator_id, title_fi, title_sv, title_en FROM indicator "
                           "ORDER BY sort_order").df()
    finally:
        con.close()


def test_default_view_has_metadata_series_and_tile_map(app_env):
    at = open_explore()
    assert not at.exception
    assert at.title[0].value == "Indikaattorit"
    iid = at.selectbox(key="exp_ind").value
    body = " ".join(m.value for m in at.markdown)
    for label in ("Tuottaja", "Yksikkö", "Tiedot päivitetty", "Vuodet Sotkanetissa"):
        assert label in body
    links = at.get("link_button")
    assert links[0].proto.url == f"https://sotkanet.fi/sotkanet/fi/metadata/indicators/{iid}"
    assert [s.value for s in at.subheader] == ["Aikasarja", "Kunnat kartalla"]
    assert len(at.get("vega_lite_chart")) == 2
    assert len(series_table(at))
    assert at.query_params["indicator"] == str(iid)


@pytest.mark.parametrize("query, expected", [
    ("arbetslösa", 181),     # Swedish
    ("unemployed labour", 181),  # English, every word must match
    ("tyottomat tyovoimasta", 181),  # Finnish without the dots
    ("181", 181),            # the Sotkanet id
])
def test_search_in_every_language(app_env, query, expected):
    at = open_explore()
    at.text_input(key="exp_q").set_value(query).run()
    assert not at.exception
    assert expected in at.selectbox(key="exp_ind").options or \
        expected in [int(o.rsplit("(", 1)[1].rstrip(")")) for o in at.selectbox(key="exp_ind").options]


def test_no_match_is_a_message(app_env):
    at = open_explore()
    at.text_input(key="exp_q").set_value("qwertyzzz").run()
    assert not at.exception
    assert any("ei löytynyt" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_priority_filter(app_env):
    at = open_explore()
    at.multiselect(key="exp_priorities").set_value(["everyday_safety"]).run()
    assert not at.exception
    options = at.selectbox(key="exp_ind").options
    assert options and "Työttömät" not in " ".join(options)


def test_every_catalogue_indicator_renders(app_env):
    cat = catalogue(app_env)
    at = open_explore()
    for iid in cat["indicator_id"]:
        at.selectbox(key="exp_ind").set_value(int(iid)).run()
        assert not at.exception, iid
        assert at.query_params["indicator"] == str(iid)
        # Either a tile map or the message that the indicator is published for the county only.
        tile_map = len(at.get("vega_lite_chart")) == 2
        county_only = any("ei julkaista kunnittain" in i.value for i in at.info)
        assert tile_map != county_only, iid


def test_deep_link_and_bad_link(app_env):
    at = open_explore(indicator="3219")
    assert at.selectbox(key="exp_ind").value == 3219
    at = open_explore(indicator="<b>x</b>")
    assert not at.exception
    assert any("Linkin indikaattoria ei löytynyt" in i.value for i in at.info)


def test_empty_regions_and_gender_breakdown(app_env):
    at = open_explore(indicator="181")
    at.multiselect(key="exp_regions").set_value([]).run()
    assert not at.exception
    assert any("Valitse vähintään yksi alue" in i.value for i in at.info)
    at.multiselect(key="exp_regions").set_value([965, 85]).run()
    at.multiselect(key="exp_genders").set_value(["male", "female"]).run()
    shown = series_table(at)
    assert set(shown["Sukupuoli"]) == {"miehet", "naiset"}
    assert set(shown["Alue"]) == {"Keski-Suomen hyvinvointialue", "Jyväskylä"}
    assert (shown[explore_table.COL_LO] != "–").all()  # unemployment has numerators


def test_county_only_indicator_says_so(app_env):
    at = open_explore(indicator="4355")
    assert not at.exception
    assert any("ei julkaista kunnittain" in i.value for i in at.info)


def test_downloads_hold_exactly_the_table_on_screen(app_env, downloads):
    at = open_explore(indicator="2458")
    at.multiselect(key="exp_genders").set_value(["total", "female"]).run()
    screen = series_table(at)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    raw = downloads(buttons["Lataa CSV"])
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    source, csv = dl.read_csv(raw)
    psource, parquet = dl.read_parquet(downloads(buttons["Lataa Parquet"]))
    assert source == psource and "THL, Sotkanet" in source and "2458" in source
    assert list(csv.columns) == list(screen.columns) == list(parquet.columns)
    assert len(csv) == len(screen) == len(parquet) > 0
    for col in (explore_table.COL_VALUE, explore_table.COL_LO, explore_table.COL_HI):
        for shown, c, p in zip(screen[col], csv[col], parquet[col], strict=True):
            assert number(c, 1) == shown == number(p, 1), (col, shown, c, p)
    for col in (explore_table.COL_REGION, explore_table.COL_GENDER):
        assert list(csv[col]) == list(screen[col]) == list(parquet[col])
    assert [str(y) for y in csv[explore_table.COL_YEAR]] == list(screen[explore_table.COL_YEAR])
