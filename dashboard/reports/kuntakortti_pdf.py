"""The municipality card as a printable A4 page (portrait), and sets of cards in one PDF.

Pure: kuntakortti.Card objects in, PDF bytes out (fpdf2, the core Helvetica in
Windows-1252 like reports.pdf_page; pdf_page.clean makes any text drawable). Type is 7 pt
or larger everywhere. One card is one page: the header, the card's strengths and
challenges as the overview's sentences, and every indicator on one line with the spine of
the screen card (charts.kuntakortti.spine: the same geometry). When a card's texts run
long, the page first keeps long indicator names on one line (cut with an ellipsis; the
HTML and the screen have them whole), then prints fewer highlight sentences per list and
says so; it never spills onto a second page or below the footer.

A set is many cards (a group's); the county's set opens with a contents page that lists
the groups and their municipalities with page numbers (and links).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fpdf import FPDF

from dashboard.charts import base as charts
from dashboard.charts import kuntakortti as card_charts
from dashboard.i18n.catalog import _, ngettext, outcome_name
from dashboard.i18n.notices import demo_banner, source_line
from dashboard.model.kuntakortti import PRIORITIES, SMALL_COUNT, Card, Row
from dashboard.reports.pdf_page import clean

MARGIN = 10.0
PAGE_W, PAGE_H = 210.0, 297.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = PAGE_H - MARGIN
MIN_PT = 7.0
PT = 25.4 / 72                       # mm per point
BODY = 7.0                           # table and sentence type, pt
LINE = 2.75                          # mm per line of 7 pt text (1.1 leading)
ROW_PAD = 0.45
CELL_MARGIN = 0.7
INK, MUTED, RULE = (27, 27, 27), (80, 80, 80), (200, 200, 200)
RANGE, OTHER = (218, 218, 218), (140, 140, 140)
TREND_COLOURS = {"improving": charts.OUTCOME_COLORS["better"],
                 "worsening": charts.OUTCOME_COLORS["worse"],
                 "rising": charts.OUTCOME_COLORS["higher"],
                 "falling": charts.OUTCOME_COLORS["higher"]}


def line_height(size: float) -> float:
    """mm per line: LINE for body type, 1.18 × the type size above it."""
    return LINE if size <= BODY + 1e-6 else size * PT * 1.18


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@dataclass
class Box:
    """A text drawn on a page: where, how big, what (tests check every one fits the page)."""

    page: int
    x: float
    y: float
    w: float
    h: float
    text: str
    size: float
    text_w: float    # the widest line's width


_LINES: dict[tuple, list[str]] = {}


class _Doc(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.c_margin = CELL_MARGIN
        self.boxes: list[Box] = []

    def font(self, size: float, style: str = "") -> None:
        self.set_font("Helvetica", style, max(MIN_PT, size))

    def width(self, text: str, size: float = BODY, style: str = "") -> float:
        self.font(size, style)
        return self.get_string_width(clean(text))

    def lines(self, text: str, w: float, size: float = BODY, style: str = "") -> list[str]:
        """`text` wrapped into lines of width `w` (the core font's metrics).

        Remembered across documents (the core fonts' metrics never change): fpdf's line
        breaking was most of a page's time, and fitting a card measures each text often."""
        key = (text, round(w, 4), max(MIN_PT, size), style)
        found = _LINES.get(key)
        if found is None:
            self.font(size, style)
            plain = clean(text)
            if self.get_string_width(plain) <= w - 2 * self.c_margin:
                found = [plain]
            else:
                lines = self.multi_cell(w, LINE, plain, dry_run=True, output="LINES",
                                        align="L") or [""]
                # fpdf returns its encoded form (cp1252 bytes read as Latin-1): back to text.
                found = [line.encode("latin-1").decode("cp1252") for line in lines]
            if len(_LINES) > 20_000:
                _LINES.clear()
            _LINES[key] = found
        return list(found)

    def fitted(self, text: str, w: float, size: float, style: str, max_lines: int) -> list[str]:
        """At most `max_lines` lines; the last one cut with an ellipsis when more remain."""
        lines = self.lines(text, w, size, style)
        if len(lines) <= max_lines:
            return lines
        lines = lines[:max_lines]
        last = lines[-1].rstrip()
        room = w - 2 * self.c_margin
        while last and self.get_string_width(last + "…") > room:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
        return lines

    def put(self, x: float, y: float, w: float, text: str, size: float = BODY,
            style: str = "", align: str = "L", colour=INK, line: float | None = None,
            max_lines: int = 99, fill=None, h: float | None = None) -> float:
        """Draw `text` in a box of width `w` at (x, y); return the height used."""
        line = line or line_height(size)
        lines = self.fitted(text, w, size, style, max_lines)
        height = h if h is not None else line * len(lines)
        self.font(size, style)
        self.set_text_color(*colour)
        if fill is not None:
            self.set_fill_color(*fill)
            self.rect(x, y, w, height, style="F")
        top = y + (height - line * len(lines)) / 2
        for i, text_line in enumerate(lines):
            self.set_xy(x, top + i * line)
            self.cell(w, line, text_line, align=align)
        widest = max((self.get_string_width(t) for t in lines), default=0.0)
        if any(t.strip() for t in lines):
            self.boxes.append(Box(self.page, x, y, w, height, "\n".join(lines), size,
                                  widest + 2 * self.c_margin))
        return height


# --- the columns of the indicator table ---------------------------------------------------------


@dataclass
class Column:
    key: str
    head: str
    width: float
    align: str = "R"


def _columns(pdf: _Doc, card: Card) -> list[Column]:
    """Widths from the widest cell of this card (and its head, wrapped at spaces), so the
    indicator name gets everything that is left."""
    rows = card.rows
    outcomes = {outcome_name(o) for r in rows for o in (r.outcome_area, r.outcome_country)}
    outcomes.add(outcome_name("not_compared"))

    def need(head: str, cells: Sequence[str], style: str = "") -> float:
        head_w = max(pdf.width(word, BODY, "B") for word in head.split()) if head else 0.0
        cell_w = max((pdf.width(c, BODY, style) for c in cells), default=0.0)
        return max(head_w, cell_w) + 2 * CELL_MARGIN + 0.4

    area_head = _("Muu alue") if card.uses_rest else _("Alue")
    cols = [
        Column("mark", "", 2.8, "C"),
        Column("name", _("Indikaattori"), 0.0, "L"),
        Column("spine", _("Alueen kunnat"), 27.0, "C"),
        Column("value", _("Arvo"), need(_("Arvo"), [r.value_text() for r in rows if r.has_value])),
        Column("interval", _("95 %:n väli"),
               need(_("95 %:n väli"), [r.interval_text() for r in rows])),
        Column("year", _("Vuosi"), need(_("Vuosi"), [r.year_text() for r in rows]), "C"),
        Column("area", area_head, need(area_head, [r.benchmark_text() for r in rows])),
        Column("vs_area", card_charts.benchmark_word(card),
               need(card_charts.benchmark_word(card), sorted(outcomes)), "C"),
        Column("country", _("Koko maa"), need(_("Koko maa"), [r.country_text() for r in rows])),
        Column("vs_country", _("vs. maa"), need(_("vs. maa"), sorted(outcomes)), "C"),
        Column("trend", _("Kehitys"), need(_("Kehitys"), []), "C"),
        Column("rank", _("Sija"), need(_("Sija"), [r.rank_text() for r in rows])),
    ]
    cols[1].width = CONTENT_W - sum(c.width for c in cols)
    return cols


# --- drawing one card ----------------------------------------------------------------------------


@dataclass
class Fit:
    # highlight sentences shown per list, by (priority, "strengths" | "challenges");
    # a list not named shows all of its sentences
    limits: dict[tuple[str, str], int] = field(default_factory=dict)
    wrapped: frozenset[int] = frozenset()  # indicator ids whose names get a second line

    def shown(self, priority: str, kind: str, items: list) -> list:
        return items[:self.limits.get((priority, kind), len(items))]


@dataclass
class Page:
    """What the page drew: the lowest y of its content (above the footer) and its footer top."""

    lowest: float = 0.0
    footer_top: float = BOTTOM
    cut_highlights: bool = False
    columns: list[float] = field(default_factory=list)  # height of each highlight column
    long_names: list[tuple[float, int]] = field(default_factory=list)  # (overflow mm, id)


def _footer_lines(card: Card, exported_at: str, page_label: str) -> str:
    # The NGO survey's one line (its headline and its own source), before THL's source.
    ngo = [card.ngo.headline() + " " + card.ngo.source()] if card.ngo is not None else []
    lines = ngo + card.stamp.lines() + [
        _("Tiedosto tehty {exported}. Koko kuntakortti kuvineen: HTML-tiedosto tai "
          "hyte serve (/kunta?kunta={code}). {page}", exported=exported_at, code=card.code,
          page=page_label)]
    return " ".join(lines)


def _mark(pdf: _Doc, kind: str | None, cx: float, cy: float, r: float = 0.95) -> None:
    if not kind:
        return
    colour = rgb(card_charts.MARK_COLORS[kind])
    pdf.set_fill_color(*colour)
    if kind == "worsening":
        pdf.polygon([(cx - r * 1.1, cy - r * 0.8), (cx + r * 1.1, cy - r * 0.8),
                     (cx, cy + r * 1.1)], style="F")
    else:
        pdf.circle(x=cx, y=cy, radius=r, style="F")


def _trend(pdf: _Doc, row: Row, cx: float, cy: float) -> None:
    """▲/▼ = the values rise/fall (colour: better, worse, or no judgement); = no clear change."""
    up = {"rising": True, "falling": False,
          "improving": row.polarity != "low_good", "worsening": row.polarity == "low_good"}
    if row.trend in up:
        pdf.set_fill_color(*rgb(TREND_COLOURS[row.trend]))
        s = 1.1
        if up[row.trend]:
            pdf.polygon([(cx - s, cy + s * 0.8), (cx + s, cy + s * 0.8), (cx, cy - s)], style="F")
        else:
            pdf.polygon([(cx - s, cy - s * 0.8), (cx + s, cy - s * 0.8), (cx, cy + s)], style="F")
    elif row.trend == "stable":
        pdf.set_fill_color(*MUTED)
        pdf.rect(cx - 1.1, cy - 0.65, 2.2, 0.4, style="F")
        pdf.rect(cx - 1.1, cy + 0.25, 2.2, 0.4, style="F")
    else:
        pdf.put(cx - 2.5, cy - LINE / 2, 5.0, "–", align="C", colour=MUTED)


def _spine(pdf: _Doc, row: Row, x: float, w: float, cy: float) -> None:
    sp = card_charts.spine(row)
    left, right = x + 1.2, x + w - 1.2
    if sp is None:
        pdf.put(x, cy - LINE / 2, w, _("ei kuntatietoa"), style="I", colour=MUTED, align="C")
        return

    def at(share):
        return sp.at(share, left, right)

    if sp.range:
        pdf.set_fill_color(*RANGE)
        pdf.rect(at(sp.range[0]), cy - 0.7, max(at(sp.range[1]) - at(sp.range[0]), 0.3), 1.4,
                 style="F")
    pdf.set_draw_color(*OTHER)
    pdf.set_line_width(0.15)
    for s in sp.others:
        pdf.line(at(s), cy - 0.8, at(s), cy + 0.8)
    if sp.benchmark is not None:
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.45)
        pdf.line(at(sp.benchmark), cy - 1.35, at(sp.benchmark), cy + 1.35)
    if sp.country is not None:
        c = at(sp.country)
        pdf.set_fill_color(85, 85, 85)
        pdf.polygon([(c - 0.75, cy - 1.55), (c + 0.75, cy - 1.55), (c, cy - 0.6)], style="F")
    if sp.ci:
        pdf.set_draw_color(51, 51, 51)
        pdf.set_line_width(0.25)
        pdf.line(at(sp.ci[0]), cy, at(sp.ci[1]), cy)
    if sp.dot is not None:
        outcome = row.outcome_area if row.outcome_area in charts.OUTCOME_COLORS else "not_compared"
        pdf.set_fill_color(*rgb(charts.OUTCOME_COLORS[outcome]))
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.2)
        pdf.circle(x=at(sp.dot), y=cy, radius=0.85, style="FD")
    pdf.set_line_width(0.2)


