"""The group situation model, on small hand-made frames whose answers are known."""

import math

import pandas as pd
import pytest

from dashboard.model import situation
from dashboard.model import stats as analysis

A, B, AREA, FI = 1, 2, 100, 999


def indicator(iid, unit="percent", polarity="low_good", comparison="proportion",
              priority="mental_wellbeing"):
    return {"indicator_id": iid, "short_fi": f"Indikaattori {iid}", "priority": priority,
            "polarity": polarity, "unit": unit, "decimals": 1, "comparison": comparison,
            "load_status": "ok"}


def obs(iid, rows):
    return pd.DataFrame([(iid, r, y, "total", v, a) for r, y, v, a in rows],
                        columns=["indicator_id", "region_id", "year", "gender", "value",
                                 "abs_value"])


def ctx(populations=None, benchmark="area"):
    pops = populations or {A: 1000, B: 3000, AREA: 100_000, FI: 5_000_000}
    return situation.Context((A, B), {A: "Aa", B: "Bee"}, pops, AREA, FI, benchmark)


def build(inds, frames, context=None):
    return situation.build(pd.DataFrame(inds), pd.concat(frames, ignore_index=True),
                           context or ctx())


def test_pooled_value_and_interval_from_numerators():
    # A: 20 of 200 (10 %), B: 90 of 600 (15 %) -> pooled 110 / 800 = 13.75 %
    frame = obs(1, [(A, 2024, 10.0, 20), (B, 2024, 15.0, 90), (AREA, 2024, 10.0, 10_000),
                    (FI, 2024, 10.0, 500_000)])
    row = build([indicator(1)], [frame]).rows.iloc[0]
    assert row["value"] == pytest.approx(13.75)
    assert row["abs_value"] == 110 and row["denominator"] == pytest.approx(800)
    assert row["lo"] < 13.75 < row["hi"]
    assert row["lo998"] < row["lo"] and row["hi998"] > row["hi"]
    assert row["outcome_area"] == "worse"  # 10 % is below the interval, low is good
    assert row["outcome_country"] == "worse"
    assert (row["spread_min_name"], row["spread_max_name"]) == ("Aa", "Bee")
    assert row["present"] == 2 and row["complete"]


@pytest.mark.parametrize("polarity, expected", [
    ("low_good", "worse"), ("high_good", "better"), ("no_judgement", "higher")])
def test_polarity_decides_the_word(polarity, expected):
    frame = obs(1, [(A, 2024, 10.0, 20), (B, 2024, 15.0, 90), (AREA, 2024, 10.0, 10_000),
                    (FI, 2024, 10.0, 500_000)])
    row = build([indicator(1, polarity=polarity)], [frame]).rows.iloc[0]
    assert row["outcome_area"] == expected


def test_large_group_is_compared_with_the_rest_of_the_area():
    pops = {A: 30_000, B: 30_000, AREA: 100_000, FI: 5_000_000}
    # Area 1 000 of 10 000 (10 %); the group holds 600 of 5 000 -> rest is 400 / 5 000 = 8 %
    frame = obs(1, [(A, 2024, 12.0, 300), (B, 2024, 12.0, 300), (AREA, 2024, 10.0, 1000),
                    (FI, 2024, 10.0, 500_000)])
    row = build([indicator(1)], [frame], ctx(pops)).rows.iloc[0]
    assert row["benchmark_label"] == "rest_of_area"
    assert row["benchmark_value"] == pytest.approx(8.0)


def test_no_numerator_is_never_compared():
    frame = obs(1, [(A, 2024, 80.0, None), (B, 2024, 90.0, None), (AREA, 2024, 50.0, None),
                    (FI, 2024, 50.0, None)])
    row = build([indicator(1, unit="index", comparison="none")], [frame]).rows.iloc[0]
    assert row["value"] == pytest.approx((80 * 1000 + 90 * 3000) / 4000)  # population-weighted
    assert math.isnan(row["lo"])
    assert row["outcome_area"] == row["outcome_country"] == "not_compared"


