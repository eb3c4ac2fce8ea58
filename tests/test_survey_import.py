"""Importing NGO survey exports: realistic files, validation lines, privacy, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from pipelines import ingest, warehouse
from pipelines.config import load_config
from pipelines.surveys import load, mapping, read, template, validate
from tests.survey_support import (
    CSV_HEADERS,
    PLANTED,
    csv_rows,
    write_csv,
    write_xlsx,
    xlsx_rows,
)
from tests.warehouse_fixtures import ROOT

CONFIG = load_config(ROOT / "data")
IDS = {m.name_fi: m.region_id for m in CONFIG.municipalities}


def org_regions(s: load.Surveys) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for r in s.table("ngo_org_region").to_dict("records"):
        out.setdefault(r["org_id"], set()).add(int(r["region_id"]))
    return out


def test_xlsx_with_title_row_and_one_column_per_option(tmp_path):
    write_xlsx(tmp_path, 2023)
    s = load.load_one(tmp_path / "kysely-2023.toml", CONFIG)
    assert s.warnings == []
    survey = s.table("ngo_survey").iloc[0]
    assert (survey["name"], survey["round_year"], survey["organisations"]) == \
        ("Testikysely", 2023, 8)  # empty rows inside and at the end are not answers
    orgs = s.table("ngo_org")
    assert list(orgs["org_id"]) == [f"o{i:04d}" for i in range(1, 9)]
    assert orgs["org_type"].tolist()[:3] == ["paikallisyhdistys", "urheiluseura", "urheiluseura"]
    assert orgs["members"].tolist() == [40 + i for i in range(8)]
    regions = org_regions(s)
    # row 0: Jyväskylä (x), Muurame ("1"); Laukaa is mapped by its code 410
    assert regions["o0001"] == {IDS["Jyväskylä"], IDS["Muurame"]}
    assert regions["o0008"] == {IDS["Laukaa"], IDS["Luhanka"]}
    acts = s.table("ngo_org_activity")
    assert "tapahtumat" not in set(acts["activity"])  # "0" is not a tick
    assert set(acts[acts["org_id"] == "o0001"]["activity"]) == {"liikunta"}
    # free text kept without the e-mail and the phone number
    need = s.table("ngo_org_need")["need"].tolist()
    assert len(need) == 1 and "pekka@example.org" not in need[0] and "040" not in need[0]
    assert "[sähköposti poistettu]" in need[0]


def test_header_row_is_found_below_the_title(tmp_path):
    path = write_xlsx(tmp_path, 2023)
    m = mapping.load(tmp_path / "kysely-2023.toml")
    table = read.read(path, [h for h, _f in m.headers()])
    assert table.header_row == 3
    assert table.rows[0][0] == 4  # the first answer is spreadsheet row 4


@pytest.mark.parametrize("encoding, delimiter", [("cp1252", ";"), ("utf-8-sig", ","),
                                                 ("utf-8", ";")])
def test_csv_encodings_and_separators_with_aliased_municipalities(tmp_path, encoding, delimiter):
    write_csv(tmp_path, 2025, encoding=encoding, delimiter=delimiter)
    s = load.load_one(tmp_path / "kysely-2025.toml", CONFIG)
    assert s.warnings == []
    assert int(s.table("ngo_survey")["organisations"].iloc[0]) == 7
    regions = org_regions(s)
    # "Jyväskylän kaupunki" by the built-in rule, "Äänekosken kaupunki" by the mapping's alias
    assert regions["o0001"] == {IDS["Jyväskylä"], IDS["Äänekoski"]}
    assert regions["o0003"] == {m.region_id for m in CONFIG.municipalities}  # Koko Keski-Suomi
    assert regions["o0004"] == {IDS["Jämsä"]}
    assert regions["o0006"] == {IDS["Äänekoski"]}  # by code 992
    orgs = s.table("ngo_org").set_index("org_id")
    assert orgs.loc["o0004", "volunteers"] == 1200  # "1 200"
    assert orgs.loc["o0001", "org_type"] == "seurakunta"
    assert set(s.table("ngo_org_priority")["priority"]) == {"mental_wellbeing"}


def problems_of(folder, stem="kysely", year=2025):
    s = load.load_one(folder / f"{stem}-{year}.toml", CONFIG)
    assert s.tables == {}, "a survey with problems is skipped whole"
    return s.warnings


def test_missing_column_names_file_column_and_header_row(tmp_path):
    headers = [h for h in CSV_HEADERS if h != "Jäseniä"]
    rows = [r[:8] + r[9:] for r in csv_rows()]
    path = write_csv(tmp_path, headers=headers, rows=rows)
    [line] = problems_of(tmp_path)
    assert line == (f"survey skipped: {path}: column 'Jäseniä' (mapped to members) is not in "
                    "the header row (row 1)")


@pytest.mark.parametrize("col, value, expected", [
    (4, "Atlantis", "row 3, column 'Toimintakunnat': unknown municipality 'Atlantis'"),
    (11, "7", "row 3, column 'Yhteistyö: hyvinvointialue': '7' is not a whole number in 1..5"),
    (8, "-3", "row 3, column 'Jäseniä': '-3' is not a whole number in 0..1000000"),
    (2, "Kerho 0 ry", "row 3, column 'Yhdistys': duplicate organisation: the same as on row 2"),
    (3, "kerho", "row 3, column 'Tyyppi': unknown organisation type 'kerho'"),
])
def test_one_line_per_problem_names_file_row_and_column(tmp_path, col, value, expected):
    rows = csv_rows()
    rows[1][col] = value
    path = write_csv(tmp_path, rows=rows)
    lines = problems_of(tmp_path)
    assert len(lines) == 1
    assert lines[0].startswith(f"survey skipped: {path}: {expected}")


def test_export_without_mapping_and_bad_mapping_are_reported(tmp_path):
    (tmp_path / "orpo.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (tmp_path / "rikki.toml").write_text("[survey]\nname = 'x'\nround = 1999\nfile = 'x.csv'\n",
                                         encoding="utf-8")
    s = load.load_folder(tmp_path, CONFIG)
    assert any("orpo.csv: no mapping file names it" in w for w in s.warnings)
    assert any("rikki.toml: [survey] 'round' must be the survey's year" in w for w in s.warnings)


def test_contact_columns_cannot_be_mapped(tmp_path):
    write_csv(tmp_path)
    path = tmp_path / "kysely-2025.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'organisation = "Yhdistys"', 'organisation = "Sähköpostiosoite"'), encoding="utf-8")
    with pytest.raises(mapping.MappingError, match="looks like contact details"):
        mapping.load(path)


def test_municipality_names_and_aliases():
    lookup = validate.municipality_lookup(CONFIG)
    find = validate.find_municipality
    assert find("Jyväskylän kaupunki", lookup, {}) == IDS["Jyväskylä"]
    assert find("Laukaan kunta", lookup, {}) == IDS["Laukaa"]
    assert find(" jyväskylä ", lookup, {}) == IDS["Jyväskylä"]
    assert find("77", lookup, {}) == IDS["Hankasalmi"]  # code 077 without its zero
    assert find("Äänekosken kaupunki", lookup, {}) is None  # needs an alias
    assert find("Äänekosken kaupunki", lookup, {"äänekosken kaupunki": "Äänekoski"}) == \
        IDS["Äänekoski"]
    assert find("Koko maakunta", lookup, {}) == validate.ALL


def scan(path, needles) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle occurs in any value of the warehouse."""
    hits = []
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = 'main'").fetchall()
        for table, column in cols:
            for needle in needles:
                n = con.execute(f'SELECT count(*) FROM "{table}" WHERE '
                                f'CAST("{column}" AS VARCHAR) ILIKE ?',
                                [f"%{needle}%"]).fetchone()[0]
                if n:
                    hits.append((table, column, needle))
    finally:
        con.close()
    return hits


