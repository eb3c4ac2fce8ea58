"""The group overview as one self-contained HTML file: opens with no server and no network.

Pure: a Briefing and the Vega JavaScript bundle in, a string out. Styles, data and the
Vega/Vega-Lite/vega-embed libraries are inlined (vl-convert ships the bundle offline);
every outside string goes through html.escape and the chart specs are JSON with '<', '>'
and '&' escaped, so no indicator name can close the script element. The page speaks the
current language: its texts are translated when it is rendered and `<html lang>` says which.
"""

from __future__ import annotations

import json
from html import escape

from dashboard.charts import base as charts
from dashboard.charts import overview as overview_charts
from dashboard.i18n.catalog import N_, _, current
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model import briefing
from dashboard.model.briefing import Briefing

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --line: #d9d9d9; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px;
       line-height: 1.45; }
h1 { font-size: 2.2rem; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.6rem; margin: 1.6em 0 0.4em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.15rem; margin: 0.6em 0 0.3em; }
.demo { background: #fff4c2; border: 1px solid #e6c200; padding: 10px 14px; font-weight: 600;
        border-radius: 6px; }
.facts { margin: 0; }
.facts dt { font-weight: 700; float: left; clear: left; width: 11em; }
.facts dd { margin: 0 0 0.2em 11em; }
.method { color: var(--muted); font-size: 0.95rem; }
.phenomena { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.phenomena section { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; }
.phenomena ul { padding-left: 1.1em; margin: 0.2em 0 0.6em; }
.strength::marker { color: #2166ac; }
.challenge::marker, .worsening::marker { color: #d55e00; }
.none { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.4em 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; }
.chart { margin: 12px 0 20px; overflow-x: auto; }
.note { color: var(--muted); font-size: 0.9rem; }
footer { margin-top: 36px; border-top: 1px solid var(--line); padding-top: 8px;
         color: var(--muted); font-size: 0.9rem; }
@media print { .chart { break-inside: avoid; } h2 { break-before: auto; } }
"""
# The room site's link back into the live dashboard, at the top of its pages.
LIVE_CSS = """
.live { margin: 0 0 12px; } .live a { font-weight: 600; color: #0b5394; }
.chart svg { max-width: 100%; height: auto; }
@media (max-width: 700px) { body { padding: 12px; } .phenomena { grid-template-columns: 1fr; }
  .facts dt { float: none; width: auto; } .facts dd { margin-left: 0; }
  table { display: block; overflow-x: auto; } }
"""
# briefing.TABLE_HEADERS are the table's keys (Finnish); their display text is _(header).
NUMERIC = {"Vuosi", "Ryhmä", "95 %:n väli", "Alue", "Koko maa"}
PRODUCT = N_("HYTE-tilannekuva")  # the dashboard's name; translated where shown
TEXT_ON = {"better": "#ffffff"}


def chart_specs(b: Briefing) -> list[tuple[str, str, dict]]:
    """(element id, caption, spec) of every chart: per priority the trends and the members."""
    out = []
    # The area's name; the group and country labels are the charts' own, translated.
    labels = {"area": b.area_name}
    for story in b.stories:
        if story.rows.empty:
            continue
        members = b.sit.members[b.sit.members["indicator_id"].isin(story.rows["indicator_id"])]
        trend = _("{priority}: kehitys", priority=story.name)
        spread = _("{priority}: kunnat vertailussa", priority=story.name)
        out.append((f"trend-{story.priority}", trend,
                    charts.scaled_spec(overview_charts.trend_small_multiples(
                        b.sit.series, story.rows, labels, title=trend), 1.0)))
        out.append((f"members-{story.priority}", spread,
                    charts.scaled_spec(overview_charts.member_dots(
                        members, story.rows, b.benchmark_name, benchmark=b.benchmark,
                        title=spread), 1.0)))
    return out


def with_source(spec: dict, b: Briefing) -> dict:
    """The chart's subtitle names source, build and demo status: a copied chart keeps them."""
    spec = dict(spec)
    title = spec.get("title")
    title = dict(title) if isinstance(title, dict) else {"text": title or ""}
    sub = title.get("subtitle") or []
    sub = [sub] if isinstance(sub, str) else list(sub)
    line = source_line() + " " + _("Tietovarasto koottu: {built}.", built=b.stamp.built_at)
    if b.is_demo:
        line += " " + _("DEMOAINEISTO, luvut eivät ole todellisia.")
    title["subtitle"] = sub + [line]
    spec["title"] = title
    return spec


def script_json(value) -> str:
    """JSON safe inside a <script>: no `</script>`, no HTML entity can end or change it."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))


def _table(rows: list[dict]) -> str:
    head = "".join(f"<th>{escape(_(h))}</th>" for h in briefing.TABLE_HEADERS)
    body = []
    for r in rows:
        cells = []
        for h in briefing.TABLE_HEADERS:
            key = {"vs. alue": "_area", "vs. maa": "_country"}.get(h)
            style = ""
            if key:
                outcome = r[key]
                style = (f' style="background:{charts.OUTCOME_COLORS.get(outcome, "#fff")};'
                         f'color:{TEXT_ON.get(outcome, "#111")}"')
            cls = ' class="num"' if h in NUMERIC else ""
            cells.append(f"<td{cls}{style}>{escape(str(r[h]))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _small_members(rows) -> list[str]:
    """The priority's small member municipalities, named once (the note under its table)."""
    names = set()
    for text in rows["small_members"] if "small_members" in rows else ():
        if isinstance(text, str) and text:
            names.update(n.strip() for n in text.split(","))
    return sorted(names)


def _challenge_tone(row: dict) -> str:
    return "worsening" if row["trend"] == "worsening" else "challenge"


def _points(b: Briefing, rows: list[dict], tone_of) -> str:
    return "".join(f'<li class="{tone_of(r)}">{escape(b.sentence(r))}</li>' for r in rows)


def render(b: Briefing, js_bundle: str, exported_at: str, *,
           svgs: dict[str, str] | None = None, live_link: tuple[str, str] | None = None) -> str:
    """The whole document. `js_bundle`: vl_convert.javascript_bundle(); `exported_at`: text.

    The room site's pages (reports.room_site) pass `svgs` (element id -> the chart drawn
    beforehand as SVG by vl-convert): no script at all then, so a phone draws nothing; and
    `live_link` (href, text), the way back into the live dashboard.
    """
    specs = [(cid, cap, with_source(spec, b)) for cid, cap, spec in chart_specs(b)]
    parts = []
    if live_link is not None:
        parts.append(f'<p class="live"><a href="{escape(live_link[0])}">'
                     f"{escape(live_link[1])}</a></p>")
    if b.is_demo:
        parts.append(f'<p class="demo">{escape(demo_banner())}</p>')
    parts.append(f"<h1>{escape(b.group_name)}</h1>")
    facts = [(_("Kunnat"), ", ".join(b.members)), (_("Väestö"), b.population_text()),
             (_("Tiedot vuosilta"), b.vintage_text() or "–"),
             (_("Tietovarasto koottu"), b.stamp.built_at), (_("Tiedosto tehty"), exported_at)]
    parts.append('<dl class="facts">' + "".join(
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>")
    parts.append(f'<p class="method">{escape(briefing.method_note(b)[1])} '
                 + escape(_("Värit: sininen parempi, keltainen samaa tasoa, oranssi heikompi, "
                            "violetti korkeampi/matalampi (ei hyvä–huono-suuntaa), harmaa ei "
                            "verrattu.")) + "</p>")

    parts.append(f"<h2>{escape(_('Keskeiset ilmiöt'))}</h2><div class=\"phenomena\">")
    for story in b.stories:
        parts.append(f"<section><h3>{escape(story.name)}</h3>"
                     f"<strong>{escape(_('Vahvuudet'))}</strong>")
        parts.append(f"<ul>{_points(b, story.strengths, lambda r: 'strength')}</ul>"
                     if story.strengths else
                     f'<p class="none">{escape(_("Ei tilastollisesti selviä vahvuuksia."))}</p>')
        parts.append(f"<strong>{escape(_('Haasteet'))}</strong>")
        parts.append(f"<ul>{_points(b, story.challenges, _challenge_tone)}</ul>"
                     if story.challenges else
                     f'<p class="none">{escape(_("Ei tilastollisesti selviä haasteita."))}</p>')
        parts.append("</section>")
    parts.append("</div>")

    chart_ids = {cid for cid, _cap, _spec in specs}
    for story in b.stories:
        if story.rows.empty:
            continue
        parts.append(f"<h2>{escape(story.name)}</h2>")
        parts.append(_table(briefing.table_rows(story.rows, b.benchmark)))
        note = _("Alue = {benchmark}. Luvut indikaattorin omassa yksikössä. Värit: 95 %:n "
                 "luottamusvälin vertailu.", benchmark=b.benchmark_name)
        smalls = _small_members(story.rows)
        if smalls:
            note += " " + charts.small_municipalities_note(smalls)
        parts.append(f'<p class="note">{escape(note)}</p>')
        for kind in ("trend", "members"):
            cid = f"{kind}-{story.priority}"
            if cid in chart_ids:
                parts.append(f'<div class="chart" id="{cid}" role="img" '
                             f'aria-label="{escape(story.name)}">'
                             f"{(svgs or {}).get(cid, '')}</div>")

    made = _("Tiedosto tehty {exported} ({product}).", exported=exported_at, product=_(PRODUCT))
    parts.append("<footer>" + "<br>".join(escape(line) for line in b.stamp.lines())
                 + f"<br>{escape(made)}</footer>")
    title = f"{b.group_name} – {_(PRODUCT)}"
    head = (f"<!DOCTYPE html>\n<html lang=\"{escape(current())}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title>"
            f"<style>{CSS}{LIVE_CSS if live_link else ''}</style>")
    if svgs is not None:
        return head + "</head><body>" + "\n".join(parts) + "</body></html>\n"
    payload = script_json({cid: spec for cid, _cap, spec in specs})
    failed = script_json(_("Kuvaa ei voitu piirtää:"))
    script = ("const failed = " + failed + ";\n"
              "const specs = " + payload + ";\n"
              "for (const [id, spec] of Object.entries(specs)) {\n"
              "  vegaEmbed('#' + id, spec, {renderer: 'svg', actions: false})\n"
              "    .catch(err => { document.getElementById(id).textContent = "
              "failed + ' ' + err; });\n}\n")
    return (head + f"<script>{js_bundle}</script></head><body>"
            + "\n".join(parts)
            + f"<script>{script}</script></body></html>\n")
