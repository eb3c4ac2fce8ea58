"""Pure logic of the compare and explore pages on hand-made frames: no warehouse, no Streamlit."""

from __future__ import annotations

import math
import tomllib

import pandas as pd
import pytest

from dashboard.charts import compare as comparison_charts
from dashboard.charts import explore as explore_charts
from dashboard.charts import tilemap
from dashboard.i18n.formatting import number
from dashboard.model import comparison, explorer
from dashboard.model import stats as analysis
from dashboard.reports import compare_table, explore_table
from dashboard.ui import urlstate
from tests.warehouse_fixtures import ROOT

AREA, COUNTRY, OTHER_AREA = 1000, 2000, 3000


def regions(with_other_county: bool = True) -> pd.DataFrame:
    rows = [
        (AREA, "15", "HYVINVOINTIALUE", "Alue", None, 100_000),
        (COUNTRY, "FI", "MAA", "Koko maa", None, 1_000_000),
        (1, "001", "KUNTA", "Iso", AREA, 50_000),      # > 30 % of the area: rest of area
        (2, "002", "KUNTA", "Keski", AREA, 10_000),
        (3, "003", "KUNTA", "Pieni", AREA, 800),
    ]
    if with_other_county:
        rows += [(4, "004", "KUNTA", "Muu A", OTHER_AREA, 20_000),
                 (5, "005", "KUNTA", "Muu B", OTHER_AREA, 20_000)]
    return pd.DataFrame(rows, columns=["region_id", "code", "category", "name_fi", "county_id",
                                       "population"])


def indicators() -> pd.DataFrame:
    return pd.DataFrame([
        # id, short, title, priority, polarity, unit, decimals, comparison
        (10, "Osuus", "Osuus %", "mental_wellbeing", "low_good", "percent", 1, "proportion"),
        (20, "Kysely", "Kysely %", "mental_wellbeing", "high_good", "percent", 1, "none"),
        (30, "Vain alue", "Vain alue %", "active_lifestyle", "low_good", "percent", 1, "none"),
        (40, "Käynnit", "Käynnit /1000", "mental_wellbeing", "no_judgement", "per_1000", 1,
         "rate"),
    ], columns=["indicator_id", "short_fi", "title_fi", "priority", "polarity", "unit",
                "decimals", "comparison"])


def obs() -> pd.DataFrame:
    rows = []
    # indicator 10 (percent, proportion), 2023 and 2024
    for year in (2023, 2024):
        rows += [(10, AREA, year, 10.0, 10_000.0), (10, COUNTRY, year, 12.0, 120_000.0),
                 (10, 1, year, 8.0, 4_000.0), (10, 2, year, 15.0, 1_500.0),
                 (10, 3, year, 11.0, 88.0), (10, 4, year, 9.0, 1_800.0),
                 (10, 5, year, 20.0, 4_000.0)]
    # indicator 20: no numerators (survey)
    rows += [(20, AREA, 2024, 50.0, None), (20, 1, 2024, 40.0, None), (20, 2, 2024, 60.0, None)]
    # indicator 30: county level only
    rows += [(30, AREA, 2024, 30.0, None), (30, COUNTRY, 2024, 31.0, None)]
    # indicator 40: a rate, 2022 only
    rows += [(40, AREA, 2022, 100.0, 10_000.0), (40, 2, 2022, 200.0, 2_000.0),
             (40, 3, 2022, 100.0, 80.0)]
    return pd.DataFrame(rows, columns=["indicator_id", "region_id", "year", "value", "abs_value"])


def build(**kw):
    args = dict(indicators=indicators(), observations=obs(), regions=regions(),
                municipalities=[1, 2, 3], indicator_ids=[10, 20, 30, 40], area_id=AREA,
                country_id=COUNTRY)
    args.update(kw)
    return comparison.build(**args)


def row(result, iid, rid):
    r = result.rows
    return r[(r["indicator_id"] == iid) & (r["region_id"] == rid)].iloc[0]


