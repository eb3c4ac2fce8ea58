"""The municipality card's model: one source of truth with the overview, ranks, ranges, honesty.

Built on the demo county warehouse straight through reports.kuntakortti_assemble (no
Streamlit), for every municipality where it is cheap and for the smallest (Luhanka, 435)
and the largest (Jyväskylä, 179) where the rules differ.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import data
from dashboard.charts import kuntakortti as card_charts
from dashboard.i18n import names
from dashboard.i18n.catalog import use
from dashboard.model import comparison, kuntakortti, phrases, situation
from dashboard.reports import kuntakortti_assemble as assemble

SMALLEST, LARGEST = "435", "179"


@pytest.fixture(scope="module")
def county(demo_warehouse):
    """(version, catalogue, year slice, county positions, {code: card}) of the demo county."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    version = data.version()
    cat = names.localize(data.catalogue(version), "fi")
    slice_ = assemble.year_slice(version, cat)
    positions = assemble.county_positions(cat, slice_)
    ids = assemble.resolve(cat, ["all"])
    cards = {c.code: c for c in (assemble.card(version, cat, rid, slice_, positions)
                                 for rid in ids)}
    yield version, cat, slice_, positions, cards
    mp.undo()


def test_every_municipality_of_the_county_has_a_card_in_group_order(county):
    _v, cat, _s, _p, cards = county
    assert len(cards) == 22
    order = [c.name for c in cards.values()]
    assert order[:3] == ["Joutsa", "Luhanka", "Toivakka"]          # the first group
    assert order[-4:] == ["Hankasalmi", "Konnevesi", "Laukaa", "Äänekoski"]
    for card in cards.values():
        assert card.group_name and card.sections and card.stamp.is_demo
        assert [s.priority for s in card.sections] == list(kuntakortti.SECTIONS)
        assert sum(len(s.rows) for s in card.sections) == len(cat["indicators"])


@pytest.mark.parametrize("code", [SMALLEST, LARGEST, "729"])
def test_values_outcomes_and_trends_are_the_situation_models(county, code):
    """The card is the overview's model with the municipality as a one-member group."""
    version, cat, _s, _p, cards = county
    card = cards[code]
    ctx = kuntakortti.municipality_context(cat["regions"], cat["meta"], card.region_id)
    assert ctx.members == (card.region_id,)
    sit = assemble.card_situation(version, cat, card.region_id)
    rows = sit.rows.set_index("indicator_id")
    for row in card.rows:
        r = rows.loc[row.indicator_id]
        for field in ("value", "lo", "hi", "benchmark_value", "country_value"):
            a, b = getattr(row, field), r[field]
            assert (math.isnan(a) and pd.isna(b)) or a == pytest.approx(float(b)), field
        assert row.outcome_area == r["outcome_area"]
        assert row.outcome_country == r["outcome_country"]
        assert row.trend == r["trend"] and row.county_only == bool(r["county_only"])
    # The highlights are situation.highlights' own, sentence by sentence.
    for section in card.sections:
        if section.priority == "context":
            assert not section.strengths and not section.challenges
            continue
        strengths, challenges = situation.highlights(sit.rows, section.priority)
        assert [r["indicator_id"] for r in section.strengths] == list(strengths["indicator_id"])
        assert [r["indicator_id"] for r in section.challenges] == list(challenges["indicator_id"])


def test_card_sentences_carry_the_overviews_numbers_with_the_municipality_as_subject(county):
    card = county[4][LARGEST]
    rows = [r for s in card.sections for r in s.strengths + s.challenges]
    assert rows, "the demo data give Jyväskylä highlights"
    for r in rows:
        ours, overview = card.sentence(r), phrases.highlight_sentence(r, "area")
        assert "kunnassa" in ours and "ryhmässä" in overview
        value = phrases.value_text(r["value"], r["unit"], r["decimals"])
        bench = phrases.value_text(r["benchmark_value"], r["unit"], r["decimals"])
        for part in (r["name"], value, bench, f"vuonna {r['year']}"):
            assert part in ours and part in overview
        # Compared with the rest of the county, as the overview compares a group.
        assert "muualla hyvinvointialueella" in ours


@pytest.mark.parametrize("code", [SMALLEST, LARGEST])
def test_a_municipality_is_compared_with_the_rest_of_the_county(county, code):
    """The overview's one benchmark rule: the county without the municipality wherever the
    numerators allow it; else the county itself, and such rows are not compared anyway."""
    card = county[4][code]
    assert card.uses_rest and "ilman kuntaa" in card.comparison_text()
    for row in card.rows:
        if row.benchmark_label == "area" and not row.county_only:
            assert row.outcome_area == "not_compared"


def test_ranks_and_ranges_come_from_the_county_comparison(county):
    _v, cat, slice_, positions, cards = county
    card = cards[LARGEST]
    by = positions.rows.set_index(["indicator_id", "region_id"])
    checked = 0
    for row in card.rows:
        if not row.has_value or (row.indicator_id, card.region_id) not in by.index:
            continue
        pos = by.loc[(row.indicator_id, card.region_id)]
        if int(pos["year"]) != row.year:
            continue
        assert row.rank == pos["rank_area"] and row.rank_of == pos["n_area"]
        part = positions.rows[positions.rows["indicator_id"] == row.indicator_id]
        assert row.county_min == pytest.approx(part["value"].min())
        assert row.county_max == pytest.approx(part["value"].max())
        assert len(row.others) == part["value"].notna().sum() - 1
        checked += 1
    assert checked > 20


