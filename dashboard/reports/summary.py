"""Yhteenveto: the wellbeing unit's compilation of one round's group negotiations.

Pure (no Streamlit): a Summary in (the round's records with their follow-up rows), files
out: an editable Word document (python-docx), a printable PDF (fpdf2), a self-contained
HTML page, and CSV/Parquet tables of goals, actions and indicators for analysts (through
reports.tables, with the source line). Every text typed into the record is escaped for the
file's own syntax (html.escape; Word and PDF take text, not markup).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

import pandas as pd
from docx import Document
from docx.shared import Pt
from fpdf import FPDF

from dashboard.i18n.catalog import PRIORITY_ORDER, _, outcome_name, priority_name
from dashboard.i18n.formatting import day
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model.followup import verdict_name
from dashboard.records import schema
from dashboard.reports import followup as follow
from dashboard.reports import tables
from dashboard.reports.pdf_page import clean as pdf_text

PRIORITIES = PRIORITY_ORDER[:3]
W = schema


@dataclass
class GroupRecord:
    group_id: str
    group_name: str
    record: dict
    rows: list[dict]  # reports.followup.indicator_rows of the record


@dataclass
class Summary:
    round_year: int
    groups: list[GroupRecord]
    is_demo: bool = False
    built_at: str = ""
    exported_at: str = ""
    missing: list[str] = field(default_factory=list)  # group names without a record

    def title(self) -> str:
        return _("HYTE-neuvottelut {year}: yhteenveto", year=self.round_year)

    def stamp_lines(self) -> list[str]:
        lines = [
            source_line(),
            _(
                "Seurannan luvut: tietovarasto koottu {built}. Tiedosto tehty {exported}.",
                built=self.built_at or "–",
                exported=self.exported_at or "–",
            ),
        ]
        if self.is_demo:
            lines.append(demo_banner())
        return lines

    def any_demo(self) -> bool:
        return self.is_demo or any(g.record.get("is_demo") for g in self.groups)


# --- the three tables -------------------------------------------------------------------------


def goals_table(s: Summary) -> pd.DataFrame:
    out = []
    for g in s.groups:
        for goal in g.record["goals"]:
            out.append(
                {
                    _("Kuntaryhmä"): g.group_name,
                    _("Kierros"): s.round_year,
                    _("Painopiste"): priority_name(goal["priority"]),
                    _("Tavoite"): goal["text"],
                    _("Seurantaindikaattoreita"): len(goal["indicators"]),
                    _("Toimenpiteitä"): len(goal["actions"]),
                }
            )
    return pd.DataFrame(
        out,
        columns=[
            _("Kuntaryhmä"),
            _("Kierros"),
            _("Painopiste"),
            _("Tavoite"),
            _("Seurantaindikaattoreita"),
            _("Toimenpiteitä"),
        ],
    )


def actions_table(s: Summary) -> pd.DataFrame:
    cols = [
        _("Kuntaryhmä"),
        _("Kierros"),
        _("Painopiste"),
        _("Tavoite"),
        _("Toimenpide"),
        _("Vastuutaho"),
        _("Vastuutahon nimi"),
        _("Resurssit"),
        _("Teemat"),
        _("Aikataulu"),
        _("Tila"),
        _("Tilan kommentti"),
        _("Tilan päivämäärä"),
        _("Yhteistyökumppanit"),
    ]
    out = []
    for g in s.groups:
        for goal in g.record["goals"]:
            for a in goal["actions"]:
                out.append(
                    dict(
                        zip(
                            cols,
                            [
                                g.group_name,
                                s.round_year,
                                priority_name(goal["priority"]),
                                goal["text"],
                                a["text"],
                                W.name(W.RESPONSIBLE_KINDS, a["responsible_kind"]),
                                a["responsible_name"],
                                a["resources"],
                                ", ".join(W.name(W.THEMES, t) for t in a["themes"]),
                                a["time_frame"],
                                W.name(W.STATUSES, a["status"]),
                                a["status_comment"],
                                a["status_date"] or "",
                                "; ".join(
                                    f"{p['organisation']} ({W.name(W.PARTNER_KINDS, p['kind'])})"
                                    for p in a["partners"]
                                ),
                            ],
                            strict=True,
                        )
                    )
                )
    return pd.DataFrame(out, columns=cols)


def indicators_table(s: Summary) -> pd.DataFrame:
    cols = [
        _("Kuntaryhmä"),
        _("Kierros"),
        _("Painopiste"),
        _("Tavoite"),
        _("Indikaattori (id)"),
        _("Indikaattori"),
        _("Tavoiteltu suunta"),
        _("Tavoitearvo"),
        _("Lähtötason vuosi"),
        _("Lähtötaso"),
        _("Lähtötaso, alaraja"),
        _("Lähtötaso, yläraja"),
        _("Uusin vuosi"),
        _("Uusin arvo"),
        _("Uusin, alaraja"),
        _("Uusin, yläraja"),
        _("Muutos"),
        _("Vertailu lähtötasoon"),
        _("Arvio"),
    ]
    out = []
    for g in s.groups:
        for r in g.rows:
            out.append(
                dict(
                    zip(
                        cols,
                        [
                            g.group_name,
                            s.round_year,
                            priority_name(r["priority"]),
                            r["goal"],
                            r["indicator_id"],
                            r["indicator"],
                            follow.intent_text(r),
                            r["target"],
                            r["baseline_year"],
                            r["baseline_value"],
                            r["baseline_lo"],
                            r["baseline_hi"],
                            r["latest_year"],
                            r["latest_value"],
                            r["latest_lo"],
                            r["latest_hi"],
                            r["change"],
                            outcome_name(r["outcome"]),
                            verdict_name(r["verdict"]),
                        ],
                        strict=True,
                    )
                )
            )
    frame = pd.DataFrame(out, columns=cols)
    for c in (
        _("Tavoitearvo"),
        _("Lähtötaso"),
        _("Lähtötaso, alaraja"),
        _("Lähtötaso, yläraja"),
        _("Uusin arvo"),
        _("Uusin, alaraja"),
        _("Uusin, yläraja"),
        _("Muutos"),
    ):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    for c in (_("Lähtötason vuosi"), _("Uusin vuosi")):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("Int64")
    # Rounded to the decimals the indicator is shown with (the files hold what people read).
    decimals = [int(r["decimals"]) for g in s.groups for r in g.rows]
    return (
        tables.rounded(
            frame,
            {
                c: decimals
                for c in (
                    _("Tavoitearvo"),
                    _("Lähtötaso"),
                    _("Lähtötaso, alaraja"),
                    _("Lähtötaso, yläraja"),
                    _("Uusin arvo"),
                    _("Uusin, alaraja"),
                    _("Uusin, yläraja"),
                    _("Muutos"),
                )
            },
        )
        if len(frame)
        else frame
    )


TABLES = {"tavoitteet": goals_table, "toimenpiteet": actions_table, "indikaattorit": indicators_table}


def table_source(s: Summary) -> str:
    return tables.source_line(
        [],
        s.built_at,
        s.any_demo(),
        what=_("HYTE-neuvottelujen kirjaukset, kierros {year}", year=s.round_year),
    )


def table_files(s: Summary) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the three tables as CSV and Parquet."""
    out = []
    source = table_source(s)
    for stem, build in TABLES.items():
        frame = build(s)
        out.append((f"yhteenveto-{s.round_year}-{stem}.csv", tables.csv_bytes(frame, source)))
        out.append((f"yhteenveto-{s.round_year}-{stem}.parquet", tables.parquet_bytes(frame, source)))
    return out