def _chip(pdf: _Doc, outcome: str, x: float, cy: float, w: float) -> None:
    outcome = outcome if outcome in charts.OUTCOME_COLORS else "not_compared"
    colour = (255, 255, 255) if outcome == "better" else (17, 17, 17)
    h = LINE + ROW_PAD * 0.5
    pdf.set_fill_color(*rgb(charts.OUTCOME_COLORS[outcome]))
    pdf.rect(x + 0.3, cy - h / 2, w - 0.6, h, style="F")
    pdf.put(x, cy - LINE / 2, w, outcome_name(outcome), align="C", colour=colour, h=LINE,
            max_lines=1)


def _legend(pdf: _Doc, card: Card, y: float, draw: bool) -> float:
    """Symbols and words in a flow that wraps; returns the height."""
    items: list[tuple[str | None, str]] = [
        ("range", _("alueen kuntien vaihteluväli,")), ("other", _("muut kunnat,")),
        ("bench", _("{benchmark},", benchmark=card.benchmark_name())),
        ("country", _("koko maa,")),
        ("dot", _("{name} (väri = vertailu, viiva = 95 %:n luottamusväli).", name=card.name)),
        ("up", _("arvo nousee,")), ("down", _("arvo laskee")),
        (None, _("(sininen paranee, oranssi heikkenee, violetti: ei hyvä–huono-suuntaa),")),
        ("stable", _("ei merkitsevää muutosta (99,8 %), – ei laskettavissa.")),
        ("strength", _("vahvuus,")), ("challenge", _("haaste,")),
        ("worsening", _("heikompi ja heikkenevä.")),
        (None, _("Sija: 1 = paras indikaattorin suunnan mukaan (ilman suuntaa 1 = suurin).")),
        (None, _("* alle {limit} tapausta.", limit=SMALL_COUNT)),
        (None, _("Värit: 95 %:n luottamusvälin vertailu; harmaa = ei verrattu.")),
    ]
    x, line_y, sym = MARGIN, y, 3.2
    pdf.font(BODY)
    for symbol, text in items:
        words = text.split()
        need = (sym if symbol else 0) + pdf.width(words[0]) + 1.0
        if x + need > MARGIN + CONTENT_W:
            x, line_y = MARGIN, line_y + LINE
        if symbol:
            if draw:
                _legend_symbol(pdf, symbol, x + sym / 2 - 0.3, line_y + LINE / 2)
            x += sym
        chunk = ""
        for word in words:
            trial = f"{chunk} {word}".strip()
            if x + pdf.width(trial) + 2 * CELL_MARGIN > MARGIN + CONTENT_W and chunk:
                if draw:
                    pdf.put(max(MARGIN, x - CELL_MARGIN), line_y,
                            pdf.width(chunk) + 2 * CELL_MARGIN + 0.2, chunk, colour=MUTED)
                x, line_y, chunk = MARGIN, line_y + LINE, word
            else:
                chunk = trial
        if chunk:
            w = pdf.width(chunk) + 2 * CELL_MARGIN + 0.2
            if draw:
                pdf.put(max(MARGIN, x - CELL_MARGIN), line_y, w, chunk, colour=MUTED)
            x += w - CELL_MARGIN + 0.6
    return line_y + LINE - y


