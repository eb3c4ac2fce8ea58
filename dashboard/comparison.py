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

from dashboard import analysis, params, table_files
from dashboard.texts import outcome_name, t

GENDERS = ("total", "male", "female")
DEFAULT_PRIORITY = "mental_wellbeing"

ROW_COLUMNS = [
    "indicator_id", "name", "priority", "polarity", "unit", "decimals", "method", "year",
    "region_id", "municipality", "population", "small", "value", "abs_value", "lo", "hi",
    "benchmark_value", "benchmark_label", "outcome", "rank_area", "n_area", "rank_country",
    "n_country", "quintile",
]

# Why an indicator has no rows: shown as a message, never as an exception.
REASONS = {
    "no_year": "ei kuntatietoja valitulta vuodelta",
    "county_only": "julkaistaan vain hyvinvointialueelle ja koko maalle (ei kuntatietoja)",
    "no_gender": "ei tietoja valitulle sukupuolelle",
    "no_data": "ei tietoja tietovarastossa",
}


@dataclass
class Comparison:
    rows: pd.DataFrame                                  # ROW_COLUMNS, drawing order
    missing: dict[int, str] = field(default_factory=dict)  # indicator_id -> REASONS key
    country_rank_available: bool = True                 # the warehouse holds more than the county


@dataclass(frozen=True)
class CompareParams:
    group: str
    priority: str
    benchmark: str
    year: int | None
    gender: str
    notes: tuple[str, ...] = ()


def parse_params(raw: Mapping, group_ids: Sequence[str], years: Sequence[int]) -> CompareParams:
    """URL -> a valid starting selection; unknown values fall back with a note."""
    base = params.parse_overview(raw, group_ids)
    priority = base.priority
    if "priority" not in raw:
        priority = DEFAULT_PRIORITY  # all 45 indicators at once is a wall, not a comparison
    notes = list(base.notes)
    year = None
    text = params._text(raw, "year")
    if text not in (None, "", "latest"):
        if text.isascii() and text.isdigit() and int(text) in set(years):
            year = int(text)
        else:
            notes.append("Linkin vuotta ei löytynyt; näytetään uusin vuosi.")
    gender = (params._text(raw, "gender") or "total").lower()
    if gender not in GENDERS:
        notes.append("Linkin sukupuolta ei tunnistettu; näytetään yhteensä.")
        gender = "total"
    return CompareParams(base.group, priority, base.benchmark, year, gender, tuple(notes))


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
    if benchmark not in params.BENCHMARK_CHOICES:
        raise ValueError(f"unknown benchmark {benchmark!r}")
    inds = indicators.set_index("indicator_id", drop=False)
    reg = regions.set_index("region_id", drop=False)
    munis_all = reg[reg["category"] == "KUNTA"]
    area_munis = set(munis_all.index[munis_all["county_id"] == area_id])
    all_munis = set(munis_all.index)
    country_rank = len(all_munis) > len(area_munis)
    pops = reg["population"].astype(float)

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
                "indicator_id": int(iid), "name": ind["short_fi"] or ind["title_fi"],
                "priority": ind["priority"], "polarity": ind["polarity"], "unit": ind["unit"],
                "decimals": int(ind["decimals"]), "method": method,
                "year": shown, "region_id": int(rid),
                "municipality": reg["name_fi"].get(rid, str(rid)), "population": pop,
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
    """One Finnish sentence per reason, naming the indicators (plain text: escape before md)."""
    by_reason: dict[str, list[str]] = {}
    for iid, reason in missing.items():
        by_reason.setdefault(reason, []).append(names.get(iid, str(iid)))
    out = []
    for reason, items in by_reason.items():
        text = REASONS[reason]
        if reason == "no_year" and year is not None:
            text = f"ei kuntatietoja vuodelta {year}"
        out.append(f"{text.capitalize()}: {'; '.join(items)}.")
    return out


# --- the table on screen and in the downloads ------------------------------------------
# The download holds the same rows and values as the screen, machine-readable: the screen's
# one "95 %:n väli" text column is two numeric columns there (COL_LO, COL_HI), numbers are
# numbers rounded to the decimals shown, and the quintile is an integer on both.

COL_NAME, COL_MUNI, COL_YEAR = "Indikaattori", "Kunta", "Vuosi"
COL_VALUE, COL_LO, COL_HI = "Arvo", "95 %:n väli, alaraja", "95 %:n väli, yläraja"
COL_CI = "95 %:n väli"  # screen only: "lo–hi"
COL_BENCH, COL_BENCH_WHERE, COL_OUTCOME = "Vertailuarvo", "Vertailukohta", "Vertailu"
COL_RANK_AREA, COL_RANK_COUNTRY = "Sija alueen kunnista", "Sija koko maan kunnista"
COL_QUINTILE = "Viidennes alueen kunnista"
NUMBER_COLUMNS = (COL_VALUE, COL_LO, COL_HI, COL_BENCH)


def benchmark_name(label: str) -> str:
    """A municipality's benchmark: 'rest of area' here means without the municipality."""
    return t("benchmark.rest_of_area_municipality" if label == "rest_of_area"
             else f"benchmark.{label}")


def table(rows: pd.DataFrame, country_rank: bool = True
          ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """(typed table, decimals per numeric column): what the page offers to download.

    Essential columns first (the benchmark's name last, it is the widest); without other
    counties in the warehouse there is no national rank, so no column of dashes for it.
    """
    columns = {
        COL_NAME: rows["name"].astype(str),
        COL_MUNI: rows["municipality"].astype(str),
        COL_YEAR: pd.array(rows["year"], dtype="Int64"),
        COL_VALUE: rows["value"], COL_LO: rows["lo"], COL_HI: rows["hi"],
        # the outcome next to the values it judges (as on the overview)
        COL_OUTCOME: [outcome_name(o) for o in rows["outcome"]],
        COL_BENCH: rows["benchmark_value"],
        COL_RANK_AREA: [rank_text(r, n) for r, n in zip(rows["rank_area"], rows["n_area"],
                                                       strict=True)],
        COL_RANK_COUNTRY: [rank_text(r, n) for r, n in zip(rows["rank_country"],
                                                          rows["n_country"], strict=True)],
        COL_QUINTILE: pd.array(rows["quintile"], dtype="Int64"),
        COL_BENCH_WHERE: [benchmark_name(b) for b in rows["benchmark_label"]],
    }
    if not country_rank:
        del columns[COL_RANK_COUNTRY]
    frame = pd.DataFrame(columns)
    decimals = rows["decimals"].astype(int).to_numpy()
    dec_map = {c: decimals for c in NUMBER_COLUMNS}
    return table_files.rounded(frame, dec_map).reset_index(drop=True), dec_map


def screen_table(typed: pd.DataFrame, decimals: Mapping[str, Sequence[int] | int]
                 ) -> pd.DataFrame:
    """The download table as Finnish text, its interval bounds as one "lo–hi" column."""
    text = table_files.screen(typed, decimals)
    ci = [lo if lo == "–" or hi == "–" else f"{lo}–{hi}"
          for lo, hi in zip(text[COL_LO], text[COL_HI], strict=True)]
    at = list(text.columns).index(COL_LO)
    text = text.drop(columns=[COL_LO, COL_HI])
    text.insert(at, COL_CI, ci)
    return text