@pytest.mark.parametrize("rid, outcome, label", [
    # Every municipality against the area without it, whatever its size (issue 11):
    (1, "better", "rest_of_area"),  # 8 % of 50 000, benchmark = rest (6000/50000 = 12 %)
    (2, "worse", "rest_of_area"),   # 15 % ± 0.7 vs rest 8500/90 000 = 9.44 %
    (3, "similar", "rest_of_area"), # 11 % of 800: wide interval holds 9912/99 200 = 9.99 %
])
def test_outcomes_against_the_area(rid, outcome, label):
    r = row(build(), 10, rid)
    assert r["outcome"] == outcome
    assert r["benchmark_label"] == label
    ci = analysis.interval(r["value"], r["abs_value"], "percent", "proportion")
    assert (r["lo"], r["hi"]) == pytest.approx(ci)


def test_rest_of_area_is_the_area_without_the_municipality():
    r = row(build(), 10, 1)
    assert r["benchmark_value"] == pytest.approx((10_000 - 4_000) / (100_000 - 50_000) * 100)
    small = row(build(), 10, 3)  # a small municipality too: never compared with itself
    assert small["benchmark_value"] == pytest.approx((10_000 - 88) / (100_000 - 800) * 100)


def test_without_denominators_the_benchmark_is_the_area_itself():
    """A survey share (comparison none) has no denominator, so no rest of the area."""
    r = row(build(), 20, 1)
    assert r["benchmark_label"] == "area" and r["benchmark_value"] == 50.0


def test_country_benchmark():
    result = build(benchmark="country")
    assert set(result.rows["benchmark_label"]) == {"country"}
    assert row(result, 10, 2)["benchmark_value"] == 12.0


def test_no_interval_means_not_compared():
    result = build()
    r = row(result, 20, 1)
    assert r["outcome"] == "not_compared" and math.isnan(r["lo"])


def test_ranks_quintiles_and_the_national_rank():
    result = build()
    assert result.country_rank_available
    # low_good: 8 (Iso) best of the area's three, 15 (Keski) worst
    assert [row(result, 10, r)["rank_area"] for r in (1, 2, 3)] == [1, 3, 2]
    assert all(row(result, 10, r)["n_area"] == 3 for r in (1, 2, 3))
    # Finland: 8, 9, 11, 15, 20 -> Iso 1st, Pieni 3rd, Keski 4th of 5
    assert [row(result, 10, r)["rank_country"] for r in (1, 2, 3)] == [1, 4, 3]
    # quintiles among the area's municipalities: three values are fewer than five, so
    # phe_quantile assigns none (it used to put 3 values into fifths 2, 4 and 5)
    assert all(pd.isna(row(result, 10, r)["quintile"]) for r in (1, 2, 3))
    assert analysis.quintiles(pd.Series([8.0, 15.0, 11.0])).isna().all()


def test_no_national_rank_when_the_warehouse_holds_only_the_county():
    result = build(regions=regions(with_other_county=False))
    assert not result.country_rank_available
    assert result.rows["rank_country"].isna().all()


def test_latest_year_per_indicator_and_missing_reasons():
    result = build()
    assert row(result, 10, 1)["year"] == 2024
    assert row(result, 40, 2)["year"] == 2022
    assert result.missing == {30: "county_only"}
    # A municipality without a value still has its row (shown as '–', never coloured).
    r = row(result, 40, 1)
    assert math.isnan(r["value"]) and r["outcome"] == "not_compared"


def test_a_year_without_municipal_data_is_reported():
    result = build(year=2023)
    assert result.missing == {20: "no_year", 30: "county_only", 40: "no_year"}
    assert set(result.rows["indicator_id"]) == {10}
    msgs = comparison.missing_message(result.missing, {20: "Kysely", 30: "Vain alue",
                                                       40: "Käynnit"}, 2023, "total")
    assert any("vuodelta 2023" in m and "Kysely" in m and "Käynnit" in m for m in msgs)


