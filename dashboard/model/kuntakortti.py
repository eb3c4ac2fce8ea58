"""One municipality's card (kuntakortti): header facts, a row per indicator, highlights.

Pure (no Streamlit, no DuckDB): the card is the group overview's situation model with the
municipality as a one-member group (situation.Context), so its values, intervals,
comparisons with the county and with Finland, colours, five-point trends and the highlight
rule (situation.highlights) are the overview's own. Ranks among the county's
municipalities and the county's range for each row's spine come from comparison.build over
all of them, in the year the card shows. The screen page, the printed A4 and the offline
HTML all draw this one Card.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dashboard.i18n import names
from dashboard.i18n.catalog import (
    N_,
    PRIORITY_ORDER,
    _,
    benchmark_name,
    ngettext,
    outcome_name,
    priority_name,
)
from dashboard.i18n.formatting import interval, number
from dashboard.model import briefing, comparison, phrases, situation

SECTIONS = PRIORITY_ORDER                 # the three priorities, then the context
PRIORITIES = briefing.PRIORITIES          # the ones with strengths and challenges
SMALL_POPULATION = situation.SMALL_POPULATION
SMALL_COUNT = briefing.SMALL_COUNT        # fewer cases than this: one year can swing a lot
# A county's or Finland's total (population) is no benchmark for a municipality's count.
TOTALS = frozenset({"count"})
DEPENDENCY_RATIO = 761                    # Sotkanet: demographic dependency ratio
# The age structure the card's header asks for. Shares are found in the catalogue by their
# Finnish name ("0–17-vuotiaat, % väestöstä", "75 vuotta täyttäneet, % väestöstä"), not by
# guessed ids: what the catalogue does not hold, the card says it does not hold.
AGE_BANDS = ("0–17", "18–64", "65+", "75+")
_AGE_RANGE = re.compile(r"^\s*(\d+)\s*[–-]\s*(\d+)\s*-vuotiaat,\s*%\s*väestöstä\s*$")
_AGE_FROM = re.compile(r"^\s*(\d+)\s+vuotta\s+täyttäneet,\s*%\s*väestöstä\s*$")


@dataclass(frozen=True)
class Fact:
    """A header figure: which indicator, its value and year (None when not in the data)."""

    label: str
    indicator_id: int | None
    value: float | None
    year: int | None
    decimals: int = 1
    unit: str = "percent"

    def text(self) -> str:
        if self.value is None:
            return "–"
        value = phrases.value_text(self.value, self.unit, self.decimals)
        return _("{value} ({year})", value=value, year=self.year) if self.year else value


@dataclass
class Row:
    """One indicator on the card: the situation row plus its place among the municipalities."""

    indicator_id: int
    name: str
    priority: str
    unit: str
    decimals: int
    polarity: str
    year: int | None
    county_only: bool            # published for the county and Finland only
    value: float
    lo: float
    hi: float
    abs_value: float
    benchmark_value: float       # what outcome_area compared with (area or rest of area)
    benchmark_label: str         # area | rest_of_area
    area_value: float
    country_value: float
    outcome_area: str
    outcome_country: str
    trend: str
    trend_from: int | None
    trend_to: int | None
    rank: int | None = None      # among the county's municipalities, 1 = best by polarity
    rank_of: int | None = None
    county_min: float = math.nan
    county_max: float = math.nan
    others: tuple[tuple[str, float], ...] = ()   # the other municipalities in the same year
    mark: str | None = None      # strength | challenge | worsening (a highlight)

    @property
    def few_cases(self) -> bool:
        return not _missing(self.abs_value) and self.abs_value < SMALL_COUNT

    @property
    def has_value(self) -> bool:
        return not self.county_only and not _missing(self.value)

    def value_text(self) -> str:
        if self.county_only:
            return _("vain alue")
        text = number(self.value, self.decimals)
        return text + "*" if self.few_cases and text != "–" else text

    def interval_text(self) -> str:
        return interval(self.lo, self.hi, self.decimals)

    def benchmark_text(self) -> str:
        if self.unit in TOTALS:
            return "–"
        return number(self.benchmark_value if not _missing(self.benchmark_value)
                      else self.area_value, self.decimals)

    def country_text(self) -> str:
        return "–" if self.unit in TOTALS else number(self.country_value, self.decimals)

    def rank_text(self) -> str:
        return comparison.rank_text(self.rank, self.rank_of)

    def year_text(self) -> str:
        return str(self.year) if self.year else "–"


@dataclass
class Section:
    priority: str
    name: str
    rows: list[Row]
    strengths: list[dict] = field(default_factory=list)   # situation rows, the overview's rule
    challenges: list[dict] = field(default_factory=list)


@dataclass
class Card:
    region_id: int
    code: str
    name: str
    group_id: str | None
    group_name: str | None
    population: float
    population_year: int | None
    area_name: str
    benchmark_label: str          # rest_of_area when any row could be compared with the rest
    dependency: Fact
    ages: list[Fact]              # the age bands the catalogue holds
    ages_missing: tuple[str, ...]  # AGE_BANDS the catalogue does not hold
    vintage: dict[str, int | None]
    sections: list[Section]
    stamp: briefing.Stamp
    sit: situation.Situation
    ngo: object | None = None     # model.ngo.Picture of the latest NGO survey round, if any

    @property
    def is_demo(self) -> bool:
        return self.stamp.is_demo

    @property
    def small(self) -> bool:
        return not _missing(self.population) and self.population < SMALL_POPULATION

    @property
    def uses_rest(self) -> bool:
        """Compared with the rest of the county (the county without the municipality), the
        overview's rule wherever numerators allow it, so no municipality meets itself."""
        return self.benchmark_label == "rest_of_area"

    @property
    def rows(self) -> list[Row]:
        return [r for s in self.sections for r in s.rows]

    def benchmark_name(self) -> str:
        return (benchmark_name("rest_of_area_municipality") if self.uses_rest else self.area_name)

    def sentence(self, row: Mapping) -> str:
        return highlight_sentence(row)

    def population_text(self) -> str:
        if _missing(self.population):
            return "–"
        people = ngettext("{people} asukas", "{people} asukasta", int(self.population),
                          people=number(self.population, 0))
        if self.population_year:
            return _("{people} ({year})", people=people, year=self.population_year)
        return people

    def vintage_text(self) -> str:
        return " · ".join(_("{priority} {year}", priority=priority_name(p), year=self.vintage[p])
                          for p in SECTIONS if self.vintage.get(p))

    def age_text(self) -> str:
        """The age shares the catalogue holds, in one line (empty when none)."""
        return " · ".join(_("{band}-vuotiaat {value}", band=a.label, value=a.text())
                          for a in self.ages)

    def age_missing_text(self) -> str:
        if not self.ages_missing:
            return ""
        return _("Ikärakenteen osuuksia {bands} ei ole indikaattoriluettelossa "
                 "(data/indicators.toml), joten kortti ei näytä niitä.",
                 bands=", ".join(self.ages_missing))

    def comparison_text(self) -> str:
        if self.uses_rest:
            return _("Kunnan arvoja verrataan muuhun hyvinvointialueeseen eli alueeseen ilman "
                     "kuntaa, jotta kuntaa ei verrata alueeseen, johon se kuuluu (kun sitä ei voi "
                     "laskea, alueeseen {area}), ja koko maahan.", area=self.area_name)
        return _("Kuntaa verrataan alueeseen {area} ja koko maahan.", area=self.area_name)

    def small_text(self) -> str:
        """Small-number honesty, for the card's header (empty when nothing to say)."""
        few = sum(r.few_cases for r in self.rows)
        parts = []
        if self.small:
            parts.append(ngettext(
                "{name} on pieni kunta ({people} asukas): luvut vaihtelevat satunnaisesti ja "
                "luottamusvälit ovat leveitä.",
                "{name} on pieni kunta ({people} asukasta): luvut vaihtelevat satunnaisesti ja "
                "luottamusvälit ovat leveitä.", int(self.population), name=self.name,
                people=number(self.population, 0)))
        if few:
            parts.append(ngettext(
                "Tähdellä (*) merkityssä luvussa on alle {limit} tapausta: yksittäinen vuosi voi "
                "heilahtaa paljon.",
                "Tähdellä (*) merkityissä {n} luvussa on alle {limit} tapausta: yksittäinen "
                "vuosi voi heilahtaa paljon.", few, limit=SMALL_COUNT))
        return " ".join(parts)


