"""The demo generator: deterministic, plausible, and consistent with its own aggregates."""

import numpy as np
import pandas as pd
import pytest

from pipelines import demo
from pipelines.config import load_config
from tests.warehouse_fixtures import ROOT

CONFIG = load_config(ROOT / "data")
LUHANKA, JYVASKYLA, COUNTY, FINLAND = 208, 85, 965, 658


@pytest.fixture(scope="module")
def county():
    return demo.generate(CONFIG, "county")


@pytest.fixture(scope="module")
def finland():
    return demo.generate(CONFIG, "finland")


def test_deterministic(county):
    again = demo.generate(CONFIG, "county")
    pd.testing.assert_frame_equal(county.observations, again.observations)


def test_different_seed_differs(county):
    other = demo.generate(CONFIG, "county", seed=1)
    assert not county.observations["value"].equals(other.observations["value"])


def test_every_catalogue_indicator_and_focus_region_present(county):
    obs = county.observations
    assert set(obs["indicator_id"]) == {i.indicator_id for i in CONFIG.indicators}
    wanted = {r.region_id for r in CONFIG.named_regions}
    assert set(county.regions["region_id"]) == wanted
    assert wanted == set(obs["region_id"]) | (wanted - set(obs["region_id"]))
    assert not obs.duplicated(["indicator_id", "region_id", "year", "gender"]).any()


def test_finland_size_has_national_coverage(finland):
    munis = finland.regions[finland.regions["category"] == "KUNTA"]
    assert 280 <= len(munis) <= 320
    assert (finland.regions["category"] == "HYVINVOINTIALUE").sum() == 22


def test_values_plausible_for_unit(finland):
    obs = finland.observations.merge(
        pd.DataFrame([(i.indicator_id, i.unit) for i in CONFIG.indicators],
                     columns=["indicator_id", "unit"]))
    pct = obs[obs["unit"] == "percent"]["value"]
    assert pct.between(0, 100).all()
    assert (obs["value"] >= 0).all()


def test_aggregates_pool_their_members(county):
    """The county's numerator is the sum of its municipalities' (suppressed rows included)."""
    obs = county.observations
    numerator_inds = [i.indicator_id for i in CONFIG.indicators
                      if i.numerator and i.coverage == "municipality"]
    assert numerator_inds
    members = {m.region_id for m in CONFIG.municipalities}
    for iid in numerator_inds:
        rows = obs[(obs["indicator_id"] == iid) & (obs["gender"] == "total")]
        for year, frame in rows.groupby("year"):
            muni_sum = frame[frame["region_id"].isin(members)]["abs_value"].sum()
            county_abs = frame[frame["region_id"] == COUNTY]["abs_value"].iloc[0]
            assert county_abs >= muni_sum
            if frame["region_id"].isin(members).sum() == len(members):
                assert county_abs == muni_sum, (iid, year)


def test_genders_add_up_to_total(county):
    obs = county.observations
    iid = next(i.indicator_id for i in CONFIG.indicators if i.numerator)
    rows = obs[(obs["indicator_id"] == iid) & (obs["region_id"] == COUNTY)]
    wide = rows.pivot_table(index="year", columns="gender", values="abs_value")
    assert np.allclose(wide["male"] + wide["female"], wide["total"])


def test_small_municipalities_have_absent_rows_and_more_noise(county):
    obs = county.observations
    iid = 4  # hospital care of children: small counts
    rows = obs[(obs["indicator_id"] == iid) & (obs["gender"] == "total")]
    years = rows["year"].nunique()
    assert rows[rows["region_id"] == LUHANKA].shape[0] < years
    assert rows[rows["region_id"] == JYVASKYLA].shape[0] == years

    def noise(region):
        series = obs[(obs["indicator_id"] == 2458) & (obs["region_id"] == region)
                     & (obs["gender"] == "total")].sort_values("year")["value"]
        # Scatter around the region's own linear trend, relative to its level.
        years = np.arange(len(series))
        fitted = np.polyval(np.polyfit(years, series.to_numpy(), 1), years)
        return np.std(series.to_numpy() - fitted) / series.mean()

    assert noise(LUHANKA) > 2 * noise(JYVASKYLA)


def test_survey_and_county_only_indicators(county):
    obs = county.observations
    for ind in CONFIG.indicators:
        rows = obs[obs["indicator_id"] == ind.indicator_id]
        assert sorted(rows["year"].unique()) == demo.years_for(ind)
        if ind.coverage == "county":
            assert not rows["region_id"].isin([m.region_id for m in CONFIG.municipalities]).any()


def test_absvalue_only_where_the_indicator_has_a_numerator(county):
    obs = county.observations
    for ind in CONFIG.indicators:
        has_abs = obs.loc[obs["indicator_id"] == ind.indicator_id, "abs_value"].notna().any()
        assert has_abs == ind.numerator, ind.indicator_id


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="demo size"):
        demo.generate(CONFIG, "galaxy")
