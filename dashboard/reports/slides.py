"""The presenter's slide deck for one group: title, key phenomena per priority, discussion.

Pure (no Streamlit): a Briefing in, a list of Slides out. The page only draws them, so the
deck's shape (how many slides, which chart, which notes) is tested without a browser.
The slides' own texts (headings, leads, labels, themes, the law) are translated when the deck
is built, so a deck speaks the language of the run that builds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard.charts import base as charts
from dashboard.charts import overview as overview_charts
from dashboard.i18n.catalog import N_, _
from dashboard.i18n.notices import source_line
from dashboard.model import briefing
from dashboard.model.briefing import Briefing, Story

MAX_POINTS = 3  # sentences per slide that still read from the back of a room

# Law 612/2021 § 7: the county and its municipalities negotiate yearly on the goals,
# measures, cooperation and follow-up of wellbeing and health promotion.
# Marked texts (read at import): closing_slide translates them.
THEMES = (
    (N_("Tavoitteet"), N_("Mitkä haasteista ovat meille yhteisiä? Mitä haluamme muuttaa "
                          "seuraavan neljän vuoden aikana – ja kuinka paljon?")),
    (N_("Toimenpiteet"), N_("Mitä kunnat ja hyvinvointialue tekevät – kukin omalla vastuullaan "
                            "ja yhdessä? Mitä vahvuuksista kannattaa vaalia?")),
    (N_("Yhteistyö"), N_("Keitä tarvitaan mukaan: järjestöt, seurakunnat, koulut, yritykset? "
                         "Kuka kutsuu koolle ja missä rakenteessa?")),
    (N_("Seuranta"), N_("Millä indikaattoreilla edistymistä seurataan, ja milloin asiaan "
                        "palataan ensi vuoden neuvottelussa?")),
)
LAW = N_("Laki sosiaali- ja terveydenhuollon järjestämisestä (612/2021) 7 §: hyvinvointialue "
         "ja sen kunnat neuvottelevat vuosittain hyvinvoinnin ja terveyden edistämisen "
         "tavoitteista, toimenpiteistä, yhteistyöstä ja seurannasta.")
# The speaker-note label of small-number warnings (model.briefing writes it too).
SMALL_NUMBERS = N_("Pienet luvut")


@dataclass(frozen=True)
class Point:
    tone: str   # strength | challenge | worsening | theme | plain
    text: str
    label: str = ""


@dataclass(frozen=True)
class Slide:
    kind: str                                   # title | priority | closing
    heading: str
    lead: str = ""
    facts: tuple[tuple[str, str], ...] = ()     # label, value (title slide)
    points: tuple[Point, ...] = ()
    priority: str | None = None
    chart: str | None = None                    # trend | strip | None
    indicator_ids: tuple[int, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()     # speaker notes: label, text
    # A slide from another source (the NGO survey, reports.ngo_slide) carries its own
    # finished chart and source line instead of THL's.
    spec: dict | None = None
    source: str = ""


def _point(b: Briefing, row: dict, kind: str) -> Point:
    if kind == "challenge":
        tone = "worsening" if row["trend"] == "worsening" else "challenge"
    else:
        tone = "strength"
    return Point(tone, b.sentence(row))


def title_slide(b: Briefing, today: date) -> Slide:
    facts = [(_("Kunnat"), ", ".join(b.members)), (_("Väestö"), b.population_text()),
             (_("Päivämäärä"), briefing.today_text(today)),
             (_("Tiedot vuosilta"), b.vintage_text() or "–"),
             (_("Tietovarasto koottu"), b.stamp.built_at)]
    notes = [briefing.method_note(b),
             (_("Lähde ja aineisto"), " ".join(b.stamp.lines()))]
    lead = (_("HYTE-neuvottelu: ryhmän tilannekuva – DEMOAINEISTO, luvut eivät ole todellisia")
            if b.is_demo else _("HYTE-neuvottelu: ryhmän tilannekuva"))
    return Slide("title", b.group_name, lead, tuple(facts), notes=tuple(notes))


def story_slides(b: Briefing, story: Story) -> list[Slide]:
    """One slide when the priority has at most three highlights, else strengths and
    challenges on slides of their own; each slide has one chart of its indicators."""
    strengths = [_point(b, r, "strength") for r in story.strengths]
    challenges = [_point(b, r, "challenge") for r in story.challenges]
    if not strengths and not challenges:
        rows = story.rows.to_dict("records")
        notes = [briefing.method_note(b)]
        notes += [(_(SMALL_NUMBERS), n) for r in rows for n in briefing.small_number_notes(r)]
        point = Point("plain", _("Ei tilastollisesti selviä eroja vertailualueeseen: "
                                 "kuva näyttää jokaisen indikaattorin vertailun."))
        return [Slide("priority", story.name, _("Keskeiset ilmiöt"), points=(point,),
                      priority=story.priority, chart="strip",
                      indicator_ids=tuple(int(r["indicator_id"]) for r in rows),
                      notes=tuple(_dedupe(notes)))]
    if len(strengths) + len(challenges) <= MAX_POINTS:
        parts = [(_("Keskeiset ilmiöt"), story.strengths + story.challenges,
                  strengths + challenges)]
    else:
        parts = [(lead, rows, points) for lead, rows, points in
                 ((_("Vahvuudet"), story.strengths, strengths),
                  (_("Haasteet"), story.challenges, challenges)) if rows]
    slides = []
    for lead, rows, points in parts:
        notes = [briefing.method_note(b)]
        for r in rows:
            notes += briefing.indicator_notes(r, _indicator(b, r["indicator_id"]))
        slides.append(Slide("priority", story.name, lead, points=tuple(points),
                            priority=story.priority, chart="trend",
                            indicator_ids=tuple(int(r["indicator_id"]) for r in rows),
                            notes=tuple(_dedupe(notes))))
    return slides


def closing_slide(b: Briefing) -> Slide:
    points = tuple(Point("theme", _(text), _(label)) for label, text in THEMES)
    challenges = [r["name"] for s in b.stories for r in s.challenges]
    strengths = [r["name"] for s in b.stories for r in s.strengths]
    notes = [(_("Laki"), _(LAW))]
    if challenges:
        notes.append((_("Esityksen haasteet"), "; ".join(challenges)))
    if strengths:
        notes.append((_("Esityksen vahvuudet"), "; ".join(strengths)))
    notes.append((_("Vinkki"), _("Kirjatkaa sovitut tavoitteet ja seurantaindikaattorit "
                                 "neuvottelumuistioon; tämä näkymä on lähtökohta, ei tavoite.")))
    return Slide("closing", _("Keskustellaan: neuvottelun neljä teemaa"), _(LAW), points=points,
                 notes=tuple(notes))


def build_deck(b: Briefing, today: date, last_round: Slide | None = None) -> list[Slide]:
    """`last_round`: reports.followup.last_round_slide of the group's last negotiation."""
    deck = [title_slide(b, today)]
    if last_round is not None:
        deck.append(last_round)
    for story in b.stories:
        deck += story_slides(b, story)
    deck.append(closing_slide(b))
    return deck