# --- the sentences -------------------------------------------------------------------------
# The overview's highlight sentence (phrases.HIGHLIGHT_SENTENCE) with the municipality as its
# subject, per benchmark and direction of the difference; the trend sentence is the
# overview's own (phrases.trend_clause).
CARD_SENTENCE = {
    ("area", True): N_("{name}: kunnassa {value} vuonna {year}, hyvinvointialueella "
                       "{benchmark}. Taso on selvästi korkeampi eli tilanne on {verdict}."),
    ("area", False): N_("{name}: kunnassa {value} vuonna {year}, hyvinvointialueella "
                        "{benchmark}. Taso on selvästi matalampi eli tilanne on {verdict}."),
    ("rest_of_area", True): N_("{name}: kunnassa {value} vuonna {year}, muualla "
                               "hyvinvointialueella {benchmark}. Taso on selvästi korkeampi "
                               "eli tilanne on {verdict}."),
    ("rest_of_area", False): N_("{name}: kunnassa {value} vuonna {year}, muualla "
                                "hyvinvointialueella {benchmark}. Taso on selvästi matalampi "
                                "eli tilanne on {verdict}."),
    ("country", True): N_("{name}: kunnassa {value} vuonna {year}, koko maassa {benchmark}. "
                          "Taso on selvästi korkeampi eli tilanne on {verdict}."),
    ("country", False): N_("{name}: kunnassa {value} vuonna {year}, koko maassa {benchmark}. "
                           "Taso on selvästi matalampi eli tilanne on {verdict}."),
}


