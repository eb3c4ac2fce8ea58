"""A group's value is the group's (issue 11, items 3, 4, 6 and 7), on hand-made frames.

- Missing members: the latest year in which every member has a value is shown; without
  one, no group value at all (never compared, coloured or highlighted).
- No pseudo-denominators: only plain proportions and crude rates pool counts; anything
  else is a population-weighted mean (value_kind says so) with the area as benchmark.
- The benchmark is the rest of the area wherever it can be computed, for every size.
- An unknown polarity is an error that names the indicator and the field.
"""

import math

import pandas as pd
import pytest

from dashboard.model import comparison, situation
from dashboard.model import stats as analysis
from pipelines.config import ConfigError, load_config
from tests.test_config import DATA, _edit

A, B, C, AREA, FI = 1, 2, 3, 100, 999
POPS = {A: 1000, B: 3000, C: 500, AREA: 100_000, FI: 5_000_000}


def indicator(iid, unit="percent", polarity="low_good", comparison="proportion",
              schedule="annual"):
    return {"indicator_id": iid, "short_fi": f"Indikaattori {iid}",
            "priority": "mental_wellbeing", "polarity": polarity, "unit": unit, "decimals": 1,
            "comparison": comparison, "load_status": "ok", "schedule": schedule}


def obs(iid, rows):
    return pd.DataFrame([(iid, r, y, "total", v, x) for r, y, v, x in rows],
                        columns=["indicator_id", "region_id", "year", "gender", "value",
                                 "abs_value"])


def build(inds, frames, members=(A, B, C), benchmark="area"):
    ctx = situation.Context(tuple(members), {A: "Aa", B: "Bee", C: "Cee"}, POPS, AREA, FI,
                            benchmark)
    return situation.build(pd.DataFrame(inds), pd.concat(frames, ignore_index=True), ctx)


def bench_rows(year, area=(10.0, 10_000), country=(10.0, 500_000)):
    return [(AREA, year, *area), (FI, year, *country)]


# --- item 3: incomplete groups ---------------------------------------------------------


def test_latest_year_without_a_member_falls_back_to_the_last_complete_year():
    rows = [(A, 2023, 30.0, 300), (B, 2023, 30.0, 900), (C, 2023, 30.0, 150),
            (A, 2024, 50.0, 500), (B, 2024, 50.0, 1500)]  # C missing in 2024
    rows += bench_rows(2023) + bench_rows(2024)
    row = build([indicator(1)], [obs(1, rows)]).rows.iloc[0]
    assert row["year"] == 2023 and row["complete"] and row["present"] == 3
    assert row["value"] == pytest.approx(30.0) and row["value_kind"] == "pooled"
    assert row["outcome_area"] == "worse"  # the group's own value, compared


def test_without_any_complete_year_there_is_no_group_value():
    """A and B at 50 % would be "worse" than 10 %; without C it is not the group's."""
    rows = [(A, 2024, 50.0, 500), (B, 2024, 50.0, 1500)] + bench_rows(2024)
    sit = build([indicator(1)], [obs(1, rows)])
    row = sit.rows.iloc[0]
    assert row["year"] == 2024 and row["present"] == 2 and row["n_members"] == 3
    assert not row["complete"] and row["value_kind"] == "incomplete"
    assert math.isnan(row["value"]) and math.isnan(row["lo"]) and math.isnan(row["lo998"])
    assert row["outcome_area"] == row["outcome_country"] == row["outcome_highlight"] \
        == "not_compared"
    assert row["trend"] == "insufficient"
    strengths, challenges = situation.highlights(sit.rows, "mental_wellbeing")
    assert strengths.empty and challenges.empty
    # the members are still shown, each compared on its own
    members = sit.members.set_index("region_id")
    assert members.loc[A, "outcome"] == "worse" and math.isnan(members.loc[C, "value"])
    # and the chart series holds no group point for that year
    assert sit.series[sit.series["series"] == "group"].empty


def test_a_year_with_a_member_missing_breaks_the_trend():
    rows = []
    for i, year in enumerate(range(2018, 2025)):
        for m, k in ((A, 1), (B, 3), (C, 1)):
            if m == C and year == 2021:
                continue  # one gap inside the last five years
            rows.append((m, year, 10.0 + 2 * i, (10.0 + 2 * i) * 100 * k))
    rows += bench_rows(2024)
    row = build([indicator(1)], [obs(1, rows)]).rows.iloc[0]
    assert row["year"] == 2024 and row["complete"]
    assert row["trend"] == "insufficient"
    # without the gap the same series is a clear rise (low is good: worsening)
    full = [r for r in rows] + [(C, 2021, 16.0, 1600.0)]
    assert build([indicator(1)], [obs(1, full)]).rows.iloc[0]["trend"] == "worsening"


def test_count_indicators_add_up_only_when_complete():
    rows = [(A, 2024, 1000.0, None), (B, 2024, 3000.0, None),
            (A, 2023, 1010.0, None), (B, 2023, 3010.0, None), (C, 2023, 500.0, None)]
    row = build([indicator(127, unit="count", polarity="no_judgement", comparison="none")],
                [obs(127, rows + bench_rows(2024, (1e5, None), (5e6, None)))]).rows.iloc[0]
    assert row["year"] == 2023 and row["value"] == 4520 and row["value_kind"] == "sum"


# --- item 4: no pseudo-denominators ------------------------------------------------------