def test_no_gender_data_is_reported_as_such():
    result = build(observations=obs()[obs()["indicator_id"] != 40], gender="female")
    assert result.missing[40] == "no_gender"


def test_table_matches_the_rows():
    result = build()
    table, decimals = compare_table.table(result.rows)
    assert len(table) == len(result.rows)
    assert list(table[compare_table.COL_RANK_AREA][:3]) == ["1/3", "3/3", "2/3"]
    assert table[compare_table.COL_BENCH_WHERE][0] == "muu hyvinvointialue (ilman kuntaa)"
    assert table[compare_table.COL_OUTCOME][1] == "heikompi"
    assert set(decimals) == set(compare_table.NUMBER_COLUMNS)


@pytest.mark.parametrize("raw, expected", [
    ({}, ("g1", "mental_wellbeing", "area", None, "total", 0)),
    ({"group": "g2", "priority": "all", "benchmark": "country", "year": "2024",
      "gender": "female"}, ("g2", "all", "country", 2024, "female", 0)),
    ({"year": "1999"}, ("g1", "mental_wellbeing", "area", None, "total", 1)),
    ({"year": "<b>", "gender": "x"}, ("g1", "mental_wellbeing", "area", None, "total", 2)),
    ({"year": "latest"}, ("g1", "mental_wellbeing", "area", None, "total", 0)),
])
def test_url_parameters(raw, expected):
    p = urlstate.parse_params(raw, ["g1", "g2"], [2023, 2024])
    assert (p.group, p.priority, p.benchmark, p.year, p.gender, len(p.notes)) == expected


# --- explorer ---------------------------------------------------------------------------

CATALOGUE = pd.DataFrame([
    (181, "Työttömät, % työvoimasta", "Arbetslösa, % av arbetskraften",
     "Unemployed, % of labour force", "context", "THL"),
    (242, "Keskivaikea tai vaikea masentuneisuus", "Medelsvår eller svår nedstämdhet",
     "Moderate or severe depression", "mental_wellbeing", "THL"),
    (3090, "Törkeät huumausainerikokset", "Grova narkotikabrott", "Aggravated drug offences",
     "everyday_safety", "Tilastokeskus"),
], columns=["indicator_id", "title_fi", "title_sv", "title_en", "priority", "producer"])


@pytest.mark.parametrize("query, priorities, producers, expected", [
    ("", (), (), [181, 242, 3090]),
    ("työttömät", (), (), [181]),
    ("TYOTTOMAT", (), (), [181]),            # case and dots do not matter
    ("arbetslösa", (), (), [181]),           # Swedish
    ("depression", (), (), [242]),           # English
    ("severe depression", (), (), [242]),    # every word must match ...
    ("severe drug", (), (), []),             # ... in the same indicator
    ("3090", (), (), [3090]),                # the Sotkanet id
    ("", ("mental_wellbeing",), (), [242]),
    ("", (), ("Tilastokeskus",), [3090]),
    ("työttömät", ("mental_wellbeing",), (), []),
])
def test_search(query, priorities, producers, expected):
    found = explorer.search(CATALOGUE, query, priorities, producers)
    assert list(found["indicator_id"]) == expected


@pytest.mark.parametrize("raw, expected", [
    ({}, (None, False)), ({"indicator": "242"}, (242, False)),
    ({"indicator": "999"}, (None, True)), ({"indicator": "javascript:x"}, (None, True)),
])
def test_indicator_from_url(raw, expected):
    iid, note = urlstate.parse_indicator(raw, [181, 242])
    assert (iid, note is not None) == expected


def test_series_has_intervals_where_numerators_exist():
    ind = {"indicator_id": 10, "unit": "percent", "comparison": "proportion", "decimals": 1}
    o = obs()[obs()["indicator_id"] == 10].assign(gender="total")
    o.loc[o["region_id"] == 2, "abs_value"] = None
    frame = explorer.series(o, ind, {1: "Iso", 2: "Keski", AREA: "Alue"}, [AREA, 1, 2])
    assert list(dict.fromkeys(frame["alue"])) == ["Alue", "Iso", "Keski"]
    assert frame.loc[frame["alue"] == "Iso", "lo"].notna().all()
    assert frame.loc[frame["alue"] == "Keski", "lo"].isna().all()
    table, _ = explore_table.series_table(frame, 1)
    assert len(table) == len(frame) == 6


