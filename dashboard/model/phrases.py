"""Plain sentences about figures: what a presenter reads out, and why a colour."""

from __future__ import annotations

import math

from dashboard.i18n import names
from dashboard.i18n.catalog import N_, _, benchmark_name, outcome_name, polarity_name
from dashboard.i18n.formatting import NBSP, interval, number
from dashboard.model import stats as analysis

UNIT_SUFFIX = {
    "percent": f"{NBSP}%",
    "per_1000": f"{NBSP}/{NBSP}1{NBSP}000",
    "per_10000": f"{NBSP}/{NBSP}10{NBSP}000",
    "per_100000": f"{NBSP}/{NBSP}100{NBSP}000",
    "euro": f"{NBSP}€",
    "years": N_(" v"),
    "litres": N_(" l"),
    "index": "",
    "count": "",
}
METHOD_NAME = {
    "proportion": N_("osuus: Wilsonin luottamusväli"),
    "rate": N_("ilmaantuvuus: Poisson-jakauman tarkka väli alle 10 tapauksesta, 10 tapauksesta "
               "alkaen Byarin approksimaatio"),
    "none": N_("ei luottamusväliä (ei osoittajaa, ikävakioitu luku, indeksi tai painotettu "
               "kysely): ei verrata"),
}
# Whole sentences with the tested years: trend_clause() fills them from a situation row.
TREND_CLAUSE = {
    "improving": N_("Vuosien {first}–{last} suuntaus on paraneva (viisi peräkkäistä vuotta, "
                    "Fingertipsin menetelmä, 99,8 %)."),
    "worsening": N_("Vuosien {first}–{last} suuntaus on heikkenevä (viisi peräkkäistä vuotta, "
                    "Fingertipsin menetelmä, 99,8 %)."),
    "rising": N_("Vuosien {first}–{last} suuntaus on nouseva (viisi peräkkäistä vuotta, "
                 "Fingertipsin menetelmä, 99,8 %)."),
    "falling": N_("Vuosien {first}–{last} suuntaus on laskeva (viisi peräkkäistä vuotta, "
                  "Fingertipsin menetelmä, 99,8 %)."),
    "stable": N_("Vuosina {first}–{last} ei ole tilastollisesti merkitsevää muutosta (viisi "
                 "peräkkäistä vuotta, Fingertipsin menetelmä, 99,8 %)."),
    "insufficient": N_("Suuntausta ei voi laskea: ei viittä peräkkäistä vuotta, joilta ryhmän "
                       "arvo ja luottamusväli ovat tiedossa (Fingertipsin menetelmä)."),
    "not_computable": N_("Suuntausta ei lasketa: indikaattorilla ei ole luottamusväliä, jota "
                         "Fingertipsin menetelmä edellyttää."),
}
# How the group's value was made (situation rows' value_kind).
VALUE_KIND_TEXT = {
    "pooled": N_("jäsenkuntien osoittajat ja nimittäjät yhteen"),
    "weighted_mean": N_("jäsenkuntien väestöllä painotettu keskiarvo (ei osoittajaa ja "
                        "nimittäjää, joten sitä ei verrata)"),
    "sum": N_("jäsenkuntien lukumäärät yhteen"),
    "incomplete": N_("ei laskettavissa: tieto vain {present}/{n_members} kunnalta, eikä "
                     "yhdeltäkään vuodelta kaikilta kunnilta"),
    "area_only": N_("julkaistaan vain hyvinvointialueelle ja koko maalle"),
}
# The key-phenomenon sentence, whole, per benchmark and direction of the difference (the
# trend follows as a sentence of its own).
HIGHLIGHT_SENTENCE = {
    ("area", True): N_("{name}: ryhmässä {value} vuonna {year}, hyvinvointialueella "
                       "{benchmark}. Taso on selvästi korkeampi eli tilanne on {verdict}."),
    ("area", False): N_("{name}: ryhmässä {value} vuonna {year}, hyvinvointialueella "
                        "{benchmark}. Taso on selvästi matalampi eli tilanne on {verdict}."),
    ("rest_of_area", True): N_("{name}: ryhmässä {value} vuonna {year}, muualla "
                               "hyvinvointialueella {benchmark}. Taso on selvästi korkeampi "
                               "eli tilanne on {verdict}."),
    ("rest_of_area", False): N_("{name}: ryhmässä {value} vuonna {year}, muualla "
                                "hyvinvointialueella {benchmark}. Taso on selvästi matalampi "
                                "eli tilanne on {verdict}."),
    ("country", True): N_("{name}: ryhmässä {value} vuonna {year}, koko maassa {benchmark}. "
                          "Taso on selvästi korkeampi eli tilanne on {verdict}."),
    ("country", False): N_("{name}: ryhmässä {value} vuonna {year}, koko maassa {benchmark}. "
                           "Taso on selvästi matalampi eli tilanne on {verdict}."),
}
CHI2_TEXT = N_("Testisuure χ² = {chi2} (merkitsevä, kun yli {limit}).")


