"""AppTest of Vertaile kuntia: selections, empty selections, missing years, downloads = table."""

import json

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n.formatting import number
from dashboard.model import comparison
from dashboard.reports import compare_table
from dashboard.reports import tables as dl
from tests.download_capture import downloads  # noqa: F401  (fixture)
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")


def open_compare(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # st.navigation registers the pages on the first run
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("views/compare.py")
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


def table(at):
    frames = [d.value for d in at.dataframe if compare_table.COL_RANK_AREA in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def warehouse_facts(path):
    """What the demo warehouse holds, asked directly (not through the dashboard)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        munis = con.execute("SELECT region_id, name_fi FROM region WHERE category = 'KUNTA'").df()
        with_munis = con.execute(
            "SELECT DISTINCT indicator_id FROM observation JOIN region USING (region_id) "
            "WHERE category = 'KUNTA' AND gender = 'total'").df()
        inds = con.execute("SELECT indicator_id, priority FROM indicator").df()
    finally:
        con.close()
    return munis, set(with_munis["indicator_id"]), inds


def test_default_view_compares_the_first_group(app_env):
    at = open_compare()
    assert not at.exception
    assert at.title[0].value == "Vertaile kuntia"
    shown = table(at)
    assert set(shown["Kunta"]) == {"Joutsa", "Luhanka", "Toivakka"}
    assert set(shown[compare_table.COL_RANK_AREA]) - {"–"}
    ranks = [tuple(map(int, r.split("/"))) for r in shown[compare_table.COL_RANK_AREA] if r != "–"]
    assert all(1 <= r <= n <= 22 for r, n in ranks) and any(n == 22 for _, n in ranks)
    # The county demo holds only the area's municipalities: no fake national rank, and no
    # column of dashes for it.
    assert compare_table.COL_RANK_COUNTRY not in shown.columns
    assert any("Koko maan sijaa ei voi laskea" in c.value for c in at.caption)
    # Adult surveys exist only for the county: said in a message, not silently dropped.
    assert any("vain hyvinvointialueelle" in i.value for i in at.info)
    charts = specs(at)
    assert len(charts) == 2
    for spec in charts:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    heat = charts[0]
    cells = dataset(at.get("vega_lite_chart")[0], "heat")
    assert len(cells) == len(shown)
    assert set(cells["kunta"]) == set(shown["Kunta"])
    legend = heat["layer"][0]["encoding"]["fill"]
    assert "95 %:n luottamusväli" in legend["legend"]["title"]
    assert legend["scale"]["range"][legend["scale"]["domain"].index("ei verrattu")] == "#BDBDBD"
    assert any("THL, Sotkanet" in c.value for c in at.caption)


def test_group_priority_and_benchmark_from_the_url(app_env):
    at = open_compare(group="jyvaskyla-muurame", priority="everyday_safety", benchmark="country")
    assert not at.exception
    shown = table(at)
    assert set(shown["Kunta"]) == {"Jyväskylä", "Muurame"}
    assert set(shown[compare_table.COL_BENCH_WHERE]) == {"koko maa"}
    assert at.query_params["group"] == "jyvaskyla-muurame"


def test_every_municipality_is_compared_with_the_rest_of_the_area(app_env):
    """Large or small (issue 11): the area without the municipality where that can be
    computed, else the area itself, named so."""
    at = open_compare(group="jyvaskyla-muurame", priority="mental_wellbeing")
    shown = table(at)
    names = {"muu hyvinvointialue (ilman kuntaa)", "Keski-Suomen hyvinvointialue"}
    for muni in ("Jyväskylä", "Muurame"):
        where = shown.loc[shown["Kunta"] == muni, compare_table.COL_BENCH_WHERE]
        assert set(where) <= names and "muu hyvinvointialue (ilman kuntaa)" in set(where)
    # the same indicators fall back to the area for both: those without denominators
    by = shown.set_index(["Kunta", compare_table.COL_NAME])[compare_table.COL_BENCH_WHERE]
    assert (by["Jyväskylä"].sort_index() == by["Muurame"].sort_index()).all()


def test_changing_the_group_fills_the_municipalities(app_env):
    at = open_compare()
    at.selectbox(key="cmp_group").set_value("viitasaari-pihtipudas").run()
    assert not at.exception
    assert set(table(at)["Kunta"]) == {"Kinnula", "Pihtipudas", "Viitasaari"}
    assert at.query_params["group"] == "viitasaari-pihtipudas"


@pytest.mark.parametrize("key, message", [
    ("cmp_munis", "Valitse vähintään yksi kunta"),
    ("cmp_inds", "Valitse vähintään yksi indikaattori"),
])
def test_empty_selection_gives_a_message(app_env, key, message):
    at = open_compare()
    at.multiselect(key=key).set_value([]).run()
    assert not at.exception
    assert any(message in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_a_year_without_data_names_the_indicators(app_env):
    at = open_compare(priority="mental_wellbeing")
    years = at.selectbox(key="cmp_year").options
    assert years[0].startswith("Uusin")
    # School health surveys run in odd years, registers stop a year earlier: the newest
    # year has survey data only.
    at.selectbox(key="cmp_year").set_value(max(int(y) for y in years[1:])).run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "Ei kuntatietoja vuodelta" in notes
    assert "Nuorisotyöttömät" in notes
    assert set(table(at)[compare_table.COL_YEAR]) == {str(max(int(y) for y in years[1:]))}


def test_a_year_with_no_data_at_all_is_a_message(app_env):
    at = open_compare()
    at.multiselect(key="cmp_inds").set_value([4355]).run()  # adult survey: county only
    assert not at.exception
    assert any("Valinnoilla ei löytynyt" in w.value for w in at.warning)


def test_gender_breakdown(app_env):
    at = open_compare(priority="context", gender="female")
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "Ei tietoja valitulle sukupuolelle" in notes  # e.g. the dependency ratio
    assert len(table(at))


def test_every_municipality_and_every_indicator(app_env):
    munis, with_munis, inds = warehouse_facts(app_env)
    at = open_compare(priority="all")
    at.multiselect(key="cmp_munis").set_value(list(munis["region_id"])).run()
    assert not at.exception
    shown = table(at)
    assert len(shown) == len(munis) * len(with_munis)
    assert set(shown["Kunta"]) == set(munis["name_fi"])
    # Each indicator with no municipal data is named in a message.
    missing = set(inds["indicator_id"]) - with_munis
    assert missing and len(at.info) >= 1


def test_downloads_hold_the_rows_and_values_of_the_table_on_screen(app_env, downloads):
    """The contract: the same rows in the same order and the same values, machine-readable.

    The screen shows the interval as one "lo–hi" text column (so the table fits the page);
    the downloads hold it as two numeric columns, the bounds shown. Every other column has
    the same name and value on screen and in both files; numbers are rounded to the
    decimals shown; the quintile is an integer.
    """
    at = open_compare(group="aanekoski-laukaa", priority="mental_wellbeing")
    screen = table(at)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    source, csv = dl.read_csv(downloads(buttons["Lataa CSV"]))
    psource, parquet = dl.read_parquet(downloads(buttons["Lataa Parquet"]))
    assert "THL, Sotkanet" in source and "CC BY 4.0" in source and source == psource
    assert list(csv.columns) == list(parquet.columns)
    expected = [c for c in screen.columns if c != compare_table.COL_CI]
    at_ci = list(screen.columns).index(compare_table.COL_CI)
    expected[at_ci:at_ci] = [compare_table.COL_LO, compare_table.COL_HI]
    assert list(csv.columns) == expected
    assert len(csv) == len(screen) == len(parquet) > 0
    assert at.session_state["cmp_inds"]  # the decimals of each row come from its indicator
    compared = 0
    for col in (c for c in screen.columns if c != compare_table.COL_CI):
        for shown, c, p in zip(screen[col], csv[col], parquet[col], strict=True):
            if col in compare_table.NUMBER_COLUMNS:
                decimals = len(shown.split(",")[1]) if "," in shown else 0
                assert number(c, decimals) == shown == number(p, decimals), (col, shown, c, p)
            elif col in (compare_table.COL_YEAR, compare_table.COL_QUINTILE):
                assert (shown == "–" and pd.isna(c) and pd.isna(p)) or (
                    str(int(c)) == shown == str(int(p))), (col, shown, c, p)
            else:
                assert (shown == "–" and (c != c or c == "–")) or str(c) == shown == str(p)
            compared += 1
    # The interval: "lo–hi" on screen, the same two numbers (as shown) in the files.
    for shown, row_c, row_p in zip(screen[compare_table.COL_CI],
                                   csv[[compare_table.COL_LO, compare_table.COL_HI]].itertuples(
                                       index=False),
                                   parquet[[compare_table.COL_LO, compare_table.COL_HI]].itertuples(
                                       index=False), strict=True):
        if shown == "–":
            assert all(v != v for v in (*row_c, *row_p))
            continue
        lo, hi = shown.split("–")
        decimals = len(lo.split(",")[1]) if "," in lo else 0
        assert (number(row_c[0], decimals), number(row_c[1], decimals)) == (lo, hi)
        assert (number(row_p[0], decimals), number(row_p[1], decimals)) == (lo, hi)
        compared += 1
    assert compared == len(screen) * len(screen.columns)
    assert (screen[compare_table.COL_CI] != "–").any()