def highlight_sentence(row: Mapping, benchmark: str = "area") -> str:
    """One highlight (a situation row from situation.highlights) as the card says it."""
    key = phrases.benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    template = CARD_SENTENCE[(key if key in ("area", "rest_of_area") else "country",
                              bool(row["value"] > bench))]
    first = _(template, name=row["name"], year=row["year"],
              value=phrases.value_text(row["value"], row["unit"], row["decimals"]),
              benchmark=phrases.value_text(bench, row["unit"], row["decimals"]),
              verdict=outcome_name(row["outcome"]))
    return f"{first} {phrases.trend_clause(row)}"


# --- building the card ----------------------------------------------------------------------


def municipality_context(regions: pd.DataFrame, meta: Mapping, region_id: int,
                         benchmark: str = "area") -> situation.Context:
    """The municipality as a one-member group: the overview's Context, the overview's rules."""
    area_id, country_id = int(meta["county_region_id"]), int(meta["country_region_id"])
    region_names = dict(zip(regions["region_id"].astype(int), names.display(regions, "name"),
                            strict=True))
    pops = {int(r): float(p) for r, p in zip(regions["region_id"], regions["population"],
                                             strict=True) if p is not None and p == p}
    return situation.Context((int(region_id),), region_names, pops, area_id, country_id,
                             benchmark)


def county_municipalities(regions: pd.DataFrame, meta: Mapping) -> pd.DataFrame:
    """The county's municipalities (region rows), by name."""
    area_id = int(meta["county_region_id"])
    munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)]
    return munis.assign(_sort=names.display(munis, "name")).sort_values(
        ["_sort", "code"], kind="mergesort").drop(columns="_sort")


def county_positions(indicators: pd.DataFrame, year_slice: pd.DataFrame,
                     regions: pd.DataFrame, meta: Mapping, year: int | None = None,
                     indicator_ids: Sequence[int] | None = None) -> comparison.Comparison:
    """comparison.build over every municipality of the county (ranks, values, the range).

    `year`: None = each indicator's latest year with municipal data (the common case; a
    card whose municipality lacks that year asks again for its own year).
    """
    munis = [int(r) for r in county_municipalities(regions, meta)["region_id"]]
    ids = (list(indicator_ids) if indicator_ids is not None
           else [int(i) for i in indicators["indicator_id"]])
    return comparison.build(indicators, year_slice, regions, munis, ids,
                            int(meta["county_region_id"]), int(meta["country_region_id"]),
                            "area", year)


def _missing(v) -> bool:
    if v is None or v is pd.NA:
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def _year(v) -> int | None:
    return None if _missing(v) else int(v)