def test_standardised_rate_with_a_count_is_a_weighted_mean_against_the_area():
    """Age-standardised per 100 000 with absValue: no denominator, no interval, no rest."""
    rows = [(A, 2024, 180.0, 30), (B, 2024, 120.0, 40), (C, 2024, 150.0, 5)]
    rows += bench_rows(2024, (150.0, 900), (140.0, 60_000))
    sit = build([indicator(176, unit="per_100000", comparison="none")], [obs(176, rows)])
    row = sit.rows.iloc[0]
    assert row["value_kind"] == "weighted_mean"
    assert row["value"] == pytest.approx((180 * 1000 + 120 * 3000 + 150 * 500) / 4500)
    assert math.isnan(row["abs_value"]) and math.isnan(row["denominator"])
    assert math.isnan(row["lo"]) and row["outcome_area"] == "not_compared"
    assert row["benchmark_label"] == "area" and row["benchmark_value"] == 150.0
    assert row["trend"] == "not_computable"
    members = sit.members
    assert members["lo"].isna().all() and set(members["benchmark_label"]) == {"area"}


def test_index_with_a_count_never_gets_a_denominator_on_the_compare_page():
    regions = pd.DataFrame([
        (AREA, "15", "HYVINVOINTIALUE", "Alue", None, 100_000),
        (FI, "FI", "MAA", "Koko maa", None, 5_000_000),
        (A, "001", "KUNTA", "Aa", AREA, 1000), (B, "002", "KUNTA", "Bee", AREA, 3000)],
        columns=["region_id", "code", "category", "name_fi", "county_id", "population"])
    inds = pd.DataFrame([(5641, "Indeksi", "Indeksi", "context", "low_good", "index", 1,
                          "none"),
                         (176, "Ikävakioitu", "Ikävakioitu", "context", "low_good",
                          "per_100000", 1, "none")],
                        columns=["indicator_id", "short_fi", "title_fi", "priority",
                                 "polarity", "unit", "decimals", "comparison"])
    observations = pd.DataFrame(
        [(i, r, 2024, v, x) for i in (5641, 176)
         for r, v, x in ((AREA, 100.0, 900), (A, 120.0, 10), (B, 90.0, 30))],
        columns=["indicator_id", "region_id", "year", "value", "abs_value"])
    result = comparison.build(inds, observations, regions, [A, B], [5641, 176], AREA, FI)
    assert result.rows["lo"].isna().all()
    assert set(result.rows["benchmark_label"]) == {"area"}
    assert set(result.rows["outcome"]) == {"not_compared"}


# --- item 7: the benchmark -------------------------------------------------------------


def test_a_small_group_is_compared_with_the_rest_of_the_area():
    """4 500 people of 100 000 (4.5 %): the old 30 % rule compared it with the area that
    contains it. Now: area 1 000 of 10 000 minus the group's 150 + 375 + 75 = 600 of
    500 + 1 500 + 500 = 2 500 → 400 / 7 500."""
    rows = [(A, 2024, 30.0, 150), (B, 2024, 25.0, 375), (C, 2024, 15.0, 75)]
    rows += bench_rows(2024, (10.0, 1000))
    sit = build([indicator(1)], [obs(1, rows)])
    row = sit.rows.iloc[0]
    assert row["benchmark_label"] == "rest_of_area"
    assert row["benchmark_value"] == pytest.approx(400 / 7500 * 100)
    members = sit.members.set_index("region_id")
    assert (members["benchmark_label"] == "rest_of_area").all()
    assert members.loc[C, "benchmark_value"] == pytest.approx((1000 - 75) / (10_000 - 500) * 100)


def test_country_benchmark_is_finland_itself():
    rows = [(A, 2024, 30.0, 150), (B, 2024, 25.0, 375), (C, 2024, 15.0, 75)]
    sit = build([indicator(1)], [obs(1, rows + bench_rows(2024))], benchmark="country")
    assert set(sit.members["benchmark_label"]) == {"country"}
    assert sit.rows.iloc[0]["country_value"] == 10.0


# --- item 6: polarity ------------------------------------------------------------------


def test_unknown_polarity_in_the_warehouse_names_the_indicator_and_field():
    rows = [(A, 2024, 30.0, 150), (B, 2024, 25.0, 375), (C, 2024, 15.0, 75)]
    with pytest.raises(ValueError, match=r"indicator 7: field 'polarity' is 'lower_better'"):
        build([indicator(7, polarity="lower_better")], [obs(7, rows + bench_rows(2024))])


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('polarity = "low_good"', 'polarity = "Low_good"',
     ["indicators.toml", "indicator 181", "field 'polarity'", "'Low_good'"]),
    ('polarity = "low_good"', "polarity = 1",
     ["indicators.toml", "indicator 181", "field 'polarity'", "str"]),
    ('polarity = "low_good"\n', "",
     ["indicators.toml", "indicator 181", "missing field 'polarity'"]),
])
def test_unknown_polarity_in_the_catalogue_names_file_entry_and_field(tmp_path, old, new,
                                                                      expected):
    for name in ("regions.toml", "groups.toml"):
        (tmp_path / name).write_text((DATA / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    text = (DATA / "indicators.toml").read_text(encoding="utf-8")
    (tmp_path / "indicators.toml").write_text(_edit(text, old, new, 181), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    for part in expected:
        assert part in str(err.value)


def test_vectorised_comparison_never_reads_unknown_polarity_as_low_good():
    with pytest.raises(ValueError):
        analysis.compare_many([5.0], [4.0], [6.0], [10.0], ["LOW_GOOD"])
