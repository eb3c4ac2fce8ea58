"""A plausible, clearly labelled (DEMO) negotiation round for the demo build.

Written into the records store (never the warehouse) at the first start when the warehouse
holds demo data and the store is empty, so `make run` shows a record, its follow-up and the
"last round" block. The baselines are the group's values of the year the negotiators would
have seen (two years before the newest demo data), so the follow-up has movement to show.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dashboard.model import followup
from dashboard.records import access, store, validate
from dashboard.records.store import Baseline
from dashboard.reports import assemble
from dashboard.reports import followup as follow

ROUND = 2023
WHO = access.system("demo")
MARK = "(DEMO) "

# group -> (date, place, participants, goals): a goal is (priority, text, [(indicator, direction,
# baseline year)], actions); an action is (text, responsible kind, name, resources, themes,
# time frame, status, comment, partners).
ROUNDS = {
    "jamsa-keuruu": (
        date(2023, 11, 14),
        "Jämsän kaupungintalo",
        {
            "municipality": (9, "Jämsä, Keuruu, Multia, Petäjävesi, Uurainen"),
            "county": (3, ""),
            "ngo": (2, "MLL Keski-Suomen piiri; Keski-Suomen Liikunta"),
            "parish": (1, "Jämsän seurakunta"),
        },
        [
            (
                "mental_wellbeing",
                "Nuorten mielen hyvinvointi vahvistuu: masentuneisuus ja koulutuksen "
                "ulkopuolelle jääminen vähenevät.",
                [(242, "decrease", 2021), (3219, "decrease", 2022)],
                [
                    (
                        "Matalan kynnyksen keskusteluapu kouluihin ja perhekeskukseen",
                        "county",
                        "",
                        "työpanos: 2 psykiatrista sairaanhoitajaa; tilat kouluilta",
                        ["family_centre"],
                        "2024–2025",
                        "ongoing",
                        "Aloitettu Jämsässä ja Keuruulla syksyllä 2024.",
                        [("MLL Keski-Suomen piiri", "ngo"), ("Jämsän lukio", "school")],
                    ),
                    (
                        "Etsivän nuorisotyön yhteinen työntekijä pienille kunnille",
                        "municipality",
                        "Keuruu",
                        "avustus: AVI:n etsivän nuorisotyön avustus",
                        ["other"],
                        "2024",
                        "done",
                        "Työntekijä aloitti 1.3.2024.",
                        [],
                    ),
                ],
            ),
            (
                "everyday_safety",
                "Ikääntyneiden kaatumiset ja vammat vähenevät.",
                [(318, "decrease", 2022)],
                [
                    (
                        "Kaatumisten ehkäisyn ryhmät seniorikeskuksiin",
                        "county",
                        "",
                        "työpanos: fysioterapeutti 0,5 htv; tilat: kuntien seniorikeskukset",
                        ["senior_centre"],
                        "2024–2026",
                        "planned",
                        "",
                        [("Jämsän seurakunta", "parish")],
                    ),
                ],
            ),
            (
                "active_lifestyle",
                "Vähän liikkuvien nuorten osuus pienenee.",
                [(3905, "decrease", 2021)],
                [
                    (
                        "Maksuton liikuntakortti 13–17-vuotiaille",
                        "municipality",
                        "Jämsä",
                        "avustukset; markkinointi koulujen kautta",
                        ["wellbeing_tray"],
                        "2024",
                        "not_done",
                        "Rahoitus ei toteutunut vuoden 2024 talousarviossa.",
                        [("Keski-Suomen Liikunta", "ngo")],
                    ),
                ],
            ),
        ],
    ),
    "aanekoski-laukaa": (
        date(2023, 11, 21),
        "Äänekosken kaupungintalo",
        {"municipality": (8, ""), "county": (2, ""), "ngo": (3, ""), "other": (1, "poliisi")},
        [
            (
                "mental_wellbeing",
                "Nuorisotyöttömyys kääntyy laskuun.",
                [(189, "decrease", 2022)],
                [
                    (
                        "Nuorten työkokeilut kuntien ja yritysten kanssa",
                        "municipality",
                        "Äänekoski",
                        "työpanos: työllisyyspalvelut",
                        ["other"],
                        "2024–2025",
                        "ongoing",
                        "",
                        [("Äänekosken yrittäjät", "company")],
                    ),
                ],
            ),
            (
                "everyday_safety",
                "Väkivaltarikokset eivät lisäänny.",
                [(3113, "keep", 2022)],
                [
                    (
                        "Turvallisuuskävelyt ja yhteinen turvallisuussuunnitelma",
                        "other",
                        "Sisä-Suomen poliisi",
                        "työpanos",
                        ["other"],
                        "2024",
                        "done",
                        "Suunnitelma hyväksytty valtuustoissa.",
                        [("Sisä-Suomen poliisilaitos", "other")],
                    ),
                ],
            ),
            (
                "active_lifestyle",
                "Ylipainoisten nuorten osuus pienenee.",
                [(3052, "decrease", 2021)],
                [
                    (
                        "Liikkuva koulu -toiminta kaikkiin yläkouluihin",
                        "municipality",
                        "Laukaa",
                        "työpanos: liikunnanopettajat; tilat",
                        ["wellbeing_tray"],
                        "2024–2025",
                        "ongoing",
                        "",
                        [],
                    ),
                ],
            ),
        ],
    ),
    "joutsa-luhanka-toivakka": (
        date(2023, 12, 5),
        "Joutsan kunnantalo",
        {"municipality": (6, ""), "county": (2, ""), "parish": (1, "")},
        [
            (
                "mental_wellbeing",
                "Ikääntyneiden yksinäisyys vähenee.",
                [(690, "keep", 2022)],
                [
                    (
                        "Seniorikeskustoiminnan viikoittaiset kohtaamispaikat",
                        "parish",
                        "Joutsan seurakunta",
                        "tilat: seurakuntatalot; vapaaehtoiset",
                        ["senior_centre"],
                        "2024",
                        "done",
                        "",
                        [],
                    ),
                ],
            ),
        ],
    ),
}


def seed(version: str, cat: dict, eng: sa.Engine | None = None) -> int:
    """Write the demo round into an empty store; returns the number of negotiations written."""
    if not store.is_empty(eng):
        return 0
    known = set(int(i) for i in cat["indicators"]["indicator_id"])
    groups = set(cat["groups"]["group_id"])
    written = 0
    for group_id, (held_on, place, participants, goals) in ROUNDS.items():
        if group_id not in groups:
            continue
        ctx = assemble.group_context(cat, group_id)
        series = follow.series_records(assemble.group_situation(version, cat, ctx))
        nid = store.save_negotiation(
            WHO,
            group_id,
            ROUND,
            {
                "held_on": held_on,
                "place": MARK + place,
                "notes": "DEMO – keksitty esimerkkikirjaus, ei todellinen neuvottelu.",
                "participants": participants,
            },
            is_demo=True,
            eng=eng,
        )
        written += 1
        for priority, text, inds, actions in goals:
            chosen, bases = [], {}
            for iid, direction, year in inds:
                if iid not in known:
                    continue
                point, scope = followup.point_in(series, iid, year), "group"
                if point.value is None:
                    point, scope = followup.point_in(series, iid, year, "area"), "area"
                chosen.append(validate.IndicatorChoice(iid, direction))
                bases[iid] = Baseline(point.value, point.year, point.lo, point.hi, scope)
            gid = store.save_goal(WHO, nid, priority, MARK + text, chosen, known, bases, eng=eng)
            for atext, kind, name, resources, themes, frame, status, comment, partners in actions:
                store.save_action(
                    WHO,
                    gid,
                    {
                        "text": MARK + atext,
                        "responsible_kind": kind,
                        "responsible_name": name,
                        "resources": resources,
                        "themes": themes,
                        "time_frame": frame,
                        "status": status,
                        "status_comment": comment,
                        "status_date": date(2024, 10, 1) if status != "planned" else None,
                        "partners": partners,
                    },
                    eng=eng,
                )
    return written
