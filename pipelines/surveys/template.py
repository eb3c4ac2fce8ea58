"""The blank survey template (.xlsx) and the example mapping that reads its export.

`hyte survey-template` writes both (data/survey_template.xlsx and
data/survey_mapping.example.toml are its output): a coordinator builds the Webropol or
Forms survey from the template's questions, and the example mapping then reads the export
as it is (one column per option for the multi-select questions, as those tools export).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipelines.config import Config
from pipelines.surveys import fields

QUESTIONS = {
    "organisation": "Järjestön tai yhdistyksen nimi",
    "org_type": "Järjestön tyyppi",
    "members": "Jäsenmäärä",
    "volunteers": "Vapaaehtoisten määrä",
    "paid_staff": "Palkattujen työntekijöiden määrä",
    "coop_municipality": "Yhteistyö kunnan kanssa (1–5)",
    "coop_county": "Yhteistyö hyvinvointialueen kanssa (1–5)",
    "coop_parish": "Yhteistyö seurakunnan kanssa (1–5)",
    "development_needs": "Kehittämistarpeet ja toiveet",
}
PREFIX = {"municipalities": "Toiminta-alue", "activities": "Toimintamuoto",
          "targets": "Kohderyhmä", "priorities": "Painopiste"}
TEMPLATE_NAME = "survey_template.xlsx"
MAPPING_NAME = "survey_mapping.example.toml"
FIXED_TIME = datetime(2026, 1, 1)


def option_columns(config: Config) -> dict[str, dict[str, str]]:
    """field -> header -> canonical value, for every multi-select option."""
    out = {"municipalities": {f"{PREFIX['municipalities']}: {m.name_fi}": m.name_fi
                              for m in config.municipalities}}
    for f in ("activities", "targets", "priorities"):
        out[f] = {f"{PREFIX[f]}: {label}": code
                  for code, label in fields.VOCABULARIES[f].items()}
    return out


def headers(config: Config) -> list[str]:
    singles = [QUESTIONS[f] for f in ("organisation", "org_type", "members", "volunteers",
                                      "paid_staff")]
    rest = [QUESTIONS[f] for f in ("coop_municipality", "coop_county", "coop_parish",
                                   "development_needs")]
    options = [h for opts in option_columns(config).values() for h in opts]
    return singles + options + rest


def write_template(path: Path, config: Config) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "hyte survey-template"
    ws = book.active
    ws.title = "Vastaukset"
    cols = headers(config)
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    types = DataValidation(type="list", allow_blank=True,
                           formula1='"' + ",".join(fields.ORG_TYPES.values()) + '"')
    scale = DataValidation(type="whole", operator="between", formula1="1", formula2="5",
                           allow_blank=True)
    ws.add_data_validation(types)
    ws.add_data_validation(scale)
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(cols)}
    types.add(f"{letter[QUESTIONS['org_type']]}2:{letter[QUESTIONS['org_type']]}2000")
    for f in ("coop_municipality", "coop_county", "coop_parish"):
        scale.add(f"{letter[QUESTIONS[f]]}2:{letter[QUESTIONS[f]]}2000")
    notes = book.create_sheet("Ohjeet")
    for line in (
        ["Maakunnallinen järjestökysely: yksi vastaus järjestöä kohden."],
        ["Älä kysy yhteyshenkilön nimeä, sähköpostia tai puhelinta tällä lomakkeella: "
         "niitä ei tuoda tilannekuvaan."],
        ["Monivalinnat (toiminta-alue, toimintamuoto, kohderyhmä, painopiste): yksi sarake "
         "vaihtoehtoa kohden; mikä tahansa merkintä = valittu, tyhjä tai 0 = ei valittu."],
        ["Yhteistyö 1–5: 1 = ei yhteistyötä tai heikko, 5 = tiivis ja toimiva."],
        ["Järjestön tyyppi: " + ", ".join(fields.ORG_TYPES.values())],
    ):
        notes.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def mapping_text(config: Config, file_name: str = "jarjestokysely-2025.xlsx",
                 round_year: int = 2025) -> str:
    """The example mapping for an export of the template (copy it beside the export)."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# Mapping of one NGO survey export (hyte ingest reads every *.toml in data/surveys/).",
        "# Copy it beside the export, name the file and the round, and map the export's own",
        "# headers (usually the question texts) to the canonical fields. Columns not named",
        "# here -- contact persons, e-mails, phones, anything else -- are never read.",
        "",
        "[survey]",
        f"name = {q('Keski-Suomen järjestökysely')}",
        f"round = {round_year}",
        f"file = {q(file_name)}",
        "# sheet = \"Vastaukset\"          # default: the first sheet",
        "# list_separator = \";\"          # for list columns; default: ; , or a line break",
        "",
        "[columns]                        # canonical field = the export's header",
    ]
    lines += [f"{f} = {q(h)}" for f, h in QUESTIONS.items()]
    lines += ["# A multi-select exported as one list column instead of one column per option:",
              "# municipalities = \"Millä paikkakunnilla järjestö toimii?\"", ""]
    for f, opts in option_columns(config).items():
        lines.append(f"[options.{f}]               # one column per option: header = value")
        lines += [f"{q(h)} = {q(v)}" for h, v in opts.items()]
        lines.append("")
    lines += [
        "[aliases.municipalities]         # other names the answers use",
        f"{q('Äänekosken kaupunki')} = {q('Äänekoski')}",
        f"{q('Koko Keski-Suomi')} = {q('kaikki')}",
        "",
        "[aliases.org_type]",
        f"{q('Rekisteröity yhdistys')} = {q('paikallisyhdistys')}",
        f"{q('Liikuntaseura')} = {q('urheiluseura')}",
        "",
    ]
    return "\n".join(lines)


def write_all(folder: Path, config: Config) -> list[Path]:
    folder = Path(folder)
    template = write_template(folder / TEMPLATE_NAME, config)
    example = folder / MAPPING_NAME
    example.write_text(mapping_text(config), encoding="utf-8")
    return [template, example]
