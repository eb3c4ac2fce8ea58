"""Every UI string in one place, Finnish first; Swedish and English follow as data."""

from __future__ import annotations

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"

PRIORITY_ORDER = ("mental_wellbeing", "everyday_safety", "active_lifestyle", "context")

STRINGS: dict[str, dict[str, str]] = {
    "fi": {
        "app_title": "HYTE-tilannekuva",
        "nav_overview": "Ryhmän tilannekuva",
        "nav_compare": "Vertaile kuntia",
        "nav_explore": "Indikaattorit",
        "nav_present": "Esitystila",
        "nav_status": "Tietojen tila",
        "demo_banner": "DEMOAINEISTO – luvut ovat synteettisiä eivätkä kuvaa todellisia kuntia. "
                       "Oikeat tiedot: hyte ingest --source sotkanet.",
        "demo_badge": "DEMOAINEISTO – synteettiset luvut",
        "source_line": "Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0.",
        "producers": "Tietojen tuottajat",
        "data_updated": "Tiedot päivitetty",
        "built_at": "Tietovarasto koottu",
        "priority.mental_wellbeing": "Mielen hyvinvointi",
        "priority.everyday_safety": "Arjen turvallisuus",
        "priority.active_lifestyle": "Liikunnallinen elämäntapa",
        "priority.context": "Väestö ja olosuhteet",
        "outcome.better": "parempi",
        "outcome.similar": "samaa tasoa",
        "outcome.worse": "heikompi",
        "outcome.higher": "korkeampi",
        "outcome.lower": "matalampi",
        "outcome.not_compared": "ei verrattu",
        # Fingertips' five-point test at 99.8 % (the method text says the rest).
        "trend.improving": "paranee (99,8 %)",
        "trend.worsening": "heikkenee (99,8 %)",
        "trend.rising": "nousee (99,8 %)",
        "trend.falling": "laskee (99,8 %)",
        "trend.stable": "ei merkitsevää muutosta (99,8 %)",
        "trend.insufficient": "ei laskettavissa (ei viittä peräkkäistä vuotta)",
        "trend.not_computable": "ei laskettavissa (ei luottamusväliä)",
        "polarity.high_good": "suuri arvo on hyvä",
        "polarity.low_good": "pieni arvo on hyvä",
        "polarity.no_judgement": "ei hyvä- tai huono-suuntaa (esim. palvelujen käyttö)",
        "benchmark.area": "Keski-Suomen hyvinvointialue",
        "benchmark.rest_of_area": "muu hyvinvointialue (ilman ryhmää)",
        "benchmark.country": "koko maa",
        "benchmark.rest_of_area_municipality": "muu hyvinvointialue (ilman kuntaa)",
        # Vertaile kuntia / Indikaattorit (compare and explore pages)
        "compare_intro": "Valitse kunnat, indikaattorit, vuosi ja vertailukohta. Jokaisen kunnan "
                         "arvoa verrataan vertailukohtaan 95 %:n luottamusvälillä; sija ja "
                         "viidennes kertovat vain suhteellisen aseman alueen kunnista, eivät "
                         "sitä, onko arvo hyvä vai huono.",
        "compare_heatmap_legend": "Kunnan arvo vertailukohtaan nähden (95 %:n luottamusväli; "
                                  "harmaa = väliä ei voi laskea, ei verrattu)",
        "rank_note": "Sija: 1 = paras indikaattorin suunnan mukaan (kun suuntaa ei ole, 1 = "
                     "suurin arvo); tasatilanteissa sama sija. Sija ei kerro, onko ero "
                     "tilastollisesti selvä. Viidennes: 1 = alueen kuntien pienimpien arvojen "
                     "viidennes, 5 = suurimpien – suhteellinen asema, ei arvio hyvästä tai "
                     "huonosta.",
        "explore_intro": "Hae mitä tahansa tietovarastoon ladattua indikaattoria suomen-, ruotsin- "
                         "tai englanninkielisen nimen sanoilla.",
        "quintile_legend": "Viidennes alueen kunnista (1 = pienimmät arvot, 5 = suurimmat; "
                           "suhteellinen asema, ei hyvä tai huono)",
        "gender.total": "yhteensä",
        "gender.male": "miehet",
        "gender.female": "naiset",
        "status_title": "Tietojen tila",
        "status_intro": "Mitä tietovarasto sisältää: lähde, kokoamisaika, rivimäärät ja "
                        "jokaisen indikaattorin vuodet.",
        "unavailable_title": "Tietoja ei voi näyttää",
        "method_title": "Vertailun menetelmä",
        "method_text": (
            "**Luottamusväli.** Ryhmän tai kunnan arvon ympärille lasketaan luottamusväli "
            "osoittajasta (tapausten määrä) ja nimittäjästä. Nimittäjä johdetaan arvosta ja "
            "osoittajasta vain tavallisille osuuksille ja ilmaantuvuuksille: osuuksille "
            "Wilsonin väli; ilmaantuvuuksille alle 10 tapauksesta Poisson-jakauman tarkka "
            "väli (khiin neliö -jakauman kvantiileista), 10 tapauksesta alkaen Byarin "
            "approksimaatio – samoin kuin Englannin kansanterveysindikaattoreissa "
            "(PHEindicatormethods). Ikävakioiduille luvuille, indekseille ja painotetuille "
            "kyselyosuuksille väliä ei lasketa, vaikka tapausmäärä olisi julkaistu.\n\n"
            "**Vertailu.** Jos vertailuarvo osuu välille (rajat mukaan lukien), tulos on "
            "*samaa tasoa*; muuten *parempi* tai *heikompi* indikaattorin suunnan mukaan – tai "
            "*korkeampi*/*matalampi*, kun indikaattorilla ei ole hyvä/huono-suuntaa. Jos väliä "
            "ei voi laskea, tulosta ei väritetä (*ei verrattu*). Taulukoissa käytetään 95 %:n "
            "väliä, nostoissa 99,8 %:n väliä, koska kerralla testataan kymmeniä "
            "indikaattoreita.\n\n"
            "**Vertailukohta.** Hyvinvointialueeseen verrattaessa vertailuarvo on *muu "
            "hyvinvointialue* eli alue ilman ryhmää (kuntien vertailussa ilman kuntaa): "
            "alueen osoittajasta ja nimittäjästä vähennetään ryhmän omat. Näin tehdään aina, "
            "kun se voidaan laskea, ryhmän koosta riippumatta, jotta ryhmää ei verrata "
            "alueeseen, johon se itse kuuluu. Kun sitä ei voi laskea (ei osoittajaa tai "
            "nimittäjää), vertailukohta on koko hyvinvointialue, ja vertailukohdan nimi kertoo "
            "sen. Koko maahan verrataan sellaisenaan.\n\n"
            "**Ryhmän arvo.** Ryhmän arvo on viimeisimmältä vuodelta, jolta kaikilta "
            "jäsenkunnilta on tieto: osuuksissa ja ilmaantuvuuksissa osoittajat ja nimittäjät "
            "lasketaan yhteen, lukumäärät lasketaan yhteen, muuten arvo on jäsenkuntien "
            "väestöllä painotettu keskiarvo, jota ei verrata. Jos yhdeltäkään vuodelta ei ole "
            "kaikkien kuntien tietoa, ryhmän arvoa ei näytetä eikä verrata (selitteessä "
            "esim. 2/3 kuntaa); jäsenkunnat näytetään silti.\n\n"
            "**Kehityssuunta.** Suunta lasketaan Fingertipsin menetelmällä tasan viidestä "
            "viimeisimmästä peräkkäisestä vuodesta (joka toinen vuosi tehtävissä kyselyissä "
            "viidestä peräkkäisestä kyselykerrasta), joilta kaikilta on ryhmän oma arvo: "
            "osuuksille trenditesti osoittajista ja nimittäjistä (khiin neliö), "
            "ilmaantuvuuksille luottamusväleistä painotettu regressio. Muutos on merkitsevä "
            "99,8 %:n tasolla (χ² > 9,55), ellei suunta käänny, kun minkä tahansa yhden "
            "vuoden jättää pois; muuten *ei merkitsevää muutosta*. Jos viittä peräkkäistä "
            "vuotta ei ole tai indikaattorilla ei ole luottamusväliä, suuntaa ei lasketa "
            "(*ei laskettavissa*).\n\n"
            "**Pienet luvut.** Pienissä kunnissa välit ovat leveitä: satunnaisvaihtelu on "
            "suurta. Viidennes lasketaan vain, kun arvoja on vähintään viisi; yhtä suuret "
            "arvot saavat saman viidenneksen."
        ),
    },
    "sv": {
        "app_title": "HYTE-lägesbild",
        "nav_overview": "Gruppens lägesbild",
        "nav_compare": "Jämför kommuner",
        "nav_explore": "Indikatorer",
        "nav_present": "Presentationsläge",
        "nav_status": "Datastatus",
        "source_line": "Källa: THL, Sotkanet (sotkanet.fi), licens CC BY 4.0.",
        "priority.mental_wellbeing": "Psykiskt välbefinnande",
        "priority.everyday_safety": "Trygghet i vardagen",
        "priority.active_lifestyle": "Fysiskt aktiv livsstil",
        "priority.context": "Befolkning och förhållanden",
    },
    "en": {
        "app_title": "HYTE situation overview",
        "nav_overview": "Group overview",
        "nav_compare": "Compare municipalities",
        "nav_explore": "Indicators",
        "nav_present": "Presenter mode",
        "nav_status": "Data status",
        "source_line": "Source: THL, Sotkanet (sotkanet.fi), licence CC BY 4.0.",
        "priority.mental_wellbeing": "Mental wellbeing",
        "priority.everyday_safety": "Everyday safety",
        "priority.active_lifestyle": "Physically active lifestyle",
        "priority.context": "Population and conditions",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs) -> str:
    """The string for `key`, falling back to Finnish (the complete language)."""
    text = STRINGS.get(lang, {}).get(key) or STRINGS[DEFAULT_LANGUAGE].get(key, key)
    return text.format(**kwargs) if kwargs else text


def priority_name(priority: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"priority.{priority}", lang)


def outcome_name(outcome: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"outcome.{outcome}", lang)


def trend_name(direction: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"trend.{direction}", lang)


# Presenter mode and exports (issue 5).
STRINGS["fi"].update({
    "present_group": "Kuntaryhmä",
    "present_prev": "Edellinen",
    "present_next": "Seuraava",
    "present_notes": "Puhujan muistiinpanot",
    "present_exit": "Poistu esitystilasta",
    "export_title": "Lataa tiedostoina",
    "export_intro": "Tiedostot toimivat ilman verkkoyhteyttä: HTML avautuu selaimessa ilman "
                    "palvelinta, PDF on tulostettava A4-sivu, PNG on kuvan tiedosto.",
    "export_html": "Tilannekuva (HTML)",
    "export_pdf": "Yhden sivun tiivistelmä (PDF)",
    "export_png": "Dian kuva (PNG)",
})
