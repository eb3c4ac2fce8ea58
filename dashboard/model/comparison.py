"""Municipalities side by side: values, intervals, outcomes, ranks and quintiles per indicator.

Pure (no Streamlit, no DuckDB): warehouse frames in, one long frame out (one row per
indicator and chosen municipality), so the compare page, its heat map, its charts and its
downloads all show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.i18n import names
from dashboard.i18n.catalog import N_, _
from dashboard.model import stats as analysis

GENDERS = ("total", "male", "female")
BENCHMARKS = ("area", "country")  # the wellbeing services county, or Finland
DEFAULT_PRIORITY = "mental_wellbeing"

ROW_COLUMNS = [
    "indicator_id", "name", "priority", "polarity", "unit", "decimals", "method", "year",
    "region_id", "municipality", "population", "small", "value", "abs_value", "lo", "hi",
    "benchmark_value", "benchmark_label", "outcome", "rank_area", "n_area", "rank_country",
    "n_country", "quintile",
]

# Why an indicator has no rows: shown as a message, never as an exception.
REASONS = {
    "no_year": N_("Ei kuntatietoja valitulta vuodelta: {indicators}."),
    "county_only": N_("Julkaistaan vain hyvinvointialueelle ja koko maalle (ei kuntatietoja): "
                      "{indicators}."),
    "no_gender": N_("Ei tietoja valitulle sukupuolelle: {indicators}."),
    "no_data": N_("Ei tietoja tietovarastossa: {indicators}."),
}


@dataclass
class Comparison:
    rows: pd.DataFrame                                  # ROW_COLUMNS, drawing order
    missing: dict[int, str] = field(default_factory=dict)  # indicator_id -> REASONS key
    country_rank_available: bool = True                 # the warehouse holds more than the county


def implied_denominator(value, abs_value, unit, method) -> np.ndarray:
    """Denominator implied by value, numerator and unit (the overview's rule, vectorised):
    only for plain proportions and crude rates (analysis.denominator)."""
    scale = pd.Series(np.asarray(unit, dtype=object)).map(analysis.SCALES).to_numpy(dtype=float)
    counted = np.isin(np.asarray(method, dtype=object), analysis.COUNT_METHODS)
    scale = np.where(counted, scale, np.nan)
    value, abs_value = (np.asarray(a, dtype=float) for a in (value, abs_value))
    with np.errstate(divide="ignore", invalid="ignore"):
        den = abs_value * scale / value
    return np.where(np.isfinite(den) & (value > 0) & (den > 0), den, np.nan)


def with_intervals(frame: pd.DataFrame, level: float = analysis.TABLE_LEVEL) -> pd.DataFrame:
    """Add lo/hi (NaN where not computable); `frame` has value, abs_value, unit, method."""
    out = frame.copy()
    scale = out["unit"].map(analysis.SCALES).astype(float)
    method = out["method"].fillna("none")
    den = implied_denominator(out["value"], out["abs_value"], out["unit"], method)
    out["lo"], out["hi"] = analysis.count_intervals(out["abs_value"], den, scale, method, level)
    return out


def _rest_of_area(area_value, area_abs, part_value, part_abs, unit, method) -> float:
    rest = analysis.rest_of_area(area_value, area_abs, part_value, part_abs, unit, method)
    return math.nan if rest is None else rest[0]


def build(indicators: pd.DataFrame, observations: pd.DataFrame, regions: pd.DataFrame,
          municipalities: Sequence[int], indicator_ids: Sequence[int], area_id: int,
          country_id: int, benchmark: str = "area", year: int | None = None,
          gender: str = "total") -> Comparison:
    """Compare the chosen municipalities on the chosen indicators.

    `observations`: one gender, every region and year of the indicators (data.year_slice);
    `year`: None = each indicator's latest year with municipal data. Ranks and quintiles are
    among the area's municipalities (and, for the country rank, among every municipality
    in the warehouse) in that year, whatever is selected; quintiles by phe_quantile's rule
    (none with fewer than five known values). Each municipality's area benchmark is the
    rest of the area without it wherever that can be computed, else the area itself.
    """
    if benchmark not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {benchmark!r}")
    inds = indicators.set_index("indicator_id", drop=False)
    reg = regions.set_index("region_id", drop=False)
    munis_all = reg[reg["category"] == "KUNTA"]
    area_munis = set(munis_all.index[munis_all["county_id"] == area_id])
    all_munis = set(munis_all.index)
    country_rank = len(all_munis) > len(area_munis)
    pops = reg["population"].astype(float)
    region_names = names.display(reg, "name")

    # One pass over the (national) slice instead of a boolean mask per indicator.
    by_indicator = dict(tuple(observations.groupby("indicator_id", sort=False)))
    empty = observations.iloc[0:0]
    out, missing = [], {}
    for iid in indicator_ids:
        if iid not in inds.index:
            continue
        ind = inds.loc[iid]
        method = ind["comparison"] if isinstance(ind["comparison"], str) else "none"
        part = by_indicator.get(iid, empty)
        muni_part = part[part["region_id"].isin(area_munis)]
        if part.empty:
            missing[iid] = "no_data" if gender == "total" else "no_gender"
            continue
        if muni_part.empty:
            missing[iid] = "county_only"
            continue
        shown = int(muni_part["year"].max()) if year is None else int(year)
        here = part[part["year"] == shown].set_index("region_id")
        if not here.index.isin(list(area_munis)).any():
            missing[iid] = "no_year"
            continue
        values = here["value"].astype(float)
        in_area = values[values.index.isin(list(area_munis))]
        in_country = values[values.index.isin(list(all_munis))]
        rank_area = analysis.rank(in_area, ind["polarity"])
        rank_country = analysis.rank(in_country, ind["polarity"])
        quint = analysis.quintiles(in_area)
        area_v, area_x = here["value"].get(area_id), here["abs_value"].get(area_id)
        country_v = here["value"].get(country_id)
        for rid in municipalities:
            v = here["value"].get(rid, math.nan)
            x = here["abs_value"].get(rid, math.nan)
            pop = float(pops.get(rid, math.nan))
            if benchmark == "country":
                bench, label = country_v, "country"
            else:
                bench, label = area_v, "area"
                rest = _rest_of_area(area_v, area_x, v, x, ind["unit"], method)
                if not math.isnan(rest):
                    bench, label = rest, "rest_of_area"
            out.append({
                "indicator_id": int(iid), "name": names.text(ind, "short") or names.text(ind, "title"),
                "priority": ind["priority"], "polarity": ind["polarity"], "unit": ind["unit"],
                "decimals": int(ind["decimals"]), "method": method,
                "year": shown, "region_id": int(rid),
                "municipality": region_names.get(rid, str(rid)), "population": pop,
                "value": v, "abs_value": x, "benchmark_value": bench,
                "benchmark_label": label,
                "rank_area": rank_area.get(rid, pd.NA), "n_area": int(in_area.notna().sum()),
                "rank_country": rank_country.get(rid, pd.NA) if country_rank else pd.NA,
                "n_country": int(in_country.notna().sum()) if country_rank else pd.NA,
                "quintile": quint.get(rid, pd.NA),
            })
    rows = pd.DataFrame(out, columns=[c for c in ROW_COLUMNS if c not in ("lo", "hi",
                                                                          "outcome", "small")])
    for col in ("value", "abs_value", "benchmark_value", "population"):
        rows[col] = pd.to_numeric(rows[col], errors="coerce").astype(float)
    rows = with_intervals(rows)
    rows["outcome"] = analysis.compare_many(rows["value"], rows["lo"], rows["hi"],
                                            rows["benchmark_value"], rows["polarity"].to_numpy())
    rows["small"] = (rows["population"] < 2_000).fillna(False).astype(bool)
    for col in ("rank_area", "n_area", "rank_country", "n_country", "quintile"):
        rows[col] = pd.array(rows[col], dtype="Int64")
    return Comparison(rows[ROW_COLUMNS].reset_index(drop=True), missing, country_rank)


def years_available(observations: pd.DataFrame, area_municipalities: Sequence[int]) -> list[int]:
    """Years in which any of the area's municipalities has a value, newest first."""
    part = observations[observations["region_id"].isin(list(area_municipalities))]
    return sorted({int(y) for y in part["year"].dropna()}, reverse=True)


def rank_text(rank, n) -> str:
    """'3/22'; '–' when unknown."""
    if rank is pd.NA or n is pd.NA or rank is None or n is None:
        return "–"
    return f"{int(rank)}/{int(n)}"


def missing_message(missing: Mapping[int, str], names: Mapping[int, str],
                    year: int | None, gender: str) -> list[str]:
    """One sentence per reason, naming the indicators (plain text: escape before md)."""
    by_reason: dict[str, list[str]] = {}
    for iid, reason in missing.items():
        by_reason.setdefault(reason, []).append(names.get(iid, str(iid)))
    out = []
    for reason, items in by_reason.items():
        listed = "; ".join(items)
        if reason == "no_year" and year is not None:
            out.append(_("Ei kuntatietoja vuodelta {year}: {indicators}.", year=year,
                         indicators=listed))
        else:
            out.append(_(REASONS[reason], indicators=listed))
    return out