# --- the document's content, once for every format --------------------------------------------


def participants_text(record: dict) -> str:
    parts = [
        f"{W.name(W.PARTICIPANT_KINDS, p['kind'])} {p['count']}" + (f" ({p['names']})" if p["names"] else "")
        for p in record["participants"]
    ]
    return ", ".join(parts) or "–"


def record_facts(record: dict) -> list[tuple[str, str]]:
    return [
        (_("Päivämäärä"), day(record["held_on"]) if record["held_on"] else "–"),
        (_("Paikka"), record["place"] or "–"),
        (_("Osallistujat"), participants_text(record)),
    ]


def action_line(a: dict) -> str:
    who = W.name(W.RESPONSIBLE_KINDS, a["responsible_kind"]) + (
        f": {a['responsible_name']}" if a["responsible_name"] else ""
    )
    text = _(
        "{action} – vastuu: {who}; tila: {status}",
        action=a["text"],
        who=who,
        status=W.name(W.STATUSES, a["status"]),
    )
    if a["status_comment"]:
        text += f" ({a['status_comment']})"
    if a["partners"]:
        text += "; " + _(
            "yhteistyö: {partners}", partners=", ".join(p["organisation"] for p in a["partners"])
        )
    return text


def partner_index(s: Summary) -> list[tuple[str, str, list[str]]]:
    """(organisation, kind, groups): who works with whom across groups."""
    found: dict[tuple[str, str], set[str]] = {}
    for g in s.groups:
        for goal in g.record["goals"]:
            for a in goal["actions"]:
                for p in a["partners"]:
                    found.setdefault((p["organisation"], p["kind"]), set()).add(g.group_name)
    return [
        (org, W.name(W.PARTNER_KINDS, kind), sorted(groups))
        for (org, kind), groups in sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))
    ]