# --- tile map ---------------------------------------------------------------------------


def test_the_grid_places_every_configured_municipality_once():
    config = tomllib.loads((ROOT / "data" / "regions.toml").read_text())
    codes = {str(m["code"]) for m in config.get("municipality", config.get("municipalities", []))}
    assert codes, "regions.toml lists municipalities"
    assert set(tilemap.GRID) == codes
    assert len(set(tilemap.GRID.values())) == len(tilemap.GRID)  # no two on one square


def test_layout_lists_municipalities_without_a_tile():
    munis = regions()[regions()["category"] == "KUNTA"]
    grid = {"001": (0, 0), "002": (0, 1)}
    placed, unplaced = tilemap.layout(munis, {1: 5.0, 2: 1.0, 3: 3.0, 4: 4.0}, grid)
    assert list(placed["name_fi"]) == ["Iso", "Keski"]
    assert list(unplaced["name_fi"]) == ["Muu A", "Muu B", "Pieni"]
    # four known values are fewer than five: no quintiles at all (phe_quantile)
    assert pd.concat([placed, unplaced])["quintile"].isna().all()
    # quintiles among all of them, placed or not: five values, one per fifth
    placed, unplaced = tilemap.layout(munis, {1: 5.0, 2: 1.0, 3: 3.0, 4: 4.0, 5: 2.0}, grid)
    q = dict(zip(pd.concat([placed, unplaced])["name_fi"],
                 pd.concat([placed, unplaced])["quintile"], strict=True))
    assert q == {"Iso": 5, "Keski": 1, "Muu A": 4, "Muu B": 2, "Pieni": 3}
    spec = tilemap.chart(placed, 1, "Viidennes")
    assert spec["config"]["locale"]["number"]["decimal"] == ","


# --- the table on screen and in the downloads -------------------------------------------


def test_screen_table_joins_the_interval_and_keeps_every_other_value():
    result = build()
    typed, decimals = compare_table.table(result.rows)
    shown = compare_table.screen_table(typed, decimals)
    assert len(shown) == len(typed)
    assert compare_table.COL_CI in shown.columns
    assert compare_table.COL_LO not in shown.columns and compare_table.COL_HI not in shown.columns
    i = list(result.rows.index[(result.rows["indicator_id"] == 10)
                               & (result.rows["region_id"] == 2)])[0]
    assert shown[compare_table.COL_CI][i] == (f"{number(typed[compare_table.COL_LO][i], 1)}–"
                                           f"{number(typed[compare_table.COL_HI][i], 1)}")
    no_ci = list(result.rows.index[result.rows["lo"].isna()])
    assert no_ci and all(shown[compare_table.COL_CI][j] == "–" for j in no_ci)
    assert set(shown[compare_table.COL_QUINTILE]) <= {"1", "2", "3", "4", "5", "–"}
    assert str(typed[compare_table.COL_QUINTILE].dtype) == "Int64"


def test_no_national_rank_column_without_other_counties():
    result = build(regions=regions(with_other_county=False))
    typed, _ = compare_table.table(result.rows, result.country_rank_available)
    assert compare_table.COL_RANK_COUNTRY not in typed.columns


# --- chart specs (plain dicts: validated here, as Altair no longer does) -----------------

BENCH_NAMES = {"area": "Alue", "rest_of_area": "muu alue", "country": "koko maa"}


def series_frame():
    ind = {"indicator_id": 10, "unit": "percent", "comparison": "proportion", "decimals": 1,
           "title_fi": "Osuus %"}
    o = pd.concat([obs()[obs()["indicator_id"] == 10].assign(gender=g)
                   for g in ("total", "female")], ignore_index=True)
    return explorer.series(o, ind, {1: "Iso", 2: "Keski", AREA: "Keski-Suomen "
                                    "hyvinvointialue, pitkä nimi"}, [AREA, 1, 2]), ind


