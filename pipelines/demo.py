"""Deterministic synthetic Sotkanet-like data, so every view works offline and in tests.

Not real data: levels come from the catalogue's `typical`, municipalities differ and drift
over time, counts are Poisson so small places are noisy, small counts are suppressed the
way Sotkanet does, surveys exist only in survey years, and every aggregate (county,
maakunta, Finland) is pooled from its members so the numbers add up.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from pipelines.config import UNITS, Config, Indicator
from pipelines.dataset import OBSERVATION_COLUMNS, Dataset

SIZES = ("county", "finland")
DEFAULT_SEED = 2024
FIRST_YEAR, LAST_YEAR = 2010, 2024
DATA_UPDATED = "2025-11-14"
SUPPRESS_BELOW = 3  # absent rows where the numerator is this small (privacy rule)

# Approximate populations at the end of 2024 and yearly growth, so the demo resembles
# the county (Jyväskylä grows, the small rural municipalities shrink).
KNOWN_POPULATION = {
    "172": (4_300, -0.012), "435": (690, -0.015), "850": (2_350, -0.004),
    "179": (147_000, 0.007), "500": (10_500, 0.005), "182": (19_300, -0.011),
    "249": (9_400, -0.012), "495": (1_600, -0.013), "592": (3_800, -0.004),
    "892": (3_500, 0.000), "216": (1_250, -0.017), "226": (3_800, -0.014),
    "265": (1_050, -0.018), "312": (1_300, -0.016), "729": (9_200, -0.013),
    "256": (1_550, -0.015), "601": (3_700, -0.013), "931": (6_000, -0.014),
    "077": (4_800, -0.009), "275": (2_550, -0.010), "410": (19_000, 0.003),
    "992": (18_500, -0.007),
}
OTHER_COUNTIES = 21
OTHER_MUNICIPALITIES = 285
FINLAND_POPULATION = 5_600_000


# Synthetic catalogue entries (benchmarks only) get ids from here up, far from Sotkanet's.
SYNTHETIC_ID_BASE = 9_000_000
SYNTHETIC_MARK = "[synteettinen]"


def years_for(ind: Indicator, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[int]:
    years = range(first, last + 1)
    if ind.schedule == "biennial_odd":  # school health survey: odd years since 2013
        return [y for y in range(max(first, 2013), last + 2) if y % 2 == 1]
    if ind.schedule == "biennial_even":
        return [y for y in years if y % 2 == 0]
    if ind.schedule == "terve_suomi":
        return [y for y in (2018, 2020, 2022, 2023) if first <= y <= last + 1]
    return list(years)


def synthetic_catalogue(config: Config, total: int) -> Config:
    """The configuration with its catalogue padded to `total` indicators (benchmarks only).

    Extra entries copy the shapes of the real ones in turn (unit, polarity, schedule,
    numerator, typical level) under new ids from SYNTHETIC_ID_BASE, with names and
    rationale marked synthetic, so a national-scale warehouse has as many indicators as
    a real multi-county catalogue would. Never used for the shipped demo.
    """
    real = list(config.indicators)
    shapes = [ind for ind in real if ind.indicator_id != 127] or real  # one population
    extra = []
    last_order = max((ind.sort_order for ind in real), default=0)
    for k in range(max(0, total - len(real))):
        base = shapes[k % len(shapes)]
        extra.append(dataclasses.replace(
            base,
            indicator_id=SYNTHETIC_ID_BASE + k + 1,
            name_fi=f"{base.name_fi} {SYNTHETIC_MARK} {k + 1}",
            name_sv=f"{base.name_sv} {SYNTHETIC_MARK} {k + 1}",
            name_en=f"{base.name_en} [synthetic] {k + 1}",
            verified=False,
            rationale=f"Synthetic benchmark indicator shaped like {base.indicator_id}.",
            sort_order=last_order + k + 1,
        ))
    return dataclasses.replace(config, indicators=tuple(real + extra))


def generate(config: Config, size: str = "county", seed: int = DEFAULT_SEED, *,
             first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> Dataset:
    if size not in SIZES:
        raise ValueError(f"demo size must be one of {', '.join(SIZES)}, got {size!r}")
    if first_year > last_year:
        raise ValueError(f"first year {first_year} is after last year {last_year}")
    munis, aggregates = _regions(config, np.random.default_rng([seed, 0]))
    frames = []
    for ind in config.indicators:
        frames.append(_indicator_rows(ind, munis, aggregates, seed, first_year, last_year))
    obs = pd.concat(frames, ignore_index=True)
    keep_munis = munis if size == "finland" else munis[munis["in_focus"]]
    keep_aggs = aggregates if size == "finland" else aggregates[aggregates["in_focus"]]
    keep_ids = set(keep_munis["region_id"]) | set(keep_aggs["region_id"])
    obs = obs[obs["region_id"].isin(keep_ids)].reset_index(drop=True)
    regions = pd.concat([keep_aggs, keep_munis], ignore_index=True)[
        ["region_id", "code", "category", "name_fi", "name_sv", "name_en",
         "county_id", "maakunta_id"]]
    metadata = {ind.indicator_id: _metadata(ind, first_year, last_year)
                for ind in config.indicators}
    detail = {"demo_size": size, "seed": seed}
    if (first_year, last_year) != (FIRST_YEAR, LAST_YEAR):
        detail["years"] = f"{first_year}-{last_year}"
    return Dataset(
        source="demo", regions=regions.reset_index(drop=True), observations=obs,
        metadata=metadata, detail=detail,
        notes=["synthetic demo data: not real figures"],
    )


def _regions(config: Config, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    county, maakunta, country = config.county, config.maakunta, config.country
    rows = []
    for m in config.municipalities:
        pop, growth = KNOWN_POPULATION.get(m.code, (5_000, -0.005))
        rows.append((m.region_id, m.code, m.name_fi, m.name_sv, m.name_en,
                     county.region_id, maakunta.region_id, pop, growth, True))
    focus_total = sum(r[7] for r in rows)
    # The rest of Finland: log-normal sizes scaled to the national total.
    sizes = rng.lognormal(mean=8.6, sigma=1.15, size=OTHER_MUNICIPALITIES)
    sizes = sizes / sizes.sum() * (FINLAND_POPULATION - focus_total)
    sizes = np.clip(sizes, 600, None).round()
    area_of = rng.integers(0, OTHER_COUNTIES, size=OTHER_MUNICIPALITIES)
    growth = rng.normal(-0.006, 0.006, size=OTHER_MUNICIPALITIES)
    for i in range(OTHER_MUNICIPALITIES):
        name = f"Demokunta {i + 1:03d}"
        rows.append((920_001 + i, f"X{i + 1:03d}", name, name, name,
                     900_001 + int(area_of[i]), 910_001 + int(area_of[i]),
                     float(sizes[i]), float(growth[i]), False))
    munis = pd.DataFrame(rows, columns=["region_id", "code", "name_fi", "name_sv", "name_en",
                                        "county_id", "maakunta_id", "population", "growth",
                                        "in_focus"])
    munis["category"] = "KUNTA"
    aggs = [
        (county.region_id, county.code, "HYVINVOINTIALUE", county.name_fi, county.name_sv,
         county.name_en, "county", county.region_id, True),
        (maakunta.region_id, maakunta.code, "MAAKUNTA", maakunta.name_fi, maakunta.name_sv,
         maakunta.name_en, "maakunta", maakunta.region_id, True),
        (country.region_id, country.code, "MAA", country.name_fi, country.name_sv,
         country.name_en, "country", None, True),
    ]
    for a in range(OTHER_COUNTIES):
        name = f"Demoalue {a + 1:02d}"
        aggs.append((900_001 + a, f"XA{a + 1:02d}", "HYVINVOINTIALUE", name, name, name,
                     "county", 900_001 + a, False))
        aggs.append((910_001 + a, f"XM{a + 1:02d}", "MAAKUNTA", name, name, name,
                     "maakunta", 910_001 + a, False))
    aggregates = pd.DataFrame(aggs, columns=["region_id", "code", "category", "name_fi",
                                             "name_sv", "name_en", "level", "member_key",
                                             "in_focus"])
    aggregates["county_id"] = pd.array([None] * len(aggregates), dtype="Int64")
    aggregates["maakunta_id"] = pd.array([None] * len(aggregates), dtype="Int64")
    munis["county_id"] = munis["county_id"].astype("Int64")
    munis["maakunta_id"] = munis["maakunta_id"].astype("Int64")
    return munis, aggregates


def _indicator_rows(ind: Indicator, munis: pd.DataFrame, aggs: pd.DataFrame,
                    seed: int, first_year: int = FIRST_YEAR,
                    last_year: int = LAST_YEAR) -> pd.DataFrame:
    rng = np.random.default_rng([seed, ind.indicator_id])
    years = np.array(years_for(ind, first_year, last_year))
    n_m, n_y = len(munis), len(years)
    t = years - last_year
    pop = munis["population"].to_numpy()[:, None] * np.exp(
        munis["growth"].to_numpy()[:, None] * t[None, :])
    scale = UNITS[ind.unit][0]

    if ind.indicator_id == 127:
        values = np.round(pop)
        male = np.round(values * rng.normal(0.497, 0.005, size=(n_m, 1)))
        return _frame(ind, munis, aggs, years, {"total": (values, None, None),
                                                "male": (male, None, None),
                                                "female": (values - male, None, None)})

    # Level: the national typical value, a lasting municipal effect, a shared drift and a
    # local drift, so trends exist and differ between places.
    effect = rng.normal(0.0, 0.22, size=(n_m, 1))
    drift = rng.normal(0.0, 0.025) + rng.normal(0.0, 0.012, size=(n_m, 1))
    level = ind.typical * np.exp(effect + drift * t[None, :])
    if ind.unit == "percent":
        level = np.clip(level, 0.2, 97.0)

    if ind.numerator and scale:
        target_share = 1.0 if "asuk" in ind.name_fi.lower() else rng.uniform(0.12, 0.6)
        denom = np.maximum(np.round(pop * target_share), 1.0)
        ratio = np.exp(rng.normal(0.0, 0.35))  # male/female rate ratio
        d_male = np.round(denom * 0.5)
        d_female = denom - d_male
        p_male = level / scale * 2 * ratio / (1 + ratio)
        p_female = level / scale * 2 / (1 + ratio)
        x_male = np.minimum(rng.poisson(p_male * d_male), d_male)
        x_female = np.minimum(rng.poisson(p_female * d_female), d_female)
        parts = {
            "total": (x_male + x_female, denom, None),
            "male": (x_male, d_male, None),
            "female": (x_female, d_female, None),
        }
        return _frame(ind, munis, aggs, years, parts)

    # No numerator (indices, survey shares, euros): noise shrinks with population.
    noise = rng.normal(0.0, 1.0, size=(n_m, n_y)) * 0.1 / np.sqrt(pop / 1000.0)
    values = level * np.exp(np.clip(noise, -0.8, 0.8))
    if ind.unit == "percent":
        values = np.clip(values, 0.1, 99.5)
    return _frame(ind, munis, aggs, years, {"total": (values, None, pop)})


def _frame(ind, munis, aggs, years, parts) -> pd.DataFrame:
    """Municipal rows (with suppression and coverage) plus consistent aggregate rows."""
    rng = np.random.default_rng([7, ind.indicator_id])
    scale = UNITS[ind.unit][0]
    out = []
    region_ids = munis["region_id"].to_numpy()
    small = munis["population"].to_numpy() < 2000
    pops = munis["population"].to_numpy()
    for gender, (num, denom, weights) in parts.items():
        if denom is not None:
            value = num / denom * scale
            abs_value = num
        else:
            value, abs_value = num, None
        if ind.coverage == "municipality":
            present = np.ones_like(value, dtype=bool)
            if abs_value is not None:
                present &= abs_value >= SUPPRESS_BELOW
            # Small municipalities miss a year now and then (late or withheld reports).
            present &= ~(small[:, None] & (rng.random(value.shape) < 0.08))
            mi, yi = np.nonzero(present)
            out.append(_rows(ind, region_ids[mi], years[yi], gender, value[mi, yi],
                             None if abs_value is None else abs_value[mi, yi]))
        members = _membership(munis, aggs)  # aggregates x municipalities, 0/1
        if denom is not None:
            a_num = members @ num
            a_val, a_abs = a_num / (members @ denom) * scale, a_num
        elif ind.unit == "count":
            a_val, a_abs = members @ num, None
        else:
            w = weights if weights is not None else pops[:, None] * np.ones_like(num)
            a_val, a_abs = (members @ (num * w)) / (members @ w), None
        n_a = len(aggs)
        out.append(_rows(ind, np.repeat(aggs["region_id"].to_numpy(), len(years)),
                         np.tile(years, n_a), gender, a_val.ravel(),
                         None if a_abs is None else a_abs.ravel()))
    frame = pd.concat(out, ignore_index=True)
    frame["value"] = frame["value"].round(ind.decimals)
    return frame[OBSERVATION_COLUMNS]


def _membership(munis: pd.DataFrame, aggs: pd.DataFrame) -> np.ndarray:
    rows = []
    for level, key in zip(aggs["level"], aggs["member_key"], strict=True):
        if level == "country":
            rows.append(np.ones(len(munis)))
        else:
            col = "county_id" if level == "county" else "maakunta_id"
            rows.append((munis[col] == key).to_numpy(dtype=float))
    return np.vstack(rows)


def _rows(ind, region_ids, years, gender, values, abs_values) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "indicator_id": np.full(n, ind.indicator_id, dtype="int32"),
        "region_id": np.asarray(region_ids, dtype="int32"),
        "year": np.asarray(years, dtype="int16"),
        "gender": gender,
        "value": np.asarray(values, dtype="float64"),
        "abs_value": (np.full(n, np.nan) if abs_values is None
                      else np.asarray(abs_values, dtype="float64")),
    })


def _metadata(ind: Indicator, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> dict:
    years = years_for(ind, first_year, last_year)
    return {
        "title_fi": ind.name_fi,
        "title_sv": ind.name_sv,
        "title_en": ind.name_en,
        "producer": "Demoaineisto (synteettinen)",
        "description_fi": f"Demoaineisto: synteettiset luvut indikaattorille {ind.indicator_id}. "
                          "Eivät ole oikeita tilastotietoja.",
        "interpretation_fi": ind.rationale,
        "limits_fi": "Pienissä kunnissa luvut vaihtelevat vuodesta toiseen satunnaisesti.",
        "notices_fi": "Alle kolmen tapauksen luvut on jätetty pois tietosuojasyistä.",
        "data_updated": DATA_UPDATED,
        "range_start": years[0],
        "range_end": years[-1],
    }