def _legend_symbol(pdf: _Doc, kind: str, cx: float, cy: float) -> None:
    if kind == "range":
        pdf.set_fill_color(*RANGE)
        pdf.rect(cx - 1.4, cy - 0.6, 2.8, 1.2, style="F")
    elif kind == "other":
        pdf.set_draw_color(*OTHER)
        pdf.set_line_width(0.15)
        pdf.line(cx, cy - 0.8, cx, cy + 0.8)
    elif kind == "bench":
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.45)
        pdf.line(cx, cy - 1.2, cx, cy + 1.2)
    elif kind == "country":
        pdf.set_fill_color(85, 85, 85)
        pdf.polygon([(cx - 0.75, cy - 0.5), (cx + 0.75, cy - 0.5), (cx, cy + 0.5)], style="F")
    elif kind == "dot":
        pdf.set_fill_color(*rgb(charts.OUTCOME_COLORS["similar"]))
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.2)
        pdf.circle(x=cx, y=cy, radius=0.85, style="FD")
    elif kind in ("up", "down"):
        pdf.set_fill_color(*MUTED)
        s = 1.0
        pts = ([(cx - s, cy + s * 0.8), (cx + s, cy + s * 0.8), (cx, cy - s)] if kind == "up"
               else [(cx - s, cy - s * 0.8), (cx + s, cy - s * 0.8), (cx, cy + s)])
        pdf.polygon(pts, style="F")
    elif kind == "stable":
        pdf.set_fill_color(*MUTED)
        pdf.rect(cx - 1.0, cy - 0.6, 2.0, 0.35, style="F")
        pdf.rect(cx - 1.0, cy + 0.25, 2.0, 0.35, style="F")
    else:
        _mark(pdf, kind, cx, cy)
    pdf.set_line_width(0.2)