def slide_rows(b: Briefing, slide: Slide):
    """Situation rows of the slide's indicators, in the slide's order."""
    rows = b.sit.rows.set_index("indicator_id", drop=False)
    ids = [i for i in slide.indicator_ids if i in rows.index]
    return rows.loc[ids].reset_index(drop=True)


def chart_spec(b: Briefing, slide: Slide, scale: float = 1.0) -> dict | None:
    """The slide's one chart as a Vega-Lite spec (fonts times `scale`), or None."""
    if slide.spec is not None:
        return charts.scaled_spec(slide.spec, scale)
    if slide.chart is None:
        return None
    rows = slide_rows(b, slide)
    if slide.chart == "trend":
        # One column of panels beside the sentences (a slide has at most three).
        # A short legend so the chart fits half a 1280 px projector screen beside the notes.
        # The series' default labels (group, "Hyvinvointialue", whole country), translated.
        chart = overview_charts.trend_small_multiples(b.sit.series, rows, columns=1,
                                                      width=300, height=110, title=_("Kehitys"))
    else:
        rest = rows["benchmark_label"].eq("rest_of_area").any()
        chart = overview_charts.outcome_strip(
            rows, area_label=_("Muu alue") if rest else _("Hyvinvointialue"), name_width=44)
    return charts.scaled_spec(chart, scale)


def slide_footer(b: Briefing, slide: Slide) -> str:
    """Source, producers and years of what the slide shows (every slide names its source)."""
    if slide.source:
        return slide.source
    parts = [source_line()]
    if slide.indicator_ids:
        rows = slide_rows(b, slide)
        producers = sorted({str(b.indicators.loc[i, "producer"]) for i in rows["indicator_id"]
                            if i in b.indicators.index and b.indicators.loc[i, "producer"]})
        years = sorted({int(y) for y in rows["year"] if y})
        if producers:
            parts.append(_("Tietojen tuottajat: {producers}.", producers=", ".join(producers)))
        if years:
            parts.append(_("Tiedot vuosilta {years}.", years=", ".join(str(y) for y in years)))
    parts.append(_("Tietovarasto koottu: {built}.", built=b.stamp.built_at))
    if b.is_demo:
        parts.append(_("DEMOAINEISTO."))
    return " ".join(parts)


def _indicator(b: Briefing, indicator_id) -> dict:
    if indicator_id in b.indicators.index:
        return b.indicators.loc[indicator_id].to_dict()
    return {}


def _dedupe(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The small-municipality warning is the same for every indicator: say it once."""
    small = {SMALL_NUMBERS, _(SMALL_NUMBERS)}  # the model's label, before and after translation
    seen, out = set(), []
    for item in items:
        if item[0] not in small or item not in seen:
            seen.add(item)
            out.append(item)
    return out
