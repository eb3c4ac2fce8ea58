"""Charts, slides and exports in Swedish and English: no Finnish UI text, the language's numbers.

Every chart builder's spec (built from the demo warehouse, as the pages build them) is read
for what a viewer sees: titles, subtitles, axis, legend and tooltip titles, and the UI words
its data carries (series labels, outcome names, notes, quintile labels, panel notes). The
HTML and PDF exports of a demo group are read as text. What is excluded, and why:

- data values: region, group and indicator names (the warehouse's own sv/en names), the
  producer ("Demoaineisto (synteettinen)" is the warehouse's text) and anything carrying the
  " [fi]" fallback marker of i18n.names;
- Sotkanet's own metadata texts inside speaker notes (definitions, limits, notices): the
  warehouse holds them in Finnish only; i18n.names marks them " [fi]".
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
from datetime import date
from html import unescape

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard import data
from dashboard.charts import base as charts
from dashboard.charts import compare as compare_charts
from dashboard.charts import explore as explore_charts
from dashboard.charts import overview as overview_charts
from dashboard.charts import tilemap
from dashboard.i18n import catalog, names
from dashboard.i18n.catalog import BENCHMARK_NAMES, benchmark_name
from dashboard.model import briefing, comparison, explorer
from dashboard.reports import assemble, export, slides
from dashboard.reports import html_page as html_report
from dashboard.reports import pdf_page as pdf_report
from dashboard.reports import tables as table_files
from tests.warehouse_fixtures import ROOT

TRANSLATED = ("sv", "en")
DECIMAL = {"fi": ",", "sv": ",", "en": "."}
GROUP = "joutsa-luhanka-toivakka"  # has a small municipality (Luhanka): the caveats show
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Distinctive Finnish words of the charts' and exports' own texts (stems where Finnish
# inflects them). Matched as words from their start, case-insensitively ("alue" is not
# found inside "value"; "vertailu" finds "vertailuarvo" and "vertailukohta").
FINNISH_STEMS = (
    "kehitys", "kunnat vertailussa", "luottamusväl", "vuosi", "vuode", "vuosilta", "arvo",
    "kunta", "kunnan", "kunnat", "vertailu", "ryhmä", "viidennes", "sarja", "pieni kunta",
    "pienet kunnat", "pienet luvut", "huom", "alue", "hyvinvointialue", "koko maa",
    "varjostus", "vaakaviiva", "pystyviiva", "vinoneliö", "sukupuoli", "indikaattori",
    "ei tietoa", "ei tietoja", "keskeiset ilmiöt", "vahvuude", "haastee", "tilastollisesti",
    "väestö", "päivämäärä", "tiedosto tehty", "tietovarasto", "tuottajat", "lähde",
    "demoaineisto", "tavoitteet", "toimenpiteet", "yhteistyö", "seuranta", "laki",
    "keskustellaan", "vinkki", "esityksen", "neuvottelu", "värit", "sininen", "keltainen",
    "oranssi", "violetti", "harmaa", "yksikö", "kuvaa ei voitu", "muu alue", "suunta",
    "vs. alue", "vs. maa", "riveittäin", "vain ryhmä", "vain alue ja",
)
FINNISH = re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in FINNISH_STEMS) + ")",
                     re.IGNORECASE)
HEADINGS = {"fi": ("Keskeiset ilmiöt", "Vahvuudet", "Haasteet"),
            "sv": ("Centrala iakttagelser", "Styrkor", "Utmaningar"),
            "en": ("Key findings", "Strengths", "Challenges")}
SOURCE = {"fi": "Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0.",
          "sv": "Källa: THL, Sotkanet (sotkanet.fi), licens CC BY 4.0.",
          "en": "Source: THL, Sotkanet (sotkanet.fi), licence CC BY 4.0."}
INDICATORS = {"fi": "Indikaattorit", "sv": "Indikatorer", "en": "Indicators"}


def finnish_words(text: str) -> list[str]:
    return FINNISH.findall(text)


# --- reading a spec as a viewer sees it -------------------------------------------------------

TEXT_KEYS = ("title", "subtitle", "text")
UI_DATA_FIELDS = ("sarja", "vertailu", "huom", "vertailukohta", "viidennes", "viesti")


def shown_texts(spec: dict) -> list[str]:
    """Titles, subtitles, axis/legend/tooltip titles: every literal text outside the data."""
    out: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("datasets", "data", "values"):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in TEXT_KEYS:
            out.append(node)

    walk(spec)
    return out


def data_texts(spec: dict) -> list[str]:
    """The UI words inside the data: labels, outcome names, notes, panel notes, the group row."""
    rows = [r for rows in spec.get("datasets", {}).values() for r in rows]
    rows += spec.get("data", {}).get("values", []) if isinstance(spec.get("data"), dict) else []
    out = [str(r[f]) for r in rows for f in UI_DATA_FIELDS if r.get(f)]
    out += [r["kunta"] for r in rows if r.get("kind") == "group"]
    # panel titles: name lines, then "(…)" notes of the chart's own
    out += [line for r in rows if r.get("otsikko") for line in r["otsikko"].split("|")
            if line.startswith("(")]
    return out


def model_or_data(text: str) -> bool:
    return names.FALLBACK_MARK in text


def assert_speaks(spec: dict, lang: str, name: str) -> None:
    texts = [t for t in shown_texts(spec) + data_texts(spec) if not model_or_data(t)]
    assert texts, name
    bad = [(t, finnish_words(t)) for t in texts if finnish_words(t)]
    assert not bad, f"{name} ({lang}) shows Finnish: {bad[:5]}"


# --- building every chart from the demo warehouse, in a language -----------------------------


def overview_specs(b) -> dict:
    part = b.sit.rows[b.sit.rows["priority"] == "mental_wellbeing"]
    trend, members = assemble.overview_chart_specs(b.sit, "mental_wellbeing", "area",
                                                   b.area_name)
    country = assemble.overview_chart_specs(b.sit, "mental_wellbeing", "country",
                                            b.area_name)[1]
    return {"trend": trend, "members": members, "members_country": country,
            "strip": overview_charts.outcome_strip(part),
            "trend_empty": overview_charts.trend_small_multiples(b.sit.series, part.iloc[0:0]),
            "empty": charts.empty_spec(), "empty_altair": charts.empty_chart().to_dict()}


def compare_and_explore_specs(lang: str) -> dict:
    version = data.version()
    cat = names.localize(data.catalogue(version), lang)
    area_id, country_id = assemble.county_ids(cat["meta"])
    regions, inds = cat["regions"], cat["indicators"]
    munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)]
    members = [int(r) for r in munis["region_id"]][:6]
    ids = [int(i) for i in inds["indicator_id"]][:12]
    obs = data.year_slice(version, tuple(ids), "total")
    bench = {k: benchmark_name(k) for k in BENCHMARK_NAMES}
    order = [str(n) for n in munis["name"]][:6]
    specs = {}
    for benchmark in ("area", "country"):
        rows = comparison.build(inds, obs, regions, members, ids, area_id, country_id,
                                benchmark).rows
        specs[f"heatmap_{benchmark}"] = compare_charts.heatmap(rows, "Legend", bench, order)
        specs[f"dots_{benchmark}"] = compare_charts.dots(rows, bench)
    region_names = dict(zip(regions["region_id"].astype(int), regions["name"], strict=True))
    shown = [area_id, country_id, *members[:2]]
    for iid in (int(inds.loc[inds["unit"] == "percent", "indicator_id"].iloc[0]),
                int(inds.loc[inds["unit"] != "percent", "indicator_id"].iloc[0])):
        ind = inds[inds["indicator_id"] == iid].iloc[0].to_dict()
        both = pd.concat([data.observations(version, tuple(shown), g, (iid,))
                          for g in ("female", "male")], ignore_index=True)
        specs[f"series_{iid}"] = explore_charts.series_chart(
            explorer.series(both, ind, region_names, shown), ind)
        total = data.observations(version, tuple(shown), "total", (iid,))
        specs[f"series_total_{iid}"] = explore_charts.series_chart(
            explorer.series(total, ind, region_names, shown), ind)
    values = {int(r): float(i) for i, r in enumerate(munis["region_id"]) if i % 4}
    placed, _unplaced = tilemap.layout(munis, values)
    specs["tiles"] = tilemap.chart(placed, 1, "Legend", "Title")
    specs["tiles_empty"] = tilemap.chart(placed.iloc[0:0], 1, "Legend")
    specs["series_empty"] = explore_charts.series_chart(pd.DataFrame(columns=["value"]), ind)
    return specs


@pytest.fixture
def brief_in(app_env):
    """lang -> (the demo group's briefing built in that language, as the pages and export do)."""
    version = data.version()

    def build(lang: str, group_id: str = GROUP):
        with catalog.use(lang):
            return assemble.briefing_for(version, group_id)

    return build


def briefing_specs(b, lang: str) -> dict:
    """The overview's, the slides' and the exports' charts of one briefing, built in `lang`."""
    with catalog.use(lang):
        specs = overview_specs(b)
        for s in slides.build_deck(b, date(2026, 3, 9)):
            spec = slides.chart_spec(b, s, 1.5)
            if spec is not None:
                specs[f"slide {s.heading} {s.lead} {s.chart}"] = spec
        for cid, _cap, spec in html_report.chart_specs(b):
            specs[f"html {cid}"] = html_report.with_source(spec, b)
    return specs


@pytest.mark.parametrize("lang", TRANSLATED)
def test_overview_and_slide_charts_speak_the_language(brief_in, lang):
    b = brief_in(lang)
    specs = briefing_specs(b, lang)
    assert len(specs) > 10
    for name, spec in specs.items():
        assert_speaks(spec, lang, name)
    # series labels, outcome names and the caveats are in the data: translated too
    legend = {r["sarja"] for r in specs["trend"]["datasets"]["trend"]}
    assert b.area_name in legend and {"sv": "Grupp", "en": "Group"}[lang] in legend
    notes = " ".join(specs["members"]["title"]["subtitle"])
    assert {"sv": "Små kommuner (Luhanka)", "en": "Small municipalities (Luhanka)"}[lang] in notes


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compare_explore_and_tile_charts_speak_the_language(app_env, lang):
    with catalog.use(lang):
        specs = compare_and_explore_specs(lang)
    for name, spec in specs.items():
        assert_speaks(spec, lang, name)
    labels = specs["tiles"]["layer"][0]["encoding"]["fill"]["scale"]["domain"]
    assert labels == {"sv": [f"femtedel {n}" for n in range(1, 6)] + ["uppgift saknas"],
                      "en": [f"quintile {n}" for n in range(1, 6)] + ["no data"]}[lang]


def test_every_chart_carries_its_languages_number_locale(brief_in):
    """sv and en in one process: whichever language the cache holds, one of them is wrong."""
    wrong = []
    for lang in ("fi", "sv", "en"):
        b = brief_in(lang)
        specs = briefing_specs(b, lang)
        with catalog.use(lang):
            specs.update(compare_and_explore_specs(lang))
        page = export.html_bytes(b, "X", lang=lang).decode("utf-8")
        specs.update({f"html page {cid}": spec for cid, spec in html_specs(page).items()})
        wrong += [(lang, name) for name, spec in specs.items()
                  if spec["config"]["locale"]["number"]["decimal"] != DECIMAL[lang]]
    assert not wrong, wrong[:10]


def test_finnish_charts_stay_finnish(brief_in):
    """The same builders in Finnish: the word list does find the Finnish texts (no blind test)."""
    b = brief_in("fi")
    spec = overview_specs(b)["members"]
    found = {w.lower() for t in shown_texts(spec) for w in finnish_words(t)}
    assert {"kunnat vertailussa", "luottamusväl", "vuosi", "arvo", "kunta"} <= found
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_tile_map_shows_the_display_names():
    munis = pd.DataFrame({"region_id": [1, 2, 3], "code": ["001", "002", "003"],
                          "name_fi": ["Yksi", "Kaksi", "Kolme"],
                          "name": ["Ett", "Två", "Tre"]})
    placed, unplaced = tilemap.layout(munis, {1: 1.0, 2: 2.0, 3: 3.0},
                                      {"001": (0, 0), "002": (0, 1)})
    assert list(placed["name"]) == ["Ett", "Två"] and list(unplaced["name"]) == ["Tre"]
    assert list(placed["name_fi"]) == ["Yksi", "Kaksi"]  # still there for old callers
    spec = tilemap.chart(placed, 1, "Legend")
    shown = {r["name"] for r in spec["datasets"][tilemap.TILE_DATA]}
    assert shown == {"Ett", "Två"}
    assert {r["nimi"] for r in spec["datasets"][tilemap.TILE_DATA]} == {"Ett", "Två"}


# --- HTML and PDF exports -----------------------------------------------------------------------


def model_made(b, lang: str) -> list[str]:
    """The data in an export (names and producers, as the warehouse holds them): removed
    before looking for Finnish. The model's own texts are not removed: they are translated."""
    out = [b.group_name, b.area_name, *b.members, *b.stamp.producers]
    out += [str(n) for n in b.sit.rows["name"]]
    return sorted(set(out), key=len, reverse=True)


def without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text


def html_text(page: str) -> str:
    body = re.sub(r"<script>.*?</script>|<style>.*?</style>", " ", page, flags=re.S)
    return re.sub(r"[ \t]+", " ", unescape(re.sub(r"<[^>]+>", "\n", body)))


def html_specs(page: str) -> dict:
    return json.loads(page.split("const specs = ", 1)[1].split(";\nfor (const", 1)[0])


def numeric_cells(page: str) -> list[str]:
    return [unescape(c) for c in re.findall(r'<td class="num"[^>]*>([^<]*)</td>', page)]


@pytest.mark.parametrize("lang", ["fi", *TRANSLATED])
def test_html_export_in_each_language(brief_in, lang):
    b = brief_in(lang)
    page = export.html_bytes(b, "EXPORTED", lang=lang).decode("utf-8")
    assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
    text = html_text(page)
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    assert SOURCE[lang] in text
    cells = numeric_cells(page)
    assert cells
    if lang == "en":
        assert any(re.search(r"\d\.\d", c) for c in cells)
        assert not any(re.search(r"\d,\d{1,2}(?!\d)", c) for c in cells), cells[:20]
    else:
        assert any(re.search(r"\d,\d", c) for c in cells)
        assert not any(re.search(r"\d\.\d", c) for c in cells), cells[:20]
    specs = html_specs(page)
    assert len(specs) == 6  # their number locale: test_every_chart_carries_its_languages_…
    if lang != "fi":
        rest = without(text, model_made(b, lang))
        assert not finnish_words(rest), (finnish_words(rest), rest[:3000])
        for cid, spec in specs.items():
            assert_speaks(spec, lang, cid)
        assert '"Kuvaa ei voitu piirtää:"' not in page  # the script's error text too


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), " ".join(p.extract_text() for p in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", pdf_report.clean(text))


@pytest.mark.parametrize("lang", ["fi", *TRANSLATED])
def test_pdf_export_in_each_language(brief_in, lang):
    b = brief_in(lang)
    pages, raw = pdf_text(export.pdf_bytes(b, "EXPORTED", lang=lang))
    assert pages == 1
    text = flat(raw)
    for heading in (*HEADINGS[lang], INDICATORS[lang]):
        assert heading in text, heading
    assert SOURCE[lang] in text
    with catalog.use(lang):  # the table's numbers, formatted in the language
        for row in briefing.table_rows(b.stories[0].rows, b.benchmark)[:5]:
            assert flat(row["95 %:n väli"]) in text and flat(row["Alue"]) in text
    interval = r"\d+\.\d+–\d+\.\d+" if lang == "en" else r"\d+,\d+–\d+,\d+"
    assert re.search(interval, text)
    assert "?" not in text  # every letter drawable: nothing became '?' in clean()
    if lang != "fi":
        rest = without(text, [flat(t) for t in model_made(b, lang)])
        assert not finnish_words(rest), (finnish_words(rest), rest[:3000])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pdf_texts_of_the_language_fit_the_core_font(lang):
    """Every text the PDF writes itself: Windows-1252 as it is (å, ä, ö, é, –, …)."""
    with catalog.use(lang):
        texts = [catalog._(head) for head, _w in pdf_report.COLUMNS]
        texts += [catalog._(t) for t in ("Keskeiset ilmiöt", "Vahvuudet", "Haasteet",
                                          "Indikaattorit", "Ei tilastollisesti selviä haasteita.",
                                          "Ei tilastollisesti selviä vahvuuksia.")]
        texts.append(charts.small_municipalities_note(["Äänekoski"]))
    for t in texts:
        assert pdf_report.clean(t) == t


@pytest.mark.parametrize("lang", TRANSLATED)
def test_slides_and_table_source_lines_speak_the_language(brief_in, lang):
    b = brief_in(lang)
    with catalog.use(lang):
        deck = slides.build_deck(b, date(2026, 3, 9))
        footers = [slides.slide_footer(b, s) for s in deck]
        line = table_files.source_line(["THL"], "BUILT", demo=True, what="X")
    own = []
    for s in deck:
        own += [s.heading, s.lead, *(label for label, _v in s.facts)]
        own += [t for p in s.points for t in (p.label, p.text)]
        own += [t for label, text in s.notes for t in (label, text)]
    closing = deck[-1]
    model = model_made(b, lang) + [r["name"] for st in b.stories for r in st.highlighted]
    # Sotkanet's texts the warehouse holds in Finnish only end with the " [fi]" marker:
    # a definition note is "<title> (Sotkanet id). <description> [fi] Method: …".
    fallback = re.compile(r"(?:^|(?<=\. ))[^\[]*?" + re.escape(names.FALLBACK_MARK.strip()))
    bad = [t for t in own if finnish_words(without(fallback.sub(" ", t), model))]
    assert not bad, bad
    for footer in footers:
        assert SOURCE[lang] in footer
        assert not finnish_words(without(footer, model)), footer
    assert [p.label for p in closing.points] == {
        "sv": ["Mål", "Åtgärder", "Samarbete", "Uppföljning"],
        "en": ["Goals", "Actions", "Cooperation", "Follow-up"]}[lang]
    assert "612/2021" in closing.lead
    assert line.startswith(SOURCE[lang]) and not finnish_words(line) and ";" not in line


# --- PNG, the worker thread of a download button, the command --------------------------------


def test_png_export_renders_in_swedish(brief_in):
    b = brief_in("sv")
    files = export.png_files(b, lang="sv")
    assert [name for name, _png in files][:2] == ["mental_wellbeing-kehitys.png",
                                                  "mental_wellbeing-kunnat.png"]
    assert all(png.startswith(PNG_MAGIC) and len(png) > 10_000 for _name, png in files)
    slide = next(s for s in slides.build_deck(b, date(2026, 3, 9)) if s.chart)
    assert export.slide_png(b, slide, lang="sv").startswith(PNG_MAGIC)


def test_a_file_made_on_another_thread_needs_its_language(brief_in):
    """Streamlit runs a download button's callable on a server thread, outside the session's
    language: without `lang` the file would be Finnish, so the buttons must pass it."""
    b = brief_in("sv")
    made = {}

    def worker():
        made["default"] = export.html_bytes(b, "X").decode("utf-8")
        made["sv"] = export.html_bytes(b, "X", lang="sv").decode("utf-8")
        made["pdf"] = pdf_text(export.pdf_bytes(b, "X", lang="sv"))[1]

    with catalog.use("sv"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert '<html lang="fi">' in made["default"]
    assert '<html lang="sv">' in made["sv"] and "Centrala iakttagelser" in made["sv"]
    assert "Centrala iakttagelser" in flat(made["pdf"])


def hyte(*args, warehouse, cwd=ROOT):
    env = {**os.environ, "HYTE_WAREHOUSE": str(warehouse)}
    return subprocess.run([sys.executable, "-m", "pipelines", "export", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_hyte_export_lang_sv(demo_warehouse, tmp_path):
    result = hyte("--lang", "sv", "--group", GROUP, "--format", "html", "--format", "pdf",
                  "--out", str(tmp_path), warehouse=demo_warehouse)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{GROUP}.html", f"{GROUP}.pdf"]
    page = (tmp_path / f"{GROUP}.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and "Centrala iakttagelser" in page
    assert SOURCE["sv"] in html_text(page)
    assert "Joutsa, Luhanka och Toivakka" in page  # the group's Swedish name from the warehouse
    pages, text = pdf_text((tmp_path / f"{GROUP}.pdf").read_bytes())
    text = flat(text)
    assert pages == 1 and "Centrala iakttagelser" in text and SOURCE["sv"] in text
    assert "Joutsa, Luhanka och Toivakka" in text


def test_hyte_export_unknown_lang_is_a_usage_error(demo_warehouse, tmp_path):
    out = tmp_path / "out"
    result = hyte("--lang", "xx", "--out", str(out), warehouse=demo_warehouse)
    assert result.returncode == 2
    assert "--lang" in result.stderr and all(f"'{c}'" in result.stderr
                                             for c in catalog.LANGUAGES)
    assert not out.exists()


def test_the_command_offers_exactly_the_catalogue_languages(demo_warehouse):
    result = hyte("--help", warehouse=demo_warehouse)
    assert result.returncode == 0
    assert "--lang {" + ",".join(catalog.LANGUAGES) + "}" in result.stdout
    assert "default: fi" in result.stdout


def test_export_groups_rejects_an_unknown_language(demo_warehouse, tmp_path):
    with pytest.raises(export.ExportError, match="unknown language 'de'; choose from fi, sv, en"):
        export.export_groups(demo_warehouse, [GROUP], ["pdf"], tmp_path, lang="de")
    assert not any(tmp_path.iterdir())


@pytest.mark.browser
@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_html_export_draws_every_chart_offline(brief_in, browser, tmp_path, lang):
    """The sv/en file in headless Chromium, networking off: six charts, no error text."""
    b = brief_in(lang)
    path = tmp_path / f"{GROUP}-{lang}.html"
    path.write_bytes(export.html_bytes(b, lang=lang))
    context = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file:") else route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelectorAll('.chart svg.marks').length >= 6",
                               timeout=30_000)
        assert page.evaluate("document.documentElement.lang") == lang
        body = page.inner_text("body")
        assert HEADINGS[lang][0] in body and SOURCE[lang] in body
        with catalog.use(lang):
            assert catalog._("Kuvaa ei voitu piirtää:") not in body
        svg_text = page.evaluate(
            "() => [...document.querySelectorAll('.chart svg text')].map(t => t.textContent)"
            ".join(' ')")
        assert {"sv": "Skuggning", "en": "Shading"}[lang] in svg_text
        assert not errors, errors
    finally:
        context.close()