def _highlights(pdf: _Doc, card: Card, y: float, fit: Fit,
                draw: bool) -> tuple[float, list[float], bool]:
    """The card's strengths and challenges per priority in three columns.

    Returns (height, each column's height, whether sentences were left out)."""
    gap = 4.0
    col_w = (CONTENT_W - 2 * gap) / 3
    sections = [s for s in card.sections if s.priority in PRIORITIES]
    heights, cut = [], False
    for i, section in enumerate(sections):
        cx = MARGIN + i * (col_w + gap)
        cy = y
        if draw:
            pdf.put(cx, cy, col_w, section.name, 8.0, "B")
        cy += line_height(8.0) + 0.4
        for kind, label, items, empty in (
                ("strengths", _("Vahvuudet"), section.strengths,
                 _("Ei tilastollisesti selviä vahvuuksia.")),
                ("challenges", _("Haasteet"), section.challenges,
                 _("Ei tilastollisesti selviä haasteita."))):
            if draw:
                pdf.put(cx, cy, col_w, label, BODY, "B")
            cy += LINE
            if not items:
                if draw:
                    pdf.put(cx, cy, col_w, empty, BODY, "I", colour=MUTED)
                cy += LINE * len(pdf.lines(empty, col_w, BODY, "I"))
            shown = fit.shown(section.priority, kind, items)
            for r in shown:
                sentence = card.sentence(r)
                mark = ("strength" if kind == "strengths" else
                        "worsening" if r["trend"] == "worsening" else "challenge")
                if draw:
                    _mark(pdf, mark, cx + 1.2, cy + LINE / 2, 0.85)
                    pdf.put(cx + 3, cy, col_w - 3, sentence)
                cy += LINE * len(pdf.lines(sentence, col_w - 3)) + 0.5
            if len(shown) < len(items):
                cut = True
                more = ngettext("+ {n} muu: merkitty taulukkoon, koko lause näytöllä.",
                                "+ {n} muuta: merkitty taulukkoon, koko lauseet näytöllä.",
                                len(items) - len(shown))
                if draw:
                    pdf.put(cx + 3, cy, col_w - 3, more, BODY, "I", colour=MUTED)
                cy += LINE * len(pdf.lines(more, col_w - 3, BODY, "I"))
        heights.append(cy - y)
    return max(heights, default=0.0), heights, cut


