"""The municipality card as one self-contained HTML file: opens with no server and no network.

Pure: a kuntakortti.Card and the Vega JavaScript bundle in, a string out, like
reports.html_page: styles, data and Vega/Vega-Lite/vega-embed inlined; every outside string
through html.escape; the chart specs are JSON with '<', '>' and '&' escaped. The page holds
what the screen card holds: the header, the strengths and challenges, and per priority the
card's row chart and the table of every number with the indicators' whole names.
"""

from __future__ import annotations

from html import escape

from dashboard.charts import base as charts
from dashboard.charts import kuntakortti as card_charts
from dashboard.i18n.catalog import _, current, outcome_name, trend_name
from dashboard.i18n.formatting import interval
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model.kuntakortti import Card
from dashboard.reports import html_page

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --line: #d9d9d9; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px;
       line-height: 1.45; }
h1 { font-size: 2.2rem; margin: 0.2em 0 0; }
.kind { color: var(--muted); font-size: 1.05rem; margin: 0 0 0.6em; }
h2 { font-size: 1.5rem; margin: 1.4em 0 0.4em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0.5em 0 0.3em; }
.demo { background: #fff4c2; border: 1px solid #e6c200; padding: 10px 14px; font-weight: 600;
        border-radius: 6px; }
.facts { margin: 0; }
.facts dt { font-weight: 700; float: left; clear: left; width: 12em; }
.facts dd { margin: 0 0 0.2em 12em; }
.note { color: var(--muted); font-size: 0.95rem; }
.phenomena { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.phenomena section { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
.phenomena ul { padding-left: 1.1em; margin: 0.2em 0 0.6em; }
.strength::marker { color: #2166ac; }
.challenge::marker, .worsening::marker { color: #d55e00; }
.none { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 0.4em 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; }
.chart { margin: 10px 0 8px; overflow-x: auto; }
details { margin: 0 0 16px; }
footer { margin-top: 36px; border-top: 1px solid var(--line); padding-top: 8px;
         color: var(--muted); font-size: 0.9rem; }
@media print { .chart { break-inside: avoid; } }
"""
TEXT_ON = {"better": "#ffffff"}
LIVE_CSS = html_page.LIVE_CSS


def chart_specs(card: Card) -> list[tuple[str, str, dict]]:
    """(element id, caption, spec) of each section's chart, each naming the source."""
    out = []
    for priority, spec in card_charts.card_charts(card):
        section = next(s for s in card.sections if s.priority == priority)
        out.append((f"card-{priority}", section.name, with_source(spec, card)))
    return out


def with_source(spec: dict, card: Card) -> dict:
    """The chart's subtitle names source, build and demo status: a copied chart keeps them."""
    spec = dict(spec)
    title = dict(spec.get("title") or {})
    sub = title.get("subtitle") or []
    sub = [sub] if isinstance(sub, str) else list(sub)
    line = source_line() + " " + _("Tietovarasto koottu: {built}.", built=card.stamp.built_at)
    if card.is_demo:
        line += " " + _("DEMOAINEISTO, luvut eivät ole todellisia.")
    title["subtitle"] = sub + [line]
    spec["title"] = title
    return spec


def table_headers(card: Card) -> list[str]:
    area = _("Muu alue") if card.uses_rest else _("Alue")
    return [_("Indikaattori"), _("Vuosi"), _("Arvo"), _("95 %:n väli"), area,
            card_charts.benchmark_word(card), _("Koko maa"), _("vs. koko maa"), _("Kehitys"),
            _("Sija alueen kunnista"), _("Alueen kunnat (pienin–suurin)")]


def table_cells(card: Card, row) -> list[tuple[str, str | None, bool]]:
    """(text, outcome to colour by or None, numeric) per column of table_headers."""
    span = ("–" if not row.has_value or row.county_min != row.county_min
            else interval(row.county_min, row.county_max, row.decimals))
    return [(row.name, None, False), (row.year_text(), None, True),
            (row.value_text(), None, True), (row.interval_text(), None, True),
            (row.benchmark_text(), None, True), (outcome_name(row.outcome_area),
                                                 row.outcome_area, False),
            (row.country_text(), None, True), (outcome_name(row.outcome_country),
                                               row.outcome_country, False),
            (trend_name(row.trend), None, False), (row.rank_text(), None, True),
            (span, None, True)]


def _table(card: Card, rows) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table_headers(card))
    body = []
    for row in rows:
        cells = []
        for text, outcome, numeric in table_cells(card, row):
            style = ""
            if outcome is not None:
                key = outcome if outcome in charts.OUTCOME_COLORS else "not_compared"
                style = (f' style="background:{charts.OUTCOME_COLORS[key]};'
                         f'color:{TEXT_ON.get(key, "#111")}"')
            cls = ' class="num"' if numeric else ""
            cells.append(f"<td{cls}{style}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figures(card: Card) -> list[tuple[str, str]]:
    """The header's figures: population, dependency ratio, the age shares the catalogue has."""
    out = [(_("Väestö"), card.population_text()), (_("Huoltosuhde"), card.dependency.text())]
    for age in card.ages:
        out.append((_("{band}-vuotiaat", band=age.label), age.text()))
    return out


def facts(card: Card) -> list[tuple[str, str]]:
    """The header's label/value pairs (the page shows the same figures)."""
    out = [(_("Kuntanumero"), card.code)]
    if card.group_name:
        out.append((_("Neuvotteluryhmä"), card.group_name))
    return out + figures(card) + [(_("Tiedot vuosilta"), card.vintage_text() or "–")]


def ngo_section(card: Card) -> list[str]:
    """The NGO survey's suppressed counts for the municipality (no free text), or nothing."""
    p = card.ngo
    if p is None:
        return []
    out = ["<h2>" + escape(_("Järjestöt kunnassa")) + "</h2>",
           f"<p>{escape(p.headline())}</p>"]
    if p.shown:
        rows = "".join(
            f"<tr><td>{escape(kind)}</td><td>{escape(r['label'])}</td>"
            f'<td class="num">{escape(r["text"])}</td></tr>'
            for kind, frame in ((_("Toimintamuoto"), p.activities), (_("Kohderyhmä"), p.targets))
            for r in frame.to_dict("records"))
        out.append("<details><summary>" + escape(_("Toimintamuodot ja kohderyhmät"))
                   + "</summary><table><thead><tr><th>" + escape(_("Aihe")) + "</th><th>"
                   + escape(_("Luokka")) + "</th><th>" + escape(_("Järjestöjä"))
                   + f"</th></tr></thead><tbody>{rows}</tbody></table></details>")
    out.append(f'<p class="note">{escape(p.source())}</p>')
    return out


def render(card: Card, js_bundle: str, exported_at: str, *,
           svgs: dict[str, str] | None = None, live_link: tuple[str, str] | None = None) -> str:
    """The whole document. `js_bundle`: vl_convert.javascript_bundle().

    The room site (reports.room_site) passes `svgs` (element id -> the chart as SVG, drawn
    beforehand): the page then has no script; and `live_link` (href, text) back into the app.
    """
    specs = chart_specs(card)
    parts = []
    if live_link is not None:
        parts.append(f'<p class="live"><a href="{escape(live_link[0])}">'
                     f"{escape(live_link[1])}</a></p>")
    if card.is_demo:
        parts.append(f'<p class="demo">{escape(demo_banner())}</p>')
    parts.append(f"<h1>{escape(card.name)}</h1>")
    parts.append('<p class="kind">' + escape(_("Kuntakortti")) + "</p>")
    parts.append('<dl class="facts">' + "".join(
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in
        facts(card) + [(_("Tietovarasto koottu"), card.stamp.built_at),
                       (_("Tiedosto tehty"), exported_at)]) + "</dl>")
    notes = [card.comparison_text(), card.small_text(), card.age_missing_text()]
    parts.append(f'<p class="note">{escape(" ".join(n for n in notes if n))}</p>')

    parts.append("<h2>" + escape(_("Vahvuudet ja haasteet")) + '</h2><div class="phenomena">')
    for section in card.sections:
        if section.priority == "context":
            continue
        parts.append(f"<section><h3>{escape(section.name)}</h3>"
                     + "<strong>" + escape(_("Vahvuudet")) + "</strong>")
        if section.strengths:
            parts.append("<ul>" + "".join(f'<li class="strength">{escape(card.sentence(r))}</li>'
                                          for r in section.strengths) + "</ul>")
        else:
            parts.append('<p class="none">' + escape(_("Ei tilastollisesti selviä vahvuuksia."))
                         + "</p>")
        parts.append("<strong>" + escape(_("Haasteet")) + "</strong>")
        if section.challenges:
            parts.append("<ul>" + "".join(
                f'<li class="{"worsening" if r["trend"] == "worsening" else "challenge"}">'
                f"{escape(card.sentence(r))}</li>" for r in section.challenges) + "</ul>")
        else:
            parts.append('<p class="none">' + escape(_("Ei tilastollisesti selviä haasteita."))
                         + "</p>")
        parts.append("</section>")
    parts.append("</div>")

    ids = {cid for cid, _cap, _spec in specs}
    for section in card.sections:
        if not section.rows:
            continue
        cid = f"card-{section.priority}"
        parts.append(f"<h2>{escape(section.name)}</h2>")
        if cid in ids:
            parts.append(f'<div class="chart" id="{cid}" role="img" '
                         f'aria-label="{escape(section.name)}">'
                         f"{(svgs or {}).get(cid, '')}</div>")
        parts.append("<details><summary>" + escape(_("Taulukko: kaikki luvut")) + "</summary>"
                     + _table(card, section.rows) + "</details>")

    parts += ngo_section(card)

    parts.append("<footer>" + "<br>".join(escape(line) for line in card.stamp.lines())
                 + "<br>" + escape(_("Tiedosto tehty {exported} (HYTE-tilannekuva).",
                                     exported=exported_at)) + "</footer>")
    title = _("{name} – kuntakortti", name=card.name)
    head = (f"<!DOCTYPE html>\n<html lang=\"{current()}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{CSS}{LIVE_CSS if live_link else ''}</style>")
    if svgs is not None:
        return head + "</head><body>" + "\n".join(parts) + "</body></html>\n"
    payload = html_page.script_json({cid: spec for cid, _cap, spec in specs})
    failed = html_page.script_json(_("Kuvaa ei voitu piirtää: "))
    script = ("const specs = " + payload + ";\n"
              "for (const [id, spec] of Object.entries(specs)) {\n"
              "  vegaEmbed('#' + id, spec, {renderer: 'svg', actions: false})\n"
              "    .catch(err => { document.getElementById(id).textContent = "
              f"{failed} + err; }});\n}}\n")
    return (head + f"<script>{js_bundle}</script></head><body>"
            + "\n".join(parts)
            + f"<script>{script}</script></body></html>\n")