def test_a_municipality_without_the_latest_year_is_ranked_in_its_own_year(county):
    """Luhanka's hospital care 0–17 (id 4) is suppressed after 2019 in the demo data."""
    _v, cat, slice_, _p, cards = county
    row = next(r for r in cards[SMALLEST].rows if r.indicator_id == 4)
    assert row.year == 2019 and row.rank is not None
    again = comparison.build(cat["indicators"], slice_, cat["regions"],
                             [cards[SMALLEST].region_id], [4], 965, 658, "area", 2019)
    assert row.rank == again.rows["rank_area"].iloc[0]
    assert row.rank_of == again.rows["n_area"].iloc[0]


def test_small_numbers_are_said_and_never_coloured_when_not_compared(county):
    small, large = county[4][SMALLEST], county[4][LARGEST]
    assert small.small and "pieni kunta" in small.small_text() and "690" in small.small_text()
    assert not large.small
    few = [r for r in small.rows if r.few_cases]
    assert few and all(r.value_text().endswith("*") for r in few)
    assert "alle 20 tapausta" in small.small_text()
    for card in (small, large):
        for row in card.rows:
            if math.isnan(row.lo):  # no interval: nothing to compare
                assert row.outcome_area == "not_compared" == row.outcome_country
        spec = card_charts.section_chart(card, card.sections[0])
        dots = [d for d in spec["datasets"][card_charts.CARD_DATA] if d["kind"] == "dot"]
        for d in dots:
            row = next(r for r in card.rows if r.name == d["indicator"])
            if row.outcome_area == "not_compared":
                assert d["c"] == "#BDBDBD"


def test_header_facts_and_the_age_shares_the_catalogue_lacks(county):
    card = county[4][LARGEST]
    assert card.dependency.indicator_id == 761 and card.dependency.value is not None
    assert [a.label for a in card.ages] == ["65–74"]       # the catalogue's only age share
    assert card.ages_missing == ("0–17", "18–64", "65+", "75+")
    text = card.age_missing_text()
    assert "0–17, 18–64, 65+, 75+" in text and "indicators.toml" in text
    assert card.population_text() == "147\u00a0000 asukasta (2024)"


def test_age_shares_are_found_by_their_finnish_names():
    indicators = pd.DataFrame({"indicator_id": [1, 2, 3, 4], "decimals": [1] * 4,
                               "unit": ["percent"] * 4,
                               "short_fi": ["0–17-vuotiaat, % väestöstä",
                                            "75 vuotta täyttäneet, % väestöstä",
                                            "Kotona asuvat 75 vuotta täyttäneet, % vastaavanikäisestä",
                                            "Työttömät, % työvoimasta"]})
    rows = pd.DataFrame({"indicator_id": [1, 2], "county_only": [False, False],
                         "value": [18.5, 12.0], "year": [2024, 2024]})
    ages, missing = kuntakortti.age_facts(indicators, rows)
    assert [(a.label, a.value) for a in ages] == [("0–17", 18.5), ("75+", 12.0)]
    assert missing == ("18–64", "65+")


@pytest.mark.parametrize("code, expected", [
    ("179", 85), ("077", 35), ("77", 35), (" 435 ", 208), ("999", None), ("", None),
    ("<script>", None), ("1" * 50, None), (None, None), ("١٧٩", None),
])
def test_codes_resolve_to_the_countys_municipalities_only(county, code, expected):
    cat = county[1]
    assert kuntakortti.resolve(cat["regions"], cat["meta"], code) == expected


def test_unknown_code_names_the_valid_ones(county):
    cat = county[1]
    with pytest.raises(assemble.UnknownMunicipality, match="valid codes: 077, 172, 179"):
        assemble.resolve(cat, ["179", "999"])


def test_spine_places_everything_inside_its_span(county):
    for card in county[4].values():
        for row in card.rows:
            sp = card_charts.spine(row)
            if sp is None:
                assert not row.has_value
                continue
            shares = [sp.dot, sp.benchmark, sp.country, *sp.others, *(sp.ci or ()),
                      *(sp.range or ())]
            assert all(0.0 <= s <= 1.0 for s in shares if s is not None)
            if row.unit in kuntakortti.TOTALS:  # population: no county or Finland total
                assert sp.benchmark is None and sp.country is None


@pytest.mark.parametrize("lang, word", [("sv", "i kommunen"), ("en", "in the municipality")])
def test_card_texts_follow_the_language(county, lang, word):
    version, cat, slice_, positions, _cards = county
    with use(lang):
        local = names.localize(data.catalogue(version), lang)
        card = assemble.card(version, local, 85, slice_, positions)
        rows = [r for s in card.sections for r in s.strengths + s.challenges]
        assert word in card.sentence(rows[0])
        assert card.sections[0].name != "Mielen hyvinvointi"