def compare_specs():
    rows = build().rows
    munis = regions()[regions()["category"] == "KUNTA"]
    placed, _ = tilemap.layout(munis, {1: 5.0, 2: 1.0, 3: 3.0},
                               {"001": (0, 0), "002": (0, 1), "003": (1, 0)})
    frame, ind = series_frame()
    return {
        "heatmap": comparison_charts.heatmap(rows, "Vertailu", BENCH_NAMES,
                                             ["Iso", "Keski", "Pieni"]),
        "dots": comparison_charts.dots(rows, BENCH_NAMES),
        "dots_country": comparison_charts.dots(build(benchmark="country").rows, BENCH_NAMES),
        "series": explore_charts.series_chart(frame, ind),
        "series_one": explore_charts.series_chart(frame[frame["region_id"] == 1], ind),
        "tiles": tilemap.chart(placed, 1, "Viidennes", "Otsikko"),
        "heatmap_empty": comparison_charts.heatmap(rows.iloc[0:0], "x", BENCH_NAMES),
        "dots_empty": comparison_charts.dots(rows.iloc[0:0], BENCH_NAMES),
        "series_empty": explore_charts.series_chart(frame.iloc[0:0], ind),
        "tiles_empty": tilemap.chart(placed.iloc[0:0], 1, "Viidennes"),
    }


def test_compare_and_explore_specs_are_valid_vega_lite():
    """The builders write dicts (Altair's validation was most of the page): check them here."""
    import json

    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import core

    from dashboard.charts import base as charts

    schema = core.load_schema()
    for name, spec in compare_specs().items():
        assert isinstance(spec, dict), name
        validate_jsonschema(spec, schema)
        assert spec["$schema"] == charts.alt.SCHEMA_URL, name
        assert spec["config"]["locale"]["number"]["decimal"] == ",", name
        json.dumps(spec, allow_nan=False)  # Vega gets JSON: no NaN or Infinity in the data


def test_compare_and_explore_specs_render_offline():
    import vl_convert as vlc

    for name, spec in compare_specs().items():
        assert vlc.vegalite_to_png(spec).startswith(b"\x89PNG"), name


def test_series_whiskers_of_one_year_sit_side_by_side():
    frame, ind = series_frame()
    spec = explore_charts.series_chart(frame, ind)
    data = spec["datasets"][explore_charts.SERIES_DATA]
    by_year: dict = {}
    for r in data:
        assert abs(r["x"] - r["year"]) < 0.5  # still on its year
        by_year.setdefault(r["year"], []).append(r["x"])
    assert all(len(set(xs)) == len(xs) for xs in by_year.values())  # no two on one x
    whiskers, lines, points = spec["layer"]
    assert whiskers["encoding"]["x"]["field"] == points["encoding"]["x"]["field"] == "x"
    # tooltips and the axis say the year, not the shifted position
    assert {"field": "year", "type": "quantitative", "title": "Vuosi",
            "format": "d"} in points["encoding"]["tooltip"]
    # one series: nothing to separate, nothing shifted
    one = explore_charts.series_chart(frame[(frame["region_id"] == 1)
                                      & (frame["gender"] == "total")], ind)
    assert all(r["x"] == r["year"] for r in one["datasets"][explore_charts.SERIES_DATA])


def test_long_legend_labels_are_not_cut():
    frame, ind = series_frame()
    spec = explore_charts.series_chart(frame, ind)
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    # on the legend itself, so a theme's legend config (Vega's default is 160 px) cannot cut
    assert legend["labelLimit"] >= 7 * len("Keski-Suomen hyvinvointialue, pitkä nimi")
    assert compare_specs()["heatmap"]["layer"][0]["encoding"]["fill"]["legend"]["labelLimit"] >= 300
