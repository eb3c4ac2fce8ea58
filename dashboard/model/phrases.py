"""Plain Finnish sentences about figures: what a presenter reads out, and why a colour."""

from __future__ import annotations

import math

from dashboard.i18n import names
from dashboard.i18n.catalog import _, benchmark_name, outcome_name, polarity_name
from dashboard.i18n.formatting import NBSP, interval, number
from dashboard.model import stats as analysis

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
    "rate": ("ilmaantuvuus: Poisson-jakauman tarkka väli alle 10 tapauksesta, 10 tapauksesta "
             "alkaen Byarin approksimaatio"),
    "none": ("ei luottamusväliä (ei osoittajaa, ikävakioitu luku, indeksi tai painotettu "
             "kysely): ei verrata"),
}
# Whole sentences with the tested years: trend_clause() fills them from a situation row.
TREND_CLAUSE = {
    "improving": ("vuosien {first}–{last} suuntaus on paraneva (viisi peräkkäistä vuotta, "
                  "Fingertipsin menetelmä, 99,8 %)"),
    "worsening": ("vuosien {first}–{last} suuntaus on heikkenevä (viisi peräkkäistä vuotta, "
                  "Fingertipsin menetelmä, 99,8 %)"),
    "rising": ("vuosien {first}–{last} suuntaus on nouseva (viisi peräkkäistä vuotta, "
               "Fingertipsin menetelmä, 99,8 %)"),
    "falling": ("vuosien {first}–{last} suuntaus on laskeva (viisi peräkkäistä vuotta, "
                "Fingertipsin menetelmä, 99,8 %)"),
    "stable": ("vuosina {first}–{last} ei ole tilastollisesti merkitsevää muutosta (viisi "
               "peräkkäistä vuotta, Fingertipsin menetelmä, 99,8 %)"),
    "insufficient": ("suuntausta ei voi laskea: ei viittä peräkkäistä vuotta, joilta ryhmän "
                     "arvo ja luottamusväli ovat tiedossa (Fingertipsin menetelmä)"),
    "not_computable": ("suuntausta ei lasketa: indikaattorilla ei ole luottamusväliä, jota "
                       "Fingertipsin menetelmä edellyttää"),
}
# How the group's value was made (situation rows' value_kind).
VALUE_KIND_TEXT = {
    "pooled": "jäsenkuntien osoittajat ja nimittäjät yhteen",
    "weighted_mean": ("jäsenkuntien väestöllä painotettu keskiarvo (ei osoittajaa ja "
                      "nimittäjää, joten sitä ei verrata)"),
    "sum": "jäsenkuntien lukumäärät yhteen",
    "incomplete": ("ei laskettavissa: tieto vain {present}/{n_members} kunnalta, eikä "
                   "yhdeltäkään vuodelta kaikilta kunnilta"),
    "area_only": "julkaistaan vain hyvinvointialueelle ja koko maalle",
}


def value_text(value, unit: str, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, decimals) + UNIT_SUFFIX.get(unit, "")