def test_count_indicators_add_up():
    frame = obs(127, [(A, 2024, 1000.0, None), (B, 2024, 3000.0, None),
                      (AREA, 2024, 100_000.0, None), (FI, 2024, 5e6, None)])
    row = build([indicator(127, unit="count", polarity="no_judgement", comparison="none",
                           priority="context")], [frame]).rows.iloc[0]
    assert row["value"] == 4000


def test_county_only_indicator():
    frame = obs(1, [(AREA, 2023, 20.0, None), (FI, 2023, 22.0, None)])
    row = build([indicator(1, comparison="none")], [frame]).rows.iloc[0]
    assert row["county_only"] and row["year"] == 2023
    assert row["area_value"] == 20.0 and row["country_value"] == 22.0
    assert math.isnan(row["value"]) and row["outcome_area"] == "not_compared"


def test_missing_member_is_counted():
    """B's value alone is not the group's: no group value, never compared (issue 11)."""
    frame = obs(1, [(B, 2024, 15.0, 90), (AREA, 2024, 10.0, 10_000), (FI, 2024, 10.0, 500_000)])
    sit = build([indicator(1)], [frame])
    row = sit.rows.iloc[0]
    assert row["present"] == 1 and not row["complete"]
    assert row["value_kind"] == "incomplete" and math.isnan(row["value"])
    assert row["outcome_area"] == row["outcome_country"] == "not_compared"
    members = sit.members.set_index("region_id")
    assert math.isnan(members.loc[A, "value"]) and members.loc[A, "outcome"] == "not_compared"


def test_trend_uses_pooled_series():
    rows = []
    for i, year in enumerate(range(2018, 2025)):
        # 1 000 and 3 000 people: a rise of one point a year is far beyond chance
        rows += [(A, year, 10.0 + i, (10.0 + i) * 10), (B, year, 10.0 + i, (10.0 + i) * 30)]
    rows += [(AREA, 2024, 10.0, 10_000), (FI, 2024, 10.0, 500_000)]
    row = build([indicator(1)], [obs(1, rows)]).rows.iloc[0]
    assert row["trend"] == "worsening"  # rising share, low is good
    assert row["trend_chi2"] > analysis.trend_critical()
    assert (row["trend_from"], row["trend_to"]) == (2020, 2024)


def test_highlights_follow_the_rule_and_can_be_empty():
    big = obs(1, [(A, 2024, 30.0, 3000), (B, 2024, 30.0, 9000), (AREA, 2024, 10.0, 10_000),
                  (FI, 2024, 10.0, 500_000)])
    same = obs(2, [(A, 2024, 10.0, 100), (B, 2024, 10.0, 300), (AREA, 2024, 10.0, 10_000),
                   (FI, 2024, 10.0, 500_000)])
    rows = build([indicator(1), indicator(2)], [big, same]).rows
    strengths, challenges = situation.highlights(rows, "mental_wellbeing")
    assert list(challenges["indicator_id"]) == [1] and strengths.empty
    only_same = build([indicator(2)], [same]).rows
    strengths, challenges = situation.highlights(only_same, "mental_wellbeing")
    assert strengths.empty and challenges.empty


def test_demo_warehouse_every_group_every_priority(demo_warehouse):
    import duckdb

    con = duckdb.connect(str(demo_warehouse), read_only=True)
    inds = con.execute("SELECT * FROM indicator ORDER BY sort_order").df()
    observations = con.execute("SELECT * FROM observation WHERE gender = 'total'").df()
    regions = con.execute("SELECT * FROM region").df()
    groups = con.execute("SELECT group_id, list(region_id) AS m FROM group_member "
                         "GROUP BY ALL").fetchall()
    con.close()
    names = dict(zip(regions.region_id, regions.name_fi, strict=True))
    pops = dict(zip(regions.region_id, regions.population, strict=True))
    for _gid, members in groups:
        sit = situation.build(inds, observations,
                              situation.Context(tuple(members), names, pops, 965, 658))
        assert len(sit.rows) == len(inds)
        assert set(sit.rows["priority"]) == {"mental_wellbeing", "everyday_safety",
                                             "active_lifestyle", "context"}
        compared = sit.rows[sit.rows["outcome_area"] != "not_compared"]
        assert compared["lo"].notna().all()
        assert not sit.members.empty