def build(tmp_path, folder):
    live = tmp_path / "wh" / "warehouse.duckdb"
    live.parent.mkdir(exist_ok=True)
    result = ingest.run(CONFIG, "demo", live, survey_dir=folder)
    return live, result


def test_contact_details_never_reach_the_warehouse(tmp_path):
    folder = tmp_path / "surveys"
    write_xlsx(folder, 2023)
    write_csv(folder, 2025)
    live, result = build(tmp_path, folder)
    assert result.exit_code == 0, result.warnings
    con = duckdb.connect(str(live), read_only=True)
    loaded = {r[0] for r in con.execute("SELECT survey_id FROM ngo_survey").fetchall()}
    con.close()
    assert {"kysely-2023", "kysely-2025"} <= loaded
    needles = [*PLANTED, "Meikäläinen", "example.fi", "example.org", "1234567", "Yhdistys 0",
               "Kerho 0 ry", "Vapaa kommentti", "Soita"]
    assert scan(live, needles) == []


def test_bad_survey_is_skipped_exit_3_rest_published_live_intact(tmp_path):
    folder = tmp_path / "surveys"
    write_xlsx(folder, 2023)
    write_csv(folder, 2025)
    live, first = build(tmp_path, folder)
    assert first.exit_code == 0
    # The CSV now names an unknown municipality on its row 4.
    rows = csv_rows()
    rows[2][4] = "Atlantis"
    path = write_csv(folder, 2025, rows=rows)
    env = {**os.environ, "HYTE_WAREHOUSE": str(live)}
    proc = subprocess.run([sys.executable, "-m", "pipelines", "ingest", "--source", "demo",
                           "--surveys", str(folder), "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert (f"warning: survey skipped: {path}: row 4, column 'Toimintakunnat': unknown "
            "municipality 'Atlantis'") in proc.stderr
    warehouse.check_readable(live)
    con = duckdb.connect(str(live), read_only=True)
    try:
        surveys = {r[0] for r in con.execute("SELECT survey_id FROM ngo_survey").fetchall()}
        runs = con.execute("SELECT status FROM load_log ORDER BY finished_at").fetchall()
    finally:
        con.close()
    assert "kysely-2023" in surveys and "kysely-2025" not in surveys
    assert {"demo-jarjestokysely-2023", "demo-jarjestokysely-2025"} <= surveys
    assert [r[0] for r in runs] == ["ok", "warnings"]


def test_template_and_example_mapping_read_each_other(tmp_path):
    """A coordinator's path: the shipped template filled in, the example mapping beside it."""
    import openpyxl

    proc = subprocess.run([sys.executable, "-m", "pipelines", "survey-template", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(tmp_path / template.TEMPLATE_NAME)
    ws = book["Vastaukset"]
    headers = [c.value for c in ws[1]]
    assert headers == template.headers(CONFIG)
    assert not any(validate_contact(h) for h in headers)
    for i in range(6):
        row = {h: None for h in headers}
        row.update({"Järjestön tai yhdistyksen nimi": f"Yhdistys {i}",
                    "Järjestön tyyppi": "urheiluseura", "Jäsenmäärä": 20 + i,
                    "Toiminta-alue: Kinnula": "x", "Toimintamuoto: liikunta": "x",
                    "Kohderyhmä: nuoret": "x", "Painopiste: liikunnallinen elämäntapa": "x",
                    "Yhteistyö kunnan kanssa (1–5)": 4})
        ws.append([row[h] for h in headers])
    folder = tmp_path / "surveys"
    folder.mkdir()
    book.save(folder / "jarjestokysely-2025.xlsx")
    (folder / "kysely.toml").write_text(
        (tmp_path / template.MAPPING_NAME).read_text(encoding="utf-8"), encoding="utf-8")
    s = load.load_folder(folder, CONFIG)
    assert s.warnings == []
    assert int(s.table("ngo_survey")["organisations"].iloc[0]) == 6
    assert set(s.table("ngo_org_region")["region_id"]) == {IDS["Kinnula"]}
    assert set(s.table("ngo_org_priority")["priority"]) == {"active_lifestyle"}


def validate_contact(header: str) -> bool:
    from pipelines.surveys.fields import CONTACT_HEADER

    return bool(CONTACT_HEADER.search(header))


def test_shipped_template_matches_the_generator():
    import openpyxl

    book = openpyxl.load_workbook(ROOT / "data" / template.TEMPLATE_NAME)
    assert [c.value for c in book["Vastaukset"][1]] == template.headers(CONFIG)
    assert (ROOT / "data" / template.MAPPING_NAME).read_text(encoding="utf-8") == \
        template.mapping_text(CONFIG)


def test_readme_documents_every_survey_table_and_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The warehouse, for analysts"):]
    for table, columns in warehouse.schema_columns().items():
        if table.startswith("ngo_"):
            assert f"`{table}`" in section, table
            for column in columns:
                assert f"`{column}`" in section, (table, column)


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a readable .xlsx file"),
    (lambda p: p.mkdir(), "no such file"),
])
def test_broken_exports_are_one_line_and_skipped(tmp_path, make, expected):
    write_xlsx(tmp_path, 2023)
    path = tmp_path / "kysely-2023.xlsx"
    path.unlink()
    make(path)
    s = load.load_one(tmp_path / "kysely-2023.toml", CONFIG)
    assert s.tables == {}
    [line] = s.warnings
    assert line.startswith(f"survey skipped: {path}: {expected}") and "\n" not in line


def test_mapping_problems_name_the_file_and_key(tmp_path):
    path = tmp_path / "m.toml"
    cases = {
        b"\xff\xfe not utf-8": "not UTF-8",
        b"[survey\n": "not valid TOML",
        b'[survey]\nname = "x"\nround = 2025\nfile = "../x.csv"\n': "'file' must name the export",
        b'[survey]\nname = "x"\nround = 2025\nfile = "x.csv"\n[columns]\nfoo = "A"\n':
            "[columns] 'foo' is not a canonical field",
        b'[survey]\nname = "x"\nround = 2025\nfile = "x.csv"\n[columns]\norg_type = "A"\n':
            "no column mapped for municipalities",
    }
    for raw, expected in cases.items():
        path.write_bytes(raw)
        with pytest.raises(mapping.MappingError) as err:
            mapping.load(path)
        assert str(err.value).startswith(f"{path}: ") and expected in str(err.value), err.value