def method_name(method: str) -> str:
    return _(METHOD_NAME[method]) if method in METHOD_NAME else str(method)


def value_text(value, unit: str, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    suffix = UNIT_SUFFIX.get(unit, "")
    if unit in ("years", "litres"):
        suffix = _(suffix).replace(" ", NBSP)
    return number(value, decimals) + suffix


def _year(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(int(v))


def trend_clause(row) -> str:
    """The trend as a sentence naming the years tested and the method."""
    return _(TREND_CLAUSE[row["trend"]], first=_year(row.get("trend_from")),
             last=_year(row.get("trend_to")))


def value_kind_text(row) -> str:
    kind = row.get("value_kind") or "pooled"
    return _(VALUE_KIND_TEXT[kind], present=row.get("present", "–"),
             n_members=row.get("n_members", "–"))


def benchmark_key(row, benchmark: str) -> str:
    return row["benchmark_label"] if benchmark == "area" else "country"


def highlight_sentence(row, benchmark: str) -> str:
    """Two sentences: value, benchmark, year and verdict; then the trend and its test."""
    key = benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    v = value_text(row["value"], row["unit"], row["decimals"])
    b = value_text(bench, row["unit"], row["decimals"])
    template = HIGHLIGHT_SENTENCE[(key if key in ("area", "rest_of_area") else "country",
                                   bool(row["value"] > bench))]
    first = _(template, name=row["name"], value=v, year=row["year"], benchmark=b,
              verdict=outcome_name(row["outcome"]))
    return f"{first} {trend_clause(row)}"


def _chi2_text(row) -> str:
    chi2 = row.get("trend_chi2")
    if chi2 is None or (isinstance(chi2, float) and math.isnan(chi2)):
        return ""
    return " " + _(CHI2_TEXT, chi2=number(chi2, 2), limit=number(analysis.trend_critical(), 2))


def explanation(row, indicator, benchmark: str) -> list[tuple[str, str]]:
    """'Why this colour': every number and rule behind one comparison, as label/value pairs."""
    unit, dec = row["unit"], row["decimals"]
    key = benchmark_key(row, benchmark)
    bench = row["benchmark_value"] if benchmark == "area" else row["country_value"]
    outcome = row["outcome_area"] if benchmark == "area" else row["outcome_country"]
    has_ci = not math.isnan(row["lo"])
    items = [
        (_("Indikaattori"), f"{names.text(indicator, 'title')} (Sotkanet {row['indicator_id']})"),
        (_("Vuosi"), str(row["year"]) if row["year"] else "–"),
        (_("Ryhmän arvo"), value_text(row["value"], unit, dec)),
        (_("Ryhmän arvon laskutapa"), value_kind_text(row)),
        (_("95 %:n luottamusväli"),
         interval(row["lo"], row["hi"], dec) if has_ci else _("ei laskettavissa")),
        (_("99,8 %:n väli (nostot)"),
         interval(row["lo998"], row["hi998"], dec) if has_ci else _("ei laskettavissa")),
        (_("Vertailualue"), benchmark_name(key)),
        (_("Vertailuarvo"), value_text(bench, unit, dec)),
        (_("Tulos"), outcome_name(outcome)),
        (_("Menetelmä"), _("{method}; vertailuarvo välin sisällä = samaa tasoa",
                           method=method_name(row["method"]))),
        (_("Hyvä suunta"), polarity_name(row['polarity'])),
        (_("Kehityssuunta"), trend_clause(row) + _chi2_text(row)),
        (_("Osoittaja (tapauksia yhteensä)"),
         number(row["abs_value"], 0) if not math.isnan(row["abs_value"]) else _("ei julkaistu")),
        (_("Nimittäjä (johdettu arvosta ja osoittajasta)"),
         number(row["denominator"], 0) if not math.isnan(row["denominator"]) else "–"),
        (_("Kuntia mukana"), f"{row['present']}/{row['n_members']}"),
    ]
    if row["small_members"]:
        items.append((_("Pienet kunnat"), _("{names}: satunnaisvaihtelu on suurta, välit "
                                            "leveitä", names=row["small_members"])))
    for label, col in ((_("Tulkinnan rajoitukset (Sotkanet)"), "limits"),
                       (_("Huomioitavaa (Sotkanet)"), "notices")):
        text = names.text(indicator, col)
        if isinstance(text, str) and text.strip():
            items.append((label, text.strip()))
    items.append((_("Tuottaja"), indicator.get("producer") or "–"))
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
