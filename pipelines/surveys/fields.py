"""The canonical fields of one organisation's answer, and the values each may take.

Codes are stored in the warehouse; the dashboard translates them (model.ngo). Every
vocabulary maps a code to its Finnish label, which a survey may use as its answer text.
"""

from __future__ import annotations

import re

ORG_TYPES = {
    "paikallisyhdistys": "paikallisyhdistys",
    "piiri": "piiri tai alueyhdistys",
    "valtakunnallinen": "valtakunnallinen järjestö",
    "saatio": "säätiö",
    "seurakunta": "seurakunta",
    "urheiluseura": "urheiluseura",
    "muu": "muu",
}
ACTIVITIES = {
    "vertaistuki": "vertaistuki",
    "harrastus": "harrastus- ja vapaa-ajantoiminta",
    "kohtaamispaikka": "kohtaamispaikka",
    "neuvonta": "neuvonta ja ohjaus",
    "tapahtumat": "tapahtumat",
    "vapaaehtoistoiminta": "vapaaehtoistoiminta",
    "liikunta": "liikunta",
    "kulttuuri": "kulttuuri",
    "muu": "muu",
}
TARGETS = {
    "lapset": "lapset",
    "nuoret": "nuoret",
    "lapsiperheet": "lapsiperheet",
    "tyoikaiset": "työikäiset",
    "ikaantyneet": "ikääntyneet",
    "erityisryhmat": "erityisryhmät",
    "kaikki": "kaikki ikäryhmät",
}
PRIORITIES = {
    "mental_wellbeing": "mielen hyvinvointi",
    "everyday_safety": "arjen turvallisuus",
    "active_lifestyle": "liikunnallinen elämäntapa",
}
VOCABULARIES = {"org_type": ORG_TYPES, "activities": ACTIVITIES, "targets": TARGETS,
                "priorities": PRIORITIES}

# field -> (smallest, largest) whole number accepted
NUMBERS = {
    "members": (0, 1_000_000),
    "volunteers": (0, 100_000),
    "paid_staff": (0, 10_000),
    "coop_municipality": (1, 5),
    "coop_county": (1, 5),
    "coop_parish": (1, 5),
}
SINGLE = ("organisation", "org_type", *NUMBERS, "development_needs")
MULTI = ("municipalities", "activities", "targets", "priorities")
FIELDS = (*SINGLE, *MULTI)
# Must be mapped: an answer without them says nothing per group.
REQUIRED = ("org_type", "municipalities")

# Headers that name a person or a way to reach one: never mapped to a field.
CONTACT_HEADER = re.compile(r"s[aä]hk[oö]posti|e-?mail|puhelin|phone|yhteyshenkil|contact|"
                            r"osoite|address|nimesi|your name|vastaajan nimi", re.IGNORECASE)
# What a free-text answer must not carry on: e-mail addresses and phone numbers.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+?\d[\d\s\-()]{6,}\d)(?!\w)")
TEXT_LIMIT = 2000


def redact(text: str) -> str:
    """A free-text answer without e-mail addresses or phone numbers, cut to TEXT_LIMIT."""
    text = EMAIL.sub("[sähköposti poistettu]", text)
    text = PHONE.sub("[puhelinnumero poistettu]", text)
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def key(text: str) -> str:
    """How answers and headers are compared: case, spaces and dashes folded."""
    text = str(text).replace("\u00a0", " ").replace("–", "-").replace("—", "-")
    return " ".join(text.casefold().split())
