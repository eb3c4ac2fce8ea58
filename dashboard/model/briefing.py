"""A group's story in plain data: header facts, key phenomena per priority, compact table, stamp.

Pure (no Streamlit, no DuckDB). The presenter mode and every export (HTML, PDF, PNG) read
the same Briefing, built from the same situation model as the overview page, so a slide,
a printed page and the dashboard never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.i18n import names
from dashboard.i18n.catalog import (
    N_,
    PRIORITY_ORDER,
    _,
    benchmark_name,
    outcome_name,
    priority_name,
    trend_name,
)
from dashboard.i18n.formatting import built_text, day, interval, number
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model import phrases, situation
from dashboard.model import stats as analysis

PRIORITIES = PRIORITY_ORDER[:3]  # the negotiated ones; "context" is background
SMALL_COUNT = 20  # fewer pooled cases than this: one year can swing a lot


@dataclass(frozen=True)
class Stamp:
    """Where the numbers come from and how fresh they are: printed on every output."""

    is_demo: bool
    producers: tuple[str, ...]
    data_updated: str  # Finnish date of the newest Sotkanet update, or "–"
    built_at: str      # the warehouse publish, to the second

    def lines(self) -> list[str]:
        out = [source_line()]
        if self.producers:
            out.append(_("Tietojen tuottajat: {producers}.", producers=", ".join(self.producers)))
        out.append(_("Tiedot päivitetty: {updated}. Tietovarasto koottu: {built}.",
                     updated=self.data_updated, built=self.built_at))
        if self.is_demo:
            out.append(demo_banner())
        return out


@dataclass
class Story:
    """One priority: its indicators and the highlights the overview also shows."""

    priority: str
    name: str
    rows: pd.DataFrame                       # Situation.rows of this priority
    strengths: list[dict] = field(default_factory=list)
    challenges: list[dict] = field(default_factory=list)

    @property
    def highlighted(self) -> list[dict]:
        return self.strengths + self.challenges


@dataclass
class Briefing:
    group_id: str
    group_name: str
    members: tuple[str, ...]
    population: float
    population_year: int | None
    vintage: dict[str, int | None]
    benchmark: str                # area | country
    comparison: str               # plain Finnish: what the group is compared with
    benchmark_name: str           # the benchmark's name for chart legends
    area_name: str
    stamp: Stamp
    stories: list[Story]
    sit: situation.Situation
    indicators: pd.DataFrame      # warehouse indicator rows indexed by indicator_id

    @property
    def is_demo(self) -> bool:
        return self.stamp.is_demo

    def sentence(self, row: dict) -> str:
        return phrases.highlight_sentence(row, self.benchmark)

    def vintage_text(self) -> str:
        return " · ".join(f"{priority_name(p)} {self.vintage[p]}" for p in PRIORITY_ORDER
                          if self.vintage.get(p))

    def population_text(self) -> str:
        if self.population_year:
            return _("{population} asukasta ({year})", population=number(self.population, 0),
                     year=self.population_year)
        return _("{population} asukasta", population=number(self.population, 0))

    def chart_labels(self) -> dict[str, str]:
        return {"group": _("Ryhmä"), "area": self.area_name, "country": _("Koko maa")}


def make_stamp(indicators: pd.DataFrame, meta: dict) -> Stamp:
    producers = tuple(sorted({p for p in indicators["producer"].dropna() if p}))
    updated = indicators["data_updated"].dropna()
    return Stamp(is_demo=meta.get("is_demo") == "true", producers=producers,
                 data_updated=day(updated.max()) if len(updated) else "–",
                 built_at=built_text(meta.get("built_at")))


def comparison_text(benchmark: str, rows: pd.DataFrame, area_name: str) -> str:
    """What the group is compared with, as the overview's caption says it (plain text)."""
    if benchmark == "country":
        return _(COMPARED_WITH_COUNTRY)
    if rows["benchmark_label"].eq("rest_of_area").any():
        return _(COMPARED_WITH_REST, area=area_name)
    return _(COMPARED_WITH_AREA, area=area_name)


# Noun phrases after "Vertailu" (compared with …) in the method note and the overview.
COMPARED_WITH_COUNTRY = N_("koko maahan")
COMPARED_WITH_REST = N_("muuhun hyvinvointialueeseen eli alueeseen ilman ryhmän kuntia, jotta "
                        "ryhmää ei verrata alueeseen, johon se kuuluu (kun sitä ei voi laskea, "
                        "alueeseen {area})")
COMPARED_WITH_AREA = N_("alueeseen {area}")


def build(group_id: str, group_name: str, ctx: situation.Context, sit: situation.Situation,
          indicators: pd.DataFrame, regions: pd.DataFrame, meta: dict,
          benchmark: str = "area") -> Briefing:
    """`regions`: warehouse region rows indexed by region_id; `indicators`: indicator rows."""
    rows = sit.rows
    area_name = str(names.display(regions, "name").loc[ctx.area_id])
    pop_year = regions.loc[list(ctx.members), "population_year"].max()
    stories = []
    for p in PRIORITIES:
        part = rows[rows["priority"] == p]
        strengths, challenges = situation.highlights(rows, p)
        stories.append(Story(p, priority_name(p), part, strengths.to_dict("records"),
                             challenges.to_dict("records")))
    bench_name = (benchmark_name("country") if benchmark == "country" else
                  benchmark_name(rows['benchmark_label'].iloc[0]) if len(rows) else "")
    return Briefing(
        group_id=group_id, group_name=group_name,
        members=tuple(ctx.names[m] for m in ctx.members),
        population=situation.group_population(ctx.populations, ctx.members),
        population_year=int(pop_year) if pd.notna(pop_year) else None,
        vintage=situation.vintage(rows), benchmark=benchmark,
        comparison=comparison_text(benchmark, rows, area_name), benchmark_name=bench_name,
        area_name=area_name, stamp=make_stamp(indicators, meta), stories=stories, sit=sit,
        indicators=indicators.set_index("indicator_id", drop=False))


