"""Plain Finnish sentences about figures: what a presenter reads out, and why a colour."""

from __future__ import annotations

import math

from dashboard.i18n import names
from dashboard.i18n.catalog import benchmark_name, outcome_name, polarity_name
from dashboard.i18n.formatting import NBSP, interval, number

UNIT_SUFFIX = {
    "percent": f"{NBSP}%",
    "per_1000": f"{NBSP}/{NBSP}1{NBSP}000",
    "per_10000": f"{NBSP}/{NBSP}10{NBSP}000",
    "per_100000": f"{NBSP}/{NBSP}100{NBSP}000",
    "euro": f"{NBSP}€",
    "years": f"{NBSP}v",
    "litres": f"{NBSP}l",
    "index": "",
    "count": "",
}
# Where the benchmark is, as a Finnish locative: generic so another county reads right too.
BENCHMARK_WHERE = {
    "area": "hyvinvointialueella",
    "rest_of_area": "muualla hyvinvointialueella",
    "country": "koko maassa",
}
METHOD_NAME = {
    "proportion": "osuus: Wilsonin luottamusväli",
    "rate": "ilmaantuvuus: Poisson-jakauman tarkka väli (Byarin approksimaatio)",
    "none": "ei luottamusväliä (ei osoittajaa, ikävakioitu luku, indeksi tai painotettu kysely)",
}
TREND_CLAUSE = {
    "improving": "viiden viimeisimmän havainnon suunta on paraneva",
    "worsening": "viiden viimeisimmän havainnon suunta on heikkenevä",
    "rising": "viiden viimeisimmän havainnon suunta on nouseva",
    "falling": "viiden viimeisimmän havainnon suunta on laskeva",
    "stable": "viiden viimeisimmän havainnon aikana selvää muutosta ei ole",
    "insufficient": "kehityssuuntaa ei voi arvioida (liian vähän havaintoja)",
}


def value_text(value, unit: str, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, decimals) + UNIT_SUFFIX.get(unit, "")


def benchmark_key(row, benchmark: str) -> str:
    return row["benchmark_label"] if benchmark == "area" else "country"


def highlight_sentence(row, benchmark: str) -> str:
    """One sentence naming value, benchmark, year and direction."""
    key = benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    v = value_text(row["value"], row["unit"], row["decimals"])
    b = value_text(bench, row["unit"], row["decimals"])
    level = "korkeampi" if row["value"] > bench else "matalampi"
    verdict = outcome_name(row["outcome"])
    return (f"{row['name']}: ryhmässä {v} vuonna {row['year']}, {BENCHMARK_WHERE[key]} {b}. "
            f"Taso on selvästi {level} eli tilanne on {verdict}; {TREND_CLAUSE[row['trend']]}.")


def explanation(row, indicator, benchmark: str) -> list[tuple[str, str]]:
    """'Why this colour': every number and rule behind one comparison, as label/value pairs."""
    unit, dec = row["unit"], row["decimals"]
    key = benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    outcome = row["outcome_area"] if benchmark == "area" else row["outcome_country"]
    has_ci = not math.isnan(row["lo"])
    items = [
        ("Indikaattori", f"{names.text(indicator, 'title')} (Sotkanet {row['indicator_id']})"),
        ("Vuosi", str(row["year"]) if row["year"] else "–"),
        ("Ryhmän arvo", value_text(row["value"], unit, dec)),
        ("95 %:n luottamusväli", interval(row["lo"], row["hi"], dec) if has_ci else "ei laskettavissa"),
        ("99,8 %:n väli (nostot)",
         interval(row["lo998"], row["hi998"], dec) if has_ci else "ei laskettavissa"),
        ("Vertailualue", benchmark_name(key)),
        ("Vertailuarvo", value_text(bench, unit, dec)),
        ("Tulos", outcome_name(outcome)),
        ("Menetelmä", METHOD_NAME.get(row["method"], row["method"])
         + "; vertailuarvo välin sisällä = samaa tasoa"),
        ("Suunta", polarity_name(row['polarity'])),
        ("Osoittaja (tapauksia yhteensä)",
         number(row["abs_value"], 0) if not math.isnan(row["abs_value"]) else "ei julkaistu"),
        ("Nimittäjä (johdettu arvosta ja osoittajasta)",
         number(row["denominator"], 0) if not math.isnan(row["denominator"]) else "–"),
        ("Kuntia mukana", f"{row['present']}/{row['n_members']}"),
    ]
    if row["small_members"]:
        items.append(("Pienet kunnat", f"{row['small_members']}: satunnaisvaihtelu on suurta, "
                                       "välit leveitä"))
    for label, col in (("Tulkinnan rajoitukset (Sotkanet)", "limits"),
                       ("Huomioitavaa (Sotkanet)", "notices")):
        text = names.text(indicator, col)
        if isinstance(text, str) and text.strip():
            items.append((label, text.strip()))
    items.append(("Tuottaja", indicator.get("producer") or "–"))
    return items