def status_overview(s: Summary) -> list[tuple[str, dict[str, int]]]:
    return [(g.group_name, follow.status_counts(g.record)) for g in s.groups]


# --- Word -------------------------------------------------------------------------------------


def docx_bytes(s: Summary) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = s.title()
    doc.core_properties.author = "HYTE-tilannekuva"
    doc.add_heading(s.title(), 0)
    if s.any_demo():
        doc.add_paragraph(demo_banner()).runs[0].bold = True
    doc.add_paragraph(
        _(
            "Hyvinvointialueen ja kuntien HYTE-neuvottelut (laki 612/2021 7 §): tavoitteet, "
            "toimenpiteet, yhteistyö ja seuranta ryhmittäin. Seuranta vertaa kunkin "
            "seurantaindikaattorin uusinta arvoa neuvottelussa kirjattuun lähtötasoon."
        )
    )
    if s.missing:
        doc.add_paragraph(_("Ei kirjausta: {groups}.", groups=", ".join(s.missing)))
    doc.add_heading(_("Toimenpiteiden tila ryhmittäin"), 1)
    table = doc.add_table(rows=1, cols=1 + len(W.STATUSES))
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text = _("Kuntaryhmä")
    for i, k in enumerate(W.STATUSES, start=1):
        table.rows[0].cells[i].text = W.name(W.STATUSES, k)
    for name, counts in status_overview(s):
        cells = table.add_row().cells
        cells[0].text = name
        for i, k in enumerate(W.STATUSES, start=1):
            cells[i].text = str(counts.get(k, 0))
    for g in s.groups:
        doc.add_heading(g.group_name, 1)
        for label, value in record_facts(g.record):
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
        if g.record["notes"]:
            doc.add_paragraph(g.record["notes"])
        for priority in PRIORITIES:
            goals = [x for x in g.record["goals"] if x["priority"] == priority]
            if not goals:
                continue
            doc.add_heading(priority_name(priority), 2)
            for goal in goals:
                p = doc.add_paragraph()
                p.add_run(_("Tavoite: ")).bold = True
                p.add_run(goal["text"])
                rows = [r for r in g.rows if r["goal_id"] == goal["id"]]
                if rows:
                    t = doc.add_table(rows=1, cols=4)
                    t.style = "Light Grid Accent 1"
                    for cell, text in zip(
                        t.rows[0].cells,
                        (_("Seurantaindikaattori"), _("Tavoite"), _("Lähtötaso → uusin"), _("Arvio")),
                        strict=True,
                    ):
                        cell.text = text
                    for r in rows:
                        cells = t.add_row().cells
                        cells[0].text = r["indicator"]
                        cells[1].text = follow.intent_text(r)
                        cells[2].text = follow.change_text(r)
                        cells[3].text = verdict_name(r["verdict"])
                for a in goal["actions"]:
                    doc.add_paragraph(action_line(a), style="List Bullet")
    partners = partner_index(s)
    if partners:
        doc.add_heading(_("Yhteistyökumppanit ryhmien yli"), 1)
        for org, kind, groups in partners:
            doc.add_paragraph(
                _("{organisation} ({kind}): {groups}", organisation=org, kind=kind, groups=", ".join(groups)),
                style="List Bullet",
            )
    for line in s.stamp_lines():
        para = doc.add_paragraph(line)
        para.runs[0].font.size = Pt(8)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- HTML -------------------------------------------------------------------------------------