def _float(v) -> float:
    return math.nan if _missing(v) else float(v)


def age_facts(indicators: pd.DataFrame, rows: pd.DataFrame) -> tuple[list[Fact], tuple]:
    by_id = rows.set_index("indicator_id")
    found: dict[str, Fact] = {}
    for ind in indicators.to_dict("records"):
        finnish = str(ind.get("short_fi") or "")
        m = _AGE_RANGE.match(finnish)
        band = f"{int(m.group(1))}–{int(m.group(2))}" if m else None
        if band is None and (m := _AGE_FROM.match(finnish)):
            band = f"{int(m.group(1))}+"
        if band is None or band in found:
            continue
        iid = int(ind["indicator_id"])
        r = by_id.loc[iid] if iid in by_id.index else None
        has = r is not None and not bool(r["county_only"]) and not _missing(r["value"])
        found[band] = Fact(band, iid, float(r["value"]) if has else None,
                           _year(r["year"]) if has else None, int(ind["decimals"]),
                           str(ind["unit"]))

    def order(band: str) -> tuple[int, int]:
        lo = int(re.match(r"\d+", band).group())
        return lo, 1 if band.endswith("+") else 0

    ages = [found[b] for b in sorted(found, key=order)]
    missing = tuple(b for b in AGE_BANDS if b not in found)
    return ages, missing


def _dependency(rows: pd.DataFrame, indicators: pd.DataFrame) -> Fact:
    label = _("Huoltosuhde")
    inds = indicators.set_index("indicator_id")
    part = rows[rows["indicator_id"] == DEPENDENCY_RATIO]
    if part.empty or DEPENDENCY_RATIO not in inds.index:
        return Fact(label, None, None, None)
    r = part.iloc[0]
    ind = inds.loc[DEPENDENCY_RATIO]
    if bool(r["county_only"]) or _missing(r["value"]):
        return Fact(label, DEPENDENCY_RATIO, None, None, int(ind["decimals"]), str(ind["unit"]))
    return Fact(label, DEPENDENCY_RATIO, float(r["value"]), _year(r["year"]),
                int(ind["decimals"]), str(ind["unit"]))


def _positions(region_id: int, sit_rows: pd.DataFrame, indicators: pd.DataFrame,
               year_slice: pd.DataFrame, regions: pd.DataFrame, meta: Mapping,
               county: comparison.Comparison | None) -> dict[int, pd.DataFrame]:
    """indicator_id -> the county's municipalities in the card's year for it."""
    if county is None:
        county = county_positions(indicators, year_slice, regions, meta)
    by_ind = {int(i): part for i, part in county.rows.groupby("indicator_id", sort=False)}
    wanted = {int(i): int(y) for i, y, c in zip(sit_rows["indicator_id"], sit_rows["year"],
                                                 sit_rows["county_only"], strict=True)
              if not c and y is not None and not _missing(y)}
    # A municipality without the county's latest year is placed among the others in its own.
    stale: dict[int, list[int]] = {}
    for iid, year in wanted.items():
        part = by_ind.get(iid)
        if part is None or part.empty or int(part["year"].iloc[0]) != year:
            stale.setdefault(year, []).append(iid)
    for year, ids in stale.items():
        again = county_positions(indicators, year_slice, regions, meta, year, ids)
        for iid, part in again.rows.groupby("indicator_id", sort=False):
            by_ind[int(iid)] = part
    return {iid: part for iid, part in by_ind.items() if iid in wanted
            and not part.empty and int(part["year"].iloc[0]) == wanted[iid]}