def _table_head(pdf: _Doc, cols: list[Column], y: float, draw: bool) -> float:
    h = 2 * LINE + 0.4
    if draw:
        pdf.set_fill_color(236, 236, 236)
        pdf.rect(MARGIN, y, CONTENT_W, h, style="F")
        x = MARGIN
        for c in cols:
            if c.head:
                pdf.put(x, y + 0.2, c.width, c.head, BODY, "B", align=c.align if c.key != "name"
                        else "L", colour=(40, 40, 40), h=h - 0.4, max_lines=2)
            x += c.width
    return h


def _row(pdf: _Doc, cols: list[Column], row: Row, y: float, name_lines: int, zebra: bool,
         draw: bool) -> float:
    h = LINE * name_lines + ROW_PAD
    if not draw:
        return h
    if zebra:
        pdf.set_fill_color(246, 246, 246)
        pdf.rect(MARGIN, y, CONTENT_W, h, style="F")
    x = MARGIN
    cy = y + h / 2
    mid = cy - LINE / 2
    for c in cols:
        top = y + ROW_PAD / 2
        inner = h - ROW_PAD
        if c.key == "mark":
            _mark(pdf, row.mark, x + c.width / 2, cy, 0.8)
        elif c.key == "name":
            pdf.put(x, top, c.width, row.name, max_lines=name_lines, h=inner)
        elif c.key == "spine":
            _spine(pdf, row, x, c.width, cy)
        elif c.key == "value":
            pdf.put(x, mid, c.width, row.value_text() if row.has_value else "–", style="B",
                    align="R", max_lines=1)
        elif c.key == "interval":
            pdf.put(x, mid, c.width, row.interval_text(), align="R", max_lines=1)
        elif c.key == "year":
            pdf.put(x, mid, c.width, row.year_text(), align="C", max_lines=1)
        elif c.key == "area":
            pdf.put(x, mid, c.width, row.benchmark_text(), align="R", max_lines=1)
        elif c.key == "vs_area":
            _chip(pdf, row.outcome_area, x, cy, c.width)
        elif c.key == "country":
            pdf.put(x, mid, c.width, row.country_text(), align="R", max_lines=1)
        elif c.key == "vs_country":
            _chip(pdf, row.outcome_country, x, cy, c.width)
        elif c.key == "trend":
            _trend(pdf, row, x + c.width / 2, cy)
        elif c.key == "rank":
            pdf.put(x, mid, c.width, row.rank_text(), align="R", max_lines=1)
        x += c.width
    return h


