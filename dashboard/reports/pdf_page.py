"""The group overview as a printable A4 one-pager (portrait): key phenomena and an indicator table.

Pure: a Briefing in, PDF bytes out (fpdf2, core Helvetica in Windows-1252, which covers
Finnish, Swedish and English letters, the en dash and the euro sign), in the current language.
The page is designed to hold
the three priorities on one sheet; when a group's texts run long, the type shrinks a step
rather than spilling onto a second page.
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

from dashboard.charts import base as charts
from dashboard.i18n.catalog import N_, _
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model import briefing
from dashboard.model.briefing import Briefing

PAGES = 1
MARGIN = 11.0
PAGE_W, PAGE_H = 210.0, 297.0
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_H = 17.0
# Indicator table: (header, width mm); the widths add up to CONTENT_W. The headers are the
# keys of briefing.table_rows (Finnish); the page prints _(header).
# Suunta is wide enough for the longest trend word ("ingen tydlig förändring") at 78 % type.
COLUMNS = ((N_("Indikaattori"), 64.0), (N_("Vuosi"), 9.0), (N_("Ryhmä"), 13.0),
           (N_("95 %:n väli"), 19.0), (N_("Alue"), 13.0), (N_("vs. alue"), 17.5),
           (N_("Koko maa"), 13.0), (N_("vs. maa"), 17.5), (N_("Suunta"), 22.0))
PRODUCT = N_("HYTE-tilannekuva")
SCALES = (1.2, 1.1, 1.0, 0.92, 0.85, 0.78, 0.72)
_REPLACE = {"\u2212": "-", "\u200b": "", "\u25bc": "", "\u2009": " ", "\u202f": " ",
            # indicator names use these ("Lihavat (BMI ≥ 30)"): spell them, never print '?'
            "\u2265": ">=", "\u2264": "<=", "\u2260": "!=", "\u2248": "~", "\u2192": "->"}


# No text on the one page is longer (the method note is the longest of ours, ~1,300): a
# longer one is cut before layout, which is otherwise quadratic in a paragraph's length.
TEXT_LIMIT = 2_000


def clip(text) -> str:
    """clean() cut to TEXT_LIMIT: every paragraph the page lays out goes through it."""
    return clean(text, TEXT_LIMIT)


def clean(text, limit: int | None = None) -> str:
    """Text the core font can draw: Windows-1252; a letter outside it keeps its base letter
    (ř -> r) where Unicode decomposes it, anything else becomes '?'. Cut to `limit`."""
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return "".join(_drawable(ch) for ch in text)


def _drawable(ch: str) -> str:
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        base = unicodedata.normalize("NFKD", ch).encode("cp1252", errors="ignore").decode("cp1252")
        return base or "?"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class _Doc(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.c_margin = 0.8

    def text_cell(self, w, h, text, style="", size=7.0, align="L", fill=None, colour=(27, 27, 27)):
        self.set_font("Helvetica", style, size)
        self.set_text_color(*colour)
        if fill:
            self.set_fill_color(*fill)
        self.cell(w, h, clean(text), border=0, align=align, fill=bool(fill))

    def shrink_fit(self, text: str, width: float, size: float,
                   style: str = "") -> tuple[str, float]:
        """Text in its cell: the type shrinks (to 75 %) before the text is cut (headers and
        trend words, whose length depends on the language)."""
        text = clean(text)
        smallest = round(size * 0.75, 2)
        while True:
            self.set_font("Helvetica", style, size)
            if self.get_string_width(text) <= width - 2 * self.c_margin or size <= smallest:
                return self.fit(text, width), size
            size = max(smallest, size - 0.2)

    def fit(self, text: str, width: float) -> str:
        """Cut to the cell width with an ellipsis (names are long; the HTML has them whole)."""
        text = clean(text)
        room = width - 2 * self.c_margin
        if self.get_string_width(text) <= room:
            return text
        # The longest prefix that fits with its ellipsis, by bisection: cutting one letter
        # at a time measured the whole string each time (quadratic in long names).
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.get_string_width(text[:mid] + "…") <= room:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"


def _layout(b: Briefing, exported_at: str, k: float) -> tuple[_Doc, float]:
    """Draw the page at type scale `k`; return the document and the lowest y reached."""
    pdf = _Doc()
    pdf.set_title(clean(f"{b.group_name} – {_(PRODUCT)}"))
    pdf.set_author(clean(_(PRODUCT)))
    pdf.set_subject(clean(source_line()))
    pdf.add_page()
    x0 = MARGIN

    # Header
    if b.is_demo:
        pdf.set_xy(x0, MARGIN)
        pdf.set_fill_color(255, 244, 194)
        pdf.set_draw_color(230, 194, 0)
        pdf.set_font("Helvetica", "B", 8 * k)
        pdf.multi_cell(CONTENT_W, 4.2 * k, clip(demo_banner()), border=1, fill=True,
                       align="L", padding=1)
        pdf.ln(1.5)
    pdf.set_x(x0)
    pdf.set_font("Helvetica", "B", 17 * k)
    pdf.set_text_color(27, 27, 27)
    pdf.multi_cell(CONTENT_W, 7.5 * k, clip(b.group_name), align="L")
    pdf.set_font("Helvetica", "", 8.5 * k)
    pdf.set_x(x0)
    pdf.multi_cell(CONTENT_W, 4.2 * k, clip(_(
        "Kunnat: {members}  ·  Väestö: {population}  ·  Tiedot vuosilta: {years}",
        members=", ".join(b.members), population=b.population_text(),
        years=b.vintage_text() or "–")), align="L")
    pdf.set_font("Helvetica", "", 7 * k)
    pdf.set_text_color(85, 85, 85)
    pdf.set_x(x0)
    pdf.multi_cell(CONTENT_W, 3.4 * k, clip(briefing.method_note(b)[1]), align="L")
    pdf.ln(1.5)

    # Key phenomena: three columns, one per priority
    pdf.set_x(x0)
    pdf.set_font("Helvetica", "B", 11 * k)
    pdf.set_text_color(27, 27, 27)
    pdf.cell(CONTENT_W, 6 * k, clean(_("Keskeiset ilmiöt")))
    pdf.ln(6 * k)
    top = pdf.get_y()
    gap = 4.0
    col_w = (CONTENT_W - 2 * gap) / 3
    bottoms = []
    for i, story in enumerate(b.stories):
        cx = x0 + i * (col_w + gap)
        pdf.set_xy(cx, top)
        pdf.set_font("Helvetica", "B", 9 * k)
        pdf.set_text_color(27, 27, 27)
        pdf.multi_cell(col_w, 4.4 * k, clip(story.name), align="L")
        for kind, label, rows, colour, empty in (
                ("strengths", _("Vahvuudet"), story.strengths, charts.OUTCOME_COLORS["better"],
                 _("Ei tilastollisesti selviä vahvuuksia.")),
                ("challenges", _("Haasteet"), story.challenges, charts.OUTCOME_COLORS["worse"],
                 _("Ei tilastollisesti selviä haasteita."))):
            pdf.set_x(cx)
            pdf.set_font("Helvetica", "B", 7.5 * k)
            pdf.multi_cell(col_w, 3.8 * k, clip(label), align="L")
            if not rows:
                pdf.set_x(cx)
                pdf.set_font("Helvetica", "I", 6.8 * k)
                pdf.set_text_color(85, 85, 85)
                pdf.multi_cell(col_w, 3.2 * k, clip(empty), align="L")
                pdf.set_text_color(27, 27, 27)
            for r in rows:
                y = pdf.get_y()
                pdf.set_fill_color(*_rgb(colour))
                if kind == "challenges" and r["trend"] == "worsening":  # worse and worsening
                    pdf.polygon([(cx + 0.2, y + 0.9), (cx + 2.2, y + 0.9), (cx + 1.2, y + 2.6)],
                                style="F")
                else:
                    pdf.circle(x=cx + 1.2, y=y + 1.7, radius=0.9, style="F")
                pdf.set_xy(cx + 3, y)
                pdf.set_font("Helvetica", "", 6.8 * k)
                pdf.multi_cell(col_w - 3, 3.1 * k, clip(b.sentence(r)), align="L")
                pdf.ln(0.6)
        bottoms.append(pdf.get_y())
    pdf.set_y(max(bottoms) + 2)

    # The compact indicator table
    pdf.set_x(x0)
    pdf.set_font("Helvetica", "B", 11 * k)
    pdf.cell(CONTENT_W, 6 * k, clean(_("Indikaattorit")))
    pdf.ln(6 * k)
    row_h = 3.5 * k
    size = 6.4 * k
    pdf.set_x(x0)
    for head, w in COLUMNS:
        text, head_size = pdf.shrink_fit(_(head), w, size, "B")
        pdf.text_cell(w, row_h + 0.6, text, "B", head_size, fill=(235, 235, 235))
    pdf.ln(row_h + 0.6)
    smalls = set()
    for story in b.stories:
        pdf.set_x(x0)
        pdf.text_cell(CONTENT_W, row_h, story.name, "B", size + 0.4)
        pdf.ln(row_h)
        for r, raw in zip(briefing.table_rows(story.rows, b.benchmark),
                          story.rows.to_dict("records"), strict=True):
            if raw.get("small_members"):
                smalls.update(raw["small_members"].split(", "))
            pdf.set_x(x0)
            pdf.set_font("Helvetica", "", size)
            for head, w in COLUMNS:
                key = {"vs. alue": "_area", "vs. maa": "_country"}.get(head)
                if key:
                    colour = charts.OUTCOME_COLORS.get(r[key], "#FFFFFF")
                    text_colour = (255, 255, 255) if r[key] == "better" else (17, 17, 17)
                    pdf.text_cell(w, row_h, r[head], "", size, fill=_rgb(colour),
                                  colour=text_colour)
                elif head == "Suunta":
                    text, cell_size = pdf.shrink_fit(r[head], w, size)
                    pdf.text_cell(w, row_h, text, "", cell_size, align="L")
                else:
                    pdf.set_font("Helvetica", "", size)
                    text = pdf.fit(r[head], w) if head == "Indikaattori" else r[head]
                    pdf.text_cell(w, row_h, text, "", size,
                                  align="L" if head == "Indikaattori" else "R")
            pdf.ln(row_h)
            pdf.set_draw_color(225, 225, 225)
            pdf.line(x0, pdf.get_y(), x0 + CONTENT_W, pdf.get_y())
    pdf.set_text_color(85, 85, 85)
    pdf.set_font("Helvetica", "", 6.4 * k)
    note = _("Alue = {benchmark}. Luvut indikaattorin omassa yksikössä (ks. nimi). Värit: "
             "95 %:n luottamusvälin vertailu; sininen parempi, keltainen samaa tasoa, oranssi "
             "heikompi, violetti korkeampi/matalampi, harmaa ei verrattu.",
             benchmark=b.benchmark_name)
    if smalls:
        note += " " + charts.small_municipalities_note(sorted(smalls))
    pdf.ln(0.8)
    pdf.set_x(x0)
    pdf.multi_cell(CONTENT_W, 3.0 * k, clip(note), align="L")
    lowest = pdf.get_y()

    # Footer: source, producers, vintage, build and export time
    pdf.set_xy(x0, PAGE_H - MARGIN - FOOTER_H)
    pdf.set_draw_color(180, 180, 180)
    pdf.line(x0, pdf.get_y(), x0 + CONTENT_W, pdf.get_y())
    pdf.ln(0.8)
    pdf.set_font("Helvetica", "", 6.6)
    pdf.set_text_color(60, 60, 60)
    lines = b.stamp.lines() + [_("Tiedosto tehty {exported}. Koko tilannekuva kuvineen: "
                                 "HTML-tiedosto tai hyte serve. Sivu 1/1.",
                                 exported=exported_at)]
    pdf.set_x(x0)
    pdf.multi_cell(CONTENT_W, 3.0, clip(" ".join(lines)), align="L")
    return pdf, lowest


def render(b: Briefing, exported_at: str) -> bytes:
    """One A4 page; the first type scale whose content stays above the footer wins."""
    for k in SCALES:
        pdf, lowest = _layout(b, exported_at, k)
        if lowest <= PAGE_H - MARGIN - FOOTER_H - 1:
            break
    return bytes(pdf.output())
