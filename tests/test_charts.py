"""Chart specs: Finnish locale, outcome colours, one panel per indicator, no NaN in data."""

from __future__ import annotations

import json
import math

import duckdb
import pandas as pd
import pytest
import vl_convert as vlc

from dashboard.charts import base as charts
from dashboard.charts import overview as overview_charts
from dashboard.i18n.catalog import outcome_name
from dashboard.model import situation

LABELS = {"group": "Ryhmä", "area": "Keski-Suomi", "country": "Koko maa"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sit(demo_warehouse) -> situation.Situation:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        inds = con.execute("select * from indicator order by sort_order").df()
        obs = con.execute("select * from observation where gender = 'total'").df()
        reg = con.execute("select * from region").df()
        grp = con.execute(
            "select * from group_member where group_id = 'jamsa-keuruu'").df()
    finally:
        con.close()
    ctx = situation.Context(tuple(grp.region_id), dict(zip(reg.region_id, reg.name_fi,
                                                           strict=True)),
                            dict(zip(reg.region_id, reg.population, strict=True)), 965, 658)
    return situation.build(inds, obs, ctx)


# --- spec helpers ------------------------------------------------------------------------


def walk(spec):
    """Every (sub)spec dict of a chart, depth first."""
    yield spec
    for key in ("layer", "concat", "vconcat", "hconcat"):
        for sub in spec.get(key, []):
            yield from walk(sub)
    if "spec" in spec:
        yield from walk(spec["spec"])


def values(spec, unit: dict) -> list[dict]:
    data = unit.get("data", {})
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"), [])


def all_rows(spec) -> list[dict]:
    out = []
    for unit in walk(spec):
        out.extend(values(spec, unit))
    return out


def mark_type(unit) -> str | None:
    mark = unit.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def strict_json(spec: dict) -> dict:
    """The spec as Vega receives it; a bare NaN or Infinity is invalid JSON there."""

    def refuse(name):
        raise AssertionError(f"{name} in chart JSON")

    return json.loads(json.dumps(spec), parse_constant=refuse)


def has_nan(value) -> bool:
    return isinstance(value, float) and (math.isnan(value) or math.isinf(value))


def pick(sit, priority: str):
    rows = sit.rows[sit.rows["priority"] == priority]
    return rows, sit.members[sit.members["indicator_id"].isin(rows["indicator_id"])]


# --- the common config -------------------------------------------------------------------


def test_finnish_locale_and_font_sizes_in_the_charts_own_config(sit):
    rows, members = pick(sit, "mental_wellbeing")
    for chart in (overview_charts.trend_small_multiples(sit.series, rows, LABELS),
                  overview_charts.member_dots(members, rows, "Keski-Suomen hyvinvointialue"),
                  overview_charts.outcome_strip(rows), charts.empty_spec(),
                  charts.empty_chart().to_dict()):
        config = chart["config"]
        number = config["locale"]["number"]
        assert number["decimal"] == ","
        assert number["thousands"] == "\u00a0"
        assert config["locale"]["time"]["months"][0] == "tammikuu"
        assert config["axis"]["labelFontSize"] >= 12
        assert config["axis"]["titleFontSize"] >= 13
        assert config["legend"]["labelFontSize"] >= 12


@pytest.mark.parametrize("decimals, expected", [(0, ",.0f"), (1, ",.1f"), (2, ",.2f"),
                                                (None, ",.1f"), (math.nan, ",.1f")])
def test_number_format_follows_the_indicators_decimals(decimals, expected):
    assert charts.number_format(decimals) == expected


def test_locale_formats_a_number_the_finnish_way():
    chart = charts.finnish(
        charts.alt.Chart(charts.alt.Data(values=[{"a": 1234.5}])).mark_text().encode(
            text=charts.alt.Text("a:Q", format=charts.number_format(1))))
    svg = vlc.vegalite_to_svg(chart.to_json())
    assert "1\u00a0234,5" in svg or "1&#160;234,5" in svg


@pytest.mark.parametrize("text, width, lines", [
    ("Lyhyt", 30, ["Lyhyt"]),
    ("Toimeentulotukea saaneet 25–64-vuotiaat, % vastaavanikäisestä väestöstä", 30, None),
])
def test_wrap_keeps_titles_short(text, width, lines):
    out = charts.wrap(text, width, max_lines=2)
    if lines is not None:
        assert out == lines
    assert len(out) <= 2
    assert all(len(line) <= width for line in out)


# --- trends ------------------------------------------------------------------------------


def rows_of(spec, name):
    return spec["datasets"][name]


def test_trend_one_panel_per_indicator_with_independent_y(sit):
    rows, _ = pick(sit, "mental_wellbeing")
    spec = overview_charts.trend_small_multiples(sit.series, rows, LABELS)
    assert spec["columns"] == 3
    assert spec["resolve"]["scale"]["y"] == "independent"
    data = rows_of(spec, charts.TREND_DATA)
    assert {r["indicator_id"] for r in data} == set(rows["indicator_id"])
    # the facet sort lists one title per indicator, in drawing order
    order = spec["facet"]["sort"]
    assert len(order) == len(rows) == len(set(order))
    assert [next(r["indicator_id"] for r in data if r["otsikko"] == o) for o in order] == list(
        rows["indicator_id"])
    # county-level survey indicators are drawn from the area and country only
    county_only = set(rows.loc[rows["county_only"], "indicator_id"])
    assert county_only
    assert {r["series"] for r in data if r["indicator_id"] in county_only} == {"area",
                                                                                 "country"}


def test_trend_years_are_integers_and_tooltips_use_indicator_decimals(sit):
    rows, _ = pick(sit, "everyday_safety")
    spec = overview_charts.trend_small_multiples(sit.series, rows, LABELS)
    decimals = dict(zip(rows["indicator_id"], rows["decimals"], strict=True))
    for unit in walk(spec):
        enc = unit.get("encoding", {})
        if "x" in enc and enc["x"].get("field") == "year":
            assert enc["x"]["axis"]["format"] == "d"
    for r in rows_of(spec, charts.TREND_DATA):
        assert isinstance(r["year"], int)
        whole, _, frac = r["arvo"].replace("\u2212", "").partition(",")
        assert len(frac) == decimals[r["indicator_id"]]


def test_trend_series_colours_and_legend_labels(sit):
    rows, _ = pick(sit, "context")
    spec = overview_charts.trend_small_multiples(sit.series, rows, LABELS)
    scales = [u["encoding"]["color"]["scale"] for u in walk(spec)
              if "color" in u.get("encoding", {}) and "scale" in u["encoding"]["color"]]
    assert scales
    for scale in scales:
        assert scale["domain"] == ["Ryhmä", "Keski-Suomi", "Koko maa"]
        assert scale["range"] == [charts.SERIES_COLORS[s] for s in charts.SERIES_ORDER]
    # a count (population) is drawn for the group only: the area's total is not comparable
    pop_id = int(rows.loc[rows["unit"] == "count", "indicator_id"].iloc[0])
    assert {r["series"] for r in rows_of(spec, charts.TREND_DATA)
            if r["indicator_id"] == pop_id} == {"group"}


def test_trend_data_has_no_nan_and_band_only_with_interval(sit):
    rows, _ = pick(sit, "mental_wellbeing")
    chart = overview_charts.trend_small_multiples(sit.series, rows, LABELS)
    spec = strict_json(chart)
    data = rows_of(spec, charts.TREND_DATA)
    assert data and not any(has_nan(v) for r in data for v in r.values())
    bands = [u for u in walk(spec) if mark_type(u) == "area"]
    assert bands and all("isValid(datum.lo)" in u["transform"][0]["filter"] for u in bands)


def test_trend_last_ten_years_only(sit):
    rows, _ = pick(sit, "context")
    spec = overview_charts.trend_small_multiples(sit.series, rows, LABELS, years=10)
    years = {r["year"] for r in rows_of(spec, charts.TREND_DATA)}
    assert max(years) - min(years) <= 9


def test_trend_survives_nan_values():
    series = pd.DataFrame({
        "indicator_id": [1, 1, 1, 1, 2],
        "series": ["group", "group", "area", "country", "area"],
        "year": [2023, 2024, 2024, 2024, 2024],
        "value": [1.5, math.nan, 2.0, 2.5, math.nan],
        "lo": [1.0, math.nan, math.nan, math.nan, math.nan],
        "hi": [2.0, math.nan, math.nan, math.nan, math.nan],
    })
    rows = pd.DataFrame({"indicator_id": [1, 2], "name": ["A", "B"], "unit": ["percent"] * 2,
                         "decimals": [1, 1], "county_only": [False, True]})
    spec = strict_json(overview_charts.trend_small_multiples(series, rows))
    data = rows_of(spec, charts.TREND_DATA)
    assert not any(has_nan(v) for r in data for v in r.values())
    assert {r["indicator_id"] for r in data} == {1}  # B has no value to draw
    assert spec["facet"]["sort"] == ["A"]


@pytest.mark.parametrize("series_empty, rows_empty", [(True, False), (False, True),
                                                      (True, True)])
def test_trend_empty_input_says_no_data(sit, series_empty, rows_empty):
    rows, _ = pick(sit, "context")
    series = sit.series.iloc[0:0] if series_empty else sit.series
    rows = rows.iloc[0:0] if rows_empty else rows
    spec = overview_charts.trend_small_multiples(series, rows, LABELS)
    assert mark_type(spec) == "text"
    assert all_rows(spec) == [{"viesti": "Ei tietoja"}]
    assert spec["config"]["locale"]["number"]["decimal"] == ","


# --- members -----------------------------------------------------------------------------


def test_member_dots_outcome_colours_mean_the_outcome():
    outcomes = list(charts.OUTCOME_COLORS)
    members = pd.DataFrame({
        "indicator_id": [1] * len(outcomes),
        "region_id": range(len(outcomes)),
        "name": [f"Kunta {o}" for o in outcomes],
        "year": 2024, "value": [float(i + 1) for i in range(len(outcomes))],
        "abs_value": math.nan, "lo": math.nan, "hi": math.nan, "benchmark_value": 3.0,
        "benchmark_label": "area", "outcome": outcomes, "population": 5000, "small": False,
    })
    rows = pd.DataFrame({"indicator_id": [1], "name": ["Testi"], "decimals": [1],
                         "unit": ["percent"], "county_only": [False], "year": [2024],
                         "value": [3.5], "lo": [3.0], "hi": [4.0], "benchmark_value": [3.0],
                         "benchmark_label": ["area"], "country_value": [3.2],
                         "outcome_area": ["similar"], "outcome_country": ["similar"]})
    spec = overview_charts.member_dots(members, rows, "Keski-Suomi")
    fills = [u["encoding"]["fill"] for u in walk(spec) if "fill" in u.get("encoding", {})]
    assert fills
    expected = dict(zip([outcome_name(o) for o in outcomes],
                        [charts.OUTCOME_COLORS[o] for o in outcomes], strict=True))
    for fill in fills:
        scale = fill["scale"]
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == expected
    assert charts.OUTCOME_COLORS == {
        "better": "#2166AC", "similar": "#F0D264", "worse": "#D55E00",
        "higher": "#8073AC", "lower": "#B2ABD2", "not_compared": "#BDBDBD"}
    legend = fills[0]["legend"]
    assert "95 %:n luottamusväli" in " ".join(legend["title"])
    assert "Keski-Suomi" in " ".join(legend["title"])
    data = rows_of(spec, charts.MEMBER_DATA)
    assert {r["kunta"]: r["vertailu"] for r in data if r["kind"] == "member"} == {
        f"Kunta {o}": outcome_name(o) for o in outcomes}


def test_member_dots_one_panel_per_indicator_with_municipal_data(sit):
    rows, members = pick(sit, "mental_wellbeing")
    spec = strict_json(overview_charts.member_dots(members, rows, "Keski-Suomen hyvinvointialue"))
    with_members = rows[~rows["county_only"]]
    assert len(spec["facet"]["row"]["sort"]) == len(with_members)
    assert spec["resolve"]["scale"]["x"] == "independent"
    data = rows_of(spec, charts.MEMBER_DATA)
    assert {r["indicator_id"] for r in data} == set(with_members["indicator_id"])
    assert not any(has_nan(v) for r in data for v in r.values())


def test_member_dots_whiskers_only_for_members_with_intervals(sit):
    rows, members = pick(sit, "context")
    spec = overview_charts.member_dots(members, rows, "Keski-Suomi")
    whisker = next(u for u in walk(spec) if mark_type(u) == "rule")
    assert whisker["transform"][0]["filter"] == "isValid(datum.lo) && isValid(datum.hi)"
    data = rows_of(spec, charts.MEMBER_DATA)
    for ind in set(r["indicator_id"] for r in data):
        part = members[(members["indicator_id"] == ind) & members["value"].notna()]
        with_ci = set(part.loc[part["lo"].notna() & part["hi"].notna(), "name"])
        row = rows[rows["indicator_id"] == ind].iloc[0]
        if not math.isnan(row["lo"]):
            with_ci.add(charts.GROUP_ROW)
        drawn = {r["kunta"] for r in data if r["indicator_id"] == ind
                 and r["lo"] is not None and r["hi"] is not None}
        assert drawn == with_ci
        dots = {r["kunta"] for r in data if r["indicator_id"] == ind}
        assert dots == set(part["name"]) | ({charts.GROUP_ROW} if not math.isnan(row["value"])
                                            else set())


def test_member_dots_small_municipality_note_and_missing_values():
    members = pd.DataFrame({
        "indicator_id": [7, 7, 7], "region_id": [1, 2, 3],
        "name": ["Iso", "Pieni", "Puuttuva"], "year": 2024,
        "value": [10.0, 14.0, math.nan], "abs_value": [100.0, 3.0, math.nan],
        "lo": [8.0, 3.0, math.nan], "hi": [12.0, 40.0, math.nan],
        "benchmark_value": [11.0, 11.0, 11.0], "benchmark_label": ["area"] * 3,
        "outcome": ["similar", "similar", "not_compared"], "population": [9000, 800, 900],
        "small": [False, True, True],
    })
    rows = pd.DataFrame({"indicator_id": [7], "name": ["Testi"], "decimals": [1],
                         "unit": ["per_1000"], "county_only": [False], "year": [2024],
                         "value": [10.4], "lo": [8.5], "hi": [12.5], "benchmark_value": [11.0],
                         "benchmark_label": ["area"], "country_value": [12.0],
                         "outcome_area": ["similar"], "outcome_country": ["similar"]})
    spec = strict_json(overview_charts.member_dots(members, rows, "Keski-Suomi"))
    data = rows_of(spec, charts.MEMBER_DATA)
    assert "Puuttuva" not in {r["kunta"] for r in data}
    small = [r for r in data if r["kunta"] == "Pieni"]
    assert small and all(r["huom"] == charts.SMALL_NOTE for r in small)
    tips = [[t["title"] for t in u["encoding"]["tooltip"]] for u in walk(spec)
            if mark_type(u) == "point"]
    assert tips and all("Huom." in t for t in tips)
    # one shared benchmark: named in the panel title
    assert "vertailuarvo 11,0" in spec["facet"]["row"]["sort"][0]
    assert "Pienet kunnat (Pieni)" in " ".join(spec["title"]["subtitle"])


def test_member_dots_own_benchmarks_become_ticks():
    members = pd.DataFrame({
        "indicator_id": [7, 7], "region_id": [1, 2], "name": ["Suuri", "Pieni"],
        "year": 2024, "value": [5.0, 7.0], "abs_value": [500.0, 20.0], "lo": [4.6, 4.4],
        "hi": [5.4, 10.6], "benchmark_value": [7.3, 6.2],
        "benchmark_label": ["rest_of_area", "area"], "outcome": ["better", "similar"],
        "population": [140000, 10000], "small": [False, False],
    })
    rows = pd.DataFrame({"indicator_id": [7], "name": ["Testi"], "decimals": [1],
                         "unit": ["per_1000"], "county_only": [False], "year": [2024],
                         "value": [5.3], "lo": [5.0], "hi": [5.7], "benchmark_value": [7.3],
                         "benchmark_label": ["rest_of_area"], "country_value": [6.0],
                         "outcome_area": ["better"], "outcome_country": ["better"]})
    spec = overview_charts.member_dots(members, rows, "muu hyvinvointialue")
    assert any(mark_type(u) == "tick" for u in walk(spec))
    data = rows_of(spec, charts.MEMBER_DATA)
    assert {(r["kunta"], r["bench"]) for r in data} == {
        ("Suuri", 7.3), ("Pieni", 6.2), (charts.GROUP_ROW, 7.3)}
    assert "vertailuarvot riveittäin" in spec["facet"]["row"]["sort"][0]


def test_member_dots_empty_input(sit):
    rows, members = pick(sit, "mental_wellbeing")
    for m, r in ((members.iloc[0:0], rows), (members, rows.iloc[0:0]),
                 (members, rows[rows["county_only"]])):
        spec = overview_charts.member_dots(m, r, "Keski-Suomi")
        assert mark_type(spec) == "text"
        assert spec["config"]["locale"]["number"]["decimal"] == ","


# --- outcome strip -----------------------------------------------------------------------


def test_outcome_strip_two_cells_per_indicator(sit):
    rows, _ = pick(sit, "everyday_safety")
    spec = overview_charts.outcome_strip(rows, "Keski-Suomi")
    data = all_rows(spec)
    assert len(data) == 2 * len(rows)
    assert {r["vertailu"] for r in data} <= {outcome_name(o) for o in charts.OUTCOME_COLORS}
    assert mark_type(overview_charts.outcome_strip(rows.iloc[0:0])) == "text"


# --- the specs compile -------------------------------------------------------------------


def test_specs_are_valid_vega_lite(sit):
    """The builders write dicts (Altair's validation cost seconds a page): check them here."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import core

    schema = core.load_schema()
    for priority in ("mental_wellbeing", "context"):
        rows, members = pick(sit, priority)
        for spec in (overview_charts.trend_small_multiples(sit.series, rows, LABELS),
                     overview_charts.trend_small_multiples(sit.series, rows, LABELS, columns=1),
                     overview_charts.member_dots(members, rows, "Keski-Suomi"),
                     overview_charts.member_dots(members, rows, "koko maa", benchmark="country"),
                     overview_charts.outcome_strip(rows), charts.empty_spec()):
            validate_jsonschema(spec, schema)
            assert spec["$schema"] == charts.alt.SCHEMA_URL


def test_charts_render_to_png(sit, tmp_path):
    rows, members = pick(sit, "mental_wellbeing")
    for name, chart in (
        ("trend", overview_charts.trend_small_multiples(sit.series, rows, LABELS)),
        ("members", overview_charts.member_dots(members, rows, "Keski-Suomen hyvinvointialue")),
        ("strip", overview_charts.outcome_strip(rows, "Keski-Suomi")),
        ("empty", overview_charts.trend_small_multiples(sit.series.iloc[0:0], rows)),
    ):
        png = vlc.vegalite_to_png(chart)
        assert png.startswith(PNG_MAGIC)
        assert len(png) > 1000
        (tmp_path / f"{name}.png").write_bytes(png)


def test_rendered_axis_uses_decimal_comma(sit):
    rows, _ = pick(sit, "mental_wellbeing")
    svg = vlc.vegalite_to_svg(overview_charts.trend_small_multiples(sit.series, rows, LABELS))
    assert "15,5" in svg or "13,5" in svg or ",5<" in svg
    assert "2020" in svg and "2\u00a0020" not in svg and "2,020" not in svg