def test_demo_warehouse_rows_follow_the_scalar_rules(demo_warehouse):
    """The column-wise model gives, row by row, what analysis' scalar functions give."""
    import duckdb

    con = duckdb.connect(str(demo_warehouse), read_only=True)
    inds = con.execute("SELECT * FROM indicator ORDER BY sort_order").df()
    observations = con.execute("SELECT * FROM observation WHERE gender = 'total' "
                               "ORDER BY indicator_id, region_id, year").df()
    regions = con.execute("SELECT * FROM region").df()
    members = [r[0] for r in con.execute(
        "SELECT region_id FROM group_member WHERE group_id = 'jamsa-keuruu'").fetchall()]
    con.close()
    names = dict(zip(regions.region_id, regions.name_fi, strict=True))
    pops = dict(zip(regions.region_id, regions.population, strict=True))
    context = situation.Context(tuple(members), names, pops, 965, 658, "country")
    sit = situation.build(inds, observations, context)
    by = observations.set_index(["indicator_id", "region_id", "year"]).sort_index()
    units = inds.set_index("indicator_id")["unit"]
    schedule = inds.set_index("indicator_id")["schedule"]
    checked = trends_checked = 0
    for r in sit.rows.to_dict("records"):
        if r["county_only"] or r["year"] is None:
            continue
        key = [(r["indicator_id"], m, r["year"]) for m in members]
        part = by.reindex(key)
        pooled = analysis.pool(part["value"], part["abs_value"], units[r["indicator_id"]],
                               r["method"], [pops[m] for m in members])
        assert r["value"] == pytest.approx(pooled.value, rel=1e-9, nan_ok=True)
        assert r["value_kind"] == pooled.kind
        ci = analysis.count_interval(r["abs_value"], r["denominator"], r["unit"],
                                     r["method"])
        if ci is not None:
            assert (r["lo"], r["hi"]) == pytest.approx(ci, rel=1e-9)
            checked += 1
        country = by["value"].get((r["indicator_id"], 658, r["year"]), math.nan)
        assert r["country_value"] == pytest.approx(country, nan_ok=True)
        expected = analysis.compare(r["value"], ci, r["country_value"], r["polarity"])
        assert r["outcome_country"] == expected
        series = sit.series[(sit.series["indicator_id"] == r["indicator_id"])
                            & (sit.series["series"] == "group")]
        trend = analysis.trend(series["year"], series["value"], r["polarity"], r["method"],
                               numerators=pooled_abs(series, r, by, members, units),
                               denominators=pooled_den(series, r, by, members, units),
                               lo=series["lo"], hi=series["hi"],
                               max_gap=situation.MAX_GAP[schedule[r["indicator_id"]]])
        assert r["trend"] == trend.direction
        trends_checked += trend.direction not in ("insufficient", "not_computable")
    assert checked > 10 and trends_checked > 5
    for m in sit.members.to_dict("records"):
        ci = analysis.interval(m["value"], m["abs_value"],
                               units[m["indicator_id"]],
                               inds.set_index("indicator_id").loc[m["indicator_id"],
                                                                  "comparison"] or "none")
        assert analysis.compare(m["value"], ci, m["benchmark_value"],
                                inds.set_index("indicator_id").loc[m["indicator_id"],
                                                                   "polarity"]) == m["outcome"]


def _pooled_each_year(series, r, by, members, units):
    out = []
    for year in series["year"]:
        part = by.reindex([(r["indicator_id"], m, year) for m in members])
        out.append(analysis.pool(part["value"], part["abs_value"], units[r["indicator_id"]],
                                 r["method"]))
    return out


def pooled_abs(series, r, by, members, units):
    return [p.abs_value for p in _pooled_each_year(series, r, by, members, units)]


def pooled_den(series, r, by, members, units):
    return [p.denominator for p in _pooled_each_year(series, r, by, members, units)]