def _year(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(int(v))


def trend_clause(row) -> str:
    """The trend as a sentence naming the years tested and the method."""
    return TREND_CLAUSE[row["trend"]].format(first=_year(row.get("trend_from")),
                                             last=_year(row.get("trend_to")))


def value_kind_text(row) -> str:
    kind = row.get("value_kind") or "pooled"
    return VALUE_KIND_TEXT[kind].format(present=row.get("present", "–"),
                                        n_members=row.get("n_members", "–"))


def benchmark_key(row, benchmark: str) -> str:
    return row["benchmark_label"] if benchmark == "area" else "country"


HIGHLIGHT_SENTENCE = ("{name}: ryhmässä {value} vuonna {year}, {where} {benchmark}. Taso on "
                      "selvästi {level} eli tilanne on {verdict}; {trend}.")


def highlight_sentence(row, benchmark: str) -> str:
    """One sentence naming value, benchmark, year and direction."""
    key = benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    v = value_text(row["value"], row["unit"], row["decimals"])
    b = value_text(bench, row["unit"], row["decimals"])
    level = "korkeampi" if row["value"] > bench else "matalampi"
    verdict = outcome_name(row["outcome"])
    return HIGHLIGHT_SENTENCE.format(name=row["name"], value=v, year=row["year"],
                                     where=BENCHMARK_WHERE[key], benchmark=b, level=level,
                                     verdict=verdict, trend=trend_clause(row))


def _chi2_text(row) -> str:
    chi2 = row.get("trend_chi2")
    if chi2 is None or (isinstance(chi2, float) and math.isnan(chi2)):
        return ""
    return CHI2_TEXT.format(chi2=number(chi2, 2), limit=number(analysis.trend_critical(), 2))


CHI2_TEXT = "; testisuure χ² = {chi2} (merkitsevä, kun yli {limit})"


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
        ("Ryhmän arvon laskutapa", value_kind_text(row)),
        ("95 %:n luottamusväli", interval(row["lo"], row["hi"], dec) if has_ci else "ei laskettavissa"),
        ("99,8 %:n väli (nostot)",
         interval(row["lo998"], row["hi998"], dec) if has_ci else "ei laskettavissa"),
        ("Vertailualue", benchmark_name(key)),
        ("Vertailuarvo", value_text(bench, unit, dec)),
        ("Tulos", outcome_name(outcome)),
        ("Menetelmä", METHOD_NAME.get(row["method"], row["method"])
         + "; vertailuarvo välin sisällä = samaa tasoa"),
        ("Suunta", polarity_name(row['polarity'])),
        ("Kehityssuunta", trend_clause(row) + _chi2_text(row)),
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


def method_text() -> str:
    """"Miten vertailu tehdään?": every method as implemented (Markdown, our own text)."""
    return _(
        "**Luottamusväli.** Ryhmän tai kunnan arvon ympärille lasketaan luottamusväli "
        "osoittajasta (tapausten määrä) ja nimittäjästä. Nimittäjä johdetaan arvosta ja "
        "osoittajasta vain tavallisille osuuksille ja ilmaantuvuuksille: osuuksille Wilsonin "
        "väli; ilmaantuvuuksille alle 10 tapauksesta Poisson-jakauman tarkka väli (khiin "
        "neliö -jakauman kvantiileista), 10 tapauksesta alkaen Byarin approksimaatio – samoin"
        " kuin Englannin kansanterveysindikaattoreissa (PHEindicatormethods). Ikävakioiduille"
        " luvuille, indekseille ja painotetuille kyselyosuuksille väliä ei lasketa, vaikka "
        "tapausmäärä olisi julkaistu.\n\n"
        "**Vertailu.** Jos vertailuarvo osuu välille (rajat mukaan lukien), tulos on *samaa "
        "tasoa*; muuten *parempi* tai *heikompi* indikaattorin suunnan mukaan – tai "
        "*korkeampi*/*matalampi*, kun indikaattorilla ei ole hyvä/huono-suuntaa. Jos väliä ei"
        " voi laskea, tulosta ei väritetä (*ei verrattu*). Taulukoissa käytetään 95 %:n "
        "väliä, nostoissa 99,8 %:n väliä, koska kerralla testataan kymmeniä indikaattoreita.\n\n"
        "**Vertailukohta.** Hyvinvointialueeseen verrattaessa vertailuarvo on *muu "
        "hyvinvointialue* eli alue ilman ryhmää (kuntien vertailussa ilman kuntaa): alueen "
        "osoittajasta ja nimittäjästä vähennetään ryhmän omat. Näin tehdään aina, kun se "
        "voidaan laskea, ryhmän koosta riippumatta, jotta ryhmää ei verrata alueeseen, johon "
        "se itse kuuluu. Kun sitä ei voi laskea (ei osoittajaa tai nimittäjää), vertailukohta"
        " on koko hyvinvointialue, ja vertailukohdan nimi kertoo sen. Koko maahan verrataan "
        "sellaisenaan.\n\n"
        "**Ryhmän arvo.** Ryhmän arvo on viimeisimmältä vuodelta, jolta kaikilta "
        "jäsenkunnilta on tieto: osuuksissa ja ilmaantuvuuksissa osoittajat ja nimittäjät "
        "lasketaan yhteen, lukumäärät lasketaan yhteen, muuten arvo on jäsenkuntien väestöllä"
        " painotettu keskiarvo, jota ei verrata. Jos yhdeltäkään vuodelta ei ole kaikkien "
        "kuntien tietoa, ryhmän arvoa ei näytetä eikä verrata (selitteessä esim. 2/3 kuntaa);"
        " jäsenkunnat näytetään silti.\n\n"
        "**Kehityssuunta.** Suunta lasketaan Fingertipsin menetelmällä tasan viidestä "
        "viimeisimmästä peräkkäisestä vuodesta (joka toinen vuosi tehtävissä kyselyissä "
        "viidestä peräkkäisestä kyselykerrasta), joilta kaikilta on ryhmän oma arvo: "
        "osuuksille trenditesti osoittajista ja nimittäjistä (khiin neliö), ilmaantuvuuksille"
        " luottamusväleistä painotettu regressio. Muutos on merkitsevä 99,8 %:n tasolla (χ² >"
        " 9,55), ellei suunta käänny, kun minkä tahansa yhden vuoden jättää pois; muuten *ei "
        "merkitsevää muutosta*. Jos viittä peräkkäistä vuotta ei ole tai indikaattorilla ei "
        "ole luottamusväliä, suuntaa ei lasketa (*ei laskettavissa*).\n\n"
        "**Pienet luvut.** Pienissä kunnissa välit ovat leveitä: satunnaisvaihtelu on suurta."
        " Viidennes lasketaan vain, kun arvoja on vähintään viisi; yhtä suuret arvot saavat "
        "saman viidenneksen."
    )
