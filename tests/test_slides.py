"""The slide deck model: shape of the deck, one chart per priority slide, notes and caveats."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from dashboard import data
from dashboard.charts import base as charts
from dashboard.model import briefing
from dashboard.reports import assemble, slides

TODAY = date(2026, 3, 9)


@pytest.fixture
def brief_of(app_env):
    version = data.version()
    return lambda group_id: assemble.briefing_for(version, group_id)


def _fake(story, n_strengths: int, n_challenges: int, trend: str = "stable"):
    """Give a story exactly the requested highlights, reusing its own rows."""
    base = story.rows.to_dict("records")
    rows = [{**base[i % len(base)], "trend": trend,
             "outcome": "better" if i < n_strengths else "worse"}
            for i in range(n_strengths + n_challenges)]
    story.strengths, story.challenges = rows[:n_strengths], rows[n_strengths:]
    return story


@pytest.mark.parametrize("n_strengths, n_challenges, leads, chart", [
    (0, 0, ["Keskeiset ilmiöt"], "strip"),
    (1, 0, ["Keskeiset ilmiöt"], "trend"),
    (0, 3, ["Keskeiset ilmiöt"], "trend"),
    (1, 2, ["Keskeiset ilmiöt"], "trend"),
    (3, 1, ["Vahvuudet", "Haasteet"], "trend"),
    (3, 3, ["Vahvuudet", "Haasteet"], "trend"),
])
def test_priority_slides_split_when_more_than_three_points(brief_of, n_strengths, n_challenges,
                                                           leads, chart):
    b = brief_of("jamsa-keuruu")
    story = _fake(copy.copy(b.stories[0]), n_strengths, n_challenges)
    got = slides.story_slides(b, story)
    assert [s.lead for s in got] == leads
    for s in got:
        assert s.kind == "priority" and s.heading == story.name and s.chart == chart
        assert 1 <= len(s.points) <= slides.MAX_POINTS
        if chart == "trend":
            assert len(s.indicator_ids) == len(s.points)
        else:  # no highlights: the strip shows every indicator of the priority
            assert list(s.indicator_ids) == list(story.rows["indicator_id"])


@pytest.mark.parametrize("trend, tone", [("worsening", "worsening"), ("stable", "challenge"),
                                         ("improving", "challenge")])
def test_worse_and_worsening_gets_its_own_mark(brief_of, trend, tone):
    b = brief_of("jamsa-keuruu")
    story = _fake(copy.copy(b.stories[1]), 0, 1, trend)
    (slide,) = slides.story_slides(b, story)
    assert slide.points[0].tone == tone


@pytest.mark.parametrize("group_id", ["joutsa-luhanka-toivakka", "aanekoski-laukaa"])
def test_deck_starts_with_title_and_ends_with_the_four_themes(brief_of, group_id):
    b = brief_of(group_id)
    deck = slides.build_deck(b, TODAY)
    assert deck[0].kind == "title" and deck[-1].kind == "closing"
    facts = dict(deck[0].facts)
    assert facts["Kunnat"] == ", ".join(b.members)
    assert facts["Päivämäärä"] == "9.3.2026"
    assert "DEMOAINEISTO" in deck[0].lead
    assert [p.label for p in deck[-1].points] == ["Tavoitteet", "Toimenpiteet", "Yhteistyö",
                                                   "Seuranta"]
    assert "612/2021" in deck[-1].lead
    priorities = [s.priority for s in deck if s.kind == "priority"]
    assert set(priorities) == set(briefing.PRIORITIES)
    assert priorities == sorted(priorities, key=briefing.PRIORITIES.index)


def test_sentences_are_the_overview_sentences(brief_of):
    """Slides say exactly what the overview's key phenomena say."""
    b = brief_of("aanekoski-laukaa")
    deck = slides.build_deck(b, TODAY)
    said = [p.text for s in deck if s.kind == "priority" for p in s.points if p.tone != "plain"]
    expected = [b.sentence(r) for st in b.stories for r in st.strengths + st.challenges]
    assert sorted(said) == sorted(expected) and said


def test_notes_carry_definitions_limits_and_small_number_warnings(brief_of):
    b = brief_of("joutsa-luhanka-toivakka")  # Luhanka has under 2 000 residents
    deck = slides.build_deck(b, TODAY)
    trend_slides = [s for s in deck if s.chart == "trend"]
    assert trend_slides, "the demo data give highlights for this group"
    for s in trend_slides:
        labels = [label for label, _ in s.notes]
        text = " ".join(v for _, v in s.notes)
        assert labels[0] == "Vertailun menetelmä"
        assert "Sotkanet" in text and "Menetelmä:" in text
        assert "Rajoitukset (Sotkanet)" in labels and "Huomioitavaa (Sotkanet)" in labels
        assert "Pienet luvut" in labels and "Luhanka" in text
        assert labels.count("Pienet luvut") == len(set(
            v for k, v in s.notes if k == "Pienet luvut"))  # said once each


@pytest.mark.parametrize("abs_value, small_members, expected", [
    (5.0, "", ["Ryhmässä vain 5 tapausta"]),
    (19.0, "Luhanka", ["Pienet kunnat (Luhanka)", "Ryhmässä vain 19 tapausta"]),
    (20.0, "", []),
    (float("nan"), "", []),
    (None, "Kinnula", ["Pienet kunnat (Kinnula)"]),
])
def test_small_number_notes(abs_value, small_members, expected):
    notes = briefing.small_number_notes({"abs_value": abs_value, "small_members": small_members})
    assert len(notes) == len(expected)
    for note, start in zip(notes, expected, strict=True):
        assert note.startswith(start)


def test_every_chart_is_finnish_and_enlarged(brief_of):
    b = brief_of("jyvaskyla-muurame")
    for s in slides.build_deck(b, TODAY):
        spec = slides.chart_spec(b, s, 1.5)
        if s.chart is None:
            assert spec is None
            continue
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["config"]["axis"]["labelFontSize"] == charts.FONT_SIZES["label"] * 1.5
        footer = slides.slide_footer(b, s)
        assert "THL, Sotkanet" in footer and "DEMOAINEISTO" in footer and "Tiedot vuosilta" in footer


def test_scaled_spec_changes_fonts_not_data():
    import altair as alt
    import pandas as pd

    chart = charts.finnish(alt.Chart(pd.DataFrame({"fontSize": [3], "x": [1]})).mark_text(
        fontSize=10).encode(x="x:Q", text="fontSize:Q"))
    spec = charts.scaled_spec(chart, 2.0)
    assert spec["mark"]["fontSize"] == 20
    assert spec["config"]["legend"]["labelLimit"] == 640
    assert json.dumps(chart.to_dict()["datasets"]) == json.dumps(spec["datasets"])