# --- the compact indicator table -----------------------------------------------------------

# The keys of table_rows (Finnish); a renderer shows _(header).
TABLE_HEADERS = (N_("Indikaattori"), N_("Vuosi"), N_("Ryhmä"), N_("95 %:n väli"), N_("Alue"),
                 N_("vs. alue"), N_("Koko maa"), N_("vs. maa"), N_("Suunta"))


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def table_rows(part: pd.DataFrame, benchmark: str = "area") -> list[dict]:
    """One dict per indicator: Finnish strings under TABLE_HEADERS, plus the outcome keys
    ('_area', '_country') so a renderer can colour the cells with charts.OUTCOME_COLORS."""
    out = []
    for r in part.to_dict("records"):
        d = int(r["decimals"])
        bench = r["benchmark_value"] if not _missing(r["benchmark_value"]) else r["area_value"]
        out.append({
            "Indikaattori": r["name"],
            "Vuosi": str(r["year"]) if r["year"] else "–",
            "Ryhmä": _("vain alue") if r["county_only"] else number(r["value"], d),
            "95 %:n väli": interval(r["lo"], r["hi"], d),
            "Alue": number(bench, d),
            "vs. alue": outcome_name(r["outcome_area"]),
            "Koko maa": number(r["country_value"], d),
            "vs. maa": outcome_name(r["outcome_country"]),
            "Suunta": trend_name(r["trend"]),
            "_area": r["outcome_area"], "_country": r["outcome_country"],
        })
    return out


# --- speaker notes and caveats ---------------------------------------------------------------


SMALL_MEMBERS_NOTE = N_("Pienet kunnat ({names}): luvut vaihtelevat satunnaisesti ja "
                        "luottamusvälit ovat leveitä.")
SMALL_COUNT_NOTE = N_("Ryhmässä vain {count} tapausta: yksittäinen vuosi voi heilahtaa paljon.")
EXACT_COUNT_NOTE = N_("Ryhmässä vain {count} tapausta: yksittäinen vuosi voi heilahtaa paljon. "
                      "Alle 10 tapauksen luottamusväli on Poisson-jakauman tarkka väli.")


def small_number_notes(row: dict) -> list[str]:
    """Why a figure may jump: small member municipalities, few pooled cases."""
    notes = []
    if row.get("small_members"):
        notes.append(_(SMALL_MEMBERS_NOTE, names=row["small_members"]))
    x = row.get("abs_value")
    if not _missing(x) and x < SMALL_COUNT:
        exact = row.get("method") == "rate" and x < analysis.EXACT_BELOW
        notes.append(_(EXACT_COUNT_NOTE if exact else SMALL_COUNT_NOTE, count=number(x, 0)))
    return notes


def indicator_notes(row: dict, indicator: dict) -> list[tuple[str, str]]:
    """Definition, method, Sotkanet's limits and notices, and small-number warnings."""
    name = row["name"]
    definition = f"{names.text(indicator, 'title') or name} (Sotkanet {row['indicator_id']})."
    desc = names.text(indicator, "description")
    if isinstance(desc, str) and desc.strip():
        definition += " " + desc.strip()
    method = phrases.method_name(row["method"])
    producer = indicator.get("producer") or "–"
    items = [(name, _("{definition} Menetelmä: {method}. Tuottaja: {producer}.",
                      definition=definition, method=method, producer=producer))]
    for label, col in ((_("Rajoitukset (Sotkanet)"), "limits"),
                       (_("Huomioitavaa (Sotkanet)"), "notices")):
        text = names.text(indicator, col)
        if isinstance(text, str) and text.strip():
            items.append((label, text.strip()))
    for note in small_number_notes(row):
        items.append((small_numbers_label(), note))
    return items


def small_numbers_label() -> str:
    """The speaker-note label of small-number warnings (the deck says each once)."""
    return _("Pienet luvut")


METHOD_NOTE = N_(
    "Ryhmän arvo on jäsenkuntien yhdistetty arvo (osoittajat ja nimittäjät yhteen) "
    "viimeisimmältä vuodelta, jolta kaikilta kunnilta on tieto; ilman osoittajaa se on "
    "väestöllä painotettu keskiarvo, jota ei verrata, ja ilman kaikkien kuntien tietoa "
    "ryhmän arvoa ei ole. Vertailu {comparison}. Luottamusvälit: osuuksille Wilson, "
    "ilmaantuvuuksille alle 10 tapauksesta Poisson-jakauman tarkka väli, muuten Byarin "
    "approksimaatio. Nostot valitaan 99,8 %:n luottamusvälillä (kymmeniä indikaattoreita "
    "testataan kerralla); taulukoissa 95 %. Kehityssuunta on viiden peräkkäisen vuoden "
    "suuntaus Fingertipsin menetelmällä (99,8 %); ilman viittä peräkkäistä vuotta tai "
    "luottamusväliä sitä ei lasketa. Jos väliä ei voi laskea, tulosta ei väritetä.")


def method_note(b: Briefing) -> tuple[str, str]:
    return (_("Vertailun menetelmä"), _(METHOD_NOTE, comparison=b.comparison))


def today_text(today: date) -> str:
    return day(today)
