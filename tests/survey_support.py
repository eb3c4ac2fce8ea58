"""Realistic NGO survey exports, written by the tests themselves (openpyxl and csv).

Planted contact details (a person's name, an e-mail, a phone number) sit in unmapped
columns, the way Webropol and Forms exports carry them; the privacy tests look for them in
every table and column of the built warehouse.
"""

from __future__ import annotations

import csv
from pathlib import Path

PLANTED = ("Maija Meikäläinen", "maija.meikalainen@example.fi", "040 123 4567",
           "Pekka Puhelin", "pekka@example.org", "+358 50 765 4321")

XLSX_HEADERS = ["Vastaajan nimi", "Sähköposti", "Puhelin", "Yhdistyksen nimi",
                "Järjestön tyyppi", "Toimii: Jyväskylä", "Toimii: Muurame", "Toimii: Laukaa",
                "Toimii: Luhanka", "Vertaistuki", "Liikunta", "Tapahtumat", "Lapset",
                "Ikääntyneet", "Mielen hyvinvointi", "Liikunnallinen elämäntapa", "Jäsenmäärä",
                "Vapaaehtoisten määrä", "Yhteistyö kunnan kanssa (1–5)", "Kehittämistarpeet",
                "Vapaa kommentti"]

XLSX_MAPPING = """
[survey]
name = "Testikysely"
round = {year}
file = "{file}"

[columns]
organisation = "Yhdistyksen nimi"
org_type = "Järjestön tyyppi"
members = "Jäsenmäärä"
volunteers = "Vapaaehtoisten määrä"
coop_municipality = "Yhteistyö kunnan kanssa (1–5)"
development_needs = "Kehittämistarpeet"

[options.municipalities]
"Toimii: Jyväskylä" = "Jyväskylä"
"Toimii: Muurame" = "Muurame"
"Toimii: Laukaa" = "410"
"Toimii: Luhanka" = "Luhanka"

[options.activities]
"Vertaistuki" = "vertaistuki"
"Liikunta" = "liikunta"
"Tapahtumat" = "tapahtumat"

[options.targets]
"Lapset" = "lapset"
"Ikääntyneet" = "ikääntyneet"

[options.priorities]
"Mielen hyvinvointi" = "mental_wellbeing"
"Liikunnallinen elämäntapa" = "active_lifestyle"

[aliases.org_type]
"Rekisteröity yhdistys" = "paikallisyhdistys"
"""


def xlsx_rows(n: int = 8) -> list[list]:
    """n organisations (first row carries the planted contacts); a blank row in between."""
    rows = []
    for i in range(n):
        contact = (PLANTED[0], PLANTED[1], PLANTED[2]) if i == 0 else \
            (PLANTED[3], PLANTED[4], PLANTED[5]) if i == 1 else (None, None, None)
        rows.append([*contact, f"Yhdistys {i}",
                     "Rekisteröity yhdistys" if i % 3 == 0 else "urheiluseura",
                     "x" if i % 2 == 0 else None, "1" if i % 3 == 0 else None,
                     "x" if i >= 5 else None, "x" if i == 7 else None,
                     "x" if i % 2 else None, "x", "0", "x" if i < 4 else None, "x",
                     "x" if i % 2 == 0 else None, "x",
                     40 + i, 3 + i, 1 + i % 5,
                     ("Lisää tiloja. Ota yhteyttä pekka@example.org tai 040 123 4567"
                      if i == 0 else None),
                     "Soita Maija Meikäläinen" if i == 0 else None])
        if i == 3:
            rows.append([None] * len(XLSX_HEADERS))  # an empty row inside
    rows += [[None] * len(XLSX_HEADERS)] * 2      # and two at the end
    return rows


def write_xlsx(folder: Path, year: int = 2023, rows: list[list] | None = None,
               title: bool = True, stem: str = "kysely") -> Path:
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Vastaukset"
    if title:  # Webropol puts the survey's title and a blank row above the header
        ws.append([f"Keski-Suomen järjestökysely {year} – raportti"])
        ws.append([])
    ws.append(XLSX_HEADERS)
    for r in rows if rows is not None else xlsx_rows():
        ws.append(r)
    path = folder / f"{stem}-{year}.xlsx"
    book.save(path)
    (folder / f"{stem}-{year}.toml").write_text(
        XLSX_MAPPING.format(year=year, file=path.name), encoding="utf-8")
    return path


CSV_HEADERS = ["Nimi", "Sähköpostiosoite", "Yhdistys", "Tyyppi", "Toimintakunnat",
               "Toimintamuodot", "Kohderyhmät", "Painopisteet", "Jäseniä", "Vapaaehtoisia",
               "Palkattuja", "Yhteistyö: hyvinvointialue", "Yhteistyö: seurakunta"]
CSV_MAPPING = """
[survey]
name = "Testikysely CSV"
round = {year}
file = "{file}"

[columns]
organisation = "Yhdistys"
org_type = "Tyyppi"
municipalities = "Toimintakunnat"
activities = "Toimintamuodot"
targets = "Kohderyhmät"
priorities = "Painopisteet"
members = "Jäseniä"
volunteers = "Vapaaehtoisia"
paid_staff = "Palkattuja"
coop_county = "Yhteistyö: hyvinvointialue"
coop_parish = "Yhteistyö: seurakunta"

[aliases.municipalities]
"Äänekosken kaupunki" = "Äänekoski"
"Koko Keski-Suomi" = "kaikki"

[aliases.priorities]
"Mielen hyvinvointi" = "mental_wellbeing"
"Arjen turvallisuus" = "everyday_safety"
"""


def csv_rows(n: int = 7) -> list[list]:
    rows = []
    kunnat = ["Jyväskylän kaupunki; Äänekosken kaupunki", "Laukaa", "Koko Keski-Suomi",
              "Jämsän kaupunki", "Hankasalmi; Konnevesi", "992", "Jyväskylä"]
    for i in range(n):
        rows.append([PLANTED[0] if i == 0 else "", PLANTED[1] if i == 0 else "",
                     f"Kerho {i} ry", "paikallisyhdistys" if i % 2 else "Seurakunta",
                     kunnat[i % len(kunnat)], "vertaistuki; kohtaamispaikka" if i % 2
                     else "Liikunta", "nuoret; ikääntyneet", "Mielen hyvinvointi",
                     str(10 * i + 5), "1 200" if i == 3 else str(i), "0", str(1 + i % 5), ""])
        if i == 2:
            rows.append([""] * len(CSV_HEADERS))
    return rows


def write_csv(folder: Path, year: int = 2025, rows: list[list] | None = None,
              encoding: str = "cp1252", delimiter: str = ";", stem: str = "kysely",
              headers: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{year}.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(headers or CSV_HEADERS)
        w.writerows(rows if rows is not None else csv_rows())
    (folder / f"{stem}-{year}.toml").write_text(
        CSV_MAPPING.format(year=year, file=path.name), encoding="utf-8")
    return path