CSS = """body{font-family:"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:1000px;margin:0 auto;
padding:24px 32px;color:#1b1b1b;line-height:1.45}h1{font-size:2rem}h2{border-bottom:2px solid #d9d9d9;
margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.4em 0 .8em;font-size:.92rem}
th,td{border-bottom:1px solid #d9d9d9;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.demo{background:#fff4c2;border:1px solid #e6c200;padding:8px 12px;font-weight:600}
footer{margin-top:32px;color:#555;font-size:.88rem;border-top:1px solid #d9d9d9;padding-top:8px}"""


def html_text(s: Summary) -> str:
    e = escape
    out = [
        f'<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>{e(s.title())}</title>'
        f"<style>{CSS}</style></head><body><h1>{e(s.title())}</h1>"
    ]
    if s.any_demo():
        out.append(f'<p class="demo">{e(demo_banner())}</p>')
    if s.missing:
        out.append(f"<p>{e(_('Ei kirjausta: {groups}.', groups=', '.join(s.missing)))}</p>")
    out.append(
        f"<h2>{e(_('Toimenpiteiden tila ryhmittäin'))}</h2><table><tr><th>{e(_('Kuntaryhmä'))}</th>"
        + "".join(f"<th>{e(W.name(W.STATUSES, k))}</th>" for k in W.STATUSES)
        + "</tr>"
    )
    for name, counts in status_overview(s):
        out.append(
            f"<tr><td>{e(name)}</td>" + "".join(f"<td>{counts.get(k, 0)}</td>" for k in W.STATUSES) + "</tr>"
        )
    out.append("</table>")
    for g in s.groups:
        out.append(
            f"<h2>{e(g.group_name)}</h2><p>"
            + "<br>".join(f"<b>{e(label)}:</b> {e(value)}" for label, value in record_facts(g.record))
            + "</p>"
        )
        if g.record["notes"]:
            out.append(f"<p>{e(g.record['notes'])}</p>")
        for priority in PRIORITIES:
            goals = [x for x in g.record["goals"] if x["priority"] == priority]
            if not goals:
                continue
            out.append(f"<h3>{e(priority_name(priority))}</h3>")
            for goal in goals:
                out.append(f"<p><b>{e(_('Tavoite:'))}</b> {e(goal['text'])}</p>")
                rows = [r for r in g.rows if r["goal_id"] == goal["id"]]
                if rows:
                    out.append(
                        "<table><tr>"
                        + "".join(
                            f"<th>{e(h)}</th>"
                            for h in (
                                _("Seurantaindikaattori"),
                                _("Tavoite"),
                                _("Lähtötaso → uusin"),
                                _("Arvio"),
                            )
                        )
                        + "</tr>"
                    )
                    for r in rows:
                        out.append(
                            "<tr>"
                            + "".join(
                                f"<td>{e(t)}</td>"
                                for t in (
                                    r["indicator"],
                                    follow.intent_text(r),
                                    follow.change_text(r),
                                    verdict_name(r["verdict"]),
                                )
                            )
                            + "</tr>"
                        )
                    out.append("</table>")
                if goal["actions"]:
                    out.append(
                        "<ul>" + "".join(f"<li>{e(action_line(a))}</li>" for a in goal["actions"]) + "</ul>"
                    )
    partners = partner_index(s)
    if partners:
        out.append(f"<h2>{e(_('Yhteistyökumppanit ryhmien yli'))}</h2><ul>")
        out += [
            "<li>" + e(_("{organisation} ({kind}): {groups}", organisation=o, kind=k, groups=", ".join(gs)))
            + "</li>"
            for o, k, gs in partners
        ]
        out.append("</ul>")
    out.append("<footer>" + "<br>".join(e(line) for line in s.stamp_lines()) + "</footer></body></html>")
    return "".join(out)