def _card_page(pdf: _Doc, card: Card, exported_at: str, page_label: str, fit: Fit,
               draw: bool = True) -> Page:
    """Lay out (and, with `draw`, draw) one card on the current page."""
    page = Page()
    y = MARGIN
    if card.is_demo:
        h = pdf.put(MARGIN, y, CONTENT_W, demo_banner(), 7.5, "B", line=3.2,
                    fill=(255, 244, 194)) if draw else 3.2 * len(
            pdf.lines(demo_banner(), CONTENT_W, 7.5, "B"))
        y += h + 1.5
    # Title line: the municipality, then what the page is.
    title_h = 7.0
    if draw:
        pdf.put(MARGIN, y, CONTENT_W * 0.55, card.name, 17, "B", line=title_h, max_lines=1)
        what = _("Kuntakortti · kuntanumero {code}", code=card.code)
        group = _("Ryhmä: {group}", group=card.group_name) if card.group_name else ""
        pdf.put(MARGIN + CONTENT_W * 0.55, y + 0.4, CONTENT_W * 0.45, what, 8.5, "B",
                align="R", colour=MUTED, line=3.4, max_lines=1)
        if group:
            pdf.put(MARGIN + CONTENT_W * 0.55, y + 3.8, CONTENT_W * 0.45, group, 7.5,
                    align="R", colour=MUTED, line=3.0, max_lines=1)
    y += title_h + 0.8
    facts = [_("Väestö {population}", population=card.population_text()),
             _("Huoltosuhde {value}", value=card.dependency.text())]
    if card.ages:
        facts.append(_("Ikärakenne: {ages}", ages=card.age_text()))
    if card.vintage_text():
        facts.append(_("Tiedot vuosilta: {years}", years=card.vintage_text()))
    facts_text = "  ·  ".join(facts)
    fact_lines = pdf.lines(facts_text, CONTENT_W, 8.0)
    if draw:
        pdf.put(MARGIN, y, CONTENT_W, facts_text, 8.0, line=3.3)
    y += 3.3 * len(fact_lines) + 0.4
    notes = " ".join(t for t in (card.comparison_text(), card.small_text(),
                                 card.age_missing_text()) if t)
    if draw:
        pdf.put(MARGIN, y, CONTENT_W, notes, BODY, colour=MUTED)
    y += LINE * len(pdf.lines(notes, CONTENT_W)) + 1.2

    # Strengths and challenges
    if draw:
        pdf.put(MARGIN, y, CONTENT_W, _("Vahvuudet ja haasteet"), 10, "B", line=4.2)
    y += 4.6
    h, page.columns, page.cut_highlights = _highlights(pdf, card, y, fit, draw)
    y += h + 1.0

    # The indicator table
    cols = _columns(pdf, card)
    name_w = next(c.width for c in cols if c.key == "name")
    y += _table_head(pdf, cols, y, draw)
    for section in card.sections:
        if draw:
            pdf.put(MARGIN, y + 0.3, CONTENT_W, section.name, 8.0, "B", line=3.4)
        y += 3.9
        for i, row in enumerate(section.rows):
            over = pdf.width(row.name) + 2 * CELL_MARGIN - name_w
            if over > 0:
                page.long_names.append((over, row.indicator_id))
            lines = 2 if row.indicator_id in fit.wrapped else 1
            y += _row(pdf, cols, row, y, lines, i % 2 == 1, draw)
        if draw:
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.2)
            pdf.line(MARGIN, y, MARGIN + CONTENT_W, y)
    y += 0.8
    y += _legend(pdf, card, y, draw)
    page.lowest = y

    # Footer: source, producers, update, build, export, page
    footer = _footer_lines(card, exported_at, page_label)
    footer_h = LINE * len(pdf.lines(footer, CONTENT_W))  # body type: LINE per line
    page.footer_top = BOTTOM - footer_h
    if draw:
        pdf.set_draw_color(*RULE)
        pdf.line(MARGIN, page.footer_top - 0.8, MARGIN + CONTENT_W, page.footer_top - 0.8)
        pdf.put(MARGIN, page.footer_top, CONTENT_W, footer, BODY, colour=(60, 60, 60))
    return page


