"""Rows no real statistic can hold, dropped before publishing and counted per indicator.

Every source passes through here (Sotkanet, recorded responses, demo) inside the warehouse
build. A dropped row is reported as a warning naming the indicator, the rule and the count
(exit code 3); `--strict` refuses the build instead. The rules, each one a property of the
unit or of the region, never of what is "typical":

- ids: region id within 1..2 147 483 647 (the warehouse's INTEGER; nothing is cast or
  wrapped onto another region), year within 1900..2100;
- values: a percentage within 0..100; no negative value for percentages, rates, counts,
  years or litres (indices and euros may be negative); a numerator is never negative;
- numerators (catalogue indicators with `numerator = true`): for a proportion the
  numerator is at most the region's population, and for proportions and rates the
  denominator the value implies (numerator × scale / value, taking the largest value that
  rounds to the one shown) is at most the region's population with 10 % to spare.
  The population is indicator 127's largest total for the region, when it was loaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.config import UNITS, Config

ID_MIN, ID_MAX = 1, 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 2100
POPULATION_INDICATOR = 127
POPULATION_SLACK = 1.10
NON_NEGATIVE_UNITS = {"percent", "per_1000", "per_10000", "per_100000", "count", "years",
                      "litres"}

REASONS = {
    "region_id": f"region id outside {ID_MIN}..{ID_MAX}",
    "year": f"year outside {YEAR_MIN}..{YEAR_MAX}",
    "percent_range": "percentage outside 0..100",
    "negative": "negative value",
    "negative_numerator": "negative numerator",
    "numerator_over_population": "numerator larger than the region's population",
    "denominator_over_population": "implied denominator larger than the region's population",
}


def add_counts(dropped: dict[int, dict[str, int]], indicator_id: int, reason: str,
               n: int) -> None:
    if n:
        per = dropped.setdefault(int(indicator_id), {})
        per[reason] = per.get(reason, 0) + int(n)


def screen(observations: pd.DataFrame, config: Config,
           dropped: dict[int, dict[str, int]]) -> pd.DataFrame:
    """The plausible rows of `observations`; what was dropped is added to `dropped`."""
    if observations.empty:
        return observations
    obs = observations
    bad = pd.Series(False, index=obs.index)

    def rule(reason: str, mask: pd.Series) -> None:
        nonlocal bad
        new = mask & ~bad
        if new.any():
            for iid, n in obs.loc[new, "indicator_id"].value_counts().items():
                add_counts(dropped, iid, reason, n)
            bad |= new

    # Compare as Python-sized numbers: an id read as float or int64 must not wrap.
    region = pd.to_numeric(obs["region_id"], errors="coerce").astype("float64")
    year = pd.to_numeric(obs["year"], errors="coerce").astype("float64")
    rule("region_id", ~region.between(ID_MIN, ID_MAX))
    rule("year", ~year.between(YEAR_MIN, YEAR_MAX))

    value = obs["value"].astype("float64")
    abs_value = obs["abs_value"].astype("float64")
    units = {ind.indicator_id: ind.unit for ind in config.indicators}
    unit = obs["indicator_id"].map(units)
    rule("percent_range", (unit == "percent") & ~value.between(0, 100))
    rule("negative", unit.isin(NON_NEGATIVE_UNITS) & (value < 0))
    rule("negative_numerator", abs_value < 0)

    population = _population(obs[~bad])
    if population is not None:
        with_num = {ind.indicator_id: ind for ind in config.indicators
                    if ind.comparison in ("proportion", "rate")}
        has = obs["indicator_id"].isin(with_num) & abs_value.notna() & ~bad
        if has.any():
            pop = obs["region_id"].map(population).astype("float64")
            scale = obs["indicator_id"].map(
                {i: UNITS[ind.unit][0] for i, ind in with_num.items()}).astype("float64")
            half = obs["indicator_id"].map(
                {i: 0.5 * 10.0 ** -ind.decimals for i, ind in with_num.items()}
            ).astype("float64")
            proportion = obs["indicator_id"].map(
                {i: ind.comparison == "proportion" for i, ind in with_num.items()}
            ).fillna(False).astype(bool)
            known = has & pop.notna()
            rule("numerator_over_population", known & proportion & (abs_value > pop))
            with np.errstate(divide="ignore", invalid="ignore"):
                least_denominator = abs_value * scale / (value + half)
            rule("denominator_over_population",
                 known & (value > 0) & (least_denominator > pop * POPULATION_SLACK))
    if not bad.any():
        return observations
    return observations[~bad].reset_index(drop=True)


def _population(obs: pd.DataFrame) -> pd.Series | None:
    pop = obs[(obs["indicator_id"] == POPULATION_INDICATOR) & (obs["gender"] == "total")]
    if pop.empty:
        return None
    return pop.groupby("region_id")["value"].max()


def warnings(dropped: dict[int, dict[str, int]]) -> list[str]:
    """One line per indicator: how many rows were dropped, by rule."""
    out = []
    for iid in sorted(dropped):
        per = dropped[iid]
        total = sum(per.values())
        parts = ", ".join(f"{n} {REASONS.get(reason, reason)}"
                          for reason, n in sorted(per.items(), key=lambda kv: -kv[1]))
        out.append(f"indicator {iid}: {total} implausible row(s) dropped ({parts})")
    return out