# --- PDF --------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.footer_text = footer_text
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 7)
        self.set_text_color(90, 90, 90)
        self.multi_cell(0, 3.2, pdf_text(f"{self.footer_text}  ·  {self.page_no()}"), align="L")

    def para(self, text: str, size: float = 10, style: str = "", gap: float = 1.5, indent: float = 0):
        self.set_font("Helvetica", style, size)
        self.set_text_color(27, 27, 27)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * 0.48, pdf_text(text), align="L")
        self.ln(gap)


def pdf_bytes(s: Summary) -> bytes:
    pdf = _Pdf(" ".join(s.stamp_lines()[:1]) + (" DEMOAINEISTO." if s.any_demo() else ""))
    pdf.set_title(pdf_text(s.title()))
    pdf.set_author("HYTE-tilannekuva")
    pdf.add_page()
    pdf.para(s.title(), 18, "B", 3)
    if s.any_demo():
        pdf.para(demo_banner(), 9, "B", 2)
    if s.missing:
        pdf.para(_("Ei kirjausta: {groups}.", groups=", ".join(s.missing)), 9)
    pdf.para(_("Toimenpiteiden tila ryhmittäin"), 13, "B", 1)
    for name, counts in status_overview(s):
        pdf.para(
            f"{name}: " + ", ".join(f"{W.name(W.STATUSES, k)} {n}" for k, n in counts.items()), 9, gap=0.5
        )
    for g in s.groups:
        pdf.ln(3)
        if pdf.get_y() > pdf.h - 60:  # a group's heading never stands alone at a page's foot
            pdf.add_page()
        pdf.para(g.group_name, 14, "B", 1)
        for label, value in record_facts(g.record):
            pdf.para(f"{label}: {value}", 9, gap=0.3)
        if g.record["notes"]:
            pdf.para(g.record["notes"], 9)
        for priority in PRIORITIES:
            goals = [x for x in g.record["goals"] if x["priority"] == priority]
            if not goals:
                continue
            pdf.para(priority_name(priority), 11.5, "B", 0.8)
            for goal in goals:
                pdf.para(_("Tavoite: ") + goal["text"], 10, "B", 0.6)
                for r in (r for r in g.rows if r["goal_id"] == goal["id"]):
                    pdf.para(
                        f"{r['indicator']}: {follow.intent_text(r)}; {follow.change_text(r)} – "
                        f"{verdict_name(r['verdict'])}",
                        9,
                        gap=0.4,
                        indent=4,
                    )
                for a in goal["actions"]:
                    pdf.para("- " + action_line(a), 9, gap=0.4, indent=4)
    partners = partner_index(s)
    if partners:
        pdf.ln(3)
        pdf.para(_("Yhteistyökumppanit ryhmien yli"), 13, "B", 1)
        for o, k, gs in partners:
            pdf.para(
                _("{organisation} ({kind}): {groups}", organisation=o, kind=k, groups=", ".join(gs)),
                9,
                gap=0.4,
            )
    pdf.ln(3)
    for line in s.stamp_lines():
        pdf.para(line, 7.5, gap=0.5)
    return bytes(pdf.output())


def build(
    version: str, cat: dict, records: list[dict], round_year: int, exported_at: str = "", rows_of=None
) -> Summary:
    """The Summary of one round: `records` are store.round_trees(round); `cat` is localized.

    `rows_of(record)` gives a record's follow-up rows (the pages pass their cached one);
    by default they are computed from the warehouse (reports.followup.group_followup).
    """
    from dashboard.i18n import names
    from dashboard.i18n.formatting import built_text

    groups = cat["groups"]
    shown = dict(zip(groups["group_id"], names.display(groups, "name"), strict=True))
    by_group = {r["group_id"]: r for r in records}
    rows_of = rows_of or (lambda rec: follow.group_followup(version, cat, rec))
    out = [
        GroupRecord(gid, shown[gid], by_group[gid], rows_of(by_group[gid]))
        for gid in groups["group_id"]
        if gid in by_group
    ]
    out += [GroupRecord(gid, gid, r, rows_of(r)) for gid, r in by_group.items() if gid not in shown]
    missing = [shown[gid] for gid in groups["group_id"] if gid not in by_group]
    return Summary(
        int(round_year),
        out,
        cat["meta"].get("is_demo") == "true",
        built_text(cat["meta"].get("built_at")),
        exported_at,
        missing,
    )