def fit_card(card: Card, exported_at: str = "–", page_label: str = "") -> Fit:
    """The richest layout that stays on the page.

    Every highlight sentence first; while the page overflows, the longer list of the
    tallest highlight column loses its last sentence (the page says how many more there
    are, and the table marks them all). Room left gives the longest cut names a second line.
    """
    sections = [s for s in card.sections if s.priority in PRIORITIES]
    fit = Fit({(s.priority, kind): len(items) for s in sections
               for kind, items in (("strengths", s.strengths), ("challenges", s.challenges))})
    probe = _Doc()
    probe.add_page()
    page = _card_page(probe, card, exported_at, page_label, fit, draw=False)
    # Only the highlight block changes with the limits: measure it alone from here on.
    rest = page.lowest - max(page.columns, default=0.0)
    columns = page.columns
    while True:
        room = page.footer_top - 1.5 - (rest + max(columns, default=0.0))
        if room >= 0 or not columns:
            break
        tallest = sections[max(range(len(columns)), key=columns.__getitem__)]
        s_key, c_key = (tallest.priority, "strengths"), (tallest.priority, "challenges")
        key = s_key if fit.limits[s_key] > fit.limits[c_key] else c_key
        if fit.limits[key] == 0:
            key = s_key if key == c_key else c_key
        if fit.limits[key] == 0:
            break  # nothing left to take out: the table alone does not fit (never seen)
        fit.limits[key] -= 1
        _h, columns, _cut = _highlights(probe, card, 0.0, fit, draw=False)
    longest = sorted(page.long_names, reverse=True)
    fit.wrapped = frozenset(i for _over, i in longest[:max(0, int(room // LINE))])
    return fit


def _new_doc(title: str) -> _Doc:
    pdf = _Doc()
    pdf.set_title(clean(title))
    pdf.set_author("HYTE-tilannekuva")
    pdf.set_subject(clean(source_line()))
    return pdf


def _page_label(n: int, total: int) -> str:
    return _("Sivu {n}/{total}.", n=n, total=total)


def render_cards(cards: Sequence[Card], exported_at: str, title: str | None = None,
                 contents: Sequence[tuple[str, Sequence[Card]]] | None = None) -> _Doc:
    """A document of cards, one page each; `contents`: (group name, its cards) for a
    contents page first (the county's set). Returns the document (tests read its boxes)."""
    cards = list(cards)
    first = cards[0].name if cards else ""
    pdf = _new_doc(title or _("{name} – kuntakortti", name=first))
    total = len(cards) + (1 if contents else 0)
    links = {}
    if contents:
        pdf.add_page()
        links = {c.region_id: pdf.add_link() for c in cards}
        _contents_page(pdf, cards, contents, exported_at, links, _page_label(1, total))
    offset = 2 if contents else 1
    for n, card in enumerate(cards):
        label = _page_label(n + offset, total)
        fit = fit_card(card, exported_at, label)
        pdf.add_page()
        if card.region_id in links:
            pdf.set_link(links[card.region_id], page=pdf.page)
        _card_page(pdf, card, exported_at, label, fit)
    return pdf


def _contents_page(pdf: _Doc, cards: list[Card], contents, exported_at: str, links: dict,
                   page_label: str) -> None:
    area = cards[0].area_name if cards else ""
    y = MARGIN
    if cards and cards[0].is_demo:
        y += pdf.put(MARGIN, y, CONTENT_W, demo_banner(), 7.5, "B", line=3.2,
                     fill=(255, 244, 194)) + 2
    y += pdf.put(MARGIN, y, CONTENT_W, _("Kuntakortit"), 20, "B", line=8.5) + 1
    y += pdf.put(MARGIN, y, CONTENT_W, area, 12, line=5.2) + 1
    y += pdf.put(MARGIN, y, CONTENT_W,
                 _("Yksi sivu kuntaa kohden, kunnat neuvotteluryhmittäin. Jokaisen kunnan arvoja "
                   "verrataan muuhun hyvinvointialueeseen (alue ilman kuntaa; kun sitä ei voi "
                   "laskea, koko alue) ja koko maahan 95 %:n luottamusvälillä; vahvuudet ja "
                   "haasteet valitaan samalla säännöllä kuin ryhmän tilannekuvassa."),
                 8.0, colour=MUTED, line=3.4) + 5
    page_of = {c.region_id: i + 2 for i, c in enumerate(cards)}
    y += pdf.put(MARGIN, y, CONTENT_W, _("Sisällys"), 12, "B", line=5.5) + 1.5
    for group_name, members in contents:
        y += pdf.put(MARGIN, y, CONTENT_W, group_name, 9.5, "B", line=4.4) + 0.4
        for c in members:
            pdf.put(MARGIN + 5, y, CONTENT_W - 25, c.name, 9.0, line=4.2)
            pdf.put(MARGIN + CONTENT_W - 20, y, 20, str(page_of[c.region_id]), 9.0,
                    align="R", line=4.2)
            if c.region_id in links:
                pdf.link(MARGIN + 5, y, CONTENT_W - 5, 4.2, links[c.region_id])
            pdf.set_draw_color(225, 225, 225)
            pdf.line(MARGIN + 5, y + 4.2, MARGIN + CONTENT_W, y + 4.2)
            y += 4.4
        y += 2.2
    stamp = " ".join(cards[0].stamp.lines()) if cards else source_line()
    footer = " ".join([stamp, _("Tiedosto tehty {exported}.", exported=exported_at),
                       page_label])
    h = LINE * len(pdf.lines(footer, CONTENT_W))
    pdf.put(MARGIN, BOTTOM - h, CONTENT_W, footer, BODY, colour=(60, 60, 60))


def render(card: Card, exported_at: str) -> bytes:
    """One card, one A4 page."""
    return bytes(render_cards([card], exported_at).output())


def render_set(cards: Sequence[Card], exported_at: str, title: str | None = None,
               contents: Sequence[tuple[str, Sequence[Card]]] | None = None) -> bytes:
    """Many cards in one PDF (a group's); with `contents`, a contents page first (the county)."""
    return bytes(render_cards(cards, exported_at, title, contents).output())


def within_page(box: Box, tolerance: float = 0.05) -> bool:
    """The box lies inside the page margins and its text fits its width."""
    return (box.x >= MARGIN - tolerance and box.y >= MARGIN - tolerance
            and box.x + box.w <= PAGE_W - MARGIN + tolerance
            and box.y + box.h <= PAGE_H - MARGIN + tolerance
            and box.text_w <= box.w + tolerance and box.size >= MIN_PT)