def build(region_id: int, cat: Mapping, sit: situation.Situation, year_slice: pd.DataFrame,
          county: comparison.Comparison | None = None) -> Card:
    """The card of one municipality.

    `cat`: the (localized) catalogue of data.catalogue (meta, regions, groups, indicators);
    `sit`: situation.build with municipality_context(…); `year_slice`: every region's values
    of the catalogue's indicators (data.year_slice, total gender) for ranks and ranges;
    `county`: county_positions(…) when the caller has it (a set of cards shares one).
    """
    region_id = int(region_id)
    regions, meta, indicators = cat["regions"], cat["meta"], cat["indicators"]
    reg = regions.set_index("region_id", drop=False)
    here = reg.loc[region_id]
    area_id = int(meta["county_region_id"])
    region_names = names.display(reg, "name")
    rows = sit.rows
    positions = _positions(region_id, rows, indicators, year_slice, regions, meta, county)

    marks: dict[int, str] = {}
    sections = []
    highlights = {}
    for p in PRIORITIES:
        strengths, challenges = situation.highlights(rows, p)
        highlights[p] = (situation.records(strengths), situation.records(challenges))
        for r in highlights[p][0]:
            marks[int(r["indicator_id"])] = "strength"
        for r in highlights[p][1]:
            marks[int(r["indicator_id"])] = ("worsening" if r["trend"] == "worsening"
                                             else "challenge")
    for p in SECTIONS:
        part = rows[rows["priority"] == p]
        if part.empty:
            continue
        out = []
        for r in situation.records(part):
            iid = int(r["indicator_id"])
            row = Row(
                indicator_id=iid, name=str(r["name"]), priority=p, unit=str(r["unit"]),
                decimals=int(r["decimals"]), polarity=str(r["polarity"]), year=_year(r["year"]),
                county_only=bool(r["county_only"]), value=_float(r["value"]),
                lo=_float(r["lo"]), hi=_float(r["hi"]), abs_value=_float(r["abs_value"]),
                benchmark_value=_float(r["benchmark_value"]),
                benchmark_label=str(r["benchmark_label"]), area_value=_float(r["area_value"]),
                country_value=_float(r["country_value"]),
                outcome_area=str(r["outcome_area"]), outcome_country=str(r["outcome_country"]),
                trend=str(r["trend"]), trend_from=_year(r.get("trend_from")),
                trend_to=_year(r.get("trend_to")), mark=marks.get(iid))
            pos = positions.get(iid)
            if pos is not None:
                values = pos["value"].astype(float)
                known = pos[values.notna()]
                mine = pos[pos["region_id"] == region_id]
                if not mine.empty and pd.notna(mine["rank_area"].iloc[0]):
                    row.rank = int(mine["rank_area"].iloc[0])
                    row.rank_of = int(mine["n_area"].iloc[0])
                if len(known):
                    row.county_min = float(known["value"].min())
                    row.county_max = float(known["value"].max())
                row.others = tuple((str(m), float(v)) for rid, m, v in zip(
                    known["region_id"], known["municipality"], known["value"], strict=True)
                    if int(rid) != region_id)
            out.append(row)
        strengths, challenges = highlights.get(p, ([], []))
        sections.append(Section(p, priority_name(p), out, strengths, challenges))

    group_id = group_name = None
    groups = cat.get("groups")
    if groups is not None and len(groups):
        for gid, gname, members in zip(groups["group_id"], names.display(groups, "name"),
                                       groups["members"], strict=True):
            if region_id in {int(m) for m in members}:
                group_id, group_name = str(gid), str(gname)
                break
    ages, ages_missing = age_facts(indicators, rows)
    label = "rest_of_area" if rows["benchmark_label"].eq("rest_of_area").any() else "area"
    pop_year = here.get("population_year")
    return Card(
        region_id=region_id, code=str(here["code"]), name=str(region_names.loc[region_id]),
        group_id=group_id, group_name=group_name, population=_float(here.get("population")),
        population_year=_year(pop_year), area_name=str(region_names.get(area_id, "")),
        benchmark_label=label, dependency=_dependency(rows, indicators), ages=ages,
        ages_missing=ages_missing, vintage=situation.vintage(rows), sections=sections,
        stamp=briefing.make_stamp(indicators, meta), sit=sit)


def resolve(regions: pd.DataFrame, meta: Mapping, code) -> int | None:
    """An official municipality code of the county ('179', '077'; '77' works too) -> region id."""
    if code is None:
        return None
    text = str(code).strip()[:10]
    if not text.isascii() or not text.isdigit():
        return None
    munis = county_municipalities(regions, meta)
    by_code = {str(c).lstrip("0") or "0": int(r) for c, r in zip(munis["code"],
                                                                 munis["region_id"], strict=True)}
    return by_code.get(text.lstrip("0") or "0")
